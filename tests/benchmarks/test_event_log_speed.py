"""Event-log import speed and memory, against pm4py and plain pandas.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_event_log_speed.py -s`
(pm4py, pandas and pyarrow come with the `bench` extra: pip install -e '.[bench]').
1M events by default; set CX_MAPPER_BENCH_10M=1 to add 10M events (about 5 minutes
more, a few GB of memory for pm4py). It prints figures and ratios measured in the
same run; it never fails on a slow machine. It does check that pm4py's and pandas'
directly-follows counts, start and end activities equal ours exactly.

The log (tests/persistence/test_event_log.py, synthetic_log): customers walk a
random 30-touchpoint journey, about 10 events each, rows in timestamp order with
customers interleaved, columns customer_id, timestamp, touchpoint, csat, public,
revenue. A customer's timestamps are all different, so every tool orders a
customer's events the same way (ours breaks ties by file order, pm4py by its
sort).

Each tool runs in its own process, which reports its wall time and its peak
resident memory (VmHWM):
- ours: read_event_log on the CSV and on the Parquet file, with all columns (the
  whole estimate: bad-row checks, means, entry shares, probabilities), under
  DuckDB's default memory limit (1 GB) and under 256 MB;
- pm4py: pandas.read_parquet, pm4py.format_dataframe, pm4py.discover_dfg;
- pandas (the baseline): read_parquet, a stable sort by customer and timestamp, a
  shift within each customer and counts of the pairs, first and last events.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tests.persistence.event_logs import synthetic_log

SIZES = {"1M": 100_000, "10M": 1_000_000}  # customers, about 10 events each

_PEAK = """
import re
from pathlib import Path

def peak_mb():
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\\s*(\\d+)", status)[1]) / 1024
"""

OURS = _PEAK + """
import json, sys, time
from cx_mapper.persistence.event_log import LogColumns, read_event_log
start = time.perf_counter()
result = read_event_log(sys.argv[1], LogColumns(satisfaction="csat", public="public",
                        revenue="revenue"), memory_limit=sys.argv[2])
seconds = time.perf_counter() - start
counts = result.counts
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "events": result.events,
                  "pairs": [[a, b, n] for (a, b), n in counts.pairs.items()],
                  "starts": counts.starts, "ends": counts.ends}))
"""

PM4PY = _PEAK + """
import json, sys, time
import pandas as pd
import pm4py
start = time.perf_counter()
df = pd.read_parquet(sys.argv[1], columns=["customer_id", "timestamp", "touchpoint"])
read = time.perf_counter()
df = pm4py.format_dataframe(df, case_id="customer_id", activity_key="touchpoint",
                            timestamp_key="timestamp")
formatted = time.perf_counter()
dfg, starts, ends = pm4py.discover_dfg(df)
done = time.perf_counter()
print(json.dumps({"seconds": done - start, "read": read - start,
                  "format": formatted - read, "discover": done - formatted,
                  "peak_mb": peak_mb(),
                  "pairs": [[a, b, int(n)] for (a, b), n in dfg.items()],
                  "starts": {k: int(v) for k, v in starts.items()},
                  "ends": {k: int(v) for k, v in ends.items()}}))
"""

PANDAS = _PEAK + """
import json, sys, time
import pandas as pd
start = time.perf_counter()
df = pd.read_parquet(sys.argv[1], columns=["customer_id", "timestamp", "touchpoint"])
read = time.perf_counter()
df = df.sort_values(["customer_id", "timestamp"], kind="stable")  # ties: file order
customer, touchpoint = df["customer_id"], df["touchpoint"]
goes_on = customer.eq(customer.shift(-1)).to_numpy()
first = ~customer.eq(customer.shift(1)).to_numpy()
pairs = pd.DataFrame({"a": touchpoint.to_numpy()[goes_on],
                      "b": touchpoint.shift(-1).to_numpy()[goes_on]}).value_counts()
starts = touchpoint[first].value_counts()
ends = touchpoint[~goes_on].value_counts()
done = time.perf_counter()
print(json.dumps({"seconds": done - start, "read": read - start, "count": done - read,
                  "peak_mb": peak_mb(),
                  "pairs": [[a, b, int(n)] for (a, b), n in pairs.items()],
                  "starts": {k: int(v) for k, v in starts.items()},
                  "ends": {k: int(v) for k, v in ends.items()}}))
"""


def run(script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, check=False, cwd=Path(__file__).parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    report: dict[str, Any] = json.loads(done.stdout[done.stdout.rindex('{"seconds"'):])
    return report


def counts(report: dict[str, Any]) -> tuple[dict[tuple[str, str], int], dict[str, int],
                                             dict[str, int]]:
    return ({(a, b): n for a, b, n in report["pairs"]}, report["starts"], report["ends"])


@pytest.mark.benchmark
def test_event_log_speed() -> None:
    pytest.importorskip("pm4py")
    sizes = ["1M", "10M"] if os.environ.get("CX_MAPPER_BENCH_10M") else ["1M"]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            for old in Path(folder).iterdir():
                old.unlink()
            log = synthetic_log(Path(folder), SIZES[size], formats=("csv", "parquet"))
            csv_path, parquet = str(Path(folder) / "log.csv"), str(Path(folder) / "log.parquet")
            truth = (log.pairs, log.starts, log.ends)
            ours = {
                "csv": run(OURS, csv_path, "1GB"), "parquet": run(OURS, parquet, "1GB"),
                "csv_256": run(OURS, csv_path, "256MB"),
                "parquet_256": run(OURS, parquet, "256MB"),
            }
            for report in ours.values():
                assert counts(report) == truth and report["events"] == log.events
            pm4py = run(PM4PY, parquet)
            pandas = run(PANDAS, parquet)
            assert counts(pm4py) == truth, "pm4py's directly-follows graph differs from ours"
            assert counts(pandas) == truth, "pandas' counts differ from ours"
            rows.append({"size": size, "events": log.events, "customers": log.customers,
                         "csv_mb": os.path.getsize(csv_path) / 1e6,
                         "parquet_mb": os.path.getsize(parquet) / 1e6,
                         **{f"ours_{k}": v for k, v in ours.items()},
                         "pm4py": pm4py, "pandas": pandas})

    print("\nEvent-log import (read_event_log) against pm4py.discover_dfg and pandas")
    for row in rows:
        print(f"\n{row['events']:,} events, {row['customers']:,} customers, 30 touchpoints; "
              f"CSV {row['csv_mb']:,.0f} MB, Parquet {row['parquet_mb']:,.0f} MB")
        print(f"{'':34} {'wall':>9} {'peak RSS':>10} {'vs ours (Parquet)':>18}")
        base = row["ours_parquet"]["seconds"]
        lines = [
            ("ours, CSV, 1 GB limit", row["ours_csv"]),
            ("ours, Parquet, 1 GB limit", row["ours_parquet"]),
            ("ours, CSV, 256 MB limit", row["ours_csv_256"]),
            ("ours, Parquet, 256 MB limit", row["ours_parquet_256"]),
            ("pm4py (read + format + DFG)", row["pm4py"]),
            ("pandas (read + sort + counts)", row["pandas"]),
        ]
        for label, report in lines:
            print(f"{label:34} {report['seconds']:>8.2f}s {report['peak_mb']:>7,.0f} MB "
                  f"{report['seconds'] / base:>17.2f}x")
        pm4py, pandas = row["pm4py"], row["pandas"]
        print(f"  pm4py: read {pm4py['read']:.2f}s, format_dataframe {pm4py['format']:.2f}s, "
              f"discover_dfg {pm4py['discover']:.2f}s; pandas: read {pandas['read']:.2f}s, "
              f"sort and count {pandas['count']:.2f}s")
    print("\nAll three give the same directly-follows counts, start and end activities "
          "(checked). Ratio: the tool's time / our Parquet import's (above 1: we are "
          "faster). Ours computes the whole journey, the others only the counts. "
          "Target: 10M events under 60 s.")
