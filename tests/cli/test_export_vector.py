"""`cx-mapper export FILE OUT.pdf|OUT.svg`: the summary page as vectors. Read back with
pypdf and an XML parser, the KPI labels and touchpoint names are text; the SVG renders
(QSvgRenderer) to the same page the PNG shows."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from cx_mapper.cli import main
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.kpis import kpi_details
from cx_mapper.exports.figures import ExportFigures, gather
from cx_mapper.persistence.files import read_project
from cx_mapper.ui.export.formats import FORMATS, ExportOptions
from cx_mapper.ui.export.summary import BASE_WIDTH, summary_page
from tests.factories import RETAIL_SAMPLE

SAMPLE = str(RETAIL_SAMPLE)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def figures(qapp: object) -> ExportFigures:
    """What `cx-mapper export` draws: the analysis, the plan and the KPI intervals."""
    project = read_project(SAMPLE)
    return gather(project, analyze(project, "current"))


def export(out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["export", SAMPLE, str(out)])
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, "")
    return captured.out


def words(text: str) -> str:
    """Text with every run of whitespace as one space: a PDF places each word apart."""
    return re.sub(r"\s+", " ", text)


def names_and_labels() -> tuple[list[str], list[str]]:
    analysis = analyze(read_project(SAMPLE), "current")
    journey = read_project(SAMPLE).journey("current")
    return ([t.name for t in journey.touchpoints.values()],
            [kpi.label for kpi, _, _ in kpi_details(analysis)])


def shown(name: str, text: str) -> bool:
    """The name is in the text in full, or cut short with an ellipsis where a card or
    a chart's axis has no room for all of it (as the PNG cuts it)."""
    if name in text:
        return True
    return any(f"{name[:end]}…" in text for end in range(12, len(name)))


def test_the_pdf_is_one_tall_page_of_real_text(
        figures: ExportFigures, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "retail.pdf"
    stdout = export(out, capsys)
    assert stdout.startswith(f"Wrote {out}: the summary of Current state (Retail omnichannel), "
                             "one page of 1200 x ")
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == "Retail omnichannel: Current state"
    # The page has the summary's shape: 1,600 design units to 1,200 points.
    page = summary_page(figures.project, figures.analysis, plan=figures.plan_figures,
                        uncertainty=figures.uncertainty)
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(1200)
    assert float(box.height) == pytest.approx(page.height * 1200 / BASE_WIDTH, abs=1)
    text = words(reader.pages[0].extract_text())
    names, labels = names_and_labels()
    assert labels and all(label in text for label in labels)
    # Names only the map's cards show ("Returns an item in store") are text too: the
    # cards are drawn, not pasted in as pictures.
    assert [name for name in names if not shown(name, text)] == []
    assert "The journey as drawn" in text and "Top five touchpoints to fix" in text
    # The only pictures are the two personas' portraits: the cards and the charts'
    # points are drawn as shapes, sharp at any zoom.
    assert len(reader.pages[0].images) == len(figures.project.personas) == 2


def test_the_svg_has_its_text_as_text_and_renders_the_same_page(
        figures: ExportFigures, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "retail.svg"
    stdout = export(out, capsys)
    assert stdout.startswith(f"Wrote {out}: the summary of Current state (Retail omnichannel), "
                             "1600 x ")
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    assert root.findtext(f"{SVG}title") == "Retail omnichannel: Current state"
    texts = [" ".join("".join(element.itertext()).split()) for element in root.iter(f"{SVG}text")]
    joined = " ".join(texts)  # a card wraps its name over lines: a text each
    names, labels = names_and_labels()
    assert all(label in texts for label in labels)
    assert [name for name in names if not shown(name, joined)] == []
    # Every font names a face and then the generic sans-serif, so a browser or an
    # editor that lacks the face (or Qt's own alias for it) still draws sans text.
    families = {e.get("font-family") for e in root.iter() if e.get("font-family")}
    assert families and all(f.endswith(", sans-serif") for f in families)
    assert not any("Sans Serif" in f for f in families)

    renderer = QSvgRenderer(QByteArray(out.read_bytes()))
    assert renderer.isValid()
    size = renderer.viewBox().size()  # 1,600 px wide, in millimetres at 96 dpi
    assert size.width() == 1600
    drawn = QImage(size, QImage.Format.Format_RGB32)
    drawn.fill(0xFF000000)  # black: a page that draws nothing stays black
    painter = QPainter(drawn)
    renderer.render(painter)
    painter.end()
    encoded = FORMATS[".png"].write(figures, ExportOptions(width=1600)).data
    assert isinstance(encoded, bytes)
    png = QImage.fromData(encoded)
    assert (png.width(), png.height()) == (size.width(), size.height())
    # Same page: the SVG drawn by Qt's renderer and the PNG agree almost everywhere
    # (anti-aliasing and text rendering aside).
    a, b = pixels(drawn), pixels(png)
    differ = np.abs(a.astype(int) - b.astype(int)).max(axis=2) > 60
    assert differ.mean() < 0.03


def pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    data = np.frombuffer(image.constBits(), np.uint8, count=image.sizeInBytes())
    return data.reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :image.width(), :3]
