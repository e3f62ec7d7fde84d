"""Run a function off the GUI thread and hear about it on the GUI thread.

The analysis of a large map and a Monte Carlo run take long enough to freeze the window,
so they run on a QThreadPool. A `Task` is the caller's handle: its `progressed` and
`finished` signals are always emitted on the GUI thread (the worker thread only posts
queued signals to a relay), `finished` exactly once, with an `Outcome` carrying the
function's value or the exception it raised.

Each task is tagged with the document revision its inputs were taken at. When the
caller also gives `current_revision`, the outcome says whether the document has moved
on since (`stale`), so a result for an older revision is never shown as current.

The function runs on another thread: give it a snapshot of what it reads (for example
`snapshot_project`), not objects the GUI thread keeps editing.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from cx_mapper.domain.project import Project
from cx_mapper.ui.document import collector


class TaskCancelled(Exception):
    """Raised by `Task.check_cancelled()` inside a function that was asked to stop."""


@dataclass(frozen=True)
class Outcome:
    """What a task's function gave: a value, or the exception it raised."""

    revision: int
    value: Any = None
    error: BaseException | None = None
    cancelled: bool = False  # cancel() was called; the error, if any, is how it stopped
    stale: bool = False  # the document's revision moved on while the task ran
    details: str = ""  # the error's traceback, for a log or a bug report
    tag: Any = None  # what the caller gave `run_in_background` to know its own request

    @property
    def ok(self) -> bool:
        return self.error is None


class _Relay(QObject):
    """Posts from the worker thread; lives on the GUI thread and outlives the run."""

    progressed = Signal(float)
    done = Signal(object, object)  # value, (error, traceback text) or None


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Task keeps it; Python and Qt must not both free it
        self._task = task

    def run(self) -> None:
        task = self._task
        try:
            value = task.function(task)
        except BaseException as error:  # noqa: BLE001 - every error goes back to the caller
            details = "".join(traceback.format_exception(error))
            # The frames may hold a simulation's arrays; the text is all the caller needs.
            task._relay.done.emit(None, (error.with_traceback(None), details))
        else:
            task._relay.done.emit(value, None)


# Tasks still running: a Task must live until its outcome is delivered, whoever holds it.
_RUNNING: set[Task] = set()
_QUIT_HOOKED = False


class Task(QObject):
    """One call of `function(task)` on a thread pool.

    The function may call `task.report(fraction)` for progress and poll
    `task.is_cancelled()` (or `task.check_cancelled()`) to stop early; both are safe
    from the worker thread.
    """

    progressed = Signal(float)
    finished = Signal(object)  # Outcome

    def __init__(
        self,
        function: Callable[[Task], Any],
        revision: int,
        current_revision: Callable[[], int] | None = None,
        parent: QObject | None = None,
        tag: Any = None,
    ) -> None:
        super().__init__(parent)
        self.function = function
        self.revision = revision
        self.tag = tag
        self._current_revision = current_revision
        self._cancel = threading.Event()
        self._running = False
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progressed.connect(self._on_progressed, queued)
        self._relay.done.connect(self._on_done, queued)
        self._runnable = _Runnable(self)

    # -- the caller's side (GUI thread) ---------------------------------------------
    def start(self, pool: QThreadPool | None = None) -> Task:
        _hook_quit()
        self._running = True
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(self._runnable)
        return self

    def cancel(self) -> None:
        """Ask the function to stop; `finished` still comes, with `cancelled` set."""
        self._cancel.set()

    def is_running(self) -> bool:
        """True until `finished` has been emitted."""
        return self._running

    # -- the function's side (worker thread) -----------------------------------------
    def report(self, fraction: float) -> None:
        self._relay.progressed.emit(float(fraction))

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def check_cancelled(self) -> None:
        if self._cancel.is_set():
            raise TaskCancelled("Cancelled.")

    # -- delivery (GUI thread) -------------------------------------------------------
    @Slot(float)
    def _on_progressed(self, fraction: float) -> None:
        if self._running:
            self.progressed.emit(fraction)

    @Slot(object, object)
    def _on_done(self, value: object, failure: tuple[BaseException, str] | None) -> None:
        error, details = failure if failure is not None else (None, "")
        self._running = False
        _RUNNING.discard(self)
        current = self._current_revision() if self._current_revision is not None else None
        outcome = Outcome(
            revision=self.revision,
            value=value,
            error=error,
            cancelled=self._cancel.is_set(),
            stale=current is not None and current != self.revision,
            details=details,
            tag=self.tag,
        )
        self.finished.emit(outcome)


def run_in_background(
    function: Callable[[Task], Any],
    revision: int,
    *,
    current_revision: Callable[[], int] | None = None,
    on_finished: Callable[[Outcome], object] | None = None,
    on_progress: Callable[[float], object] | None = None,
    pool: QThreadPool | None = None,
    tag: Any = None,
) -> Task:
    """Start `function(task)` off the GUI thread; the callbacks run on the GUI thread.

    Pass bound methods of a QObject as callbacks: Qt then drops the delivery if that
    object is destroyed first (a lambda would still run, on a deleted widget).
    """
    collector.install()  # from the first worker on, cycles are collected on this thread
    task = Task(function, revision, current_revision, tag=tag)
    if on_finished is not None:
        task.finished.connect(on_finished)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    return task.start(pool)


def running_tasks() -> Iterable[Task]:
    return tuple(_RUNNING)


def cancel_all() -> None:
    """Ask every running task to stop (the application is quitting)."""
    for task in tuple(_RUNNING):
        task.cancel()


def snapshot_project(project: Project, journey_ids: Iterable[str] | None = None) -> Project:
    """A copy a worker can read while the GUI thread edits the original.

    Segments, personas and images are frozen, so their lists are copied and they are
    shared. With `journey_ids` only those journeys are copied (in that order, unknown ids
    skipped).
    """
    if journey_ids is None:
        journeys = list(project.journeys)
    else:
        known = {journey.id: journey for journey in project.journeys}
        journeys = [known[j] for j in dict.fromkeys(journey_ids) if j in known]
    return Project(name=project.name, segments=list(project.segments),
                   journeys=[journey.copy() for journey in journeys],
                   personas=list(project.personas), images=dict(project.images),
                   cost_unit=project.cost_unit)


def _hook_quit() -> None:
    """On quit, stop what runs and wait for it, so no thread outlives the interpreter."""
    global _QUIT_HOOKED
    app = QCoreApplication.instance()
    if _QUIT_HOOKED or app is None:
        return
    _QUIT_HOOKED = True

    def stop() -> None:
        cancel_all()
        QThreadPool.globalInstance().waitForDone(5000)

    app.aboutToQuit.connect(stop)
