"""`cx-mapper import-log` as a whole process against pm4py's discover_dfg on the same CSV.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_log_process_speed.py -s`
(pm4py and pandas come with the `bench` extra; set CX_MAPPER_BENCH_PYTHON to a
Python that has them when it is not the app's: pm4py is AGPL and never installed
with the app). It prints figures measured in the same run and never fails on a
slow machine. It checks that the journey we write and pm4py's directly-follows
graph agree exactly: each transition probability is pm4py's pair count over the
touchpoint's events (its pairs plus its ends), each entry share its start count
over the customers, to the last bits of a double.

The log is tests/persistence/event_logs.py's synthetic_log (30 touchpoints, about
10 events per customer, unique timestamps per customer), as CSV: 1M events by
default, 10M with CX_MAPPER_BENCH_10M=1.

- ours: `cx-mapper import-log log.csv -o out.json --satisfaction csat --public public
  --revenue revenue`: start-up, checks, the whole estimate, writing the project. Run
  from a checkout, as an installed app runs: from Python's bytecode (kept in a cache
  folder of the benchmark's, written by the first run), as pm4py's installed modules
  are; compiling the app's modules at each start took 0.1-0.2 s.
- pm4py: one Python process: pandas.read_csv, pm4py.format_dataframe,
  pm4py.discover_dfg (counts only).
- the same two on a copy of the log with only the three columns pm4py reads
  (customer, timestamp, touchpoint): ours with no options, so each side does the
  same work on the same file; each is compared with the pm4py run on its own file.
- before: the same command from an older checkout when CX_MAPPER_BENCH_BEFORE names
  its folder.

Wall time is the best of 5 runs (2 at 10M); peak memory is that run's high-water mark.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from cx_mapper.persistence.files import read_project
from tests.benchmarks.processes import ROOT, Run, best, cx_mapper, has_modules, peer_python, run
from tests.persistence.event_logs import synthetic_log

SIZES = {"1M": 100_000, "10M": 1_000_000}  # customers, about 10 events each

PEER = r"""
import json, sys
import pandas as pd
import pm4py
df = pd.read_csv(sys.argv[1], usecols=["customer_id", "timestamp", "touchpoint"])
df = pm4py.format_dataframe(df, case_id="customer_id", activity_key="touchpoint",
                            timestamp_key="timestamp")
dfg, starts, ends = pm4py.discover_dfg(df)
print("RESULT " + json.dumps({"pairs": [[a, b, int(n)] for (a, b), n in dfg.items()],
                              "starts": {k: int(v) for k, v in starts.items()},
                              "ends": {k: int(v) for k, v in ends.items()}}))
"""

OPTIONS = ["--satisfaction", "csat", "--public", "public", "--revenue", "revenue"]


def ours(source: Path, log: Path, out: Path, bytecode: Path,
         options: list[str] = OPTIONS) -> Run:
    return run([*cx_mapper(source), "import-log", str(log), "-o", str(out), *options],
               env={"PYTHONPYCACHEPREFIX": str(bytecode), "PYTHONDONTWRITEBYTECODE": ""})


def three_columns(log: Path, out: Path) -> None:
    """The log with only the columns pm4py reads: customer, timestamp, touchpoint."""
    import duckdb

    duckdb.sql(f"COPY (SELECT customer_id, timestamp, touchpoint FROM read_csv('{log}')) "
               f"TO '{out}' (HEADER)")


def agrees(project: Path, counts: dict[str, object]) -> None:
    """Our written journey is exactly what pm4py's counts give."""
    pairs = {(a, b): n for a, b, n in counts["pairs"]}  # type: ignore[attr-defined]
    starts: dict[str, int] = counts["starts"]  # type: ignore[assignment]
    ends: dict[str, int] = counts["ends"]  # type: ignore[assignment]
    events = dict(ends)
    for (a, _), n in pairs.items():
        events[a] = events.get(a, 0) + n
    journey = read_project(project).journeys[0]
    name = {tid: t.name for tid, t in journey.touchpoints.items()}
    mine = {(name[a], name[b]): t.probability for (a, b), t in journey.transitions.items()}
    assert mine.keys() == pairs.keys(), "the transitions differ from pm4py's"
    for (a, b), n in pairs.items():
        assert mine[a, b] == pytest.approx(n / events[a], rel=1e-12, abs=0)
    customers = sum(starts.values())
    entries = {t.name: t.entry for t in journey.touchpoints.values() if t.entry}
    assert entries.keys() == starts.keys(), "the entry touchpoints differ from pm4py's"
    for label, n in starts.items():
        assert entries[label] == pytest.approx(n / customers, rel=1e-12, abs=0)


@pytest.mark.benchmark
def test_log_process_speed() -> None:
    python = peer_python()
    with_peer = has_modules(python, "pm4py", "pandas")
    if not with_peer:
        print(f"\npm4py: peer not installed for {python} (set CX_MAPPER_BENCH_PYTHON to a "
              "Python with the bench extra)")
    before = os.environ.get("CX_MAPPER_BENCH_BEFORE")
    sizes = ["1M", "10M"] if os.environ.get("CX_MAPPER_BENCH_10M") else ["1M"]
    table: list[tuple[str, int, str, Run]] = []
    with tempfile.TemporaryDirectory() as folder, tempfile.TemporaryDirectory() as cache:
        for size in sizes:
            for old in Path(folder).iterdir():
                old.unlink()
            log = synthetic_log(Path(folder), SIZES[size], formats=("csv",))
            csv_path, out = Path(folder) / "log.csv", Path(folder) / "out.json"
            narrow, narrow_out = Path(folder) / "log3.csv", Path(folder) / "out3.json"
            three_columns(csv_path, narrow)
            runs: dict[str, list[Run]] = {}
            for _ in range(5 if size == "1M" else 2):
                mine = ours(ROOT, csv_path, out, Path(cache) / "ours")
                assert f"{log.events:,} events" in mine.stdout, mine.stdout
                runs.setdefault("ours (cx-mapper import-log)", []).append(mine)
                if before:
                    runs.setdefault("before", []).append(ours(
                        Path(before), csv_path, Path(folder) / "before.json",
                        Path(cache) / "before"))
                if with_peer:
                    theirs = run([python, "-c", PEER, str(csv_path)])
                    counts = json.loads(theirs.stdout[theirs.stdout.rindex("RESULT ") + 7:])
                    agrees(out, counts)
                    runs.setdefault("pm4py (read_csv + DFG)", []).append(theirs)
                # The same work on both sides: only the three columns pm4py reads.
                runs.setdefault("ours, 3 columns", []).append(
                    ours(ROOT, narrow, narrow_out, Path(cache) / "ours", []))
                if with_peer:
                    theirs = run([python, "-c", PEER, str(narrow)])
                    counts = json.loads(theirs.stdout[theirs.stdout.rindex("RESULT ") + 7:])
                    agrees(narrow_out, counts)
                    runs.setdefault("pm4py, 3 columns", []).append(theirs)
            table += [(size, log.events, label, best(r)) for label, r in runs.items()]

    print("\nimport-log as a whole process against pm4py, the same CSV")
    print(f"{'events':>11}  {'':28} {'wall':>8} {'peak RSS':>10} {'pm4py / it':>11}")
    for size in sizes:
        rows = [(events, label, r) for s, events, label, r in table if s == size]
        peers = {narrow: next((r.seconds for _, label, r in rows
                               if label.startswith("pm4py") and ("3 columns" in label) == narrow),
                              None) for narrow in (False, True)}
        for events, label, r in rows:
            peer_seconds = peers["3 columns" in label]
            ratio = f"{peer_seconds / r.seconds:10.2f}x" if peer_seconds else ""
            print(f"{events:>11,}  {label:28} {r.seconds:7.2f}s {r.peak_mb:7,.0f} MB {ratio:>11}")
    print("pm4py / it: pm4py's time over this one's (above 1: faster). Our journey's "
          "probabilities and entry shares are pm4py's counts exactly (checked).")
