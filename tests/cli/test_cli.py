"""`cx-mapper analyze`: what scripts and people at a terminal see (FORMAT.md, "Command line")."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from cx_mapper import __version__
from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import INTERACTIONS, KPI_BY_KEY, KPIS, TOTAL_KPIS, Kpi
from cx_mapper.engine.results import Totals
from cx_mapper.persistence.json_format import read_project
from tests.factories import RETAIL_SAMPLE, ROOT

SAMPLE = str(RETAIL_SAMPLE)

#: FORMAT.md, "analyze --json output".
TOTALS_KEYS = {
    "interactions", "loyalty_index", "value",
    "exposure_positive", "exposure_negative", "exposure_net",
    "exposure_private", "exposure_public",
    "referral_r", "deterred", "conversion_probability",
}
TOUCHPOINT_KEYS = {"visits", "loyalty", "value", "exposure_positive", "exposure_negative",
                   "sensitivity"}
SENSITIVITY_KEYS = {"loyalty_index", "value", "exposure_net", "referral_r"}
SERIES_KEYS = {"step", "active", "loyalty", "exposure_positive", "exposure_negative",
               "referred"}


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """main(argv) as the shell sees it: exit code, stdout, stderr."""
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's --help, --version and usage errors
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def analyze_json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = run(["analyze", *argv, "--json"], capsys)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, dict)
    return data


def row(lines: list[str], kpi: Kpi) -> list[str]:
    """The totals rows of a figure: its declared label, then its value."""
    return [line for line in lines
            if line.strip().startswith(kpi.label)
            and line.strip()[len(kpi.label):].startswith("  ")]


def write(path: Path, journeys: list[dict[str, Any]], **project: Any) -> str:
    path.write_text(json.dumps({"format": "cx-mapper/1", **project, "journeys": journeys}),
                    encoding="utf-8")
    return str(path)


def no_conversion_journey() -> dict[str, Any]:
    """ad -> site; "help" has a way out but no way in, so no customer reaches it."""
    return {
        "id": "plain", "name": "No goal",
        "touchpoints": [
            {"id": "ad", "entry": 1.0, "satisfaction": 0.5, "visibility": 0.5},
            {"id": "site", "satisfaction": -0.5, "value": 10.0},
            {"id": "help", "satisfaction": 0.3},
        ],
        "transitions": [
            {"from": "ad", "to": "site", "probability": 0.5},
            {"from": "site", "to": "ad", "probability": 0.2},
            {"from": "help", "to": "site", "probability": 0.5},
        ],
    }


@pytest.fixture(scope="module")
def sample_json() -> dict[str, Any]:
    """`analyze SAMPLE --json`, computed once for the read-only checks."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["analyze", SAMPLE, "--json"]) == 0
    data = json.loads(out.getvalue())
    assert isinstance(data, dict)
    return data


# -- the table ---------------------------------------------------------------------------------
def test_analyze_prints_the_totals_table_and_five_to_fix_first(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["analyze", SAMPLE], capsys)
    assert (code, err) == (0, "")
    result = analyze(read_project(SAMPLE))
    lines = out.splitlines()
    assert "Retail omnichannel" in lines[0] and "Current state" in lines[0]
    assert "infinite horizon" in out
    for key in ("interactions", "loyalty_index", "value", "exposure_positive",
                "exposure_negative", "exposure_net", "referral_r", "deterred",
                "conversion_probability"):
        kpi = INTERACTIONS if key == "interactions" else KPI_BY_KEY[key]
        assert len(row(lines, kpi)) == 1, kpi.label
    loyalty_line, = row(lines, KPI_BY_KEY["loyalty_index"])
    assert f"{100 * result.totals.loyalty_index:+.1f}" in loyalty_line
    value_line, = row(lines, KPI_BY_KEY["value"])
    assert f"{result.totals.value:,.2f}" in value_line
    conversion_line, = row(lines, KPI_BY_KEY["conversion_probability"])
    assert f"{result.totals.conversion_probability:.1%}" in conversion_line

    start = next(i for i, line in enumerate(lines) if "fix first" in line.lower())
    ranked = [line.split() for line in lines[start + 1:] if line.strip()[:1].isdigit()]
    assert [row[0] for row in ranked] == ["1", "2", "3", "4", "5"]
    project = read_project(SAMPLE)
    journey = project.journey("current")
    expected = [journey.touchpoints[tid].name for tid, _ in result.fix_first("loyalty_index", 5)]
    ranked_lines = [line for line in lines[start + 1:] if line.strip()[:1].isdigit()]
    for name, line in zip(expected, ranked_lines, strict=True):
        assert name[:36] in line


def test_table_labels_every_figure_as_the_cards_do(capsys: pytest.CaptureFixture[str]) -> None:
    """The command line and the app name the same figures the same way (kpis.py)."""
    code, out, err = run(["analyze", SAMPLE], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    result = analyze(read_project(SAMPLE))
    for kpi in (INTERACTIONS, *KPIS):
        line, = row(lines, kpi)
        value = kpi.value(result)
        assert value is not None, kpi.key
        assert format(value, kpi.spec) in line, kpi.label
        assert kpi.unit.replace("−", "-") in line, kpi.label


def test_json_totals_are_the_declared_figures(sample_json: dict[str, Any]) -> None:
    assert list(sample_json["totals"]) == [kpi.key for kpi in TOTAL_KPIS]


def test_table_without_a_conversion_has_no_conversion_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "plain.json", [no_conversion_journey()])
    code, out, err = run(["analyze", path], capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert row(lines, KPI_BY_KEY["conversion_probability"]) == []
    assert len(row(lines, KPI_BY_KEY["loyalty_index"])) == 1


def test_horizon_shows_in_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["analyze", SAMPLE, "--horizon", "5"], capsys)
    assert code == 0
    assert "steps 0..5" in out and "infinite horizon" not in out


# -- --json --------------------------------------------------------------------------------------
def test_json_totals_have_exactly_the_format_keys(sample_json: dict[str, Any]) -> None:
    assert sample_json["journey"] == "current"
    assert set(sample_json["totals"]) == TOTALS_KEYS
    assert all(isinstance(v, float) for v in sample_json["totals"].values())


def test_json_totals_equal_the_engine_exactly(sample_json: dict[str, Any]) -> None:
    totals = analyze(read_project(SAMPLE)).totals
    for field in fields(Totals):
        assert sample_json["totals"][field.name] == getattr(totals, field.name), field.name


def test_json_has_every_touchpoint_with_its_figures(sample_json: dict[str, Any]) -> None:
    project = read_project(SAMPLE)
    journey = project.journey("current")
    result = analyze(project)
    touchpoints = sample_json["touchpoints"]
    assert list(touchpoints) == list(journey.touchpoints)
    for tid, record in touchpoints.items():
        assert set(record) >= TOUCHPOINT_KEYS | {"removal_effect"}, tid
        assert set(record["sensitivity"]) == SENSITIVITY_KEYS, tid
        engine = result.touchpoint(tid)
        assert record["visits"] == engine.visits
        assert record["loyalty"] == engine.loyalty
        assert record["sensitivity"] == engine.sensitivity
        assert record["removal_effect"] == engine.removal_effect
    visits = sum(r["visits"] for r in touchpoints.values())
    assert visits == pytest.approx(sample_json["totals"]["interactions"])


def test_json_series_has_the_journey_horizon_by_default(sample_json: dict[str, Any]) -> None:
    series = sample_json["series"]
    assert set(series) == SERIES_KEYS
    assert series["step"] == list(range(25))  # horizon 24: steps 0..24
    assert all(len(values) == 25 for values in series.values())
    assert series["active"][0] == pytest.approx(1.0)  # one entering customer
    referred = series["referred"]
    assert all(a <= b + 1e-12 for a, b in zip(referred, referred[1:], strict=False))  # cumulative


def test_json_finite_horizon(capsys: pytest.CaptureFixture[str],
                             sample_json: dict[str, Any]) -> None:
    data = analyze_json([SAMPLE, "--horizon", "5"], capsys)
    assert data["series"]["step"] == [0, 1, 2, 3, 4, 5]
    assert all(len(values) == 6 for values in data["series"].values())
    finite, infinite = data["totals"], sample_json["totals"]
    assert finite != infinite
    assert finite["interactions"] < infinite["interactions"]
    assert finite["interactions"] == analyze(read_project(SAMPLE), horizon=5).totals.interactions


def test_json_without_a_conversion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "plain.json", [no_conversion_journey()])
    data = analyze_json([path], capsys)
    assert set(data["totals"]) == TOTALS_KEYS - {"conversion_probability"}
    for tid, record in data["touchpoints"].items():
        assert set(record) >= TOUCHPOINT_KEYS, tid
        assert "removal_effect" not in record, tid
        assert set(record["sensitivity"]) == SENSITIVITY_KEYS
    assert data["touchpoints"]["help"]["visits"] == 0.0
    assert data["touchpoints"]["help"]["loyalty"] is None  # unreachable: no loyalty
    assert data["touchpoints"]["ad"]["loyalty"] is not None
    assert data["touchpoints"]["site"]["value"] != 0.0


def test_journey_option_picks_that_journey(capsys: pytest.CaptureFixture[str],
                                           sample_json: dict[str, Any]) -> None:
    data = analyze_json([SAMPLE, "--journey", "future"], capsys)
    assert data["journey"] == "future"
    future = analyze(read_project(SAMPLE), "future").totals
    assert data["totals"]["loyalty_index"] == future.loyalty_index
    assert data["totals"] != sample_json["totals"]
    code, out, _ = run(["analyze", SAMPLE, "--journey", "future"], capsys)
    assert code == 0 and "Future state" in out.splitlines()[0]


# -- bad input -----------------------------------------------------------------------------------
def _loop_journey() -> dict[str, Any]:
    return {"id": "j", "discount_rate": 0,
            "touchpoints": [{"id": "start", "entry": 1}, {"id": "a"}, {"id": "b"}],
            "transitions": [{"from": "start", "to": "a", "probability": 0.5},
                            {"from": "a", "to": "b", "probability": 1},
                            {"from": "b", "to": "a", "probability": 1}]}


def _bad_file(tmp_path: Path, case: str) -> tuple[str, list[str]]:
    """A file and the extra arguments for each kind of bad input."""
    path = tmp_path / f"{case}.json"
    if case == "missing":
        return str(path), []
    if case == "invalid_json":
        path.write_text('{"format": "cx-mapper/1", ', encoding="utf-8")
        return str(path), []
    if case == "unknown_key":
        journey = no_conversion_journey()
        journey["touchpoints"][0]["colour"] = "red"
        return write(path, [journey]), []
    if case == "unknown_journey":
        return SAMPLE, ["--journey", "nope"]
    if case == "closed_loop":
        return write(path, [_loop_journey()]), []
    if case == "no_entry":
        journey = no_conversion_journey()
        journey["touchpoints"][0]["entry"] = 0
        return write(path, [journey]), []
    raise AssertionError(case)


BAD_INPUT = {
    "missing": ["not found"],
    "invalid_json": ["not valid JSON"],
    "unknown_key": ["'colour'", "touchpoint 'ad'"],
    "unknown_journey": ["'nope'", "'current'", "'future'"],
    "closed_loop": ["a → b → a", "discount"],
    "no_entry": ["entry"],
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_exits_2_with_one_clear_line(case: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path, extra = _bad_file(tmp_path, case)
    code, out, err = run(["analyze", path, *extra], capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("cx-mapper: ")
    for words in BAD_INPUT[case]:
        assert words in lines[0]
    if case != "unknown_journey":
        assert Path(path).name in lines[0]  # the message names the file


def test_bad_input_is_the_same_with_json(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = _bad_file(tmp_path, "closed_loop")
    code, out, err = run(["analyze", path, "--json"], capsys)
    assert (code, out) == (2, "")
    assert "a → b → a" in err


HORIZON_ERRORS = {"-1": "0 or more", "2.5": "whole number", "ten": "whole number"}


@pytest.mark.parametrize("horizon", list(HORIZON_ERRORS))
def test_bad_horizon_exits_2_and_says_why(horizon: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["analyze", SAMPLE, "--horizon", horizon], capsys)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert "--horizon" in last and HORIZON_ERRORS[horizon] in last


@pytest.mark.parametrize("horizon", ["-1", "2.5"])
def test_bad_horizon_is_one_line_on_stderr(horizon: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The command line promises "2 for bad input with one clear line on stderr"."""
    code, _, err = run(["analyze", SAMPLE, "--horizon", horizon], capsys)
    assert code == 2
    assert len(err.splitlines()) == 1, err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0
    assert out.strip() == f"cx-mapper {__version__}"


def test_analyze_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["analyze", "-h"], capsys)
    assert code == 0 and err == ""
    for option in ("--journey", "--horizon", "--json", "FILE"):
        assert option in out


# -- the real command, in a process of its own ----------------------------------------------------
def _headless_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "CX_MAPPER_DEBUG"):
        env.pop(name, None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def test_subprocess_analyze_json_matches_main(sample_json: dict[str, Any]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "cx_mapper", "analyze", SAMPLE, "--json", "--journey", "current"],
        capture_output=True, text=True, env=_headless_env(), cwd=ROOT, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout) == sample_json


def test_subprocess_bad_input_exits_2_without_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "loop.json", [_loop_journey()])
    done = subprocess.run(
        [sys.executable, "-m", "cx_mapper", "analyze", path],
        capture_output=True, text=True, env=_headless_env(), cwd=tmp_path, timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1
    assert "a → b → a" in done.stderr


def test_installed_script_reports_its_version() -> None:
    script = Path(sys.executable).parent / "cx-mapper"
    assert script.exists(), "the cx-mapper console script is not installed in this environment"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True,
                          env=_headless_env(), timeout=60, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"cx-mapper {__version__}"


def test_convert_round_trip_json_cxmap_json(tmp_path: Path) -> None:
    cxmap = tmp_path / "retail.cxmap"
    back = tmp_path / "back.json"
    assert main(["convert", str(Path(SAMPLE)), str(cxmap)]) == 0
    assert main(["convert", str(cxmap), str(back)]) == 0
    from cx_mapper.persistence.json_format import dumps_project, read_project
    assert dumps_project(read_project(back)) == dumps_project(read_project(Path(SAMPLE)))
    assert main(["analyze", str(cxmap), "--json"]) == 0


def test_failed_convert_leaves_the_existing_output_byte_for_byte(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kept.cxmap"
    assert main(["convert", str(Path(SAMPLE)), str(target)]) == 0
    before = target.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "cx-mapper/1", "journeys": [{"id": "j", "colour": 1}]}')
    capsys.readouterr()
    assert main(["convert", str(bad), str(target)]) == 2
    err = capsys.readouterr().err
    assert "bad.json" in err and "colour" in err and "Traceback" not in err
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "kept.cxmap"]


def test_convert_onto_itself_is_refused(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "same.json"
    target.write_bytes(Path(SAMPLE).read_bytes())
    assert main(["convert", str(target), str(target)]) == 2
    assert "same file" in capsys.readouterr().err
