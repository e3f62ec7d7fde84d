"""The two loyalty curves of a scenario compare, overlaid on one stage-ordered axis.

The rows come from `compare.match_rows`: one per touchpoint of either journey, grouped
by stage along B's flow, so A's and B's loyalty after the same touchpoint sit one above
the other. The look follows charts.py (stage bands, quiet axes, the theme's palette).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QWidget

from cx_mapper.ui.analysis.chart_style import (
    Chart,
    ChartStyle,
    chart_message,
    prepare_plot,
    widget_style,
)
from cx_mapper.ui.analysis.charts import LOYALTY_AFTER_TITLES


def plot_loyalty_overlay(plot: pg.PlotItem, rows: Sequence[dict[str, Any]], name_a: str,
                         name_b: str, chart_style: ChartStyle | None = None) -> Chart:
    """Loyalty after each touchpoint (x 100) in A (dashed, grey) and B (solid, blue)."""
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style, y_label=LOYALTY_AFTER_TITLES)
    chart = Chart(ids=[row["b_id"] or row["a_id"] for row in rows],
                  labels=[row["name"] for row in rows])
    if not rows:
        show_message(plot, "Neither journey has touchpoints.", chart_style)
        chart.message = "Neither journey has touchpoints."
        return chart

    def values(key: str) -> np.ndarray:
        return np.array([np.nan if row[key] is None else row[key] for row in rows], dtype=float)

    loyalty_a, loyalty_b = values("loyalty_a"), values("loyalty_b")
    x = np.arange(len(rows), dtype=float)
    both = np.concatenate([loyalty_a, loyalty_b])
    finite = both[np.isfinite(both)]
    low = min(0.0, float(finite.min()) if finite.size else 0.0)
    high = max(0.0, float(finite.max()) if finite.size else 0.0)
    pad = max(5.0, 0.15 * (high - low))
    # Extra room on top for the legend, so it never covers a point.
    low, high = max(-100.0, low - pad), min(100.0, high + 2.2 * pad)

    ticks = _stage_bands(plot, [row["stage"] for row in rows], chart_style)
    zero = pg.InfiniteLine(0, angle=0, pen=pg.mkPen(chart_style.muted, width=chart_style.px(1),
                                                     style=Qt.PenStyle.DotLine))
    zero.setZValue(-10)
    plot.addItem(zero)

    colour_a, colour_b = chart_style.muted, chart_style.palette.selection
    names = chart.labels
    legend = plot.legend or plot.addLegend()
    legend.clear()
    legend.setColumnCount(2)
    legend.anchor(itemPos=(0, 0), parentPos=(0, 0),
                  offset=(chart_style.px(8), chart_style.px(4)))
    legend.setLabelTextColor(chart_style.text)
    legend.setLabelTextSize(f"{chart_style.font_px:.0f}px")
    items: dict[str, Any] = {}
    for side, loyalty, colour, dash, label in (
            ("a", loyalty_a, colour_a, Qt.PenStyle.DashLine, f"A: {name_a}"),
            ("b", loyalty_b, colour_b, Qt.PenStyle.SolidLine, f"B: {name_b}")):
        line = pg.PlotDataItem(x, loyalty, connect="finite",
                               pen=pg.mkPen(colour, width=chart_style.px(2.2), style=dash),
                               symbol="o", symbolSize=chart_style.px(8),
                               symbolBrush=pg.mkBrush(colour),
                               symbolPen=pg.mkPen(chart_style.fill, width=chart_style.px(1)))
        plot.addItem(line)
        legend.addItem(line, label)
        shown = np.isfinite(loyalty)
        tips = pg.ScatterPlotItem(
            x[shown], loyalty[shown], size=chart_style.px(12), brush=pg.mkBrush(None),
            pen=pg.mkPen(None), hoverable=True,
            data=[f"{label.split(':')[0]}: {n}" for n, ok in zip(names, shown, strict=True)
                  if ok],
            tip=lambda x, y, data: f"{data}\nloyalty after: {y:+.1f}")
        plot.addItem(tips)
        items[side] = line
    plot.setRange(xRange=(-0.5, len(rows) - 0.5), yRange=(low, high), padding=0)
    chart.values = {"loyalty_a": loyalty_a, "loyalty_b": loyalty_b, "stage_ticks": ticks}
    chart.items = {**items, "legend": legend, "zero": zero}
    return chart


def _stage_bands(plot: pg.PlotItem, stages: Sequence[str],
                 chart_style: ChartStyle) -> list[tuple[float, str]]:
    """Alternating fills behind each run of one stage, its name under the middle."""
    runs: list[tuple[str, int, int]] = []  # stage, first row, rows
    for i, stage in enumerate(stages):
        if runs and runs[-1][0] == stage:
            runs[-1] = (stage, runs[-1][1], runs[-1][2] + 1)
        else:
            runs.append((stage, i, 1))
    lanes = chart_style.palette.lane_fill
    bands = pg.BarGraphItem(
        x0=np.array([start for _, start, _ in runs], dtype=float) - 0.5,
        width=np.array([count for _, _, count in runs], dtype=float), y0=-100.0, height=200.0,
        brushes=[pg.mkBrush(lanes[i % 2]) for i in range(len(runs))],
        pens=[pg.mkPen(chart_style.palette.lane_border, width=1)] * len(runs))
    bands.setZValue(-20)
    plot.addItem(bands)
    ticks = [(start + (count - 1) / 2, stage) for stage, start, count in runs]
    bottom = plot.getAxis("bottom")
    bottom.setTicks([ticks, []])
    bottom.setStyle(tickLength=0, hideOverlappingLabels=False)
    plot.getAxis("left").setGrid(0)
    return ticks


def show_message(plot: pg.PlotItem, text: str, chart_style: ChartStyle) -> pg.TextItem:
    """A plain sentence in the middle of an empty, freshly prepared chart."""
    prepare_plot(plot, chart_style)
    return chart_message(plot, text, chart_style)


class LoyaltyOverlay(pg.GraphicsLayoutWidget):  # type: ignore[misc]
    """The overlay on screen; it follows the theme."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ci.setContentsMargins(8, 8, 12, 8)
        self.plot = self.addPlot()
        self.chart = Chart()
        self._shown: tuple[Any, ...] = ("message", "No comparison to show.")
        self.show_message("No comparison to show.")

    def show_pair(self, rows: Sequence[dict[str, Any]], name_a: str, name_b: str) -> None:
        self._shown = ("pair", rows, name_a, name_b)
        chart_style = widget_style(self)
        self.setBackground(chart_style.fill)
        self.chart = plot_loyalty_overlay(self.plot, rows, name_a, name_b, chart_style)

    def show_message(self, text: str) -> None:
        self._shown = ("message", text)
        chart_style = widget_style(self)
        self.setBackground(chart_style.fill)
        self.chart = Chart(message=text)
        show_message(self.plot, text, chart_style)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        themes = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        shown = getattr(self, "_shown", None)  # None while pyqtgraph sets itself up
        if event.type() in themes and shown is not None:
            if shown[0] == "pair":
                self.show_pair(*shown[1:])
            else:
                self.show_message(shown[1])
