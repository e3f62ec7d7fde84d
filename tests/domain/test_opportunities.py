"""Opportunities: what a bundle does to the journey, which exclude each other, what is
wrong with one, and that the journey's own edits keep them true (MODEL.md §12)."""

from __future__ import annotations

import pytest

from cx_mapper.domain.bundles import PatchError, apply_opportunities, exclusions
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.opportunities import (
    Changes,
    Opportunity,
    PlanSettings,
    opportunity_problems,
    plan_problems,
)
from cx_mapper.domain.project import Project
from cx_mapper.domain.validation import fit_problem, validate_project


def chain() -> Journey:
    """ad -> web -> buy, entering at ad."""
    journey = Journey("j")
    for tid, entry in (("ad", 1.0), ("web", 0.0), ("buy", 0.0)):
        journey.add_touchpoint(Touchpoint(tid, name=tid.title(), entry=entry))
    journey.add_transition(Transition("ad", "web", 0.5, label="click"))
    journey.add_transition(Transition("web", "buy", 0.4))
    return journey


def faster_web(oid: str = "faster", satisfaction: float = 0.8) -> Opportunity:
    return Opportunity(oid, title="Faster web shop", cost=30.0, touchpoints=("web",),
                       changes=Changes(touchpoints={"web": {"satisfaction": satisfaction}}))


def test_a_bundle_applies_in_order_and_leaves_the_journey_alone() -> None:
    journey = chain()
    chat = Opportunity("chat", cost=50.0, changes=Changes(
        add_touchpoints=(Touchpoint("chat", name="Chat", satisfaction=0.6),),
        transitions=(Transition("web", "chat", 0.2), Transition("ad", "web", 0.7)),
        remove_transitions=(("web", "buy"),)))
    patched = apply_opportunities(journey, [faster_web(), chat])
    assert patched.touchpoints["web"].satisfaction == 0.8
    assert patched.touchpoints["chat"].name == "Chat"
    assert ("web", "buy") not in patched.transitions
    assert patched.transitions[("web", "chat")].probability == 0.2
    # A changed probability keeps the transition's label.
    assert patched.transitions[("ad", "web")] == Transition("ad", "web", 0.7, label="click")
    assert patched.opportunities == []
    # The journey itself is as it was.
    assert journey.touchpoints["web"].satisfaction == 0.0
    assert "chat" not in journey.touchpoints
    assert journey.transitions[("web", "buy")].probability == 0.4
    # The later opportunity wins where both set a field: list order.
    later = apply_opportunities(journey, [faster_web(), faster_web("b", 0.2)])
    assert later.touchpoints["web"].satisfaction == 0.2


def test_a_change_that_does_not_fit_names_the_opportunity() -> None:
    gone = Opportunity("gone", changes=Changes(remove_transitions=(("buy", "ad"),)))
    with pytest.raises(PatchError) as raised:
        apply_opportunities(chain(), [gone])
    assert raised.value.opportunity_id == "gone"
    assert "buy -> ad" in raised.value.message


def test_opportunities_setting_the_same_field_exclude_each_other() -> None:
    journey = chain()
    journey.opportunities = [
        faster_web("a"), faster_web("b", 0.5),
        Opportunity("c", changes=Changes(touchpoints={"web": {"value": 10.0}})),
        Opportunity("d", changes=Changes(transitions=(Transition("ad", "web", 0.9),))),
        Opportunity("e", changes=Changes(remove_transitions=(("ad", "web"),))),
    ]
    assert exclusions(journey.opportunities) == [("a", "b"), ("d", "e")]


def test_what_is_wrong_with_an_opportunity_is_named_by_field() -> None:
    bad = Opportunity("x", status="someday", cost=-1.0, touchpoints=("nowhere", "ad", "ad"),  # type: ignore[arg-type]
                      changes=Changes(touchpoints={"ad": {"satisfaction": 2.0, "x": 1.0}},
                                      transitions=(Transition("ad", "moon", 0.5),)))
    fields = [field for field, _ in opportunity_problems(bad, chain().touchpoints)]
    assert fields == ["status", "cost", "touchpoints", "touchpoints", "changes", "changes",
                      "changes"]
    assert opportunity_problems(faster_web(), chain().touchpoints) == []


def test_a_change_that_breaks_the_journey_is_a_problem_of_the_opportunity() -> None:
    project = Project(journeys=[chain()])
    journey = project.journeys[0]
    too_much = Opportunity("more", title="More clicks", changes=Changes(
        transitions=(Transition("ad", "buy", 0.6),)))
    assert "above 100%" in (fit_problem(journey, too_much, project.segments) or "")
    journey.add_opportunity(too_much)
    journey.add_opportunity(faster_web())
    found = [p for p in validate_project(project) if p.element == "opportunity"]
    assert [(p.element_id, p.field) for p in found] == [("more", "changes")]
    assert found[0].is_error and found[0].journey == "j"


def test_removing_a_touchpoint_drops_its_changes_and_undo_puts_them_back() -> None:
    journey = chain()
    both = Opportunity("both", touchpoints=("web", "buy"), changes=Changes(
        touchpoints={"web": {"satisfaction": 0.5}, "buy": {"value": 9.0}},
        transitions=(Transition("web", "buy", 0.6),)))
    journey.add_opportunity(both)
    journey.add_opportunity(faster_web())
    removed = journey.remove_touchpoint("buy")
    left = journey.opportunity("both")
    assert left.touchpoints == ("web",)
    assert left.changes == Changes(touchpoints={"web": {"satisfaction": 0.5}})
    assert journey.opportunity("faster") == faster_web()
    journey.restore_touchpoint(removed)
    assert journey.opportunity("both") == both


def test_renaming_a_touchpoint_carries_its_opportunities_along() -> None:
    journey = chain()
    journey.add_opportunity(Opportunity("o", touchpoints=("web",), changes=Changes(
        touchpoints={"web": {"impact": 0.5}}, remove_transitions=(("web", "buy"),))))
    journey.rename_touchpoint("web", "shop")
    moved = journey.opportunity("o")
    assert moved.touchpoints == ("shop",)
    assert moved.changes == Changes(touchpoints={"shop": {"impact": 0.5}},
                                    remove_transitions=(("shop", "buy"),))


def test_opportunity_edits_hand_back_what_undo_needs() -> None:
    journey = chain()
    journey.add_opportunity(faster_web())
    journey.add_opportunity(faster_web("second"), 0)
    assert [o.id for o in journey.opportunities] == ["second", "faster"]
    old = journey.update_opportunity("faster", status="planned", touchpoints=["web", "web"])
    assert journey.opportunity("faster").status == "planned"
    assert journey.opportunity("faster").touchpoints == ("web",)
    journey.replace_opportunity(old)
    assert journey.opportunity("faster") == faster_web()
    assert journey.move_opportunity("faster", 0) == 1
    index, gone = journey.remove_opportunity("second")
    assert (index, gone.id) == (1, "second")
    assert journey.new_opportunity_id("faster") == "faster-2"
    with pytest.raises(ValueError):
        journey.add_opportunity(faster_web())
    with pytest.raises(ValueError):
        journey.update_opportunity("faster", id="other")
    copy = journey.copy()
    copy.remove_opportunity("faster")
    assert [o.id for o in journey.opportunities] == ["faster"]


def test_plan_settings_are_checked_field_by_field() -> None:
    assert plan_problems(PlanSettings(120.0, {"value": 1.0, "referral_r": 50.0})) == []
    fields = [f for f, _ in plan_problems(PlanSettings(-5.0, {"wealth": 1.0, "value": 1e9}))]
    assert fields == ["budget", "objective", "objective"]
    assert plan_problems(PlanSettings(10.0, {}))[0][0] == "objective"
    project = Project(journeys=[chain()])
    project.journeys[0].plan = PlanSettings(float("nan"))
    found = [p for p in validate_project(project) if p.field == "plan budget"]
    assert len(found) == 1 and found[0].is_error
