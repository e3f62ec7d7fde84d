"""The summary's plan: the value-vs-effort matrix, the frontier, what the plan gains in
all, and the opportunities with their costs and gains (PRODUCT.md, "From 'fix first'
to a funded plan").

Laid out in the page's design units (summary.py) before anything is painted. The
figures are the caller's: the plan and each opportunity's gains come from the engine
(`engine.plan`), the totals before from the journey's analysis.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import OPPORTUNITY_STATUSES
from cx_mapper.domain.project import Project
from cx_mapper.engine.kpis import KPI_BY_KEY, format_delta
from cx_mapper.engine.plan import Plan, objective_value
from cx_mapper.engine.plan_report import PlanFigures as PlanFigures  # their old home
from cx_mapper.engine.plan_report import plan_figures as plan_figures
from cx_mapper.engine.results import Analysis
from cx_mapper.engine.uncertainty import Uncertainty
from cx_mapper.ui.analysis.chart_style import ChartStyle
from cx_mapper.ui.export.drawing import (
    MUTED,
    PALETTE,
    TEXT,
    TILE_FILL,
    draw_rule,
    draw_text,
    page_font,
    rounded_rect,
)
from cx_mapper.ui.export.plan_charts import MatrixPoint, plot_frontier, plot_value_effort
from cx_mapper.ui.export.summary_sure import plan_chance_words
from cx_mapper.ui.look.palette import sign_color
from cx_mapper.ui.plan.words import cost_text, objective_label, score_text, score_value

CHARTS_HEIGHT = 380.0
TILE_HEIGHT = 112.0
HEADER_ROW = 34.0
ROW = 40.0
ROWS_SHOWN = 10  # the rest are counted, "+N more"
SPACE = 28.0
NOTE_ROW = 40.0  # how sure the plan is, under its tiles
#: What the plan's tiles show before -> after, in the cards' order.
TILE_KPIS = ("loyalty_index", "value", "referral_r", "exposure_net", "conversion_probability")

ChartPainter = Callable[[Callable[[pg.GraphicsLayoutWidget, ChartStyle], object], float],
                        Callable[[QPainter, QRectF], None]]


def plan_caption(plan: Plan, project: Project, total: int) -> str:
    unit = project.cost_unit
    proof = ("the best of every bundle that fits" if plan.optimal
             else "the best found; not proven best")
    return (f"Fund {len(plan.chosen)} of {total} opportunities for "
            f"{cost_text(plan.cost, unit)} of {cost_text(plan.budget, unit)} · "
            f"objective: {objective_label(plan.objective).lower()} · {proof}")


class PlanSection:
    """The plan block: charts, tiles and the opportunities table, top to bottom."""

    def __init__(self, project: Project, journey: Journey, analysis: Analysis, plan: Plan,
                 gains: Mapping[str, Mapping[str, float]], left: float, width: float,
                 sure: Uncertainty | None = None) -> None:
        self.project, self.journey, self.analysis = project, journey, analysis
        self.plan, self.gains = plan, gains
        self.chance = plan_chance_words(sure) if sure is not None else None
        self.left, self.width = left, width
        self.rows = journey.opportunities[:ROWS_SHOWN]
        self.more = len(journey.opportunities) - len(self.rows)
        self.tiles = [key for key in TILE_KPIS
                      if key != "conversion_probability" or analysis.has_conversion]
        table = HEADER_ROW + ROW * len(self.rows) + (24 if self.more else 0)
        note = NOTE_ROW if self.chance is not None else 0.0
        self.height = CHARTS_HEIGHT + SPACE + TILE_HEIGHT + note + SPACE + table

    def paint(self, painter: QPainter, top: float, chart: ChartPainter) -> None:
        self.paint_charts(painter, top, chart)
        y = top + CHARTS_HEIGHT + SPACE
        self._paint_tiles(painter, QRectF(self.left, y, self.width, TILE_HEIGHT))
        y += TILE_HEIGHT
        if self.chance is not None:
            label = page_font(15, QFont.Weight.Bold)
            shift = QFontMetricsF(label).horizontalAdvance("How sure: ")
            draw_text(painter, QRectF(self.left, y + 12, shift, NOTE_ROW - 12), "How sure: ",
                      label, TEXT, elide=False)
            draw_text(painter, QRectF(self.left + shift, y + 12, self.width - shift,
                                      NOTE_ROW - 12), self.chance, page_font(15), TEXT)
            y += NOTE_ROW
        y += SPACE
        self._paint_table(painter, QRectF(self.left, y, self.width,
                                          self.height - (y - top)))

    # -- charts ----------------------------------------------------------------------
    def paint_charts(self, painter: QPainter, top: float, chart: ChartPainter) -> None:
        """Value against effort and the frontier, side by side, CHARTS_HEIGHT tall (the
        HTML report shows these alone, its tables beside them)."""
        wide = self.width * 0.56
        gutter = 32.0
        matrix = QRectF(self.left, top, wide - gutter / 2, CHARTS_HEIGHT)
        frontier = QRectF(self.left + wide + gutter / 2, top,
                          self.width - wide - gutter / 2, CHARTS_HEIGHT)
        chart(self._matrix, 280.0)(painter, matrix)
        chart(self._frontier, 280.0)(painter, frontier)

    def _gain_label(self) -> str:
        return f"Gain in {objective_label(self.plan.objective).lower()}"

    def _cost_label(self) -> str:
        unit = self.project.cost_unit
        return f"Cost ({unit})" if unit else "Cost"

    def points(self) -> list[MatrixPoint]:
        objective = self.plan.objective
        chosen = set(self.plan.chosen)
        return [MatrixPoint(o.id, n, o.title or o.id, o.cost,
                            score_value(objective, objective_value(dict(self.gains[o.id]),
                                                                   dict(objective))),
                            o.id in chosen)
                for n, o in enumerate(self.journey.opportunities, start=1)
                if o.id in self.gains]

    def _matrix(self, widget: pg.GraphicsLayoutWidget, style: ChartStyle) -> object:
        return plot_value_effort(widget.addPlot(), self.points(), style,
                                 cost_label=self._cost_label(), gain_label=self._gain_label())

    def _frontier(self, widget: pg.GraphicsLayoutWidget, style: ChartStyle) -> object:
        objective = self.plan.objective
        steps = [(p.budget, score_value(objective, p.score)) for p in self.plan.frontier]
        unit = self.project.cost_unit
        return plot_frontier(widget.addPlot(), steps, self.plan.budget, style,
                             cost_label=f"Budget ({unit})" if unit else "Budget",
                             score_label=f"Best {self._gain_label().lower()}")

    # -- tiles and table ---------------------------------------------------------------
    def _paint_tiles(self, painter: QPainter, rect: QRectF) -> None:
        gap = 12.0
        width = (rect.width() - gap * (len(self.tiles) - 1)) / len(self.tiles)
        totals = self.analysis.totals
        for i, key in enumerate(self.tiles):
            kpi = KPI_BY_KEY[key]
            before = getattr(totals, key)
            change = self.plan.gains.get(key, 0.0)
            tile = QRectF(rect.left() + i * (width + gap), rect.top(), width, rect.height())
            rounded_rect(painter, tile, 8, TILE_FILL, PALETTE.track)
            inner = tile.adjusted(15, 12, -10, -10)
            draw_text(painter, QRectF(inner.left(), inner.top(), inner.width(), 20),
                      kpi.label, page_font(13, QFont.Weight.DemiBold), MUTED)
            draw_text(painter, QRectF(inner.left(), inner.top() + 24, inner.width(), 38),
                      f"{kpi.value_text(before)} → {kpi.value_text(before + change)}",
                      page_font(26, QFont.Weight.Bold), TEXT)
            delta = kpi.scale * change
            good = delta if kpi.higher_is_better else -delta
            draw_text(painter, QRectF(inner.left(), inner.top() + 66, inner.width(), 22),
                      f"{format_delta(kpi, delta)} with the plan",
                      page_font(14, QFont.Weight.DemiBold),
                      sign_color(good, PALETTE) or MUTED)

    def _paint_table(self, painter: QPainter, rect: QRectF) -> None:
        unit = self.project.cost_unit
        objective = self.plan.objective
        columns = [("#", 34.0), ("Opportunity", 0.0), ("Owner", 210.0), ("Status", 120.0),
                   ("Cost", 130.0), ("Gain", 140.0), ("Funded", 96.0)]
        columns[1] = ("Opportunity", rect.width() - sum(w for _, w in columns))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        numeric = {"#", "Cost", "Gain", "Funded"}
        x = rect.left()
        lefts = []
        for name, width in columns:
            lefts.append(x)
            draw_text(painter, QRectF(x, rect.top(), width - 12, HEADER_ROW - 4), name,
                      page_font(13, QFont.Weight.DemiBold), MUTED,
                      right if name in numeric else left)
            x += width
        y = rect.top() + HEADER_ROW
        draw_rule(painter, y, rect.left(), rect.right(), TEXT, 1.5)
        chosen = set(self.plan.chosen)
        for number, opportunity in enumerate(self.rows, start=1):
            funded = opportunity.id in chosen
            gain = self.gains.get(opportunity.id)
            cells = {
                "#": str(number),
                "Opportunity": opportunity.title or opportunity.id,
                "Owner": opportunity.owner or "—",
                "Status": OPPORTUNITY_STATUSES.get(opportunity.status, opportunity.status),
                "Cost": cost_text(opportunity.cost, unit),
                "Gain": (score_text(objective, objective_value(dict(gain), dict(objective)))
                         if gain is not None else "cannot apply"),
                "Funded": "✓ funded" if funded else "",
            }
            for (name, width), x in zip(columns, lefts, strict=True):
                bold = name in ("#", "Funded") or (name == "Opportunity" and funded)
                colour = MUTED if name in ("#", "Owner", "Status") else TEXT
                if name == "Funded":
                    colour = PALETTE.good_text
                draw_text(painter, QRectF(x, y, width - 12, ROW), cells[name],
                          page_font(15, QFont.Weight.DemiBold if bold else QFont.Weight.Normal),
                          colour, right if name in numeric else left)
            y += ROW
            draw_rule(painter, y, rect.left(), rect.right(), PALETTE.track)
        if self.more:
            draw_text(painter, QRectF(rect.left() + 34, y + 2, rect.width(), 22),
                      f"+{self.more} more opportunities, in the project file", page_font(13),
                      MUTED)

