"""What the engine reads: only places changed means the same figures, anything else not."""

from __future__ import annotations

from dataclasses import replace

import pytest

from cx_mapper.domain.elements import Transition
from cx_mapper.domain.engine_inputs import engine_inputs, same_figures
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from tests.factories import sample_project


def edited(change: str) -> Project:
    project = sample_project()
    journey = project.journeys[0]
    if change == "places":
        journey.update_touchpoint("ad", x=500.0, y=-40.0)
        journey.update_touchpoint("help", x=12.0)
    elif change == "satisfaction":
        journey.update_touchpoint("ad", satisfaction=0.4)
    elif change == "name":
        journey.update_touchpoint("ad", name="Banner ad")
    elif change == "probability":
        journey.add_transition(Transition("help", "site", 0.1))
    elif change == "discount":
        journey.discount_rate = 0.2
    elif change == "stage":
        journey.stages[0] = replace(journey.stages[0], name="Aware")
    elif change == "segment":
        project.segments[0] = replace(project.segments[0], tell_negative=20.0)
    return project


def test_only_places_keep_the_figures() -> None:
    before = engine_inputs(sample_project(), "now")
    assert same_figures(before, engine_inputs(sample_project(), "now"))
    assert same_figures(before, engine_inputs(edited("places"), "now"))
    # ...and those figures are indeed the same.
    assert analyze(edited("places")).totals == analyze(sample_project()).totals


@pytest.mark.parametrize("change", ["satisfaction", "name", "probability", "discount",
                                    "stage", "segment"])
def test_any_other_change_counts(change: str) -> None:
    assert not same_figures(engine_inputs(sample_project(), "now"),
                            engine_inputs(edited(change), "now"))


def test_a_touchpoint_added_or_removed_counts() -> None:
    project = sample_project()
    before = engine_inputs(project, "now")
    project.journeys[0].remove_touchpoint("help")
    assert not same_figures(before, engine_inputs(project, "now"))
