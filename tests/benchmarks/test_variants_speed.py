"""What path variants and import filters cost an event-log import.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_variants_speed.py -s`.
It prints figures against a baseline measured in the same run (the same import with
no variants, `top_variants=0`); it never fails on a slow machine. It does check that
each run found the paths it should.

The log: 100,000 customers of the synthetic log (about 1M events, 30 touchpoints),
as CSV. Each figure is the best of 3 in this process.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from cx_mapper.persistence.event_log import read_event_log
from cx_mapper.persistence.log_filters import LogFilters
from cx_mapper.persistence.log_variants import Goals
from tests.persistence.event_logs import synthetic_log


def best(path: Path, **options: Any) -> tuple[float, Any]:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = read_event_log(path, **options)
        times.append(time.perf_counter() - start)
    return min(times), result


def test_variants_and_filters_cost() -> None:
    with tempfile.TemporaryDirectory() as folder:
        log = synthetic_log(Path(folder), 100_000, touchpoints=30, seed=1)
        path = Path(folder) / "log.csv"
        baseline, plain = best(path, top_variants=0)
        assert plain.variants is None
        print(f"\n{log.events:,} events of {log.customers:,} customers")
        print(f"{'import':40s} {'wall':>7s} {'vs baseline':>11s}")
        print(f"{'no variants (baseline)':40s} {baseline:6.2f}s {1.0:10.2f}x")
        goal = plain.journey.touchpoints[list(plain.journey.touchpoints)[5]].name
        for label, options in (
                ("variants, top 20", {}),
                (f"variants, goal {goal}", {"goals": Goals((goal,))}),
                ("variants, min path customers 2", {"filters": LogFilters(
                    min_path_customers=2)}),
                ("variants, a column's values", {"filters": LogFilters(
                    values=(("touchpoint", tuple(list(
                        t.name for t in plain.journey.touchpoints.values())[:20])),))})):
            wall, result = best(path, **options)
            assert result.variants is not None and result.variants.variants
            print(f"{label:40s} {wall:6.2f}s {wall / baseline:10.2f}x")
