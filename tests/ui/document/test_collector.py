"""Cycles are collected on the GUI thread only once workers run: a cycle holding Qt
objects collected on a worker thread deadlocked the app (Qt's destructor on the worker
waited for the GIL, the GUI thread deleting widgets waited for Qt's lock)."""

from __future__ import annotations

import gc
import threading
import weakref
from typing import Any

from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document import collector
from cx_mapper.ui.document.workers import run_in_background


class Cycle:
    """Garbage only the cyclic collector frees; it notes the thread that freed it."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.current_thread().name)


def allocate(_task: Any) -> int:
    """Work of the kind a worker does: many container objects, enough to fill every
    generation several times over."""
    kept = [[i] for i in range(300_000)]
    return len(kept)


def test_a_worker_never_collects_and_the_gui_thread_does(qtbot: QtBot) -> None:
    Cycle.freed_on.clear()
    done: list[object] = []
    task = run_in_background(allocate, 0, on_finished=done.append)
    assert collector.is_installed() and not gc.isenabled()
    garbage = Cycle()
    gone = weakref.ref(garbage)
    del garbage
    # Wait without the event loop, so the GUI thread's timer cannot collect meanwhile.
    assert QThreadPool.globalInstance().waitForDone(20_000)
    assert gone() is not None, "the worker's 300,000 allocations collected nothing"
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert task is not None
    # The GUI thread's own work fills generation 0: its timer collects the cycle there.
    kept = [[] for _ in range(3 * gc.get_threshold()[0])]
    qtbot.waitUntil(lambda: gone() is None, timeout=5_000)
    del kept
    assert Cycle.freed_on == [threading.main_thread().name]
    assert collector.collecting()


def test_a_pause_holds_collection_off_until_it_ends(qtbot: QtBot) -> None:
    run_in_background(lambda _t: None, 0)
    assert collector.is_installed()
    assert collector.collecting()
    collector.pause()
    assert not collector.collecting()
    garbage = Cycle()
    gone = weakref.ref(garbage)
    del garbage
    kept = [[] for _ in range(3 * gc.get_threshold()[0])]  # generation 0 is full
    qtbot.wait(3 * collector.INTERVAL_MS)
    assert gone() is not None, "nothing is collected during a pause"
    collector.resume()
    assert collector.collecting()
    qtbot.waitUntil(lambda: gone() is None, timeout=5_000)
    del kept
