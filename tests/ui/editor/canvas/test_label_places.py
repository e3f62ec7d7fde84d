"""Arrows and their labels as a reader meets them: every % readable, every arrow its own.

Measured on the geometry drawn, not on pictures: a label's rect against the cards'
bodies, the other labels and every other arrow's line stroked at its width with its
head. On screen (the canvas with the analysis's marks, arrows as wide as their flow)
and in the summary's map, for every sample journey and for journeys imported from path
data and from an event log: no label touches anything, and no two arrows run along
one line. On a 200-touchpoint map laid out by stage, under 2% of the labels touch
anything (the count is printed).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QGraphicsScene
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.layout import layout_by_stage
from cx_mapper.persistence.event_log import read_event_log
from cx_mapper.persistence.json_format import read_project
from cx_mapper.persistence.path_data import read_path_data
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.canvas.picture import card_body, draw_journey
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.export.map_picture import MAP_OVERLAYS
from tests.benchmarks.journeys import random_journey
from tests.factories import ROOT
from tests.ui.editor.canvas.checks import shared_stretches, touched_labels

PROJECTS = ROOT / "projects"
SAMPLES = [(path.stem, journey.id) for path in sorted(PROJECTS.glob("*.json"))
           for journey in read_project(path).journeys]
IMPORTED = ["channel-paths", "retail-events"]


def imported(name: str) -> Project:
    """A journey read from the sample data and laid out by stage, as File > Import does."""
    path = PROJECTS / "data" / f"{name}.csv"
    journey = (read_path_data(path) if name == "channel-paths" else read_event_log(path)).journey
    return laid_out(journey)


def laid_out(journey: Journey) -> Project:
    for touchpoint_id, (x, y) in layout_by_stage(journey).items():
        journey.update_touchpoint(touchpoint_id, x=x, y=y)
    return Project(name="Imported", journeys=[journey])


def cases() -> list[tuple[str, str]]:
    return [*SAMPLES, *((name, "") for name in IMPORTED)]


def project_of(name: str) -> Project:
    return imported(name) if name in IMPORTED else read_project(PROJECTS / f"{name}.json")


def on_screen(project: Project, journey_id: str, qtbot: QtBot) -> CanvasScene:
    """The canvas as the user sees it once the analysis has arrived: arrows as wide as
    their flow (a wider line moves the labels it covers on the next turn of the loop)."""
    scene = CanvasScene(ProjectDocument(project), journey_id)
    scene.set_analysis(analyze(project, journey_id), Overlays())
    qtbot.wait(20)
    return scene


def summary_map(project: Project, journey_id: str) -> QGraphicsScene:
    """The map as the summary draws it."""
    scene = QGraphicsScene()
    draw_journey(scene, project, project.journey(journey_id), analyze(project, journey_id),
                 overlays=MAP_OVERLAYS)
    return scene


@pytest.mark.parametrize(("name", "journey_id"), cases())
def test_no_label_touches_a_card_a_label_or_a_line_on_screen(
    qtbot: QtBot, name: str, journey_id: str
) -> None:
    project = project_of(name)
    journey_id = journey_id or project.journeys[0].id
    scene = on_screen(project, journey_id, qtbot)
    assert len(scene.arrows()) == len(project.journey(journey_id).transitions)
    assert touched_labels(scene) == {}
    assert shared_stretches(scene) == []


@pytest.mark.parametrize(("name", "journey_id"), cases())
def test_no_label_touches_a_card_a_label_or_a_line_in_the_summary(
    qapp: object, name: str, journey_id: str
) -> None:
    project = project_of(name)
    journey_id = journey_id or project.journeys[0].id
    scene = summary_map(project, journey_id)
    assert touched_labels(scene) == {}
    assert shared_stretches(scene) == []


def test_on_a_200_touchpoint_map_under_2_percent_of_labels_touch_anything(
    qapp: object, capsys: pytest.CaptureFixture[str]
) -> None:
    project = laid_out(random_journey(200).journeys[0])
    journey = project.journeys[0]
    scene = summary_map(project, journey.id)
    touched = touched_labels(scene)
    labels = len(journey.transitions)
    with capsys.disabled():
        print(f"\n200 touchpoints laid out by stage: {len(touched)} of {labels} labels touch "
              f"a card, a label or another line ({100 * len(touched) / labels:.1f}%)")
    assert len(touched) < 0.02 * labels


def test_loops_back_from_one_card_take_separate_routes_and_keep_their_labels_clear(
    qapp: object,
) -> None:
    """Two loops back from the last card, to the first two stages: not one dashed route."""
    journey = Journey("j", stages=[Stage(s, s.title()) for s in ("a", "b", "c")])
    for tid, stage, x in (("first", "a", 0), ("second", "b", 260), ("last", "c", 520)):
        journey.add_touchpoint(Touchpoint(tid, tid.title(), stage=stage, x=x, y=0,
                                          entry=1.0 if tid == "first" else 0.0))
    for key, p in ((("first", "second"), 0.9), (("second", "last"), 0.8),
                   (("last", "first"), 0.3), (("last", "second"), 0.2)):
        journey.add_transition(Transition(*key, p))
    project = Project(name="Loops", journeys=[journey])
    scene = summary_map(project, "j")
    back = [a for a in scene.items() if getattr(a, "key", None) in
            {("last", "first"), ("last", "second")}]
    assert [a.kind for a in back] == ["backward", "backward"]
    assert shared_stretches(scene) == []
    assert touched_labels(scene) == {}
    paths = [a.path() for a in back]
    assert paths[0] != paths[1]


def test_a_label_sits_by_the_card_its_arrow_leaves(qapp: object) -> None:
    """Each % reads next to the card it is a share of, in a column beside the card."""
    project = read_project(PROJECTS / "retail-omnichannel.json")
    scene = summary_map(project, "current")
    cards = {c.touchpoint.id: card_body(c) for c in scene.items()
             if isinstance(c, TouchpointCard)}
    beside = 0
    arrows = [a for a in scene.items() if isinstance(a, TransitionArrow) and a.kind != "self"]
    for arrow in arrows:
        card, label = cards[arrow.key[0]], arrow.label_rect()
        if 0 < label.left() - card.right() <= 6 and card.top() - 9 <= label.center().y() \
                <= card.bottom() + 9:
            beside += 1
    assert beside >= 0.9 * len(arrows)


def test_moving_a_card_keeps_every_label_clear(qtbot: QtBot) -> None:
    """Arrows follow a card dragged to a free spot; their labels, and the labels their
    new lines pass, stay clear."""
    project = read_project(PROJECTS / "hotel-stay.json")
    journey_id = project.journeys[0].id
    document = ProjectDocument(project)
    scene = CanvasScene(document, journey_id)
    card = next(iter(scene.cards().values()))
    free = QRectF(card.pos().x(), 600, 1, 1).topLeft()
    document.move_touchpoints(journey_id, {card.touchpoint.id: (free.x(), free.y())})
    qtbot.wait(50)
    assert touched_labels(scene) == {}
    assert shared_stretches(scene) == []
