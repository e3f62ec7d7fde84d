"""A big map as a user meets it: 2,000 touchpoints and 8,000 transitions in the main window.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_big_map_speed.py -s`.
It prints figures and baselines measured in the same run; it never fails on a slow
machine. It does check that what it timed ended in the right state.

The window is 1400 × 860 (the default) with the Analysis dock open; "longest freeze" is
the longest gap between turns of the event loop (a 5 ms heartbeat), what a user feels as
a window that does not answer.

- Open: File › Open of a .cxmap until every card and arrow is drawn, then until the
  figures are current. Baselines: the same in one go, as before the map was drawn in
  slices (reading and drawing on the GUI thread); and the 200-touchpoint map.
- Pan and zoom: a middle-button drag at 60 mouse moves a second and Ctrl+wheel at 30
  steps a second, at four zooms; frames a second and the slowest frame. Baseline: the
  same view drawing every frame afresh (no kept pixels, no scaled frame while zooming).
- Edit to KPIs: a satisfaction change with the card selected, until the KPI cards show
  the new revision and until every figure in the window does. Baseline: the 200-
  touchpoint map, and `analyze()` alone.
- Auto-layout and its undo: from the key press until the cards are placed and the arrows
  routed. Baseline: the same on the GUI thread in one go, as before (the layout worked
  out, applied and every arrow re-routed with the scene's BSP index on).
- Now and before: the same scripted session (big_map_harness.py) given to this version
  and to an older checkout named by CX_MAPPER_BENCH_BEFORE, each in its own process;
  the README's table comes from it, under an X server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.domain.templates import blank_project
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.project_file import save_project
from cx_mapper.ui.app import LATER, import_meanwhile
from cx_mapper.ui.document.analysis_service import LIVE_REMOVAL_LIMIT
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import backdrop, batches, scene_items
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.files import open_save
from cx_mapper.ui.main_window import MainWindow
from tests.benchmarks.journeys import random_journey

BIG, SMALL = 2_000, 200
SIZE = (1400, 860)


class Heartbeat:
    """Turns of the event loop, to find the longest time the window did not answer."""

    def __init__(self) -> None:
        self.beats: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(lambda: self.beats.append(time.perf_counter()))
        self._timer.start()

    def longest_gap(self, start: float, end: float) -> float:
        beats = [start, *(b for b in self.beats if start <= b <= end), end]
        return max(b - a for a, b in zip(beats, beats[1:], strict=False))

    def stop(self) -> None:
        self._timer.stop()


def spin_until(done: Callable[[], bool], timeout: float = 120.0) -> float:
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the window did not settle")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    return time.perf_counter()


def spin(seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


@contextmanager
def all_at_once(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The GUI-thread path as before: read, draw and re-route everything in one go,
    with Qt's BSP index re-filing each arrow it re-routes."""
    with monkeypatch.context() as patch:
        patch.setattr(open_save, "READ_IN_BACKGROUND_FROM", float("inf"))
        patch.setattr(scene_items, "SLICED_FROM", 10**9)
        patch.setattr(batches, "UNINDEXED_FROM", 10**9)
        yield


def window_of(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = MainWindow(ProjectDocument(blank_project()),
                        recovery_folder=str(tmp_path / "recovery"))
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    import_meanwhile(LATER)  # as the app does once its window is on screen
    return window


def drawn(window: MainWindow, touchpoints: int) -> bool:
    scene = window.tabs.scene
    return (not window.files.is_opening() and scene is not None and not scene.is_drawing()
            and len(scene.cards()) == touchpoints)


def figures_current(window: MainWindow) -> bool:
    scene = window.tabs.scene
    return (window.analysis.result is not None and not window.analysis.is_updating()
            and scene is not None and not scene.is_stale())


def saved_map(tmp_path: Path, touchpoints: int) -> Path:
    path = tmp_path / f"map-{touchpoints}.cxmap"
    if not path.exists():
        save_project(random_journey(touchpoints, transitions_per_touchpoint=4, seed=3), path)
    return path


def open_map(qtbot: QtBot, tmp_path: Path, touchpoints: int) -> tuple[MainWindow, dict[str, float]]:
    path = saved_map(tmp_path, touchpoints)
    window = window_of(qtbot, tmp_path)
    spin(0.3)
    heartbeat = Heartbeat()
    start = time.perf_counter()
    window.open_location(str(path))
    shown = spin_until(lambda: drawn(window, touchpoints))
    current = spin_until(lambda: figures_current(window))
    heartbeat.stop()
    return window, {"drawn": shown - start, "figures": current - start,
                    "freeze": heartbeat.longest_gap(start, current)}


# -- opening ------------------------------------------------------------------------------
@pytest.mark.benchmark
def test_open_a_big_map(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = []
    for label, size, old in [(f"{BIG:,} touchpoints", BIG, False),
                             (f"{BIG:,}, in one go (before)", BIG, True),
                             (f"{SMALL} touchpoints", SMALL, False)]:
        if old:
            with all_at_once(monkeypatch):
                window, figures = open_map(qtbot, tmp_path, size)
        else:
            window, figures = open_map(qtbot, tmp_path, size)
        journey = window.document.project.journeys[0]
        assert len(window.tabs.scene.arrows()) == len(journey.transitions)  # type: ignore[union-attr]
        rows.append((label, figures))
        window.document.undo_stack.setClean()
        window.close()
    print(f"\nOpen a map in the window ({SIZE[0]} x {SIZE[1]}), "
          f"{len(journey.transitions):,} transitions for the small one")
    print(f"{'':>30} {'map drawn':>10} {'figures':>10} {'longest freeze':>15}")
    for label, figures in rows:
        print(f"{label:>30} {_s(figures['drawn']):>10} {_s(figures['figures']):>10} "
              f"{_s(figures['freeze']):>15}")


# -- pan and zoom -------------------------------------------------------------------------
def frames(step: Callable[[int], None], count: int, period: float) -> tuple[float, float]:
    """Do `step(i)` every `period` seconds, as input arrives, each followed by a repaint:
    (frames a second, slowest frame in seconds)."""
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


def pan_and_zoom(view: CanvasView, zoom: float | None) -> dict[str, float]:
    if zoom is None:
        view.fit()
    else:
        view.set_zoom(zoom)
        view.centerOn(QPointF(3000, 1000))
    spin(0.2)
    spin_until(lambda: view._backdrop._pixmap is None or view._backdrop._stale.isEmpty(), 60)
    viewport = view.viewport()
    centre = viewport.rect().center()
    QTest.mousePress(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                     centre)

    def pan(i: int) -> None:
        sway = 3 if (i // 10) % 2 else -3  # right and a little up and down
        QTest.mouseMove(viewport, centre + QPoint(-8 * (i + 1), sway * (i % 10)))
        viewport.repaint()

    pan_fps, pan_worst = frames(pan, 40, 1 / 60)
    QTest.mouseRelease(viewport, Qt.MouseButton.MiddleButton, Qt.KeyboardModifier.NoModifier,
                       centre)
    spin(0.3)

    def wheel(i: int) -> None:
        delta = 120 if (i // 5) % 2 == 0 else -120
        event = QWheelEvent(QPointF(centre), QPointF(viewport.mapToGlobal(centre)), QPoint(),
                            QPoint(0, delta), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(viewport, event)
        viewport.repaint()

    zoom_fps, zoom_worst = frames(wheel, 20, 1 / 30)
    time.sleep(backdrop.SETTLE_MS / 1000)  # the wheel pauses
    start = time.perf_counter()
    spin_until(lambda: not view._zooming.is_active())
    viewport.repaint()  # the zoom reached, drawn sharp
    sharp = time.perf_counter() - start
    return {"pan fps": pan_fps, "pan worst": pan_worst, "zoom fps": zoom_fps,
            "zoom worst": zoom_worst, "sharp": sharp}


@pytest.mark.benchmark
def test_pan_and_zoom_a_big_map(qtbot: QtBot, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    window, _ = open_map(qtbot, tmp_path, BIG)
    view = window.tabs.view
    assert view is not None
    zooms: list[float | None] = [None, 0.3, 0.5, 1.0]
    view.fit()
    fit = view.zoom()
    ours = {zoom: pan_and_zoom(view, zoom) for zoom in zooms}
    with monkeypatch.context() as patch:  # every frame drawn afresh, as before
        patch.setattr(CanvasView, "drawBackground",
                      lambda self, painter, rect: self.scene().drawBackground(painter, rect))
        patch.setattr(backdrop.ZoomGesture, "paint", lambda self: False)
        fresh = {zoom: pan_and_zoom(view, zoom) for zoom in zooms}
    window.document.undo_stack.setClean()
    window.close()
    print(f"\nPan and zoom the {BIG:,}-touchpoint map ({SIZE[0]} x {SIZE[1]} window; "
          f"fit is {fit:.0%}): frames a second (slowest frame)")
    print(f"{'zoom':>6} {'pan':>14} {'pan, afresh':>16} {'zoom':>14} {'zoom, afresh':>16} "
          f"{'sharp after zoom':>17}")
    for zoom in zooms:
        a, b = ours[zoom], fresh[zoom]
        name = "fit" if zoom is None else f"{zoom:.0%}"
        print(f"{name:>6} {_fps(a['pan fps'], a['pan worst']):>14} "
              f"{_fps(b['pan fps'], b['pan worst']):>16} "
              f"{_fps(a['zoom fps'], a['zoom worst']):>14} "
              f"{_fps(b['zoom fps'], b['zoom worst']):>16} {_ms(a['sharp']):>17}")
    print("Afresh: the same view drawing the lanes and arrows for every frame.")


# -- edit to KPIs -------------------------------------------------------------------------
@pytest.mark.benchmark
def test_edit_to_kpis_on_a_big_map(qtbot: QtBot, tmp_path: Path) -> None:
    rows = []
    for size in (BIG, SMALL):
        window, _ = open_map(qtbot, tmp_path, size)
        journey = window.document.project.journeys[0]
        touchpoint = next(iter(journey.touchpoints))
        scene = window.tabs.scene
        assert scene is not None
        scene.select([touchpoint])
        spin(1.0)
        kpis, everything = [], []
        for value in (0.1, -0.2, 0.3, -0.4, 0.5):
            start = time.perf_counter()
            window.document.set_touchpoint_fields(journey.id, [touchpoint], satisfaction=value)
            kpis.append(spin_until(lambda w=window: w.analysis.result is not None
                                   and not w.analysis.is_updating()) - start)
            everything.append(spin_until(lambda w=window: figures_current(w)) - start)
            spin(0.6)  # a pause between edits, as a user makes them
        live = {"removal_limit": LIVE_REMOVAL_LIMIT} if size == BIG else {}
        project, journey_id = window.document.project, journey.id
        engine = min(_timed(lambda p=project, j=journey_id, o=live: analyze(p, j, **o))
                     for _ in range(3))
        assert window.analysis.result is not None
        assert window.analysis.result.totals == analyze(window.document.project, journey.id,
                                                        **live).totals
        rows.append((size, len(journey.transitions), kpis, everything, engine))
        window.document.undo_stack.setClean()
        window.close()
    print("\nEdit to figures (a satisfaction change, the card selected, at fit zoom): "
          "best / median of 5")
    print(f"{'touchpoints':>12} {'transitions':>12} {'KPI cards':>18} {'every figure':>18} "
          f"{'analyze() alone':>16}")
    for size, transitions, kpis, everything, engine in rows:
        print(f"{size:>12,} {transitions:>12,} {_best_median(kpis):>18} "
              f"{_best_median(everything):>18} {_ms(engine):>16}")


# -- auto-layout and undo -----------------------------------------------------------------
def settled(window: MainWindow) -> bool:
    scene = window.tabs.scene
    return (not window.layouts.is_running() and scene is not None and not scene.is_drawing()
            and not window.progress.is_busy())


@pytest.mark.benchmark
def test_auto_layout_and_undo_a_big_map(qtbot: QtBot, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window, _ = open_map(qtbot, tmp_path, BIG)
    view, scene = window.tabs.view, window.tabs.scene
    assert view is not None and scene is not None
    before = {t.id: (t.x, t.y) for t in window.document.project.journeys[0].touchpoints.values()}
    spin(1.0)

    def timed(act: Callable[[], object]) -> tuple[float, float]:
        heartbeat = Heartbeat()
        start = time.perf_counter()
        act()
        spin(0.01)
        end = spin_until(lambda: settled(window))
        scene.content_rect()
        view.viewport().repaint()
        end = time.perf_counter()
        heartbeat.stop()
        return end - start, heartbeat.longest_gap(start, end)

    def press() -> None:
        view.setFocus()
        QTest.keyClick(view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)

    layout = timed(press)
    assert window.document.undo_stack.undoText() == "Auto-layout"
    spin(1.0)
    undo = timed(window.document.undo_stack.undo)
    assert {t.id: (t.x, t.y) for t in window.document.project.journeys[0].touchpoints.values()} \
        == before
    spin(1.0)
    redo = timed(window.document.undo_stack.redo)
    spin(1.0)
    window.document.undo_stack.undo()
    spin_until(lambda: settled(window))
    spin(1.0)
    with all_at_once(monkeypatch):
        old_layout = timed(lambda: (window.document.auto_layout(window.tabs.journey_id or ""),
                                    scene.arrows()))
        spin(1.0)
        old_undo = timed(lambda: (window.document.undo_stack.undo(), scene.arrows()))
    window.document.undo_stack.setClean()
    window.close()
    print(f"\nAuto-layout of the {BIG:,}-touchpoint map and its undo: "
          "until placed and routed (longest freeze)")
    print(f"{'':>12} {'now':>22} {'before (GUI thread)':>22}")
    for name, ours, old in [("auto-layout", layout, old_layout), ("undo", undo, old_undo),
                            ("redo", redo, None)]:
        old_text = f"{_s(old[0])} ({_s(old[1])})" if old else ""
        print(f"{name:>12} {_s(ours[0]) + ' (' + _s(ours[1]) + ')':>22} {old_text:>22}")


# -- printing -----------------------------------------------------------------------------
def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1000:.0f} ms"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _fps(rate: float, worst: float) -> str:
    return f"{rate:.0f} ({worst * 1000:.0f} ms)"


def _best_median(times: list[float]) -> str:
    ordered = sorted(times)
    return f"{_ms(ordered[0])} / {_ms(ordered[len(ordered) // 2])}"


# -- the same session given to an older version ---------------------------------------
@pytest.mark.benchmark
def test_a_big_map_now_and_before(tmp_path: Path) -> None:
    """The harness's session (big_map_harness.py) given to this version and to an older
    checkout named by CX_MAPPER_BENCH_BEFORE (`git worktree add /tmp/before be1c79a`),
    one after the other, each in its own process with a real window if there is a
    display."""
    before = os.environ.get("CX_MAPPER_BENCH_BEFORE")
    if not before:
        pytest.skip("set CX_MAPPER_BENCH_BEFORE to an older checkout to compare with")
    path = saved_map(tmp_path, BIG)
    here = Path(__file__).resolve().parents[2]
    results = {name: _harness(root, path) for name, root in (("now", here),
                                                             ("before", Path(before)))}
    print(f"\nThe same session on the {BIG:,}-touchpoint map, now and before "
          f"({os.environ.get('QT_QPA_PLATFORM', 'a real window')})")
    now, old = results["now"], results["before"]
    rows = [("open: map drawn", "open", "drawn"), ("open: figures", "open", "figures"),
            ("open: longest freeze", "open", "freeze"),
            ("auto-layout", "auto-layout", "time"), ("  longest freeze", "auto-layout", "freeze"),
            ("undo", "undo", "time"), ("  longest freeze", "undo", "freeze"),
            ("redo", "redo", "time"), ("  longest freeze", "redo", "freeze")]
    print(f"{'':>26} {'before':>12} {'now':>12}")
    for label, part, key in rows:
        print(f"{label:>26} {_s(old[part][key]):>12} {_s(now[part][key]):>12}")
    for zoom in ("fit", "0.3", "0.5", "1.0"):
        a, b = old[f"zoom {zoom}"], now[f"zoom {zoom}"]
        print(f"{'pan / zoom at ' + zoom:>26} {_fps(a['pan fps'], a['pan worst']):>12} "
              f"{_fps(b['pan fps'], b['pan worst']):>12}")
        print(f"{'':>26} {_fps(a['zoom fps'], a['zoom worst']):>12} "
              f"{_fps(b['zoom fps'], b['zoom worst']):>12}")
    for key in ("kpis", "every figure"):
        print(f"{'edit to ' + key:>26} {_best_median(old['edit'][key]):>12} "
              f"{_best_median(now['edit'][key]):>12}")


def _harness(root: Path, path: Path) -> dict[str, Any]:
    harness = Path(__file__).with_name("big_map_harness.py")
    env = dict(os.environ, PYTHONPATH=str(root))
    done = subprocess.run([sys.executable, str(harness), str(path)], capture_output=True,
                          text=True, env=env, cwd=root, timeout=1800)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(line[len("RESULT "):])
    return result
