"""The spread behind the means: percentiles per simulated customer, as box plots.

The closed forms give expectations only; the simulation shows how unequal customers
are. Each figure gets a box (25-75 % of customers), whiskers (5-95 %), the median, the
simulated mean and the engine's exact mean, with each percentile's value written beside
it, so the chart reads without hovering.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPalette
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from cx_mapper.engine.results import Analysis
from cx_mapper.ui.analysis.chart_style import Chart, ChartStyle, mix, prepare_plot, widget_style

if TYPE_CHECKING:  # the simulation module imports SciPy: only when a run is shown
    from cx_mapper.engine.simulate import Percentiles, Simulation


@dataclass(frozen=True)
class Spread:
    """One figure's percentiles with its simulated and exact means."""

    key: str
    title: str
    percentiles: Percentiles
    mean: float
    standard_error: float | None
    exact: float
    spec: str


def spreads(simulation: Simulation, exact: Analysis) -> list[Spread]:
    """The figures the simulation gives percentiles of, per entering customer."""
    totals, errors, figures = simulation.totals, simulation.standard_errors, exact.totals
    return [
        # The percentiles are of all talk heard, good and bad: E+ + E− per customer.
        Spread("exposure", "People reached (good + bad)", simulation.exposure_percentiles,
               totals.exposure_positive + totals.exposure_negative, None,
               figures.exposure_positive + figures.exposure_negative, ",.1f"),
        Spread("exposure_net", "Net exposure", simulation.exposure_net_percentiles,
               totals.exposure_net, errors.exposure_net, figures.exposure_net, "+,.1f"),
        Spread("value", "Customer value", simulation.value_percentiles, totals.value,
               errors.value, figures.value, ",.2f"),
    ]


def plot_spread(plot: pg.PlotItem, spread: Spread, chart_style: ChartStyle,
                muted: bool = False) -> Chart:
    """One box plot with its percentiles labelled on the right."""
    prepare_plot(plot, chart_style)
    plot.setTitle(spread.title, color=chart_style.text.name(),
                  size=f"{chart_style.font_px:.0f}px")
    plot.getAxis("bottom").setTicks([[], []])
    plot.getAxis("bottom").setHeight(round(chart_style.px(6)))
    values = np.array(spread.percentiles.values)
    accent = chart_style.muted if muted else chart_style.palette.selection
    box_fill = mix(accent, chart_style.fill, 0.7)
    exact_colour = chart_style.text if muted else chart_style.palette.conversion
    half = 0.22
    whisker_pen = pg.mkPen(accent, width=chart_style.px(1.5))
    whisker = pg.PlotDataItem([0, 0, np.nan, 0, 0], [values[0], values[1], np.nan, values[3],
                                                     values[4]], connect="finite",
                              pen=whisker_pen)
    caps = pg.PlotDataItem([-half / 2, half / 2, np.nan, -half / 2, half / 2],
                           [values[0], values[0], np.nan, values[4], values[4]],
                           connect="finite", pen=whisker_pen)
    box = pg.BarGraphItem(x0=[-half], width=[2 * half], y0=[values[1]],
                          height=[max(values[3] - values[1], 0.0)], brush=pg.mkBrush(box_fill),
                          pen=pg.mkPen(accent, width=chart_style.px(1.2)))
    median = pg.PlotDataItem([-half, half], [values[2]] * 2,
                             pen=pg.mkPen(accent, width=chart_style.px(3)))
    exact = pg.PlotDataItem([-0.3, 0.3], [spread.exact] * 2,
                            pen=pg.mkPen(exact_colour, width=chart_style.px(2),
                                         style=Qt.PenStyle.DashLine))
    mean = pg.ScatterPlotItem([0.0], [spread.mean], symbol="d", size=chart_style.px(13),
                              brush=pg.mkBrush(accent),
                              pen=pg.mkPen(chart_style.fill, width=chart_style.px(1.5)))
    for item in (box, whisker, caps, median, exact, mean):
        plot.addItem(item)
    if spread.standard_error:
        plot.addItem(pg.ErrorBarItem(x=np.array([0.0]), y=np.array([spread.mean]),
                                     height=np.array([4 * spread.standard_error]),
                                     beam=0.06, pen=pg.mkPen(chart_style.text, width=1)))

    low = min(float(values.min()), spread.exact, spread.mean, 0.0)
    high = max(float(values.max()), spread.exact, spread.mean)
    pad = 0.08 * max(high - low, 1e-9)
    plot.setRange(xRange=(-0.5, 1.25), yRange=(low - pad, high + pad), padding=0)
    labels = _percentile_labels(plot, values, spread.spec, chart_style, (low - pad, high + pad))
    return Chart(values={"percentiles": values, "mean": spread.mean, "exact": spread.exact},
                 items={"box": box, "median": median, "exact": exact, "mean": mean,
                        "labels": labels})


def _percentile_labels(plot: pg.PlotItem, values: np.ndarray, spec: str,
                       chart_style: ChartStyle, y_range: tuple[float, float]
                       ) -> list[pg.TextItem]:
    """'p95  52.1' beside each percentile, nudged apart where they crowd together.

    How far apart depends on the chart's height in pixels, which a chart drawn while
    hidden (the first run of a session) does not have yet: the labels are placed again
    whenever the plot changes size.
    """
    from cx_mapper.engine.simulate import PERCENTILES  # SciPy: imported when first drawn

    items = []
    for percent, value in zip(PERCENTILES, values, strict=True):
        text = f"p{percent}  " + format(float(value), spec).replace("-", "−")
        item = pg.TextItem(text, color=chart_style.text if percent == 50 else chart_style.muted,
                           anchor=(0.0, 0.5))
        item.setFont(chart_style.font(0.9, QFont.Weight.DemiBold if percent == 50
                                      else QFont.Weight.Normal))
        plot.addItem(item)
        items.append(item)
    line = max(QFontMetricsF(item.textItem.font()).height() for item in items) + 2

    def place() -> None:
        height = plot.getViewBox().height()
        gap = line * (y_range[1] - y_range[0]) / max(height, 1.0)
        placed = spread_apart([float(v) for v in values], gap, y_range)
        for item, y in zip(items, placed, strict=True):
            item.setPos(0.32, y)

    place()
    _on_resize(plot, place)
    return items


def _on_resize(plot: pg.PlotItem, place: Callable[[], None]) -> None:
    """Call `place` whenever the plot's view changes size, instead of the last one's."""
    view = plot.getViewBox()
    previous = getattr(view, "_place_labels", None)
    if previous is not None:
        view.sigResized.disconnect(previous)
    view._place_labels = place  # noqa: SLF001 - one placement per view, replaced on redraw
    view.sigResized.connect(place)


def spread_apart(values: Sequence[float], gap: float, bounds: tuple[float, float]
                 ) -> list[float]:
    """Positions at least `gap` apart, as close to `values` (ascending) as fits."""
    placed: list[float] = []
    for value in values:
        placed.append(max(value, placed[-1] + gap) if placed else value)
    overshoot = placed[-1] - bounds[1] + gap / 2 if placed else 0.0
    if overshoot > 0:
        placed = [p - overshoot for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return placed


class PercentileChart(QWidget):
    """The three spreads side by side, and a key to the marks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.ci.setContentsMargins(6, 6, 10, 4)
        self.plots = [self.graphics.addPlot(row=0, col=i) for i in range(3)]
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAutoFillBackground(True)
        chart_page = QWidget()
        page = QVBoxLayout(chart_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(2)
        page.addWidget(self.graphics, 1)
        page.addWidget(self.key)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(chart_page)
        self._stack.addWidget(self.message)
        self.charts: dict[str, Chart] = {}
        self._shown: tuple[object, ...] = ("message", "")
        self._stale = False
        self.show_message("Run the simulation to see the spread per customer.")

    def show_simulation(self, simulation: Simulation, exact: Analysis) -> None:
        self._shown = ("simulation", simulation, exact)
        chart_style = self._style()
        self.charts = {
            spread.key: plot_spread(plot, spread, chart_style, muted=self._stale)
            for plot, spread in zip(self.plots, spreads(simulation, exact), strict=True)}
        self.key.setText(_key_html(chart_style, self._stale))
        self._stack.setCurrentIndex(0)

    def show_message(self, text: str) -> None:
        """A sentence instead of the charts (before the first run, or while one runs)."""
        self._shown = ("message", text)
        chart_style = self._style()
        self.charts = {}
        self.message.setText(text)
        palette = self.message.palette()
        palette.setColor(QPalette.ColorRole.Window, chart_style.fill)
        palette.setColor(QPalette.ColorRole.WindowText, chart_style.muted)
        self.message.setPalette(palette)
        self.message.setFont(chart_style.font(1.1))
        self._stack.setCurrentWidget(self.message)

    def message_text(self) -> str:
        return self.message.text() if self._stack.currentWidget() is self.message else ""

    def set_stale(self, stale: bool) -> None:
        """Grey the marks of a run that no longer matches the journey."""
        if stale != self._stale:
            self._stale = stale
            self._redraw()

    def _style(self) -> ChartStyle:
        chart_style = widget_style(self)
        self.graphics.setBackground(chart_style.fill)
        return chart_style

    def _redraw(self) -> None:
        if self._shown[0] == "simulation":
            self.show_simulation(*self._shown[1:])  # type: ignore[arg-type]
        else:
            self.show_message(str(self._shown[1]))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        themes = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in themes and hasattr(self, "charts"):
            self._redraw()


def _key_html(chart_style: ChartStyle, stale: bool) -> str:
    accent = chart_style.muted if stale else chart_style.palette.selection
    exact = chart_style.text if stale else chart_style.palette.conversion

    def swatch(colour: QColor, mark: str) -> str:
        return f"<span style='color:{colour.name()}; font-weight:600'>{mark}</span>"

    muted = chart_style.muted.name()
    return (f"<span style='color:{muted}'>Per entering customer: "
            f"{swatch(accent, '▮')} middle half (p25–p75), whiskers p5–p95, "
            f"{swatch(accent, '━')} median, {swatch(accent, '◆')} simulated mean ± 2 SE, "
            f"{swatch(exact, '╌')} exact mean (engine).</span>")
