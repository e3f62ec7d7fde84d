"""What the times between touchpoints and in stages cost an event-log import.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_log_times_speed.py -s`.
On the synthetic log of test_event_log_speed (100,000 customers, about 1M events),
with a stage column added (each touchpoint in one of five stages), it times in one
DuckDB connection the query that orders each customer's events for the transition
counts (`flows`, the baseline every import runs) and the two time queries
(log_times), each the best of three, and prints them with their ratio to the
baseline. It never fails on a slow machine.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

from cx_mapper.persistence.event_queries import aggregation_sql
from cx_mapper.persistence.log_times import times_sql
from tests.persistence.event_logs import synthetic_log


@pytest.mark.benchmark
def test_log_times_speed() -> None:
    import duckdb

    with tempfile.TemporaryDirectory() as folder:
        synthetic_log(Path(folder), 100_000, formats=("parquet",), scores=False)
        conn = duckdb.connect()
        conn.execute(
            "CREATE TABLE events AS SELECT customer_id AS customer, timestamp AS ts, "
            "touchpoint, 'Stage ' || (hash(touchpoint) % 5) AS stage, "
            "file_row_number AS seq "
            f"FROM read_parquet('{folder}/log.parquet', file_row_number = true)")
        events = conn.execute("SELECT COUNT(*) FROM events").fetchall()[0][0]
        queries = {"flows (baseline)": aggregation_sql("events")["flows"],
                   **{f"times: {name}": sql for name, sql in times_sql("events").items()}}
        best: dict[str, float] = {}
        for name, sql in queries.items():
            for _ in range(3):
                start = time.perf_counter()
                conn.execute(sql).fetchall()
                best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
        conn.close()
    baseline = best["flows (baseline)"]
    print(f"\n{events:,} events")
    for name, seconds in best.items():
        print(f"{name:<24} {seconds:6.2f} s  {seconds / baseline:4.1f}x")
