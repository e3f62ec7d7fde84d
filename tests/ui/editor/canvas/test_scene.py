"""The canvas scene mirrors the document and edits only through it.

Each edit follows the rhythm edit, check, undo, check, redo, check, and checks what
a user would see: cards, arrows and lanes appearing, moving and going.
"""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.engine.layout import GRID, LANE_WIDTH
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import clipboard, style
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.scene import LANE_MARGIN, CanvasScene
from cx_mapper.ui.look import palette
from tests.factories import laid_out_project, state
from tests.ui.editor.canvas.checks import drawn, journey, matches_document, rhythm

# -- building and following the document ------------------------------------------------


def test_scene_draws_every_stage_touchpoint_and_transition(scene: CanvasScene,
                                                           doc: ProjectDocument) -> None:
    assert matches_document(scene, doc)
    assert scene.journey_id == "now" and scene.document is doc
    # every card sits inside its own stage's lane, below the header
    for touchpoint in journey(doc).touchpoints.values():
        lane = scene.lane(touchpoint.stage or "")
        assert lane is not None
        assert lane.body_rect().contains(scene.card(touchpoint.id).sceneBoundingRect())
        assert lane.header_rect().bottom() < 0 <= touchpoint.y
    first = scene.lane("aware")
    assert first is not None
    assert first.rect().left() == -LANE_MARGIN and first.rect().width() == LANE_WIDTH
    assert scene.arrow(("help", "ad")).kind == TransitionArrow.BACKWARD
    everything = QRectF()
    for item in [*scene.cards().values(), *scene.arrows().values()]:
        everything = everything.united(item.sceneBoundingRect())
    assert scene.content_rect().contains(everything)


def test_stage_under_a_point_is_the_lane_holding_its_x(scene: CanvasScene) -> None:
    assert scene.stage_at(0) == "aware"
    assert scene.stage_at(-LANE_MARGIN + 1) == "aware"
    assert scene.stage_at(LANE_WIDTH - LANE_MARGIN + 1) == "buy"
    assert scene.stage_at(2 * LANE_WIDTH + 100) == "serve"
    assert scene.stage_at(-LANE_MARGIN - 1) is None
    assert scene.stage_at(3 * LANE_WIDTH) is None


def test_document_edits_add_move_and_remove_items_with_undo(scene: CanvasScene,
                                                            doc: ProjectDocument) -> None:
    before = state(doc.project)
    new_id = doc.add_touchpoint("now", Touchpoint("", name="Call centre", stage="serve",
                                                  x=520, y=240))
    assert scene.card(new_id) is not None and scene.card(new_id).pos() == QPointF(520, 240)
    rhythm(doc, scene, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    old_path = scene.arrow(("site", "help")).path().boundingRect()
    doc.move_touchpoints("now", {"help": (520, 360)})
    assert scene.card("help").pos() == QPointF(520, 360)
    new_path = scene.arrow(("site", "help")).path().boundingRect()
    assert new_path != old_path, "the arrow follows its card"
    rhythm(doc, scene, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    doc.rename_touchpoint("now", "shop", "Flagship store")
    assert scene.card("shop").name_lines == ["Flagship store"]
    rhythm(doc, scene, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    doc.set_transition_fields("now", [("ad", "site")], probability=0.25)
    assert scene.arrow(("ad", "site")).label_text() == "25%"
    rhythm(doc, scene, before)


def test_lanes_grow_with_the_lowest_card(scene: CanvasScene, doc: ProjectDocument) -> None:
    doc.move_touchpoints("now", {"shop": (260, 1200)})
    assert scene.lane("buy").rect().bottom() >= 1200 + style.CARD_HEIGHT
    assert scene.lane("aware").rect().bottom() == scene.lane("buy").rect().bottom()
    doc.undo_stack.undo()
    assert scene.lane("buy").rect().bottom() < 1200


def test_removing_the_journey_clears_the_scene_and_undo_brings_it_back(
    scene: CanvasScene, doc: ProjectDocument
) -> None:
    doc.add_journey(Journey("other", "Future state"))
    doc.remove_journey("now")
    assert drawn(scene) == (set(), set(), [])
    assert scene.journey() is None
    doc.undo_stack.undo()
    assert matches_document(scene, doc)


def test_opening_another_project_rebuilds_and_keeps_the_selection(
    scene: CanvasScene, doc: ProjectDocument
) -> None:
    scene.select(["site"])
    project = laid_out_project()
    project.journeys[0].touchpoints.pop("shop")
    project.journeys[0].transitions = {k: t for k, t in project.journeys[0].transitions.items()
                                       if "shop" not in k}
    doc.load(project)
    assert matches_document(scene, doc)
    assert scene.card("shop") is None
    assert scene.selected_touchpoints() == ["site"]


# -- selection ------------------------------------------------------------------------------


def test_select_replaces_the_selection_with_one_signal(qtbot: QtBot,
                                                       scene: CanvasScene) -> None:
    scene.select(["ad"])
    with qtbot.waitSignal(scene.selectionChanged) as signal:
        scene.select(["site", "help"], [("site", "help")])
    assert signal.signal_triggered
    assert scene.selected_touchpoints() == ["site", "help"]
    assert scene.selected_transitions() == [("site", "help")]
    assert not scene.card("ad").isSelected()
    with qtbot.assertNotEmitted(scene.selectionChanged):
        scene.select(["site", "help"], [("site", "help")])
    rect = scene.items_rect(["site", "help"], [("site", "help")])
    assert rect.contains(scene.card("site").sceneBoundingRect())
    assert rect.contains(scene.arrow(("site", "help")).sceneBoundingRect())
    assert scene.items_rect(["missing"]).isEmpty()
    scene.select_all()
    assert len(scene.selected_touchpoints()) == 4 and len(scene.selected_transitions()) == 5


def test_selection_survives_undo_and_redo_where_items_remain(scene: CanvasScene,
                                                             doc: ProjectDocument) -> None:
    scene.select(["shop"], [("ad", "shop")])
    doc.move_touchpoints("now", {"shop": (260, 240)})
    doc.undo_stack.undo()
    doc.undo_stack.redo()
    assert scene.selected_touchpoints() == ["shop"]
    assert scene.selected_transitions() == [("ad", "shop")]


# -- edit actions -------------------------------------------------------------------------


def test_delete_removes_cards_with_their_transitions_and_undo_restores_all(
    scene: CanvasScene, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    scene.select(["site"], [("shop", "help")])
    assert scene.delete_selection()
    assert scene.card("site") is None
    assert set(scene.arrows()) == {("ad", "shop"), ("help", "ad")}
    rhythm(doc, scene, before)
    scene.clearSelection()
    assert not scene.delete_selection()


def test_copy_and_paste_make_new_touchpoints_in_one_step(scene: CanvasScene,
                                                          doc: ProjectDocument) -> None:
    doc.set_touchpoint_fields("now", ["ad"], measured_satisfaction=-0.25)
    doc.undo_stack.clear()
    scene.select(["ad", "site"])
    assert scene.copy_selection()
    data = QApplication.clipboard().mimeData()
    assert data.hasFormat(clipboard.MIME_TYPE)
    assert data.text().splitlines() == ["Ad", "Site"]
    payload = json.loads(bytes(data.data(clipboard.MIME_TYPE).data()))
    assert [t["id"] for t in payload["touchpoints"]] == ["ad", "site"]
    assert [(t["source"], t["target"]) for t in payload["transitions"]] == [("ad", "site")]
    assert scene.can_paste()

    before = state(doc.project)
    pasted = scene.paste()
    assert len(pasted) == 2 and not set(pasted) & {"ad", "site"}
    copies = [doc.project.journey("now").touchpoints[tid] for tid in pasted]
    assert [t.measured_satisfaction for t in copies] == [-0.25, None]  # as they were
    assert scene.selected_touchpoints() == pasted
    copy_of_ad, copy_of_site = (journey(doc).touchpoint(t) for t in pasted)
    assert (copy_of_ad.x, copy_of_ad.y) != (0, 0), "a paste never sits exactly on its original"
    assert (copy_of_ad.name, copy_of_site.stage) == ("Ad", "buy")
    assert (pasted[0], pasted[1]) in journey(doc).transitions
    assert scene.selected_transitions() == [(pasted[0], pasted[1])]
    rhythm(doc, scene, before)

    again = scene.paste()
    first = journey(doc).touchpoint(pasted[0])
    second = journey(doc).touchpoint(again[0])
    assert (second.x, second.y) != (first.x, first.y), "pasting twice does not stack copies"


def test_duplicate_is_one_step_and_leaves_the_clipboard_alone(scene: CanvasScene,
                                                              doc: ProjectDocument) -> None:
    QApplication.clipboard().setText("untouched")
    before = state(doc.project)
    scene.select(["shop", "help"])
    copies = scene.duplicate_selection()
    assert len(copies) == 2
    assert scene.selected_touchpoints() == copies
    assert (copies[0], copies[1]) in journey(doc).transitions
    assert QApplication.clipboard().text() == "untouched"
    assert not scene.can_paste()
    rhythm(doc, scene, before)


def test_paste_ignores_foreign_clipboard_content(scene: CanvasScene) -> None:
    QApplication.clipboard().setText("just text")
    assert not scene.can_paste() and scene.paste() == []
    assert clipboard.from_json('{"format": "cx-mapper-selection/1", "touchpoints": [1]}') is None
    assert clipboard.from_json("not json") is None


def test_nudge_is_one_step_and_a_held_key_stays_one(scene: CanvasScene,
                                                    doc: ProjectDocument) -> None:
    before = state(doc.project)
    scene.select(["site", "shop"])
    assert scene.nudge(GRID, 0)
    assert scene.card("site").pos() == QPointF(260 + GRID, 0)
    rhythm(doc, scene, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    scene.nudge(0, GRID)
    scene.nudge(0, GRID, repeat=True)
    scene.nudge(0, GRID, repeat=True)
    assert scene.card("shop").pos() == QPointF(260 + GRID, 120 + 3 * GRID)
    rhythm(doc, scene, before)

    scene.clearSelection()
    assert not scene.nudge(GRID, 0)


def test_nudging_a_card_into_the_next_lane_changes_its_stage(scene: CanvasScene,
                                                              doc: ProjectDocument) -> None:
    scene.select(["help"])
    scene.nudge(-LANE_WIDTH, 0)
    assert journey(doc).touchpoint("help").stage == "buy"
    doc.undo_stack.undo()
    assert journey(doc).touchpoint("help").stage == "serve"


def test_overlay_shows_visits_and_flow_widths(scene: CanvasScene, doc: ProjectDocument) -> None:
    scene.set_overlay(visits={"ad": 1.0, "site": 0.25},
                      flows={("ad", "site"): 1.0, ("help", "ad"): 0.0})
    assert scene.card("ad").visits() == 1.0 and scene.card("site").visits() == 0.25
    assert scene.card("shop").visits() is None
    assert scene.arrow(("ad", "site")).flow_width() == style.FLOW_MAX_WIDTH
    assert scene.arrow(("help", "ad")).flow_width() == style.FLOW_MIN_WIDTH
    # new items pick the overlay up; clearing it restores the plain look
    doc.connect_touchpoints("now", "site", "shop")
    assert scene.arrow(("site", "shop")).flow_width() == style.FLOW_MIN_WIDTH
    scene.set_overlay()
    assert scene.card("ad").visits() is None
    assert scene.arrow(("ad", "site")).flow_width() == style.ARROW_WIDTH


def test_palette_reaches_every_item(scene: CanvasScene) -> None:
    scene.set_palette(palette.DARK)
    assert scene.backgroundBrush().color() == palette.DARK.background
    assert scene.arrow(("ad", "site")).colour() == palette.DARK.arrow


# -- stages ---------------------------------------------------------------------------------


def _trigger(scene: CanvasScene, stage_id: str, text: str) -> None:
    menu = scene.lane_menu(stage_id)  # kept: the actions live as long as the menu
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled()
    action.trigger()


def test_adding_a_stage_shifts_later_lanes_with_their_cards_in_one_step(
    scene: CanvasScene, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    _trigger(scene, "aware", "Add stage after")
    stages = [s.id for s in journey(doc).stages]
    assert len(stages) == 4 and stages[0] == "aware" and stages[2:] == ["buy", "serve"]
    assert journey(doc).touchpoint("site").x == 2 * LANE_WIDTH
    assert scene.is_editing(), "the new stage's name is ready to type"
    scene.editor().cancel()
    rhythm(doc, scene, before)


def test_moving_and_removing_stages_keep_lanes_under_their_cards(
    scene: CanvasScene, doc: ProjectDocument
) -> None:
    before = state(doc.project)
    menu = scene.lane_menu("aware")
    assert not next(a for a in menu.actions() if a.text() == "Move left").isEnabled()
    _trigger(scene, "serve", "Move left")
    assert [s.id for s in journey(doc).stages] == ["aware", "serve", "buy"]
    for touchpoint in journey(doc).touchpoints.values():
        assert scene.stage_at(touchpoint.x + style.CARD_WIDTH / 2) == touchpoint.stage
    rhythm(doc, scene, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    _trigger(scene, "buy", "Remove stage")
    assert [s.id for s in journey(doc).stages] == ["aware", "serve"]
    assert journey(doc).touchpoint("help").x == LANE_WIDTH
    orphans = [journey(doc).touchpoint(t) for t in ("site", "shop")]
    assert all(t.stage is None and scene.stage_at(t.x) is None for t in orphans)
    rhythm(doc, scene, before)


def test_renaming_a_stage_in_place(qtbot: QtBot, scene: CanvasScene,
                                   doc: ProjectDocument) -> None:
    before = state(doc.project)
    scene.start_stage_rename("buy")
    editor = scene.editor()
    assert editor is not None and editor.line_edit().text() == "Purchase"
    editor.line_edit().setText("Buy")
    editor.commit()
    assert scene.lane("buy").name == "Buy"
    rhythm(doc, scene, before)


# -- drawing far out ----------------------------------------------------------------------


def _render(scene: CanvasScene, source: QRectF, scale: float) -> QImage:
    image = QImage(int(source.width() * scale), int(source.height() * scale),
                   QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return image


def _colours(image: QImage, rect: QRectF) -> set[int]:
    return {image.pixel(x, y) for x in range(int(rect.left()), int(rect.right()), 2)
            for y in range(int(rect.top()), int(rect.bottom()), 2)}


@pytest.mark.parametrize("scale", [0.1, 1.0])
def test_far_out_layer_draws_the_same_map(scene: CanvasScene, scale: float) -> None:
    """In overview mode one layer draws everything; rendered close it still shows cards."""
    source = scene.content_rect()
    card = scene.card("site").sceneBoundingRect()
    where = QRectF((card.left() - source.left()) * scale, (card.top() - source.top()) * scale,
                   card.width() * scale, card.height() * scale)
    plain = _render(scene, source, scale)
    scene.set_overview(True)
    layered = _render(scene, source, scale)
    assert len(_colours(layered, where)) >= (2 if scale < 1 else 8)
    if scale == 1.0:  # close up, the layer paints the items themselves
        differ = sum(plain.pixel(x, y) != layered.pixel(x, y)
                     for x in range(0, plain.width(), 2) for y in range(0, plain.height(), 2))
        assert differ < plain.width() * plain.height() / 4 * 0.01
    scene.set_overview(False)
    assert _render(scene, source, scale) == plain


def test_updating_a_journey_from_data_is_one_step_the_canvas_follows(
        scene: CanvasScene, doc: ProjectDocument) -> None:
    """Changed figures, a new stage and touchpoint, a transition gone: one undo step."""
    before = state(doc.project)
    updated = journey(doc).copy()
    updated.add_stage(Stage("loyal", "Loyalty"))
    updated.update_touchpoint("shop", satisfaction=0.4, visibility=0.25)
    updated.update_transition("ad", "site", probability=0.7)
    updated.remove_transition("shop", "help")
    updated.add_touchpoint(Touchpoint("club", name="Club", stage="loyal", x=780.0, y=0.0))
    updated.add_transition(Transition("help", "club", 0.3))
    updated.conversions = 40.0

    assert doc.update_journey("now", updated, "Update from data")
    assert journey(doc).stages == updated.stages
    assert journey(doc).touchpoints == updated.touchpoints
    assert journey(doc).transitions == updated.transitions
    assert journey(doc).conversions == 40.0
    assert doc.undo_stack.undoText() == "Update from data"
    rhythm(doc, scene, before)


def test_updating_a_journey_with_itself_pushes_nothing(doc: ProjectDocument) -> None:
    assert not doc.update_journey("now", journey(doc).copy(), "Update from data")
    assert doc.undo_stack.count() == 0
