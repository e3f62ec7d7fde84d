"""The connection handle: all of the dot, and a few pixels round it, at any zoom.

Pressing anywhere on the dot on a card's right edge (its centre, its inner half over
the card, its outer half) and dragging to another card adds a transition and leaves
the card where it was; the cursor turns to a cross over it first.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from tests.factories import laid_out_project, state
from tests.ui.editor.canvas.checks import journey, rhythm
from tests.ui.editor.canvas.mouse import card_point, drag, handle_centre

ZOOMS = [0.3, 0.6, 1.0, 2.0]
#: Where on the handle, as (x, y) in units of its drawn radius on screen, plus pixels.
SPOTS = {
    "centre": (0.0, 0.0, 0),
    "inner half": (-0.7, 0.0, 0),
    "outer edge": (1.0, 0.0, -1),
    "top edge": (0.0, -1.0, 1),
    "just beside": (1.0, 0.0, 3),
}


@pytest.fixture
def view(qtbot: QtBot, doc: ProjectDocument) -> Iterator[CanvasView]:
    view = CanvasView(CanvasScene(doc, "now"))
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    yield view
    view.close()
    view.canvas().deleteLater()  # now, not whenever the collector finds the document's cycle


def spot(view: CanvasView, touchpoint_id: str, where: str) -> QPoint:
    """A viewport pixel on a card's handle, measured in screen pixels."""
    card = view.canvas().card(touchpoint_id)
    assert card is not None
    across, down, pixels = SPOTS[where]
    radius = card.handle_radius(view.zoom()) * view.zoom()
    length = (across**2 + down**2) ** 0.5 or 1.0
    offset = QPointF(across, down) * radius + QPointF(across, down) / length * pixels
    return (handle_centre(view, touchpoint_id) + offset).toPoint()


@pytest.mark.parametrize("where", SPOTS)
@pytest.mark.parametrize("zoom", ZOOMS)
def test_anywhere_on_the_handle_starts_a_connection_and_the_card_stays(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument, zoom: float, where: str) -> None:
    view.set_zoom(zoom)
    view.centerOn(QPointF(350, 100))
    before = state(doc.project)
    site = view.canvas().card("site")
    assert site is not None
    placed = site.pos()
    start = spot(view, "site", where)
    qtbot.mouseMove(view.viewport(), start)
    assert view.viewport().cursor().shape() == Qt.CursorShape.CrossCursor, "a cross shows it"
    drag(qtbot, view, start, card_point(view, "shop"))
    assert ("site", "shop") in journey(doc).transitions
    assert site.pos() == placed and journey(doc).touchpoint("site").stage == "buy"
    rhythm(doc, view.canvas(), before)


@pytest.mark.parametrize("zoom", ZOOMS)
def test_the_card_body_away_from_the_handle_still_drags_the_card(
        qtbot: QtBot, view: CanvasView, doc: ProjectDocument, zoom: float) -> None:
    view.set_zoom(zoom)
    view.centerOn(QPointF(350, 100))
    site = view.canvas().card("site")
    assert site is not None
    body = view.mapFromScene(site.mapToScene(QPointF(60, 40)))
    qtbot.mouseMove(view.viewport(), body)
    assert view.viewport().cursor().shape() != Qt.CursorShape.CrossCursor
    drag(qtbot, view, body, body + QPoint(0, round(130 * zoom)))
    assert journey(doc).touchpoint("site").y > 0, "the card moved down"
    assert journey(doc).transitions.keys() == laid_out_project().journeys[0].transitions.keys()


def test_the_handle_hit_area_is_in_screen_pixels() -> None:
    """The same few pixels round the dot at every zoom, not the same scene units."""
    scene = CanvasScene(ProjectDocument(laid_out_project()), "now")
    card = scene.card("site")
    assert card is not None
    centre = card.mapToScene(card.handle_rect().center())
    for zoom in ZOOMS:
        radius = card.handle_radius(zoom)
        inside = (radius * zoom + style.HANDLE_SLOP_PIXELS - 0.5) / zoom
        outside = (radius * zoom + style.HANDLE_SLOP_PIXELS + 1.5) / zoom
        assert scene.handle_at(centre + QPointF(inside, 0), zoom) is card
        assert scene.handle_at(centre + QPointF(outside, 0), zoom) is None
        assert scene.handle_at(centre + QPointF(-radius, 0), zoom) is card
    assert scene.handle_at(centre, style.LOD_DETAIL / 2) is None, "none drawn that far out"
