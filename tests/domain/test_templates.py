"""File › New starting points: what a new project holds before the user touches it."""

from __future__ import annotations

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import ALL_CONSUMERS
from cx_mapper.domain.templates import (
    FIVE_STAGES,
    blank_project,
    five_stage_project,
    service_blueprint_project,
)
from cx_mapper.domain.validation import validate_project


def test_blank_project_has_one_empty_current_state_journey_and_the_default_segment() -> None:
    project = blank_project()
    assert [j.name for j in project.journeys] == ["Current state"]
    journey = project.journeys[0]
    assert not journey.touchpoints and not journey.transitions and not journey.stages
    assert project.segments == [ALL_CONSUMERS]
    # The only problem is the one the Problems list should show: nothing drawn yet.
    assert [p.message for p in validate_project(project)] == ["The journey has no touchpoints yet."]


def test_five_stage_project_has_the_stages_in_order_and_common_channels() -> None:
    journey = five_stage_project().journeys[0]
    assert journey.name == "Current state"
    assert [s.name for s in journey.stages] == [
        "Awareness", "Consideration", "Purchase", "Service", "Loyalty"]
    assert {"Social media", "Website", "Store", "Phone"} <= {c.name for c in journey.channels}


def test_five_stage_starters_sit_in_their_lanes_and_validate_cleanly() -> None:
    project = five_stage_project()
    journey = project.journeys[0]
    lane = {stage.id: index for index, stage in enumerate(journey.stages)}
    by_stage: dict[str, list[float]] = {}
    for touchpoint in journey.touchpoints.values():
        assert touchpoint.stage is not None
        assert touchpoint.x == lane[touchpoint.stage] * 260
        by_stage.setdefault(touchpoint.stage, []).append(touchpoint.y)
    assert set(by_stage) == set(lane)
    for ys in by_stage.values():
        assert ys == [120.0 * row for row in range(len(ys))]
    assert validate_project(project) == []
    assert sum(t.entry for t in journey.touchpoints.values()) == 1.0
    assert any(t.conversion for t in journey.touchpoints.values())


def test_templates_are_fresh_objects_each_time() -> None:
    first = five_stage_project()
    first.journeys[0].update_touchpoint("buys", name="Changed")
    assert five_stage_project().journeys[0].touchpoint("buys").name == "Buys"
    assert blank_project() is not blank_project()


def lanes_drawn(journey: Journey) -> tuple[list[str], list[str]]:
    """The lane kinds above and below the touchpoint band, top to bottom."""
    kinds = [lane.kind for lane in journey.lanes]
    return kinds[:journey.lanes_above], kinds[journey.lanes_above:]


def test_five_stage_map_has_actions_above_and_the_story_lanes_below() -> None:
    journey = five_stage_project().journeys[0]
    assert lanes_drawn(journey) == (
        ["actions"], ["thoughts", "pain_points", "opportunities"])
    assert [lane.name for lane in journey.lanes] == [
        "Customer actions", "Thoughts and feelings", "Pain points", "Opportunities and ideas"]
    # An example note in each lane, about the starter touchpoint of its stage.
    assert sorted(note.lane for note in journey.notes.values()) == sorted(
        lane.id for lane in journey.lanes)
    for note in journey.notes.values():
        assert note.text and all(journey.touchpoints[t].stage == note.stage
                                 for t in note.touchpoints)


def test_service_blueprint_reads_from_the_customer_down_to_support() -> None:
    project = service_blueprint_project()
    journey = project.journeys[0]
    assert lanes_drawn(journey) == (["actions"], ["frontstage", "backstage", "support"])
    assert [lane.name for lane in journey.lanes] == [
        "Customer actions", "Frontstage", "Backstage", "Support processes"]
    # The same stages and starters as the map, so numbers show at once.
    assert [s.name for s in journey.stages] == [name for _, name in FIVE_STAGES]
    assert journey.touchpoints.keys() == five_stage_project().journeys[0].touchpoints.keys()
    assert {note.lane for note in journey.notes.values()} == {lane.id for lane in journey.lanes}
    assert validate_project(project) == []

