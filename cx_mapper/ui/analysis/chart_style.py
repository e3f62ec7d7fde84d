"""How the analysis charts look: one style per rendering, and the pieces every chart shares.

A `ChartStyle` carries the palette and sizes (the dock follows the theme, the summary
page is light and large); `prepare_plot` and the helpers below give every chart the same
quiet axes, name axis, value labels and legend, so the dock, compare, simulation and the
summary agree.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontInfo, QFontMetricsF
from PySide6.QtWidgets import QApplication, QWidget

from cx_mapper.ui.look import palette
from cx_mapper.ui.look.palette import CanvasPalette


@dataclass(frozen=True)
class ChartStyle:
    """Colours and sizes of one rendering: the dock follows the theme, the summary is light.

    `font_px` is the tick-label size in pixels; titles and lines scale from it, so a
    summary at twice the width has charts at twice the size.
    """

    palette: CanvasPalette = palette.LIGHT
    font_px: float = 12.0
    background: QColor | None = None  # None: the palette's card fill
    name_width_px: float | None = None  # widest touchpoint name on a bar chart's axis

    @property
    def scale(self) -> float:
        return self.font_px / 12.0

    @property
    def fill(self) -> QColor:
        return self.background if self.background is not None else self.palette.card_fill

    @property
    def text(self) -> QColor:
        return self.palette.card_text

    @property
    def muted(self) -> QColor:
        return self.palette.card_muted

    @property
    def grid(self) -> QColor:
        return self.palette.track

    @property
    def positive(self) -> QColor:
        return self.palette.satisfaction[2]

    @property
    def negative(self) -> QColor:
        return self.palette.satisfaction[0]

    @property
    def good_text(self) -> QColor:
        """Good in a shade that reads as text (the bars keep `positive`)."""
        return self.palette.good_text

    @property
    def bad_text(self) -> QColor:
        return self.palette.bad_text

    def font(self, factor: float = 1.0, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
        result = QFont(QApplication.font())
        result.setPixelSize(max(1, round(self.font_px * factor)))
        result.setWeight(weight)
        return result

    def px(self, size: float) -> float:
        """A length given for the 12 px style, at this style's size."""
        return size * self.scale


def widget_style(widget: QWidget | None = None) -> ChartStyle:
    """The style for on-screen charts: the app's theme and font size."""
    font = widget.font() if widget is not None else QApplication.font()
    return ChartStyle(palette=palette.current_palette(),
                      font_px=float(max(11, QFontInfo(font).pixelSize())))


@dataclass
class Chart:
    """What a plot function drew, in drawing order, for tests and for the summary."""

    ids: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    items: dict[str, Any] = field(default_factory=dict)
    message: str = ""

# -- common styling -----------------------------------------------------------------
class MagnitudeAxis(pg.AxisItem):  # type: ignore[misc]
    """Tick labels without a sign: both sides of a diverging bar chart count people."""

    def tickStrings(self, values: list[float], scale: float,  # noqa: N802 - pyqtgraph API
                    spacing: float) -> list[str]:
        return [text.lstrip("-−") for text in super().tickStrings(values, scale, spacing)]


def prepare_plot(plot: pg.PlotItem, chart_style: ChartStyle, *, x_label: str = "",
                 y_label: str | Sequence[str] = "") -> None:
    """Clear a plot and give it the house look: quiet axes, light grid, readable labels.

    `y_label` may be a few wordings, longest first: the axis shows the first that fits
    its height (a line break is written as a newline).
    """
    plot.clear()
    legend = plot.legend
    if legend is not None:
        legend.clear()
    remove_key(plot)
    plot.setMenuEnabled(False)
    plot.hideButtons()
    plot.getViewBox().setMouseEnabled(x=False, y=False)
    plot.getViewBox().setBackgroundColor(None)
    plot.invertY(False)
    plot.enableAutoRange()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        plot.showAxis(name)
        axis.setPen(pg.mkPen(chart_style.grid, width=max(1.0, chart_style.px(1))))
        axis.setTextPen(pg.mkPen(chart_style.text))
        offset = chart_style.px(10 if name == "left" else 6)  # left: clear of the label
        axis.setStyle(tickFont=chart_style.font(), tickLength=round(chart_style.px(-4)),
                      tickTextOffset=round(offset), autoExpandTextSpace=True,
                      autoReduceTextSpace=False)
        axis.setTicks(None)
        axis.enableAutoSIPrefix(False)
        axis.setZValue(-200)  # grid lines behind the data (the view box sits at -100)
        if name == "left":
            axis.setWidth(None)
    for name in ("top", "right"):
        plot.hideAxis(name)
    _set_axis_label(plot, "bottom", x_label, chart_style)
    _set_axis_label(plot, "left", y_label, chart_style)
    # The bottom axis gets the height its text needs at this font size: pyqtgraph sizes
    # it for 12 px text and silently leaves out a tick label that does not fit.
    line = math.ceil(QFontMetricsF(chart_style.font()).height())
    plot.getAxis("bottom").setHeight(
        round(chart_style.px(6) + line * (2.15 if x_label else 1.15)))
    plot.showGrid(x=False, y=False)


def _set_axis_label(plot: pg.PlotItem, name: str, text: str | Sequence[str],
                    chart_style: ChartStyle) -> None:
    axis = plot.getAxis(name)
    wordings = [text] if isinstance(text, str) else list(text)
    _follow_size(axis, None)
    if not any(wordings):
        axis.showLabel(False)
        return

    def fit() -> None:
        shown = fitting_title(wordings, axis_length(axis), chart_style)
        if shown != getattr(axis, "shown_title", None):
            axis.shown_title = shown
            axis.setLabel(html.escape(shown).replace("\n", "<br>"),
                          color=chart_style.muted.name(),
                          **{"font-size": f"{chart_style.font_px:.0f}px"})

    axis.shown_title = None
    fit()
    if len(wordings) > 1:
        _follow_size(axis, fit)


def fitting_title(wordings: Sequence[str], length: float, chart_style: ChartStyle) -> str:
    """The first wording whose longest line fits `length` pixels (else the last)."""
    metrics = QFontMetricsF(chart_style.font())
    for wording in wordings:
        if title_width(wording, metrics) <= length:
            return wording
    return wordings[-1]


def title_width(wording: str, metrics: QFontMetricsF) -> float:
    """An axis title's length along its axis: its longest line and the text margins."""
    return max(metrics.horizontalAdvance(line) for line in wording.split("\n")) + 8


def axis_length(axis: pg.AxisItem) -> float:
    """The room along an axis for its title, in pixels."""
    size = axis.geometry()
    return float(size.height() if axis.orientation in ("left", "right") else size.width())


def _follow_size(axis: pg.AxisItem, fit: Callable[[], None] | None) -> None:
    """Fit the axis's title again whenever the axis changes size (one hook per axis)."""
    previous = getattr(axis, "_fit_title", None)
    if previous is not None:
        axis.geometryChanged.disconnect(previous)
    axis._fit_title = fit  # noqa: SLF001 - replaced when the chart is drawn again
    if fit is not None:
        axis.geometryChanged.connect(fit)


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """Blend a towards b; t = 0 is a, 1 is b."""
    t = max(0.0, min(1.0, t))
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t,
                           a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


def name_axis(plot: pg.PlotItem, names: Sequence[str], chart_style: ChartStyle) -> list[str]:
    """Touchpoint names as the left axis of a horizontal bar chart, elided to fit."""
    metrics = QFontMetricsF(chart_style.font())
    width = chart_style.name_width_px or chart_style.px(230)
    shown = [metrics.elidedText(name, Qt.TextElideMode.ElideRight, width) for name in names]
    axis = plot.getAxis("left")
    axis.setTicks([[(float(i), text) for i, text in enumerate(shown)], []])
    widest = max((metrics.horizontalAdvance(text) for text in shown), default=0.0)
    axis.setWidth(math.ceil(widest + chart_style.px(14)))
    axis.setStyle(tickLength=0)
    plot.invertY(True)
    return shown


def rows_range(rows: int, least: int = 5) -> tuple[float, float]:
    """The y range of a bar chart with `rows` bars from the top: a few bars stay slim."""
    return (-0.6, max(rows, least) - 0.4)


def empty_chart(plot: pg.PlotItem, chart: Chart, text: str, chart_style: ChartStyle) -> Chart:
    """A chart with nothing to draw says why."""
    chart.message = text
    chart.items["message"] = chart_message(plot, text, chart_style)
    return chart


def chart_message(plot: pg.PlotItem, text: str, chart_style: ChartStyle) -> pg.TextItem:
    """A plain sentence in the middle of an empty chart."""
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    item = pg.TextItem(text, color=chart_style.muted, anchor=(0.5, 0.5))
    item.setFont(chart_style.font(1.1))
    plot.addItem(item)
    item.setPos(0.5, 0.5)
    plot.setRange(xRange=(0, 1), yRange=(0, 1), padding=0)
    return item


def value_labels(plot: pg.PlotItem, ends: Sequence[float] | np.ndarray, texts: Sequence[str],
                  chart_style: ChartStyle) -> list[pg.TextItem]:
    """A number just past the end of each horizontal bar."""
    items = []
    for i, (end, text) in enumerate(zip(ends, texts, strict=True)):
        anchor = (0.0, 0.5) if end >= 0 else (1.0, 0.5)
        item = pg.TextItem(f" {text} ", color=chart_style.text, anchor=anchor)
        item.setFont(chart_style.font(0.95))
        item.setPos(end, i)
        plot.addItem(item)
        items.append(item)
    return items
def bar_legend(plot: pg.PlotItem, chart_style: ChartStyle,
               entries: Sequence[tuple[str, QColor]]) -> pg.LegendItem:
    """A key of coloured swatches outside the plot, where it can hide no bar or number
    (inside, a key covered the labels of whichever bars were long in its corner).

    Beside the plot when the chart is wide (the dock, where height is scarce), else in
    a row under it (the summary's narrower chart).
    """
    views = plot.scene().views() if plot.scene() is not None else []
    size = views[0].size() if views else None
    beside = size is not None and size.width() >= 3 * size.height()
    key = pg.LegendItem(labelTextColor=chart_style.text,
                        labelTextSize=f"{chart_style.font_px:.0f}px",
                        colCount=1 if beside else max(1, len(entries)), frame=False)
    key.setFlag(key.GraphicsItemFlag.ItemIgnoresTransformations, False)
    key.setParentItem(plot)
    for name, colour in entries:
        sample = pg.BarGraphItem(x0=[0], width=[1], y0=[0], height=[1], brush=pg.mkBrush(colour),
                                 pen=pg.mkPen(None))
        key.addItem(sample, name)
    if beside:
        plot.layout.addItem(key, 2, 3, alignment=Qt.AlignmentFlag.AlignVCenter)
    else:
        plot.layout.addItem(key, 4, 0, 1, 3, alignment=Qt.AlignmentFlag.AlignHCenter)
    plot.key_below = key
    return key


def remove_key(plot: pg.PlotItem) -> None:
    """Take away a key `bar_legend` put beside or under the plot."""
    key = getattr(plot, "key_below", None)
    if key is not None:
        plot.layout.removeItem(key)
        if key.scene() is not None:
            key.scene().removeItem(key)
        plot.key_below = None
