"""Every edit is one undo step: edit, check, undo, check, redo, check."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint
from cx_mapper.domain.project import PRESETS
from cx_mapper.ui.document import commands
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import sample_project, state


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(sample_project())


def rhythm(doc: ProjectDocument, before: Any) -> None:
    """Undo returns to `before`, redo returns to what the edit made; one step each."""
    after = state(doc.project)
    assert after != before
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


def journey(doc: ProjectDocument) -> Journey:
    return doc.project.journey("now")


# -- touchpoints ---------------------------------------------------------------


def test_add_touchpoint(doc: ProjectDocument) -> None:
    before = state(doc.project)
    new_id = doc.add_touchpoint("now", Touchpoint("", name="Call centre", stage="serve"))
    assert new_id == "call-centre"
    assert journey(doc).touchpoint(new_id).stage == "serve"
    rhythm(doc, before)
    assert list(journey(doc).touchpoints)[-1] == new_id


def test_add_touchpoint_with_a_taken_id_gets_a_fresh_one(doc: ProjectDocument) -> None:
    new_id = doc.add_touchpoint("now", Touchpoint("ad", name="Another ad"))
    assert new_id == "ad-2"
    assert journey(doc).touchpoint("ad").name == "Ad"


def test_delete_touchpoint_takes_its_transitions_and_undo_restores_the_order(
    doc: ProjectDocument,
) -> None:
    before = state(doc.project)
    assert doc.remove_items("now", ["site"])
    assert "site" not in journey(doc).touchpoints
    assert list(journey(doc).transitions) == [("ad", "shop"), ("shop", "help"), ("help", "ad")]
    rhythm(doc, before)


def test_delete_several_touchpoints_and_transitions_is_one_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.remove_items("now", ["shop", "ad"], [("site", "help")])
    assert list(journey(doc).touchpoints) == ["site", "help"]
    assert journey(doc).transitions == {}
    rhythm(doc, before)


def test_delete_nothing_pushes_nothing(doc: ProjectDocument) -> None:
    assert not doc.remove_items("now", [], [])
    assert not doc.remove_items("now", ["missing"], [("ad", "help")])
    assert doc.undo_stack.count() == 0


def test_move_touchpoints(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.move_touchpoints("now", {"ad": (40, 60), "site": (300, 0)})
    assert (journey(doc).touchpoint("ad").x, journey(doc).touchpoint("ad").y) == (40, 60)
    rhythm(doc, before)


def test_move_to_where_they_are_pushes_nothing(doc: ProjectDocument) -> None:
    assert not doc.move_touchpoints("now", {"ad": (0, 0)})
    assert doc.undo_stack.count() == 0


# -- transitions ---------------------------------------------------------------


def test_connect_takes_what_the_source_has_left(doc: ProjectDocument) -> None:
    before = state(doc.project)
    key = doc.connect_touchpoints("now", "site", "shop")
    assert key == ("site", "shop")
    assert journey(doc).transition("site", "shop").probability == pytest.approx(0.5)
    rhythm(doc, before)


def test_connect_with_nothing_left_gives_zero(doc: ProjectDocument) -> None:
    doc.connect_touchpoints("now", "ad", "help")
    assert journey(doc).transition("ad", "help").probability == pytest.approx(0.1)
    doc.connect_touchpoints("now", "ad", "ad")  # a self-loop
    assert journey(doc).transition("ad", "ad").probability == 0.0


def test_connect_refuses_duplicates(doc: ProjectDocument) -> None:
    assert doc.connect_touchpoints("now", "ad", "site") is None
    assert doc.undo_stack.count() == 0
    assert journey(doc).transition("ad", "site").probability == 0.6


def test_connect_with_a_given_probability(doc: ProjectDocument) -> None:
    doc.connect_touchpoints("now", "help", "shop", probability=0.25)
    assert journey(doc).transition("help", "shop").probability == 0.25


def test_connect_unknown_touchpoint_raises(doc: ProjectDocument) -> None:
    with pytest.raises(KeyError):
        doc.connect_touchpoints("now", "ad", "nowhere")


def test_probability_change(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.set_transition_fields("now", [("ad", "site")], probability=0.7)
    assert journey(doc).transition("ad", "site").probability == 0.7
    rhythm(doc, before)


# -- property edits --------------------------------------------------------------


def test_several_touchpoints_edited_together_are_one_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    selected = ["ad", "site", "shop"]
    assert doc.set_touchpoint_fields("now", selected, satisfaction=0.5, visibility=0.2)
    for tid in ("ad", "site", "shop"):
        assert journey(doc).touchpoint(tid).satisfaction == 0.5
        assert journey(doc).touchpoint(tid).visibility == 0.2
    assert journey(doc).touchpoint("help").satisfaction == 0.0
    rhythm(doc, before)
    assert "3 touchpoints" in doc.undo_stack.undoText()


def test_property_edit_that_changes_nothing_pushes_nothing(doc: ProjectDocument) -> None:
    assert not doc.set_touchpoint_fields("now", ["ad", "site"], satisfaction=0.0)
    assert not doc.set_transition_fields("now", [("ad", "site")], probability=0.6)
    assert not doc.set_journey_fields("now", horizon=24)
    assert not doc.rename_stage("now", "aware", "Awareness")
    assert doc.undo_stack.count() == 0


def test_unknown_or_id_fields_are_refused(doc: ProjectDocument) -> None:
    with pytest.raises(ValueError):
        doc.set_touchpoint_fields("now", ["ad"], id="other")
    with pytest.raises(ValueError):
        doc.set_transition_fields("now", [("ad", "site")], source="shop")
    with pytest.raises(ValueError):
        doc.set_journey_fields("now", stages=[])


def test_rename_touchpoint_keeps_its_id(doc: ProjectDocument) -> None:
    before = state(doc.project)
    doc.rename_touchpoint("now", "ad", "Search advert")
    assert journey(doc).touchpoint("ad").name == "Search advert"
    rhythm(doc, before)


def test_journey_fields(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.set_journey_fields("now", discount_rate=0.05, horizon=36, conversions=120.0)
    assert (journey(doc).discount_rate, journey(doc).horizon) == (0.05, 36)
    rhythm(doc, before)


def test_slider_drag_of_ten_updates_undoes_in_one_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    with doc.drag():
        for step in range(1, 11):
            doc.set_touchpoint_fields("now", ["ad", "shop"], satisfaction=step / 10)
    assert journey(doc).touchpoint("shop").satisfaction == 1.0
    rhythm(doc, before)


def test_separate_drags_are_separate_steps(doc: ProjectDocument) -> None:
    with doc.drag():
        for step in range(1, 4):
            doc.set_journey_fields("now", discount_rate=step / 100 + 0.01)
    with doc.drag():
        for step in range(1, 4):
            doc.set_journey_fields("now", discount_rate=step / 10)
    assert doc.undo_stack.count() == 2
    doc.undo_stack.undo()
    assert journey(doc).discount_rate == pytest.approx(0.04)


def test_edits_outside_a_drag_never_merge(doc: ProjectDocument) -> None:
    doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.1)
    doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.2)
    assert doc.undo_stack.count() == 2


def test_drag_on_other_items_or_fields_does_not_merge(doc: ProjectDocument) -> None:
    with doc.drag():
        doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.1)
        doc.set_touchpoint_fields("now", ["site"], satisfaction=0.1)
        doc.set_touchpoint_fields("now", ["site"], visibility=0.1)
    assert doc.undo_stack.count() == 3


def test_drag_back_to_the_start_leaves_no_step(doc: ProjectDocument) -> None:
    doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.3)
    before = state(doc.project)
    with doc.drag():
        doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.5)
        doc.set_touchpoint_fields("now", ["ad"], satisfaction=0.3)
    assert state(doc.project) == before
    assert doc.undo_stack.count() == 1


def test_moves_with_a_merge_key_are_one_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    for step in range(1, 6):
        doc.move_touchpoints("now", {"ad": (20 * step, 0), "site": (300, 20 * step)},
                             merge_key="nudge")
    assert journey(doc).touchpoint("site").y == 100
    rhythm(doc, before)


def test_probability_drag_is_one_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    with doc.drag():
        for step in range(10):
            doc.set_transition_fields("now", [("site", "help")], probability=0.5 + step / 40)
    rhythm(doc, before)


# -- stages and channels -------------------------------------------------------------


def test_add_stage(doc: ProjectDocument) -> None:
    before = state(doc.project)
    stage_id = doc.add_stage("now", "Loyalty")
    assert [s.id for s in journey(doc).stages] == ["aware", "buy", "serve", "loyalty"]
    assert journey(doc).stage(stage_id).name == "Loyalty"
    rhythm(doc, before)


def test_add_stage_at_an_index(doc: ProjectDocument) -> None:
    doc.add_stage("now", "Consideration", index=1)
    assert [s.name for s in journey(doc).stages][:2] == ["Awareness", "Consideration"]


def test_rename_stage(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.rename_stage("now", "buy", "Buying")
    assert journey(doc).stage("buy").name == "Buying"
    rhythm(doc, before)


def test_remove_stage_keeps_its_touchpoints_and_undo_puts_them_back(
    doc: ProjectDocument,
) -> None:
    before = state(doc.project)
    doc.remove_stage("now", "buy")
    assert [s.id for s in journey(doc).stages] == ["aware", "serve"]
    assert journey(doc).touchpoint("site").stage is None
    assert journey(doc).touchpoint("shop").stage is None
    rhythm(doc, before)


def test_move_stage(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.move_stage("now", "serve", 0)
    assert [s.id for s in journey(doc).stages] == ["serve", "aware", "buy"]
    rhythm(doc, before)
    assert not doc.move_stage("now", "serve", 0)


def test_channels(doc: ProjectDocument) -> None:
    before = state(doc.project)
    channel_id = doc.add_channel("now", "Phone")
    assert journey(doc).channel(channel_id).name == "Phone"
    rhythm(doc, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    doc.rename_channel("now", "web", "Web shop")
    assert journey(doc).channel("web").name == "Web shop"
    rhythm(doc, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    doc.remove_channel("now", "store")
    assert journey(doc).touchpoint("shop").channel is None
    rhythm(doc, before)


def test_rename_stage_then_undo_puts_back_the_whole_stage(doc: ProjectDocument) -> None:
    before = state(doc.project)
    old = journey(doc).stage("buy")
    assert doc.rename_stage("now", "buy", "Buying")
    assert journey(doc).stage("buy") == Stage("buy", "Buying")
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert journey(doc).stage("buy") == old  # every field of the stage
    assert journey(doc).stage("buy") is old  # the very element, not a rebuilt one
    assert [s.id for s in journey(doc).stages] == ["aware", "buy", "serve"]


def test_rename_channel_then_undo_puts_back_the_whole_channel(doc: ProjectDocument) -> None:
    before = state(doc.project)
    old = journey(doc).channel("store")
    assert doc.rename_channel("now", "store", "Flagship store")
    assert journey(doc).channel("store") == Channel("store", "Flagship store")
    rhythm(doc, before)
    doc.undo_stack.undo()
    assert journey(doc).channel("store") == old  # every field of the channel
    assert journey(doc).channel("store") is old
    assert not doc.rename_channel("now", "store", "Store")  # the same name pushes nothing
    assert doc.undo_stack.count() == 1


@pytest.mark.parametrize("which", ["stages", "channels"])
def test_stages_and_channels_are_edited_alike(doc: ProjectDocument, which: Any) -> None:
    before = state(doc.project)
    new_id = doc.add_to("now", which, "Phone", 0)
    assert journey(doc).items_in(which)[0].id == new_id == "phone"
    rhythm(doc, before)
    doc.undo_stack.clear()
    before = state(doc.project)
    assert doc.move_in("now", which, new_id, 1)
    assert journey(doc).items_in(which)[1].id == new_id
    rhythm(doc, before)
    assert doc.undo_stack.undoText() == f"Move {which[:-1]}"


# -- segments and journeys --------------------------------------------------------------


def test_add_segment_from_a_preset(doc: ProjectDocument) -> None:
    before = state(doc.project)
    preset = "Social media service users (AMEX 2012)"
    segment_id = doc.add_segment(preset, share=0.3)
    segment = doc.project.segment(segment_id)
    assert segment.tell_negative == PRESETS[preset].tell_negative
    assert segment.share == 0.3
    rhythm(doc, before)


def test_add_the_same_preset_twice_gives_distinct_ids(doc: ProjectDocument) -> None:
    first = doc.add_segment()
    second = doc.add_segment()
    assert first != second
    assert len(doc.project.segments) == 3


def test_update_segment(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.update_segment("all", tell_positive=20.0, share=0.5)
    assert doc.project.segment("all").tell_positive == 20.0
    rhythm(doc, before)
    assert not doc.update_segment("all", tell_positive=20.0)


def test_remove_segment(doc: ProjectDocument) -> None:
    doc.add_segment("Social media service users (AMEX 2012)")
    doc.undo_stack.clear()
    before = state(doc.project)
    doc.remove_segment("all")
    assert [s.id for s in doc.project.segments] == ["social"]
    rhythm(doc, before)
    assert [s.id for s in doc.project.segments] == ["social"]
    doc.undo_stack.undo()
    assert [s.id for s in doc.project.segments] == ["all", "social"]


def test_add_and_remove_journey(doc: ProjectDocument) -> None:
    before = state(doc.project)
    journey_id = doc.add_journey(name="Future state")
    assert journey_id == "future-state"
    assert [j.name for j in doc.project.journeys] == ["Current state", "Future state"]
    rhythm(doc, before)

    doc.undo_stack.clear()
    before = state(doc.project)
    doc.remove_journey("now")
    assert [j.id for j in doc.project.journeys] == ["future-state"]
    rhythm(doc, before)


# -- paste -----------------------------------------------------------------------


def test_paste_gives_new_ids_and_remaps_transitions(doc: ProjectDocument) -> None:
    before = state(doc.project)
    copied = [journey(doc).touchpoint("site"), journey(doc).touchpoint("help")]
    links = [journey(doc).transition("site", "help"), journey(doc).transition("help", "ad")]
    id_map = doc.paste("now", copied, links, offset=(20, 40))
    assert id_map == {"site": "site-2", "help": "help-2"}
    pasted = journey(doc).touchpoint("site-2")
    assert (pasted.x, pasted.y, pasted.name, pasted.stage) == (20, 40, "Site", "buy")
    # Only the transition between pasted touchpoints comes along.
    assert journey(doc).transition("site-2", "help-2").probability == 0.5
    assert ("help-2", "ad") not in journey(doc).transitions
    assert len(journey(doc).transitions) == 6
    rhythm(doc, before)


def test_paste_twice_and_into_another_journey(doc: ProjectDocument) -> None:
    copied = [journey(doc).touchpoint("ad")]
    doc.paste("now", copied)
    doc.paste("now", copied)
    assert list(journey(doc).touchpoints)[-2:] == ["ad-2", "ad-3"]
    other = doc.add_journey(name="Future")
    id_map = doc.paste(other, copied)
    pasted = doc.project.journey(other).touchpoint(id_map["ad"])
    assert id_map == {"ad": "ad"}
    assert pasted.stage is None and pasted.channel is None  # the new journey has neither


# -- the shape -------------------------------------------------------------------


class Target(QObject):
    """Just what a command may touch: a project, the signals and note_change."""

    touchpoint_added = Signal(str, str)
    touchpoint_removed = Signal(str, str)
    touchpoint_changed = Signal(str, str)
    touchpoints_changed = Signal(str, object)
    transition_added = Signal(str, str, str)
    transition_removed = Signal(str, str, str)
    transition_changed = Signal(str, str, str)
    stage_changed = Signal(str)
    journey_changed = Signal(str)
    journeys_changed = Signal()
    segments_changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.project = sample_project()
        self.changes = 0

    def note_change(self) -> None:
        self.changes += 1


def test_commands_need_only_the_editing_target(qtbot: QtBot) -> None:
    target = Target()
    stack = QUndoStack()
    before = state(target.project)
    with qtbot.waitSignal(target.stage_changed):
        stack.push(commands.RemoveFromListCommand(target, "now", "channels", "web"))
    assert [c.id for c in target.project.journey("now").channels] == ["store"]
    assert target.project.journey("now").touchpoint("ad").channel is None
    stack.undo()
    assert state(target.project) == before
    assert target.changes == 2


def test_commands_do_not_import_the_document() -> None:
    """Commands talk to the EditingTarget protocol; an import back would be a circle."""
    tree = ast.parse(Path(commands.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            imported.add(module)
            imported.update(f"{module}.{alias.name}" for alias in node.names)
    assert "cx_mapper.ui.document.editing_target" in imported
    assert not any(name.startswith("cx_mapper.ui.document.project_document")
                   for name in imported)
