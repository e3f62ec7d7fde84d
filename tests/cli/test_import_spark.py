"""`cx-mapper import-log --spark MASTER` and `--spark-table T`: the journey of the same
log as a file import, read by Apache Spark.

The Spark runs share the test session's local Spark (the `spark` fixture), which the
command finds running; the argument checks and a missing pyspark need no Spark.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.cli import main
from cx_mapper.persistence.event_log import read_event_log
from cx_mapper.persistence.files import read_project
from tests.persistence.event_logs import MIXED, mixed_log

COLUMNS = ["--public", "public", "--revenue", "revenue", "--stage", "stage", "--channel",
           "channel"]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_a_spark_table_and_a_file_read_by_spark_give_the_file_import_s_journey(
        spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = mixed_log(tmp_path / "events.csv", 400, seed=11)
    expected = read_event_log(log, MIXED, skip_bad_rows=True)
    spark.read.options(header="true", escape='"').csv(str(log)) \
        .createOrReplaceTempView("web_events")
    try:
        by_table = tmp_path / "table.json"
        code, printed, err = run(["import-log", "--spark-table", "web_events", *COLUMNS,
                                  "--skip-bad-rows", "-o", str(by_table)], capsys)
        assert code == 0, err
        assert printed.startswith(f"Wrote {by_table}: {expected.events:,} events of "
                                  f"{expected.customers:,} customers")
        assert "Skipped no customer id: rows" in err
    finally:
        spark.catalog.dropTempView("web_events")
    by_file = tmp_path / "file.json"
    code, printed, err = run(["import-log", str(log), "--spark", "local[1]", *COLUMNS,
                              "--skip-bad-rows", "-o", str(by_file)], capsys)
    assert code == 0, err
    for written in (by_table, by_file):
        journey = read_project(written).journeys[0]
        assert {k: t.probability for k, t in journey.transitions.items()} == {
            k: t.probability for k, t in expected.journey.transitions.items()}
        assert [(t.name, t.entry, t.stage, t.channel) for t in journey.touchpoints.values()] \
            == [(t.name, t.entry, t.stage, t.channel)
                for t in expected.journey.touchpoints.values()]
    assert read_project(by_table).name == "web_events"


@pytest.mark.parametrize(("argv", "says"), [
    (["import-log", "-o", "o.json"], "import-log needs FILE, the event log (or --spark-table"),
    (["import-log", "log.csv", "--spark-table", "t", "-o", "o.json"],
     "give no FILE and no --table with it"),
    (["import-log", "postgresql://u@h/db", "--spark", "local[1]", "-o", "o.json"],
     "a database URL is read with --table"),
])
def test_spark_arguments_that_do_not_fit_are_bad_input(
        capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2 and err.count("\n") == 1 and says in err, err


def test_without_pyspark_spark_is_one_line_naming_the_extra(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark fails
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    code, _, err = run(["import-log", "--spark-table", "events", "-o",
                        str(tmp_path / "o.json")], capsys)
    assert code == 2 and err.count("\n") == 1, err
    assert "pip install 'cx-mapper[spark]'" in err and "Spark table events" in err
