"""Hypothesis strategies for valid projects, shared by the format, engine and UI tests.

Everything drawn here passes the strict cx-mapper/1 reader: values in range,
unique ids, declared stages and channels, out-probabilities summing to at most 1,
and segment shares that already sum to 1.

    from tests.strategies import projects, journeys, segments
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from cx_mapper.domain.content import LANE_KINDS, Lane, Note
from cx_mapper.domain.images import Image
from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.opportunities import (
    CHANGEABLE_FIELDS,
    OPPORTUNITY_STATUSES,
    PLAN_KPIS,
    Changes,
    Opportunity,
    PlanSettings,
)
from cx_mapper.domain.personas import Persona
from cx_mapper.domain.project import PARAMETER_RANGES, Project, Segment
from tests.factories import IMAGE_FILES, image_file, png_bytes

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
def images(draw: st.DrawFn, max_size: int = 2) -> dict[str, Image]:
    """Up to `max_size` images: PNGs of any small size, and real JPEG and WebP files."""
    found: dict[str, Image] = {}
    for image_id in draw(_unique_ids(0, max_size)):
        if draw(st.booleans()):
            data = png_bytes(draw(st.integers(1, 40)), draw(st.integers(1, 40)),
                             draw(st.tuples(*[st.integers(0, 255)] * 3)))
            found[image_id] = Image(image_id, "image/png", data)
        else:
            name = draw(st.sampled_from(sorted(IMAGE_FILES)))
            found[image_id] = Image(image_id, IMAGE_FILES[name], image_file(name))
    return found


def _maybe(choices: list[str]) -> st.SearchStrategy[str | None]:
    return (st.none() | st.sampled_from(choices)) if choices else st.none()


@st.composite
def journeys(
    draw: st.DrawFn,
    journey_id: str | None = None,
    max_touchpoints: int = 8,
    min_discount_rate: float = 0.0,
    image_ids: list[str] | None = None,
    content: bool = True,
) -> Journey:
    """A journey with stages, channels, touchpoints and transitions (self-loops too), and
    lanes with notes in their cells, about some touchpoints, and opportunities of every
    kind (field and transition changes, removed transitions, an added touchpoint) and the
    plan last asked for.

    The first touchpoint always has an entry share, so some customers start.
    Pass `min_discount_rate` > 0 to rule out closed loops with no discount; touchpoints
    and notes show images of `image_ids`. `content=False` leaves out lanes, notes,
    opportunities, the plan and the times an event log gives.
    """
    image_choice = _maybe(image_ids or [])
    # Times from an event log (seconds), on some stages and transitions.
    times = st.just((None, None))
    if content:
        times |= st.tuples(_floats(0.0, 1e8), _floats(0.0, 1e8))
    stages = [Stage(i, draw(names), *draw(times)) for i in draw(_unique_ids(0, 3))]
    channels = [Channel(i, draw(names)) for i in draw(_unique_ids(0, 3))]
    stage_choice = (st.none() | st.sampled_from([s.id for s in stages])) if stages else st.none()
    channel_choice = (
        (st.none() | st.sampled_from([c.id for c in channels])) if channels else st.none()
    )

    def touchpoint(touchpoint_id: str, starts: bool) -> Touchpoint:
        return Touchpoint(
            id=touchpoint_id,
            name=draw(names),
            stage=draw(stage_choice),
            channel=draw(channel_choice),
            satisfaction=draw(_floats(-1.0, 1.0)),
            visibility=draw(_floats(0.0, 1.0)),
            value=draw(_floats(-1000.0, 1000.0)),
            impact=draw(_floats(0.0, 1.0)),
            entry=draw(_floats(0.1, 1.0) if starts else _floats(0.0, 1.0)),
            referral_entry=draw(_floats(0.0, 1.0)),
            conversion=draw(st.booleans()),
            x=draw(_floats(-5000.0, 5000.0)),
            y=draw(_floats(-5000.0, 5000.0)),
            notes=draw(names),
            image=draw(image_choice),
        )

    touchpoints = {touchpoint_id: touchpoint(touchpoint_id, number == 0) for number, touchpoint_id
                   in enumerate(draw(_unique_ids(1, max_touchpoints)))}

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
            source, target, min(1.0, probability * scale), draw(names), *draw(times)
        )

    lanes = [Lane(i, draw(st.sampled_from(list(LANE_KINDS))), draw(names),
                  draw(st.none() | st.from_regex(r"#[0-9a-fA-F]{6}", fullmatch=True)))
             for i in draw(_unique_ids(0, 3 if content else 0))]
    notes: dict[str, Note] = {}
    if lanes and stages:
        for note_id in draw(_unique_ids(0, 4)):
            notes[note_id] = Note(
                note_id, draw(st.sampled_from([lane.id for lane in lanes])),
                draw(st.sampled_from([s.id for s in stages])), draw(st.text(max_size=30)),
                tuple(draw(st.lists(st.sampled_from(touchpoint_ids), max_size=3,
                                    unique=True))),
                draw(image_choice), draw(_floats(-500.0, 500.0)), draw(_floats(-500.0, 500.0)))

    opportunities = [draw(_opportunity(opportunity_id, touchpoints, transitions, touchpoint))
                     for opportunity_id in draw(_unique_ids(0, 3 if content else 0))]
    plan = draw(st.none() | st.builds(
        PlanSettings, _floats(0.0, 1e6),
        st.dictionaries(st.sampled_from(PLAN_KPIS), _floats(-100.0, 100.0), min_size=1,
                        max_size=3))) if content else None

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
        lanes=lanes,
        notes=notes,
        opportunities=opportunities,
        plan=plan,
    )


#: Values an opportunity sets, within the touchpoint ranges; entries stay above 0 so
#: that a patched journey still has customers who start.
_CHANGED_VALUES = {"satisfaction": _floats(-1.0, 1.0), "visibility": _floats(0.0, 1.0),
                   "value": _floats(-1000.0, 1000.0), "impact": _floats(0.0, 1.0),
                   "entry": _floats(0.1, 1.0)}


@st.composite
def _opportunity(draw: st.DrawFn, opportunity_id: str, touchpoints: dict[str, Touchpoint],
                 transitions: dict[tuple[str, str], Transition],
                 touchpoint: Callable[[str, bool], Touchpoint]) -> Opportunity:
    """An opportunity that passes the reader and mostly fits its journey: new transition
    probabilities leave room in their row, so the plan tests get usable ones."""
    added = [touchpoint(i, False) for i in draw(st.lists(
        ids.filter(lambda i: i not in touchpoints), max_size=1, unique=True))]
    known = [*touchpoints, *(t.id for t in added)]
    fields = {touchpoint_id: {name: draw(_CHANGED_VALUES[name]) for name in draw(
                  st.lists(st.sampled_from(CHANGEABLE_FIELDS), max_size=2, unique=True))}
              for touchpoint_id in draw(st.lists(st.sampled_from(known), max_size=2,
                                                 unique=True))}
    removed = draw(st.lists(st.sampled_from(sorted(transitions)), max_size=1, unique=True)
                   if transitions else st.just([]))
    pairs = draw(st.lists(st.tuples(st.sampled_from(known), st.sampled_from(known)),
                          max_size=2, unique=True).map(
        lambda found: [pair for pair in found if pair not in removed]))
    set_transitions = []
    for source, target in pairs:
        used = sum(t.probability for key, t in transitions.items()
                   if key[0] == source and key != (source, target))
        room = max(0.0, 1.0 - used) / (2 * len(pairs))
        set_transitions.append(Transition(source, target, draw(_floats(0.0, room)),
                                          draw(st.just("") | names)))
    return Opportunity(
        opportunity_id, draw(names), draw(st.text(max_size=30)), draw(names),
        draw(st.sampled_from(list(OPPORTUNITY_STATUSES))),
        draw(st.sampled_from([0.0, 120.0]) | _floats(0.0, 1e6)),
        tuple(draw(st.lists(st.sampled_from(known), max_size=2, unique=True))),
        Changes(fields, tuple(set_transitions), tuple(removed), tuple(added)))


@st.composite
def projects(
    draw: st.DrawFn,
    max_journeys: int = 3,
    max_touchpoints: int = 8,
    min_discount_rate: float = 0.0,
    content: bool = True,
) -> Project:
    """A valid project: 1-3 segments and up to `max_journeys` journeys with unique ids,
    personas of some segments, images that touchpoints, notes and personas show, and a
    cost unit (`content=False`: none of those, as files of schema version 1 and 2 hold)."""
    journey_ids = draw(_unique_ids(0, max_journeys))
    drawn_segments = draw(segments())
    drawn_images = draw(images(2 if content else 0))
    image_choice = _maybe(list(drawn_images))
    texts = st.lists(st.text(max_size=20), max_size=3).map(tuple)
    personas = [Persona(i, draw(st.sampled_from([s.id for s in drawn_segments])), draw(names),
                        draw(st.text(max_size=30)), draw(texts), draw(texts), draw(texts),
                        draw(image_choice))
                for i in draw(_unique_ids(0, 2 if content else 0))]
    return Project(
        name=draw(names),
        cost_unit=draw(st.sampled_from(["", "€", "k$", "points"]) | names) if content else "",
        segments=drawn_segments,
        journeys=[draw(journeys(journey_id, max_touchpoints, min_discount_rate,
                                list(drawn_images), content))
                  for journey_id in journey_ids],
        personas=personas,
        images=drawn_images,
    )
