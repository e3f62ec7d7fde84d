"""Event-log import: estimates from directly-follows counts, scales, bad rows, bad files."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from cx_mapper.cli import main
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import (
    LogColumns,
    aggregation_sql,
    check_sql,
    read_event_log,
)
from cx_mapper.persistence.files import read_project

HEADER = ["customer_id", "timestamp", "touchpoint", "csat", "public", "revenue", "stage"]
SMALL = [
    ["c1", "2026-01-01 10:00", "Ad", "4", "no", "", "Awareness"],
    ["c1", "2026-01-01 11:00", "Site", "3", "no", "", "Consideration"],
    ["c1", "2026-01-02 09:00", "Buy", "5", "yes", "40", "Purchase"],
    ["c2", "2026-01-01 10:00", "Ad", "2", "yes", "", "Awareness"],
    ["c2", "2026-01-03 10:00", "Buy", "4", "no", "60", "Purchase"],
    ["c3", "2026-01-05 10:00", "Site", "3", "no", "", "Consideration"],
]
FULL = LogColumns(satisfaction="csat", public="public", revenue="revenue", stage="stage")


def write_log(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_hand_worked_log(tmp_path: Path) -> None:
    result = read_event_log(write_log(tmp_path / "log.csv", SMALL), FULL)
    journey = result.journey
    assert (result.events, result.customers, result.scale) == (6, 3, "csat")
    ad, site, buy = (journey.touchpoint(t) for t in ("ad", "site", "buy"))
    assert (ad.entry, site.entry, buy.entry) == pytest.approx((2 / 3, 1 / 3, 0))
    assert ad.satisfaction == 0.0  # CSAT 4 and 2: mean 3, neutral
    assert buy.satisfaction == pytest.approx(0.75)  # CSAT 5 and 4: (4.5 - 3) / 2
    assert (ad.visibility, buy.visibility, site.visibility) == (0.5, 0.5, 0.0)
    assert buy.value == 50.0 and ad.value == 0.0
    # Ad -> Site once, Ad -> Buy once, of 2 visits; Site -> Buy once of 2 (c3 leaves).
    assert {k: t.probability for k, t in journey.transitions.items()} == {
        ("ad", "buy"): 0.5, ("ad", "site"): 0.5, ("site", "buy"): 0.5}
    assert [s.name for s in journey.stages] == ["Awareness", "Consideration", "Purchase"]
    assert buy.stage == "purchase"


def test_estimates_converge_to_the_true_probabilities(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    names = ["A", "B", "C"]
    truth = np.array([[0.0, 0.6, 0.3], [0.2, 0.0, 0.5], [0.1, 0.1, 0.0]])
    rows: list[list[str]] = []
    for customer in range(20_000):
        state, step = 0, 0
        while True:
            rows.append([f"c{customer}", f"2026-01-01 00:{step // 60:02d}:{step % 60:02d}",
                         names[state]])
            step += 1
            weights = np.append(truth[state], 1 - truth[state].sum())
            state = int(rng.choice(4, p=weights))
            if state == 3:
                break
    result = read_event_log(write_log(tmp_path / "big.csv", rows, HEADER[:3]))
    journey = result.journey
    for i, source in enumerate(names):
        for j, target in enumerate(names):
            key = (source.lower(), target.lower())
            estimate = journey.transitions[key].probability if key in journey.transitions else 0
            assert estimate == pytest.approx(truth[i, j], abs=0.015)
    assert journey.touchpoint("a").entry == 1.0


def test_nps_and_unit_scales_are_detected(tmp_path: Path) -> None:
    rows = [["c1", "2026-01-01", "Ad", "9"], ["c2", "2026-01-01", "Ad", "10"]]
    header = [*HEADER[:3], "score"]
    result = read_event_log(write_log(tmp_path / "nps.csv", rows, header),
                            LogColumns(satisfaction="score"))
    assert result.scale == "nps"
    assert result.journey.touchpoint("ad").satisfaction == pytest.approx(0.9)
    rows = [["c1", "2026-01-01", "Ad", "-0.5"], ["c2", "2026-01-01", "Ad", "0.5"]]
    result = read_event_log(write_log(tmp_path / "unit.csv", rows, header),
                            LogColumns(satisfaction="score"))
    assert result.scale == "unit" and result.journey.touchpoint("ad").satisfaction == 0.0


def test_bad_rows_are_named_and_can_be_skipped(tmp_path: Path) -> None:
    rows = [*SMALL, ["", "2026-01-01", "Ad", "3", "", "", ""],
            ["c9", "yesterday", "Ad", "3", "", "", ""],
            ["c9", "2026-01-01", "Ad", "great", "", "", ""]]
    path = write_log(tmp_path / "bad.csv", rows)
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(path, FULL)
    message = str(caught.value)
    assert "bad.csv" in message
    assert "no customer id: row 7" in message
    assert "not a date and time: row 8" in message
    assert "satisfaction that is not a number: row 9" in message
    result = read_event_log(path, FULL, skip_bad_rows=True)
    assert result.events == 6 and sum(b.count for b in result.skipped) == 3


@pytest.mark.parametrize("content,expected", [
    (b"", "empty"),
    (b"customer_id;timestamp\nc1;2026\n", "no column 'touchpoint'"),
    ("customer_id,timestamp,touchpoint\nc1,2026-01-01,Caf\xe9\n".encode("latin-1"),
     "not UTF-8"),
], ids=["empty", "missing_column", "latin1"])
def test_unusable_files_say_why(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "log.csv"
    path.write_bytes(content)
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(path)
    assert expected in str(caught.value) and "log.csv" in str(caught.value)


def test_parquet_logs_are_read(tmp_path: Path) -> None:
    import duckdb

    csv_path = write_log(tmp_path / "log.csv", SMALL)
    parquet = tmp_path / "log.parquet"
    duckdb.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar=true)) "
                   f"TO '{parquet}' (FORMAT parquet)")
    assert read_event_log(parquet, FULL).journey == read_event_log(csv_path, FULL).journey


def test_the_aggregation_is_plain_sql() -> None:
    sql = aggregation_sql("events")
    assert set(sql) == {"flows", "steps", "entries", "touchpoints", "counts"}
    for text in [*sql.values(), *check_sql("parsed").values()]:
        assert "read_csv" not in text and "QUALIFY" not in text.upper()
        assert "rowid" not in text and "::" not in text


def test_import_log_on_the_command_line(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    log = write_log(tmp_path / "log.csv", SMALL)
    out = tmp_path / "journey.cxmap"
    assert main(["import-log", str(log), "-o", str(out), "--satisfaction", "csat",
                 "--stage", "stage", "--revenue", "revenue", "--public", "public"]) == 0
    assert "6 events of 3 customers" in capsys.readouterr().out
    journey = read_project(out).journeys[0]
    assert len(journey.touchpoints) == 3
    assert main(["analyze", str(out)]) == 0


def test_import_log_refuses_bad_rows_with_exit_2_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = write_log(tmp_path / "log.csv", [*SMALL, ["", "2026-01-01", "Ad", "", "", "", ""]])
    out = tmp_path / "journey.cxmap"
    capsys.readouterr()
    assert main(["import-log", str(log), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "row 7" in err and "--skip-bad-rows" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["import-log", str(log), "-o", str(out), "--skip-bad-rows"]) == 0
    assert out.exists()
