"""Pictures on touchpoint cards: a picture file dropped on a card is its picture (one
undo step), refused files say why, and the card shows a thumbnail when zoomed in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.editor.images import PHOTO_SIDE
from tests.factories import png_bytes, state
from tests.ui.editor.canvas.mouse import card_point
from tests.ui.editor.pictures import drop_files, write_photo

RED = (220, 20, 30)


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    view = CanvasView(CanvasScene(doc, "now"))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    view.reset_zoom()
    view.centerOn(QPointF(380, 200))
    yield view
    view.close()


def first_touchpoint(doc: ProjectDocument) -> str:
    return next(iter(doc.project.journey("now").touchpoints))


def image_of(doc: ProjectDocument, touchpoint_id: str) -> str | None:
    return doc.project.journey("now").touchpoint(touchpoint_id).image


def test_a_picture_dropped_on_a_card_is_its_picture(qtbot: QtBot, doc: ProjectDocument,
                                                    view: CanvasView, tmp_path: Path) -> None:
    touchpoint = first_touchpoint(doc)
    photo = write_photo(tmp_path / "shelf.jpg", 3200, 2400, "JPEG")
    said: list[str] = []
    view.image_drop.shown.connect(said.append)
    before = state(doc.project)
    assert drop_files(view.viewport(), photo, at=card_point(view, touchpoint))
    image_id = image_of(doc, touchpoint)
    assert image_id is not None
    assert QImage.fromData(doc.project.images[image_id].data).width() == PHOTO_SIDE
    assert said and said[0].startswith("shelf.jpg is now the picture of")
    after = state(doc.project)
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


def test_a_drop_beside_the_cards_is_not_taken(doc: ProjectDocument, view: CanvasView,
                                             tmp_path: Path) -> None:
    photo = write_photo(tmp_path / "shelf.png", 200, 100, "PNG")
    before = state(doc.project)
    empty = view.mapFromScene(QPointF(-400, -400))
    assert not drop_files(view.viewport(), photo, at=empty)
    assert state(doc.project) == before


def test_a_refused_file_on_a_card_says_why(doc: ProjectDocument, view: CanvasView,
                                          tmp_path: Path) -> None:
    touchpoint = first_touchpoint(doc)
    text = tmp_path / "minutes.txt"
    text.write_text("workshop minutes")
    said: list[str] = []
    view.image_drop.refused.connect(said.append)
    before = state(doc.project)
    drop_files(view.viewport(), text, at=card_point(view, touchpoint))
    assert state(doc.project) == before
    assert said == ["minutes.txt: not a picture CX Mapper can read; add a PNG, JPEG or WebP "
                    "picture. Nothing was changed."]


def thumbnail_colour(view: CanvasView, touchpoint: str) -> QColor:
    card = view.canvas().card(touchpoint)
    assert card is not None
    centre = card.mapToScene(QPointF(style.CARD_WIDTH - 9 - style.THUMBNAIL_SIZE / 2,
                                     style.CARD_HEIGHT / 2))
    view.viewport().repaint()
    grab = view.viewport().grab().toImage()
    point = view.mapFromScene(centre)
    ratio = grab.devicePixelRatio()
    return grab.pixelColor(round(point.x() * ratio), round(point.y() * ratio))


def is_red(colour: QColor) -> bool:
    return colour.red() > 180 and colour.green() < 70 and colour.blue() < 80


def test_the_card_shows_a_thumbnail_when_zoomed_in_and_none_far_out(
        doc: ProjectDocument, view: CanvasView) -> None:
    touchpoint = first_touchpoint(doc)
    card = view.canvas().card(touchpoint)
    assert card is not None
    lines_before = list(card.name_lines)
    assert not is_red(thumbnail_colour(view, touchpoint))
    doc.set_touchpoint_image("now", touchpoint, png_bytes(64, 48, RED), "image/png")
    assert is_red(thumbnail_colour(view, touchpoint))  # at 100 %
    view.set_zoom(0.6)
    assert is_red(thumbnail_colour(view, touchpoint))
    view.set_zoom(style.LOD_TEXT * 0.8)  # far out: the name alone, no picture
    assert not is_red(thumbnail_colour(view, touchpoint))
    # The name makes room for the picture, and gets it back when the picture goes.
    assert card.thumbnail_rect().width() == style.THUMBNAIL_SIZE
    doc.undo_stack.undo()
    assert card.thumbnail_rect().isEmpty() and card.name_lines == lines_before
    view.set_zoom(1.0)
    assert not is_red(thumbnail_colour(view, touchpoint))
