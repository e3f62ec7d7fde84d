"""The summary as vector files: SVG with its text as text, and PDF as one tall page with
real text (selectable and searchable) and the map and charts as vectors.

Both paint the page `summary_page` laid out, through `paint_summary`, as the PNG does,
so every format shows the same page. The devices are at 96 dpi, as the PNG's image is.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from cx_mapper.ui.export.drawing import PAGE
from cx_mapper.ui.export.summary import BASE_WIDTH, SummaryPage, paint_summary

DPI = 96
#: The page's width in device pixels: the design grid one to one.
VECTOR_WIDTH = int(BASE_WIDTH)
#: The tallest page PDF readers open (Acrobat's 200 inches); a taller summary is made
#: narrower to fit rather than cut.
MAX_PDF_POINTS = 14400.0
DESCRIPTION = "Customer journey summary made with CX Mapper"


def svg_bytes(page: SummaryPage) -> tuple[bytes, QSize]:
    """The page as an SVG document, and its size in pixels."""
    size = QSize(VECTOR_WIDTH, math.ceil(page.height * VECTOR_WIDTH / BASE_WIDTH))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(DPI)
    generator.setTitle(page.title)
    generator.setDescription(DESCRIPTION)
    _paint(generator, page, size.width(), size.height())
    buffer.close()
    return bytes(data.data()), size


def pdf_bytes(page: SummaryPage) -> tuple[bytes, QSizeF]:
    """The page as a one-page PDF whose page has the summary's shape, and its size in
    points."""
    width = float(VECTOR_WIDTH)
    if page.height * width / BASE_WIDTH * 72 / DPI > MAX_PDF_POINTS:
        width = MAX_PDF_POINTS * DPI / 72 * BASE_WIDTH / page.height
    height = page.height * width / BASE_WIDTH
    points = QSizeF(width * 72 / DPI, height * 72 / DPI)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setTitle(page.title)
    writer.setCreator("CX Mapper")
    writer.setPageLayout(QPageLayout(
        QPageSize(points, QPageSize.Unit.Point, "Summary", QPageSize.SizeMatchPolicy.ExactMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point))
    _paint(writer, page, width, height)
    buffer.close()
    return bytes(data.data()), points


def _paint(device: QSvgGenerator | QPdfWriter, page: SummaryPage, width: float,
           height: float) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("could not start drawing the summary")
    try:
        painter.fillRect(QRectF(0, 0, width, height), PAGE)
        paint_summary(painter, page, width)
    finally:
        painter.end()
