"""A journey drawn from the model alone: the editor's picture, with no document.

`draw_journey` must put the same cards, arrows and lanes where the editing scene puts
them, with the same marks, into a plain QGraphicsScene, and make no ProjectDocument or
undo stack on the way. A stale result's marks are dimmed, never shown as current.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage, QPainter, QUndoStack
from PySide6.QtWidgets import QGraphicsScene
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.persistence.json_format import read_project
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.lanes import StageLane
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.canvas.picture import draw_journey
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.style import STALE_STRENGTH
from cx_mapper.ui.look import palette
from tests.factories import RETAIL_SAMPLE, graph_only

SAMPLE = RETAIL_SAMPLE
JOURNEY = "current"


@pytest.fixture
def project() -> Project:
    """The sample's graph: the picture is the map of touchpoints (the summary draws the
    lanes under it itself), where the editor also has rows for the lanes."""
    return graph_only(read_project(SAMPLE))


def items_of(scene: QGraphicsScene) -> tuple[dict[str, TouchpointCard],
                                              dict[tuple[str, str], TransitionArrow],
                                              dict[str, StageLane]]:
    items = scene.items()
    return ({i.touchpoint.id: i for i in items if isinstance(i, TouchpointCard)},
            {i.key: i for i in items if isinstance(i, TransitionArrow)},
            {i.stage_id: i for i in items if isinstance(i, StageLane)})


def test_the_picture_is_the_editors_map(qtbot: QtBot, project: Project) -> None:
    analysis = analyze(project, JOURNEY)
    editor = CanvasScene(ProjectDocument(project), JOURNEY)
    editor.set_palette(palette.LIGHT)
    editor.set_analysis(analysis, Overlays())
    picture = QGraphicsScene()
    content = draw_journey(picture, project, project.journey(JOURNEY), analysis,
                           overlays=Overlays(), palette=palette.LIGHT)
    assert type(picture) is QGraphicsScene
    assert content == editor.content_rect()
    assert picture.sceneRect() == editor.sceneRect()
    cards, arrows, lanes = items_of(picture)
    assert set(cards) == set(editor.cards()) and set(arrows) == set(editor.arrows())
    assert set(lanes) == set(editor.lanes())
    for touchpoint_id, card in cards.items():
        drawn = editor.card(touchpoint_id)
        assert drawn is not None
        assert card.pos() == drawn.pos()
        assert card.visits() == drawn.visits() and card.loyalty_badge() == drawn.loyalty_badge()
    for key, arrow in arrows.items():
        drawn_arrow = editor.arrow(key)
        assert drawn_arrow is not None
        assert arrow.shape().boundingRect() == drawn_arrow.shape().boundingRect()
        assert arrow.flow_width() == drawn_arrow.flow_width()
    for stage_id, lane in lanes.items():
        drawn_lane = editor.lane(stage_id)
        assert drawn_lane is not None and lane.rect() == drawn_lane.rect()


def test_the_picture_needs_no_document_or_undo_stack(
        qtbot: QtBot, project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    undo_init = QUndoStack.__init__
    monkeypatch.setattr(ProjectDocument, "__init__",
                        lambda *_a, **_k: pytest.fail("a picture made a ProjectDocument"))

    def record(self: QUndoStack, *args: object) -> None:
        made.append("undo stack")
        undo_init(self, *args)

    monkeypatch.setattr(QUndoStack, "__init__", record)
    scene = QGraphicsScene()
    draw_journey(scene, project, project.journey(JOURNEY), analyze(project, JOURNEY))
    assert made == []
    assert len(items_of(scene)[0]) == len(project.journey(JOURNEY).touchpoints)


def test_without_an_analysis_the_picture_has_no_marks(qtbot: QtBot, project: Project) -> None:
    scene = QGraphicsScene()
    draw_journey(scene, project, project.journey(JOURNEY))
    cards, arrows, _ = items_of(scene)
    assert all(c.visits() is None and c.loyalty_badge() is None for c in cards.values())
    assert {a.flow_width() for a in arrows.values()} == {style.ARROW_WIDTH}


# -- stale marks ---------------------------------------------------------------------------
def render(card: TouchpointCard) -> QImage:
    scene = QGraphicsScene()
    scene.addItem(card)
    image = QImage(260, 140, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    rect = card.sceneBoundingRect()
    scene.render(painter, image.rect().toRectF(), rect)
    painter.end()
    scene.removeItem(card)
    return image


def test_stale_marks_stay_but_are_dimmed_until_the_next_result(
        qtbot: QtBot, project: Project) -> None:
    doc = ProjectDocument(project)
    scene = CanvasScene(doc, JOURNEY)
    analysis = analyze(project, JOURNEY)
    scene.set_analysis(analysis, Overlays())
    card = scene.card("delivery")
    assert card is not None
    badge, visits = card.loyalty_badge(), card.visits()
    strengths = {k: a.strength() for k, a in scene.arrows().items()}
    assert not scene.is_stale() and not card.is_stale()

    scene.set_stale(True)
    assert scene.is_stale() and card.is_stale()
    assert card.loyalty_badge() == badge and card.visits() == visits  # no flicker
    assert all(a.strength() <= STALE_STRENGTH for a in scene.arrows().values())

    scene.set_analysis(analysis)
    assert not scene.is_stale() and not card.is_stale()
    assert {k: a.strength() for k, a in scene.arrows().items()} == strengths


def test_a_stale_card_paints_its_marks_fainter(qtbot: QtBot, project: Project) -> None:
    journey = project.journey(JOURNEY)
    card = TouchpointCard(journey.touchpoint("delivery"), "", palette.LIGHT)
    card.setPos(QPointF(0, 0))
    card.set_visits(1.0)
    card.set_loyalty(-0.5)
    current = render(card)
    card.set_stale(True)
    stale = render(card)
    assert current != stale

    def darkness(image: QImage) -> int:
        return sum(255 - QColor(image.pixel(x, y)).lightness()
                   for x in range(0, image.width(), 2) for y in range(0, image.height(), 2))

    assert darkness(stale) < darkness(current)  # the bar and badge are paler


def test_a_stale_scene_without_marks_is_not_stale(qtbot: QtBot, project: Project) -> None:
    scene = CanvasScene(ProjectDocument(project), JOURNEY)
    scene.set_stale(True)
    assert not scene.is_stale()  # nothing drawn could be mistaken for current
