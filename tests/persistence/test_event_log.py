"""Event-log import: estimates from directly-follows counts, scales, bad rows, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cx_mapper.cli import main
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import (
    ImportCancelled,
    LogColumns,
    read_event_log,
)
from cx_mapper.persistence.event_queries import (
    POSTGRES,
    SPARK,
    aggregation_sql,
    check_sql,
    for_engine,
    parse_sql,
)
from cx_mapper.persistence.files import read_project
from tests.persistence.event_logs import FULL, HEADER, SMALL, synthetic_log, write_log


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


def test_the_queries_are_plain_sql_that_translates_for_each_engine() -> None:
    sql = aggregation_sql("events")
    assert set(sql) == {"flows", "steps", "entries", "touchpoints", "counts"}
    for text in [*sql.values(), *check_sql("parsed").values()]:
        assert "read_csv" not in text and "QUALIFY" not in text.upper()
        assert "rowid" not in text and "::" not in text
    parse = parse_sql("source", FULL, {}, seq="n")
    # PostgreSQL has no TRY_CAST: its session's guarded casts stand in.
    assert "TRY_CAST" not in for_engine(parse, POSTGRES).upper()
    assert "pg_temp.cx_mapper_try_timestamp(" in for_engine(parse, POSTGRES)
    # Spark has no "C" collation; its strings compare byte by byte already.
    assert "COLLATE" not in for_engine(sql["touchpoints"], SPARK).upper()
    assert 'COLLATE "C"' in for_engine(sql["touchpoints"], POSTGRES)


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


def test_directly_follows_counts_come_with_the_journey(tmp_path: Path) -> None:
    counts = read_event_log(write_log(tmp_path / "log.csv", SMALL), FULL).counts
    assert counts is not None
    assert dict(counts.pairs) == {("Ad", "Site"): 1, ("Ad", "Buy"): 1, ("Site", "Buy"): 1}
    assert dict(counts.starts) == {"Ad": 2, "Site": 1}
    assert dict(counts.ends) == {"Buy": 2, "Site": 1}


def test_a_generated_log_gives_its_exact_counts_and_true_probabilities(tmp_path: Path) -> None:
    log = synthetic_log(tmp_path, 20_000, touchpoints=8, formats=("csv", "parquet"))
    for kind in ("csv", "parquet"):
        result = read_event_log(tmp_path / f"log.{kind}", FULL_SYNTHETIC)
        assert result.counts is not None
        assert (dict(result.counts.pairs), dict(result.counts.starts),
                dict(result.counts.ends)) == (log.pairs, log.starts, log.ends)
        assert (result.events, result.customers) == (log.events, log.customers)
        journey = result.journey
        for i, source in enumerate(log.names):
            tp = journey.touchpoint(_slug(source))
            assert tp.entry == pytest.approx(log.entry[i], abs=0.015)
            for j, target in enumerate(log.names):
                key = (_slug(source), _slug(target))
                found = journey.transitions[key].probability if key in journey.transitions else 0
                assert found == pytest.approx(log.truth[i, j], abs=0.03)


FULL_SYNTHETIC = LogColumns(satisfaction="csat", public="public", revenue="revenue")

BOUNDED = """
import json, re, sys
from pathlib import Path
import duckdb
from cx_mapper.persistence import event_log

connect = duckdb.connect
duckdb.connect = lambda *a, config, **k: connect(*a, config={**config, "threads": 2}, **k)
result = event_log.read_event_log(sys.argv[1], memory_limit=sys.argv[2], skip_bad_rows=True)
print(json.dumps({
    # This process's peak (ru_maxrss would count the parent's pages from before exec).
    "rss_mb": int(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text())[1]) / 1024,
    "events": result.events, "customers": result.customers,
    "pairs": [[a, b, n] for (a, b), n in result.counts.pairs.items()],
    "skipped": [[b.reason, list(b.rows), b.count] for b in result.skipped],
}))
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory from /proc")
def test_a_large_log_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """About 600,000 events through a 64 MB DuckDB limit (2 threads): the typed rows and
    the per-customer sort do not fit, so DuckDB spills to its temporary folder. The
    process stays under 200 MB at its peak and the counts are exact, and bad rows at
    the end of the file still get their numbers in the file."""
    log = synthetic_log(tmp_path, 60_000, scores=False)
    path = tmp_path / "log.csv"
    with path.open("a", encoding="utf-8") as file:
        file.write("c1,not a time,Touchpoint 01\nc1,2026-01-01\n")
    done = subprocess.run([sys.executable, "-c", BOUNDED, str(path), "64MB"],
                          capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["events"], report["customers"]) == (log.events, log.customers)
    assert {(a, b): n for a, b, n in report["pairs"]} == log.pairs
    assert sorted(report["skipped"]) == sorted([
        ["a line without the header's 3 fields", [log.events + 2], 1],
        ["a timestamp that is missing or not a date and time", [log.events + 1], 1]])
    assert report["rss_mb"] < 200, report["rss_mb"]


def test_a_header_without_rows_has_no_usable_events(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("customer_id,timestamp,touchpoint\n", encoding="utf-8")
    with pytest.raises(ProjectFileError, match="log.csv: the log has no usable events"):
        read_event_log(path)


def test_lines_with_other_numbers_of_fields_are_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text("customer_id;timestamp;touchpoint\n"
                    "c1;2026-01-01 10:00;Ad\n"
                    "c1;2026-01-01 11:00\n"              # row 2: a field short
                    "c2;2026-01-01 10:00;Ad;Site\n"      # row 3: one too many
                    "c2;tomorrow;Site\n"                 # row 4: a bad timestamp
                    "c2;2026-01-02 10:00;Buy\n", encoding="utf-8")
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(path)
    assert "a line without the header's 3 fields: rows 2, 3" in str(caught.value)
    assert "not a date and time: row 4" in str(caught.value)
    result = read_event_log(path, skip_bad_rows=True)
    assert (result.events, result.customers) == (2, 2)
    assert result.counts is not None and dict(result.counts.pairs) == {}


def test_text_that_is_not_utf8_past_the_first_block_is_a_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    rows = "".join(f"c{i},2026-01-01 10:00,Ad\n" for i in range(5_000))
    path.write_bytes(b"customer_id,timestamp,touchpoint\n" + rows.encode()
                     + "c9,2026-01-01 10:00,Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(path)
    assert "a line that is not UTF-8 text: row 5001" in str(caught.value)
    assert read_event_log(path, skip_bad_rows=True).events == 5_000


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def test_words_that_some_engines_read_as_numbers_or_times_are_bad_rows(tmp_path: Path) -> None:
    rows = [["c1", "2026-01-01", "Ad", "4"], ["c2", "epoch", "Ad", "4"],
            ["c3", "infinity", "Ad", "4"], ["c4", "2026-01-01", "Ad", "nan"],
            ["c5", "2026-01-01", "Ad", "inf"]]
    path = write_log(tmp_path / "log.csv", rows, [*HEADER[:3], "csat"])
    with pytest.raises(ProjectFileError) as caught:
        read_event_log(path, LogColumns(satisfaction="csat"))
    assert "not a date and time: rows 2, 3" in str(caught.value)
    assert "satisfaction that is not a number: rows 4, 5" in str(caught.value)


def test_a_cancelled_import_stops_before_it_reads(tmp_path: Path) -> None:
    synthetic_log(tmp_path, 200)
    with pytest.raises(ImportCancelled, match="the import was cancelled"):
        read_event_log(tmp_path / "log.csv", FULL_SYNTHETIC, cancelled=lambda: True)


def test_cancelling_interrupts_the_running_import(tmp_path: Path) -> None:
    """Cancelled while DuckDB works through a large log: it stops, it does not run on."""
    import threading
    import time

    synthetic_log(tmp_path, 60_000)  # about 600,000 events
    stop = threading.Event()
    started = time.perf_counter()
    timer = threading.Timer(0.2, stop.set)
    timer.start()
    try:
        with pytest.raises(ImportCancelled):
            read_event_log(tmp_path / "log.csv", FULL_SYNTHETIC, cancelled=stop.is_set)
    finally:
        timer.cancel()
    stopped = time.perf_counter() - started
    whole = time.perf_counter()
    read_event_log(tmp_path / "log.csv", FULL_SYNTHETIC)
    whole = time.perf_counter() - whole
    assert stopped < whole  # the cancelled one gave up part of the way


def test_events_at_the_same_time_keep_the_order_of_a_large_file(tmp_path: Path) -> None:
    """A file big enough to be read on several threads (about 20 MB): every customer
    sees A, then later in the file B, both at the same time, so only the rows' order
    in the file says which came first. Every move is A -> B."""
    import duckdb

    path = tmp_path / "log.csv"
    customers = 300_000
    duckdb.execute(
        f"COPY (SELECT 'customer ' || (i % {customers}) AS customer_id, "
        "'2026-01-01 00:00:00' AS timestamp, CASE WHEN i < "
        f"{customers} THEN 'A' ELSE 'B' END AS touchpoint, 'yes' AS public "
        f"FROM range({2 * customers}) r(i) ORDER BY i) TO '{path}' (HEADER)")
    assert path.stat().st_size > 20_000_000
    result = read_event_log(path, LogColumns(public="public"))
    assert result.counts is not None
    assert dict(result.counts.pairs) == {("A", "B"): customers}
