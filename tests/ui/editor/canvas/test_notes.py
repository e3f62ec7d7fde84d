"""Notes on the canvas with real mouse and key events: added by double-click in a cell,
typed in place, dragged within and between cells, linked to a card by dragging from
their handle; each gesture one undo step (edit, check, undo, check, redo, check)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.notes import NoteCard
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from tests.factories import state, story_project
from tests.ui.editor.canvas.mouse import LEFT, NONE, at, card_point, drag
from tests.ui.editor.pictures import drop_files, write_photo

CTRL = Qt.KeyboardModifier.ControlModifier
STAGES = ["aware", "consider", "purchase", "service", "loyalty"]


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(story_project())


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    view = CanvasView(CanvasScene(doc, "current"))
    qtbot.addWidget(view)
    view.resize(1300, 900)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.setFocus()
    view.reset_zoom()
    yield view
    view.close()


def journey(doc: ProjectDocument) -> Journey:
    return doc.journey("current")


def cell_point(view: CanvasView, lane: str, stage: str, dy: float | None = None) -> QPoint:
    """A point in a lane's stage cell (by default below its notes), scrolled into view."""
    row = view.canvas().row(lane)
    assert row is not None
    rect = row.cell(STAGES.index(stage))
    point = QPointF(rect.center().x(), rect.bottom() - 8 if dy is None else rect.top() + dy)
    view.centerOn(point)
    return at(view, point.x(), point.y())


def note_point(view: CanvasView, note_id: str, dx: float = 60, dy: float = 12) -> QPoint:
    card = view.canvas().note_card(note_id)
    assert card is not None
    return at(view, card.x() + dx, card.y() + dy)


def cell_of(doc: ProjectDocument, note_id: str) -> tuple[str, str]:
    note = journey(doc).note(note_id)
    return note.lane, note.stage


def test_double_click_in_a_cell_adds_a_note_and_types_it_in_place(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    before = state(doc.project)
    point = cell_point(view, "pain", "aware")
    qtbot.mouseDClick(view.viewport(), LEFT, NONE, point)
    added = [n for n in journey(doc).notes.values() if (n.lane, n.stage) == ("pain", "aware")]
    assert len(added) == 1 and added[0].text == ""
    note_id = added[0].id
    card = scene.note_card(note_id)
    assert card is not None and card.isSelected()
    assert scene.row("pain").body().contains(card.sceneBoundingRect().center())  # type: ignore[union-attr]
    editor = scene.note_editor()
    assert editor is not None and editor.is_editing()
    qtbot.keyClicks(editor.text_edit(), "Can't find the size guide")
    qtbot.keyClick(editor.text_edit(), Qt.Key.Key_Return)
    assert journey(doc).note(note_id).text == "Can't find the size guide"
    assert doc.undo_stack.count() == 2  # the note, then its text
    typed = state(doc.project)
    doc.undo_stack.undo()
    assert journey(doc).note(note_id).text == ""
    doc.undo_stack.undo()
    assert state(doc.project) == before and scene.note_card(note_id) is None
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert state(doc.project) == typed and scene.note_card(note_id) is not None


def test_a_cell_grows_with_its_notes_text(qtbot: QtBot, view: CanvasView,
                                          doc: ProjectDocument) -> None:
    scene = view.canvas()
    short = scene.row("ideas").height  # type: ignore[union-attr]
    doc.set_note_fields("current", ["chat"], text="Chat instead of calling. " * 12)
    scene.notes()
    assert scene.row("ideas").height > short + 40  # type: ignore[union-attr]
    card = scene.note_card("chat")
    assert card is not None and card.height() > 100
    below = scene.row("front")
    assert below is not None and below.top >= card.sceneBoundingRect().bottom() - 4


def test_drag_a_note_to_another_cell(qtbot: QtBot, view: CanvasView,
                                     doc: ProjectDocument) -> None:
    scene = view.canvas()
    before = state(doc.project)
    start = note_point(view, "worry")
    end = cell_point(view, "pain", "service")
    start = note_point(view, "worry")  # the view scrolled
    drag(qtbot, view, start, end)
    assert cell_of(doc, "worry") == ("pain", "service")
    card = scene.note_card("worry")
    assert card is not None
    assert scene.row("pain").cell(STAGES.index("service")).contains(  # type: ignore[union-attr]
        card.sceneBoundingRect().center())
    moved = state(doc.project)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before and cell_of(doc, "worry") == ("think", "purchase")
    assert scene.row("think").cell(STAGES.index("purchase")).contains(  # type: ignore[union-attr]
        card.sceneBoundingRect().center())
    doc.undo_stack.redo()
    assert state(doc.project) == moved


def test_drag_a_note_above_another_in_its_cell_puts_it_first(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    doc.add_note("current", "ideas", "service", "Text when the parcel leaves")
    doc.undo_stack.clear()
    added = list(journey(doc).notes)[-1]
    scene = view.canvas()
    first = scene.note_card("chat")
    assert first is not None
    cell_point(view, "ideas", "service")
    drag(qtbot, view, note_point(view, added), note_point(view, "chat", dy=4))
    assert [n.id for n in journey(doc).notes_in("ideas", "service")] == [added, "chat"]
    assert scene.note_card(added).y() < first.y()  # type: ignore[union-attr]
    doc.undo_stack.undo()
    assert [n.id for n in journey(doc).notes_in("ideas", "service")] == ["chat", added]


def test_drag_from_a_notes_handle_to_a_card_links_them_and_shows_a_connector(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    before = state(doc.project)
    card = scene.note_card("chat")
    assert card is not None and journey(doc).note("chat").touchpoints == ()
    view.centerOn(QPointF(card.x(), card.y() - 250))
    handle = view.mapFromScene(card.mapToScene(card.handle_centre()))
    drag(qtbot, view, handle, card_point(view, "delivery"))
    assert journey(doc).note("chat").touchpoints == ("delivery",)
    assert card.isSelected() and len(scene.link_lines()) == 1
    line = scene.link_lines()[0]
    assert scene.card("delivery").sceneBoundingRect().adjusted(  # type: ignore[union-attr]
        -2, -2, 2, 2).contains(line.p2())
    scene.select()  # nothing selected: no connector
    assert scene.link_lines() == []
    scene.select(["delivery"])  # the card selected: its notes' connectors
    assert len(scene.link_lines()) == 1
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before and scene.link_lines() == []
    doc.undo_stack.redo()
    assert journey(doc).note("chat").touchpoints == ("delivery",)


def test_ctrl_click_selects_notes_with_cards_and_delete_removes_them_in_one_step(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    before = state(doc.project)
    qtbot.mouseClick(view.viewport(), LEFT, NONE, note_point(view, "sees"))
    qtbot.mouseClick(view.viewport(), LEFT, CTRL, note_point(view, "compares"))
    qtbot.mouseClick(view.viewport(), LEFT, CTRL, card_point(view, "friend_post"))
    assert scene.selected_notes() == ["sees", "compares"]
    assert scene.selected_touchpoints() == ["friend_post"]
    assert scene.delete_selection()
    assert "sees" not in journey(doc).notes and "friend_post" not in journey(doc).touchpoints
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert scene.note_card("sees") is not None and scene.note_card("compares") is not None


def test_rubber_band_takes_notes(qtbot: QtBot, view: CanvasView, doc: ProjectDocument) -> None:
    scene = view.canvas()
    row = scene.row("do")
    assert row is not None
    view.centerOn(row.body().center())
    drag(qtbot, view, at(view, row.left + 2, row.top - 10),
         at(view, row.left + 2 * 260 - 4, row.bottom - 2))
    assert scene.selected_notes() == ["sees", "compares"]


def test_copy_paste_duplicate_and_f2_on_notes(qtbot: QtBot, view: CanvasView,
                                              doc: ProjectDocument) -> None:
    scene = view.canvas()
    scene.select_notes(["stock"])
    assert scene.copy_selection()
    before = state(doc.project)
    pasted = scene.paste(at=scene.row("pain").cell(STAGES.index("loyalty")).center())  # type: ignore[union-attr]
    assert pasted == []  # no cards
    copies = [n for n in journey(doc).notes.values() if n.text == "Out of stock in store"]
    assert [(n.lane, n.stage) for n in copies] == [("pain", "purchase"), ("pain", "loyalty")]
    assert copies[1].touchpoints == ("store_visit",)
    assert scene.selected_notes() == [copies[1].id]
    doc.undo_stack.undo()
    assert state(doc.project) == before
    scene.select_notes(["stock"])
    scene.duplicate_selection()
    assert [n.id for n in journey(doc).notes_in("pain", "purchase")] == ["stock", "stock-2"]
    assert scene.rename_selected()
    editor = scene.note_editor()
    assert editor is not None and editor.is_editing()
    assert editor.text_edit().toPlainText() == "Out of stock in store"
    qtbot.keyClick(editor.text_edit(), Qt.Key.Key_Escape)
    assert not editor.is_editing()


def test_notes_follow_the_theme(qtbot: QtBot, view: CanvasView) -> None:
    from cx_mapper.ui.look import palette
    scene = view.canvas()
    card = scene.note_card("stock")
    assert isinstance(card, NoteCard)
    light = card._fill  # noqa: SLF001 - what it paints with
    scene.set_palette(palette.DARK)
    QApplication.processEvents()
    assert card._fill != light  # noqa: SLF001
    assert palette.contrast(card._ink, card._fill) >= 4.5  # noqa: SLF001


def test_a_picture_file_dropped_on_a_note_shows_on_it(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument, tmp_path: Path) -> None:
    scene = view.canvas()
    card = scene.note_card("chat")
    assert card is not None and card.thumbnail_rect().isEmpty()
    before = state(doc.project)
    told: list[str] = []
    scene.told.connect(told.append)
    picture = write_photo(tmp_path / "whiteboard.png", 640, 480)
    cell_point(view, "ideas", "service")
    assert drop_files(view.viewport(), picture, at=note_point(view, "chat"))
    image = journey(doc).note("chat").image
    assert image is not None and doc.project.images[image].media_type == "image/png"
    assert not card.thumbnail_rect().isEmpty() and card.height() >= 56
    assert told == ["whiteboard.png is now the picture of the note."]
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before and card.thumbnail_rect().isEmpty()
