"""The Evidence tab: what drives the spread of a figure, and what to research next.

With "Show uncertainty" on, a tornado shows each uncertain input's share of the chosen
figure's variance (the engine's first-order sensitivity index, with its standard error
as a whisker), and "Research next" names the input whose measurement would most likely
change the decision, in the command line's words, with the next few behind it. Without
evidence on any figure the tab says how to add some. Every number is the engine's
(engine/uncertainty.py); nothing here recomputes one.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.engine.kpis import TOTAL_KPIS, Kpi
from cx_mapper.ui.analysis.chart_style import (
    Chart,
    ChartStyle,
    empty_chart,
    name_axis,
    prepare_plot,
    rows_range,
    value_labels,
    widget_style,
)

#: The tornado shows this many inputs, the largest shares first.
DRIVERS_SHOWN = 8
#: Research next lists this many inputs with their worth.
RESEARCH_SHOWN = 3
#: Inputs below this share of a figure's variance are left off the tornado.
SHARE_SHOWN = 0.005
#: ... and Research next the inputs worth at least this share of the first one's worth
#: (the rest are rounding: 1e-15 of the objective).
WORTH_SHOWN = 0.01
OFF = ("Switch on <b>Show uncertainty</b> (the button above, or View › Show uncertainty) "
       "to see each figure's 90% interval, what drives its spread and what to research "
       "next.")
NO_EVIDENCE = ("<b>No figure carries evidence yet</b>, so every figure is exact as "
               "given and nothing drives a spread.<br><br>To say how sure a figure is, "
               "select a touchpoint or transition and give its figures evidence in the "
               "<b>Inspector</b> (an assumed range, a workshop estimate, a survey or event "
               "data), or use the <b>segments' default ranges</b> in the Segments dock "
               "(View › Segments).")
DEFAULT_KPI = "loyalty_index"


def plot_drivers(plot: pg.PlotItem, drivers: Sequence[Any], kpi: Kpi,
                 chart_style: ChartStyle | None = None,
                 count: int = DRIVERS_SHOWN) -> Chart:
    """The tornado: each input's share of the KPI's variance, largest on top, with a
    whisker of one standard error."""
    chart_style = chart_style or ChartStyle()
    prepare_plot(plot, chart_style, x_label=f"% of the {kpi.label.lower()}'s spread "
                                            "(variance) each input explains")
    shown = [d for d in drivers if d.share >= SHARE_SHOWN][:count]
    chart = Chart(ids=[d.key for d in shown], labels=[d.label for d in shown])
    if not shown:
        return empty_chart(plot, chart, f"No input moves the {kpi.label.lower()}.",
                           chart_style)
    shares = 100 * np.array([d.share for d in shown])
    errors = 100 * np.array([d.error for d in shown])
    y = np.arange(len(shown), dtype=float)
    bars = pg.BarGraphItem(x0=np.zeros_like(shares), width=shares, y=y, height=0.62,
                           brush=pg.mkBrush(chart_style.palette.selection),
                           pen=pg.mkPen(None))
    plot.addItem(bars)
    whiskers = pg.ErrorBarItem(x=shares, y=y, left=np.minimum(errors, shares), right=errors,
                               beam=0.18, pen=pg.mkPen(chart_style.text,
                                                       width=chart_style.px(1.2)))
    plot.addItem(whiskers)
    chart.labels = name_axis(plot, chart.labels, chart_style)
    ends = shares + errors
    texts = [f"{s:.0f}% ± {e:.0f}%" if e >= 0.5 else f"{s:.0f}%"
             for s, e in zip(shares, errors, strict=True)]
    labels = value_labels(plot, ends, texts, chart_style)
    plot.setRange(xRange=(0, min(135.0, float(ends.max()) * 1.3 + 2)),
                  yRange=rows_range(len(shown)), padding=0)
    plot.showGrid(x=True, alpha=0.3)
    chart.values = {"share": shares, "error": errors}
    chart.items = {"bars": bars, "whiskers": whiskers, "labels": labels}
    return chart


class EvidenceView(QWidget):
    """The tornado of the chosen figure and Research next, or why there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._found: Any = None
        self._stale = False
        self.chart: Chart | None = None
        self.message = QLabel(OFF)
        self.message.setObjectName("evidenceMessage")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setContentsMargins(16, 14, 16, 14)
        self.kpi_box = QComboBox()
        self.kpi_box.setAccessibleName("Figure")
        self.kpi_box.setToolTip("The figure whose spread the chart breaks down")
        self.kpi_box.currentIndexChanged.connect(self._on_kpi_chosen)
        self.about = QLabel()
        self.about.setObjectName("evidenceAbout")
        self.about.setWordWrap(True)
        self.plot_widget = pg.GraphicsLayoutWidget()
        self.plot_widget.ci.setContentsMargins(8, 8, 12, 8)
        self.plot = self.plot_widget.addPlot()
        self.research = QLabel()
        self.research.setObjectName("researchNext")
        self.research.setWordWrap(True)
        self.research.setTextFormat(Qt.TextFormat.RichText)
        self.research.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.research.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.research.setMinimumWidth(260)
        self.research.setContentsMargins(12, 8, 12, 8)

        chooser = QHBoxLayout()
        label = QLabel("What drives the spread of")
        label.setBuddy(self.kpi_box)
        chooser.addWidget(label)
        chooser.addWidget(self.kpi_box)
        chooser.addSpacing(12)
        chooser.addWidget(self.about, 1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 6, 0, 0)
        column.setSpacing(4)
        column.addLayout(chooser)
        column.addWidget(self.plot_widget, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.research)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 360])
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- what the dock tells it ---------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Rich text instead of the chart: switched off, no journey, no evidence, failed."""
        self._found = None
        self.chart = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_uncertainty(self, found: Any) -> None:
        """An engine Uncertainty for the journey on show at the current revision."""
        if not found.inputs:
            self.show_message(NO_EVIDENCE)
            return
        self._found = found
        self.set_stale(False)
        self.stack.setCurrentWidget(self.splitter)
        chosen = self.kpi_box.currentData() or DEFAULT_KPI
        keys = [kpi.key for kpi in TOTAL_KPIS if kpi.key in found.drivers]
        self.kpi_box.blockSignals(True)
        self.kpi_box.clear()
        for kpi in TOTAL_KPIS:
            if kpi.key in keys:
                self.kpi_box.addItem(kpi.label, kpi.key)
        index = self.kpi_box.findData(chosen if chosen in keys else DEFAULT_KPI)
        self.kpi_box.setCurrentIndex(max(0, index))
        self.kpi_box.blockSignals(False)
        failed = (f"; {found.failed:,} draws closed a loop and were left out"
                  if found.failed else "")
        self.about.setText(f"{found.samples:,} draws of {found.inputs} uncertain "
                           f"input{'s' * (found.inputs != 1)}, seed {found.seed}{failed}")
        self._draw()
        self.research.setText(research_html(found))

    def set_stale(self, stale: bool) -> None:
        """Greyed while an edit's result is being worked out: never shown as current."""
        self._stale = stale
        for widget in (self.plot_widget, self.research, self.kpi_box, self.about):
            widget.setEnabled(not stale)
        self.plot_widget.ci.setOpacity(0.4 if stale else 1.0)
        self.research.setToolTip("Updating after your edit…" if stale else "")

    def is_stale(self) -> bool:
        return self._stale

    def chosen_kpi(self) -> str | None:
        key = self.kpi_box.currentData()
        return str(key) if key is not None else None

    def showing_chart(self) -> bool:
        return self.stack.currentWidget() is self.splitter

    # -- drawing ------------------------------------------------------------------------
    def _on_kpi_chosen(self, _index: int) -> None:
        if self._found is not None:
            self._draw()

    def _draw(self) -> None:
        found = self._found
        key = self.kpi_box.currentData()
        if found is None or key is None:
            return
        kpi = next(k for k in TOTAL_KPIS if k.key == key)
        chart_style = widget_style(self)
        chart_style = ChartStyle(chart_style.palette, chart_style.font_px,
                                 name_width_px=chart_style.px(320))
        self.plot_widget.setBackground(chart_style.fill)
        self.chart = plot_drivers(self.plot, found.drivers.get(key, ()), kpi, chart_style)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and self._found is not None:
            self._draw()


def research_html(found: Any) -> str:
    """Research next in the command line's words, then the next few inputs and what
    measuring each is worth for the decision."""
    from cx_mapper.engine.uncertainty_report import research_words, worth_words

    words = research_words(found)
    head, _, rest = words.partition(": ")
    parts = [f"<p><b>{html.escape(head)}:</b> {html.escape(rest)}</p>"]
    top = found.research[0].worth if found.research else 0.0
    worth = [r for r in found.research if r.worth > WORTH_SHOWN * top][:RESEARCH_SHOWN]
    if found.decision and worth and not found.robust:
        items = "".join(f"<li>{html.escape(r.label)}: "
                        f"{html.escape(worth_words(found.objective, r.worth))}</li>"
                        for r in worth)
        parts.append(f"<p>What measuring each is worth:</p><ul>{items}</ul>")
        parts.append(f"<p>Knowing everything exactly would be worth "
                     f"{html.escape(worth_words(found.objective, found.evpi))}.</p>")
    return "".join(parts)
