"""`cx-mapper analyze --uncertainty`: FORMAT.md's additions, the table and bad options."""

from __future__ import annotations

import json

import pytest

from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.files import read_project
from tests.factories import RETAIL_SAMPLE


def test_json_adds_intervals_ranks_drivers_and_research_next(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(RETAIL_SAMPLE), "--uncertainty", "--samples", "50",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = analyze(read_project(RETAIL_SAMPLE), "current").totals
    intervals = data["totals"]["intervals"]
    assert set(intervals) == set(data["totals"]) - {"intervals"}
    low, mid, high = intervals["loyalty_index"]
    assert low == mid == high == pytest.approx(expected.loyalty_index, rel=1e-12)
    assert all(len(tp["rank"]) == 3 for tp in data["touchpoints"].values())
    assert data["research_next"] is None  # nothing carries evidence: nothing to learn
    assert data["uncertainty"]["samples"] == 50 and data["uncertainty"]["robust"]
    assert all("p_positive" in o and "p_best" in o for o in data["opportunities"].values())


def test_the_table_adds_interval_columns_and_the_research_next_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(RETAIL_SAMPLE), "--uncertainty", "--samples", "20"]) == 0
    out = capsys.readouterr().out
    assert "How sure (20 draws, seed 0; 0 uncertain inputs)" in out
    assert "median" in out and "95%" in out
    assert out.rstrip().splitlines()[-1].startswith("Research next: nothing;")


@pytest.mark.parametrize(("options", "words"), [
    (["--samples", "10"], "--samples and --seed go with --uncertainty"),
    (["--uncertainty", "--samples", "1"], "give 2 to 100,000 draws"),
    (["--uncertainty", "--samples", "many"], "not a whole number"),
    (["--uncertainty", "--seed", "-1"], "give a seed from 0"),
    (["--uncertainty", "--horizon", "5"], "analyses the infinite horizon"),
])
def test_bad_options_say_so_in_one_line_and_exit_2(
        options: list[str], words: str, capsys: pytest.CaptureFixture[str]) -> None:
    try:
        code = main(["analyze", str(RETAIL_SAMPLE), *options])
    except SystemExit as stopped:  # argparse's own refusals
        code = stopped.code
    assert code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
