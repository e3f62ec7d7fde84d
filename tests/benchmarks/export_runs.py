"""What the export benchmarks share: `cx-mapper export` as a new process without a
display, best of 3, and the table of each export against the PNG of the same run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from tests.benchmarks.timing import best_of


def timed_export(project: Path, out: Path, options: Sequence[str]) -> tuple[float, str]:
    """The best of 3 wall times of `cx-mapper export PROJECT OUT [options]`, and what it
    printed. No display: the export draws offscreen, as on a server."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    command = [sys.executable, "-m", "cx_mapper", "export", str(project), str(out), *options]
    seconds, done = best_of(3, partial(subprocess.run, command, env=env, check=True,
                                       capture_output=True, text=True))
    return seconds, done.stdout


def print_against_png(title: str, seconds: Mapping[str, float], sizes: Mapping[str, int],
                      target: float, png: str, notes: Mapping[str, str] | None = None
                      ) -> None:
    """Each export's time, its ratio to the PNG's (label `png`) and its size."""
    width = max(len(label) for label in seconds) + 1
    print(f"\n{title}")
    print(f"{'export':<{width}} {'time':>9} {'vs PNG':>7} {'size':>10}  target")
    for label, taken in seconds.items():
        verdict = "met" if taken < target else "MISSED"
        note = f"  ({notes[label]})" if notes and label in notes else ""
        print(f"{label:<{width}} {taken * 1000:>6,.0f} ms {taken / seconds[png]:>6.2f}x "
              f"{sizes[label] / 1e3:>7,.0f} kB  under {target:g} s: {verdict}{note}")
