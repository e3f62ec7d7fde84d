"""The reader's fast path for touchpoints and transitions accepts exactly what the full checks do.

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
    quick = json_format._quick_touchpoint
    json_format._quick_touchpoint = lambda *args: None
    try:
        return reader.touchpoint(raw, 1, "j", STAGES, CHANNELS)
    except ProjectFileError as error:
        return error
    finally:
        json_format._quick_touchpoint = quick


def full_transition(raw: object) -> object:
    reader = json_format._Reader("f.json", [])
    quick = json_format._quick_transition
    json_format._quick_transition = lambda *args: None
    try:
        return reader.transition(raw, 1, "j", TOUCHPOINTS)
    except ProjectFileError as error:
        return error
    finally:
        json_format._quick_transition = quick


@settings(max_examples=400)
@given(st.dictionaries(st.sampled_from([*TOUCHPOINT_FIELDS, "colour"]), values, max_size=8))
def test_the_fast_touchpoint_path_agrees_with_the_full_checks(raw: dict[str, Any]) -> None:
    quick = json_format._quick_touchpoint(raw, STAGES, CHANNELS)
    if quick is not None:
        assert full_touchpoint(raw) == quick


@settings(max_examples=400)
@given(st.dictionaries(st.sampled_from(["from", "to", "probability", "label", "weight"]),
                       values, max_size=5))
def test_the_fast_transition_path_agrees_with_the_full_checks(raw: dict[str, Any]) -> None:
    quick = json_format._quick_transition(raw, TOUCHPOINTS)
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
    assert json_format._quick_touchpoint(raw, STAGES, CHANNELS) is None
    assert isinstance(full_touchpoint(raw), ProjectFileError)


def test_the_fast_path_takes_the_usual_case() -> None:
    raw = {"id": "t", "name": "Sees an ad", "stage": "aware", "channel": None,
           "satisfaction": -0.5, "value": 12.5, "conversion": True}
    assert json_format._quick_touchpoint(raw, STAGES, CHANNELS) == full_touchpoint(raw)
    transition = {"from": "a", "to": "b", "probability": 0.25, "label": ""}
    assert json_format._quick_transition(transition, TOUCHPOINTS) is not None
