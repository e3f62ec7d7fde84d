"""Export speed: each format of the retail sample as a new process, against the PNG.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_export_speed.py -s`.
It prints figures measured in the same run and never fails on a slow machine; it does
check that each export wrote its file(s).

Each export is `cx-mapper export SAMPLE OUT.EXT` as a new process without a display
(Python's start-up, the imports, reading the file, the analysis, the plan, the
writer and the atomic write all count), best of 3. The PNG summary is the peer: the
deck draws the same page, and the workbook and CSV files need no Qt at all.

Target: each under 3 s.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from tests.benchmarks.export_runs import print_against_png, timed_export
from tests.factories import RETAIL_SAMPLE

TARGET = 3.0
#: Each export as the user asks for it: a label, the extension and the options.
EXPORTS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("png", ".png", ()),
    ("pdf tall", ".pdf", ()),
    ("pdf A4", ".pdf", ("--page", "A4")),
    ("pdf A3 land", ".pdf", ("--page", "A3", "--landscape")),
    ("svg", ".svg", ()),
    ("svg map", ".svg", ("--page", "poster")),
    ("poster A1", ".pdf", ("--page", "poster", "--paper", "A1")),
    ("poster 3xA4", ".pdf", ("--page", "poster", "--paper", "A4", "--across", "3")),
    ("xlsx", ".xlsx", ()),
    ("csv", ".csv", ()),
    ("pptx", ".pptx", ()),
    ("html", ".html", ()),
)


@pytest.mark.benchmark
def test_export_speed(capsys: pytest.CaptureFixture[str]) -> None:
    seconds: dict[str, float] = {}
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as folder:
        for number, (label, extension, options) in enumerate(EXPORTS):
            out = Path(folder) / f"retail{number}{extension}"
            seconds[label], _ = timed_export(RETAIL_SAMPLE, out, options)
            written = sorted(Path(folder).glob(f"retail{number}*{extension}"))
            assert written, f"no {label} written"
            sizes[label] = sum(path.stat().st_size for path in written)
    with capsys.disabled():
        print_against_png("`cx-mapper export` of the retail sample as a new process "
                          "(best of 3)", seconds, sizes, TARGET, "png")
