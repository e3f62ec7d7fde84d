"""Each touchpoint, transition and journey range is one fact: the Problems dock, the JSON
reader and the inspector refuse exactly the same values (ARCHITECTURE.md, one home per fact)."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import (
    ALL_CONSUMERS,
    PARAMETER_RANGES,
    SHARE_ABOVE,
    SHARE_MAX,
    Project,
)
from cx_mapper.domain.ranges import (
    HORIZON_LIMIT,
    JOURNEY_RANGES,
    TOUCHPOINT_RANGES,
    TRANSITION_RANGES,
    Range,
    range_words,
    within,
)
from cx_mapper.domain.validation import validate_journey, validate_project
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import loads_project
from cx_mapper.ui.editor.properties import (
    JOURNEY_PROPERTIES,
    SEGMENT_PARAMETERS,
    SEGMENT_SHARE,
    TOUCHPOINT_PROPERTIES,
    TRANSITION_PROPERTIES,
    Property,
)

#: How far past a bound the probes go; small next to every range.
STEP = 0.01


def probes(limits: Range) -> list[tuple[float, bool]]:
    """Values at and just past each finite bound, and whether they are allowed."""
    low, high = limits
    cases = [(math.nan, False), (math.inf, False), (-math.inf, False)]
    if low is not None:
        cases += [(low, True), (low - STEP, False)]
    if high is not None:
        cases += [(high, True), (high + STEP, False)]
    if low is None and high is None:
        cases += [(-1e9, True), (1e9, True)]
    return cases


def by_name(properties: tuple[Property, ...]) -> dict[str, Property]:
    return {p.name: p for p in properties}


def two_touchpoints(**first: float) -> Journey:
    journey = Journey("j", discount_rate=0.1)
    journey.add_touchpoint(Touchpoint("a", name="A", **{"entry": 1.0, **first}))  # type: ignore[arg-type]
    journey.add_touchpoint(Touchpoint("b", name="B"))
    journey.add_transition(Transition("a", "b", 0.5))
    return journey


def file_with(touchpoint: dict[str, float] | None = None,
              transition: dict[str, float] | None = None,
              journey: dict[str, float] | None = None) -> str:
    return json.dumps({
        "format": "cx-mapper/1",
        "journeys": [{
            "id": "j", **(journey or {}),
            "touchpoints": [{"id": "a", "entry": 1.0, **(touchpoint or {})}, {"id": "b"}],
            "transitions": [{"from": "a", "to": "b", "probability": 0.5, **(transition or {})}],
        }],
    })


def reader_accepts(text: str) -> bool:
    try:
        loads_project(text, "f.json")
    except ProjectFileError:
        return False
    return True


def validation_accepts(journey: Journey, element: str, field: str) -> bool:
    return not any(p.is_error and p.element == element and p.field == field
                   for p in validate_journey(journey))


# -- the inspector reads the declaration ---------------------------------------------------------
@pytest.mark.parametrize(("properties", "ranges"), [
    (TOUCHPOINT_PROPERTIES, TOUCHPOINT_RANGES),
    (TRANSITION_PROPERTIES, TRANSITION_RANGES),
    (JOURNEY_PROPERTIES, JOURNEY_RANGES),
])
def test_every_numeric_property_has_the_domain_range(
        properties: tuple[Property, ...], ranges: dict[str, Range]) -> None:
    for name, prop in by_name(properties).items():
        if name in ranges:
            assert (prop.minimum, prop.maximum) == ranges[name], name
            assert not prop.minimum_exclusive, name


# -- and all three refuse the same values ---------------------------------------------------
@pytest.mark.parametrize("field", list(TOUCHPOINT_RANGES))
def test_touchpoint_bounds_are_the_same_in_validation_reader_and_inspector(field: str) -> None:
    prop = by_name(TOUCHPOINT_PROPERTIES).get(field)  # x and y are moved on the canvas
    for value, allowed in probes(TOUCHPOINT_RANGES[field]):
        assert within(value, TOUCHPOINT_RANGES[field]) is allowed, (field, value)
        assert validation_accepts(two_touchpoints(**{field: value}), "touchpoint",
                                  field) is allowed, (field, value)
        if math.isfinite(value):  # JSON has no NaN or infinity to write
            assert reader_accepts(file_with(touchpoint={field: value})) is allowed, (field, value)
        if prop is not None:
            assert (prop.problem(value) is None) is allowed, (field, value)


@pytest.mark.parametrize("field", list(TRANSITION_RANGES))
def test_transition_bounds_are_the_same_in_validation_reader_and_inspector(field: str) -> None:
    prop = by_name(TRANSITION_PROPERTIES)[field]
    for value, allowed in probes(TRANSITION_RANGES[field]):
        journey = two_touchpoints()
        journey.update_transition("a", "b", **{field: value})
        assert validation_accepts(journey, "transition", field) is allowed, (field, value)
        if math.isfinite(value):
            assert reader_accepts(file_with(transition={field: value})) is allowed, (field, value)
        assert (prop.problem(value) is None) is allowed, (field, value)


@pytest.mark.parametrize("field", ["discount_rate", "conversions"])
def test_journey_bounds_are_the_same_in_validation_reader_and_inspector(field: str) -> None:
    prop = by_name(JOURNEY_PROPERTIES).get(field)  # conversions come with imported data
    for value, allowed in probes(JOURNEY_RANGES[field]):
        journey = two_touchpoints()
        setattr(journey, field, value)
        assert validation_accepts(journey, "journey", field) is allowed, (field, value)
        if math.isfinite(value):
            assert reader_accepts(file_with(journey={field: value})) is allowed, (field, value)
        if prop is not None:
            assert (prop.problem(value) is None) is allowed, (field, value)


def test_horizon_bounds_are_the_same_in_validation_reader_and_inspector() -> None:
    prop = by_name(JOURNEY_PROPERTIES)["horizon"]
    for value, allowed in ((0, True), (-1, False), (24, True), (HORIZON_LIMIT, True),
                           (HORIZON_LIMIT + 1, False), (2**63, False)):
        journey = two_touchpoints()
        journey.horizon = value
        assert validation_accepts(journey, "journey", "horizon") is allowed, value
        assert reader_accepts(file_with(journey={"horizon": value})) is allowed, value
        assert (prop.problem(value) is None) is allowed, value


def test_messages_say_the_declared_range_in_the_same_words() -> None:
    low, high = TOUCHPOINT_RANGES["satisfaction"]
    words = range_words(low, high)
    assert words == "between -1 and 1"
    problems = validate_journey(two_touchpoints(satisfaction=1.5))
    assert any(words in p.message and p.field == "satisfaction" for p in problems)
    with pytest.raises(ProjectFileError, match=words):
        loads_project(file_with(touchpoint={"satisfaction": 1.5}), "f.json")
    assert range_words(0.0, None) == "0 or more"
    assert range_words(0.0, None, above=True) == "above 0"
    assert range_words(None, 1.0) == "1 or less"


@pytest.mark.parametrize("share, allowed", [
    (SHARE_ABOVE, False), (SHARE_ABOVE + STEP, True), (SHARE_ABOVE - STEP, False),
    (SHARE_MAX, True), (SHARE_MAX + STEP, False), (1.8e308, False),
    (math.nan, False), (math.inf, False)])
def test_a_segment_share_is_refused_alike_everywhere(share: float, allowed: bool) -> None:
    project = Project(journeys=[two_touchpoints()],
                      segments=[replace(ALL_CONSUMERS, share=share)])
    in_problems = not any(p.is_error and p.field == "share" and p.element == "segment"
                          for p in validate_project(project))
    text = file_with().replace('"journeys"', '"segments": [{"id": "s", "share": SHARE}], '
                               '"journeys"').replace("SHARE", json.dumps(share)
                                                     if math.isfinite(share) else "1e999")
    in_file = reader_accepts(text)
    in_inspector = SEGMENT_SHARE.problem(share) is None
    assert (in_problems, in_file, in_inspector) == (allowed, allowed, allowed)


# -- upper bounds: every number a file can hold has a finite one ----------------------------
UNBOUNDED_ON_PURPOSE = {"x", "y", "discount_rate"}  # positions; a rate only shrinks figures


@pytest.mark.parametrize("ranges", [TOUCHPOINT_RANGES, JOURNEY_RANGES, PARAMETER_RANGES])
def test_every_number_that_feeds_the_analysis_has_an_upper_bound(
        ranges: dict[str, Range]) -> None:
    for name, (_, high) in ranges.items():
        assert high is not None or name in UNBOUNDED_ON_PURPOSE, name


@pytest.mark.parametrize("field", list(PARAMETER_RANGES))
def test_segment_parameter_bounds_are_the_same_in_validation_reader_and_inspector(
        field: str) -> None:
    prop = by_name(SEGMENT_PARAMETERS)[field]
    assert (prop.minimum, prop.maximum) == PARAMETER_RANGES[field]
    for value, allowed in [*probes(PARAMETER_RANGES[field]), (1.8e308, False)]:
        project = Project(journeys=[two_touchpoints()],
                          segments=[replace(ALL_CONSUMERS, **{field: value})])
        in_problems = not any(p.is_error and p.field == field and p.element == "segment"
                              for p in validate_project(project))
        assert in_problems is allowed, (field, value)
        if math.isfinite(value):
            text = file_with().replace(
                '"journeys"', f'"segments": [{{"id": "s", "{field}": {json.dumps(value)}}}], '
                '"journeys"')
            assert reader_accepts(text) is allowed, (field, value)
        assert (prop.problem(value) is None) is allowed, (field, value)


def test_the_largest_double_is_refused_with_a_message_not_an_overflow() -> None:
    for text in (file_with(touchpoint={"value": 1.7976931348623157e308}),
                 file_with(journey={"horizon": 10**30}),
                 file_with(touchpoint={"entry": 1e308})):
        with pytest.raises(ProjectFileError, match="between"):
            loads_project(text, "f.json")
