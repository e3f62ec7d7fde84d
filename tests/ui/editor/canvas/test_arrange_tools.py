"""Arrange: align, distribute, guides while dragging, and snap to grid.

Driven as a user does: the Arrange keys pressed on the canvas of a shown main window,
cards dragged with the mouse. Each tool is one undo step: edit, check, undo, check,
redo, check.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from cx_mapper.engine.layout import GRID
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.main_window import MainWindow
from tests.factories import laid_out_project, state
from tests.ui.editor.canvas.checks import journey, matches_document, rhythm
from tests.ui.editor.canvas.mouse import LEFT, NONE, card_point

ALT_SHIFT = Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ShiftModifier
W, H = style.CARD_WIDTH, style.CARD_HEIGHT
#: Cards out of line on purpose: the three the tests arrange, and one left alone.
STAGGERED = {"ad": (0.0, 40.0), "site": (300.0, 0.0), "shop": (240.0, 260.0),
             "help": (540.0, 120.0)}
CHOSEN = ["ad", "shop", "help"]


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    document = ProjectDocument(laid_out_project())
    document.move_touchpoints("now", STAGGERED)
    document.undo_stack.clear()
    return document


@pytest.fixture
def window(qtbot: QtBot, doc: ProjectDocument, recovery_folder: str,
           no_modal_questions: None) -> Iterator[MainWindow]:
    win = MainWindow(doc, recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    """A canvas at 100 %, for dragging by exact amounts."""
    view = CanvasView(CanvasScene(doc, "now"))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.reset_zoom()
    view.centerOn(QPointF(450, 200))
    yield view
    view.close()
    view.canvas().deleteLater()  # now, not whenever the collector finds the document's cycle


def positions(doc: ProjectDocument, ids: list[str]) -> dict[str, tuple[float, float]]:
    return {t: (journey(doc).touchpoint(t).x, journey(doc).touchpoint(t).y) for t in ids}


def press(window: MainWindow, qtbot: QtBot, key: Qt.Key) -> CanvasScene:
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), key, ALT_SHIFT)
    return view.canvas()


ALIGNED = {  # each edge, and what then lines up: x or y of each card, from the old bounds
    Qt.Key.Key_L: lambda x, y: (x, 0.0),
    Qt.Key.Key_C: lambda x, y: (x + W / 2, 0.0),
    Qt.Key.Key_R: lambda x, y: (x + W, 0.0),
    Qt.Key.Key_T: lambda x, y: (0.0, y),
    Qt.Key.Key_M: lambda x, y: (0.0, y + H / 2),
    Qt.Key.Key_B: lambda x, y: (0.0, y + H),
}
EXPECTED = {  # where the line falls: bounds of ad, shop, help are x 0..720, y 40..336
    Qt.Key.Key_L: (0.0, 0.0), Qt.Key.Key_C: (360.0, 0.0), Qt.Key.Key_R: (720.0, 0.0),
    Qt.Key.Key_T: (0.0, 40.0), Qt.Key.Key_M: (0.0, 188.0), Qt.Key.Key_B: (0.0, 336.0),
}


@pytest.mark.parametrize("key", list(ALIGNED), ids=["left", "centre", "right", "top",
                                                    "middle", "bottom"])
def test_each_align_key_lines_the_selection_up_in_one_step(
        window: MainWindow, qtbot: QtBot, doc: ProjectDocument, key: Qt.Key) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select(CHOSEN)
    before = state(doc.project)
    untouched = positions(doc, ["site"])
    press(window, qtbot, key)
    lines = {ALIGNED[key](x, y) for x, y in positions(doc, CHOSEN).values()}
    assert lines == {EXPECTED[key]}, "every chosen card on the one line"
    assert positions(doc, ["site"]) == untouched, "the unselected card stays"
    vertical = key in (Qt.Key.Key_L, Qt.Key.Key_C, Qt.Key.Key_R)
    kept = {t: (p[1] if vertical else p[0]) for t, p in positions(doc, CHOSEN).items()}
    assert kept == {t: (STAGGERED[t][1] if vertical else STAGGERED[t][0]) for t in CHOSEN}
    for touchpoint_id in CHOSEN:  # a card moved into another lane takes its stage
        touchpoint = journey(doc).touchpoint(touchpoint_id)
        assert touchpoint.stage == scene.stage_at(touchpoint.x + W / 2)
    rhythm(doc, scene, before)


def test_cards_aligned_into_another_lane_say_so_in_the_status_bar(
        window: MainWindow, qtbot: QtBot, doc: ProjectDocument) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select(CHOSEN)
    name = doc.undo_stack.undoText()
    press(window, qtbot, Qt.Key.Key_L)  # shop and help line up with ad, in its lane
    stage = journey(doc).touchpoint("ad").stage
    assert {journey(doc).touchpoint(t).stage for t in CHOSEN} == {stage}
    stage_name = next(s.name for s in journey(doc).stages if s.id == stage)
    assert window.statusBar().currentMessage() == (
        f"Moved 2 touchpoints to stage '{stage_name}'. Undo (Ctrl+Z) puts it back.")
    assert doc.undo_stack.undoText() not in (name, "Move", f"Move to '{stage_name}'"), \
        "the Align step keeps its own name"


@pytest.mark.parametrize(("key", "across"), [(Qt.Key.Key_H, 0), (Qt.Key.Key_V, 1)],
                         ids=["horizontally", "vertically"])
def test_distribute_keys_leave_equal_gaps_in_one_step(
        window: MainWindow, qtbot: QtBot, doc: ProjectDocument, key: Qt.Key,
        across: int) -> None:
    scene = window.tabs.scene
    assert scene is not None
    scene.select(["ad", "site", "shop", "help"])
    before = state(doc.project)
    press(window, qtbot, key)
    starts = sorted(p[across] for p in positions(doc, list(STAGGERED)).values())
    size = (W, H)[across]
    gaps = [b - (a + size) for a, b in zip(starts, starts[1:], strict=False)]
    assert gaps == pytest.approx([gaps[0]] * 3)
    assert (starts[0], starts[-1]) == (min(p[across] for p in STAGGERED.values()),
                                       max(p[across] for p in STAGGERED.values()))
    rhythm(doc, scene, before)


def test_arrange_needs_enough_cards_and_says_so_in_the_menu(
        window: MainWindow, qtbot: QtBot, doc: ProjectDocument) -> None:
    actions = window.actions_by_name
    scene = window.tabs.scene
    assert scene is not None
    scene.select(["ad"])
    assert not actions["align_left"].isEnabled()
    press(window, qtbot, Qt.Key.Key_L)
    scene.select(["ad", "shop"])
    assert actions["align_left"].isEnabled() and not actions["distribute_vertically"].isEnabled()
    press(window, qtbot, Qt.Key.Key_V)
    assert doc.undo_stack.count() == 0, "nothing to align or distribute: no step"
    arrange = next(m for m in window.menuBar().actions() if m.text() == "&Arrange").menu()
    assert arrange is not None
    assert [a.objectName() for a in arrange.actions() if not a.isSeparator()] == [
        "align_left", "align_centre", "align_right", "align_top", "align_middle",
        "align_bottom", "distribute_horizontally", "distribute_vertically", "snap_to_grid"]


def test_guides_show_while_dragging_and_the_card_snaps_to_them(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    """help's top comes within a few pixels of shop's: a guide shows and it snaps there."""
    scene = view.canvas()
    scene.set_snap_to_grid(False)  # the guide alone, not the grid, lines it up here
    before = state(doc.project)
    viewport = view.viewport()
    start = card_point(view, "help")
    target = start + QPoint(-100, 260 - 120 + 4)  # 4 px below shop's top, at 100 %
    qtbot.mousePress(viewport, LEFT, NONE, start)
    for step in range(1, 6):
        qtbot.mouseMove(viewport, start + (target - start) * step / 5)
    guides = scene.guides()
    assert guides, "a guide shows while the card lines up"
    assert [(line.y1(), line.y2()) for line in guides] == [(260.0 + H / 2, 260.0 + H / 2)], \
        "one line, through the middles of help and shop"
    help_card = scene.card("help")
    assert help_card is not None and help_card.y() == 260.0, "it snapped while dragging"
    qtbot.mouseRelease(viewport, LEFT, NONE, target)
    assert not scene.guides(), "gone once the card is dropped"
    assert positions(doc, ["help"]) == {"help": (440.0, 260.0)}
    rhythm(doc, scene, before)


def test_a_drag_far_from_other_cards_shows_no_guide(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    viewport = view.viewport()
    start = card_point(view, "help")
    qtbot.mousePress(viewport, LEFT, NONE, start)
    qtbot.mouseMove(viewport, start + QPoint(30, 450))
    qtbot.mouseMove(viewport, start + QPoint(33, 457))
    assert not scene.guides()
    qtbot.mouseRelease(viewport, LEFT, NONE, start + QPoint(33, 457))
    x, y = positions(doc, ["help"])["help"]
    assert (x % GRID, y % GRID) == (0, 0), "with the grid on it lands on the grid"


def test_snap_to_grid_is_a_switch_remembered_next_time(
        window: MainWindow, qtbot: QtBot, doc: ProjectDocument, recovery_folder: str) -> None:
    snap = window.actions_by_name["snap_to_grid"]
    assert snap.isCheckable() and snap.isChecked()
    scene = press(window, qtbot, Qt.Key.Key_G)
    assert not snap.isChecked() and not scene.snap_to_grid()
    view = window.tabs.view
    assert view is not None
    view.reset_zoom()
    view.centerOn(QPointF(450, 300))
    start = card_point(view, "help")
    end = start + QPoint(33, 457)
    qtbot.mousePress(view.viewport(), LEFT, NONE, start)
    qtbot.mouseMove(view.viewport(), start + QPoint(10, 200))
    qtbot.mouseMove(view.viewport(), end)
    qtbot.mouseRelease(view.viewport(), LEFT, NONE, end)
    x, y = positions(doc, ["help"])["help"]
    assert (x, y) == (573.0, 577.0), "off the grid: exactly where it was dropped"
    assert matches_document(scene, doc)
    again = MainWindow(ProjectDocument(laid_out_project()), recovery_folder=recovery_folder)
    qtbot.addWidget(again)
    assert not again.actions_by_name["snap_to_grid"].isChecked()
    assert again.tabs.scene is not None and not again.tabs.scene.snap_to_grid()
