"""The plan's figures for the journey on show: each opportunity's exact gains and the best
plan for the budget, computed off the GUI thread.

The engine analyses one patched journey per opportunity and searches bundles for the
plan: too slow for the GUI thread on a real map. After an edit (or a new budget or
objective) the figures wait for a short debounce, then run on a worker on a snapshot of
the journey; a result whose revision or question is no longer the current one is
dropped, so a stale figure is never shown as current (like the analysis service).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from cx_mapper.engine.errors import AnalysisError
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background, snapshot_project

log = logging.getLogger(__name__)

#: Edits within this long of each other are one recomputation (typing a budget).
DEBOUNCE_MS = 150
#: The objective before the user picks one (the engine's DEFAULT_OBJECTIVE).
DEFAULT_OBJECTIVE: dict[str, float] = {"value": 1.0}


def engine() -> Any:
    """engine/plan.py, imported at the first use (it brings SciPy's optimiser)."""
    return importlib.import_module("cx_mapper.engine.plan")


def objective_score(gains: Mapping[str, float], objective: Mapping[str, float]) -> float:
    """The engine's objective value of some gains (its weighted sum)."""
    return float(engine().objective_value(dict(gains), dict(objective)))


@dataclass(frozen=True)
class Question:
    """What the plan is asked: a budget and an objective (weights by KPI key)."""

    budget: float
    objective: tuple[tuple[str, float], ...]

    @property
    def weights(self) -> dict[str, float]:
        return dict(self.objective)


@dataclass(frozen=True)
class Answer:
    """A result (or why there is none) for one journey at one revision."""

    journey_id: str
    revision: int
    value: Any = None  # OpportunityGains or Plan
    message: str | None = None
    question: Question | None = None


class PlanFigures(QObject):
    """Gains and plan of the journey on show, always for the document's revision."""

    gains_changed = Signal()  # new gains, or a message, or they went stale
    plan_changed = Signal()

    def __init__(self, document: ProjectDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id: str | None = None
        self._question = Question(0.0, tuple(DEFAULT_OBJECTIVE.items()))
        self._gains: Answer | None = None
        self._plan: Answer | None = None
        self._tasks: dict[str, Task] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        document.revision_changed.connect(self._on_revision_changed)

    # -- what the views ask -----------------------------------------------------------
    @property
    def journey_id(self) -> str | None:
        return self._journey_id

    @property
    def question(self) -> Question:
        return self._question

    def set_journey(self, journey_id: str | None) -> None:
        if journey_id != self._journey_id:
            self._journey_id = journey_id
            self._schedule()

    def ask(self, budget: float, objective: Mapping[str, float]) -> None:
        question = Question(float(budget), tuple(objective.items()))
        if question != self._question:
            self._question = question
            self._plan_pending()
            self._schedule()

    def gains(self) -> Answer | None:
        """The current gains (value an OpportunityGains, or a message); None while due."""
        return self._gains if self._is_current(self._gains) else None

    def plan(self) -> Answer | None:
        """The current plan for the current question; None while due."""
        answer = self._plan
        if answer is None or not self._is_current(answer) or answer.question != self._question:
            return None
        return answer

    def is_busy(self) -> bool:
        return self._timer.isActive() or bool(self._tasks)

    def refresh(self) -> None:
        """Start the due computations now."""
        self._timer.stop()
        journey_id = self._journey_id
        if journey_id is None:
            return
        try:
            journey = self._document.journey(journey_id)
        except KeyError:
            return
        revision = self._document.revision
        if not journey.opportunities:
            self._gains = Answer(journey_id, revision, None, "No opportunities yet.")
            self._plan = Answer(journey_id, revision, None, "No opportunities yet.",
                                self._question)
            self.gains_changed.emit()
            self.plan_changed.emit()
            return
        snapshot = snapshot_project(self._document.project, [journey_id])
        if self.gains() is None:
            self._start("gains", lambda _t: engine().opportunity_gains(snapshot, journey_id))
        if self.plan() is None:
            question = self._question
            self._start("plan", lambda _t: engine().plan(snapshot, journey_id, question.budget,
                                                         question.weights),
                        question)

    # -- following the document ----------------------------------------------------------
    def _on_revision_changed(self, _revision: int) -> None:
        self.gains_changed.emit()  # the shown figures are stale now
        self._plan_pending()
        self._schedule()

    def _plan_pending(self) -> None:
        self.plan_changed.emit()

    def _schedule(self) -> None:
        self._timer.start()

    def _is_current(self, answer: Answer | None) -> bool:
        return (answer is not None and answer.journey_id == self._journey_id
                and answer.revision == self._document.revision)

    def _start(self, what: str, function: Any, question: Question | None = None) -> None:
        running = self._tasks.pop(what, None)
        if running is not None:
            running.cancel()
        self._tasks[what] = run_in_background(
            function, self._document.revision,
            current_revision=lambda: self._document.revision,
            on_finished=self._on_finished, tag=(what, self._journey_id, question))

    def _on_finished(self, outcome: Outcome) -> None:
        what, journey_id, question = outcome.tag
        if self._tasks.get(what) is self.sender():
            del self._tasks[what]
        if outcome.cancelled or outcome.stale or journey_id != self._journey_id:
            return
        if outcome.error is None:
            answer = Answer(journey_id, outcome.revision, outcome.value, None, question)
        elif isinstance(outcome.error, (AnalysisError, ValueError)):
            answer = Answer(journey_id, outcome.revision, None, str(outcome.error), question)
        elif isinstance(outcome.error, ImportError):
            answer = Answer(journey_id, outcome.revision, None,
                            "This build has no plan engine: gains and plans cannot be "
                            "computed.", question)
        else:
            log.error("The plan's figures failed:\n%s", outcome.details)
            answer = Answer(journey_id, outcome.revision, None,
                            f"The figures failed: {outcome.error}", question)
        if what == "gains":
            self._gains = answer
            self.gains_changed.emit()
        elif question == self._question:
            self._plan = answer
            self.plan_changed.emit()
