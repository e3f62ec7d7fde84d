"""The vector devices every export draws on: an SVG document and a PDF document.

Each is drawn at 96 dpi, as the PNG's image is, so the map's point-size fonts come out
the same on every device; each is written into memory, and the caller writes the bytes
atomically. Both set the document's title and who made it.

Qt's SVG writer names the font as Qt knows it: on a machine without a desktop that is
the alias "Sans Serif", which browsers, PowerPoint and Inkscape do not know, so they
fall back to a serif face. Each family is written as the face Qt actually used, then
the generic sans-serif.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QRectF, QSize, QSizeF
from PySide6.QtGui import QFont, QFontInfo, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator

from cx_mapper.ui.export.drawing import PAGE

DPI = 96
CREATOR = "CX Mapper"


def svg_document(size: QSize, paint: Callable[[QPainter], None], *, title: str = "",
                 description: str = "") -> bytes:
    """An SVG `size` pixels big on a white page, drawn by `paint`, its text as text."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setResolution(DPI)
    if title:
        generator.setTitle(title)
    if description:
        generator.setDescription(description)
    _draw(generator, QRectF(0, 0, size.width(), size.height()), paint)
    buffer.close()
    return with_font_fallback(bytes(data.data()))


def pdf_document(points: QSizeF, paint: Callable[[QPdfWriter, QPainter], None], *,
                 title: str, paper: str = "") -> bytes:
    """A PDF of pages `points` big, drawn by `paint` (which starts each page after the
    first with `writer.newPage()`), its text real text."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setTitle(title)
    writer.setCreator(CREATOR)
    writer.setPageLayout(QPageLayout(
        QPageSize(points, QPageSize.Unit.Point, paper or "Summary",
                  QPageSize.SizeMatchPolicy.ExactMatch),
        QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Point))
    _draw(writer, QRectF(0, 0, points.width() * DPI / 72, points.height() * DPI / 72),
          lambda painter: paint(writer, painter))
    buffer.close()
    return bytes(data.data())


def _draw(device: QSvgGenerator | QPdfWriter, page: QRectF,
          paint: Callable[[QPainter], None]) -> None:
    painter = QPainter()
    if not painter.begin(device):
        raise RuntimeError("could not start drawing the export")
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(page, PAGE)
        paint(painter)
    finally:
        painter.end()

FAMILY = re.compile(rb'font-family="([^"]*)"')


def with_font_fallback(svg: bytes) -> bytes:
    """The SVG with each font-family a list: the face used, then sans-serif."""
    return FAMILY.sub(lambda found: b'font-family="' + _families(found.group(1)) + b'"', svg)


@cache
def _families(named: bytes) -> bytes:
    family = named.decode("utf-8", "replace")
    used = QFontInfo(QFont(family)).family() or family
    if not used or "," in used or "'" in used or '"' in used:
        return b"sans-serif"
    return f"'{used}', sans-serif".encode()
