"""The evidence behind figures in `cx-mapper/1` (FORMAT.md "evidence", MODEL.md §13).

A touchpoint and a segment hold it by field (`{"satisfaction": {"kind": "survey", ...}}`),
a transition as one entry. Each entry is read as strictly as any other element: an
unknown field, a key its kind has no use for, a missing key, a wrong type or a number
out of range is one ProjectFileError naming the file, the journey, the element and
the field "evidence", with the figure the entry is for in the message. What the
domain holds true of an entry is evidence_problem's, the one home of those rules.

Reading a journey's elements fast (json_quick) takes no evidence: a list that has
some is read there without it, and its evidence here.
"""

from __future__ import annotations

import difflib
import math
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from cx_mapper.domain.elements import Touchpoint, Transition
from cx_mapper.domain.evidence import (
    ALLOWED,
    COUNT_LIMIT,
    KINDS,
    NO_EVIDENCE,
    TOUCHPOINT_EVIDENCE,
    Evidence,
    EvidenceSet,
    evidence_problem,
    touchpoint_limits,
)
from cx_mapper.domain.project import PARAMETER_RANGES
from cx_mapper.domain.quoting import quoted
from cx_mapper.domain.ranges import TRANSITION_RANGES, Range
from cx_mapper.persistence.building import field_maker
from cx_mapper.persistence.json_checks import Where, describe, plain_text, written

EVIDENCE = "evidence"
#: Every key an entry may have, in the order FORMAT.md writes them.
ENTRY_KEYS = ("kind", "low", "high", "mode", "n", "sd", "scale", "source")
_NUMBERS = ("low", "high", "mode", "n", "sd")
#: The range each figure's evidence keeps to, by the figure (None: a count).
TOUCHPOINT_LIMITS: dict[str, Range | None] = {f: touchpoint_limits(f) for f in TOUCHPOINT_EVIDENCE}
SEGMENT_LIMITS: dict[str, Range | None] = dict(PARAMETER_RANGES)
TRANSITION_LIMITS: Range = TRANSITION_RANGES["probability"]


# -- writing ----------------------------------------------------------------------------
def evidence_to_dict(evidence: Evidence) -> dict[str, Any]:
    """One entry as FORMAT.md writes it: its kind and only the keys it has."""
    return {key: written(value) for key, value in evidence.keys().items()}


def evidence_set_to_dict(evidence: EvidenceSet) -> dict[str, Any]:
    return {name: evidence_to_dict(entry) for name, entry in evidence.entries}


# -- strict reading ---------------------------------------------------------------------
def read_evidence_set(obj: Mapping[str, Any], where: Where,
                      limits: Mapping[str, Range | None]) -> EvidenceSet:
    """A touchpoint's or a segment's evidence, by field: absent or null is none."""
    raw = obj.get(EVIDENCE)
    if raw is None:
        return NO_EVIDENCE
    if not isinstance(raw, dict):
        raise where.error(EVIDENCE, f"must be an object of entries by field, such as "
                                    f'{{"{next(iter(limits))}": {{"kind": "data", "n": 120}}}}, '
                                    f"got {describe(raw)}.")
    twice = getattr(raw, "duplicate_keys", ())
    if twice:
        raise where.error(EVIDENCE, f"gives '{quoted(twice[0])}' twice; keep one.")
    found: dict[str, Evidence] = {}
    for name, entry in raw.items():
        if name not in limits:
            close = difflib.get_close_matches(name, list(limits), n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "the fields that may have it are " + ", ".join(limits) + ".")
            raise where.error(EVIDENCE, f"'{quoted(name)}' cannot have evidence; {hint}")
        found[name] = read_evidence(entry, where, limits[name], f"for '{quoted(name)}', ")
    return EvidenceSet(tuple(found.items()))  # in the file's order, so it round trips


def read_transition_evidence(obj: Mapping[str, Any], where: Where) -> Evidence | None:
    """A transition's one entry: absent or null is none."""
    raw = obj.get(EVIDENCE)
    return None if raw is None else read_evidence(raw, where, TRANSITION_LIMITS, "")


def read_evidence(raw: object, where: Where, limits: Range | None, part: str) -> Evidence:
    """One entry, for a figure whose range is `limits`; `part` starts each message
    with the figure it is for ("for 'satisfaction', "), or is empty."""
    def refuse(reason: str) -> Exception:
        return where.error(EVIDENCE, part + reason)

    if not isinstance(raw, dict):
        raise refuse(f'must be an object such as {{"kind": "data", "n": 120}}, '
                     f"got {describe(raw)}.")
    twice = getattr(raw, "duplicate_keys", ())
    if twice:
        raise refuse(f"gives '{quoted(twice[0])}' twice; keep one.")
    kind = raw.get("kind")
    if kind is None:
        raise refuse(f"\"kind\" is missing; give one of {', '.join(KINDS)}.")
    if kind not in KINDS:
        raise refuse(f"\"kind\" must be one of {', '.join(KINDS)}, got {describe(kind)}.")
    for key in raw:
        if key != "kind" and key not in ALLOWED[kind]:
            raise refuse(f"{kind} evidence has no '{quoted(key)}'; it takes "
                         + ", ".join(sorted(ALLOWED[kind])) + ".")
    values: dict[str, Any] = {"kind": kind}
    for key in _NUMBERS:
        if key in raw:
            values[key] = _number(raw[key], key, refuse)
    for key in ("scale", "source"):
        if key in raw:
            value = raw[key]
            if not plain_text(value):
                raise refuse(f"'{key}' must be a text, got {describe(value)}.")
            values[key] = value
    evidence = Evidence(**values)
    problem = evidence_problem(evidence, limits)
    if problem is not None:
        raise refuse(problem + ".")
    return evidence


def _number(value: object, key: str, refuse: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise refuse(f"'{key}' must be a number, got {describe(value)}.")
    try:
        number = float(value)
    except OverflowError:
        raise refuse(f"'{key}' is too large a number.") from None
    if not math.isfinite(number):
        raise refuse(f"'{key}' must be a finite number, got {describe(value)}.")
    return number


# -- the fast readers' lists ------------------------------------------------------------
def has_evidence(raws: Sequence[object]) -> bool:
    """Whether the list's first element has evidence (then most have, as imports give it)."""
    return bool(raws) and type(raws[0]) is dict and EVIDENCE in raws[0]


def without_evidence(raws: Sequence[object]) -> tuple[list[object], list[object]] | None:
    """The elements with their evidence left out, and each one's evidence (None where
    there is none); None when no element has the key, so there is nothing to retry."""
    if not [r for r in raws if type(r) is dict and EVIDENCE in r]:
        return None
    found = [r.get(EVIDENCE) if type(r) is dict else None for r in raws]
    return [_without(r) if type(r) is dict and EVIDENCE in r else r for r in raws], found


def _without(raw: dict[str, Any]) -> dict[str, Any]:
    copied = raw.copy()  # a copy in C: a comprehension took 1.7 s for 600,000 elements
    del copied[EVIDENCE]
    return copied


# The fast readers' elements are new and nobody else's yet: their evidence is set in its
# slot, as field_maker fills the others (dataclasses.replace took 6 s for 600,000).
_set_touchpoint_evidence = getattr(Touchpoint, EVIDENCE).__set__
_set_transition_evidence = getattr(Transition, EVIDENCE).__set__
_make_evidence = field_maker(Evidence)


def with_touchpoint_evidence(touchpoints: dict[str, Touchpoint], raws: list[object],
                             path: str | None, journey: str) -> dict[str, Touchpoint]:
    """The touchpoints read fast, each with its evidence read here (in list order)."""
    for touchpoint, raw in zip(touchpoints.values(), raws, strict=True):
        if raw is not None:
            evidence = _quick_set(raw)
            if evidence is None:
                where = Where(path, "touchpoint", touchpoint.id, journey)
                evidence = read_evidence_set({EVIDENCE: raw}, where, TOUCHPOINT_LIMITS)
            _set_touchpoint_evidence(touchpoint, evidence)
    return touchpoints


def with_transition_evidence(transitions: dict[Any, Transition], raws: list[object],
                             path: str | None, journey: str) -> dict[Any, Transition]:
    """The transitions read fast, each with its evidence read here (in list order)."""
    for transition, raw in zip(transitions.values(), raws, strict=True):
        if raw is not None:
            evidence = _quick_entry(raw)
            if evidence is None:
                where = Where(path, "transition",
                              f"{transition.source} -> {transition.target}", journey)
                evidence = read_evidence(raw, where, TRANSITION_LIMITS, "")
            _set_transition_evidence(transition, evidence)
    return transitions


def _quick_set(raw: object) -> EvidenceSet | None:
    """A touchpoint's evidence when every entry is _quick_entry's; else None."""
    if type(raw) is not dict or not _TOUCHPOINT_FIELD_SET.issuperset(raw):
        return None
    entries = []
    for name, value in raw.items():
        entry = _quick_entry(value)
        if entry is None:
            return None
        entries.append((name, entry))
    return EvidenceSet(tuple(entries))


_TOUCHPOINT_FIELD_SET = frozenset(TOUCHPOINT_LIMITS)


def _quick_entry(raw: object) -> Evidence | None:
    """An import's entry, the one in bulk: data with a whole `n` and perhaps an `sd`, of
    the types read_evidence takes without converting (any figure's range holds a count
    and a spread). Anything else is None, and read_evidence reads it."""
    if type(raw) is not dict or raw.get("kind") != "data":
        return None
    n, sd = raw.get("n"), raw.get("sd")
    if len(raw) != 2 + ("sd" in raw) or type(n) is not int or not 0 <= n <= COUNT_LIMIT:
        return None
    if "sd" in raw and not (type(sd) is float and 0.0 <= sd <= sys.float_info.max):
        return None
    return _make_evidence("data", None, None, None, float(n), sd, "linear", "")


# -- unchecked: a copy written mid-edit or a clipboard's --------------------------------
def evidence_as_written(raw: object) -> Evidence | None:
    """evidence_to_dict's form back, or None for anything that is no entry."""
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
        return None
    try:
        values: dict[str, Any] = {key: float(raw[key]) for key in _NUMBERS
                                  if raw.get(key) is not None}
        values.update({key: str(raw[key]) for key in ("scale", "source") if key in raw})
        return Evidence(kind=str(raw["kind"]), **values)
    except (TypeError, ValueError, OverflowError):
        return None


def evidence_set_as_written(raw: object) -> EvidenceSet:
    """evidence_set_to_dict's form back: what is no entry is left out."""
    if not isinstance(raw, dict):
        return NO_EVIDENCE
    found = {str(name): entry for name, value in raw.items()
             if (entry := evidence_as_written(value)) is not None}
    return EvidenceSet(tuple(found.items()))
