"""The summary page's plan charts: value against effort, and the efficient frontier,
drawn for print (the Opportunities dock has its own interactive ones, ui/plan/).

Both take plain figures, already in the units the user reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from cx_mapper.ui.analysis.chart_style import Chart, ChartStyle, empty_chart, prepare_plot

#: The matrix's quadrants, by (cost above the middle, gain above the middle).
QUADRANTS: dict[tuple[bool, bool], str] = {
    (False, True): "Quick wins",
    (True, True): "Big bets",
    (False, False): "Fill-ins",
    (True, False): "Money pits",
}


@dataclass(frozen=True)
class MatrixPoint:
    """One opportunity on the matrix: its number in the list, cost and shown gain."""

    id: str
    number: int
    title: str
    cost: float
    gain: float
    funded: bool = False


def plot_value_effort(plot: pg.PlotItem, points: Sequence[MatrixPoint], chart_style: ChartStyle,
                      *, cost_label: str, gain_label: str) -> Chart:
    """Gain on the objective (up) against cost (right), one numbered dot per opportunity,
    filled when the plan funds it; dashed lines through the middle of each axis make the
    four quadrants, named in their corners."""
    prepare_plot(plot, chart_style, x_label=cost_label, y_label=gain_label)
    chart = Chart(ids=[p.id for p in points], labels=[p.title for p in points])
    if not points:
        return empty_chart(plot, chart, "No opportunities yet.", chart_style)
    costs = np.array([p.cost for p in points], dtype=float)
    gains = np.array([p.gain for p in points], dtype=float)
    x_max = float(costs.max()) * 1.15 or 1.0
    low = min(0.0, float(gains.min()))
    high = max(0.0, float(gains.max()))
    span = (high - low) or 1.0
    y_range = (low - 0.08 * span, high + 0.18 * span)
    plot.setRange(xRange=(0, x_max), yRange=y_range, padding=0)
    middle_cost, middle_gain = x_max / 2, (y_range[0] + y_range[1]) / 2
    dashed = pg.mkPen(chart_style.grid, width=max(1.0, chart_style.px(1.2)),
                      style=Qt.PenStyle.DashLine)
    lines = [pg.InfiniteLine(middle_cost, angle=90, pen=dashed),
             pg.InfiniteLine(middle_gain, angle=0, pen=dashed)]
    if low < 0:
        lines.append(pg.InfiniteLine(0.0, angle=0, pen=pg.mkPen(chart_style.muted)))
    for line in lines:
        plot.addItem(line)
    corners = []
    for (costly, gaining), name in QUADRANTS.items():
        label = pg.TextItem(name, color=chart_style.muted,
                            anchor=(1.0 if costly else 0.0, 0.0 if gaining else 1.0))
        label.setFont(chart_style.font(1.0))
        label.setPos(x_max * (0.99 if costly else 0.01), y_range[1] if gaining else y_range[0])
        plot.addItem(label)
        corners.append(label)
    funded = np.array([p.funded for p in points])
    size = chart_style.px(13)
    dots = pg.ScatterPlotItem(
        x=costs, y=gains, size=size, data=[p.id for p in points],
        pen=[pg.mkPen(chart_style.positive if f else chart_style.text,
                      width=max(1.0, chart_style.px(1.6))) for f in funded],
        brush=[pg.mkBrush(chart_style.positive if f else chart_style.fill) for f in funded])
    plot.addItem(dots)
    numbers = []
    for point in points:
        number = pg.TextItem(str(point.number), color=chart_style.text, anchor=(-0.25, 0.95))
        number.setFont(chart_style.font(1.0, QFont.Weight.DemiBold))
        number.setPos(point.cost, point.gain)
        plot.addItem(number)
        numbers.append(number)
    chart.values = {"cost": costs, "gain": gains, "funded": funded,
                    "middle": (middle_cost, middle_gain)}
    chart.items = {"dots": dots, "numbers": numbers, "quadrants": corners, "lines": lines}
    return chart


def quadrant(point: MatrixPoint, chart: Chart) -> str:
    """The quadrant a point falls in on a drawn matrix."""
    middle_cost, middle_gain = chart.values["middle"]
    return QUADRANTS[(point.cost > middle_cost, point.gain > middle_gain)]


def plot_frontier(plot: pg.PlotItem, steps: Sequence[tuple[float, float]], budget: float,
                  chart_style: ChartStyle, *, cost_label: str, score_label: str) -> Chart:
    """The best score at each budget: a staircase from no budget to every opportunity
    funded, with the chosen budget marked."""
    prepare_plot(plot, chart_style, x_label=cost_label, y_label=score_label)
    chart = Chart()
    if not steps:
        return empty_chart(plot, chart, "No plan yet.", chart_style)
    budgets = np.array([b for b, _ in steps], dtype=float)
    scores = np.array([s for _, s in steps], dtype=float)
    x_max = max(float(budgets.max()), budget) * 1.08 or 1.0
    line = pg.PlotDataItem(np.append(budgets, x_max), np.append(scores, scores[-1]),
                           stepMode="right",
                           pen=pg.mkPen(chart_style.positive, width=chart_style.px(2.4)))
    plot.addItem(line)
    corners = pg.ScatterPlotItem(x=budgets, y=scores, size=chart_style.px(7),
                                 pen=pg.mkPen(chart_style.positive),
                                 brush=pg.mkBrush(chart_style.fill))
    plot.addItem(corners)
    reached = scores[budgets <= budget + 1e-9]
    best = float(reached.max()) if reached.size else 0.0
    marker = pg.InfiniteLine(budget, angle=90, pen=pg.mkPen(
        chart_style.text, width=max(1.0, chart_style.px(1.2)), style=Qt.PenStyle.DashLine))
    plot.addItem(marker)
    here = pg.ScatterPlotItem(x=[budget], y=[best], size=chart_style.px(12),
                              pen=pg.mkPen(chart_style.text, width=chart_style.px(1.6)),
                              brush=pg.mkBrush(chart_style.positive))
    plot.addItem(here)
    low, high = min(0.0, float(scores.min())), max(0.0, float(scores.max()))
    span = (high - low) or 1.0
    top = high + 0.15 * span
    # At the top of the budget's line, clear of the staircase below it.
    label = pg.TextItem("Budget", color=chart_style.text,
                        anchor=(1.08, 0.0) if budget > x_max * 0.6 else (-0.08, 0.0))
    label.setFont(chart_style.font(1.0))
    label.setPos(budget, top)
    plot.addItem(label)
    plot.setRange(xRange=(0, x_max), yRange=(low - 0.05 * span, top), padding=0)
    plot.showGrid(y=True, alpha=0.3)
    chart.values = {"budgets": budgets, "scores": scores, "best": best}
    chart.items = {"line": line, "corners": corners, "marker": marker, "here": here,
                   "label": label}
    return chart
