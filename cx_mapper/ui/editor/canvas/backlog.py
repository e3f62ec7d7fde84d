"""Drawing a big map in slices, so the window keeps repainting and shows progress.

Opening a 2,000-card map with 8,000 arrows means making thousands of items and routing
every arrow round the cards, seconds of Python; auto-layout and its undo route them all
again. A `Backlog` does such work a slice at a time from the event loop (SLICE_SECONDS
each), so between slices the window repaints, answers the mouse and shows how far it has
got. A call may hand back an iterator (routing every arrow together, a step an arrow):
its steps are run in the slices, before anything queued after it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

#: A journey with this many touchpoints and transitions together is drawn in slices;
#: smaller ones (the samples, a 200-touchpoint map) are drawn at once, in 0.2 s or less.
SLICED_FROM = 1_500
#: Work per slice: short enough for the window to feel live between slices.
SLICE_SECONDS = 0.04


class Backlog(QObject):
    """Calls waiting to run, done a slice at a time; `finish()` does the rest at once."""

    #: done, total: how far the current run has got; done == total when it is over.
    progressed = Signal(int, int)

    def __init__(self, on_drained: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._on_drained = on_drained
        self._work: deque[tuple[Callable[[Any], object], Hashable, int]] = deque()
        self._steps: Iterator[object] | None = None  # a call's steps, run before the rest
        self._steps_left = 0  # of the progress its call counts for
        self._done = 0
        self._total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

    def add(self, items: Iterable[Hashable], do: Callable[[Any], object],
            weight: int = 1) -> None:
        """Queue `do(item)` for each item, after what is queued already. Each counts
        `weight` towards the progress; a call that hands back an iterator of steps
        counts one for each step, up to its weight."""
        before = len(self._work)
        self._work.extend((do, item, weight) for item in items)
        self._total += (len(self._work) - before) * weight
        if self._work and not self._timer.isActive():
            self._timer.start()

    def busy(self) -> bool:
        return bool(self._work) or self._steps is not None

    def progress(self) -> tuple[int, int]:
        return self._done, self._total

    def clear(self) -> None:
        """Drop what is queued (the map is drawn afresh)."""
        self._work.clear()
        self._steps = None
        self._timer.stop()
        self._done = self._total = 0

    def finish(self) -> None:
        """Do everything queued now: a caller needs the whole map drawn."""
        self._run(float("inf"))

    def _slice(self) -> None:
        self._run(SLICE_SECONDS)

    def _run(self, seconds: float) -> None:
        if not self.busy():
            return
        end = time.perf_counter() + seconds
        work, clock = self._work, time.perf_counter
        while True:
            steps = self._steps
            if steps is not None:
                if next(steps, _OVER) is _OVER:
                    self._done += self._steps_left
                    self._steps = None
                elif self._steps_left > 0:
                    self._done += 1
                    self._steps_left -= 1
            elif work:
                do, item, weight = work.popleft()
                result = do(item)
                if isinstance(result, Iterator):
                    self._steps, self._steps_left = result, weight
                else:
                    self._done += weight
            else:
                break
            if clock() >= end and self.busy():
                self.progressed.emit(self._done, self._total)
                self._timer.start()
                return
        self._timer.stop()
        done, self._done, self._total = self._done, 0, 0
        self._on_drained()
        if not self.busy():  # the drain may queue more (a re-route after a build)
            self.progressed.emit(done, done)


_OVER = object()
