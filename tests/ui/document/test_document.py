"""The document: signals with ids, the modified flag, revisions, auto-layout."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import GRID, layout_by_stage
from cx_mapper.ui.document.commands import BATCH_FROM
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.benchmarks.journeys import random_journey
from tests.factories import sample_project, state


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(sample_project())


class Recorder:
    """Every emission of the document's signals, in order, as (name, *args)."""

    NAMES = (
        "touchpoint_added", "touchpoint_removed", "touchpoint_changed", "touchpoints_changed",
        "transition_added", "transition_removed", "transition_changed",
        "stage_changed", "journey_changed", "journeys_changed", "segments_changed",
        "project_reset", "modified_changed", "revision_changed", "path_changed",
    )

    def __init__(self, doc: ProjectDocument) -> None:
        self.events: list[tuple[Any, ...]] = []
        for name in self.NAMES:
            getattr(doc, name).connect(self._recorder(name))

    def _recorder(self, name: str) -> Callable[..., None]:
        return lambda *args: self.events.append((name, *args))

    def of(self, *names: str) -> list[tuple[Any, ...]]:
        found = [e for e in self.events if e[0] in names]
        self.events.clear()
        return found


@pytest.fixture
def seen(doc: ProjectDocument) -> Recorder:
    return Recorder(doc)


# -- signals -----------------------------------------------------------------------


def test_add_touchpoint_signals_its_id(doc: ProjectDocument, qtbot: QtBot) -> None:
    def is_x(journey_id: str, touchpoint_id: str) -> bool:
        return (journey_id, touchpoint_id) == ("now", "x")

    with qtbot.waitSignal(doc.touchpoint_added, check_params_cb=is_x):
        doc.add_touchpoint("now", Touchpoint("x"))
    with qtbot.waitSignal(doc.touchpoint_removed, check_params_cb=is_x):
        doc.undo_stack.undo()


def test_delete_signals_transitions_then_touchpoint_and_undo_signals_them_back(
    doc: ProjectDocument, seen: Recorder
) -> None:
    doc.remove_items("now", ["shop"])
    kinds = ("touchpoint_removed", "transition_removed", "touchpoint_added", "transition_added")
    assert seen.of(*kinds) == [
        ("transition_removed", "now", "ad", "shop"),
        ("transition_removed", "now", "shop", "help"),
        ("touchpoint_removed", "now", "shop"),
    ]
    doc.undo_stack.undo()
    assert seen.of(*kinds) == [
        ("touchpoint_added", "now", "shop"),
        ("transition_added", "now", "ad", "shop"),
        ("transition_added", "now", "shop", "help"),
    ]


def test_multi_select_edit_signals_each_touchpoint(doc: ProjectDocument, seen: Recorder) -> None:
    doc.set_touchpoint_fields("now", ["ad", "help"], conversion=True)
    assert seen.of("touchpoint_changed") == [
        ("touchpoint_changed", "now", "ad"), ("touchpoint_changed", "now", "help")]


def test_a_move_of_many_touchpoints_and_its_undo_are_each_one_signal(qtbot: QtBot) -> None:
    """Auto-layout of 2,000 cards and its undo: the views hear once, with every id."""
    doc = ProjectDocument(random_journey(BATCH_FROM + 10, seed=1))
    seen = Recorder(doc)
    journey = doc.project.journeys[0]
    moved = {t.id: (t.x + 40, t.y) for t in journey.touchpoints.values()}
    doc.move_touchpoints(journey.id, moved)
    assert seen.of("touchpoint_changed", "touchpoints_changed") == [
        ("touchpoints_changed", journey.id, tuple(moved))]
    doc.undo_stack.undo()
    assert seen.of("touchpoint_changed", "touchpoints_changed") == [
        ("touchpoints_changed", journey.id, tuple(moved))]
    assert all(journey.touchpoint(t).x == x - 40 for t, (x, _) in moved.items())


def test_connect_and_probability_signal_the_transition(
    doc: ProjectDocument, seen: Recorder
) -> None:
    doc.connect_touchpoints("now", "help", "site")
    assert seen.of("transition_added") == [("transition_added", "now", "help", "site")]
    doc.set_transition_fields("now", [("help", "site")], probability=0.3)
    assert seen.of("transition_changed") == [("transition_changed", "now", "help", "site")]


def test_stage_and_channel_edits_signal_stage_changed(doc: ProjectDocument, seen: Recorder) -> None:
    doc.add_stage("now", "Loyalty")
    doc.rename_channel("now", "web", "Web")
    doc.move_stage("now", "aware", 2)
    assert seen.of("stage_changed") == [("stage_changed", "now")] * 3
    doc.remove_stage("now", "buy")  # its touchpoints change too
    assert seen.of("stage_changed", "touchpoint_changed") == [
        ("touchpoint_changed", "now", "site"),
        ("touchpoint_changed", "now", "shop"),
        ("stage_changed", "now"),
    ]


def test_journey_and_segment_edits_signal(doc: ProjectDocument, seen: Recorder) -> None:
    doc.set_journey_fields("now", horizon=12)
    assert seen.of("journey_changed") == [("journey_changed", "now")]
    doc.add_journey(name="Future")
    assert seen.of("journeys_changed") == [("journeys_changed",)]
    doc.update_segment("all", share=0.5)
    assert seen.of("segments_changed") == [("segments_changed",)]


def test_no_op_edit_emits_nothing(doc: ProjectDocument, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(doc.revision_changed), qtbot.assertNotEmitted(
        doc.touchpoint_changed
    ):
        doc.set_touchpoint_fields("now", ["ad"], name="Ad")


# -- modified, path and revision ------------------------------------------------------


def test_modified_follows_the_undo_stack(doc: ProjectDocument, seen: Recorder) -> None:
    assert not doc.is_modified
    doc.rename_touchpoint("now", "ad", "Advert")
    assert doc.is_modified
    assert seen.of("modified_changed") == [("modified_changed", True)]
    doc.undo_stack.undo()
    assert not doc.is_modified
    assert seen.of("modified_changed") == [("modified_changed", False)]
    doc.undo_stack.redo()
    assert doc.is_modified


def test_save_makes_it_clean_and_undo_past_the_save_is_modified(
    doc: ProjectDocument, seen: Recorder, tmp_path: Path
) -> None:
    assert doc.path is None
    assert doc.display_name == "Sample"
    doc.rename_touchpoint("now", "ad", "Advert")
    seen.events.clear()
    doc.mark_saved(tmp_path / "shop.cxmap")
    assert not doc.is_modified
    assert doc.path == tmp_path / "shop.cxmap"
    assert doc.display_name == "shop.cxmap"
    assert seen.of("path_changed", "modified_changed") == [
        ("path_changed", tmp_path / "shop.cxmap"), ("modified_changed", False)]
    doc.undo_stack.undo()
    assert doc.is_modified


def test_load_starts_a_fresh_history(doc: ProjectDocument, seen: Recorder) -> None:
    doc.rename_touchpoint("now", "ad", "Advert")
    other = Project(name="Other", journeys=[Journey(id="j")])
    doc.load(other, "other.cxmap")
    assert doc.project is other
    assert doc.undo_stack.count() == 0
    assert not doc.is_modified
    assert ("project_reset",) in seen.of("project_reset")


def test_load_a_recovered_project_counts_as_modified(doc: ProjectDocument) -> None:
    doc.load(sample_project(), None, modified=True)
    assert doc.is_modified
    assert doc.undo_stack.count() == 0


def test_revision_increases_on_edit_undo_and_redo(doc: ProjectDocument, seen: Recorder) -> None:
    revisions = [doc.revision]
    doc.move_touchpoints("now", {"ad": (20, 20)})
    revisions.append(doc.revision)
    doc.undo_stack.undo()
    revisions.append(doc.revision)
    doc.undo_stack.redo()
    revisions.append(doc.revision)
    assert revisions == sorted(set(revisions))
    assert [e[1] for e in seen.of("revision_changed")] == revisions[1:]


def test_every_drag_update_bumps_the_revision(doc: ProjectDocument) -> None:
    start = doc.revision
    with doc.drag():
        for step in range(5):
            doc.set_touchpoint_fields("now", ["ad"], satisfaction=step / 5 + 0.1)
    assert doc.revision == start + 5
    assert doc.undo_stack.count() == 1


def test_a_long_session_keeps_reference_counts(doc: ProjectDocument) -> None:
    """PySide6 6.12.0 dropped references on emit and undo/redo (pyproject excludes it)."""
    doc.set_touchpoint_fields("now", ["ad", "site"], satisfaction=0.5)
    gc.collect()
    counts = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(1000):
        doc.undo_stack.undo()
        doc.undo_stack.redo()
    gc.collect()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    # The fault lost 2 references per cycle (2,000 here); unrelated frees stay far below.
    assert all(abs(a - b) < 500 for a, b in zip(after, counts, strict=True)), (counts, after)


# -- compound edits -------------------------------------------------------------------


def test_a_compound_edit_is_one_undo_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    with doc.compound("Connect"):
        doc.connect_touchpoints("now", "site", "shop")
        doc.connect_touchpoints("now", "shop", "site")
        doc.rename_touchpoint("now", "ad", "Advert")
    journey = doc.project.journey("now")
    assert {("site", "shop"), ("shop", "site")} <= set(journey.transitions)
    assert journey.touchpoint("ad").name == "Advert"
    after = state(doc.project)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Connect"
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after


def test_nested_compounds_join_the_outer_step(doc: ProjectDocument) -> None:
    before = state(doc.project)
    with doc.compound("Refresh"):
        doc.add_stage("now", "Loyalty")
        with doc.compound("Connect"):
            doc.connect_touchpoints("now", "site", "shop")
            with doc.compound("Rename"):
                doc.rename_touchpoint("now", "ad", "Advert")
        doc.set_journey_fields("now", horizon=12)
    after = state(doc.project)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Refresh"
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert state(doc.project) == after
    doc.rename_touchpoint("now", "ad", "Search ad")  # after the compound: its own step
    assert doc.undo_stack.count() == 2


def test_a_compound_that_changes_nothing_leaves_no_step(doc: ProjectDocument) -> None:
    doc.rename_touchpoint("now", "ad", "Advert")
    doc.undo_stack.undo()
    with doc.compound("Move stage"):
        assert not doc.move_stage("now", "aware", 0)
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.canRedo()  # the redo history survives
    assert not doc.is_modified


def test_a_compound_closes_its_step_when_an_edit_fails(doc: ProjectDocument) -> None:
    before = state(doc.project)
    with pytest.raises(KeyError), doc.compound("Connect"):
        doc.connect_touchpoints("now", "site", "shop")
        doc.connect_touchpoints("now", "site", "nowhere")
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.rename_touchpoint("now", "ad", "Advert")
    assert doc.undo_stack.count() == 1  # a fresh step (the undone one is dropped), not a child


# -- auto-layout ----------------------------------------------------------------------


def overlaps(boxes: list[tuple[float, float]], width: float = 200, height: float = 80) -> bool:
    return any(
        abs(ax - bx) < width and abs(ay - by) < height
        for i, (ax, ay) in enumerate(boxes)
        for bx, by in boxes[i + 1:]
    )


def test_auto_layout_is_one_step_with_stages_left_to_right(doc: ProjectDocument) -> None:
    before = state(doc.project)
    assert doc.auto_layout("now")
    journey = doc.project.journey("now")
    x_of = {t.id: t.x for t in journey.touchpoints.values()}
    assert x_of["ad"] < x_of["site"] == x_of["shop"] < x_of["help"]
    assert not overlaps([(t.x, t.y) for t in journey.touchpoints.values()])
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Auto-layout"
    doc.undo_stack.undo()
    assert state(doc.project) == before
    doc.undo_stack.redo()
    assert {t.id: t.x for t in journey.touchpoints.values()} == x_of
    assert not doc.auto_layout("now")  # already laid out: nothing to undo


def test_layout_of_a_bigger_journey_is_snapped_and_overlap_free() -> None:
    stages = [Stage(f"s{k}") for k in range(5)]
    journey = Journey(id="big", stages=stages)
    for n in range(60):
        journey.add_touchpoint(Touchpoint(f"t{n}", stage=f"s{n % 5}", entry=float(n == 0)))
    for n in range(59):
        journey.add_transition(Transition(f"t{n}", f"t{n + 1}", 0.5))
        if n % 7 == 0:  # loops back to earlier touchpoints
            journey.add_transition(Transition(f"t{n + 1}", f"t{n // 2}", 0.3))
    positions = layout_by_stage(journey)
    assert set(positions) == set(journey.touchpoints)
    assert not overlaps(list(positions.values()))
    assert all(x % GRID == 0 and y % GRID == 0 for x, y in positions.values())
    lane_x = {journey.touchpoint(t).stage: x for t, (x, _) in positions.items()}
    assert [lane_x[f"s{k}"] for k in range(5)] == sorted(lane_x.values())


def test_layout_ignores_loops_back_and_follows_the_flow_down_a_lane() -> None:
    journey = Journey(id="loop", stages=[Stage("only")])
    for tid in ("c", "b", "a"):  # listed against the flow
        journey.add_touchpoint(Touchpoint(tid, stage="only", entry=float(tid == "a")))
    for source, target in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "c")]:
        journey.add_transition(Transition(source, target, 0.4))
    positions = layout_by_stage(journey)
    assert positions["a"][1] < positions["b"][1] < positions["c"][1]


def test_layout_puts_touchpoints_without_a_stage_in_a_last_lane() -> None:
    journey = Journey(id="j", stages=[Stage("one"), Stage("two")])
    journey.add_touchpoint(Touchpoint("loose"))
    journey.add_touchpoint(Touchpoint("first", stage="one"))
    journey.add_touchpoint(Touchpoint("lost", stage="gone"))
    positions = layout_by_stage(journey)
    assert positions["first"][0] < positions["loose"][0] == positions["lost"][0]
    assert positions["loose"][1] != positions["lost"][1]
    assert layout_by_stage(Journey(id="empty")) == {}
