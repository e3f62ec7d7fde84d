"""Event logs in a PostgreSQL table: the same SQL as a file import, run in the database.

Uses the server .ci/run starts (CX_MAPPER_TEST_PG_URL); skipped without one.
"""

from __future__ import annotations

import math
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import ImportedLog, LogColumns, read_event_log
from cx_mapper.persistence.event_store import read_event_table
from tests.persistence.event_logs import (
    FULL,
    HEADER,
    SMALL,
    known_delays,
    synthetic_log,
    write_log,
)

URL = os.environ.get("CX_MAPPER_TEST_PG_URL")
if URL is None:
    if os.environ.get("CI"):
        raise RuntimeError("CX_MAPPER_TEST_PG_URL is not set: .ci/run starts PostgreSQL")
    pytest.skip("no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)", allow_module_level=True)

SYNTHETIC = LogColumns(satisfaction="csat", public="public", revenue="revenue")


@pytest.fixture
def engine() -> Iterator[Engine]:
    assert URL is not None
    engine = create_engine(URL)
    yield engine
    engine.dispose()


@pytest.fixture
def table(engine: Engine) -> Iterator[str]:
    name = f"events_{uuid.uuid4().hex[:10]}"
    yield name
    with engine.begin() as conn:
        conn.execute(text(f'DROP TABLE IF EXISTS "{name}"'))


def load(engine: Engine, table: str, columns: str, path: Path) -> None:
    """CREATE TABLE table (columns), then COPY the CSV file into it, in file order."""
    with engine.begin() as conn:
        conn.execute(text(f'CREATE TABLE "{table}" ({columns})'))
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(  # type: ignore[attr-defined]
                f'COPY "{table}" FROM STDIN (FORMAT csv, HEADER true)') as copy, \
                path.open("rb") as file:
            while data := file.read(1 << 20):
                copy.write(data)
        raw.commit()
    finally:
        raw.close()


def assert_same(found: ImportedLog, expected: ImportedLog) -> None:
    """Counts, ids, order and probabilities exactly; means to 1e-12 (summation order)."""
    assert (found.events, found.customers, found.scale, found.skipped) == \
        (expected.events, expected.customers, expected.scale, expected.skipped)
    assert found.counts == expected.counts
    a, b = found.journey, expected.journey
    assert list(a.touchpoints) == list(b.touchpoints)
    assert (a.stages, a.channels) == (b.stages, b.channels)
    assert {k: t.probability for k, t in a.transitions.items()} == \
        {k: t.probability for k, t in b.transitions.items()}
    for key, mine in a.touchpoints.items():
        theirs = b.touchpoints[key]
        assert (mine.name, mine.stage, mine.channel, mine.entry) == \
            (theirs.name, theirs.stage, theirs.channel, theirs.entry)
        for field in ("satisfaction", "visibility", "value"):
            assert math.isclose(getattr(mine, field), getattr(theirs, field),
                                rel_tol=1e-12, abs_tol=1e-12), (key, field)
        # The evidence an import records: the same counts, the same spread.
        assert list(mine.evidence) == list(theirs.evidence)
        assert mine.evidence["departures"] == theirs.evidence["departures"]
        if "satisfaction" in mine.evidence:
            ours, other = mine.evidence["satisfaction"], theirs.evidence["satisfaction"]
            assert ours.n == other.n and ours.sd is not None and other.sd is not None
            assert math.isclose(ours.sd, other.sd, rel_tol=1e-9, abs_tol=1e-12)
    assert {k: t.evidence for k, t in a.transitions.items()} == \
        {k: t.evidence for k, t in b.transitions.items()}


@pytest.mark.parametrize("types", [
    "customer_id text, timestamp timestamp, touchpoint text, csat smallint, public text, "
    "revenue double precision",
    "customer_id text, timestamp text, touchpoint text, csat text, public text, revenue text",
], ids=["typed", "text"])
def test_a_table_gives_the_journey_of_the_same_log_as_csv(
        tmp_path: Path, engine: Engine, table: str, types: str) -> None:
    log = synthetic_log(tmp_path, 20_000, touchpoints=12, seed=3)
    load(engine, table, types, tmp_path / "log.csv")
    assert URL is not None
    found = read_event_table(URL, table, SYNTHETIC, journey_id="j", journey_name="J")
    expected = read_event_log(tmp_path / "log.csv", SYNTHETIC, journey_id="j",
                              journey_name="J")
    assert_same(found, expected)
    assert found.counts is not None and dict(found.counts.pairs) == log.pairs


def test_bad_rows_name_the_table_and_rows_and_can_be_skipped(
        tmp_path: Path, engine: Engine, table: str) -> None:
    rows = [*SMALL, ["", "2026-01-01", "Ad", "3", "", "", ""],
            ["c9", "yesterday", "Ad", "3", "", "", ""],
            ["c9", "2026-01-01", "Ad", "great", "", "", ""],
            # Two events at the same time: the load order decides, as a file's order does.
            ["c4", "2026-01-07 10:00", "Site", "3", "1", "", "Consideration"],
            ["c4", "2026-01-07 10:00", "Ad", "3", "1", "", "Awareness"]]
    path = write_log(tmp_path / "bad.csv", rows)
    load(engine, table, ", ".join(f"{c} text" for c in HEADER), path)
    assert URL is not None
    with pytest.raises(ProjectFileError) as caught:
        read_event_table(URL, table, FULL)
    message = str(caught.value)
    assert f"table {table}" in message and "no customer id: row 7" in message
    assert "not a date and time: row 8" in message
    assert "satisfaction that is not a number: row 9" in message
    assert "postgresql" in message and "--skip-bad-rows" in message
    found = read_event_table(URL, table, FULL, skip_bad_rows=True)
    assert_same(found, read_event_log(path, FULL, skip_bad_rows=True))
    assert ("site", "ad") in found.journey.transitions


def test_a_missing_column_or_table_is_named(engine: Engine, table: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(f'CREATE TABLE "{table}" (customer_id text, ts timestamp, '
                          "touchpoint text)"))
    assert URL is not None
    with pytest.raises(ProjectFileError) as caught:
        read_event_table(URL, table)
    assert "there is no column 'timestamp' for the timestamp" in str(caught.value)
    assert caught.value.field == "timestamp" and table in str(caught.value)
    with pytest.raises(ProjectFileError, match="the log has no usable events"):
        read_event_table(URL, table, LogColumns(timestamp="ts"))
    with pytest.raises(ProjectFileError, match="there is no table or view 'nowhere'"):
        read_event_table(URL, "nowhere")


def test_a_password_in_the_url_is_not_shown(engine: Engine, table: str) -> None:
    assert URL is not None
    with engine.begin() as conn:
        conn.execute(text(f'CREATE TABLE "{table}" (customer_id text)'))
    url = URL.replace("postgres@", "postgres:hunter2@", 1)
    with pytest.raises(ProjectFileError) as caught:
        read_event_table(url, table)
    assert "hunter2" not in str(caught.value) and "***" in str(caught.value)



def test_a_column_can_give_the_row_order(engine: Engine, table: str) -> None:
    """Events at the same time follow the row order: storage order, or a named column."""
    with engine.begin() as conn:
        conn.execute(text(f'CREATE TABLE "{table}" (n integer, customer_id text, '
                          "timestamp timestamp, touchpoint text)"))
        conn.execute(text(f'INSERT INTO "{table}" VALUES (2, \'c1\', \'2026-01-01\', \'Buy\'), '
                          "(1, 'c1', '2026-01-01', 'Ad')"))
    assert URL is not None
    stored = read_event_table(URL, table).journey.transitions
    numbered = read_event_table(URL, table, row_order="n").journey.transitions
    assert list(stored) == [("buy", "ad")] and list(numbered) == [("ad", "buy")]
    with pytest.raises(ProjectFileError, match="no column 'm' for the row order"):
        read_event_table(URL, table, row_order="m")


def test_times_are_the_same_as_a_files(engine: Engine, table: str, tmp_path: Path) -> None:
    """log_times' SQL on PostgreSQL: the medians and 90th percentiles of DuckDB."""
    path = known_delays(tmp_path / "log.csv")
    load(engine, table, "customer_id text, timestamp timestamp, touchpoint text, stage text",
         path)
    assert URL is not None
    found = read_event_table(URL, table, LogColumns(stage="stage"))
    expected = read_event_log(path, LogColumns(stage="stage"))
    assert found.times is not None and expected.times is not None
    for mine, theirs in ((found.times.transitions, expected.times.transitions),
                         (found.times.stages, expected.times.stages)):
        assert mine.keys() == theirs.keys()
        for key, times in mine.items():
            assert times.count == theirs[key].count
            assert math.isclose(times.median, theirs[key].median, rel_tol=1e-12)
            assert math.isclose(times.p90, theirs[key].p90, rel_tol=1e-12)
