"""The reader's fast paths for touchpoints and transitions, one by one and a whole list at
once, accept exactly what the full checks do.

Large projects go through the fast path; anything unusual falls back to the full
checks for their message. These properties make sure the shortcut never lets
through a value that the rules (FORMAT.md, "Strict reading") refuse.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cx_mapper.domain.journey import TOUCHPOINT_FIELDS, Touchpoint
from cx_mapper.persistence import json_format
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_quick import (
    quick_touchpoint,
    quick_touchpoints,
    quick_transition,
    quick_transitions,
)

STAGES = {"aware"}
CHANNELS = {"social"}
TOUCHPOINTS = {"a": Touchpoint("a"), "b": Touchpoint("b")}

#: Values of every kind a file can hold, near and past the edges of the ranges.
values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([-1.0, -1.0000001, 0.0, -0.0, 1.0, 1.0000001, 1e308]),
    st.integers(-3, 3),
    st.booleans(),
    st.none(),
    st.sampled_from(["", "a", "b", "aware", "social", "x", "\ud800", "é"]),
    st.just([]),
    st.just({}),
)


def full_touchpoint(raw: object) -> Touchpoint | ProjectFileError:
    reader = json_format._Reader("f.json", [])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "quick_touchpoint", lambda *args: None)
        try:
            return reader.touchpoint(raw, 1, "j", STAGES, CHANNELS)
        except ProjectFileError as error:
            return error


def full_transition(raw: object) -> object:
    reader = json_format._Reader("f.json", [])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "quick_transition", lambda *args: None)
        try:
            return reader.transition(raw, 1, "j", TOUCHPOINTS)
        except ProjectFileError as error:
            return error


@settings(max_examples=400)
@given(st.dictionaries(st.sampled_from([*TOUCHPOINT_FIELDS, "colour"]), values, max_size=8))
def test_the_fast_touchpoint_path_agrees_with_the_full_checks(raw: dict[str, Any]) -> None:
    quick = quick_touchpoint(raw, STAGES, CHANNELS)
    if quick is not None:
        assert full_touchpoint(raw) == quick


@settings(max_examples=400)
@given(st.dictionaries(st.sampled_from(["from", "to", "probability", "label", "weight"]),
                       values, max_size=5))
def test_the_fast_transition_path_agrees_with_the_full_checks(raw: dict[str, Any]) -> None:
    quick = quick_transition(raw, TOUCHPOINTS)
    if quick is not None:
        assert full_transition(raw) == quick


@pytest.mark.parametrize("raw", [
    {"id": "t", "satisfaction": float("nan")},
    {"id": "t", "value": float("inf")},
    {"id": "t", "x": -float("inf")},
    {"id": "t", "impact": 1.0000001},
    {"id": "t", "name": "\ud800"},
    {"id": "t", "stage": "elsewhere"},
    {"id": "t", "conversion": 1},
    {"id": "t", "colour": "red"},
    {"id": ""},
    {"name": "no id"},
])
def test_the_fast_path_leaves_every_error_to_the_full_checks(raw: dict[str, Any]) -> None:
    assert quick_touchpoint(raw, STAGES, CHANNELS) is None
    assert isinstance(full_touchpoint(raw), ProjectFileError)


def test_the_fast_path_takes_the_usual_case() -> None:
    raw = {"id": "t", "name": "Sees an ad", "stage": "aware", "channel": None,
           "satisfaction": -0.5, "value": 12.5, "conversion": True}
    assert quick_touchpoint(raw, STAGES, CHANNELS) == full_touchpoint(raw)
    transition = {"from": "a", "to": "b", "probability": 0.25, "label": ""}
    assert quick_transition(transition, TOUCHPOINTS) is not None


touchpoint_objects = st.dictionaries(st.sampled_from([*TOUCHPOINT_FIELDS, "colour"]), values,
                                     max_size=8)
#: Mostly good touchpoints, so that whole lists pass the quick check often enough.
good_touchpoints = st.builds(
    lambda i, satisfaction, stage: {"id": f"t{i}", "satisfaction": satisfaction,
                                    "stage": stage},
    st.integers(0, 5), st.floats(-1, 1), st.sampled_from([None, "aware"]))


@settings(max_examples=400)
@given(st.lists(good_touchpoints | touchpoint_objects, max_size=5))
def test_a_whole_touchpoint_list_is_taken_only_when_each_would_be(raws: list[Any]) -> None:
    quick = quick_touchpoints(raws, STAGES, CHANNELS)
    if quick is None:
        return
    one_by_one = [full_touchpoint(raw) for raw in raws]
    assert list(quick.values()) == one_by_one
    assert len(quick) == len(raws)  # no id given twice


good_transitions = st.builds(
    lambda ends, probability: {"from": ends[0], "to": ends[1], "probability": probability},
    st.sampled_from([("a", "b"), ("b", "a"), ("a", "a")]), st.floats(0, 1))
transition_objects = st.dictionaries(
    st.sampled_from(["from", "to", "probability", "label", "weight"]), values, max_size=5)


@settings(max_examples=400)
@given(st.lists(good_transitions | transition_objects, max_size=4))
def test_a_whole_transition_list_is_taken_only_when_each_would_be(raws: list[Any]) -> None:
    quick = quick_transitions(raws, TOUCHPOINTS)
    if quick is None:
        return
    transitions, totals = quick
    assert list(transitions.values()) == [full_transition(raw) for raw in raws]
    assert len(transitions) == len(raws)  # no pair listed twice
    for source, total in totals.items():
        assert total == pytest.approx(sum(t.probability for t in transitions.values()
                                          if t.source == source), abs=1e-15)


def test_a_whole_list_with_one_unusual_element_goes_to_the_full_checks() -> None:
    good = [{"id": "t1"}, {"id": "t2", "satisfaction": 0.5}]
    assert quick_touchpoints(good, STAGES, CHANNELS) is not None
    for bad in ({"id": "t1"}, {"id": "t3", "satisfaction": 1}, {"id": "t3", "stage": ["x"]},
                {"id": "t3", "name": "\ud800"}, {"id": "t3", "colour": "red"}, "t3"):
        assert quick_touchpoints([*good, bad], STAGES, CHANNELS) is None, bad
    moves = [{"from": "a", "to": "b", "probability": 0.5}]
    assert quick_transitions(moves, TOUCHPOINTS) is not None
    for bad in ({"from": "a", "to": "b", "probability": 0.1}, {"from": "a", "to": "c",
                "probability": 0.1}, {"from": ["a"], "to": "b", "probability": 0.1},
                {"from": "b", "to": "a", "probability": 1}, {"to": "a", "probability": 0.1}):
        assert quick_transitions([*moves, bad], TOUCHPOINTS) is None, bad
