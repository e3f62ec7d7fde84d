"""The same input to any version of the app, for comparing two versions in one run.

`python big_map_harness.py MAP.cxmap` opens MAP in the main window (1400 x 860) and
prints `RESULT {json}`: the open (map drawn, figures, longest freeze), middle-button
pans at 60 moves a second and Ctrl+wheel at 30 steps a second at four zooms, five
satisfaction edits with the card selected, Ctrl+Shift+L (auto-layout), its undo and
redo. It uses only what every version has (newer parts through getattr) and imports
nothing from the tests, so it runs against an older checkout on PYTHONPATH
(test_big_map_speed.py does, given CX_MAPPER_BENCH_BEFORE).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, QPointF, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

BEATS: list[float] = []


def spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def until(done: Callable[[], bool], timeout: float = 300) -> float:
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the window did not settle")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return time.perf_counter()


def freeze(start: float, end: float) -> float:
    """The longest the event loop did not turn between `start` and `end`."""
    beats = [start, *(b for b in BEATS if start <= b <= end), end]
    return max(b - a for a, b in zip(beats, beats[1:], strict=False))


def frames(step: Callable[[int], None], count: int, period: float) -> tuple[float, float]:
    done: list[float] = []
    start = time.perf_counter()
    for i in range(count):
        due = start + i * period
        while time.perf_counter() < due:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 2)
        step(i)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        done.append(time.perf_counter())
    gaps = [b - a for a, b in zip([start, *done], done, strict=False)]
    return count / (done[-1] - start), max(gaps)


def main(path: str) -> dict[str, Any]:
    app = QApplication(sys.argv[:1])
    QStandardPaths.setTestModeEnabled(True)
    from cx_mapper.domain.templates import blank_project
    from cx_mapper.ui.document.project_document import ProjectDocument
    from cx_mapper.ui.main_window import MainWindow

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: BEATS.append(time.perf_counter()))
    heartbeat.start()
    window = MainWindow(ProjectDocument(blank_project()), recovery_folder=tempfile.mkdtemp())
    window.resize(1400, 860)
    window.show()
    try:  # what the app does once its window is up, where it does
        from cx_mapper.ui.app import LATER, import_meanwhile
        import_meanwhile(LATER)
    except ImportError:
        pass
    spin(3)

    def scene() -> Any:
        return window.tabs.scene

    def drawing() -> bool:
        return scene() is None or getattr(scene(), "is_drawing", lambda: False)()

    def current() -> bool:
        return (window.analysis.result is not None and not window.analysis.is_updating()
                and scene() is not None and not scene().is_stale())

    out: dict[str, Any] = {}
    start = time.perf_counter()
    window.open_location(path)
    drawn = until(lambda: not getattr(window.files, "is_opening", lambda: False)()
                  and not drawing() and scene() is not None
                  and len(scene()._cards) == len(window.document.project.journeys[0].touchpoints))
    shown = until(current)
    out["open"] = {"drawn": drawn - start, "figures": shown - start,
                   "freeze": freeze(start, shown)}
    spin(1.5)

    view = window.tabs.view
    viewport = view.viewport()
    centre = viewport.rect().center()
    for zoom in (None, 0.3, 0.5, 1.0):
        if zoom is None:
            view.fit()
        else:
            view.set_zoom(zoom)
            view.centerOn(QPointF(3000, 1000))
        spin(2.0)
        QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                         centre)

        def pan(i: int) -> None:
            sway = 3 if (i // 10) % 2 else -3
            QTest.mouseMove(viewport, centre + QPoint(-8 * (i + 1), sway * (i % 10)))
            viewport.repaint()

        pan_fps, pan_worst = frames(pan, 40, 1 / 60)
        QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton,
                           Qt.KeyboardModifier.NoModifier, centre)
        spin(0.3)

        def wheel(i: int) -> None:
            delta = 120 if (i // 5) % 2 == 0 else -120
            event = QWheelEvent(QPointF(centre), QPointF(viewport.mapToGlobal(centre)),
                                QPoint(), QPoint(0, delta), Qt.MouseButton.NoButton,
                                Qt.KeyboardModifier.ControlModifier,
                                Qt.ScrollPhase.NoScrollPhase, False)
            QApplication.sendEvent(viewport, event)
            viewport.repaint()

        zoom_fps, zoom_worst = frames(wheel, 20, 1 / 30)
        spin(0.5)
        out[f"zoom {zoom or 'fit'}"] = {"pan fps": pan_fps, "pan worst": pan_worst,
                                        "zoom fps": zoom_fps, "zoom worst": zoom_worst}

    view.fit()
    spin(1.0)
    journey_id = window.tabs.journey_id
    touchpoint = next(iter(window.document.journey(journey_id).touchpoints))
    scene().select([touchpoint])
    spin(1.0)
    kpis, everything = [], []
    for value in (0.1, -0.2, 0.3, -0.4, 0.5):
        start = time.perf_counter()
        window.document.set_touchpoint_fields(journey_id, [touchpoint], satisfaction=value)
        kpis.append(until(lambda: window.analysis.result is not None
                          and not window.analysis.is_updating()) - start)
        everything.append(until(current) - start)
        spin(0.6)
    out["edit"] = {"kpis": sorted(kpis), "every figure": sorted(everything)}

    def settled() -> bool:
        layouts = getattr(window, "layouts", None)
        progress = getattr(window, "progress", None)
        return ((layouts is None or not layouts.is_running()) and not drawing()
                and (progress is None or not progress.is_busy())
                and not scene()._layout_timer.isActive())

    def timed(act: Callable[[], object]) -> dict[str, float]:
        start = time.perf_counter()
        act()
        spin(0.01)
        until(settled)
        scene().content_rect()
        viewport.repaint()
        end = time.perf_counter()
        return {"time": end - start, "freeze": freeze(start, end)}

    def press() -> None:
        view.setFocus()
        QTest.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)
        layouts = getattr(window, "layouts", None)
        if layouts is not None and not layouts.is_running() and window.isActiveWindow() is False:
            # An X server without a window manager never makes the window active, so
            # its shortcuts do not fire: choose Journey > Auto-layout instead.
            window.auto_layout()

    out["auto-layout"] = timed(press)
    spin(1.5)
    out["undo"] = timed(window.document.undo_stack.undo)
    spin(1.5)
    out["redo"] = timed(window.document.undo_stack.redo)
    window.document.undo_stack.setClean()
    window.close()
    del app
    return out


if __name__ == "__main__":
    print("RESULT " + json.dumps(main(sys.argv[1])), flush=True)
