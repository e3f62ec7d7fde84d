"""The summary's "Where customers wait": the slowest transitions and stages, from the
times an event log measured (log_times). Only a journey with times has the section.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter

from cx_mapper.domain.durations import short_duration
from cx_mapper.domain.journey import Journey
from cx_mapper.ui.export.drawing import MUTED, PALETTE, TEXT, draw_rule, draw_text, page_font

#: Rows of each table: the slowest first.
WAIT_COUNT = 5
HEADER_ROW = 36.0
ROW = 40.0
GUTTER = 32.0
#: The figures' columns, right-aligned after the name.
_FIGURE_WIDTH = 104.0


@dataclass(frozen=True)
class WaitRow:
    name: str
    median: float
    p90: float | None

    def cells(self) -> tuple[str, str, str]:
        return self.name, short_duration(self.median), short_duration(self.p90)


def slowest_transitions(journey: Journey, count: int = WAIT_COUNT) -> list[WaitRow]:
    """The transitions with the longest median time, "From → To"."""
    names = {t.id: t.name or t.id for t in journey.touchpoints.values()}
    rows = [WaitRow(f"{names.get(t.source, t.source)} → {names.get(t.target, t.target)}",
                    t.time_median, t.time_p90)
            for t in journey.transitions.values() if t.time_median is not None]
    return sorted(rows, key=lambda row: -row.median)[:count]


def slowest_stages(journey: Journey, count: int = WAIT_COUNT) -> list[WaitRow]:
    """The stages with the longest median time in them."""
    rows = [WaitRow(s.name or s.id, s.time_median, s.time_p90)
            for s in journey.stages if s.time_median is not None]
    return sorted(rows, key=lambda row: -row.median)[:count]


def has_times(journey: Journey) -> bool:
    return bool(slowest_transitions(journey, 1) or slowest_stages(journey, 1))


class WaitsSection:
    """Two tables side by side, transitions and stages; one across when only one has
    times. `height` is in design units."""

    def __init__(self, journey: Journey, left: float, width: float) -> None:
        self.tables = [(title, rows) for title, rows in (
            ("Between touchpoints", slowest_transitions(journey)),
            ("Time in stage", slowest_stages(journey))) if rows]
        self.left, self.width = left, width
        longest = max((len(rows) for _, rows in self.tables), default=0)
        self.height = HEADER_ROW + ROW * longest

    def paint(self, painter: QPainter, top: float) -> None:
        count = len(self.tables)
        width = (self.width - GUTTER * (count - 1)) / max(count, 1)
        for index, (title, rows) in enumerate(self.tables):
            self._table(painter, QRectF(self.left + index * (width + GUTTER), top, width,
                                        self.height), title, rows)

    def _table(self, painter: QPainter, rect: QRectF, title: str, rows: list[WaitRow]) -> None:
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        name_width = rect.width() - 2 * _FIGURE_WIDTH
        header = page_font(13, QFont.Weight.DemiBold)
        columns = ((title, rect.left(), name_width, Qt.AlignmentFlag.AlignLeft
                    | Qt.AlignmentFlag.AlignVCenter),
                   ("Median", rect.left() + name_width, _FIGURE_WIDTH, right),
                   ("90% within", rect.left() + name_width + _FIGURE_WIDTH, _FIGURE_WIDTH,
                    right))
        for name, x, width, flags in columns:
            draw_text(painter, QRectF(x, rect.top(), width - 12 * (x == rect.left()), 30),
                      name, header, MUTED, flags)
        y = rect.top() + HEADER_ROW
        draw_rule(painter, y, rect.left(), rect.right(), TEXT, 1.5)
        for row in rows:
            for (_, x, width, flags), text, font in zip(
                    columns, row.cells(),
                    (page_font(16, QFont.Weight.DemiBold), page_font(16, QFont.Weight.Bold),
                     page_font(16)), strict=True):
                inset = 12 if x == rect.left() else 0
                draw_text(painter, QRectF(x, y, width - inset, ROW), text, font,
                          TEXT if text != "–" else MUTED, flags)
            y += ROW
            draw_rule(painter, y, rect.left(), rect.right(), PALETTE.track)
