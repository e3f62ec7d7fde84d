"""The Analysis dock: KPI cards over the charts, kept live as the journey is edited.

A typical map is analysed on the GUI thread as soon as the event loop is idle after
an edit (a slider drag's burst of edits is one analysis). A large map is analysed
off the GUI thread on a snapshot of the project. Either way a result is shown only
if it belongs to the document's current revision: a stale result is greyed while
the new one is computed, and never shown as current.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.matrices import AnalysisError
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.analysis.charts import ChartsPanel
from cx_mapper.ui.analysis.compare import ComparePanel
from cx_mapper.ui.analysis.kpi_cards import KpiCards
from cx_mapper.ui.analysis.segment_results import SegmentsResultTable
from cx_mapper.ui.analysis.simulation_view import SimulationView
from cx_mapper.ui.analysis.touchpoint_table import TouchpointTable
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background, snapshot_project

log = logging.getLogger(__name__)

#: Up to this many touchpoints the analysis runs on the GUI thread (a few ms).
BACKGROUND_FROM = 400
#: A large map waits this long after the last edit before it is analysed again.
BACKGROUND_DEBOUNCE_MS = 60
#: While editing a large map, removal effects (one solve per touchpoint on a loop) are
#: worked out for the 20 busiest touchpoints only; the exported summary has them all.
LIVE_REMOVAL_LIMIT = 0


class AnalysisPanel(QWidget):
    """KPI cards, charts, the touchpoint table, per-segment results, compare, simulation."""

    #: A new current analysis, or None when the journey cannot be analysed (or there is none).
    analysis_changed = Signal(object)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id: str | None = None
        self._result: Analysis | None = None
        self._result_revision = -1
        self._reason: str | None = None
        self._task: Task | None = None

        self.kpis = KpiCards()
        self.charts = ChartsPanel()
        self.table = TouchpointTable()
        self.segment_results = SegmentsResultTable()
        self.compare = ComparePanel(document)
        self.simulation = SimulationView(document)
        tabs = self.charts.tabs
        tabs.addTab(self.table, "Touchpoints")
        tabs.addTab(self.segment_results, "By segment")
        tabs.addTab(self.compare, "Compare journeys")
        tabs.addTab(self.simulation, "Simulation")
        tabs.setTabToolTip(tabs.indexOf(self.compare),
                           "Two journeys side by side, e.g. current and future state")
        tabs.setTabToolTip(tabs.indexOf(self.simulation),
                           "Check the figures with a Monte Carlo run and see their spread")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.kpis)
        layout.addWidget(self.charts, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        document.revision_changed.connect(self._on_revision_changed)

    @property
    def result(self) -> Analysis | None:
        """The shown analysis, or None when it is stale or the journey cannot be analysed."""
        return self._result if self._result_revision == self._document.revision else None

    @property
    def reason(self) -> str | None:
        """Why the current journey cannot be analysed, if it cannot."""
        return self._reason

    @property
    def journey_id(self) -> str | None:
        return self._journey_id

    def is_busy(self) -> bool:
        return self._timer.isActive() or self._task is not None

    def set_journey(self, journey_id: str | None) -> None:
        if journey_id != self._journey_id:
            self._journey_id = journey_id
            self.simulation.set_journey(journey_id)
            self.refresh()

    # -- recomputing -----------------------------------------------------------------
    def _is_large(self) -> bool:
        journey_id = self._journey_id
        if journey_id is None or journey_id not in self._journey_ids():
            return False
        return len(self._document.journey(journey_id).touchpoints) >= BACKGROUND_FROM

    def _journey_ids(self) -> set[str]:
        return {j.id for j in self._document.project.journeys}

    def _on_revision_changed(self, _revision: int) -> None:
        self._set_stale(True)
        if self._is_large():
            self._timer.start(BACKGROUND_DEBOUNCE_MS)
        else:
            self._timer.start(0)  # once the event loop is idle: one analysis per burst

    def refresh(self) -> None:
        """Analyse the current journey now (off the GUI thread for a large one)."""
        self._timer.stop()
        revision = self._document.revision
        journey_id = self._journey_id
        if journey_id is None or journey_id not in self._journey_ids():
            self._show(None, "Open or create a journey to see its figures.", revision)
            return
        if not self._is_large():
            try:
                result = analyze(self._document.project, journey_id)
            except AnalysisError as error:
                self._show(None, str(error), revision)
            else:
                self._show(result, None, revision)
            return
        if self._task is not None:
            self._task.cancel()
        snapshot = snapshot_project(self._document.project, [journey_id])
        self._task = run_in_background(
            lambda _task: analyze(snapshot, journey_id, removal_limit=LIVE_REMOVAL_LIMIT),
            revision,
            current_revision=lambda: self._document.revision,
            on_finished=self._on_outcome, tag=journey_id)

    def _on_outcome(self, outcome: Outcome) -> None:
        if self.sender() is self._task:
            self._task = None
        if outcome.cancelled or outcome.stale or outcome.tag != self._journey_id:
            return  # a newer request is on its way
        if isinstance(outcome.error, AnalysisError):
            self._show(None, str(outcome.error), outcome.revision)
        elif outcome.error is not None:
            log.error("The analysis failed:\n%s", outcome.details)
            self._show(None, f"The analysis failed: {outcome.error}", outcome.revision)
        else:
            self._show(outcome.value, None, outcome.revision)

    def _show(self, result: Analysis | None, reason: str | None, revision: int) -> None:
        if revision != self._document.revision:
            return
        self._result, self._reason, self._result_revision = result, reason, revision
        self._set_stale(False)
        self.kpis.show_analysis(result, reason)
        journey = (self._document.journey(self._journey_id)
                   if result is not None and self._journey_id is not None else None)
        self.charts.show_analysis(result, journey)
        self.segment_results.show_analysis(result)
        self.table.show(self._current_journey(), result)
        self.analysis_changed.emit(result)

    def _current_journey(self) -> Journey | None:
        journey_id = self._journey_id
        if journey_id is None or journey_id not in self._journey_ids():
            return None
        return self._document.journey(journey_id)

    def _set_stale(self, stale: bool) -> None:
        """Greyed while the figures are being brought up to date."""
        self.kpis.setEnabled(not stale)
        self.kpis.setToolTip("Updating after your edit…" if stale else "")
