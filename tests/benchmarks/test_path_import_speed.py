"""Conversion paths to attribution, as whole processes, against ChannelAttribution.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_path_import_speed.py -s`
(ChannelAttribution, with matplotlib beside it, comes with the `bench` extra; set
CX_MAPPER_BENCH_PYTHON to a Python that has it when it is not the app's). It prints
figures measured in the same run; it never fails on a slow machine. It checks that
our removal effects and ChannelAttribution's agree to within its simulation noise.

The files (tests/benchmarks/path_files.py) have ChannelAttribution's Data.csv header
and shape: 12 channels, distinct paths of about 4 touches. Sizes: 10,000 paths (the
size of Data.csv, which the Python package does not ship), 100,000 and 1,000,000;
CX_MAPPER_BENCH_PATHS picks some (e.g. "10k,100k").

- ours: `cx-mapper import-paths FILE -o OUT` then `cx-mapper analyze OUT --json`, two
  processes (each channel's removal effect and attributed conversions, and the rest
  of the analysis), OUT a .cxmap and a .json project; DuckDB's default limit (1 GB).
- ChannelAttribution: one Python process reading the file with pandas and running
  `markov_model` (first order, its default simulation, removal effects out) and
  `heuristic_models` (first touch, last touch, linear).
- before: our same commands from an older checkout when CX_MAPPER_BENCH_BEFORE names
  its folder (e.g. `git archive 0f6f4c4 | tar -x -C /tmp/before`).

Wall time is the best of a few runs; peak memory is that run's process high-water
mark (the larger of import-paths' and analyze's for ours).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

from tests.benchmarks.path_files import write_paths
from tests.benchmarks.processes import ROOT, Run, best, cx_mapper, has_modules, peer_python, run

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000}
REPEATS = {"10k": 3, "100k": 3, "1M": 2}

PEER = r"""
import json, sys
import pandas as pd
import ChannelAttribution as ca
data = pd.read_csv(sys.argv[1], sep=";")
markov = ca.markov_model(data, "path", "total_conversions", var_value="total_conversion_value",
                         var_null="total_null", out_more=True, verbose=False, flg_pro=False)
heuristic = ca.heuristic_models(data, "path", "total_conversions",
                                var_value="total_conversion_value", flg_pro=False)
effects = markov["removal_effects"]
print("RESULT " + json.dumps(dict(zip(effects["channel_name"],
                                      effects["removal_effects_conversion"]))))
"""


def ours(source: Path, data: Path, out: Path) -> tuple[Run, dict[str, float]]:
    """import-paths then analyze --json: the two processes' summed time, the larger peak."""
    command = cx_mapper(source)
    imported = run([*command, "import-paths", str(data), "-o", str(out)])
    analysed = run([*command, "analyze", str(out), "--json"])
    report = json.loads(analysed.stdout)
    effects = {tid: figures["removal_effect"] for tid, figures in report["touchpoints"].items()
               if figures.get("removal_effect") is not None}
    return (Run(imported.seconds + analysed.seconds,
                max(imported.peak_mb, analysed.peak_mb), ""), effects)


def peer(python: str, data: Path) -> tuple[Run, dict[str, float]]:
    done = run([python, "-c", PEER, str(data)])
    effects = json.loads(done.stdout[done.stdout.rindex("RESULT ") + 7:])
    return done, effects


@pytest.mark.benchmark
def test_path_import_speed() -> None:
    chosen = os.environ.get("CX_MAPPER_BENCH_PATHS", "10k,100k,1M").split(",")
    python = peer_python()
    with_peer = has_modules(python, "ChannelAttribution", "pandas", "matplotlib")
    if not with_peer:
        print(f"\nChannelAttribution: peer not installed for {python} (set "
              "CX_MAPPER_BENCH_PYTHON to a Python with the bench extra)")
    before = os.environ.get("CX_MAPPER_BENCH_BEFORE")
    table: list[tuple[str, str, Run]] = []
    with tempfile.TemporaryDirectory() as folder:
        for size in chosen:
            data = write_paths(Path(folder) / f"paths-{size}.csv", SIZES[size])
            runs: dict[str, list[Run]] = {}
            for _ in range(REPEATS[size]):  # interleaved, so a busy spell hits all alike
                for ext in ("cxmap", "json"):
                    mine, effects = ours(ROOT, data, Path(folder) / f"out.{ext}")
                    runs.setdefault(f"ours, .{ext}", []).append(mine)
                if before:
                    old, _ = ours(Path(before), data, Path(folder) / "before.cxmap")
                    runs.setdefault("before, .cxmap", []).append(old)
                if with_peer:
                    theirs, peer_effects = peer(python, data)
                    runs.setdefault("ChannelAttribution", []).append(theirs)
                    # Its removal effects come from simulated paths: close, not equal.
                    assert set(peer_effects) == set(effects)
                    gap = max(abs(peer_effects[c] - effects[c]) for c in effects)
                    assert gap < 0.05, f"removal effects differ by {gap:.3f}"
            table += [(size, label, best(r)) for label, r in runs.items()]

    print("\nimport-paths + analyze --json (two processes) against ChannelAttribution "
          "(markov_model + heuristic_models, one process)")
    print(f"{'paths':>6}  {'':22} {'wall':>8} {'peak RSS':>10} {'vs CA':>7}")
    for size in chosen:
        rows = [(label, r) for s, label, r in table if s == size]
        peer_seconds = next((r.seconds for label, r in rows if label == "ChannelAttribution"),
                            None)
        for label, r in rows:
            ratio = f"{peer_seconds / r.seconds:6.2f}x" if peer_seconds else ""
            print(f"{size:>6}  {label:22} {r.seconds:7.2f}s {r.peak_mb:7,.0f} MB {ratio:>7}")
    print("vs CA: ChannelAttribution's time / this one's (above 1: faster than it). "
          "Removal effects agree within 0.05 (checked).")
