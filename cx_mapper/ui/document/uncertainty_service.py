"""How sure are we, for the journey on show: the uncertainty analysis, off the GUI thread.

With "Show uncertainty" on, the journey's uncertain inputs are drawn and each draw is
analysed exactly (engine/uncertainty.py): one to two seconds on a sample map, so it
always runs on a worker, on a snapshot, with progress. An edit marks the result stale at
once (`pending`, so views stop showing it), waits for the burst of edits to end and
starts again; a run for an older revision is cancelled at its next progress report and
its result dropped, so a stale interval is never shown as current. An edit that changes
nothing the analysis reads (a card moved, a note) keeps the result, as the analysis
service does.

The draws and the seed are the command line's defaults, so the app and
`cx-mapper analyze FILE --uncertainty` give the same intervals.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from cx_mapper.domain.engine_inputs import engine_inputs, same_figures
from cx_mapper.domain.evidence import DEFAULT_SAMPLES
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import PlanSettings
from cx_mapper.domain.project import Project
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background, snapshot_project

log = logging.getLogger(__name__)

#: Edits within this long of each other are one run: a run takes a second or two, and a
#: slider drag or typing would otherwise start (and cancel) one per keystroke.
DEBOUNCE_MS = 350
SEED = 0


def engine_uncertainty(project: Project, journey_id: str, samples: int, seed: int,
                       progress: Callable[[float], None]) -> Any:
    """engine/uncertainty.py's analysis, imported at the first run (SciPy, the plan search)."""
    module = importlib.import_module("cx_mapper.engine.uncertainty")
    return module.uncertainty(project, journey_id, samples, seed, progress)


@dataclass(frozen=True)
class UncertaintyResult:
    """The uncertainty of one journey at one revision, or why there is none."""

    journey_id: str
    revision: int
    value: Any = None  # engine.uncertainty.Uncertainty
    message: str | None = None
    inputs: tuple[Any, ...] | None = None  # what the run read, to carry it over edits


class UncertaintyService(QObject):
    """Runs the uncertainty analysis of one journey while switched on; views listen."""

    #: journey id, revision: the result shown so far no longer holds; a new one is coming
    pending = Signal(str, int)
    #: a fraction 0..1 of the run under way
    progressed = Signal(float)
    #: a new current result (UncertaintyResult), or None: none yet (switched on, another
    #: journey), switched off or no journey
    changed = Signal(object)

    def __init__(self, document: ProjectDocument, parent: QObject | None = None, *,
                 samples: int = DEFAULT_SAMPLES, seed: int = SEED,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self._document = document
        self.samples, self.seed = samples, seed
        self._enabled = False
        self._journey_id: str | None = None
        self._result: UncertaintyResult | None = None
        self._task: Task | None = None
        self.progress = 0.0
        #: The plan to weigh when the journey has none yet (the plan view's default).
        self.plan_for: Callable[[Journey], PlanSettings | None] = lambda _journey: None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.refresh)
        document.revision_changed.connect(self._on_revision_changed)

    # -- what the views ask -------------------------------------------------------------
    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def journey_id(self) -> str | None:
        return self._journey_id

    def set_enabled(self, enabled: bool) -> None:
        if enabled == self._enabled:
            return
        self._enabled = enabled
        self._stop()
        self._result = None
        if enabled:
            self._schedule(at_once=True)
        self.changed.emit(None)

    def set_journey(self, journey_id: str | None) -> None:
        if journey_id == self._journey_id:
            return
        self._journey_id = journey_id
        self._stop()
        self._result = None
        self.changed.emit(None)
        if self._enabled:
            self._schedule(at_once=True)

    def result(self) -> UncertaintyResult | None:
        """The result for the journey on show at the document's revision; None while it
        is being computed, when switched off, or without a journey."""
        result = self._result
        if (not self._enabled or result is None or result.journey_id != self._journey_id
                or result.revision != self._document.revision):
            return None
        return result

    def is_running(self) -> bool:
        """True from an edit (or switching on) until its result is in."""
        return self._enabled and self._journey() is not None and self.result() is None

    def refresh(self) -> None:
        """Start the run the current revision needs, now."""
        self._timer.stop()
        journey = self._journey()
        if not self._enabled or journey is None or self.result() is not None:
            return
        revision = self._document.revision
        running = self._task
        if running is not None and running.revision == revision and running.is_running():
            return
        self._stop()
        project = snapshot_project(self._document.project, [journey.id])
        copy = project.journeys[0]
        if copy.plan is None and copy.opportunities:
            copy.plan = self.plan_for(journey)
        journey_id, samples, seed = journey.id, self.samples, self.seed
        inputs = self._inputs(journey.id)

        def run(task: Task) -> Any:
            def progress(fraction: float) -> None:
                task.check_cancelled()  # an edit came: stop at the next step
                task.report(fraction)

            return engine_uncertainty(project, journey_id, samples, seed, progress), inputs

        self.progress = 0.0
        self.progressed.emit(0.0)
        self._task = run_in_background(
            run, revision, current_revision=lambda: self._document.revision,
            on_finished=self._on_finished, on_progress=self._on_progress, tag=journey_id)

    # -- following the document ---------------------------------------------------------
    def _journey(self) -> Journey | None:
        journey_id = self._journey_id
        if journey_id is None:
            return None
        return next((j for j in self._document.project.journeys if j.id == journey_id), None)

    def _inputs(self, journey_id: str) -> tuple[Any, ...]:
        journey = self._document.journey(journey_id)
        return (engine_inputs(self._document.project, journey_id),
                tuple(journey.opportunities), journey.plan)

    def _on_revision_changed(self, revision: int) -> None:
        if not self._enabled:
            return
        kept, journey = self._result, self._journey()
        if journey is None:
            self._stop()
            if kept is not None:
                self._result = None
                self.changed.emit(None)
            return
        if kept is not None and kept.inputs is not None and kept.journey_id == journey.id:
            now = self._inputs(journey.id)
            if same_figures(kept.inputs[0], now[0]) and kept.inputs[1:] == now[1:]:
                self._result = replace(kept, revision=revision)
                return  # nothing the analysis reads changed: the result still holds
        self._stop()
        self.pending.emit(journey.id, revision)
        self._schedule()

    def _schedule(self, at_once: bool = False) -> None:
        if at_once:
            self._timer.stop()
            QTimer.singleShot(0, self.refresh)
        else:
            self._timer.start()

    def _stop(self) -> None:
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _on_progress(self, fraction: float) -> None:
        if self.sender() is self._task:
            self.progress = fraction
            self.progressed.emit(fraction)

    def _on_finished(self, outcome: Outcome) -> None:
        if self.sender() is not self._task:
            return  # an older run, cancelled or replaced
        self._task = None
        if outcome.cancelled or outcome.stale or outcome.tag != self._journey_id:
            if self.is_running():
                self._schedule()
            return
        if outcome.error is None:
            value, inputs = outcome.value
            result = UncertaintyResult(str(outcome.tag), outcome.revision, value, None, inputs)
        elif isinstance(outcome.error, AnalysisError):
            result = UncertaintyResult(str(outcome.tag), outcome.revision, None,
                                       str(outcome.error))
        else:
            log.error("The uncertainty analysis failed:\n%s", outcome.details)
            result = UncertaintyResult(str(outcome.tag), outcome.revision, None,
                                       f"The uncertainty analysis failed: {outcome.error}")
        self._result = result
        self.progress = 1.0
        self.changed.emit(result)
