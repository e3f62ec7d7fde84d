"""One analysis per journey and revision, shared by every view of a document.

The dock's cards, charts and tables, compare, simulation, the canvas overlays and the
summary export all read their figures from here; no view calls the engine itself.
Each view says which journeys it shows (`watch`); after every edit the service marks
their results stale at once (`analysis_pending`, so views grey them), waits until the
burst of edits is over, analyses each watched journey once and emits
`analysis_ready` or `analysis_failed` with the revision the result belongs to.

A typical map is analysed on the GUI thread as soon as the event loop is idle (a few
ms, and a slider drag's burst of edits is one analysis). A large map waits for a short
debounce and is analysed on a worker, on a snapshot of the project.

Results are cached by (journey, document revision): the revision counts every edit,
undo and redo of the whole project (segments are shared by all journeys), so a cached
result is current exactly when its revision is the document's. An edit that changes
nothing the engine reads (cards moved, auto-layout, a note) carries the result over to
the new revision at once, with no pending state: dragging a card on a 2,000-card map
re-analysed it and redressed every mark for figures that could not have changed.

A view that fails while it draws a result must not stop the others: views guard their
slots with `shows_results`, which logs the error instead of raising it into the
service's emit.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance

from cx_mapper.domain.engine_inputs import engine_inputs, same_figures
from cx_mapper.domain.project import Project
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background, snapshot_project

log = logging.getLogger(__name__)

#: From this many touchpoints a journey is analysed off the GUI thread. Below it the
#: analysis takes a few ms (8 ms at 200 touchpoints), less than a frame.
BACKGROUND_FROM = 400
#: A large map waits this long after the last edit before it is analysed again.
BACKGROUND_DEBOUNCE_MS = 60
#: While editing a large map, removal effects (one solve per touchpoint on a loop) are
#: worked out for the 20 busiest touchpoints only: at 2,000 touchpoints all of them take
#: 250 ms against 56 ms for the 20 busiest. The exported summary gets them all.
LIVE_REMOVAL_LIMIT = 20


def analyze(project: Project, journey_id: str, **options: Any) -> Analysis:
    """The engine's `analyze`, imported at the first analysis: SciPy takes 0.3 s to import,
    and the window is on screen by then."""
    from cx_mapper.engine.analysis import analyze as engine_analyze

    return engine_analyze(project, journey_id, **options)


class AnalysedDocument(Protocol):
    """What the service needs of a document: its project, revision and change signal."""

    @property
    def project(self) -> Project: ...

    @property
    def revision(self) -> int: ...

    revision_changed: SignalInstance


@dataclass(frozen=True)
class Result:
    """The analysis of one journey at one revision, or why there is none."""

    journey_id: str
    revision: int
    analysis: Analysis | None
    message: str | None = None  # why the journey cannot be analysed
    #: what the engine read (domain/engine_inputs.py), to carry the result over edits
    #: that change none of it
    inputs: tuple[Any, ...] | None = field(default=None, compare=False, repr=False)


F = TypeVar("F", bound=Callable[..., Any])


def shows_results(view: str) -> Callable[[F], F]:
    """Guard a view's slot: an error while drawing is logged, never raised into the emit.

    Qt calls a signal's slots one after another; an exception escaping one would be
    reported from inside the service and, worse, leave the view half drawn. Logged
    here, the other views still update. (The tests fail on any logged error.)
    """

    def decorate(slot: F) -> F:
        @functools.wraps(slot)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return slot(*args, **kwargs)
            except Exception:  # noqa: BLE001 - one view's failure must not stop the others
                log.exception("%s could not show the analysis", view)
                return None

        return guarded  # type: ignore[return-value]

    return decorate


class AnalysisService(QObject):
    """Analyses the journeys the views watch, once per revision; views subscribe."""

    #: journey_id, revision, Analysis: the figures of that journey at that revision.
    analysis_ready = Signal(str, int, object)
    #: journey_id, revision, message: that journey cannot be analysed at that revision.
    analysis_failed = Signal(str, int, str)
    #: journey_id, revision: an edit made the shown result stale; a new one is coming.
    analysis_pending = Signal(str, int)

    def __init__(self, document: AnalysedDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._watchers: dict[int, tuple[str, ...]] = {}
        self._results: dict[str, Result] = {}
        self._complete: dict[str, Result] = {}  # full removal effects, for exports
        self._tasks: dict[str, Task] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.refresh)
        self._held = False
        self._last_scheduled = 0.0  # when an analysis was last asked for
        document.revision_changed.connect(self._on_revision_changed)

    # -- what the views ask ----------------------------------------------------------
    def watch(self, owner: object, journey_ids: Iterable[str | None]) -> None:
        """The journeys `owner` shows (replacing what it showed before).

        A journey without a current result is analysed once the event loop is idle;
        call `refresh()` to have it now.
        """
        wanted = tuple(dict.fromkeys(j for j in journey_ids if j))
        key = id(owner)
        if wanted:
            if key not in self._watchers and isinstance(owner, QObject):
                # A closed view stops watching: no analyses for what nobody shows.
                owner.destroyed.connect(lambda *_: self._watchers.pop(key, None))
            self._watchers[key] = wanted
        else:
            self._watchers.pop(key, None)
        if any(self.result_of(j) is None for j in wanted):
            self._schedule()

    def watched(self) -> tuple[str, ...]:
        """Every journey some view shows, that the project still has."""
        known = {journey.id for journey in self._document.project.journeys}
        ids = (j for journeys in self._watchers.values() for j in journeys)
        return tuple(j for j in dict.fromkeys(ids) if j in known)

    def result_of(self, journey_id: str | None) -> Result | None:
        """The current revision's result for a journey, if it has been computed."""
        result = self._results.get(journey_id or "")
        if result is None or result.revision != self._document.revision:
            return None
        return result

    def analysis(self, journey_id: str | None) -> Analysis | None:
        """The current revision's analysis of a journey; None if stale, failed or not yet."""
        result = self.result_of(journey_id)
        return result.analysis if result is not None else None

    def latest(self, journey_id: str | None) -> Result | None:
        """The last result for a journey, current or not (views grey a stale one)."""
        return self._results.get(journey_id or "")

    def is_busy(self) -> bool:
        """True while a watched journey waits for, or is being given, its analysis."""
        return self._timer.isActive() or bool(self._tasks) or any(
            self.result_of(j) is None for j in self.watched())

    def hold(self) -> None:
        """Analyse nothing until `release()`: at start-up the window goes on screen first,
        then SciPy is imported and the journey analysed (views show it as updating)."""
        self._held = True

    def release(self) -> None:
        if self._held:
            self._held = False
            self._schedule()

    def refresh(self) -> None:
        """Bring every watched journey up to date now (large ones start on a worker)."""
        if self._held:
            return
        self._timer.stop()
        revision = self._document.revision
        for journey_id in self.watched():
            if self.result_of(journey_id) is not None:
                continue
            if self._is_large(journey_id):
                self._start_task(journey_id, revision)
            else:
                self._analyse_now(journey_id, revision)

    def analyse_for_export(self, journey_id: str,
                           on_done: Callable[[Result, Project], object]) -> Task | None:
        """The analysis with every removal effect, for a summary or an export.

        `on_done(result, project)` gets the result and the project it describes (the
        document's own when the result is current, else the snapshot it was computed
        on, so an export never mixes one revision's map with another's figures).
        A current result that already has every removal effect is passed on at once
        (no task, returns None); otherwise the full analysis runs on a worker and
        `on_done` is called on the GUI thread. Never analyses on the GUI thread.
        """
        revision = self._document.revision
        for cached in (self.result_of(journey_id), self._complete.get(journey_id)):
            if (cached is not None and cached.revision == revision
                    and (cached.analysis is None or cached.analysis.removal_effects_complete)):
                on_done(cached, self._document.project)
                return None
        snapshot = snapshot_project(self._document.project)
        relay = _ExportRelay(journey_id, snapshot, on_done, keep=self._keep_if_complete)
        task = run_in_background(lambda _task: analyze(snapshot, journey_id), revision,
                                 current_revision=lambda: self._document.revision,
                                 on_finished=relay.deliver, tag=journey_id)
        relay.setParent(task)
        return task

    # -- following the document ------------------------------------------------------
    def _on_revision_changed(self, revision: int) -> None:
        """Results go stale, except where the edit changed nothing the engine reads
        (cards moved, a note written): those are current again at once, the same
        analysis, with no pending state for the views to grey and redraw."""
        due = []
        for journey_id in self.watched():
            kept = self._results.get(journey_id)
            if kept is not None and kept.inputs is not None and same_figures(
                    kept.inputs, engine_inputs(self._document.project, journey_id)):
                self._deliver(replace(kept, revision=revision))
                continue
            self.analysis_pending.emit(journey_id, revision)
            due.append(journey_id)
        if due:
            self._schedule()

    def _schedule(self) -> None:
        """Analyse when the event loop is next idle. A large map waits for a burst of
        edits to end, but the first edit after a pause starts its worker at once: the
        debounce, and the canvas redrawing its dimmed marks before the timer could fire,
        delayed every single edit by 0.1-0.4 s."""
        now = time.perf_counter()
        quiet = now - self._last_scheduled >= BACKGROUND_DEBOUNCE_MS / 1000
        self._last_scheduled = now
        large = any(self._is_large(j) for j in self.watched())
        if large and quiet and not self._held:
            self.refresh()
        else:
            self._timer.start(BACKGROUND_DEBOUNCE_MS if large else 0)

    def _is_large(self, journey_id: str) -> bool:
        project = self._document.project
        return any(j.id == journey_id and len(j.touchpoints) >= BACKGROUND_FROM
                   for j in project.journeys)

    def _analyse_now(self, journey_id: str, revision: int) -> None:
        try:
            analysis = analyze(self._document.project, journey_id)
        except AnalysisError as error:
            self._deliver(Result(journey_id, revision, None, str(error)))
        else:
            self._deliver(Result(journey_id, revision, analysis))

    def _keep_if_complete(self, result: Result) -> None:
        """Remember a result with every removal effect: the next export reuses it."""
        if result.analysis is not None and result.analysis.removal_effects_complete:
            self._complete[result.journey_id] = result

    def _start_task(self, journey_id: str, revision: int) -> None:
        running = self._tasks.get(journey_id)
        if running is not None:
            if running.revision == revision:
                return  # already on its way
            running.cancel()
        snapshot = snapshot_project(self._document.project, [journey_id])
        self._tasks[journey_id] = run_in_background(
            lambda _task: analyze(snapshot, journey_id, removal_limit=LIVE_REMOVAL_LIMIT),
            revision, current_revision=lambda: self._document.revision,
            on_finished=self._on_task_finished, tag=journey_id)

    def _on_task_finished(self, outcome: Outcome) -> None:
        journey_id = str(outcome.tag)
        if self._tasks.get(journey_id) is self.sender():
            del self._tasks[journey_id]
        if outcome.cancelled or outcome.stale:
            if journey_id in self.watched() and self.result_of(journey_id) is None:
                self._schedule()  # a newer revision still needs its analysis
            return
        self._deliver(_result_from(outcome, journey_id))

    def _deliver(self, result: Result) -> None:
        if result.revision != self._document.revision:
            return  # never show an older revision's figures as current
        if result.inputs is None and any(j.id == result.journey_id
                                         for j in self._document.project.journeys):
            # Computed for this revision, so for the project as it is now.
            result = replace(result, inputs=engine_inputs(self._document.project,
                                                          result.journey_id))
        self._results[result.journey_id] = result
        self._keep_if_complete(result)
        if result.analysis is not None:
            self.analysis_ready.emit(result.journey_id, result.revision, result.analysis)
        else:
            self.analysis_failed.emit(result.journey_id, result.revision,
                                      result.message or "The journey cannot be analysed.")


class _ExportRelay(QObject):
    """Carries one export analysis back to its caller and keeps it for the next export."""

    def __init__(self, journey_id: str, project: Project,
                 on_done: Callable[[Result, Project], object], *,
                 keep: Callable[[Result], None]) -> None:
        super().__init__()
        self._keep = keep
        self._journey_id = journey_id
        self._project = project
        self._on_done = on_done

    def deliver(self, outcome: Outcome) -> None:
        if outcome.cancelled:
            return
        result = _result_from(outcome, self._journey_id)
        if not outcome.stale:
            self._keep(result)
        self._on_done(result, self._project)


def _result_from(outcome: Outcome, journey_id: str) -> Result:
    if outcome.error is None:
        return Result(journey_id, outcome.revision, outcome.value)
    if isinstance(outcome.error, AnalysisError):
        return Result(journey_id, outcome.revision, None, str(outcome.error))
    log.error("The analysis failed:\n%s", outcome.details)
    return Result(journey_id, outcome.revision, None, f"The analysis failed: {outcome.error}")

