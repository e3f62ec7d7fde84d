"""Poster speed: the poster PDF of a 2,000-touchpoint map, against its PNG summary.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_poster_speed.py -s`.
It prints figures measured in the same run and never fails on a slow machine; it does
check that each export wrote its file with the pages asked.

Each export is `cx-mapper export MAP OUT` as a new process without a display (start-up,
imports, reading, the analysis, drawing the map, the PDF and the atomic write all
count), best of 3. The PNG summary of the same map is the peer: it draws the same map
once, beside the charts. The SVG of the map alone is shown too.

Target: the poster under 10 s, fitted (A0) and tiled (4 A3 across).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path

import pytest
from pypdf import PdfReader

from cx_mapper.persistence.project_file import save_project
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of

TOUCHPOINTS = 2_000
TARGET = 10.0
#: Each export as the user asks for it: a label, the file's name and the options.
EXPORTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("png summary", "map.png", ()),
    ("poster A0", "fit.pdf", ("--page", "poster", "--paper", "A0")),
    ("poster A0 land", "land.pdf", ("--page", "poster", "--paper", "A0", "--landscape")),
    ("poster 4 x A3", "tiled.pdf", ("--page", "poster", "--paper", "A3", "--across", "4")),
    ("svg map", "map.svg", ("--page", "poster")),
)


@pytest.mark.benchmark
def test_poster_speed(capsys: pytest.CaptureFixture[str]) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    seconds: dict[str, float] = {}
    sizes: dict[str, int] = {}
    said: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.cxmap"
        save_project(random_journey(TOUCHPOINTS, transitions_per_touchpoint=4, seed=3), source)
        for label, name, options in EXPORTS:
            out = Path(folder) / name
            command = [sys.executable, "-m", "cx_mapper", "export", str(source), str(out),
                       *options]
            seconds[label], done = best_of(3, partial(subprocess.run, command, env=env,
                                                      check=True, capture_output=True,
                                                      text=True))
            assert out.exists(), f"no {label} written"
            sizes[label] = out.stat().st_size
            said[label] = done.stdout.strip().rsplit("), ", 1)[-1]
            if out.suffix == ".pdf":
                pages = len(PdfReader(out).pages)  # one, or rows of four
                assert pages % 4 == 0 if "--across" in options else pages == 1
    png = seconds["png summary"]
    with capsys.disabled():
        print(f"\n`cx-mapper export` of a {TOUCHPOINTS:,}-touchpoint map as a new process "
              "(best of 3)")
        print(f"{'export':<15} {'time':>9} {'vs PNG':>7} {'size':>10}  target")
        for label, _, _ in EXPORTS:
            verdict = "met" if seconds[label] < TARGET else "MISSED"
            print(f"{label:<15} {seconds[label] * 1000:>6,.0f} ms "
                  f"{seconds[label] / png:>6.2f}x {sizes[label] / 1e3:>7,.0f} kB  "
                  f"under {TARGET:g} s: {verdict}  ({said[label]})")
