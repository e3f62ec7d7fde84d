"""What a drift check reads from a log: the counts, each touchpoint's number of scores
and their variance, the same from a file and from a PostgreSQL table."""

from __future__ import annotations

import os
import statistics
import uuid
from pathlib import Path

import pytest

from cx_mapper.persistence.event_log import LogColumns, read_event_log
from cx_mapper.persistence.files import read_project
from tests.engine.log_maker import figures, walk, write_log

HOTEL = Path(__file__).parents[2] / "projects" / "hotel-stay.json"
PG_URL = os.environ.get("CX_MAPPER_TEST_PG_URL")
COLUMNS = LogColumns(satisfaction="csat")


def test_the_reader_gives_score_counts_and_variances(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("customer_id,timestamp,touchpoint,csat\n"
                   "a,2026-01-01 10:00,Ad,4\na,2026-01-02 10:00,Store,5\n"
                   "b,2026-01-01 11:00,Ad,2\nb,2026-01-03 09:00,Store,\n"
                   "c,2026-01-01 12:00,Ad,5\n", encoding="utf-8")
    result = read_event_log(log, COLUMNS, scale="csat")
    ad = next(t.id for t in result.journey.touchpoints.values() if t.name == "Ad")
    store = next(t.id for t in result.journey.touchpoints.values() if t.name == "Store")
    scores = [(s - 3) / 2 for s in (4, 2, 5)]  # CSAT on the model's -1..1
    assert result.scores[ad][0] == 3
    assert result.scores[ad][1] == pytest.approx(statistics.variance(scores))
    assert result.scores[store] == (1, None)  # one score has no variance


def test_the_log_maker_counts_as_the_reader_does(tmp_path: Path) -> None:
    journey = read_project(HOTEL).journeys[0]
    rows = walk(journey, 300, 1)
    result = read_event_log(write_log(tmp_path / "log.csv", rows), COLUMNS, scale="csat")
    made = figures(journey, rows)
    assert result.counts is not None
    assert dict(result.counts.pairs) == dict(made.pairs)
    assert dict(result.counts.starts) == dict(made.starts)
    assert dict(result.counts.ends) == dict(made.ends)
    by_name = {t.name: t.id for t in result.journey.touchpoints.values()}
    for touchpoint in made.estimated.touchpoints.values():
        count, variance = result.scores[by_name[touchpoint.name]]
        assert (count, variance) == pytest.approx(made.scores[touchpoint.id])


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_drift_reads_an_events_table_like_a_file(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import create_engine, text

    from cx_mapper.cli import main

    assert PG_URL is not None
    journey = read_project(HOTEL).journeys[0]
    rows = walk(journey, 400, 2, probabilities={("hotel_site", "book_direct"): 0.02})
    log = write_log(tmp_path / "log.csv", rows)
    table = f"events_{uuid.uuid4().hex[:10]}"
    engine = create_engine(PG_URL)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE TABLE "{table}" (customer_id text, '
                              "timestamp timestamp, touchpoint text, csat integer)"))
            conn.execute(text(f'INSERT INTO "{table}" VALUES (:c, :t, :p, :s)'),
                         [{"c": c, "t": t, "p": p, "s": s} for c, t, p, s in rows])
        outputs = []
        for source in (["--log", str(log)], ["--log", PG_URL, "--table", table]):
            code = main(["drift", str(HOTEL), *source, "--json"])
            outputs.append((code, capsys.readouterr().out))
        assert outputs[0][0] == outputs[1][0] == 0
        file_json, table_json = (o[1].replace(str(log), "X").replace(f"the table {table}", "X")
                                 for o in outputs)
        assert file_json == table_json
        assert '"touchpoint": "hotel_site"' in file_json
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP TABLE IF EXISTS "{table}"'))
        engine.dispose()
