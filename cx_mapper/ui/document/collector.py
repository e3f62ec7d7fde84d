"""Python's cyclic garbage collector runs on the GUI thread only, once workers start.

CPython collects cycles in whichever thread happens to allocate when a generation is
full. A cycle that holds Qt objects (a closed window's widgets and the lambdas connected
to them) collected on a worker thread destroys those QObjects there: Qt's destructor
takes its locks and asks Python (for the GIL) whether a subclass overrides anything,
while the GUI thread, deleting widgets of its own, holds the GIL and waits for the same
lock. Both wait for ever. The app froze so, with no CPU in use, when an analysis or the
plan's gains ran on a worker while windows were being made and closed.

So once the first worker starts (`workers.run_in_background`), automatic collection is
switched off and a timer on the GUI thread collects as CPython would have: generation
0 when it is full, 1 and 2 when theirs are. Workers still free what has no cycle, at
once, as reference counting does. `pause()` and `resume()` hold collection off while a
big map's items are built (canvas/batches.py), also before the timer is installed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

#: How often the GUI thread looks whether a generation is full (ms): often enough that
#: garbage never piles up for long, rare enough to cost nothing while idle.
INTERVAL_MS = 100


class _Collector(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.collect_due)
        self.timer.start()

    def collect_due(self) -> None:
        """Collect the oldest generation that is full, as CPython's own trigger would."""
        if _paused:
            return
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] < thresholds[0]:
            return
        generation = 2 if counts[2] > thresholds[2] else 1 if counts[1] > thresholds[1] else 0
        gc.collect(generation)


_collector: _Collector | None = None
_paused = 0
_was_collecting = True  # when the first of the pauses held now began


def install() -> None:
    """From now on collect on the GUI thread only (call it there, with an application)."""
    global _collector
    app = QCoreApplication.instance()
    if _collector is not None or app is None:
        return
    _collector = _Collector(app)
    _collector.destroyed.connect(_uninstalled)
    gc.disable()


def _uninstalled(*_args: object) -> None:
    global _collector
    _collector = None
    if _paused == 0:
        gc.enable()  # no application left to collect for: back to CPython's way


def is_installed() -> bool:
    return _collector is not None


def pause() -> None:
    """Hold collection off until as many `resume()` calls (pauses nest)."""
    global _paused, _was_collecting
    if _paused == 0:
        _was_collecting = collecting()
        if _collector is None:
            gc.disable()
    _paused += 1


def resume(*, freeze: bool = False) -> None:
    """End a pause; collection is back on when the last pause ends. With `freeze`, what
    is alive then is first frozen out of later passes (gc.freeze), when collection was
    on before the pauses: what was built meanwhile is never walked."""
    global _paused
    if _paused == 0:
        return
    _paused -= 1
    if _paused == 0 and _was_collecting:
        if freeze:
            gc.freeze()
        if _collector is None:
            gc.enable()


def paused() -> bool:
    return _paused > 0


def collecting() -> bool:
    """Whether cycles are collected now (by the timer, or by CPython itself)."""
    return _paused == 0 and (_collector is not None or gc.isenabled())
