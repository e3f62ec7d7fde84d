"""Opportunities, the cost unit and a future state made from a plan, through the document:
each edit one undo step, in the rhythm edit, check, undo, check, redo, check."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from cx_mapper.domain.elements import Transition
from cx_mapper.domain.opportunities import Changes
from cx_mapper.ui.document.opportunity_edits import future_state_name
from cx_mapper.ui.document.project_document import ProjectDocument
from tests.factories import sample_project, state


@pytest.fixture
def doc(qtbot: QtBot) -> ProjectDocument:
    return ProjectDocument(sample_project())


def seen(doc: ProjectDocument) -> Any:
    """What the user could see, with the plan's parts."""
    project = doc.project
    return (state(project), project.cost_unit,
            [(j.id, list(j.opportunities)) for j in project.journeys])


def rhythm(doc: ProjectDocument, before: Any, steps: int = 1) -> Any:
    after = seen(doc)
    assert after != before
    assert doc.undo_stack.count() == steps
    doc.undo_stack.undo()
    assert seen(doc) == before
    doc.undo_stack.redo()
    assert seen(doc) == after
    return after


def test_adding_an_opportunity_is_one_step_named_after_its_title(doc: ProjectDocument) -> None:
    before = seen(doc)
    oid = doc.add_opportunity("now", "Faster help", cost=1200, touchpoints=["help"],
                              changes=Changes(touchpoints={"help": {"satisfaction": 0.5}}))
    assert oid == "faster-help"
    assert doc.undo_stack.undoText() == "Add opportunity 'Faster help'"
    rhythm(doc, before)
    assert doc.journey("now").opportunity(oid).touchpoints == ("help",)


def test_editing_any_field_is_one_step_and_a_same_value_edit_pushes_nothing(
        doc: ProjectDocument) -> None:
    oid = doc.add_opportunity("now", "Faster help")
    doc.undo_stack.clear()
    before = seen(doc)
    assert doc.set_opportunity_fields("now", oid, owner="Service lead", status="planned",
                                      cost=300.0)
    rhythm(doc, before)
    assert not doc.set_opportunity_fields("now", oid, owner="Service lead")
    assert doc.undo_stack.count() == 1
    new = Changes(touchpoints={"help": {"satisfaction": 0.4, "visibility": 0.2}},
                  transitions=(Transition("help", "ad", 0.3),),
                  remove_transitions=(("shop", "help"),))
    doc.undo_stack.clear()
    before = seen(doc)
    assert doc.set_opportunity_fields("now", oid, changes=new)
    assert doc.undo_stack.undoText() == "Edit the changes of 'Faster help'"
    rhythm(doc, before)


def test_typing_into_a_field_merges_into_one_step(doc: ProjectDocument) -> None:
    oid = doc.add_opportunity("now", "F")
    doc.undo_stack.clear()
    before = seen(doc)
    for text in ("Fa", "Fas", "Fast"):
        doc.set_opportunity_fields("now", oid, title=text, merge_key=("title", oid))
    rhythm(doc, before)
    assert doc.journey("now").opportunity(oid).title == "Fast"


def test_edits_the_files_would_refuse_are_refused(doc: ProjectDocument) -> None:
    oid = doc.add_opportunity("now", "Fix")
    doc.undo_stack.clear()
    for fields in ({"cost": -1.0}, {"status": "someday"}, {"touchpoints": ["nowhere"]},
                   {"changes": Changes(touchpoints={"help": {"satisfaction": 2.0}})}):
        with pytest.raises(ValueError):
            doc.set_opportunity_fields("now", oid, **fields)
    assert doc.undo_stack.count() == 0


def test_reordering_and_removing_are_one_step_each(doc: ProjectDocument) -> None:
    ids = [doc.add_opportunity("now", title) for title in ("A", "B", "C")]
    doc.undo_stack.clear()
    before = seen(doc)
    assert doc.move_opportunity("now", ids[2], 0)
    rhythm(doc, before)
    assert [o.id for o in doc.journey("now").opportunities] == ["c", "a", "b"]
    assert not doc.move_opportunity("now", ids[2], 0)
    doc.undo_stack.clear()
    before = seen(doc)
    doc.remove_opportunity("now", ids[1])
    rhythm(doc, before)
    assert [o.id for o in doc.journey("now").opportunities] == ["c", "a"]


def test_the_cost_unit_is_one_step(doc: ProjectDocument) -> None:
    before = seen(doc)
    assert doc.set_cost_unit(" € ")
    rhythm(doc, before)
    assert doc.project.cost_unit == "€"
    assert not doc.set_cost_unit("€")
    with pytest.raises(ValueError):
        doc.set_cost_unit("x" * 21)


def test_a_future_state_is_a_new_journey_with_the_plan_applied_in_one_step(
        doc: ProjectDocument) -> None:
    a = doc.add_opportunity("now", "Kind help", changes=Changes(
        touchpoints={"help": {"satisfaction": 0.6}}))
    b = doc.add_opportunity("now", "Skip the shop", changes=Changes(
        remove_transitions=(("ad", "shop"),)))
    doc.add_opportunity("now", "Not funded", changes=Changes(
        touchpoints={"ad": {"satisfaction": -0.5}}))
    doc.undo_stack.clear()
    before = seen(doc)
    new_id = doc.make_future_state("now", [b, a])
    rhythm(doc, before)
    future = doc.journey(new_id)
    assert future.name == "Future state: Kind help + Skip the shop"
    assert future.touchpoints["help"].satisfaction == 0.6
    now = doc.journey("now")
    assert future.touchpoints["ad"].satisfaction == now.touchpoints["ad"].satisfaction
    assert ("ad", "shop") not in future.transitions
    assert future.opportunities == []
    assert [j.id for j in doc.project.journeys] == ["now", new_id]
    assert doc.undo_stack.undoText() == "Make 'Future state: Kind help + Skip the shop'"


def test_a_future_state_name_stays_short() -> None:
    assert future_state_name([]) == "Future state"
    assert future_state_name(["A", "B", "C", "D", "E"]) == "Future state: A + B + C and 2 more"
    assert len(future_state_name(["x" * 100])) < 60
