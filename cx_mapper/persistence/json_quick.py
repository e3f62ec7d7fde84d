"""The common case of reading cx-mapper/1, fast.

Large journeys have 100,000 touchpoints and 500,000 transitions. These accept exactly
the elements the full checks of json_format.py accept, when every value already has
its final type; anything else (an int for a float, a missing id, a bad value, a
duplicate) returns None and the full checks run, which phrase the message. A whole
list is checked field by field first: one comprehension per field costs a fraction
of a call per element (reading 100,000 touchpoints went from 0.5 s to 0.15 s).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence, Set
from itertools import repeat
from typing import Any

from cx_mapper.domain.journey import (
    TOUCHPOINT_FIELDS,
    Stage,
    Touchpoint,
    Transition,
    TransitionKey,
)
from cx_mapper.domain.ranges import (
    OPTIONAL_TOUCHPOINT_RANGES,
    TIME_RANGES,
    TOUCHPOINT_RANGES,
    TRANSITION_RANGES,
    Range,
)
from cx_mapper.persistence.building import field_maker
from cx_mapper.persistence.json_checks import (
    Where,
    plain_object,
    plain_text,
    read_number,
    written,
)

#: Times (seconds, from an event log) are written only when measured (FORMAT.md additions).
TIME_KEYS: tuple[str, ...] = tuple(TIME_RANGES)
TRANSITION_KEYS = ("from", "to", "probability", "label", *TIME_KEYS)
_TOUCHPOINT_KEY_SET = frozenset(TOUCHPOINT_FIELDS)
_TRANSITION_KEY_SET = frozenset(TRANSITION_KEYS)
_TOUCHPOINT_DEFAULTS = Touchpoint(id="")
_make_touchpoint = field_maker(Touchpoint, leave_out=("evidence",))
_make_transition = field_maker(Transition, leave_out=("evidence",))


def _finite_bounds(limits: Range) -> tuple[float, float]:
    """A range with finite ends, which also refuse +-inf in one comparison."""
    low, high = limits
    return (-sys.float_info.max if low is None else low,
            sys.float_info.max if high is None else high)


_TOUCHPOINT_NUMBERS: tuple[tuple[str, float, float, float], ...] = tuple(
    (key, getattr(_TOUCHPOINT_DEFAULTS, key), *_finite_bounds(limits))
    for key, limits in TOUCHPOINT_RANGES.items()
)
_OPTIONAL_NUMBERS: tuple[tuple[str, float, float], ...] = tuple(
    (key, *_finite_bounds(limits)) for key, limits in OPTIONAL_TOUCHPOINT_RANGES.items()
)
_PROBABILITY_LOW, _PROBABILITY_HIGH = _finite_bounds(TRANSITION_RANGES["probability"])
_TIME_BOUNDS: tuple[tuple[str, float, float], ...] = tuple(
    (key, *_finite_bounds(limits)) for key, limits in TIME_RANGES.items())


def quick_times(raw: Mapping[str, Any]) -> tuple[float | None, ...] | None:
    """The optional times of a transition or a stage, or None if any needs the full
    checks: each absent, null or a float in its range."""
    found: list[float | None] = []
    for key, low, high in _TIME_BOUNDS:
        value = raw.get(key)
        if value is not None and (type(value) is not float or not low <= value <= high):
            return None
        found.append(value)
    return tuple(found)


def times_to_dict(element: Stage | Transition) -> dict[str, float]:
    """A stage's or a transition's times, only those measured (FORMAT.md additions)."""
    if element.time_median is None and element.time_p90 is None:  # the common case
        return {}
    return {key: written(value) for key in TIME_KEYS
            if (value := getattr(element, key)) is not None}


def read_times(obj: dict[str, Any], where: Where) -> dict[str, float | None]:
    """The optional times of a stage or a transition: absent or null is None."""
    return {key: None if obj.get(key) is None else read_number(obj, key, where, 0.0, limits)
            for key, limits in TIME_RANGES.items()}


# -- whole lists ---------------------------------------------------------------------------
def quick_touchpoints(raws: Sequence[object], stage_ids: set[str], channel_ids: set[str],
                      image_ids: Set[str] = frozenset()) -> dict[str, Touchpoint] | None:
    """Every touchpoint of a journey, or None if any needs the full checks."""
    columns = touchpoint_columns(raws, stage_ids, channel_ids, image_ids)
    if columns is None:
        return None
    return dict(zip(columns["id"], map(_make_touchpoint, *(columns[f] for f in TOUCHPOINT_FIELDS)),
                    strict=True))


def touchpoint_columns(raws: Sequence[object], stage_ids: set[str], channel_ids: set[str],
                       image_ids: Set[str] = frozenset()) -> dict[str, list[Any]] | None:
    """Every field of a journey's touchpoints as a column (TOUCHPOINT_FIELDS, in the
    file's order), or None if any touchpoint needs the full checks."""
    try:
        if [r for r in raws if type(r) is not dict or not _TOUCHPOINT_KEY_SET.issuperset(r)]:
            return None
        objects: list[dict[str, Any]] = raws  # type: ignore[assignment]  # checked above
        # Each field as a column, checked whole and then handed to the maker.
        columns: dict[str, list[Any]] = {"id": [r.get("id") for r in objects]}
        ids = columns["id"]
        if [i for i in ids if type(i) is not str or not i] or len(set(ids)) != len(ids):
            return None
        for key in ("name", "notes"):
            columns[key] = [r.get(key, "") for r in objects]
            if not _plain_texts(columns[key]):
                return None
        if not _plain_texts(ids):
            return None
        for key, declared in (("stage", stage_ids), ("channel", channel_ids),
                              ("image", image_ids)):
            columns[key] = [r.get(key) for r in objects]
            # A member of the declared ids is a str: nothing else from JSON equals one.
            if not set(columns[key]) - {None} <= declared:
                return None
        columns["conversion"] = [r.get("conversion", False) for r in objects]
        if [c for c in columns["conversion"] if type(c) is not bool]:
            return None
        for key, default, low, high in _TOUCHPOINT_NUMBERS:
            values = columns[key] = [r.get(key, default) for r in objects]
            if [v for v in values if type(v) is not float or not low <= v <= high]:  # NaN too
                return None
        for key, low, high in _OPTIONAL_NUMBERS:
            values = columns[key] = [r.get(key) for r in objects]
            if [v for v in values if v is not None and (
                    type(v) is not float or not low <= v <= high)]:
                return None
    except TypeError:  # an unhashable stage or channel (a list): the full checks say so
        return None
    # Every key is a field, and every value has its field's type and range.
    return columns


def quick_transitions(
    raws: Sequence[object], touchpoints: dict[str, Touchpoint]
) -> tuple[dict[TransitionKey, Transition], dict[str, float]] | None:
    """Every transition of a journey and each source's plain sum of probabilities, or
    None if any needs the full checks (a listed-twice pair included)."""
    columns = transition_columns(raws, touchpoints.keys())
    if columns is None:
        return None
    sources, targets, probabilities, labels = columns
    objects: list[dict[str, Any]] = raws  # type: ignore[assignment]  # checked: dicts
    # Most journeys are drawn: no times to gather (a pass per field over 500,000).
    timed = [r for r in objects if len(r) > 3 + ("label" in r)]
    times = ([[r.get(key) for r in objects] for key in TIME_KEYS] if timed
             else [repeat(None)] * len(TIME_KEYS))
    transitions = dict(zip(zip(sources, targets, strict=True),
                           map(_make_transition, sources, targets, probabilities, labels,
                               *times),
                           strict=True))
    if len(transitions) != len(raws):  # a pair listed twice
        return None
    return transitions, source_totals(sources, probabilities)


def transition_columns(
    raws: Sequence[object], touchpoint_ids: Set[str]
) -> tuple[list[str], list[str], list[float], list[str]] | None:
    """The sources, targets, probabilities and labels of a journey's transitions, or
    None if any needs the full checks. A pair listed twice is not looked for here."""
    fields = _transition_fields(raws)
    if fields is None:
        return None
    try:
        ends = {*fields[0], *fields[1]}
    except TypeError:  # an unhashable end
        return None
    # Touchpoint ids were checked already: being one is being a valid id (and a str).
    return fields if touchpoint_ids >= ends else None


def transition_indices(
    raws: Sequence[object], index: Mapping[str, int]
) -> tuple[list[int], list[int], list[float]] | None:
    """transition_columns with each end as its touchpoint's place in `index` (a
    touchpoint's id to its position), without the labels the analysis has no use for."""
    fields = _transition_fields(raws)
    if fields is None:
        return None
    sources, targets, probabilities, _ = fields
    try:  # only a touchpoint's id, a str, is a key of `index`
        return [index[s] for s in sources], [index[t] for t in targets], probabilities
    except (KeyError, TypeError):  # an unknown or unhashable end
        return None


def _transition_fields(
    raws: Sequence[object],
) -> tuple[list[Any], list[Any], list[float], list[str]] | None:
    """The four fields of every transition, all but the ends checked."""
    if set(map(type, raws)) - {dict}:  # a JsonObject may hold a key given twice
        return None
    objects: list[dict[str, Any]] = raws  # type: ignore[assignment]  # checked above
    try:
        sources = [r["from"] for r in objects]
        targets = [r["to"] for r in objects]
        probabilities = [r["probability"] for r in objects]
        labels = [r.get("label", "") for r in objects]
    except KeyError:  # a missing key
        return None
    # Each has "from", "to" and "probability"; any key beyond those, "label" and the
    # times is unknown.
    extra = sum(map(len, objects)) - 3 * len(objects) - sum("label" in r for r in objects)
    if extra:  # times (a journey from an event log), or unknown keys
        for key, low, high in _TIME_BOUNDS:
            values = [r[key] for r in objects if key in r]
            if [v for v in values if v is not None and (type(v) is not float
                                                         or not low <= v <= high)]:
                return None
            extra -= len(values)
        if extra:
            return None
    low, high = _PROBABILITY_LOW, _PROBABILITY_HIGH
    if [p for p in probabilities if type(p) is not float or not low <= p <= high]:
        return None
    if not _plain_texts(labels):
        return None
    return sources, targets, probabilities, labels


def source_totals(sources: list[str], probabilities: list[float]) -> dict[str, float]:
    """Each source's plain sum of probabilities, in the file's order."""
    totals = dict.fromkeys(sources, 0.0)
    for source, probability in zip(sources, probabilities, strict=True):
        totals[source] += probability
    return totals


def _plain_texts(values: list[object]) -> bool:
    """All str that UTF-8 can hold; most are ASCII, which needs no encoding test."""
    return not [v for v in values if type(v) is not str or (
        not v.isascii() and not plain_text(v))]


# -- one element ---------------------------------------------------------------------------
def quick_touchpoint(
    raw: object, stage_ids: set[str], channel_ids: set[str], image_ids: Set[str] = frozenset()
) -> Touchpoint | None:
    if not plain_object(raw, _TOUCHPOINT_KEY_SET):
        return None
    get = raw.get
    touchpoint_id, name, notes = get("id"), get("name", ""), get("notes", "")
    if not (touchpoint_id and plain_text(touchpoint_id) and plain_text(name)
            and plain_text(notes)):
        return None
    stage, channel, conversion = get("stage"), get("channel"), get("conversion", False)
    if stage is not None and not (type(stage) is str and stage in stage_ids):
        return None
    if channel is not None and not (type(channel) is str and channel in channel_ids):
        return None
    image = get("image")
    if image is not None and not (type(image) is str and image in image_ids):
        return None
    if type(conversion) is not bool:
        return None
    numbers: dict[str, Any] = {}
    for key, default, low, high in _TOUCHPOINT_NUMBERS:
        value = get(key, default)
        if type(value) is not float or not low <= value <= high:  # NaN fails too
            return None
        numbers[key] = value
    for key, low, high in _OPTIONAL_NUMBERS:
        value = get(key)
        if value is not None and (type(value) is not float or not low <= value <= high):
            return None
        numbers[key] = value
    return Touchpoint(id=touchpoint_id, name=name, stage=stage, channel=channel,
                      conversion=conversion, notes=notes, image=image, **numbers)


def quick_transition(raw: object, touchpoints: dict[str, Touchpoint]) -> Transition | None:
    if not plain_object(raw, _TRANSITION_KEY_SET):
        return None
    source, target = raw.get("from"), raw.get("to")
    probability, label = raw.get("probability"), raw.get("label", "")
    # Touchpoint ids were checked already: being one is being a valid id.
    if not (type(source) is str and source in touchpoints
            and type(target) is str and target in touchpoints):
        return None
    if type(probability) is not float or not _PROBABILITY_LOW <= probability <= _PROBABILITY_HIGH:
        return None
    if not plain_text(label):
        return None
    times = quick_times(raw)
    if times is None:
        return None
    return Transition(source, target, probability, label, times[0], times[1])
