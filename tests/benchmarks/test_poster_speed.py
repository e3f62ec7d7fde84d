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

import tempfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from cx_mapper.persistence.project_file import save_project
from tests.benchmarks.export_runs import print_against_png, timed_export
from tests.benchmarks.journeys import random_journey

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
    seconds: dict[str, float] = {}
    sizes: dict[str, int] = {}
    said: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "big.cxmap"
        save_project(random_journey(TOUCHPOINTS, transitions_per_touchpoint=4, seed=3), source)
        for label, name, options in EXPORTS:
            out = Path(folder) / name
            seconds[label], stdout = timed_export(source, out, options)
            assert out.exists(), f"no {label} written"
            sizes[label] = out.stat().st_size
            said[label] = stdout.strip().rsplit("), ", 1)[-1]
            if out.suffix == ".pdf":
                pages = len(PdfReader(out).pages)  # one, or rows of four
                assert pages % 4 == 0 if "--across" in options else pages == 1
    with capsys.disabled():
        print_against_png(f"`cx-mapper export` of a {TOUCHPOINTS:,}-touchpoint map as a new "
                          "process (best of 3)", seconds, sizes, TARGET, "png summary", said)
