"""Hypothesis strategies for valid projects, shared by the format, engine and UI tests.

Everything drawn here passes the strict cx-mapper/1 reader: values in range,
unique ids, declared stages and channels, out-probabilities summing to at most 1,
and segment shares that already sum to 1.

    from tests.strategies import projects, journeys, segments
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import PARAMETER_RANGES, Project, Segment

#: Ids and names: any text JSON can hold (hypothesis leaves out lone surrogates).
ids = st.text(min_size=1, max_size=8)
names = st.text(max_size=12)

# Caps for unbounded parameters, so the engine tests get plausible numbers.
_PARAMETER_CAPS = {"tell_positive": 100.0, "tell_negative": 100.0, "spend_uplift": 1.0,
                   "public_reach": 50.0}


def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def _unique_ids(min_size: int, max_size: int) -> st.SearchStrategy[list[str]]:
    return st.lists(ids, min_size=min_size, max_size=max_size, unique=True)


@st.composite
def segments(draw: st.DrawFn, min_size: int = 1, max_size: int = 3) -> list[Segment]:
    """1-3 segments with shares > 0 that sum to 1."""
    segment_ids = draw(_unique_ids(min_size, max_size))
    weights = [draw(_floats(0.01, 1.0)) for _ in segment_ids]
    total = math.fsum(weights)
    result = []
    for segment_id, weight in zip(segment_ids, weights, strict=True):
        parameters: dict[str, Any] = {}
        for key, (low, high) in PARAMETER_RANGES.items():
            parameters[key] = draw(_floats(low or 0.0, _PARAMETER_CAPS.get(key, high or 1.0)))
        result.append(Segment(id=segment_id, name=draw(names), share=weight / total, **parameters))
    return result


@st.composite
def journeys(
    draw: st.DrawFn,
    journey_id: str | None = None,
    max_touchpoints: int = 8,
    min_discount_rate: float = 0.0,
) -> Journey:
    """A journey with stages, channels, touchpoints and transitions (self-loops too).

    The first touchpoint always has an entry share, so some customers start.
    Pass `min_discount_rate` > 0 to rule out closed loops with no discount.
    """
    stages = [Stage(i, draw(names)) for i in draw(_unique_ids(0, 3))]
    channels = [Channel(i, draw(names)) for i in draw(_unique_ids(0, 3))]
    stage_choice = (st.none() | st.sampled_from([s.id for s in stages])) if stages else st.none()
    channel_choice = (
        (st.none() | st.sampled_from([c.id for c in channels])) if channels else st.none()
    )

    touchpoints: dict[str, Touchpoint] = {}
    for number, touchpoint_id in enumerate(draw(_unique_ids(1, max_touchpoints))):
        touchpoints[touchpoint_id] = Touchpoint(
            id=touchpoint_id,
            name=draw(names),
            stage=draw(stage_choice),
            channel=draw(channel_choice),
            satisfaction=draw(_floats(-1.0, 1.0)),
            visibility=draw(_floats(0.0, 1.0)),
            value=draw(_floats(-1000.0, 1000.0)),
            impact=draw(_floats(0.0, 1.0)),
            entry=draw(_floats(0.1, 1.0) if number == 0 else _floats(0.0, 1.0)),
            referral_entry=draw(_floats(0.0, 1.0)),
            conversion=draw(st.booleans()),
            x=draw(_floats(-5000.0, 5000.0)),
            y=draw(_floats(-5000.0, 5000.0)),
            notes=draw(names),
        )

    touchpoint_ids = list(touchpoints)
    pairs = draw(st.lists(
        st.tuples(st.sampled_from(touchpoint_ids), st.sampled_from(touchpoint_ids)),
        max_size=3 * len(touchpoint_ids), unique=True,
    ))
    drawn = [(source, target, draw(_floats(0.0, 1.0))) for source, target in pairs]
    out_sums: dict[str, float] = {}
    for source, _, probability in drawn:
        out_sums[source] = out_sums.get(source, 0.0) + probability
    transitions: dict[tuple[str, str], Transition] = {}
    for source, target, probability in drawn:
        # Scale each touchpoint's out-probabilities down so they sum to at most 1.
        scale = 1.0 / out_sums[source] if out_sums[source] > 1.0 else 1.0
        transitions[(source, target)] = Transition(
            source, target, min(1.0, probability * scale), draw(names)
        )

    return Journey(
        id=journey_id if journey_id is not None else draw(ids),
        name=draw(names),
        discount_rate=draw(_floats(min_discount_rate, max(min_discount_rate, 0.5))),
        horizon=draw(st.integers(0, 60)),
        conversions=draw(st.none() | _floats(0.0, 1e6)),
        stages=stages,
        channels=channels,
        touchpoints=touchpoints,
        transitions=transitions,
    )


@st.composite
def projects(
    draw: st.DrawFn,
    max_journeys: int = 3,
    max_touchpoints: int = 8,
    min_discount_rate: float = 0.0,
) -> Project:
    """A valid project: 1-3 segments and up to `max_journeys` journeys with unique ids."""
    journey_ids = draw(_unique_ids(0, max_journeys))
    return Project(
        name=draw(names),
        segments=draw(segments()),
        journeys=[draw(journeys(journey_id, max_touchpoints, min_discount_rate))
                  for journey_id in journey_ids],
    )
