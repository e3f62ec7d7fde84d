"""Whole processes timed as a user runs them, and the peers' Python.

Each command runs as a child process; its wall time is taken around it and its peak
resident memory is the kernel's account of that child alone (`os.wait4`'s ru_maxrss,
the child started from a small process of its own), so start-up, imports and exit
all count.

The peers (ChannelAttribution, pm4py) come with the `bench` extra and may live in
another environment than the app's: CX_MAPPER_BENCH_PYTHON names that Python
(default: the one running the benchmark). A peer that is not installed there is
reported as "peer not installed" and its figures left out; nothing fails for it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parents[2]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float
    stdout: str


def peer_python() -> str:
    return os.environ.get("CX_MAPPER_BENCH_PYTHON") or sys.executable


def has_modules(python: str, *modules: str) -> bool:
    """Whether `python` can import every module (quietly: some peers print on import)."""
    try:
        done = subprocess.run([python, "-c", "import " + ", ".join(modules)],
                              capture_output=True, check=False)
    except OSError:  # no such Python
        return False
    return done.returncode == 0


#: Starts a command and reports its wall time, peak RSS and exit code. The command is
#: started from this small process, not from the benchmark: Linux counts a process's
#: peak memory from the one it was forked from, so a child of a benchmark that has just
#: generated a big file would report at least the benchmark's own size.
_STARTER = r"""
import os, sys, time
report, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawn(command[0], command, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(report, "w") as out:
    out.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run(command: Sequence[str], *, env: Mapping[str, str] | None = None) -> Run:
    """Run `command` (its program an absolute path) to its end: wall time, its own peak
    RSS and its output. A failure is an AssertionError with the end of its stderr."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report"
        done = subprocess.run([sys.executable, "-S", "-c", _STARTER, str(report), *command],
                              capture_output=True, text=True, check=False, cwd=ROOT,
                              env={**os.environ, **(env or {})})
        seconds, peak_kb, code = report.read_text().split()
    assert int(code) == 0 and done.returncode == 0, \
        f"{' '.join(command)} failed:\n{done.stderr[-3000:]}"
    return Run(float(seconds), int(peak_kb) / 1024, done.stdout)


def cx_mapper(source: str | Path) -> list[str]:
    """The `cx-mapper` command with the code in `source` (a checkout) first on the path."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(source)!r}); "
            "sys.argv[0] = 'cx-mapper'; from cx_mapper.cli import run; run()"]


def best(runs: list[Run]) -> Run:
    """The least disturbed run: the fastest, with its own peak memory."""
    return min(runs, key=lambda r: r.seconds)
