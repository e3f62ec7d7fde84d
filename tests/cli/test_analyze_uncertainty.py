"""`cx-mapper analyze --uncertainty`: FORMAT.md's additions, the table and bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.uncertainty import uncertainty
from cx_mapper.persistence.files import read_project
from cx_mapper.persistence.json_format import write_project
from tests.factories import RETAIL_SAMPLE, without_evidence


def test_json_adds_intervals_ranks_drivers_and_research_next(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(RETAIL_SAMPLE), "--uncertainty", "--samples", "300",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # the same figures as the engine for the same draws and seed (the app's too)
    found = uncertainty(read_project(RETAIL_SAMPLE), "current", samples=300, seed=0)
    intervals = data["totals"]["intervals"]
    assert set(intervals) == set(data["totals"]) - {"intervals"}
    assert intervals == {key: list(band) for key, band in found.intervals.items()}
    low, mid, high = intervals["loyalty_index"]
    assert low < mid < high  # the sample's evidence spreads it
    assert all(len(tp["rank"]) == 3 for tp in data["touchpoints"].values())
    assert data["research_next"]["group"] == "touchpoint:browse_site:satisfaction"
    assert data["research_next"]["evppi"] > 0
    assert data["drivers"]["loyalty_index"][0]["group"] == "segment:all:memory"
    assert data["uncertainty"]["samples"] == 300 and not data["uncertainty"]["robust"]
    assert 0 < data["opportunities"]["live-stock"]["p_best"] < 1


def test_without_evidence_every_interval_has_zero_width(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plain = tmp_path / "plain.json"
    write_project(without_evidence(read_project(RETAIL_SAMPLE)), plain)
    assert main(["analyze", str(plain), "--uncertainty", "--samples", "50", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = analyze(read_project(plain), "current").totals
    low, mid, high = data["totals"]["intervals"]["loyalty_index"]
    assert low == mid == high == pytest.approx(expected.loyalty_index, rel=1e-12)
    assert data["research_next"] is None and data["uncertainty"]["robust"]


def test_the_table_adds_interval_columns_and_the_research_next_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(RETAIL_SAMPLE), "--uncertainty", "--samples", "200"]) == 0
    out = capsys.readouterr().out
    assert "How sure (200 draws, seed 0; 28 uncertain inputs)" in out
    assert "median" in out and "95%" in out
    assert out.rstrip().splitlines()[-1].startswith(
        "Research next: Browses products on the website: satisfaction, worth ")


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
