"""The Inspector's picture: a touchpoint's photo full width, Choose… and Remove, drops,
each one undo step; a refused file says why under the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor import image_field
from cx_mapper.ui.editor.images import PHOTO_SIDE
from cx_mapper.ui.editor.inspector import Inspector
from tests.factories import state
from tests.ui.editor.panels import shown
from tests.ui.editor.pictures import drop_files, write_photo


@pytest.fixture
def inspector(qtbot: QtBot, doc: ProjectDocument) -> Inspector:
    widget = shown(qtbot, Inspector(doc), 360, 900)
    qtbot.waitExposed(widget)
    touchpoint = next(iter(doc.project.journey("now").touchpoints))
    widget.set_selection("now", [touchpoint])
    return widget


def shown_image(doc: ProjectDocument, inspector: Inspector) -> str | None:
    touchpoint = inspector.selected_touchpoints()[0]
    return doc.project.journey("now").touchpoint(touchpoint).image


def test_choose_and_remove_a_picture_one_step_each(
        qtbot: QtBot, doc: ProjectDocument, inspector: Inspector, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    field = inspector.picture_field
    assert field.isVisible() and not field.remove_button.isEnabled()
    assert field.view.picture() is None
    photo = write_photo(tmp_path / "shelf.jpg", 2400, 1600, "JPEG")
    monkeypatch.setattr(image_field, "choose_image_file", lambda *_: str(photo))
    before = state(doc.project)
    qtbot.mouseClick(field.choose_button, Qt.MouseButton.LeftButton)
    image_id = shown_image(doc, inspector)
    assert image_id is not None
    stored = QImage.fromData(doc.project.images[image_id].data)
    assert stored.width() == PHOTO_SIDE  # downscaled from 2,400
    # Shown full width (the Inspector's), in its proportions.
    assert field.view.picture() is not None
    drawn = field.view.picture_rect()
    assert drawn.width() == field.view.width()
    assert abs(drawn.height() - drawn.width() * 2 / 3) <= 1
    assert field.remove_button.isEnabled()
    after = state(doc.project)

    doc.undo_stack.undo()
    assert state(doc.project) == before and field.view.picture() is None
    doc.undo_stack.redo()
    assert state(doc.project) == after and field.view.picture() is not None

    qtbot.mouseClick(field.remove_button, Qt.MouseButton.LeftButton)
    assert shown_image(doc, inspector) is None and image_id not in doc.project.images
    assert field.view.picture() is None and not field.remove_button.isEnabled()
    doc.undo_stack.undo()
    assert state(doc.project) == after and field.view.picture() is not None
    doc.undo_stack.redo()
    assert state(doc.project) == before


def test_a_picture_dropped_on_the_field_is_taken(doc: ProjectDocument, inspector: Inspector,
                                                tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "screen.png", 300, 200, "PNG")
    assert drop_files(inspector.picture_field.view, photo)
    image_id = shown_image(doc, inspector)
    assert image_id is not None and doc.project.images[image_id].data == photo.read_bytes()


def test_a_refused_file_says_why_under_the_field(doc: ProjectDocument, inspector: Inspector,
                                                tmp_path: Path) -> None:
    before = state(doc.project)
    odd = write_photo(tmp_path / "scan.bmp", 40, 40, "BMP")
    drop_files(inspector.picture_field.view, odd)
    assert state(doc.project) == before
    message = inspector.picture_field.message_text()
    assert message.startswith("scan.bmp: BMP pictures cannot go in a project")
    assert message.endswith("Nothing was changed.")


def test_only_one_touchpoint_at_a_time_has_a_picture_field(doc: ProjectDocument,
                                                          inspector: Inspector) -> None:
    touchpoints = list(doc.project.journey("now").touchpoints)[:2]
    inspector.set_selection("now", touchpoints)
    assert not inspector.picture_field.isVisible()
    inspector.set_selection("now", [])
    assert not inspector.picture_field.isVisible()
    inspector.set_selection("now", touchpoints[:1])
    assert inspector.picture_field.isVisible()
