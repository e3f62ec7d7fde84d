"""A big map on screen: drawn in slices with the window live, panned from kept pixels,
zoomed from the last frame, and exactly the map a fresh drawing gives.

The speeds themselves are measured in tests/benchmarks/test_big_map_speed.py; these
tests check what makes them, with real mouse and wheel events.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document import collector
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import backdrop, scene_items
from cx_mapper.ui.editor.canvas.backlog import SLICED_FROM
from cx_mapper.ui.editor.canvas.batches import CollectorPause
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from tests.benchmarks.journeys import random_journey

#: 300 touchpoints with five transitions each: over SLICED_FROM, so drawn in slices,
#: and small enough for a test.
TOUCHPOINTS = 300


@pytest.fixture
def doc() -> ProjectDocument:
    return ProjectDocument(random_journey(TOUCHPOINTS, transitions_per_touchpoint=5, seed=1))


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    scene = CanvasScene(doc, doc.project.journeys[0].id)
    view = CanvasView(scene)
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: not scene.is_drawing(), timeout=20_000)
    yield view
    view.close()


def drawn_afresh(scene: CanvasScene, monkeypatch: pytest.MonkeyPatch) -> list[QRectF]:
    """Every scene area the map under the cards is drawn for, from now on."""
    areas: list[QRectF] = []
    draw = type(scene).drawBackground

    def recorded(self: CanvasScene, painter: object, rect: QRectF) -> None:
        areas.append(QRectF(rect))
        draw(self, painter, rect)  # type: ignore[arg-type]

    monkeypatch.setattr(type(scene), "drawBackground", recorded)
    return areas


def fresh(view: CanvasView) -> QImage:
    """The viewport as a drawing from scratch gives it (no kept pixels)."""
    view._backdrop._pixmap = None
    return view.viewport().grab().toImage()


def differing(a: QImage, b: QImage) -> int:
    return sum(a.pixel(x, y) != b.pixel(x, y)
               for x in range(0, a.width(), 3) for y in range(0, a.height(), 3))


def settle(qtbot: QtBot, view: CanvasView) -> None:
    qtbot.waitUntil(lambda: view._backdrop._pixmap is not None
                    and view._backdrop._stale.isEmpty(), timeout=20_000)


def test_a_big_map_is_drawn_in_slices_while_the_window_stays_live(
        qtbot: QtBot, doc: ProjectDocument) -> None:
    journey = doc.project.journeys[0]
    assert len(journey.touchpoints) + len(journey.transitions) >= SLICED_FROM
    turns = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: turns.append(1))
    heartbeat.start(0)
    scene = CanvasScene(doc, journey.id)
    assert scene.is_drawing(), "the map is still being drawn when the scene is made"
    progress: list[tuple[str, int, int]] = []
    scene.drawing_progressed.connect(lambda *report: progress.append(report))
    qtbot.waitUntil(lambda: not scene.is_drawing(), timeout=20_000)
    heartbeat.stop()
    assert len(turns) > 3, "the event loop ran between slices"
    assert progress[-1][1] == progress[-1][2] and len(progress) > 2
    assert [done for _, done, _ in progress] == sorted(done for _, done, _ in progress)
    assert len(scene.cards()) == len(journey.touchpoints)
    assert len(scene.arrows()) == len(journey.transitions)


def test_asking_for_the_map_draws_what_is_left_at_once(doc: ProjectDocument) -> None:
    scene = CanvasScene(doc, doc.project.journeys[0].id)
    assert scene.is_drawing()
    assert len(scene.arrows()) == len(doc.project.journeys[0].transitions)
    assert not scene.is_drawing()


def test_drawn_in_slices_every_arrow_takes_the_route_and_label_of_one_go(
        doc: ProjectDocument, monkeypatch: pytest.MonkeyPatch) -> None:
    """The arrows are routed together as one set, a step at a time between frames: the
    same routes and label places as routing them all in one batch."""
    journey_id = doc.project.journeys[0].id
    sliced = CanvasScene(doc, journey_id)
    assert sliced.is_drawing()
    monkeypatch.setattr(scene_items, "SLICED_FROM", 10**9)
    at_once = CanvasScene(doc, journey_id)
    assert not at_once.is_drawing()
    routes = {key: arrow.route() for key, arrow in sliced.arrows().items()}
    assert None not in routes.values()
    assert routes == {key: arrow.route() for key, arrow in at_once.arrows().items()}


def test_a_pan_draws_only_the_strip_it_uncovers_and_the_same_map(
        qtbot: QtBot, view: CanvasView, monkeypatch: pytest.MonkeyPatch) -> None:
    view.set_zoom(0.4)  # under LOD_TEXT: no dashed loops, whose dashes start anywhere
    view.centerOn(QPointF(1500, 900))
    settle(qtbot, view)
    areas = drawn_afresh(view.canvas(), monkeypatch)
    viewport = view.viewport()
    start = viewport.rect().center()
    qtbot.mousePress(viewport, Qt.MouseButton.MiddleButton, pos=start)
    for step in range(1, 13):
        qtbot.mouseMove(viewport, start + QPoint(-12 * step, 5 * step))
        viewport.repaint()
    qtbot.mouseRelease(viewport, Qt.MouseButton.MiddleButton, pos=start + QPoint(-144, 60))
    seen = view.mapToScene(viewport.rect()).boundingRect()
    drawn = sum(rect.width() * rect.height() for rect in areas)
    assert drawn < 0.5 * seen.width() * seen.height(), \
        "twelve pan steps drew less than half a view afresh (each step used to draw it all)"
    panned = viewport.grab().toImage()
    assert differing(panned, fresh(view)) == 0


def test_zooming_with_the_wheel_shows_the_last_frame_until_it_pauses(
        qtbot: QtBot, view: CanvasView, monkeypatch: pytest.MonkeyPatch) -> None:
    view.set_zoom(0.35)
    view.centerOn(QPointF(1500, 900))
    settle(qtbot, view)
    areas = drawn_afresh(view.canvas(), monkeypatch)
    viewport = view.viewport()
    point = viewport.rect().center()
    before = view.zoom()
    for _ in range(3):
        event = QWheelEvent(QPointF(point), QPointF(viewport.mapToGlobal(point)), QPoint(),
                            QPoint(0, 120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(viewport, event)
        viewport.repaint()
    assert view.zoom() > before * 1.9
    assert areas == [], "mid-gesture the map is not drawn again"
    qtbot.wait(backdrop.SETTLE_MS + 100)
    viewport.repaint()
    assert areas, "once the wheel pauses it is drawn at the new zoom"
    settle(qtbot, view)
    assert differing(viewport.grab().toImage(), fresh(view)) == 0


def test_an_edit_redraws_the_arrows_it_moved_and_nothing_else_stays_stale(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    view.set_zoom(0.4)
    view.centerOn(QPointF(1500, 900))
    settle(qtbot, view)
    scene = view.canvas()
    journey = doc.project.journeys[0]
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    moved = next(t for t in journey.touchpoints.values()
                 if shown.contains(QRectF(t.x, t.y, 180, 76)))
    doc.move_touchpoints(journey.id, {moved.id: (moved.x + 40, moved.y + 20)})
    scene.arrows()  # its arrows follow now
    view.viewport().repaint()
    assert differing(view.viewport().grab().toImage(), fresh(view)) == 0
    doc.undo_stack.undo()
    scene.arrows()
    view.viewport().repaint()
    assert differing(view.viewport().grab().toImage(), fresh(view)) == 0


def test_building_a_big_set_of_arrows_walks_no_heap_and_a_dropped_set_goes(
        qtbot: QtBot) -> None:
    """A big move routes a new set of arrows: no garbage-collection pass runs while it is
    built (two walked the whole heap during auto-layout, 0.2 s each), the collector is on
    again afterwards, and the set routed two moves ago goes without one."""
    doc = ProjectDocument(random_journey(TOUCHPOINTS, transitions_per_touchpoint=7, seed=1))
    journey_id = doc.project.journeys[0].id
    scene = CanvasScene(doc, journey_id)
    qtbot.waitUntil(lambda: not scene.is_drawing(), timeout=20_000)
    first = next(iter(scene.arrows().values()))
    gone = weakref.ref(first)
    del first
    passes: list[int] = []

    def heard(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and scene.is_drawing():
            passes.append(info["generation"])

    gc.callbacks.append(heard)
    built: list[str] = []
    scene.drawing_progressed.connect(lambda what, *_: built.append(what))
    try:
        for shift in (40.0, 80.0):  # two big moves: the first set is dropped
            journey = doc.project.journeys[0]
            doc.move_touchpoints(journey_id, {t.id: (t.x + shift, t.y)
                                              for t in journey.touchpoints.values()})
            qtbot.waitUntil(lambda: not scene.is_drawing(), timeout=20_000)
    finally:
        gc.callbacks.remove(heard)
    assert built.count("routing") >= 2, "each move routed a new set"
    assert passes.count(2) == 0, "no pass over the whole heap while the sets were built"
    assert collector.collecting()
    assert gone() is None, "the arrows routed two moves ago are gone"
    CollectorPause.thaw()
