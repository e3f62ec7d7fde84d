"""The summary as vector files: SVG with its text as text, and PDF (one tall page, or
A4, A3 or Letter pages split between its parts) with real text (selectable and
searchable) and the map and charts as vectors.

Both paint the page `summary_page` laid out, through `paint_summary`, as the PNG does,
so every format shows the same page. The devices are at 96 dpi, as the PNG's image is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import (
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QPainter, QPdfWriter

from cx_mapper.exports.paging import Placed, bands, paginate
from cx_mapper.exports.paper import paper_points
from cx_mapper.ui.export.devices import DPI, pdf_document, svg_document
from cx_mapper.ui.export.drawing import MUTED, PAGE, draw_text, page_font
from cx_mapper.ui.export.summary import BASE_WIDTH, DESCRIPTION, SummaryPage, paint_summary

#: The page's width in device pixels: the design grid one to one.
VECTOR_WIDTH = int(BASE_WIDTH)
#: The tallest page PDF readers open (Acrobat's 200 inches); a taller summary is made
#: narrower to fit rather than cut.
MAX_PDF_POINTS = 14400.0
#: A paper page's margins above its first part and below its last, in design units
#: (the summary's own side margins are its left and right).
PAPER_TOP, PAPER_BOTTOM = 48.0, 72.0


def svg_bytes(page: SummaryPage) -> tuple[bytes, QSize]:
    """The page as an SVG document, and its size in pixels."""
    size = QSize(VECTOR_WIDTH, math.ceil(page.height * VECTOR_WIDTH / BASE_WIDTH))
    data = svg_document(size, lambda painter: paint_summary(painter, page, size.width()),
                        title=page.title, description=DESCRIPTION)
    return data, size


def part_svg_bytes(page: SummaryPage, key: str, pad: float = 8.0) -> bytes:
    """One part of the page (the map with its key, a chart) as an SVG of its own, one
    pixel per design unit: the deck places it where PowerPoint draws vectors."""
    block = next(block for block in page.blocks if block.key == key)
    area = block.rect.adjusted(-pad, -pad, pad, pad)

    def paint(painter: QPainter) -> None:
        painter.translate(-area.left(), -area.top())
        page.scale = 1.0
        block.paint(painter, block.rect)  # the block's title is the slide's

    return svg_document(QSize(math.ceil(area.width()), math.ceil(area.height())), paint,
                        title=f"{page.title}: {block.title}", description=DESCRIPTION)


def pdf_bytes(page: SummaryPage) -> tuple[bytes, QSizeF]:
    """The page as a one-page PDF whose page has the summary's shape, and its size in
    points."""
    width = float(VECTOR_WIDTH)
    if page.height * width / BASE_WIDTH * 72 / DPI > MAX_PDF_POINTS:
        width = MAX_PDF_POINTS * DPI / 72 * BASE_WIDTH / page.height
    points = QSizeF(width * 72 / DPI, page.height * width / BASE_WIDTH * 72 / DPI)
    data = pdf_document(points, lambda _writer, painter: paint_summary(painter, page, width),
                        title=page.title)
    return data, points


@dataclass(frozen=True)
class Sheets:
    """The summary split onto sheets of one paper: each sheet's bands, the sheet's size
    in points and the device pixels (at 96 dpi) per design unit."""

    page: SummaryPage
    placed: list[list[Placed]]
    points: tuple[float, float]
    scale: float

    @property
    def height(self) -> float:
        """A sheet's height in design units."""
        return self.points[1] * DPI / 72 / self.scale

    def paint(self, painter: QPainter, number: int) -> None:
        """Sheet `number` (from 1) at 96 dpi, its title and page number at its foot."""
        page, scale = self.page, self.scale
        parts = {part.key: part for part in page.parts()}
        painter.fillRect(QRectF(0, 0, BASE_WIDTH * scale, self.height * scale), PAGE)
        for placed in self.placed[number - 1]:
            painter.save()
            # Design units to the sheet; a band too tall for a sheet is shrunk about
            # the page's centre line.
            painter.scale(scale, scale)
            painter.translate(BASE_WIDTH * (1 - placed.scale) / 2, placed.y)
            painter.scale(placed.scale, placed.scale)
            painter.translate(0, -placed.band.top)
            page.scale = scale * placed.scale
            for key in placed.band.keys:
                parts[key].paint(painter)
            painter.restore()
        _paint_running_footer(painter, page, scale, self.height, number, len(self.placed))


def sheets(page: SummaryPage, paper: str, landscape: bool = False) -> Sheets:
    """The page on sheets of `paper` (exports.paper.PAPERS), split between its parts:
    a part (a card row, a chart, a table) is never cut in two."""
    width_pt, height_pt = paper_points(paper, landscape)
    scale = width_pt * DPI / 72 / BASE_WIDTH
    placed = paginate(bands([(p.key, p.top, p.bottom) for p in page.parts()]),
                      height_pt * DPI / 72 / scale, top=PAPER_TOP, bottom=PAPER_BOTTOM)
    return Sheets(page, placed, (width_pt, height_pt), scale)


def paged_pdf_bytes(page: SummaryPage, paper: str, landscape: bool = False
                    ) -> tuple[bytes, int, tuple[float, float]]:
    """The page on sheets of `paper`, split between its parts; returns the PDF, its
    page count and the sheet's size in points."""
    split = sheets(page, paper, landscape)

    def paint(writer: QPdfWriter, painter: QPainter) -> None:
        for number in range(1, len(split.placed) + 1):
            if number > 1:
                writer.newPage()
            split.paint(painter, number)

    data = pdf_document(QSizeF(*split.points), paint, title=page.title, paper=paper)
    return data, len(split.placed), split.points


def _paint_running_footer(painter: QPainter, page: SummaryPage, scale: float,
                          sheet_height: float, number: int, count: int) -> None:
    """The document's title and "Page 2 of 4" at each sheet's foot."""
    painter.save()
    painter.scale(scale, scale)
    row = QRectF(page.left, sheet_height - PAPER_BOTTOM + 24, page.content_width, 22)
    font = page_font(13)
    draw_text(painter, row, page.title, font, MUTED)
    draw_text(painter, row, f"Page {number} of {count}", font, MUTED,
              Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    painter.restore()
