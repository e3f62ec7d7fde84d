"""Summary speed: `cx-mapper export` of the sample and of a 200-touchpoint journey.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_summary_speed.py -s`.
It prints figures and ratios measured in the same run; it never fails on a slow
machine. It does check that each export wrote a PNG of the requested width.

- Export: the whole command in-process (read the file, analyse, render the page,
  encode the PNG, write it atomically), as `main(["export", ...])` runs it. The sample
  with evidence (the segments' default ranges and a few touchpoint estimates, which
  the file format does not hold yet) runs the same steps after the read: analyse, the
  plan, the uncertainty analysis (1,000 draws), render, write.
- Sure: the uncertainty analysis the page shows (`sure_figures`); nothing without
  evidence.
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
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.json_format import read_project, write_project
from cx_mapper.ui.export.png import write_png
from cx_mapper.ui.export.summary import render_summary
from cx_mapper.ui.export.summary_plan import plan_figures
from cx_mapper.ui.export.summary_sure import sure_figures
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of
from tests.factories import RETAIL_SAMPLE, with_evidence

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


def export_in_process(project: Project, journey_id: str, out: Path) -> int:
    """`cx-mapper export`'s steps after reading the file."""
    analysis = analyze(project, journey_id)
    image = render_summary(project, analysis, width=WIDTH,
                           plan=plan_figures(project, journey_id),
                           uncertainty=sure_figures(project, journey_id))
    write_png(image, str(out))
    return 0


def png_width(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:20], "big")


@pytest.mark.benchmark
def test_summary_speed(qapp: Any, capsys: pytest.CaptureFixture[str]) -> None:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        bench = Path(folder) / "bench-200.json"
        write_project(random_journey(200), bench)
        evidence = with_evidence(read_project(SAMPLE))
        cases = [("sample, current", SAMPLE, "current"), ("sample, future", SAMPLE, "future"),
                 ("200 touchpoints", bench, "bench"),
                 ("current, evidence", evidence, "current"),
                 ("future, evidence", evidence, "future")]
        for name, source, journey_id in cases:
            project = read_project(source) if isinstance(source, Path) else source
            repeats = 5 if isinstance(source, Path) else 3  # 1,000 draws take seconds
            analysis_seconds, analysis = best_of(repeats, partial(analyze, project, journey_id))
            sure_seconds, found = best_of(repeats, partial(sure_figures, project, journey_id))
            plan = plan_figures(project, journey_id)
            render_seconds, image = best_of(repeats, partial(
                render_summary, project, analysis, width=WIDTH, plan=plan, uncertainty=found))
            encode_seconds, _ = best_of(repeats, partial(encode, image))
            out = Path(folder) / f"{journey_id}.png"
            if isinstance(source, Path):
                argv = ["export", str(source), "--png", str(out), "--journey", journey_id,
                        "--width", str(WIDTH)]
                export_seconds, code = best_of(repeats, partial(main, argv))
            else:
                export_seconds, code = best_of(repeats, partial(export_in_process, project,
                                                                journey_id, out))
            assert code == 0 and png_width(out) == WIDTH
            assert (found is not None) == (not isinstance(source, Path))
            base_seconds, _ = best_of(repeats, partial(baseline, image.width(), image.height(),
                                                       name))
            rows.append({"name": name, "n": len(analysis.ids), "height": image.height(),
                         "analyze": analysis_seconds, "sure": sure_seconds,
                         "render": render_seconds,
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
              f"{'sure':>9} {'render':>9} {'encode':>9} {'export':>9} {'baseline':>9} "
              f"{'ratio':>6} {'PNG':>8}")
        for row in rows:
            print(" ".join([
                f"{row['name']:<18}", f"{row['n']:>11,}", f"{row['height']:>7,}",
                f"{_ms(row['analyze']):>9}", f"{_ms(row['sure']):>9}",
                f"{_ms(row['render']):>9}",
                f"{_ms(row['encode']):>9}", f"{_ms(row['export']):>9}",
                f"{_ms(row['baseline']):>9}", f"{row['export'] / row['baseline']:>6.1f}",
                f"{row['size'] / 1e6:>6.2f} MB",
            ]))
        print("Ratio: export time / baseline (the same page size with the title only, "
              "encoded as PNG). Sure: the uncertainty analysis, inside export (best of 3 "
              "with evidence).")
        print(f"Cold start on the sample: export {_ms(cold_export)} as a new process, "
              f"analyze {_ms(cold_analyze)} ({cold_export / cold_analyze:.1f}x).")
        verdicts = ", ".join(f"{row['name']} {'met' if row['export'] < TARGET else 'MISSED'}"
                             for row in rows)
        print(f"Target: export under {TARGET:g} s: {verdicts}.")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"
