"""`cx-mapper plan` and the opportunities of `analyze --json` (FORMAT.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.opportunities import Changes, Opportunity, PlanSettings
from cx_mapper.domain.project import Project
from cx_mapper.engine.kpis import KPI_BY_KEY, TOTAL_KPIS, format_delta, format_value
from cx_mapper.engine.plan import plan
from cx_mapper.persistence.json_format import write_project


def _project() -> Project:
    journey = Journey("current", name="Current state", discount_rate=0.1)
    for tid, sigma, value, goal in (("visit", -0.4, 0.0, False), ("cart", -0.2, 0.0, False),
                                    ("buy", 0.3, 100.0, True)):
        journey.add_touchpoint(Touchpoint(tid, satisfaction=sigma, value=value,
                                          entry=float(tid == "visit"), conversion=goal))
    journey.add_transition(Transition("visit", "cart", 0.6))
    journey.add_transition(Transition("cart", "buy", 0.7))
    for oid, title, cost, tid, sigma in (("faq", "Better FAQ", 40.0, "visit", 0.2),
                                         ("checkout", "One-page checkout", 50.0, "cart", 0.5),
                                         ("thanks", "Thank-you note", 30.0, "buy", 0.6)):
        journey.add_opportunity(Opportunity(oid, title=title, cost=cost, changes=Changes(
            touchpoints={tid: {"satisfaction": sigma}})))
    project = Project(name="shop", journeys=[journey])
    project.cost_unit = "€"
    return project


@pytest.fixture
def shop(tmp_path: Path) -> str:
    """The shop project's file, opportunities and all."""
    path = tmp_path / "shop.json"
    write_project(_project(), path)
    return str(path)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_json_is_the_format(shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", shop, "--budget", "100", "--objective",
                          "value=1,referral_r=50", "--json"], capsys)
    assert (code, err) == (0, "")
    data: dict[str, Any] = json.loads(out)
    assert {"journey", "budget", "objective", "chosen", "cost", "optimal", "gains",
            "frontier"} <= set(data)
    expected = plan(_project(), "current", 100.0, {"value": 1.0, "referral_r": 50.0})
    assert data["journey"] == "current"
    assert data["budget"] == 100.0
    assert data["objective"] == {"value": 1.0, "referral_r": 50.0}
    assert data["chosen"] == list(expected.chosen)
    assert data["cost"] == expected.cost <= 100.0
    assert data["optimal"] is True
    assert set(data["gains"]) == {kpi.key for kpi in TOTAL_KPIS}
    assert data["gains"]["value"] == pytest.approx(expected.gains["value"])
    assert data["before"]["value"] == pytest.approx(expected.before["value"])
    assert set(data["before"]) == set(data["gains"])
    assert data["frontier"][0] == {"budget": 0.0, "objective": 0.0, "chosen": []}
    assert data["frontier"][-1]["budget"] == 120.0
    assert all(set(point) == {"budget", "objective", "chosen"} for point in data["frontier"])


def test_plan_text_names_what_to_fund_and_what_it_brings(
        shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", shop, "--budget", "100"], capsys)
    assert (code, err) == (0, "")
    expected = plan(_project(), "current", 100.0)
    titles = {"faq": "Better FAQ", "checkout": "One-page checkout", "thanks": "Thank-you note"}
    for oid in expected.chosen:
        assert titles[oid] in out
    assert "Customer value" in out and "Loyalty index" in out and "Conversion" in out
    value = KPI_BY_KEY["value"]
    before, gain = expected.before["value"], expected.gains["value"]
    row = next(line for line in out.splitlines() if line.strip().startswith("Customer value"))
    assert row.split()[2:5] == [format_value(value, before),
                                format_value(value, before + gain),
                                format_delta(value, gain)]
    assert f"The budget leaves {expected.left:,.0f} €." in out
    assert "What more money would buy" in out
    assert "proven best" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["--budget", "-1"], "--budget: must be a number of 0 or more, got '-1'"),
    (["--budget", "abc"], "--budget: must be a number of 0 or more, got 'abc'"),
    (["--budget", "inf"], "--budget: must be a number of 0 or more, got 'inf'"),
    (["--budget", "10", "--objective", "happiness=1"], "no figure to plan for"),
    (["--budget", "10", "--journey", "nope"], "There is no journey 'nope'"),
])
def test_bad_plan_input_is_one_line_and_exit_2(
        shop: str, argv: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", shop, *argv], capsys)
    assert code == 2 and out == ""
    assert words in err
    assert err.count("\n") == 1


def test_the_journeys_saved_plan_is_the_default(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = _project()
    project.journeys[0].plan = PlanSettings(30.0, {"loyalty_index": 1.0})
    path = tmp_path / "saved.json"
    write_project(project, path)
    code, out, err = run(["plan", str(path), "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["budget"], data["objective"]) == (30.0, {"loyalty_index": 1.0})
    expected = plan(_project(), "current", 30.0, {"loyalty_index": 1.0})
    assert data["chosen"] == list(expected.chosen)
    # What the command says wins over what was saved, one option at a time.
    code, out, _ = run(["plan", str(path), "--budget", "100", "--json"], capsys)
    assert code == 0
    assert (json.loads(out)["budget"], json.loads(out)["objective"]) == (
        100.0, {"loyalty_index": 1.0})
    code, out, _ = run(["plan", str(path), "--objective", "value", "--json"], capsys)
    assert code == 0
    assert (json.loads(out)["budget"], json.loads(out)["objective"]) == (30.0, {"value": 1.0})


def test_without_a_saved_plan_the_budget_is_needed(
        shop: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["plan", shop], capsys)
    assert code == 2 and out == ""
    assert err == (f"cx-mapper: {shop}: the journey 'current' has no saved plan; "
                   "give --budget.\n")
    code, out, _ = run(["plan", shop, "--budget", "100", "--json"], capsys)
    assert code == 0 and json.loads(out)["objective"] == {"value": 1.0}


def test_plan_of_a_missing_file_or_a_journey_without_opportunities(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["plan", str(tmp_path / "none.json"), "--budget", "1"], capsys)
    assert code == 2 and err.count("\n") == 1
    bare = _project()
    bare.journeys[0].opportunities = []
    path = tmp_path / "bare.json"
    write_project(bare, path)
    code, _, err = run(["plan", str(path), "--budget", "1"], capsys)
    assert code == 2
    assert "has no opportunities to plan" in err and err.count("\n") == 1


def test_analyze_json_lists_each_opportunitys_gains(
        shop: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["analyze", shop, "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data["opportunities"]) == ["faq", "checkout", "thanks"]
    single = plan(_project(), "current", 30.0, {"value": 1.0})  # funds "thanks" alone
    assert single.chosen == ("thanks",)
    assert data["opportunities"]["thanks"]["gain"]["value"] == pytest.approx(
        single.gains["value"])
    # Without opportunities the output has no such key, as before.
    bare = _project()
    bare.journeys[0].opportunities = []
    path = tmp_path / "bare.json"
    write_project(bare, path)
    code, out, _ = run(["analyze", str(path), "--json"], capsys)
    assert code == 0 and "opportunities" not in json.loads(out)
