"""Ctrl+V pastes at the mouse when it is over the canvas, else just below the copied cards
on free ground; never on top of the originals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.engine.layout import layout_by_stage
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.main_window import MainWindow
from tests.factories import evidenced_project, laid_out_project, state

pytestmark = pytest.mark.usefixtures("no_modal_questions")

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def laid_out(qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> MainWindow:
    window = MainWindow(ProjectDocument(laid_out_project()), recovery_folder=recovery_folder)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def rect(touchpoint: Touchpoint) -> QRectF:
    return QRectF(touchpoint.x, touchpoint.y, style.CARD_WIDTH, style.CARD_HEIGHT)


def move_mouse(qtbot: QtBot, widget: QWidget, point: QPoint) -> None:
    """The pointer to `point` on `widget`, as the mouse puts it (qtbot alone does not always
    move the pointer the app reads)."""
    QCursor.setPos(widget.mapToGlobal(point))
    qtbot.mouseMove(widget, point)


def copy_ad(qtbot: QtBot, window: MainWindow) -> None:
    scene, view = window.tabs.scene, window.tabs.view
    assert scene is not None and view is not None
    scene.select(["ad"])
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_C, CTRL)


def test_ctrl_v_with_the_mouse_over_the_canvas_pastes_there(
        qtbot: QtBot, laid_out: MainWindow) -> None:
    document, view = laid_out.document, laid_out.tabs.view
    assert view is not None
    journey = document.project.journey("now")
    copy_ad(qtbot, laid_out)
    before = state(document.project)
    serve = journey.touchpoint("help")  # a card in the Service lane; paste below it
    target = QPointF(serve.x + style.CARD_WIDTH / 2, serve.y + 400)
    view.centerOn(target)  # on screen, however the view was fitted
    move_mouse(qtbot, view.viewport(), view.mapFromScene(target))
    known = set(journey.touchpoints)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_V, CTRL)

    (new_id,) = set(journey.touchpoints) - known
    pasted = journey.touchpoint(new_id)
    assert rect(pasted).adjusted(-10, -10, 10, 10).contains(target), "centred on the mouse"
    assert pasted.stage == "serve", "it joins the lane it lands in"
    assert pasted.name == "Ad"
    document.undo_stack.undo()
    assert state(document.project) == before
    document.undo_stack.redo()
    assert new_id in journey.touchpoints


def test_ctrl_v_with_the_mouse_elsewhere_pastes_below_the_originals_on_free_ground(
        qtbot: QtBot, laid_out: MainWindow) -> None:
    document, view = laid_out.document, laid_out.tabs.view
    assert view is not None
    journey = document.project.journey("now")
    copy_ad(qtbot, laid_out)
    inspector = laid_out.inspector
    move_mouse(qtbot, inspector, QPoint(20, 20))  # the mouse is over the Inspector
    original = journey.touchpoint("ad")
    for _ in range(2):
        known = set(journey.touchpoints)
        qtbot.keyClick(view.viewport(), Qt.Key.Key_V, CTRL)
        (new_id,) = set(journey.touchpoints) - known
        pasted = journey.touchpoint(new_id)
        assert pasted.x == original.x and pasted.y > original.y, "straight below, same lane"
        assert pasted.stage == original.stage
        others = [t for t in journey.touchpoints.values() if t.id != new_id]
        assert not any(rect(pasted).intersects(rect(t)) for t in others), "on free ground"
    assert document.undo_stack.count() == 2


def test_duplicate_lands_below_without_covering_a_card(
        qtbot: QtBot, laid_out: MainWindow) -> None:
    scene, view = laid_out.tabs.scene, laid_out.tabs.view
    assert scene is not None and view is not None
    journey = laid_out.document.project.journey("now")
    scene.select(["site", "shop"])
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_D, CTRL)
    copies = scene.selected_touchpoints()
    assert len(copies) == 2
    for copy in copies:
        others = [t for t in journey.touchpoints.values() if t.id != copy]
        assert not any(rect(journey.touchpoint(copy)).intersects(rect(t)) for t in others)


def test_a_pasted_copy_keeps_how_its_figures_and_its_transitions_are_known(
        qtbot: QtBot, recovery_folder: str) -> None:
    project = evidenced_project()
    journey = project.journeys[0]
    for touchpoint_id, (x, y) in layout_by_stage(journey).items():
        journey.update_touchpoint(touchpoint_id, x=x, y=y)
    window = MainWindow(ProjectDocument(project), recovery_folder=recovery_folder)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    document, scene, view = window.document, window.tabs.scene, window.tabs.view
    assert scene is not None and view is not None
    journey = document.project.journey("now")
    scene.select(["ad", "site"])
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_C, CTRL)
    move_mouse(qtbot, window.inspector, QPoint(20, 20))
    known = set(journey.touchpoints)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_V, CTRL)

    copies = {journey.touchpoint(t).name: journey.touchpoint(t)
              for t in set(journey.touchpoints) - known}
    assert copies["Ad"].evidence == journey.touchpoint("ad").evidence
    assert copies["Ad"].evidence["satisfaction"].sd == 0.4
    assert copies["Site"].evidence == journey.touchpoint("site").evidence
    link = journey.transitions[(copies["Ad"].id, copies["Site"].id)]
    assert link.evidence == journey.transitions[("ad", "site")].evidence
    document.undo_stack.undo()
    assert set(journey.touchpoints) == known
    document.undo_stack.redo()
    assert journey.touchpoint(copies["Ad"].id).evidence == copies["Ad"].evidence
