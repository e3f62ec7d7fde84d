"""The Opportunities dock: the journey's opportunities and their editor, the
value-vs-effort matrix and the plan for a budget, one tab each, over the objective they
all rank by. It shows the journey of the current tab and follows every edit (undo too);
the gains and the plan come from PlanFigures, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import PlanSettings
from cx_mapper.domain.validation import Problem
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.uncertainty_service import UncertaintyService
from cx_mapper.ui.look.labels import ToneLabel
from cx_mapper.ui.plan.figures import DEFAULT_OBJECTIVE, PlanFigures, objective_score
from cx_mapper.ui.plan.matrix import ValueEffortMatrix
from cx_mapper.ui.plan.objective import ObjectiveBar
from cx_mapper.ui.plan.opportunity_editor import OpportunityEditor
from cx_mapper.ui.plan.opportunity_list import OpportunityList
from cx_mapper.ui.plan.plan_view import PlanView
from cx_mapper.ui.plan.words import objective_label, score_text

NO_JOURNEY = "No journey is open."
UPDATING = "Updating…"


class OpportunitiesPanel(QWidget):
    """Opportunities, Matrix and Plan tabs for the journey on show."""

    #: a future state was made (its journey id): the window shows it, ready for Compare
    future_state_made = Signal(str, str)  # from journey id, new journey id

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.journey_id: str | None = None
        self.figures = PlanFigures(document, self)
        self._uncertainty: UncertaintyService | None = None
        #: the last gains and plan shown, by journey: greyed while new ones are computed
        #: (journey, gains, unusable, the totals they were computed from)
        self._kept_gains: tuple[str | None, dict[str, dict[str, float]], dict[str, str],
                                dict[str, float] | None] = (None, {}, {}, None)
        self._kept_plan: tuple[str | None, Any] = (None, None)
        self.objective = ObjectiveBar()
        self.journey_label = ToneLabel()
        self.journey_label.setWordWrap(False)
        self.objective.extra.addWidget(self.journey_label)
        self.list = OpportunityList()
        self.editor = OpportunityEditor(document)
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setWidget(self.editor)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(editor_scroll)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([520, 880])
        self.matrix = ValueEffortMatrix()
        self.plan_view = PlanView()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, "Opportunities")
        self.tabs.addTab(self.matrix, "Matrix")
        self.tabs.addTab(self.plan_view, "Plan")
        self.tabs.setTabToolTip(1, "Value against effort: each opportunity's gain against "
                                   "its cost")
        self.tabs.setTabToolTip(2, "The best opportunities to fund for a budget")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.objective)
        layout.addWidget(self.tabs, 1)

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)  # after the edit's signals, once
        self._refresh_timer.timeout.connect(self.refresh)
        self.list.selected.connect(self._on_selected)
        self.list.add_requested.connect(self._on_add)
        self.list.remove_requested.connect(self._on_remove)
        self.list.move_requested.connect(self._on_move)
        self.matrix.selected.connect(self._on_matrix_selected)
        self.plan_view.budget_changed.connect(lambda _b: self._store_plan(merge=True))
        self.plan_view.future_state_requested.connect(self.make_future_state)
        self.objective.changed.connect(self._on_objective_changed)
        self.figures.gains_changed.connect(self._show_gains)
        self.figures.plan_changed.connect(self._show_plan)
        document.revision_changed.connect(lambda _r: self._refresh_timer.start())
        self.refresh()

    # -- what the window asks --------------------------------------------------------------
    def journey(self) -> Journey | None:
        if self.journey_id is None:
            return None
        try:
            return self.document.journey(self.journey_id)
        except KeyError:
            return None

    def set_journey(self, journey_id: str | None) -> None:
        if journey_id != self.journey_id:
            self.journey_id = journey_id
            self.list.select(None)
            self.figures.set_journey(journey_id)
        self.refresh()

    def new_opportunity(self, journey_id: str, fields: Mapping[str, Any]) -> str:
        """Add an opportunity (prefilled from where the user started it), one undo step,
        and open it in the editor."""
        fields = dict(fields)
        title = str(fields.pop("title", ""))
        self.set_journey(journey_id)
        opportunity_id = self.document.add_opportunity(journey_id, title, **fields)
        self.refresh()
        self.select(opportunity_id)
        self.editor.title_edit.setFocus()
        self.editor.title_edit.selectAll()
        return opportunity_id

    def select(self, opportunity_id: str | None) -> None:
        self.tabs.setCurrentWidget(self.splitter)
        self.list.select(opportunity_id)
        self.editor.show_opportunity(self.journey_id, opportunity_id)
        self._show_gains()

    def show_problem(self, problem: Problem) -> bool:
        """An opportunity's problem, activated in the Problems list: select it here."""
        if problem.element != "opportunity" or problem.journey is None:
            return False
        self.set_journey(problem.journey)
        self.select(problem.element_id)
        return True

    def make_future_state(self, opportunity_ids: tuple[str, ...]) -> str | None:
        journey_id = self.journey_id
        if journey_id is None:
            return None
        try:
            new_id = self.document.make_future_state(journey_id, opportunity_ids)
        except ValueError as error:  # a change that does not fit: the plan said so too
            self.plan_view.comparison.setText(str(error))
            return None
        self.future_state_made.emit(journey_id, new_id)
        return new_id

    def set_uncertainty(self, service: UncertaintyService) -> None:
        """With uncertainty on, the plan shows each funded opportunity's P(gain > 0) and
        how often the plan is the best option (the service weighs this dock's plan)."""
        self._uncertainty = service
        service.plan_for = default_plan
        service.changed.connect(self._show_odds)
        service.pending.connect(self._show_odds)
        self._show_odds()

    def _show_odds(self, *_args: object) -> None:
        service = self._uncertainty
        if service is None or not service.enabled:
            self.plan_view.show_odds(None)
            return
        result = service.result()
        if result is None or result.journey_id != self.journey_id:
            self.plan_view.show_odds({}, None, "…")
        elif result.value is None:
            self.plan_view.show_odds({}, None, "—")
        else:
            self.plan_view.show_odds(result.value.opportunities, result.value.plan_chance)

    # -- showing ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Bring the list, the editor, the matrix and the plan up to the document."""
        self._refresh_timer.stop()
        journey = self.journey()
        unit = self.document.project.cost_unit
        self.journey_label.setText(f"Journey: {journey.name}" if journey else NO_JOURNEY)
        self.list.add_button.setEnabled(journey is not None)
        self.plan_view.set_unit(unit)
        self._sync_plan()
        self._show_gains()
        self.editor.show_opportunity(self.journey_id, self.list.current())
        self._show_plan()

    def _gains(self) -> tuple[dict[str, dict[str, float]] | None, dict[str, str], str,
                              dict[str, float] | None]:
        """(gains by opportunity, the unusable ones with why, a message, the journey's
        totals they were computed from) now."""
        answer = self.figures.gains()
        if answer is None:
            return None, {}, UPDATING, None
        if answer.value is None:
            return {}, {}, answer.message or "", None
        return ({k: dict(v) for k, v in answer.value.gains.items()},
                dict(answer.value.unusable), "", dict(answer.value.base))

    def _show_gains(self) -> None:
        """The gains in the list, the editor and the matrix; while new ones are computed
        the last ones of this journey stay on show, greyed (never as current)."""
        journey = self.journey()
        objective = self.objective.objective()
        gains, unusable, message, base = self._gains()
        unit = self.document.project.cost_unit
        stale = gains is None
        if gains is not None:
            self._kept_gains = (self.journey_id, gains, unusable, base)
        elif self._kept_gains[0] == self.journey_id:
            _, gains, unusable, base = self._kept_gains
        self.list.show_journey(journey, unit, gains, unusable, objective,
                               objective_label(objective), stale=stale)
        shown = self.editor.opportunity_id
        if shown is None:
            pass
        elif stale or gains is None:
            self.editor.show_gains((gains or {}).get(shown), UPDATING, stale=True, before=base)
        elif shown in unusable:
            self.editor.show_gains(None, f"Cannot be analysed: {unusable[shown]}")
        elif shown in gains:
            self.editor.show_gains(gains[shown], before=base)
        else:
            self.editor.show_gains(None, message)
        self.matrix.show_points(journey, unit, objective, gains,
                                UPDATING if stale else message, stale=stale)

    def _show_plan(self) -> None:
        journey = self.journey()
        unit = self.document.project.cost_unit
        if journey is None:
            self.plan_view.show_plan(None, unit, None, NO_JOURNEY)
            return
        answer = self.figures.plan()
        if answer is None:
            kept_id, kept = self._kept_plan
            self.plan_view.show_plan(journey, unit, kept if kept_id == self.journey_id
                                     else None, UPDATING, stale=True)
            return
        if answer.value is not None:
            self._kept_plan = (self.journey_id, answer.value)
        self.plan_view.show_plan(journey, unit, answer.value, answer.message or "")
        gains, _, _, _ = self._gains()
        if answer.value is not None and gains:
            objective = dict(answer.value.objective)
            self.plan_view.set_funded_gains({
                oid: score_text(objective, objective_score(gains[oid], objective))
                for oid in answer.value.chosen if oid in gains})

    # -- edits -----------------------------------------------------------------------------
    def _on_selected(self, opportunity_id: str | None) -> None:
        self.editor.show_opportunity(self.journey_id, opportunity_id)
        self._show_gains()

    def _on_add(self) -> None:
        if self.journey_id is not None:
            self.new_opportunity(self.journey_id, {"title": "New opportunity"})

    def _on_remove(self, opportunity_id: str) -> None:
        if self.journey_id is not None:
            self.document.remove_opportunity(self.journey_id, opportunity_id)

    def _on_move(self, opportunity_id: str, new_index: int) -> None:
        if self.journey_id is not None:
            self.document.move_opportunity(self.journey_id, opportunity_id, new_index)

    def _on_matrix_selected(self, opportunity_id: str) -> None:
        self.select(opportunity_id)

    def _on_objective_changed(self) -> None:
        self._store_plan(merge=False)
        self._show_gains()

    def _store_plan(self, merge: bool) -> None:
        """Keep the budget and objective the user chose with the journey (one undo step;
        typing a budget merges), so the summary and the command line plan the same."""
        journey_id = self.journey_id
        objective = self.objective.objective()
        if journey_id is None or not objective:
            return
        settings = PlanSettings(self.plan_view.budget(), objective)
        self.figures.ask(settings.budget, objective)
        if self.document.journey(journey_id).plan != settings:
            self.document.set_journey_fields(
                journey_id, plan=settings, merge_key=("plan budget", journey_id) if merge
                else None)

    def _sync_plan(self) -> None:
        """The plan view starts from the journey's plan settings; before the user sets
        any, from half of what its opportunities cost (so the plan has a choice to make)
        and the default objective."""
        journey = self.journey()
        if journey is None:
            return
        settings = journey.plan or default_plan(journey)
        self.plan_view.set_budget(settings.budget)
        if self.objective.objective() != dict(settings.objective):
            with QSignalBlocker(self.objective):
                self.objective.set_objective(dict(settings.objective))
        self.figures.ask(settings.budget, dict(settings.objective))


def default_plan(journey: Journey) -> PlanSettings:
    """The plan before the user sets one: half of what the opportunities cost (so the
    plan has a choice to make) and the default objective."""
    return PlanSettings(round(sum(o.cost for o in journey.opportunities) / 2),
                        dict(DEFAULT_OBJECTIVE))


def add_opportunities_dock(
    document: ProjectDocument,
    make_dock: Callable[[str, QWidget, Qt.DockWidgetArea], QDockWidget],
    beside: QDockWidget,
) -> tuple[OpportunitiesPanel, QDockWidget]:
    """The Opportunities dock, tabbed beside `beside` (the Analysis dock)."""
    panel = OpportunitiesPanel(document)
    dock = make_dock("Opportunities", panel, Qt.DockWidgetArea.BottomDockWidgetArea)
    window = dock.parentWidget()
    if isinstance(window, QMainWindow):
        window.tabifyDockWidget(beside, dock)
    return panel, dock
