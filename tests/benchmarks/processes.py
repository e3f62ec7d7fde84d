"""Whole processes timed as a user runs them, and the peers' Python.

Each command runs as a child process; its wall time is taken around it and its peak
resident memory is the kernel's account of that child alone (`os.wait4`'s ru_maxrss),
so start-up, imports and exit all count.

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
import time
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


def run(command: Sequence[str], *, env: Mapping[str, str] | None = None) -> Run:
    """Run `command` to its end: wall time, its own peak RSS and its output. A failure
    is an AssertionError with the end of its stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdout=out, stderr=err, cwd=ROOT,
                                 env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    assert child.returncode == 0, f"{' '.join(command)} failed:\n{stderr[-3000:]}"
    return Run(seconds, usage.ru_maxrss / 1024, stdout)


def cx_mapper(source: str | Path) -> list[str]:
    """The `cx-mapper` command with the code in `source` (a checkout) first on the path."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(source)!r}); "
            "sys.argv[0] = 'cx-mapper'; from cx_mapper.cli import run; run()"]


def best(runs: list[Run]) -> Run:
    """The least disturbed run: the fastest, with its own peak memory."""
    return min(runs, key=lambda r: r.seconds)
