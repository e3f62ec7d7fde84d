"""The one-page drift summary (`cx-mapper drift --png`): the verdict, the KPIs before and
after the significant changes, the table of changes, new and vanished touchpoints.

Designed on the summary's 1,600-unit grid and painted through a scaled painter
(see summary.py), headless on the offscreen platform from the command line.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from cx_mapper.engine.drift_report import (
    DriftReport,
    cell_text,
    counted_as,
    p_text,
    ranked_cells,
    verdict,
    what_moved,
)
from cx_mapper.engine.kpis import CARD_KPIS
from cx_mapper.ui.export.drawing import (
    MUTED,
    PAGE,
    PALETTE,
    RULE,
    TEXT,
    TILE_FILL,
    draw_rule,
    draw_text,
    page_font,
    rounded_rect,
    wrapped_height,
)
from cx_mapper.ui.look.palette import sign_color

BASE_WIDTH = 1600.0
MARGIN = 64.0
GAP = 36.0
TILE_HEIGHT = 118.0
TILES_PER_ROW = 4
HEADER = 44.0  # the table's header row
ROW = 72.0  # and each of its rows, two lines
#: The table shows this many changes, then how many more.
ROWS_SHOWN = 25
#: Column widths of the changes table, as shares of the page's inner width.
COLUMNS = (("Touchpoint", 0.27), ("What moved most", 0.35), ("Test", 0.18), ("Alone", 0.20))
CALM = QColor("#e8f3ec")
ALARM = QColor("#fbe9e4")


def render_drift(report: DriftReport, project_name: str, log_name: str, *,
                 threshold: float | None = None, width: int = 2400,
                 date: dt.date | None = None) -> QImage:
    """The page at `width` pixels; its height follows the content."""
    page = _Page(report, project_name, log_name, threshold, date or dt.date.today())
    height = page.paint(None)
    scale = width / BASE_WIDTH
    image = QImage(width, math.ceil(height * scale), QImage.Format.Format_RGB32)
    image.setDotsPerMeterX(3780)
    image.setDotsPerMeterY(3780)
    image.fill(PAGE)
    image.setText("Title", f"{project_name}: drift of {report.journey_name or report.journey_id}")
    image.setText("Description", "Drift check made with CX Mapper")
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        painter.scale(scale, scale)
        page.paint(painter)
    finally:
        painter.end()
    return image


class _Page:
    """Lays out and paints the page; painting with no painter measures its height."""

    def __init__(self, report: DriftReport, project_name: str, log_name: str,
                 threshold: float | None, date: dt.date) -> None:
        self.report, self.project_name, self.log_name = report, project_name, log_name
        self.threshold, self.date = threshold, date
        self.inner = BASE_WIDTH - 2 * MARGIN

    def paint(self, painter: QPainter | None) -> float:
        y = MARGIN
        y = self._header(painter, y) + GAP
        y = self._verdict(painter, y) + GAP
        if self.report.significant:
            y = self._kpis(painter, y) + GAP
            y = self._changes(painter, y) + GAP
        for title, names in (("In the data, not on the map", list(self.report.new)),
                             ("On the map, not in the data",
                              [name for _, name in self.report.vanished])):
            if names:
                y = self._names(painter, y, title, names) + GAP
        return y + MARGIN - GAP

    def _text(self, painter: QPainter | None, rect: QRectF, text: str, font: QFont,
              colour: QColor = TEXT,
              flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
              | Qt.AlignmentFlag.AlignVCenter) -> None:
        if painter is not None:
            draw_text(painter, rect, text, font, colour, flags)

    def _header(self, painter: QPainter | None, y: float) -> float:
        report = self.report
        title = f"Drift check · {report.journey_name or report.journey_id}"
        self._text(painter, QRectF(MARGIN, y, self.inner, 56), title,
                   page_font(40, QFont.Weight.Bold))
        y += 60
        line = (f"{self.project_name} · {self.log_name}: {report.events:,} events of "
                f"{report.customers:,} customers · {self.date.isoformat()}")
        self._text(painter, QRectF(MARGIN, y, self.inner, 34), line, page_font(22), MUTED)
        return y + 34

    def _verdict(self, painter: QPainter | None, y: float) -> float:
        text = verdict(self.report, self.threshold)
        font = page_font(28, QFont.Weight.DemiBold)
        height = wrapped_height(text, font, self.inner - 48) + 32
        test = f"Test: {self.report.test_words}; {len(self.report.tests):,} tests."
        small = page_font(20)
        test_height = wrapped_height(test, small, self.inner - 48)
        box = QRectF(MARGIN, y, self.inner, height + test_height + 20)
        if painter is not None:
            rounded_rect(painter, box, 12, ALARM if self.report.significant else CALM)
            painter.setFont(font)
            painter.setPen(TEXT)
            painter.drawText(QRectF(MARGIN + 24, y + 16, self.inner - 48, height),
                             int(Qt.TextFlag.TextWordWrap), text)
            painter.setFont(small)
            painter.setPen(MUTED)
            painter.drawText(QRectF(MARGIN + 24, y + height, self.inner - 48, test_height),
                             int(Qt.TextFlag.TextWordWrap), test)
        return box.bottom()

    def _kpis(self, painter: QPainter | None, y: float) -> float:
        self._text(painter, QRectF(MARGIN, y, self.inner, 36),
                   "Key figures: the journey as it is → with the significant changes applied",
                   page_font(24, QFont.Weight.DemiBold))
        y += 48
        deltas = [d for d in self.report.kpis
                  if d.kpi in CARD_KPIS and d.before is not None]
        width = (self.inner - (TILES_PER_ROW - 1) * 16) / TILES_PER_ROW
        for index, delta in enumerate(deltas):
            row, column = divmod(index, TILES_PER_ROW)
            rect = QRectF(MARGIN + column * (width + 16), y + row * (TILE_HEIGHT + 16),
                          width, TILE_HEIGHT)
            if painter is None:
                continue
            rounded_rect(painter, rect, 10, TILE_FILL)
            inner = rect.adjusted(18, 12, -18, -12)
            kpi = delta.kpi
            self._text(painter, QRectF(inner.left(), inner.top(), inner.width(), 28),
                       kpi.label, page_font(20), MUTED)
            self._text(painter, QRectF(inner.left(), inner.top() + 30, inner.width(), 40),
                       f"{kpi.value_text(delta.before)} → {kpi.value_text(delta.after)}",
                       page_font(28, QFont.Weight.DemiBold))
            change = delta.delta
            if change is not None:
                good = change if kpi.higher_is_better else -change
                colour = sign_color(good, PALETTE) or MUTED
                self._text(painter, QRectF(inner.left(), inner.top() + 70, inner.width(), 26),
                           kpi.change_text(change), page_font(20, QFont.Weight.DemiBold),
                           colour)
        rows = math.ceil(len(deltas) / TILES_PER_ROW)
        return y + rows * TILE_HEIGHT + max(rows - 1, 0) * 16

    def _changes(self, painter: QPainter | None, y: float) -> float:
        report = self.report
        kpi = report.delta(report.kpi).kpi
        self._text(painter, QRectF(MARGIN, y, self.inner, 36),
                   f"Significant changes ({len(report.significant):,})",
                   page_font(24, QFont.Weight.DemiBold))
        y += 44
        lefts = [MARGIN]
        for _, share in COLUMNS[:-1]:
            lefts.append(lefts[-1] + share * self.inner)
        widths = [share * self.inner - 16 for _, share in COLUMNS]
        headers = [*(name for name, _ in COLUMNS[:-1]), f"{kpi.label} alone"]
        for left, width, header in zip(lefts, widths, headers, strict=True):
            self._text(painter, QRectF(left, y, width, HEADER), header,
                       page_font(19, QFont.Weight.DemiBold), MUTED)
        y += HEADER
        if painter is not None:
            draw_rule(painter, y, MARGIN, MARGIN + self.inner, RULE, 1.5)
        line = ROW / 2 - 4
        for test in report.significant[:ROWS_SHOWN]:
            top, bottom = y + 6, y + 6 + line
            self._text(painter, QRectF(lefts[0], top, widths[0], line), test.name,
                       page_font(20, QFont.Weight.DemiBold))
            self._text(painter, QRectF(lefts[0], bottom, widths[0], line),
                       f"{what_moved(test)} · {counted_as(test)}", page_font(17), MUTED)
            for index, cell in enumerate(ranked_cells(test)[:2]):
                self._text(painter, QRectF(lefts[1], top + index * line, widths[1], line),
                           cell_text(test, cell), page_font(20))
            self._text(painter, QRectF(lefts[2], top, widths[2], line), test.test.method,
                       page_font(18), MUTED)
            self._text(painter, QRectF(lefts[2], bottom, widths[2], line),
                       p_text(test.test.p_value), page_font(18), MUTED)
            colour = TEXT
            if test.alone is not None:
                good = test.alone if kpi.higher_is_better else -test.alone
                colour = sign_color(good, PALETTE) or TEXT
            self._text(painter, QRectF(lefts[3], top, widths[3], line),
                       "–" if test.alone is None else kpi.change_text(test.alone),
                       page_font(20, QFont.Weight.DemiBold), colour)
            y += ROW
            if painter is not None:
                draw_rule(painter, y, MARGIN, MARGIN + self.inner)
        more = len(report.significant) - ROWS_SHOWN
        if more > 0:
            self._text(painter, QRectF(MARGIN, y, self.inner, HEADER), f"… and {more:,} more",
                       page_font(20), MUTED)
            y += HEADER
        return y

    def _names(self, painter: QPainter | None, y: float, title: str, names: list[str]
               ) -> float:
        self._text(painter, QRectF(MARGIN, y, self.inner, 36), f"{title} ({len(names):,})",
                   page_font(24, QFont.Weight.DemiBold))
        y += 44
        text = " · ".join(names)
        font = page_font(20)
        height = wrapped_height(text, font, self.inner)
        if painter is not None:
            painter.setFont(font)
            painter.setPen(TEXT)
            painter.drawText(QRectF(MARGIN, y, self.inner, height + 4),
                             int(Qt.TextFlag.TextWordWrap), text)
        return y + height
