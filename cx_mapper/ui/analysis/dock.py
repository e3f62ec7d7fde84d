"""The Analysis dock: KPI cards over the charts and tables of the journey on show.

Every figure comes from the document's analysis service: the dock says which journey
it shows (`watch`), greys everything on `analysis_pending`, and shows the result of
`analysis_ready` / `analysis_failed` only when it is for its journey at the document's
current revision, so an older revision's figures are never shown as current. Each
part (cards, charts, touchpoint table, segment table) is drawn in its own guarded
call: one that fails is logged and the others still update.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QVBoxLayout, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.analysis.charts_panel import ChartsPanel
from cx_mapper.ui.analysis.compare import ComparePanel
from cx_mapper.ui.analysis.evidence_view import EvidenceView
from cx_mapper.ui.analysis.kpi_cards import KpiCards
from cx_mapper.ui.analysis.paths_view import PathsView
from cx_mapper.ui.analysis.segment_results import SegmentsResultTable
from cx_mapper.ui.analysis.simulation_view import SimulationView
from cx_mapper.ui.analysis.touchpoint_table import TouchpointTable
from cx_mapper.ui.analysis.uncertainty_view import UncertaintyLink, UncertaintyStrip
from cx_mapper.ui.analysis.updating import UPDATING, grey_while_updating
from cx_mapper.ui.document.analysis_service import Result, shows_results
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.uncertainty_service import UncertaintyService

log = logging.getLogger(__name__)

NO_JOURNEY = "Open or create a journey to see its figures."


class AnalysisPanel(QWidget):
    """KPI cards, charts, the touchpoint table, per-segment results, compare, simulation."""

    #: A new current analysis, or None when the journey cannot be analysed (or there is none).
    analysis_changed = Signal(object)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._service = document.analysis
        self._journey_id: str | None = None
        self._shown: Result | None = None  # the result on show (greyed once stale)

        self.kpis = KpiCards()
        self.charts = ChartsPanel()
        self.table = TouchpointTable()
        self.segment_results = SegmentsResultTable()
        self.compare = ComparePanel(document)
        self.simulation = SimulationView(document)
        self.paths = PathsView(document)
        self.evidence = EvidenceView()
        self.uncertainty = UncertaintyService(document, self)
        self.uncertainty_strip = UncertaintyStrip()
        tabs = self.charts.tabs
        tabs.addTab(self.table, "Touchpoints")
        tabs.addTab(self.segment_results, "By segment")
        tabs.addTab(self.compare, "Compare journeys")
        tabs.addTab(self.simulation, "Simulation")
        tabs.addTab(self.paths, "Paths")
        tabs.addTab(self.evidence, "Evidence")
        tabs.setTabToolTip(tabs.indexOf(self.evidence),
                           "With Show uncertainty on: what drives each figure's spread, and "
                           "what to research next")
        tabs.setTabToolTip(tabs.indexOf(self.paths),
                           "The most common paths in the event log last imported")
        tabs.setTabToolTip(tabs.indexOf(self.compare),
                           "Two journeys side by side, e.g. current and future state")
        tabs.setTabToolTip(tabs.indexOf(self.simulation),
                           "Check the figures with a Monte Carlo run and see their spread")
        # The switch sits beside the tabs, taking no height from the canvas above.
        tabs.setCornerWidget(self.uncertainty_strip, Qt.Corner.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.kpis)
        layout.addWidget(self.charts, 1)
        self.how_sure = UncertaintyLink(self.uncertainty, self.uncertainty_strip, self.kpis,
                                        self.charts, self.evidence)

        self._service.analysis_ready.connect(self._on_analysis_ready)
        self._service.analysis_failed.connect(self._on_analysis_failed)
        self._service.analysis_pending.connect(self._on_analysis_pending)
        document.journeys_changed.connect(self._on_journeys_changed)
        document.project_reset.connect(self._on_journeys_changed)
        self._show_nothing()

    # -- what the rest of the app reads ------------------------------------------------
    @property
    def result(self) -> Analysis | None:
        """The shown analysis, or None when it is stale or the journey cannot be analysed."""
        shown = self._shown
        return shown.analysis if shown is not None and self._is_current(shown) else None

    @property
    def reason(self) -> str | None:
        """Why the current journey cannot be analysed, if it cannot."""
        shown = self._shown
        if shown is None:
            return NO_JOURNEY if not self._has_journey() else None
        return shown.message if self._is_current(shown) else None

    @property
    def journey_id(self) -> str | None:
        return self._journey_id

    def is_busy(self) -> bool:
        """True while the journey's figures wait for the current revision's analysis."""
        return self._has_journey() and self._service.result_of(self._journey_id) is None

    def is_updating(self) -> bool:
        """The figures on show are greyed: an edit made them stale."""
        return not self.kpis.isEnabled()

    def set_uncertainty_switch(self, action: QAction) -> None:
        """The window's "Show uncertainty" action, on the dock's own switch too."""
        self.uncertainty_strip.set_action(action)

    def set_uncertainty_shown(self, shown: bool) -> None:
        """Intervals, rank bands and the Evidence tab on or off (worked out on a worker)."""
        self.uncertainty.set_enabled(shown)

    def set_journey(self, journey_id: str | None) -> None:
        """Show this journey's figures (None: no journey)."""
        self.uncertainty.set_journey(journey_id if self._journey_of(journey_id) else None)
        if journey_id != self._journey_id:
            self._journey_id = journey_id
            self.simulation.set_journey(journey_id)
            self.paths.set_journey(journey_id)
            self._service.watch(self, [journey_id])
            self._shown = None
            self.refresh()

    def refresh(self) -> None:
        """Bring the figures up to date now (a large map is analysed on a worker)."""
        if not self._has_journey():
            self._show_nothing()
            return
        self._service.watch(self, [self._journey_id])
        self._service.refresh()  # shows the result through analysis_ready/failed
        result = self._service.result_of(self._journey_id)
        if result is None:
            self._set_updating(True)
        elif result is not self._shown:
            self._show(result)  # cached: the service has nothing new to emit

    # -- the service -------------------------------------------------------------------
    @shows_results("The Analysis dock")
    def _on_analysis_ready(self, journey_id: str, revision: int, _analysis: object) -> None:
        self._on_result(journey_id, revision)

    @shows_results("The Analysis dock")
    def _on_analysis_failed(self, journey_id: str, revision: int, _message: str) -> None:
        self._on_result(journey_id, revision)

    @shows_results("The Analysis dock")
    def _on_analysis_pending(self, journey_id: str, _revision: int) -> None:
        if journey_id == self._journey_id:
            self._set_updating(True)

    def _on_journeys_changed(self) -> None:
        if self._shown is not None and not self._has_journey():
            self._show_nothing()  # the journey on show was removed
        self.uncertainty.set_journey(self._journey_id if self._has_journey() else None)

    def _on_result(self, journey_id: str, revision: int) -> None:
        if journey_id != self._journey_id or revision != self._document.revision:
            return
        result = self._service.result_of(journey_id)
        if result is not None:
            self._show(result)

    # -- showing -----------------------------------------------------------------------
    def _show(self, result: Result) -> None:
        previous, self._shown = self._shown, result
        if (previous is not None and result.analysis is not None
                and previous.analysis is result.analysis and not self.is_updating()):
            return  # the same figures, carried over an edit that changed none of them
        journey = self._journey()
        analysis = result.analysis
        self._show_kpis(analysis, result.message)
        self._show_charts(analysis, journey if analysis is not None else None)
        self._show_table(journey, analysis)
        self._show_segments(analysis)
        self._set_updating(False)
        self.analysis_changed.emit(analysis)

    def _show_nothing(self) -> None:
        self._shown = None
        self.kpis.show_analysis(None)  # "Open or create a journey to see its figures."
        self.charts.show_analysis(None, None)
        self.table.show(None, None)
        self.segment_results.show_analysis(None)
        self._set_updating(False)
        self.analysis_changed.emit(None)

    @shows_results("The KPI cards")
    def _show_kpis(self, analysis: Analysis | None, reason: str | None) -> None:
        self.kpis.show_analysis(analysis, reason)

    @shows_results("The analysis charts")
    def _show_charts(self, analysis: Analysis | None, journey: Journey | None) -> None:
        self.charts.show_analysis(analysis, journey)

    @shows_results("The touchpoint table")
    def _show_table(self, journey: Journey | None, analysis: Analysis | None) -> None:
        self.table.show(journey, analysis)

    @shows_results("The segment results")
    def _show_segments(self, analysis: Analysis | None) -> None:
        self.segment_results.show_analysis(analysis)

    def _set_updating(self, updating: bool) -> None:
        """Greyed while the figures are being brought up to date."""
        for widget in (self.kpis, self.table, self.segment_results):
            grey_while_updating(widget, updating)
        self.charts.set_stale(updating, UPDATING)

    # -- the journey -------------------------------------------------------------------
    def _is_current(self, result: Result) -> bool:
        return (result.journey_id == self._journey_id
                and result.revision == self._document.revision)

    def _has_journey(self) -> bool:
        return self._journey() is not None

    def _journey(self) -> Journey | None:
        return self._journey_of(self._journey_id)

    def _journey_of(self, journey_id: str | None) -> Journey | None:
        if journey_id is None:
            return None
        return next((j for j in self._document.project.journeys if j.id == journey_id), None)
