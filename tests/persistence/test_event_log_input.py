"""Damaged and unusual input to the event-log and path readers: each kind the fuzzing
found is a bad row or one clear refusal naming the file, never a wrong journey."""

from __future__ import annotations

import gzip
import math
import os
import threading
from datetime import datetime
from pathlib import Path

import pytest

from cx_mapper.domain.ranges import VALUE_LIMIT
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import LogColumns, read_event_log
from cx_mapper.persistence.path_data import read_path_data
from cx_mapper.persistence.team_store import TeamStore, mask_password
from tests.persistence.event_logs import FULL, HEADER, SMALL, write_log, write_parquet

PATHS_HEADER = "path;total_conversions;total_conversion_value;total_null"
SCORES = LogColumns(satisfaction="csat", revenue="revenue")
DAY = datetime(2026, 1, 1)


def log_text(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(["customer_id,timestamp,touchpoint", *lines]) + "\n",
                    encoding="utf-8")
    return path


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(ProjectFileError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


# -- typed Parquet: NaN, infinities and absurd numbers ---------------------------------
@pytest.mark.parametrize("score", [math.nan, math.inf, -math.inf])
def test_nan_and_infinite_scores_in_parquet_are_bad_rows(tmp_path: Path, score: float) -> None:
    log = write_parquet(tmp_path / "log.parquet", [
        ("c1", DAY.replace(hour=10), "Ad", 3.0, None),
        ("c1", DAY.replace(hour=11), "Site", score, None),
        ("c1", DAY.replace(hour=12), "Buy", 4.0, 10.0)])
    message = refusal(read_event_log, log, SCORES)
    assert "a satisfaction that is not a number: row 2" in message
    assert "field 'csat'" in message
    result = read_event_log(log, SCORES, skip_bad_rows=True)
    assert (result.events, result.scale) == (2, "csat")


def test_a_huge_revenue_is_a_bad_row_of_the_log_not_an_error_of_the_output(
        tmp_path: Path) -> None:
    log = write_log(tmp_path / "log.csv", [
        ["c1", "2026-01-01 10:00", "Ad", "4", "no", "1.7e308", "Awareness"],
        ["c2", "2026-01-01 10:00", "Ad", "4", "no", "1.7e308", "Awareness"],
        *SMALL])
    message = refusal(read_event_log, log, FULL)
    assert f"a revenue beyond ±{VALUE_LIMIT:g}: rows 1, 2" in message
    assert message.startswith(f"{log}: field 'revenue'")
    result = read_event_log(log, FULL, skip_bad_rows=True)
    assert all(abs(t.value) <= VALUE_LIMIT for t in result.journey.touchpoints.values())
    parquet = write_parquet(tmp_path / "log.parquet", [
        ("c1", DAY, "Ad", 3.0, 1e300), ("c1", DAY.replace(hour=1), "Buy", 3.0, -2e9)])
    assert "a revenue beyond ±1e+09: rows 1, 2" in refusal(read_event_log, parquet, SCORES)


# -- what the file is --------------------------------------------------------------------
def test_a_folder_is_refused_as_a_log_and_as_paths(tmp_path: Path) -> None:
    assert refusal(read_event_log, tmp_path) == f"{tmp_path}: is a folder, not an event log"
    assert refusal(read_path_data, tmp_path) == f"{tmp_path}: is a folder, not a file of paths"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    pipe = tmp_path / "log.csv"
    os.mkfifo(pipe)
    outcome: list[str] = []
    for reader in (read_event_log, read_path_data):
        worker = threading.Thread(target=lambda r=reader: outcome.append(refusal(r, pipe)),
                                  daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "the reader waited on the pipe"
    assert all("is not a regular file" in text for text in outcome) and len(outcome) == 2


def test_gzip_logs_and_paths_are_read_like_plain_ones(tmp_path: Path) -> None:
    plain = write_log(tmp_path / "log.csv", SMALL)
    packed = tmp_path / "log.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_event_log(packed, FULL).journey == read_event_log(plain, FULL).journey
    renamed = tmp_path / "gzip-inside.csv"  # gzip content under a plain name
    renamed.write_bytes(packed.read_bytes())
    assert read_event_log(renamed, FULL).events == 6
    paths = tmp_path / "paths.csv.gz"
    paths.write_bytes(gzip.compress(f"{PATHS_HEADER}\nA > B;1;10;2\n".encode()))
    assert read_path_data(paths).paths == 1
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed.read_bytes()[:30])
    assert "cannot be unpacked" in refusal(read_event_log, cut)


# -- lines ----------------------------------------------------------------------------------
def test_an_over_long_line_is_a_bad_row_that_can_be_skipped(tmp_path: Path) -> None:
    log = log_text(tmp_path / "log.csv", ["c1,2026-01-01 10:00,Ad",
                                          "c1,2026-01-01 11:00," + "x" * 2_500_000,
                                          "c1,2026-01-01 12:00,Buy"])
    assert "a line longer than 2,000,000 bytes: row 2" in refusal(read_event_log, log)
    result = read_event_log(log, skip_bad_rows=True)
    assert (result.events, sum(b.count for b in result.skipped)) == (2, 1)
    assert {t.name for t in result.journey.touchpoints.values()} == {"Ad", "Buy"}
    paths = tmp_path / "paths.csv"
    paths.write_text(f"{PATHS_HEADER}\nA;1;0;{'9' * 2_500_000}\nB;1;0;1\n", encoding="utf-8")
    assert "a line longer than 2,000,000 bytes: row 1" in refusal(read_path_data, paths)
    assert read_path_data(paths, skip_bad_rows=True).paths == 1


def test_an_unclosed_quote_is_never_part_of_a_touchpoint_name(tmp_path: Path) -> None:
    last = log_text(tmp_path / "last.csv", ["c1,2026-01-01 10:00,Site",
                                            'c1,2026-01-01 11:00,"Open'])
    message = refusal(read_event_log, last)
    assert "a stray quote in column 'touchpoint'" in message and "row 2" in message
    assert [t.name for t in read_event_log(last, skip_bad_rows=True)
            .journey.touchpoints.values()] == ["Site"]
    # Opened early, the quote swallows the lines after it: skipping would lose them.
    early = log_text(tmp_path / "early.csv", ['c1,2026-01-01 10:00,"Open',
                                              "c1,2026-01-01 11:00,Site",
                                              "c2,2026-01-01 11:00,Site"])
    for skip in (False, True):
        message = refusal(read_event_log, early, skip_bad_rows=skip)
        assert "row 1 in column 'touchpoint': a quote is opened and not closed" in message
    closed_late = log_text(tmp_path / "late.csv", ['c1,2026-01-01 10:00,"Open',
                                                   'c1,2026-01-01 11:00,Site"',
                                                   "c2,2026-01-01 11:00,Site"])
    assert "row 1: a quoted value runs over several lines" in refusal(
        read_event_log, closed_late, skip_bad_rows=True)
    paths = tmp_path / "paths.csv"
    paths.write_text(f'{PATHS_HEADER}\n"A > B;1;0;0\nC;1;0;1\n', encoding="utf-8")
    assert "a quote is opened and not closed" in refusal(read_path_data, paths,
                                                         skip_bad_rows=True)


def test_a_value_over_lines_is_refused_far_into_a_file_and_packed(tmp_path: Path) -> None:
    # The scan for line breaks is skipped only for a plain file with no quote at all.
    rows = [f"c{i},2026-01-01 10:00,Site" for i in range(30_000)]
    rows[-2:] = ['c1,2026-01-01 10:00,"Open', 'c1,2026-01-01 11:00,Site"']
    late = log_text(tmp_path / "late.csv", rows)
    assert "row 29999: a quoted value runs over several lines" in refusal(read_event_log, late)
    packed = tmp_path / "late.csv.gz"
    packed.write_bytes(gzip.compress(late.read_bytes()))
    assert "row 29999: a quoted value runs over several lines" in refusal(read_event_log,
                                                                           packed)


def test_a_header_is_read_as_written(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("customer_id;timestamp;touchpoint;touchpoint\n"
                   "c1;2026-01-01 10:00;Ad;x\nc1;2026-01-01 11:00;Buy;y\n", encoding="utf-8")
    assert read_event_log(log).events == 2  # the repeated column is touchpoint_1
    assert HEADER[0] == "customer_id"


# -- path counts ------------------------------------------------------------------------------
@pytest.mark.parametrize(("row", "expected"), [
    ("A;1e300;0;0", "a total_conversions above 1e+09: row 1"),
    ("A;1;0;2e9", "a total_null above 1e+09: row 1"),
    ("A;1;1e300;0", "a total_conversion_value beyond ±1e+09 per conversion: row 1"),
    ("A;1;0;-inf", "a total_null that is not a number of 0 or more: row 1"),
])
def test_absurd_path_counts_are_bad_rows(tmp_path: Path, row: str, expected: str) -> None:
    paths = tmp_path / "paths.csv"
    paths.write_text(f"{PATHS_HEADER}\n{row}\nB;1;5;1\n", encoding="utf-8")
    assert expected in refusal(read_path_data, paths)
    assert read_path_data(paths, skip_bad_rows=True).paths == 1


# -- store URLs ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql://u:Zq7x@host:abc/db", "has a port that is not a number"),
    ("postgresql://u:Zq7x@host:99999/db", "has the port 99999"),
    ("postgresql+nosuch://u:Zq7x@host/db", "names the driver 'postgresql+nosuch'"),
    ("postgresql://u:Zq@7x@host/db", "must be percent-encoded"),
    ("postgresql://u:Zq@7x:9@host/db", "must be percent-encoded"),
])
def test_a_malformed_store_url_is_bad_input_and_hides_the_password(url: str,
                                                                   expected: str) -> None:
    message = refusal(TeamStore, url)
    assert expected in message
    assert "Zq" not in message and "7x" not in message
    assert "u:***@" in message


def test_masking_hides_every_part_of_a_password() -> None:
    assert mask_password("postgresql://u:p@ss@h/db") == "postgresql://u:***@h/db"
    assert mask_password("postgresql://h/db?password=zz&x=1") == \
        "postgresql://h/db?password=***&x=1"
    assert mask_password("postgresql://u@h/db") == "postgresql://u@h/db"


def test_numbers_and_times_only_some_engines_read_are_bad_rows(tmp_path: Path) -> None:
    """One pattern decides what a number and a date and time are, on DuckDB as on Spark
    and PostgreSQL: "3d" and "2026" (Spark reads them), "1_000", "2026/01/05",
    "24:00" and a year before 1 (DuckDB read them) are bad rows, also in the shape
    of a plain date and time; ISO dates, times and zones are read. DuckDB trims the
    spaces it knows beyond ASCII as well."""
    rows = [["a", "2026-01-05", "Ad", "4"], ["a", "2026-01-05T10:30:00.5Z", "Site", "+4.5"],
            ["a", "2026-01-05 11:00+02:00", "\u00a0Buy\u3000", "1e0"],
            ["b", "2026", "Ad", "4"], ["b", "2026/01/05", "Ad", "4"],
            ["b", "2026-01-05 24:00", "Ad", "4"], ["b", "2026-01-05 24:00:00", "Ad", "4"],
            ["b", "-999-01-05 10:00:00", "Ad", "4"], ["b", "2026-01-05", "Ad", "3d"],
            ["b", "2026-01-05", "Ad", "1_000"]]
    path = write_log(tmp_path / "odd.csv", rows, ["customer_id", "timestamp", "touchpoint",
                                                  "csat"])
    message = refusal(read_event_log, path, LogColumns(satisfaction="csat"))
    assert "not a date and time: rows 4, 5, 6, 7, 8;" in message
    assert "satisfaction that is not a number: rows 9, 10." in message
    result = read_event_log(path, LogColumns(satisfaction="csat"), skip_bad_rows=True)
    assert (result.events, list(result.journey.transitions)) == (3, [("ad", "site"),
                                                                     ("site", "buy")])


@pytest.mark.parametrize("column", HEADER)
def test_spaces_around_any_value_give_the_journey_of_the_clean_log(tmp_path: Path,
                                                                   column: str) -> None:
    """The log is first read with its text as it is and read again, trimmed, when some
    text has spaces around it: padded values in any column, in a log without bad rows,
    give the journey of the clean log (not a touchpoint " Site", a score that is no
    number, a public "yes " read as not public, or " c1 " another customer than c1)."""
    clean = read_event_log(write_log(tmp_path / "clean.csv", SMALL), FULL)
    at = HEADER.index(column)
    for padding in (" {} ", "\u00a0{}\u3000"):
        rows = [list(row) for row in SMALL]
        for row in rows[::2]:  # every other row, so " c1 " and "c1" are both there
            if row[at]:
                row[at] = padding.format(row[at])
        padded = read_event_log(write_log(tmp_path / "padded.csv", rows), FULL)
        assert padded.journey == clean.journey, (column, padding)
        assert (padded.events, padded.customers, padded.skipped) == \
            (clean.events, clean.customers, ())


@pytest.mark.parametrize("score", [".", "+", "-", "e", "a", "/", ":", "٣"])
def test_a_score_of_one_character_other_than_a_digit_is_a_bad_row(tmp_path: Path,
                                                                   score: str) -> None:
    """A one-character score is read as a digit or not at all (the rest of the scores
    are digits, so nothing else flags the log for a careful second reading)."""
    rows = [list(row) for row in SMALL]
    rows[1][3] = score
    message = refusal(read_event_log, write_log(tmp_path / "log.csv", rows), FULL)
    assert "a satisfaction that is not a number: row 2." in message
    assert read_event_log(write_log(tmp_path / "digits.csv", SMALL), FULL).scale == "csat"
