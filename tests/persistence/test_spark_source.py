"""Event logs read by Apache Spark: the same queries as DuckDB's and PostgreSQL's, the
same counts to the event.

One local Spark session serves every test (the `spark` fixture in tests/conftest.py);
skipped without pyspark or Java, except in CI. The PostgreSQL comparison uses the
server .ci/run starts (CX_MAPPER_TEST_PG_URL) and is skipped without one.
"""

from __future__ import annotations

import math
import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import ImportedLog, LogColumns, read_event_log
from cx_mapper.persistence.spark_source import read_spark_events
from tests.persistence.event_logs import MIXED, MIXED_HEADER, known_delays, mixed_log, write_log

PG_URL = os.environ.get("CX_MAPPER_TEST_PG_URL")


def figures(result: ImportedLog) -> dict[str, Any]:
    """Everything a user sees of an import, by touchpoint name: counts exactly, means
    rounded past the last bits that the engines' order of summing may change."""
    journey = result.journey
    names = {key: t.name for key, t in journey.touchpoints.items()}
    stages = {s.id: s.name for s in journey.stages}
    channels = {c.id: c.name for c in journey.channels}
    assert result.counts is not None
    return {
        "events": result.events, "customers": result.customers, "scale": result.scale,
        "skipped": result.skipped, "pairs": dict(result.counts.pairs),
        "starts": dict(result.counts.starts), "ends": dict(result.counts.ends),
        "order": list(names.values()),
        "touchpoints": {t.name: (round(t.satisfaction, 12), round(t.visibility, 12),
                                 round(t.value, 9), stages.get(t.stage or ""),
                                 channels.get(t.channel or ""), round(t.entry, 12))
                        for t in journey.touchpoints.values()},
        "transitions": {(names[a], names[b]): t.probability
                        for (a, b), t in journey.transitions.items()},
        "measured": result.measured_for(),
        # The evidence an import records: counts exactly, the spread rounded.
        "evidence": {t.name: {field: (e.kind, e.n, None if e.sd is None else round(e.sd, 9))
                              for field, e in t.evidence.items()}
                     for t in journey.touchpoints.values()},
        "counted": {(names[a], names[b]): t.evidence
                    for (a, b), t in journey.transitions.items()},
    }


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return mixed_log(tmp_path_factory.mktemp("spark") / "mixed.csv", 3000)


@pytest.fixture(scope="module")
def by_duckdb(log: Path) -> ImportedLog:
    return read_event_log(log, MIXED, skip_bad_rows=True)


def test_spark_reads_a_log_with_the_counts_duckdb_gives(
        spark: Any, log: Path, by_duckdb: ImportedLog) -> None:
    """Pairs, entries, exits, visits, bad rows by kind and row, means, stages and
    channels (the byte-wise least of mixed-case, accented names) all agree. The file
    is read in several parts, as a big one would be, and its rows keep their numbers."""
    spark.conf.set("spark.sql.files.maxPartitionBytes", "32k")
    try:
        found = read_spark_events(MIXED, path=str(log), session=spark, skip_bad_rows=True)
        assert spark.read.csv(str(log)).rdd.getNumPartitions() > 2
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    assert figures(found) == figures(by_duckdb)
    kinds = {bad.reason for bad in found.skipped}
    assert {"no customer id", "no touchpoint", "a satisfaction that is not a number",
            "a timestamp that is missing or not a date and time"} <= kinds
    assert len(found.journey.touchpoints) == 10  # "Ad" and "ad" stay two touchpoints
    # Means of doubles on every engine (a decimal 1.0 would average to six places on Spark).
    for key, mine in found.journey.touchpoints.items():
        theirs = by_duckdb.journey.touchpoints[key]
        for field in ("satisfaction", "visibility", "value"):
            assert math.isclose(getattr(mine, field), getattr(theirs, field),
                                rel_tol=1e-13, abs_tol=1e-13), (key, field)


def test_a_spark_table_gives_the_same_journey_and_messages(
        spark: Any, log: Path, by_duckdb: ImportedLog) -> None:
    """A table of the session's catalog: the same figures, and without --skip-bad-rows
    the same message as the file's, naming the table instead."""
    frame = spark.read.options(header="true", escape='"').csv(str(log))
    frame.createOrReplaceTempView("mixed_events")
    try:
        found = read_spark_events(MIXED, table="mixed_events", session=spark,
                                  skip_bad_rows=True)
        assert figures(found) == figures(by_duckdb)
        with pytest.raises(ProjectFileError) as by_spark:
            read_spark_events(MIXED, table="mixed_events", session=spark)
        with pytest.raises(ProjectFileError) as by_file:
            read_event_log(log, MIXED)
        assert str(by_spark.value) == str(by_file.value).replace(
            str(log), "Spark table mixed_events")
        assert by_spark.value.field == by_file.value.field
    finally:
        spark.catalog.dropTempView("mixed_events")


def test_typed_columns_and_parquet_read_as_text_would_be(
        spark: Any, tmp_path: Path) -> None:
    """Timestamps, numbers and booleans typed by the source, as Parquet has them."""
    rows = [["a", "2026-01-01 10:00:00", "Ad", "4", "true", "10.5", "Awareness", "Web"],
            ["a", "2026-01-01 10:00:00", "Site", "5", "false", "", "Évaluation", "web"],
            ["b", "2026-01-02 09:00:00", "Site", "2", "true", "3", "évaluation", "Web"],
            ["b", "2026-01-03 09:00:00", "Ad", "3", "false", "", "Awareness", "Émail"]]
    text = write_log(tmp_path / "typed.csv", rows, MIXED_HEADER)
    spark.read.options(header="true").csv(str(text)).selectExpr(
        "customer_id", "CAST(timestamp AS TIMESTAMP) AS timestamp", "touchpoint",
        "CAST(csat AS INT) AS csat", "CAST(public AS BOOLEAN) AS public",
        "CAST(revenue AS DECIMAL(10, 2)) AS revenue", "stage", "channel",
    ).coalesce(1).write.parquet(str(tmp_path / "typed.parquet"))
    found = read_spark_events(MIXED, path=str(tmp_path / "typed.parquet"), session=spark)
    assert figures(found) == figures(read_event_log(text, MIXED))
    assert list(found.journey.transitions) == [("ad", "site"), ("site", "ad")]


def test_a_missing_table_column_or_file_is_named(spark: Any, log: Path,
                                                 tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match="there is no table or view 'nowhere'"):
        read_spark_events(table="nowhere", session=spark)
    with pytest.raises(ProjectFileError) as caught:
        read_spark_events(LogColumns(timestamp="when"), path=str(log), session=spark)
    assert "there is no column 'when' for the timestamp" in str(caught.value)
    assert caught.value.field == "when"
    with pytest.raises(ProjectFileError) as caught:
        read_spark_events(path=str(tmp_path / "gone.csv"), session=spark)
    assert str(caught.value).startswith(f"{tmp_path / 'gone.csv'}: cannot read the events")
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_postgresql_gives_the_same_counts_as_duckdb_and_spark(
        log: Path, by_duckdb: ImportedLog) -> None:
    """The third engine on the same rows, loaded as text in file order."""
    from sqlalchemy import create_engine, text

    from cx_mapper.persistence.event_store import read_event_table

    assert PG_URL is not None
    table = f"events_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE TABLE "{table}" ('
                              + ", ".join(f"{c} text" for c in MIXED_HEADER) + ")"))
        raw = engine.raw_connection()
        try:
            with raw.cursor().copy(  # type: ignore[attr-defined]
                    f'COPY "{table}" FROM STDIN (FORMAT csv, HEADER true)') as copy:
                copy.write(log.read_bytes())
            raw.commit()
        finally:
            raw.close()
        found = read_event_table(PG_URL, table, MIXED, skip_bad_rows=True)
        assert figures(found) == figures(by_duckdb)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()


def test_spark_gives_the_times_duckdb_gives(spark: Any, tmp_path: Path) -> None:
    """log_times on Spark: exact percentiles (not Spark's approximate ones), the same
    medians and 90th percentiles per transition and stage as DuckDB."""
    path = known_delays(tmp_path / "delays.csv")
    columns = LogColumns(stage="stage")
    found = read_spark_events(columns, path=str(path), session=spark)
    expected = read_event_log(path, columns)
    assert found.times is not None and expected.times is not None
    for mine, theirs in ((found.times.transitions, expected.times.transitions),
                         (found.times.stages, expected.times.stages)):
        assert mine.keys() == theirs.keys()
        for key, times in mine.items():
            assert times.count == theirs[key].count
            assert math.isclose(times.median, theirs[key].median, rel_tol=1e-12)
            assert math.isclose(times.p90, theirs[key].p90, rel_tol=1e-12)
    assert math.isclose(found.times.transitions[("A", "B")].p90, 90.1 * 60, rel_tol=1e-12)
