"""Mouse and keyboard on the canvas, with real events on a shown view.

Each gesture ends in one document call, so each is one undo step: edit, check,
undo, check, redo, check.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.layout import GRID
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.editing import ConnectLine
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import ZOOM_STEP, CanvasView
from cx_mapper.ui.look import palette
from tests.factories import state
from tests.ui.editor.canvas.checks import matches_document, rhythm

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    scene = CanvasScene(doc, "now")
    view = CanvasView(scene)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.setFocus()
    view.reset_zoom()
    view.centerOn(QPointF(380, 200))
    yield view
    view.close()


def canvas(view: CanvasView) -> CanvasScene:
    return view.canvas()


def journey(doc: ProjectDocument) -> Journey:
    return doc.project.journey("now")


def at(view: CanvasView, x: float, y: float) -> QPoint:
    return view.mapFromScene(QPointF(x, y))


def card_point(view: CanvasView, touchpoint_id: str, dx: float = 70, dy: float = 40) -> QPoint:
    """A point on a card's body, away from its handle and markers."""
    card = canvas(view).card(touchpoint_id)
    return at(view, card.x() + dx, card.y() + dy)


def handle_point(view: CanvasView, touchpoint_id: str) -> QPoint:
    card = canvas(view).card(touchpoint_id)
    return view.mapFromScene(card.mapToScene(card.handle_rect().center()))


def drag(qtbot: QtBot, view: CanvasView, start: QPoint, end: QPoint,
         modifier: Qt.KeyboardModifier = NONE, button: Qt.MouseButton = LEFT) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, button, modifier, start)
    for step in range(1, 5):
        qtbot.mouseMove(viewport, start + (end - start) * step / 4)
    qtbot.mouseRelease(viewport, button, modifier, end)


# -- adding and renaming ----------------------------------------------------------------


def test_double_click_on_empty_space_adds_a_touchpoint_in_that_stage(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    qtbot.mouseDClick(view.viewport(), LEFT, NONE, at(view, 333, 407))
    added = [t for t in journey(doc).touchpoints.values() if t.name == "New touchpoint"]
    assert len(added) == 1
    touchpoint = added[0]
    assert touchpoint.stage == "buy", "the lane under the cursor"
    assert touchpoint.x % GRID == 0 and touchpoint.y % GRID == 0
    card = canvas(view).card(touchpoint.id)
    assert card is not None and card.sceneBoundingRect().contains(QPointF(333, 407))
    assert canvas(view).selected_touchpoints() == [touchpoint.id]
    # the name is ready to type over; Escape keeps the default
    assert canvas(view).is_editing()
    assert canvas(view).editor().line_edit().selectedText() == "New touchpoint"
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Escape)
    assert not canvas(view).is_editing()
    rhythm(doc, canvas(view), before)
    doc.undo_stack.undo()
    assert canvas(view).card(touchpoint.id) is None


def test_names_of_added_touchpoints_stay_unique(view: CanvasView, doc: ProjectDocument) -> None:
    first = canvas(view).add_touchpoint_at(QPointF(600, 400))
    canvas(view).editor().cancel()
    second = canvas(view).add_touchpoint_at(QPointF(600, 600))
    assert journey(doc).touchpoint(first).name == "New touchpoint"
    assert journey(doc).touchpoint(second).name == "New touchpoint 2"
    assert journey(doc).touchpoint(second).stage == "serve"


def test_double_click_on_a_card_renames_it_in_place(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    qtbot.mouseDClick(view.viewport(), LEFT, NONE, card_point(view, "shop"))
    assert canvas(view).is_editing()
    editor = canvas(view).editor()
    assert editor.line_edit().text() == "Shop"
    assert canvas(view).card("shop").sceneBoundingRect().contains(editor.sceneBoundingRect())
    qtbot.keyClicks(view.viewport(), "Flagship store")
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Return)
    assert not canvas(view).is_editing()
    assert journey(doc).touchpoint("shop").name == "Flagship store"
    assert canvas(view).card("shop").name_lines == ["Flagship store"]
    rhythm(doc, canvas(view), before)


def test_f2_rename_commits_with_enter_and_escape_cancels(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    assert not canvas(view).rename_selected(), "nothing selected, nothing to rename"
    canvas(view).select(["help"])
    assert canvas(view).rename_selected()
    qtbot.keyClicks(view.viewport(), "Helpdesk")
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Escape)
    assert journey(doc).touchpoint("help").name == "Help"
    assert doc.undo_stack.count() == 0

    before = state(doc.project)
    assert canvas(view).rename_selected()
    qtbot.keyClicks(view.viewport(), "Helpdesk")
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Enter)
    assert journey(doc).touchpoint("help").name == "Helpdesk"
    rhythm(doc, canvas(view), before)


def test_double_click_on_a_lane_header_renames_the_stage(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    header = canvas(view).lane("serve").header_rect()
    qtbot.mouseDClick(view.viewport(), LEFT, NONE, at(view, header.center().x(),
                                                      header.center().y()))
    assert canvas(view).is_editing()
    assert canvas(view).editor().line_edit().text() == "Service"
    qtbot.keyClicks(view.viewport(), "Aftercare")
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Return)
    assert journey(doc).stage("serve").name == "Aftercare"
    assert canvas(view).lane("serve").name == "Aftercare"
    rhythm(doc, canvas(view), before)


# -- connecting ---------------------------------------------------------------------------


def test_dragging_from_the_handle_connects_with_what_the_source_has_left(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    viewport = view.viewport()
    start, end = handle_point(view, "site"), card_point(view, "shop")
    qtbot.mousePress(viewport, LEFT, NONE, start)
    qtbot.mouseMove(viewport, (start + end) / 2)
    qtbot.mouseMove(viewport, end)
    lines = [i for i in canvas(view).items() if isinstance(i, ConnectLine)]
    assert len(lines) == 1, "a line follows the cursor while dragging"
    assert canvas(view).card("site").pos() == QPointF(260, 0), "the card itself stays put"
    qtbot.mouseRelease(viewport, LEFT, NONE, end)
    assert not [i for i in canvas(view).items() if isinstance(i, ConnectLine)]
    transition = journey(doc).transition("site", "shop")
    assert transition.probability == pytest.approx(0.5), "site already sends 50% to help"
    assert canvas(view).selected_transitions() == [("site", "shop")]
    rhythm(doc, canvas(view), before)


def test_handle_drop_on_the_same_card_makes_a_self_loop(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    drag(qtbot, view, handle_point(view, "help"), card_point(view, "help"))
    assert ("help", "help") in journey(doc).transitions
    assert canvas(view).arrow(("help", "help")).kind == "self"
    rhythm(doc, canvas(view), before)


def test_handle_drop_on_empty_space_or_an_existing_link_changes_nothing(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    drag(qtbot, view, handle_point(view, "ad"), at(view, 120, 500))
    drag(qtbot, view, handle_point(view, "ad"), card_point(view, "site"))
    assert state(doc.project) == before and doc.undo_stack.count() == 0
    assert canvas(view).selected_transitions() == [("ad", "site")], "it shows the link"
    # Escape abandons a drag half way
    viewport = view.viewport()
    qtbot.mousePress(viewport, LEFT, NONE, handle_point(view, "shop"))
    qtbot.mouseMove(viewport, card_point(view, "help"))
    qtbot.keyClick(viewport, Qt.Key.Key_Escape)
    qtbot.mouseRelease(viewport, LEFT, NONE, card_point(view, "help"))
    assert state(doc.project) == before
    assert not [i for i in canvas(view).items() if isinstance(i, ConnectLine)]


# -- moving and selecting -------------------------------------------------------------------


def test_dragging_a_card_snaps_and_changes_stage_in_one_step(
    qtbot: QtBot, view: CanvasView, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    arrow = canvas(view).arrow(("ad", "site"))
    old_path = arrow.path().boundingRect()
    viewport = view.viewport()
    start = card_point(view, "ad")
    end = start + QPoint(277, 13)
    qtbot.mousePress(viewport, LEFT, NONE, start)
    qtbot.mouseMove(viewport, start + QPoint(100, 5))
    assert arrow.path().boundingRect() != old_path, "arrows follow the card live"
    qtbot.mouseMove(viewport, end)
    told: list[str] = []
    canvas(view).told.connect(told.append)
    qtbot.mouseRelease(viewport, LEFT, NONE, end)
    touchpoint = journey(doc).touchpoint("ad")
    assert (touchpoint.x, touchpoint.y) == (280, 20), "snapped to the grid"
    assert touchpoint.stage == "buy", "its centre landed in the Purchase lane"
    # never silently: the undo step and the status bar name the new stage
    assert doc.undo_stack.text(0) == "Move to 'Purchase'"
    assert told == ["Moved 'Ad' to stage 'Purchase'. Undo (Ctrl+Z) puts it back."]
    rhythm(doc, canvas(view), before)


def test_a_multi_selection_moves_together(qtbot: QtBot, view: CanvasView,
                                          doc: ProjectDocument) -> None:
    before = state(doc.project)
    qtbot.mouseClick(view.viewport(), LEFT, NONE, card_point(view, "site"))
    qtbot.mouseClick(view.viewport(), LEFT, CTRL, card_point(view, "shop"))
    assert canvas(view).selected_touchpoints() == ["site", "shop"]
    start = card_point(view, "shop")
    drag(qtbot, view, start, start + QPoint(0, 240))
    assert journey(doc).touchpoint("site").y == 240
    assert journey(doc).touchpoint("shop").y == 360
    assert canvas(view).selected_touchpoints() == ["site", "shop"]
    rhythm(doc, canvas(view), before)


def test_a_click_without_moving_changes_nothing(qtbot: QtBot, view: CanvasView,
                                                doc: ProjectDocument) -> None:
    qtbot.mouseClick(view.viewport(), LEFT, NONE, card_point(view, "help"))
    assert canvas(view).selected_touchpoints() == ["help"]
    assert doc.undo_stack.count() == 0


def test_rubber_band_selects_and_ctrl_click_toggles(qtbot: QtBot, view: CanvasView) -> None:
    drag(qtbot, view, at(view, 240, -30), at(view, 470, 220))
    assert canvas(view).selected_touchpoints() == ["site", "shop"]
    qtbot.mouseClick(view.viewport(), LEFT, CTRL, card_point(view, "shop"))
    assert canvas(view).selected_touchpoints() == ["site"]
    qtbot.mouseClick(view.viewport(), LEFT, CTRL, card_point(view, "help"))
    assert canvas(view).selected_touchpoints() == ["site", "help"]
    qtbot.mouseClick(view.viewport(), LEFT, NONE, at(view, 120, 500))
    assert canvas(view).selected_touchpoints() == []


def test_selected_cards_and_arrows_look_selected(qtbot: QtBot, view: CanvasView) -> None:
    plain = view.grab().toImage()
    canvas(view).select(["site"], [("ad", "shop")])
    selected = view.grab().toImage()
    colour = palette.current_palette().selection
    card = canvas(view).card("site")
    edge = view.mapFromScene(QPointF(card.x() + 90, card.y()))  # the card's top edge
    ratio = selected.width() / view.viewport().width() if view.viewport().width() else 1

    def near(image: object, point: QPoint) -> bool:
        for dx in range(-3, 4):
            for dy in range(-3, 4):
                c = image.pixelColor(int((point.x() + dx) * ratio), int((point.y() + dy) * ratio))
                if abs(c.red() - colour.red()) + abs(c.green() - colour.green()) + \
                        abs(c.blue() - colour.blue()) < 60:
                    return True
        return False

    assert near(selected, edge) and not near(plain, edge)


# -- keys -------------------------------------------------------------------------------------


def test_arrow_keys_nudge_the_selection(qtbot: QtBot, view: CanvasView,
                                        doc: ProjectDocument) -> None:
    before = state(doc.project)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Right)
    assert state(doc.project) == before, "nothing selected: the keys scroll, nothing moves"
    canvas(view).select(["shop"])
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Down)
    assert journey(doc).touchpoint("shop").y == 120 + GRID
    rhythm(doc, canvas(view), before)
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert journey(doc).touchpoint("shop").x == 260 - 1, "Shift moves one unit"
    assert doc.undo_stack.count() == 2


# -- zoom and pan -------------------------------------------------------------------------------


def test_fit_never_zooms_a_small_map_past_100_percent(qtbot: QtBot, view: CanvasView) -> None:
    view.set_zoom(0.3)
    with qtbot.waitSignal(view.zoom_changed):
        view.fit()
    assert view.zoom() == 1.0
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(canvas(view).fit_rect())


def test_fit_shows_all_of_a_large_map(qtbot: QtBot, view: CanvasView,
                                      doc: ProjectDocument) -> None:
    doc.move_touchpoints("now", {"help": (3000, 2000)})
    view.fit()
    assert view.zoom() < 0.5
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(canvas(view).fit_rect())
    assert shown.contains(canvas(view).card("help").sceneBoundingRect())


def test_zoom_steps_and_reset(qtbot: QtBot, view: CanvasView) -> None:
    zooms: list[float] = []
    view.zoom_changed.connect(zooms.append)
    view.zoom_in()
    view.zoom_in()
    view.zoom_out()
    assert view.zoom() == pytest.approx(ZOOM_STEP)
    view.reset_zoom()
    assert view.zoom() == 1.0
    assert zooms == pytest.approx([ZOOM_STEP, ZOOM_STEP**2, ZOOM_STEP, 1.0])


def _wheel(view: CanvasView, point: QPoint, delta: int,
           modifiers: Qt.KeyboardModifier = NONE) -> None:
    event = QWheelEvent(QPointF(point), QPointF(view.viewport().mapToGlobal(point)), QPoint(),
                        QPoint(0, delta), Qt.MouseButton.NoButton, modifiers,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), event)


def test_ctrl_wheel_zooms_about_the_cursor_and_the_wheel_scrolls(view: CanvasView) -> None:
    cursor = card_point(view, "help")
    under = view.mapToScene(cursor)
    _wheel(view, cursor, 120, CTRL)
    assert view.zoom() == pytest.approx(ZOOM_STEP)
    after = view.mapToScene(cursor)
    assert abs(after.x() - under.x()) < 2 and abs(after.y() - under.y()) < 2
    _wheel(view, cursor, -240, CTRL)
    assert view.zoom() == pytest.approx(1 / ZOOM_STEP)

    view.reset_zoom()
    scroll = view.verticalScrollBar().value()
    _wheel(view, cursor, -120)
    assert view.zoom() == 1.0
    assert view.verticalScrollBar().value() > scroll


def test_middle_drag_and_space_drag_pan(qtbot: QtBot, view: CanvasView) -> None:
    viewport = view.viewport()
    h, v = view.horizontalScrollBar(), view.verticalScrollBar()
    start = (h.value(), v.value())
    middle = Qt.MouseButton.MiddleButton
    qtbot.mousePress(viewport, middle, NONE, QPoint(600, 400))
    qtbot.mouseMove(viewport, QPoint(560, 380))
    assert viewport.cursor().shape() == Qt.CursorShape.ClosedHandCursor
    qtbot.mouseRelease(viewport, middle, NONE, QPoint(560, 380))
    assert (h.value(), v.value()) == (start[0] + 40, start[1] + 20)

    qtbot.keyPress(viewport, Qt.Key.Key_Space)
    assert viewport.cursor().shape() == Qt.CursorShape.OpenHandCursor
    drag(qtbot, view, QPoint(600, 400), QPoint(640, 420))
    assert (h.value(), v.value()) == (start[0], start[1])
    assert canvas(view).selected_touchpoints() == [], "a pan is not a rubber band"
    qtbot.keyRelease(viewport, Qt.Key.Key_Space)
    assert viewport.cursor().shape() != Qt.CursorShape.OpenHandCursor


def test_centre_on_items_brings_them_into_view(view: CanvasView, doc: ProjectDocument) -> None:
    doc.move_touchpoints("now", {"help": (4000, 3000)})
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert not shown.intersects(canvas(view).card("help").sceneBoundingRect())
    view.centre_on_items(["help"])
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(canvas(view).card("help").sceneBoundingRect())
    assert view.zoom() == 1.0, "it never zooms in"
    assert matches_document(canvas(view), doc)


def test_fit_asked_before_the_view_is_shown_happens_when_shown(qtbot: QtBot,
                                                               doc: ProjectDocument) -> None:
    doc.move_touchpoints("now", {"help": (3000, 1500)})
    view = CanvasView(CanvasScene(doc, "now"))
    qtbot.addWidget(view)
    view.fit()  # as a new tab does, before any size is known
    view.resize(1000, 700)
    with qtbot.waitSignal(view.zoom_changed):
        view.show()
    qtbot.waitExposed(view)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(canvas(view).content_rect())
    assert 0.2 < view.zoom() < 1


def test_a_zoom_set_after_an_early_fit_wins(qtbot: QtBot, doc: ProjectDocument) -> None:
    """A saved zoom restored while the tab is hidden is not undone by an earlier fit."""
    view = CanvasView(CanvasScene(doc, "now"))
    qtbot.addWidget(view)
    view.fit()
    view.set_zoom(0.5)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    assert view.zoom() == 0.5


@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")  # offscreen popups
def test_lane_header_context_menu_moves_the_stage(qtbot: QtBot, view: CanvasView,
                                                   doc: ProjectDocument) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QMenu

    before = state(doc.project)
    chosen: list[str] = []

    def choose() -> None:
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        chosen.extend(a.text() for a in menu.actions() if a.text())
        next(a for a in menu.actions() if a.text() == "Move right").trigger()
        menu.close()

    QTimer.singleShot(50, choose)
    header = canvas(view).lane("aware").header_rect()
    point = at(view, header.center().x(), header.center().y())
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point,
                              view.viewport().mapToGlobal(point))
    QApplication.sendEvent(view.viewport(), event)
    assert chosen == ["Rename stage", "Add stage before", "Add stage after", "Move left",
                      "Move right", "Remove stage"]
    assert [s.id for s in journey(doc).stages] == ["buy", "aware", "serve"]
    assert journey(doc).touchpoint("ad").x == 260, "the card moved with its lane"
    rhythm(doc, canvas(view), before)
