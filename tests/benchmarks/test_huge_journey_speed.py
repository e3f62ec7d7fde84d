"""Huge journeys as a user meets them: whole `cx-mapper` processes, against the way the
same commands worked before, measured in the same run (before_huge_journeys.py).

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_huge_journey_speed.py -s`.
It prints figures and ratios; it never fails on a slow machine. It does check that
both ways print the same analysis and write files that read back the same.

- `analyze FILE --json` of 100,000 touchpoints and 500,000 transitions (target: 5 s).
- `convert` of 10,000 touchpoints and 50,000 transitions, JSON to .cxmap and back
  (target: 1 s each way).
- Start-up: `cx-mapper --version`, what every command pays before its work.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cx_mapper.persistence.files import read_project
from cx_mapper.persistence.json_format import write_project
from tests.benchmarks.journeys import random_journey
from tests.factories import ROOT

NOW = [sys.executable, "-m", "cx_mapper"]
BEFORE = [sys.executable, "-m", "tests.benchmarks.before_huge_journeys"]
#: Each process runs this many times; the best run is the least disturbed one.
REPEATS = 3


def _environment() -> dict[str, str]:
    """The user's environment: no BLAS thread count set beforehand."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    env["PYTHONPATH"] = str(ROOT)
    return env


def _run(command: list[str], out: Path | None = None) -> tuple[float, float]:
    """Seconds on the clock, and the CPU seconds the process used (which waiting for a
    busy machine's cores does not inflate)."""
    with open(out or os.devnull, "wb") as stdout:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=stdout, env=_environment(), cwd=ROOT)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _best(work: Callable[[], tuple[float, float]], repeats: int = REPEATS) -> tuple[float, float]:
    return min(work() for _ in range(repeats))


@pytest.mark.benchmark
def test_huge_journey_speed() -> None:
    rows: list[tuple[str, tuple[float, float], tuple[float, float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        huge, medium = base / "100k.json", base / "10k.json"
        write_project(random_journey(100_000, seed=1), huge)
        write_project(random_journey(10_000, seed=1), medium)

        printed: dict[str, tuple[tuple[float, float], dict[str, Any]]] = {}
        for name, command in (("now", NOW), ("before", BEFORE)):
            out = base / f"analysis-{name}.json"
            seconds = _best(lambda c=command, o=out: _run(
                [*c, "analyze", str(huge), "--json"], o), 2)
            printed[name] = (seconds, json.loads(out.read_text(encoding="utf-8")))
        assert printed["now"][1]["totals"] == pytest.approx(printed["before"][1]["totals"],
                                                            rel=1e-9)
        rows.append(("analyze --json, 100,000 touchpoints", printed["now"][0],
                     printed["before"][0]))

        for label, source, target in (("convert 10,000: JSON to .cxmap", medium, "cxmap"),
                                      ("convert 10,000: .cxmap to JSON", "cxmap", "json")):
            figures = []
            for name, command in (("now", NOW), ("before", BEFORE)):
                src = base / f"{name}.cxmap" if source == "cxmap" else source
                dst = base / f"{name}.{target}" if target == "cxmap" else base / f"{name}.json"
                figures.append(_best(lambda c=command, s=src, d=dst: _run(
                    [*c, "convert", str(s), str(d)])))
            rows.append((label, *figures))
        assert read_project(base / "now.json") == read_project(base / "before.json") == (
            read_project(medium))

        rows.append(("start-up: cx-mapper --version",
                     _best(lambda: _run([*NOW, "--version"]), 5),
                     _best(lambda: _run([*BEFORE, "--version"]), 5)))

    print("\nHuge journeys, whole processes (best of runs), now against before;"
          " wall clock, then CPU time")
    print(f"{'':<40} {'now':>8} {'before':>8} {'faster':>7} {'CPU now':>8} {'before':>8} "
          f"{'faster':>7}")
    for label, (now, now_cpu), (before, before_cpu) in rows:
        print(f"{label:<40} {now:>7.2f}s {before:>7.2f}s {before / now:>6.1f}x "
              f"{now_cpu:>7.2f}s {before_cpu:>7.2f}s {before_cpu / now_cpu:>6.1f}x")
