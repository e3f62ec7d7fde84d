"""Summary speed: `cx-mapper export` of the sample and of a 200-touchpoint journey.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_summary_speed.py -s`.
It prints figures and ratios measured in the same run; it never fails on a slow
machine. It does check that each export wrote a PNG of the requested width.

- Export: the whole command in-process (read the file, analyse, render the page,
  encode the PNG, write it atomically), as `main(["export", ...])` runs it.
- Render: `render_summary` alone, given the analysis (map scene, charts, text).
- Baseline: an image of the same size with only the title drawn, encoded as PNG: the
  cost of the pixels and the encoder that any summary of that size pays.
- Cold start: `cx-mapper export` as a new process without a display, against
  `cx-mapper analyze` of the same file (Python, numpy and scipy start-up; export adds
  Qt, pyqtgraph and the font database).

Target: export under 2 s for the sample and for 200 touchpoints at 2,400 px.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QFont, QImage, QImageWriter, QPainter

from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.json_format import read_project, write_project
from cx_mapper.ui.export.summary import render_summary
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of
from tests.factories import RETAIL_SAMPLE

SAMPLE = RETAIL_SAMPLE
WIDTH = 2400
TARGET = 2.0


def baseline(width: int, height: int, title: str) -> bytes:
    """A blank page of the same size with the title only, as PNG bytes."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    font = QFont()
    font.setPixelSize(60)
    painter.setFont(font)
    painter.drawText(96, 150, title)
    painter.end()
    return encode(image)


def encode(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert QImageWriter(buffer, QByteArray(b"png")).write(image)
    return bytes(data.data())


def png_width(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:20], "big")


@pytest.mark.benchmark
def test_summary_speed(qapp: Any, capsys: pytest.CaptureFixture[str]) -> None:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        bench = Path(folder) / "bench-200.json"
        write_project(random_journey(200), bench)
        cases = [("sample, current", SAMPLE, "current"), ("sample, future", SAMPLE, "future"),
                 ("200 touchpoints", bench, "bench")]
        for name, path, journey_id in cases:
            project = read_project(path)
            analysis_seconds, analysis = best_of(5, partial(analyze, project, journey_id))
            render_seconds, image = best_of(5, partial(render_summary, project, analysis,
                                                       width=WIDTH))
            encode_seconds, _ = best_of(5, partial(encode, image))
            out = Path(folder) / f"{journey_id}.png"
            argv = ["export", str(path), "--png", str(out), "--journey", journey_id,
                    "--width", str(WIDTH)]
            export_seconds, code = best_of(5, partial(main, argv))
            assert code == 0 and png_width(out) == WIDTH
            base_seconds, _ = best_of(5, partial(baseline, image.width(), image.height(), name))
            rows.append({"name": name, "n": len(analysis.ids), "height": image.height(),
                         "analyze": analysis_seconds, "render": render_seconds,
                         "encode": encode_seconds, "export": export_seconds,
                         "baseline": base_seconds, "size": out.stat().st_size})
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
        command = [sys.executable, "-m", "cx_mapper"]
        cold = partial(subprocess.run, env=env, check=True, capture_output=True)
        cold_export, _ = best_of(3, partial(cold, [*command, "export", str(SAMPLE), "--png",
                                                   str(Path(folder) / "cold.png")]))
        cold_analyze, _ = best_of(3, partial(cold, [*command, "analyze", str(SAMPLE)]))
    capsys.readouterr()  # the export's "Wrote ..." lines

    with capsys.disabled():
        print(f"\nPNG summary at {WIDTH} px: `cx-mapper export` against a title-only page "
              "(best of 5)")
        print(f"{'journey':<18} {'touchpoints':>11} {'height':>7} {'analyze':>9} "
              f"{'render':>9} {'encode':>9} {'export':>9} {'baseline':>9} {'ratio':>6} "
              f"{'PNG':>8}")
        for row in rows:
            print(" ".join([
                f"{row['name']:<18}", f"{row['n']:>11,}", f"{row['height']:>7,}",
                f"{_ms(row['analyze']):>9}", f"{_ms(row['render']):>9}",
                f"{_ms(row['encode']):>9}", f"{_ms(row['export']):>9}",
                f"{_ms(row['baseline']):>9}", f"{row['export'] / row['baseline']:>6.1f}",
                f"{row['size'] / 1e6:>6.2f} MB",
            ]))
        print("Ratio: export time / baseline (the same page size with the title only, "
              "encoded as PNG).")
        print(f"Cold start on the sample: export {_ms(cold_export)} as a new process, "
              f"analyze {_ms(cold_analyze)} ({cold_export / cold_analyze:.1f}x).")
        verdicts = ", ".join(f"{row['name']} {'met' if row['export'] < TARGET else 'MISSED'}"
                             for row in rows)
        print(f"Target: export under {TARGET:g} s: {verdicts}.")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"
