"""The dock's chart tabs: the charts of the current analysis, drawn when on show.

The dock adds its own tabs (Touchpoints, By segment, Compare, Simulation) to the same
tab widget, so a tab is known by its widget, never by its index.
"""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QMenu, QTabWidget, QVBoxLayout, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.analysis.chart_style import Chart, chart_message, prepare_plot, widget_style
from cx_mapper.ui.analysis.charts import (
    plot_active,
    plot_exposure_by_touchpoint,
    plot_exposure_over_time,
    plot_fix_first,
    plot_loyalty_curve,
    plot_removal_effects,
)


class ChartsPanel(QWidget):
    """The charts of the current analysis, one tab each; they follow the theme.

    Only the chart on show is drawn when an analysis arrives (a live edit brings one every
    few hundred milliseconds); the others are drawn when they are opened. The dock adds
    its own tabs after the charts, so a chart tab is found by its widget, not its index.
    """

    TABS = ("Loyalty", "Over time", "Exposure", "Fix first", "Removal effect")

    #: "What if we fixed this?" on a fix-first bar: the touchpoint's id
    fix_wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self._widgets: dict[str, pg.GraphicsLayoutWidget] = {}
        for name in self.TABS:
            widget = pg.GraphicsLayoutWidget()
            widget.ci.setContentsMargins(8, 8, 12, 8)
            self._widgets[name] = widget
            self.tabs.addTab(widget, name)
        self.loyalty_plot = self._widgets["Loyalty"].addPlot()
        self.active_plot = self._widgets["Over time"].addPlot()
        self.exposure_time_plot = self._widgets["Over time"].addPlot()
        self.exposure_plot = self._widgets["Exposure"].addPlot()
        self.fix_first_plot = self._widgets["Fix first"].addPlot()
        self.removal_plot = self._widgets["Removal effect"].addPlot()
        self.exposure_time_plot.setXLink(self.active_plot)
        self._charts: dict[str, Chart] = {}
        self._pending: set[str] = set()
        self._shown: tuple[Analysis | None, Journey | None] = (None, None)
        self._ranks: dict[str, tuple[float, float, float]] | None = None
        self._stale = False
        self._style = widget_style(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        fix_first = self._widgets["Fix first"]
        # The view's policy answers a right-click on its viewport, in viewport pixels.
        fix_first.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        fix_first.customContextMenuRequested.connect(self._on_fix_first_menu)
        fix_first.viewport().installEventFilter(self)  # a double-click on a bar
        fix_first.setToolTip("Right-click or double-click a bar: what if we fixed it?")
        self.show_analysis(None, None)

    @property
    def charts(self) -> dict[str, Chart]:
        """What every chart shows by name (drawing the tabs not opened yet); empty when
        there is no analysis."""
        for tab in self.TABS:
            self._draw(tab)
        return dict(self._charts)

    def shown_analysis(self) -> Analysis | None:
        """The analysis the charts are drawn from (greyed while `is_stale`)."""
        return self._shown[0]

    def chart_widget(self, tab: str) -> pg.GraphicsLayoutWidget:
        """The widget of one chart tab, by its name in `TABS`."""
        return self._widgets[tab]

    def current_chart(self) -> str | None:
        """The chart tab on show, or None when one of the dock's other tabs is."""
        return self._tab_of(self.tabs.currentWidget())

    def show_analysis(self, analysis: Analysis | None, journey: Journey | None) -> None:
        """Show this analysis; None clears the charts with a short message."""
        self._shown = (analysis, journey)
        self._charts = {}
        self._pending = set(self.TABS)
        self._style = widget_style(self)
        self.tabs.setTabEnabled(self.tabs.indexOf(self._widgets["Removal effect"]),
                                analysis is None or analysis.has_conversion)
        self.set_stale(False)
        current = self.current_chart()
        if current is not None:
            self._draw(current)

    def set_ranks(self, ranks: dict[str, tuple[float, float, float]] | None) -> None:
        """Fix-first rank bands by touchpoint id (uncertainty on), for the analysis on
        show; None: no bands."""
        if ranks == self._ranks:
            return
        self._ranks = ranks
        self._charts.pop("fix_first", None)
        self._pending.add("Fix first")
        if self.current_chart() == "Fix first":
            self._draw("Fix first")

    def ranks(self) -> dict[str, tuple[float, float, float]] | None:
        return self._ranks

    def set_stale(self, stale: bool, tooltip: str = "") -> None:
        """Grey every chart while its figures are being brought up to date.

        The charts, not the tab bar: the user can still move between tabs meanwhile.
        """
        self._stale = stale
        for widget in self._widgets.values():
            widget.setEnabled(not stale)
            widget.setToolTip(tooltip if stale else "")
            widget.ci.setOpacity(0.4 if stale else 1.0)

    def is_stale(self) -> bool:
        return self._stale

    def _tab_of(self, widget: QWidget | None) -> str | None:
        return next((name for name, w in self._widgets.items() if w is widget), None)

    def _on_tab_changed(self, index: int) -> None:
        tab = self._tab_of(self.tabs.widget(index))
        if tab is not None:
            self._draw(tab)

    def _draw(self, tab: str) -> None:
        if tab not in self._pending:
            return
        self._pending.discard(tab)
        analysis, journey = self._shown
        chart_style = self._style
        self._widgets[tab].setBackground(chart_style.fill)
        plots: dict[str, dict[str, pg.PlotItem]] = {
            "Loyalty": {"loyalty": self.loyalty_plot},
            "Over time": {"active": self.active_plot, "exposure_time": self.exposure_time_plot},
            "Exposure": {"exposure": self.exposure_plot},
            "Fix first": {"fix_first": self.fix_first_plot},
            "Removal effect": {"removal": self.removal_plot},
        }
        if analysis is None or journey is None:
            for plot in plots[tab].values():
                prepare_plot(plot, chart_style)
                chart_message(plot, "No analysis to show.", chart_style)
            return
        draw: dict[str, Callable[[pg.PlotItem], Chart]] = {
            "loyalty": lambda p: plot_loyalty_curve(p, analysis, journey, chart_style),
            "active": lambda p: plot_active(p, analysis, chart_style),
            "exposure_time": lambda p: plot_exposure_over_time(p, analysis, chart_style),
            "exposure": lambda p: plot_exposure_by_touchpoint(p, analysis, journey,
                                                              chart_style),
            "fix_first": lambda p: plot_fix_first(p, analysis, journey, chart_style,
                                                  ranks=self._ranks),
            "removal": lambda p: plot_removal_effects(p, analysis, journey, chart_style),
        }
        for name, plot in plots[tab].items():
            self._charts[name] = draw[name](plot)

    # -- "What if we fixed this?" ------------------------------------------------------------
    def fix_first_bar_at(self, pos: QPoint) -> str | None:
        """The touchpoint of the fix-first bar (its row) at a point of the chart's viewport."""
        chart = self._charts.get("fix_first")
        if chart is None or not chart.ids or self._stale:
            return None
        scene_pos = QPointF(self._widgets["Fix first"].mapToScene(pos))
        view = self.fix_first_plot.getViewBox()
        if not view.sceneBoundingRect().contains(scene_pos):
            return None
        row = round(view.mapSceneToView(scene_pos).y())
        return chart.ids[row] if 0 <= row < len(chart.ids) else None

    def _on_fix_first_menu(self, pos: QPoint) -> None:
        touchpoint_id = self.fix_first_bar_at(pos)
        if touchpoint_id is None:
            return
        name = self._charts["fix_first"].labels[self._charts["fix_first"].ids.index(
            touchpoint_id)]
        menu = QMenu(self)
        menu.addAction(f"What if we fixed ‘{name}’?", lambda: self.fix_wanted.emit(
            touchpoint_id))
        menu.exec(self._widgets["Fix first"].viewport().mapToGlobal(pos))
        menu.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self._widgets["Fix first"].viewport() and isinstance(event, QMouseEvent) \
                and event.type() == QEvent.Type.MouseButtonDblClick \
                and event.button() == Qt.MouseButton.LeftButton:
            touchpoint_id = self.fix_first_bar_at(event.position().toPoint())
            if touchpoint_id is not None:
                self.fix_wanted.emit(touchpoint_id)
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A new theme redraws the charts in its colours (still greyed if they were)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            stale, tips = self._stale, self._widgets["Loyalty"].toolTip()
            self.show_analysis(*self._shown)
            self.set_stale(stale, tips)
