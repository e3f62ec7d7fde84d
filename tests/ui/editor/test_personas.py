"""The Personas panel: a card per persona, grouped by segment; every edit one undo step
through the document, typing in a field one step; portraits dropped or chosen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor import persona_card
from cx_mapper.ui.editor.images import PORTRAIT_SIDE
from cx_mapper.ui.editor.personas import EMPTY_PROJECT, PersonasPanel
from cx_mapper.ui.editor.portrait import PortraitButton
from cx_mapper.ui.main_window import MainWindow
from tests.factories import state, story_project
from tests.ui.editor.pictures import drop_files, shown, write_photo


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(story_project())


@pytest.fixture
def panel(qtbot: QtBot, doc: ProjectDocument) -> PersonasPanel:
    widget = PersonasPanel(doc)
    qtbot.addWidget(widget)
    widget.resize(1300, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def rhythm(doc: ProjectDocument, before: object, after: object) -> None:
    """Undo shows `before`, redo `after`: one step."""
    assert state(doc.project) == after
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


def test_cards_are_grouped_by_segment_and_show_every_persona(panel: PersonasPanel,
                                                             doc: ProjectDocument) -> None:
    ana = panel.card("ana")
    assert ana is not None and ana.name_edit.text() == "Ana, 34"
    assert ana.quote_edit.toPlainText() == "I just want it to arrive on time."
    assert ana.list_edits["frustrations"].toPlainText() == "\N{BULLET} Calling twice"
    assert ana.portrait.has_picture()
    sam = panel.card("sam")
    assert sam is not None and not sam.portrait.has_picture()
    assert panel.section("all") is not None and panel.section("social") is not None
    assert sam.parentWidget() is not ana.parentWidget()
    # Several personas per segment: all of them are shown, in the project's order.
    doc.add_persona("all", "Priya")
    assert [c.persona_id for c in panel.cards()][:2] == ["ana", "priya"]
    assert panel.section("all").count_label.text() == "2 personas"  # type: ignore[union-attr]


def test_add_a_persona_and_type_its_name_one_step_each(qtbot: QtBot, panel: PersonasPanel,
                                                       doc: ProjectDocument) -> None:
    section = panel.section("social")
    assert section is not None
    start = state(doc.project)
    click(qtbot, section.add_button)
    added = [p for p in doc.project.personas_of("social") if p.id != "sam"]
    assert len(added) == 1
    card = panel.card(added[0].id)
    assert card is not None and card.name_edit.hasFocus()
    empty = state(doc.project)

    qtbot.keyClicks(card.name_edit, "Lee, 29")
    assert doc.project.persona(card.persona_id).name == "Lee, 29"
    assert card.portrait.accessibleName() == "Portrait of Lee, 29"
    named = state(doc.project)
    rhythm(doc, empty, named)  # seven keys, one step
    doc.undo_stack.undo()
    assert card.name_edit.text() == ""
    doc.undo_stack.undo()
    assert state(doc.project) == start and panel.card(card.persona_id) is None
    doc.undo_stack.redo()
    doc.undo_stack.redo()
    assert state(doc.project) == named
    assert panel.card(card.persona_id).name_edit.text() == "Lee, 29"  # type: ignore[union-attr]


def test_lists_are_typed_one_item_per_line(qtbot: QtBot, panel: PersonasPanel,
                                          doc: ProjectDocument) -> None:
    card = panel.card("sam")
    assert card is not None
    goals = card.list_edits["goals"]
    before = state(doc.project)
    click(qtbot, goals)
    qtbot.keyClicks(goals, "Be heard")
    qtbot.keyClick(goals, Qt.Key.Key_Return)
    qtbot.keyClick(goals, Qt.Key.Key_Return)  # a blank line is no goal
    qtbot.keyClicks(goals, "  Quick answers ")
    assert doc.project.persona("sam").goals == ("Be heard", "Quick answers")
    assert goals.toPlainText() == "Be heard\n\n  Quick answers "  # the typing stays as typed
    rhythm(doc, before, state(doc.project))
    # Leaving the field ends the step (the quote typed next is a step of its own) and
    # shows the list as stored, each item with a bullet, so a wrapped item reads as one.
    click(qtbot, card.quote_edit)
    assert goals.toPlainText() == "• Be heard\n• Quick answers"
    qtbot.keyClick(card.quote_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(card.quote_edit, "Reply fast.")
    assert doc.project.persona("sam").quote == "Reply fast."
    doc.undo_stack.undo()
    assert doc.project.persona("sam").goals == ("Be heard", "Quick answers")
    assert card.quote_edit.toPlainText() == "If it's bad, everyone hears."


def test_pasted_bullets_are_not_kept(qtbot: QtBot, panel: PersonasPanel,
                                     doc: ProjectDocument) -> None:
    card = panel.card("sam")
    assert card is not None
    card.list_edits["needs"].setPlainText("- Answers fast\n* In one place\n• -5 % off")
    assert doc.project.persona("sam").needs == ("Answers fast", "In one place", "-5 % off")


def test_remove_and_reorder_through_the_card(qtbot: QtBot, panel: PersonasPanel,
                                            doc: ProjectDocument) -> None:
    doc.add_persona("all", "Priya", goals=["Fewer calls"])
    priya = next(p.id for p in doc.project.personas if p.name == "Priya")
    ana = panel.card("ana")
    assert ana is not None and not ana.up_button.isEnabled() and ana.down_button.isEnabled()
    before = state(doc.project)
    click(qtbot, ana.down_button)
    assert [c.persona_id for c in panel.cards()][:2] == [priya, "ana"]
    assert ana.up_button.isEnabled() and not ana.down_button.isEnabled()
    rhythm(doc, before, state(doc.project))

    before = state(doc.project)
    card = panel.card(priya)
    assert card is not None
    click(qtbot, card.remove_button)
    assert panel.card(priya) is None and priya not in {p.id for p in doc.project.personas}
    doc.undo_stack.undo()
    assert state(doc.project) == before
    assert panel.card(priya).list_edits["goals"].toPlainText() == "• Fewer calls"  # type: ignore[union-attr]
    doc.undo_stack.redo()
    assert panel.card(priya) is None


def test_a_dropped_portrait_is_downscaled_and_undoable(qtbot: QtBot, panel: PersonasPanel,
                                                       doc: ProjectDocument,
                                                       tmp_path: Path) -> None:
    card = panel.card("sam")
    assert card is not None
    before = state(doc.project)
    photo = write_photo(tmp_path / "sam.jpg", 1500, 2000, "JPEG")
    assert drop_files(card.portrait, photo)
    image_id = doc.project.persona("sam").image
    assert image_id is not None
    image = doc.project.images[image_id]
    shown = QImage.fromData(image.data)
    assert (shown.width(), shown.height()) == (384, PORTRAIT_SIDE)
    assert image.media_type == "image/jpeg"
    assert card.portrait.has_picture() and card.remove_picture_button.isVisible()
    after = state(doc.project)
    rhythm(doc, before, after)
    doc.undo_stack.undo()
    assert not card.portrait.has_picture() and image_id not in doc.project.images
    doc.undo_stack.redo()
    # Remove picture: the initials again, and the image leaves the project with it.
    click(qtbot, card.remove_picture_button)
    assert doc.project.persona("sam").image is None and image_id not in doc.project.images
    assert not card.portrait.has_picture()
    rhythm(doc, after, state(doc.project))


def test_a_refused_file_says_why_and_changes_nothing(qtbot: QtBot, panel: PersonasPanel,
                                                     doc: ProjectDocument,
                                                     tmp_path: Path) -> None:
    card = panel.card("ana")
    assert card is not None
    before = state(doc.project)
    text = tmp_path / "brief.txt"
    text.write_text("not a picture")
    drop_files(card.portrait, text)
    assert state(doc.project) == before and doc.undo_stack.count() == 0
    message = panel.message_text()
    assert message.startswith("brief.txt: not a picture CX Mapper can read")
    assert message.endswith("Nothing was changed.")


def test_clicking_the_portrait_chooses_a_file(qtbot: QtBot, panel: PersonasPanel,
                                             doc: ProjectDocument, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    photo = write_photo(tmp_path / "lee.png", 200, 200, "PNG")
    monkeypatch.setattr(persona_card, "choose_image_file", lambda *_: str(photo))
    card = panel.card("sam")
    assert card is not None
    click(qtbot, card.portrait)
    image_id = doc.project.persona("sam").image
    assert image_id is not None
    assert doc.project.images[image_id].data == photo.read_bytes()  # small: kept as it is
    # Keyboard: the portrait takes focus and Space chooses too.
    doc.undo_stack.undo()
    card.portrait.setFocus()
    qtbot.keyClick(card.portrait, Qt.Key.Key_Space)
    assert doc.project.persona("sam").image is not None


def test_a_portrait_is_drawn_round_with_initials_until_it_has_a_picture(
        qtbot: QtBot, panel: PersonasPanel) -> None:
    card = panel.card("sam")
    assert card is not None
    portrait: PortraitButton = card.portrait
    grab = portrait.grab().toImage()
    ratio = grab.devicePixelRatio()
    centre = grab.pixelColor(round(grab.width() / 2), round(grab.height() * 0.2))
    corner = grab.pixelColor(1, 1)
    assert centre != corner  # a filled circle; the corner is outside it
    from cx_mapper.ui.editor.portrait import initials
    assert initials("Sam, 22") == "S" and initials("Ana Souza") == "AS" and ratio > 0


def test_an_empty_project_says_what_to_do(qtbot: QtBot) -> None:
    doc = ProjectDocument(Project(name="Empty", segments=[], journeys=[]))
    widget = PersonasPanel(doc)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.empty_label.isVisible() and widget.empty_label.text() == EMPTY_PROJECT
    assert widget.cards() == []


def test_segments_and_personas_link_both_ways(qtbot: QtBot, window: MainWindow) -> None:
    doc = window.document
    first = doc.project.segments[0].id
    second = doc.add_segment(name="Families")
    doc.add_persona(first, "Ana")
    lee = doc.add_persona(second, "Lee")
    window.show_dock(window.segments_dock, window.segments)
    table = window.segments.table
    row = window.segments.model.row_of(second)
    rect = table.visualRect(window.segments.model.index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.personas.current_segment() == second
    assert window.personas.section(second).is_current()  # type: ignore[union-attr]
    assert not window.personas.section(first).is_current()  # type: ignore[union-attr]

    # The table's Personas button shows that segment's personas.
    click(qtbot, window.segments.personas_button)
    assert shown(window.personas) and not shown(table)  # tabbed: Personas on top
    card = window.personas.card(lee)
    assert card is not None
    qtbot.waitUntil(lambda: shown(card))

    # A card's Segment link selects its segment's row in the Segments table.
    window.segments.select(first)
    click(qtbot, card.segment_button)
    assert shown(table) and not shown(card)
    assert window.segments.current_segment_id() == second
    # Keyboard: View > Personas has a shortcut, and the panel takes the focus.
    window.show_dock(window.segments_dock, window.segments)
    qtbot.keyClick(window, Qt.Key.Key_O,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert shown(window.personas)


def test_selecting_a_segment_scrolls_to_its_personas(qtbot: QtBot, panel: PersonasPanel) -> None:
    panel.resize(680, 240)  # a narrow dock: segments one under another
    qtbot.waitUntil(lambda: panel.scroll_area.verticalScrollBar().maximum() > 0)
    social = panel.section("social")
    assert social is not None and not shown(social.heading)
    panel.show_segment("social")
    qtbot.waitUntil(lambda: shown(social.heading))
    assert social.is_current() and not panel.section("all").is_current()  # type: ignore[union-attr]
    assert panel.scroll_area.verticalScrollBar().value() > 0
