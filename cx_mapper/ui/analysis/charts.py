"""The analysis charts (pyqtgraph), for the Analysis dock and the PNG summary alike.

Each `plot_*` function fills a PlotItem from an Analysis (and its Journey for names
and stages) and returns a `Chart` with what it drew, so tests check the drawn data
against the engine's arrays. The same functions draw into the dock's widgets and,
through `draw_chart`, straight onto the summary page. Colours come from the canvas
palette: good is the satisfaction palette's bluish green, bad its vermillion, so the
charts, the KPI cards and the map agree.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import QGraphicsWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.kpis import SATISFACTION_STEP as SATISFACTION_STEP  # its home
from cx_mapper.engine.layout import flow_layers
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.analysis.chart_style import (
    Chart,
    ChartStyle,
    MagnitudeAxis,
    bar_legend,
    empty_chart,
    mix,
    name_axis,
    prepare_plot,
    rows_range,
    value_labels,
)
from cx_mapper.ui.look import palette

NO_STAGE = "No stage"
#: The loyalty charts' axis title, longest first: a short chart shows a shorter wording
#: rather than a clipped one.
LOYALTY_AFTER_TITLES = ("Loyalty after the touchpoint", "Loyalty after\nthe touchpoint",
                        "Loyalty after")


# -- ordering ------------------------------------------------------------------------
def journey_order(journey: Journey, analysis: Analysis) -> list[tuple[str, list[str]]]:
    """Touchpoints grouped by stage in the journey's stage order, then along the flow.

    Along the flow: by layer, as auto-layout orders a lane (loops back ignored), then
    the busier touchpoint first. Touchpoints without a (known) stage come last.
    """
    index = {tid: i for i, tid in enumerate(analysis.ids)}
    visits = analysis.touchpoints.visits
    depth = _flow_layers(journey)
    groups: dict[str | None, list[str]] = {stage.id: [] for stage in journey.stages}
    for tid, touchpoint in journey.touchpoints.items():
        if tid not in index:
            continue
        key = touchpoint.stage if touchpoint.stage in groups else None
        groups.setdefault(key, []).append(tid)
    names = {stage.id: stage.name or stage.id for stage in journey.stages}
    result: list[tuple[str, list[str]]] = []
    for key, members in groups.items():
        if not members:
            continue
        members.sort(key=lambda t: (depth.get(t, math.inf), -visits[index[t]], index[t]))
        result.append((names.get(key or "", NO_STAGE) if key else NO_STAGE, members))
    return result


_LAYERS: dict[tuple[object, ...], dict[str, int]] = {}


def _flow_layers(journey: Journey) -> dict[str, int]:
    """flow_layers, remembered by the journey's shape: a live edit of a value or a
    satisfaction keeps the shape, and the search takes ~100 ms at 2,000 touchpoints."""
    shape = (tuple(journey.touchpoints), tuple(journey.transitions),
             tuple(t.id for t in journey.touchpoints.values()
                   if t.entry > 0 or t.referral_entry > 0))
    layers = _LAYERS.get(shape)
    if layers is None:
        if len(_LAYERS) >= 8:
            _LAYERS.clear()
        layers = _LAYERS[shape] = flow_layers(journey)
    return layers


def touchpoint_name(journey: Journey, touchpoint_id: str) -> str:
    touchpoint = journey.touchpoints.get(touchpoint_id)
    return (touchpoint.name if touchpoint is not None and touchpoint.name else touchpoint_id)

# -- the charts ----------------------------------------------------------------------
def plot_loyalty_curve(plot: pg.PlotItem, analysis: Analysis, journey: Journey,
                       chart_style: ChartStyle | None = None) -> Chart:
    """Loyalty after each touchpoint (x 100), along the journey, in stage bands."""
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style, y_label=LOYALTY_AFTER_TITLES)
    groups = journey_order(journey, analysis)
    ids = [tid for _, members in groups for tid in members]
    chart = Chart(ids=ids, labels=[touchpoint_name(journey, tid) for tid in ids])
    if not ids:
        return empty_chart(plot, chart, "This journey has no touchpoints.", chart_style)
    loyalty = 100 * np.array([analysis.touchpoints.loyalty[analysis.index(t)] for t in ids])
    x = np.arange(len(ids), dtype=float)
    finite = loyalty[np.isfinite(loyalty)]
    low = min(0.0, float(finite.min()) if finite.size else 0.0)
    high = max(0.0, float(finite.max()) if finite.size else 0.0)
    pad = max(5.0, 0.15 * (high - low))
    low, high = max(-100.0, low - pad), min(100.0, high + pad)

    # Stage bands: alternating fills, the stage names as the bottom axis.
    starts, ticks, position = [], [], 0
    for name, members in groups:
        starts.append(position)
        ticks.append((position + (len(members) - 1) / 2, name))
        position += len(members)
    widths = np.diff([*starts, position]).astype(float)
    lanes = chart_style.palette.lane_fill
    # Exactly the shown range: a band reaching past it leans on the view's clip, which
    # an SVG writer drops (the bands ran down over the next section of the summary).
    bands = pg.BarGraphItem(
        x0=np.array(starts, dtype=float) - 0.5, width=widths, y0=low, height=high - low,
        brushes=[pg.mkBrush(lanes[i % 2]) for i in range(len(groups))],
        pens=[pg.mkPen(chart_style.palette.lane_border, width=1)] * len(groups),
    )
    bands.setZValue(-20)
    plot.addItem(bands)
    zero = pg.InfiniteLine(0, angle=0, pen=pg.mkPen(chart_style.muted, width=chart_style.px(1),
                                                     style=Qt.PenStyle.DashLine))
    zero.setZValue(-10)
    plot.addItem(zero)
    bottom = plot.getAxis("bottom")
    bottom.setTicks([ticks, []])
    bottom.setStyle(tickLength=0, hideOverlappingLabels=False)

    line = pg.PlotDataItem(x, loyalty, connect="finite",
                           pen=pg.mkPen(chart_style.muted, width=chart_style.px(2)))
    plot.addItem(line)
    shown = np.isfinite(loyalty)
    names = [name for name, ok in zip(chart.labels, shown, strict=True) if ok]
    # Dots take the touchpoint's satisfaction colour, as its card on the map does, in
    # steps of 0.05 so pyqtgraph draws each colour's dot once, not once per point.
    satisfaction = [round(journey.touchpoints[tid].satisfaction * 20) / 20 for tid in ids]
    brushes: dict[float, QBrush] = {}
    points = pg.ScatterPlotItem(
        x[shown], loyalty[shown], size=chart_style.px(11),
        brush=[brushes.setdefault(sigma, pg.mkBrush(
                   palette.satisfaction_color(sigma, chart_style.palette)))
               for sigma, ok in zip(satisfaction, shown, strict=True) if ok],
        pen=pg.mkPen(chart_style.fill, width=chart_style.px(1.5)),
        data=names, hoverable=True,
        tip=lambda x, y, data: f"{data}\nloyalty after: {y:+.1f}",
    )
    plot.addItem(points)
    chart.items["notes"] = _extreme_notes(plot, x, loyalty, chart.labels, chart_style)
    plot.setRange(xRange=(-0.5, len(ids) - 0.5), yRange=(low, high), padding=0)
    plot.getAxis("left").setGrid(0)
    chart.values = {"loyalty": loyalty, "stage_ticks": ticks}
    chart.items.update(bands=bands, line=line, points=points, zero=zero)
    return chart


def _extreme_notes(plot: pg.PlotItem, x: np.ndarray, loyalty: np.ndarray,
                   names: Sequence[str], chart_style: ChartStyle) -> list[pg.TextItem]:
    """Name the highest and the lowest point, so the curve reads without hovering."""
    finite = np.flatnonzero(np.isfinite(loyalty))
    if finite.size < 2:
        return []
    notes = []
    last = len(x) - 1
    extremes = [(int(finite[np.argmax(loyalty[finite])]), True)]
    lowest = int(finite[np.argmin(loyalty[finite])])
    if loyalty[lowest] < 0:  # a low point worth naming is one that hurts
        extremes.append((lowest, False))
    for i, above in extremes:
        horizontal = i / last  # the first point's note runs right, the last one's left
        text = f"{names[i]}  " + f"{loyalty[i]:+.1f}".replace("-", "−")
        item = pg.TextItem(text, color=chart_style.text,
                           anchor=(horizontal, 1.25 if above else -0.25))
        item.setFont(chart_style.font(0.95, QFont.Weight.DemiBold))
        item.setPos(float(x[i]), float(loyalty[i]))
        plot.addItem(item)
        notes.append(item)
    return notes


def plot_active(plot: pg.PlotItem, analysis: Analysis,
                chart_style: ChartStyle | None = None) -> Chart:
    """Active customers per entering customer at each step (referrals included)."""
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style, x_label="Step", y_label="Active customers")
    series = analysis.series
    step = series.step.astype(float)
    colour = chart_style.palette.selection
    fill = QColor(colour)
    fill.setAlphaF(0.16)
    curve = pg.PlotDataItem(step, series.active, connect="finite",
                            pen=pg.mkPen(colour, width=chart_style.px(2.5)),
                            fillLevel=0.0, fillBrush=pg.mkBrush(fill))
    plot.addItem(curve)
    plot.showGrid(y=True, alpha=0.35)
    _x_range(plot, step)
    return Chart(values={"step": step, "active": np.asarray(series.active)},
                 items={"active": curve})


def plot_exposure_over_time(plot: pg.PlotItem, analysis: Analysis,
                            chart_style: ChartStyle | None = None) -> Chart:
    """Cumulative people reached by good and by bad word of mouth, per entering customer.

    Each line is named at its end instead of in a legend box, which would hide data.
    """
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style, x_label="Step", y_label="People reached (cumulative)")
    series = analysis.series
    step = series.step.astype(float)
    positive = pg.PlotDataItem(step, series.exposure_positive, connect="finite",
                               pen=pg.mkPen(chart_style.positive, width=chart_style.px(2.5)))
    negative = pg.PlotDataItem(step, series.exposure_negative, connect="finite",
                               pen=pg.mkPen(chart_style.negative, width=chart_style.px(2.5),
                                            style=Qt.PenStyle.DashLine))
    plot.addItem(positive)
    plot.addItem(negative)
    labels = _end_labels(plot, step, [
        ("Positive", np.asarray(series.exposure_positive), chart_style.good_text),
        ("Negative", np.asarray(series.exposure_negative), chart_style.bad_text),
    ], chart_style)
    plot.showGrid(y=True, alpha=0.35)
    _x_range(plot, step)
    both = np.concatenate([series.exposure_positive, series.exposure_negative])
    both = both[np.isfinite(both)]
    if both.size and both.max() > 0:  # headroom for the line names
        plot.enableAutoRange(y=False)
        plot.setYRange(min(0.0, float(both.min())), float(both.max()) * 1.16, padding=0.02)
    return Chart(values={"step": step, "positive": np.asarray(series.exposure_positive),
                         "negative": np.asarray(series.exposure_negative)},
                 items={"positive": positive, "negative": negative, "labels": labels})


def _end_labels(plot: pg.PlotItem, step: np.ndarray,
                lines: Sequence[tuple[str, np.ndarray, QColor]],
                chart_style: ChartStyle) -> list[pg.TextItem]:
    """Name each line above its last point; a lower line close under another, below it."""
    items, above = [], None
    ends = [(name, values[np.isfinite(values)], colour) for name, values, colour in lines]
    ends = sorted([(n, float(v[-1]), c) for n, v, c in ends if v.size], key=lambda e: -e[1])
    close = 0.12 * max((abs(y) for _, y, _ in ends), default=0.0)
    x = float(step[np.isfinite(lines[0][1])][-1]) if ends else 0.0
    for name, y, colour in ends:
        below = above is not None and above - y < close
        item = pg.TextItem(name, color=colour, anchor=(1.0, -0.15 if below else 1.1))
        item.setFont(chart_style.font(1.0, QFont.Weight.DemiBold))
        item.setPos(x, y)
        plot.addItem(item)
        items.append(item)
        above = y
    return items


def _x_range(plot: pg.PlotItem, step: np.ndarray) -> None:
    plot.enableAutoRange(x=False)
    plot.setXRange(0, max(1.0, float(step[-1]) if step.size else 1.0), padding=0.02)

def plot_exposure_by_touchpoint(plot: pg.PlotItem, analysis: Analysis, journey: Journey,
                                chart_style: ChartStyle | None = None,
                                count: int = 12) -> Chart:
    """Who hears about each touchpoint: good to the right, bad to the left, public dark.

    The `count` touchpoints heard about most, largest first. Each bar is split into its
    public part (solid) and private part (light); at one touchpoint all talk is good or
    all is bad, because its satisfaction is above or below neutral.
    """
    chart_style = chart_style or ChartStyle()
    if not isinstance(plot.getAxis("bottom"), MagnitudeAxis):
        plot.setAxisItems({"bottom": MagnitudeAxis("bottom")})
    prepare_plot(plot, chart_style, x_label="People reached per customer   ← bad · good →")
    figures = analysis.touchpoints
    private, public = figures.exposure_private, figures.exposure_public
    total = private + public
    order = [int(i) for i in np.argsort(-total, kind="stable") if total[i] > 0][:count]
    chart = Chart(ids=[analysis.ids[i] for i in order])
    chart.labels = [touchpoint_name(journey, tid) for tid in chart.ids]
    if not order:
        return empty_chart(plot, chart, "No one hears about this journey: every satisfaction is "
                           "neutral.", chart_style)
    sign = np.where(figures.exposure_negative[order] > figures.exposure_positive[order],
                    -1.0, 1.0)
    priv, pub = private[order], public[order]
    y = np.arange(len(order), dtype=float)
    thickness = 0.62
    light = 0.55 if not chart_style.palette.dark else 0.45
    colours = [chart_style.positive if s > 0 else chart_style.negative for s in sign]
    brushes = {
        "public": [pg.mkBrush(side_colour) for side_colour in colours],
        "private": [pg.mkBrush(mix(side_colour, chart_style.fill, light))
                    for side_colour in colours],
    }
    no_pen = pg.mkPen(None)
    private_bars = pg.BarGraphItem(x0=np.where(sign > 0, 0.0, -priv), width=priv, y=y,
                                   height=thickness, brushes=brushes["private"], pen=no_pen)
    public_bars = pg.BarGraphItem(x0=np.where(sign > 0, priv, -priv - pub), width=pub, y=y,
                                  height=thickness, brushes=brushes["public"], pen=no_pen)
    plot.addItem(private_bars)
    plot.addItem(public_bars)
    plot.addItem(pg.InfiniteLine(0, angle=90, pen=pg.mkPen(chart_style.muted,
                                                           width=chart_style.px(1))))
    chart.labels = name_axis(plot, chart.labels, chart_style)
    ends = sign * (priv + pub)
    labels = value_labels(plot, ends, [f"{v:,.1f}" for v in priv + pub], chart_style)
    # A key to every colour drawn: good (green) and bad (vermillion), public and private.
    entries = [(f"{word}, {part}", colour if part == "public"
                else mix(colour, chart_style.fill, light))
               for word, colour, side in (("Good", chart_style.positive, 1.0),
                                          ("Bad", chart_style.negative, -1.0))
               if (sign == side).any() for part in ("public", "private")]
    legend = bar_legend(plot, chart_style, entries)
    extent = float(np.max(np.abs(ends)))
    left = min(0.0, float(ends.min())) - 0.22 * extent * (ends.min() < 0)
    right = max(0.0, float(ends.max())) + 0.22 * extent * (ends.max() > 0)
    plot.setRange(xRange=(left, right), yRange=rows_range(len(order)), padding=0)
    plot.showGrid(x=True, alpha=0.3)
    chart.values = {"private": priv, "public": pub, "sign": sign}
    chart.items = {"private": private_bars, "public": public_bars, "labels": labels,
                   "legend": legend}
    return chart

def plot_fix_first(plot: pg.PlotItem, analysis: Analysis, journey: Journey,
                   chart_style: ChartStyle | None = None, count: int = 8,
                   ranks: Mapping[str, tuple[float, float, float]] | None = None) -> Chart:
    """Where to invest: the loyalty-index gain of +0.1 satisfaction at each touchpoint.

    With `ranks` (uncertainty on) each bar's fix-first rank band is named on the right,
    "rank 2 (1–3)": its median rank and the 5-95% range over the draws.
    """
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style,
                 x_label=f"Loyalty index gain per +{SATISFACTION_STEP:g} satisfaction")
    ranking = analysis.fix_first("loyalty_index", count)
    chart = Chart(ids=[tid for tid, _ in ranking])
    chart.labels = [touchpoint_name(journey, tid) for tid in chart.ids]
    if not ranking:
        return empty_chart(plot, chart, "Raising any satisfaction does not lift loyalty.",
                           chart_style)
    gains = np.array([100 * SATISFACTION_STEP * gain for _, gain in ranking])
    _ranked_bars(plot, chart, gains, [f"+{g:.2f}" for g in gains], chart_style.positive,
                 float(gains.max()) * 1.25, chart_style)
    chart.values = {"gain": gains}
    if ranks is not None:
        chart.values["ranks"] = rank_axis(plot, [ranks.get(tid) for tid in chart.ids],
                                          chart_style)
    return chart


def rank_axis(plot: pg.PlotItem, bands: Sequence[tuple[float, float, float] | None],
              chart_style: ChartStyle) -> list[str]:
    """Each row's rank band on the right axis, where it can hide no bar or number."""
    from cx_mapper.engine.uncertainty_report import rank_text  # with the first run

    texts = ["" if band is None else "rank " + rank_text(band).replace("-", "–")
             for band in bands]
    axis = plot.getAxis("right")
    plot.showAxis("right")
    axis.setPen(pg.mkPen(chart_style.grid, width=max(1.0, chart_style.px(1))))
    axis.setTextPen(pg.mkPen(chart_style.text))
    axis.setStyle(tickFont=chart_style.font(), tickLength=0,
                  tickTextOffset=round(chart_style.px(8)))
    axis.setTicks([[(float(i), text) for i, text in enumerate(texts)], []])
    metrics = QFontMetricsF(chart_style.font())
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0.0)
    axis.setWidth(math.ceil(widest + chart_style.px(16)))
    axis.setZValue(-200)
    axis.showLabel(False)
    return texts


def plot_removal_effects(plot: pg.PlotItem, analysis: Analysis, journey: Journey,
                         chart_style: ChartStyle | None = None, count: int = 10) -> Chart:
    """The share of conversions lost if a touchpoint were removed (Markov removal effect)."""
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style, x_label="Conversions lost without the touchpoint")
    removal = analysis.touchpoints.removal_effect
    chart = Chart()
    if removal is None:
        return empty_chart(plot, chart, "No conversion touchpoint: mark a goal to see removal "
                           "effects.", chart_style)
    shown = np.where(np.isfinite(removal), removal, -np.inf)
    order = [int(i) for i in np.argsort(-shown, kind="stable") if shown[i] > 0][:count]
    chart.ids = [analysis.ids[i] for i in order]
    chart.labels = [touchpoint_name(journey, tid) for tid in chart.ids]
    if not order:
        return empty_chart(plot, chart, "No touchpoint lies on the way to a conversion.",
                           chart_style)
    effects = 100 * removal[order]
    _ranked_bars(plot, chart, effects, [f"{e:.0f}%" for e in effects],
                 chart_style.palette.selection, min(125.0, float(effects.max()) * 1.22),
                 chart_style)
    chart.values = {"removal_effect": effects}
    return chart


def _ranked_bars(plot: pg.PlotItem, chart: Chart, values: np.ndarray, texts: Sequence[str],
                 colour: QColor, x_max: float, chart_style: ChartStyle) -> None:
    """Horizontal bars, largest on top, named on the left and numbered at their ends."""
    bars = pg.BarGraphItem(x0=np.zeros_like(values), width=values,
                           y=np.arange(len(values), dtype=float), height=0.62,
                           brush=pg.mkBrush(colour), pen=pg.mkPen(None))
    plot.addItem(bars)
    chart.labels = name_axis(plot, chart.labels, chart_style)
    labels = value_labels(plot, values, texts, chart_style)
    plot.setRange(xRange=(0, x_max), yRange=rows_range(len(values)), padding=0)
    plot.showGrid(x=True, alpha=0.3)
    chart.items = {"bars": bars, "labels": labels}


# -- offscreen drawing ------------------------------------------------------------------
def draw_chart(painter: QPainter, target: QRectF, chart_style: ChartStyle,
               build: Callable[[pg.GraphicsLayoutWidget], object]) -> object:
    """Lay out a chart for the target rectangle and paint it there; returns build's result.

    The chart is built in a hidden GraphicsLayoutWidget as large as the target is on
    the device (the painter may be scaled), so `chart_style`'s pixel sizes of fonts and
    lines come out exactly, and the chart is painted as vectors, not as a picture.
    """
    transform = painter.worldTransform()
    scale = math.hypot(transform.m11(), transform.m12()) or 1.0
    width, height = round(target.width() * scale), round(target.height() * scale)
    widget = pg.GraphicsLayoutWidget()
    try:
        widget.setBackground(chart_style.fill)
        widget.ci.setContentsMargins(0, 0, 0, 0)
        widget.ci.layout.setSpacing(chart_style.px(22))
        widget.resize(width, height)
        result = build(widget)
        widget.setRange(QRectF(0, 0, width, height), padding=0)
        _activate_layouts(widget)
        # Axes size themselves to their labels while painting: paint once to measure,
        # lay out again, then paint for real, so no label is clipped or overlapped.
        scratch = QImage(max(1, width), max(1, height), QImage.Format.Format_ARGB32_Premultiplied)
        scratch_painter = QPainter(scratch)
        widget.scene().render(scratch_painter, QRectF(0, 0, width, height),
                              QRectF(0, 0, width, height))
        scratch_painter.end()
        _activate_layouts(widget)
        for item in widget.scene().items():
            # Each point as a shape, not cut from a pixmap atlas: a PDF or SVG keeps it sharp.
            if isinstance(item, pg.ScatterPlotItem):
                item.opts["useCache"] = False
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(target, chart_style.fill)  # the view's background is not the scene's
        widget.scene().render(painter, target, QRectF(0, 0, width, height))
        painter.restore()
        return result
    finally:
        widget.scene().clear()
        widget.deleteLater()


def _activate_layouts(widget: pg.GraphicsLayoutWidget) -> None:
    """Apply pending layout changes now, outermost first (no event loop runs here)."""
    widget.ci.layout.activate()
    for item in widget.ci.items:
        layout = QGraphicsWidget.layout(item) if isinstance(item, QGraphicsWidget) else None
        if layout is not None:
            layout.activate()
