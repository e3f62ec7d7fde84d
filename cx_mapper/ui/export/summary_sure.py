"""How sure the summary's figures are (PRODUCT.md, "How sure are we").

When the journey has inputs that carry evidence, each KPI tile shows its 90% interval
under the value, and a strip under the tiles says what drives the spread of the
loyalty index (or of the plan objective's KPI) and what to research next, in the words
`cx-mapper analyze --uncertainty` uses. Without evidence none of this is drawn and the
page is as it always was.

The figures are the caller's, like the plan's: `sure_figures` runs the engine's
uncertainty analysis with the default draws and seed, so the summary, the app and the
command line give the same intervals.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import counted
from cx_mapper.engine.kpis import KPI_BY_KEY, Kpi, single_kpi
from cx_mapper.engine.uncertainty import Driver, Uncertainty
from cx_mapper.engine.uncertainty_report import research_words
from cx_mapper.exports.figures import has_evidence as has_evidence
from cx_mapper.exports.figures import journey_intervals
from cx_mapper.ui.export.drawing import (
    MUTED,
    PALETTE,
    TEXT,
    TILE_FILL,
    draw_text,
    page_font,
    rounded_rect,
    wrapped_height,
)

#: The tiles grow by this to carry their interval under the value.
INTERVAL_ROW = 22.0
#: The strip names this many drivers of the spread.
DRIVERS_SHOWN = 3
PAD = 18.0
INTRO_WIDTH = 330.0
DRIVERS_WIDTH = 640.0
COLUMN_GAP = 36.0
HEADING = 22.0  # a column's heading row
DRIVER_ROW = 26.0
RESEARCH_PREFIX = "Research next: "


def sure_figures(project: Project, journey_id: str) -> Uncertainty | None:
    """The journey's uncertainty analysis as the summary shows it (exports/figures.py)."""
    return journey_intervals(project, journey_id)


def fitted_font(texts: list[str], width: float) -> QFont:
    """The tiles' interval font: one size for every tile, a size or two smaller when a
    wide interval needs it, so no figure is cut short."""
    for size in (13.0, 12.0, 11.0):
        font = page_font(size, QFont.Weight.DemiBold)
        metrics = QFontMetricsF(font)
        if all(metrics.horizontalAdvance(text) <= width for text in texts):
            return font
    return page_font(11)


def spread_kpi(journey: Journey) -> Kpi:
    """Whose spread the strip explains: the plan objective's KPI, when the plan has one
    objective, else the loyalty index."""
    if journey.plan is not None and journey.opportunities:
        kpi = single_kpi(journey.plan.objective)
        if kpi is not None:
            return kpi
    return KPI_BY_KEY["loyalty_index"]


def plan_chance_words(found: Uncertainty) -> str | None:
    """The plan section's note, after "How sure:": how often the plan is the best
    option."""
    if found.plan_chance is None:
        return None
    return (f"the plan is the best option in {found.plan_chance:.0%} of the "
            f"{found.samples:,} draws of the uncertain inputs (the other options: the best "
            "plans for lower budgets, and funding nothing).")


def method_words(found: Uncertainty) -> str:
    """The footer's line on how the intervals were found."""
    failed = (f" {counted(found.failed, 'draw')} could not be analysed and "
              f"{'is' if found.failed == 1 else 'are'} left out."
              if found.failed else "")
    return (f"How sure: each 90% interval runs from the 5th to the 95th percentile of "
            f"{found.samples:,} draws (seed {found.seed}) of the "
            f"{counted(found.inputs, 'input')} that carry evidence, each draw analysed "
            "exactly; figures without evidence are fixed. The large figures are the "
            "analysis of the inputs as entered, so an interval need not be centred on its "
            "figure. A driver's share is the part of "
            "the figure's variance that input explains alone; research next is the input "
            "whose measurement is worth most to the decision (expected value of perfect "
            f"information).{failed}")


class SureStrip:
    """The strip under the tiles: what the intervals are, what drives the spread, and
    what to research next, side by side."""

    def __init__(self, journey: Journey, found: Uncertainty, width: float) -> None:
        self.found = found
        self.kpi = spread_kpi(journey)
        self.drivers: list[Driver] = [d for d in found.drivers.get(self.kpi.key, ())
                                      if round(d.share, 2) > 0][:DRIVERS_SHOWN]
        self.width = width
        research = research_words(found).removeprefix(RESEARCH_PREFIX)
        self.research = research[:1].upper() + research[1:]
        self.intro = (f"Under each figure, its 90% interval: {found.samples:,} draws of the "
                      f"{counted(found.inputs, 'input')} that carry evidence.")
        text = max(wrapped_height(self.intro, page_font(13), INTRO_WIDTH),
                   wrapped_height(self.research, page_font(15), self._research_width()),
                   DRIVER_ROW * max(1, len(self.drivers)))
        self.height = PAD + HEADING + 6 + text + PAD - 4

    def _research_width(self) -> float:
        return self.width - 2 * PAD - INTRO_WIDTH - DRIVERS_WIDTH - 2 * COLUMN_GAP

    def paint(self, painter: QPainter, rect: QRectF) -> None:
        rounded_rect(painter, rect, 8, TILE_FILL, PALETTE.track)
        top = rect.top() + PAD
        body = top + HEADING + 6
        left = rect.left() + PAD
        heading = page_font(13, QFont.Weight.DemiBold)
        draw_text(painter, QRectF(left, top - 2, INTRO_WIDTH, HEADING + 2), "How sure are we",
                  page_font(16, QFont.Weight.Bold), TEXT)
        _wrapped(painter, QRectF(left, body, INTRO_WIDTH, rect.bottom() - body), self.intro,
                 page_font(13), MUTED)

        left += INTRO_WIDTH + COLUMN_GAP
        draw_text(painter, QRectF(left, top, DRIVERS_WIDTH, HEADING),
                  f"What drives the spread of the {self.kpi.label.lower()}", heading, MUTED)
        self._paint_drivers(painter, QRectF(left, body, DRIVERS_WIDTH, rect.bottom() - body))

        left += DRIVERS_WIDTH + COLUMN_GAP
        width = self._research_width()
        draw_text(painter, QRectF(left, top, width, HEADING), "Research next", heading, MUTED)
        _wrapped(painter, QRectF(left, body, width, rect.bottom() - body), self.research,
                 page_font(15), TEXT)

    def _paint_drivers(self, painter: QPainter, rect: QRectF) -> None:
        if not self.drivers:
            draw_text(painter, QRectF(rect.left(), rect.top(), rect.width(), DRIVER_ROW),
                      "No input moves it.", page_font(15), TEXT)
            return
        name_font = page_font(15)
        share_font = page_font(15, QFont.Weight.DemiBold)
        share_width = QFontMetricsF(share_font).horizontalAdvance("100%") + 4
        bar_width = 100.0
        name_width = rect.width() - bar_width - share_width - 24
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        y = rect.top()
        for driver in self.drivers:
            row = QRectF(rect.left(), y, rect.width(), DRIVER_ROW)
            draw_text(painter, QRectF(row.left(), y, name_width, DRIVER_ROW), driver.label,
                      name_font, TEXT)
            track = QRectF(row.left() + name_width + 12, row.center().y() - 6, bar_width, 12)
            rounded_rect(painter, track, 3, PALETTE.track)
            rounded_rect(painter, QRectF(track.left(), track.top(),
                                         max(2.0, track.width() * min(driver.share, 1.0)),
                                         track.height()), 3, PALETTE.visits)
            draw_text(painter, QRectF(row.right() - share_width, y, share_width, DRIVER_ROW),
                      f"{driver.share:.0%}", share_font, TEXT, right)
            y += DRIVER_ROW


def _wrapped(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor) -> None:
    painter.setFont(font)
    painter.setPen(colour)
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                               | Qt.TextFlag.TextWordWrap), text)
