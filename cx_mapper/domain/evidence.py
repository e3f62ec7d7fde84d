"""The evidence behind a figure: how it is known, and so how sure it is (MODEL.md §13).

Every input number may carry evidence. Its kind says where the number came from
and which distribution the uncertainty analysis draws it from:

- assumption: a 90% range, `low` to `high`; uniform over it, or over its logarithm
  when `scale` is "log" (a range over orders of magnitude, such as c+);
- workshop: an estimate `low`, most likely `mode`, `high`: triangular;
- survey: the figure is a mean of `n` answers with standard deviation `sd`:
  Normal(figure, sd / sqrt(n)), held within the figure's range;
- data: `n` observations counted in event data. On a satisfaction, visibility or
  value (a mean of n events) it carries `sd` too and draws as a survey does; a
  touchpoint's `departures` (every move out, exits included) and each transition's
  `n` give the row's Dirichlet counts.

A figure without evidence is fixed. Evidence sits on a touchpoint by field, on a
transition, and on a segment by parameter (FORMAT.md "evidence").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cx_mapper.domain.ranges import TOUCHPOINT_RANGES, Range, within

KINDS: tuple[str, ...] = ("assumption", "workshop", "survey", "data")
SCALES: tuple[str, ...] = ("linear", "log")

#: How each kind is named to a user.
KIND_LABELS: dict[str, str] = {
    "assumption": "Assumed",
    "workshop": "Workshop estimate",
    "survey": "Survey",
    "data": "Event data",
}
#: Each kind's one word on a card's badge.
BADGE_WORDS: dict[str, str] = {
    "assumption": "Assumed",
    "workshop": "Workshop",
    "survey": "Survey",
    "data": "Data",
}
#: The numbers each kind needs, and the keys it may have (`source` always may).
NEEDS: dict[str, tuple[str, ...]] = {
    "assumption": ("low", "high"),
    "workshop": ("low", "mode", "high"),
    "survey": ("n", "sd"),
    "data": ("n",),
}
ALLOWED: dict[str, frozenset[str]] = {
    "assumption": frozenset({"low", "high", "scale", "source"}),
    "workshop": frozenset({"low", "mode", "high", "source"}),
    "survey": frozenset({"n", "sd", "source"}),
    "data": frozenset({"n", "sd", "source"}),
}

#: Touchpoint fields that may carry evidence; `departures` is a count, no field.
TOUCHPOINT_EVIDENCE: tuple[str, ...] = ("satisfaction", "visibility", "value", "impact",
                                        "departures")
#: Draws of the uncertainty analysis by default, and the most it takes.
DEFAULT_SAMPLES = 1_000
MAX_SAMPLES = 100_000
#: A count of events or answers: beyond any log, and exact in a float.
COUNT_LIMIT = 1e15


@dataclass(frozen=True, slots=True)
class Evidence:
    """One figure's evidence; only the keys its kind needs are set (NEEDS, ALLOWED)."""

    kind: str
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    n: float | None = None
    sd: float | None = None
    scale: str = "linear"
    source: str = ""

    def keys(self) -> dict[str, object]:
        """The set keys, as FORMAT.md writes them (kind first; a linear scale and an
        empty source are left out)."""
        out: dict[str, object] = {"kind": self.kind}
        for key in ("low", "high", "mode", "n", "sd"):
            value = getattr(self, key)
            if value is not None:
                out[key] = int(value) if key == "n" and float(value).is_integer() else value
        if self.scale != "linear":
            out["scale"] = self.scale
        if self.source:
            out["source"] = self.source
        return out

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def evidence_problem(evidence: Evidence, limits: Range | None = None) -> str | None:
    """What is wrong with `evidence` for a figure whose valid range is `limits`, in
    words for a message naming the field; None when it is sound."""
    kind = evidence.kind
    if kind not in KINDS:
        return f"kind must be one of {', '.join(KINDS)}"
    given = {k for k in ("low", "high", "mode", "n", "sd") if getattr(evidence, k) is not None}
    if evidence.scale != "linear":
        given.add("scale")
    for key in NEEDS[kind]:
        if getattr(evidence, key) is None:
            return f"{kind} evidence needs '{key}'"
    extra = sorted(given - ALLOWED[kind])
    if extra:
        return f"{kind} evidence has no '{extra[0]}'"
    if evidence.scale not in SCALES:
        return f"scale must be one of {', '.join(SCALES)}"
    for key in ("low", "high", "mode", "n", "sd"):
        value = getattr(evidence, key)
        if value is not None and not math.isfinite(value):
            return f"'{key}' must be a finite number"
    if evidence.n is not None and not (evidence.n >= 0 and float(evidence.n).is_integer()
                                       and evidence.n <= COUNT_LIMIT):
        return "'n' must be a whole number, 0 or more"
    if evidence.sd is not None and evidence.sd < 0:
        return "'sd' must be 0 or more"
    low, high, mode = evidence.low, evidence.high, evidence.mode
    if low is not None and high is not None and low > high:
        return "'low' must not be above 'high'"
    if mode is not None and low is not None and high is not None and not low <= mode <= high:
        return "'mode' must be between 'low' and 'high'"
    if evidence.scale == "log" and low is not None and low <= 0:
        return "a log scale needs 'low' above 0"
    if limits is not None:
        for key in ("low", "mode", "high"):
            value = getattr(evidence, key)
            if value is not None and not within(value, limits):
                return f"'{key}' is outside the figure's range"
    return None


@dataclass(frozen=True, slots=True)
class EvidenceSet(Mapping[str, Evidence]):
    """Evidence by field (a touchpoint's) or by parameter (a segment's): an immutable
    mapping, so elements holding it stay frozen. Its entries are kept sorted by name,
    so two sets of the same evidence are equal whatever order it was given in, and
    files write it in one order."""

    entries: tuple[tuple[str, Evidence], ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.entries, key=lambda entry: entry[0]))
        if ordered != self.entries:
            object.__setattr__(self, "entries", ordered)

    def __getitem__(self, key: str) -> Evidence:
        for name, evidence in self.entries:
            if name == key:
                return evidence
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def with_evidence(self, key: str, evidence: Evidence | None) -> EvidenceSet:
        """A copy with `key`'s evidence set (or removed, for None)."""
        kept = {name: e for name, e in self.entries if name != key}
        if evidence is not None:
            kept[key] = evidence
        return EvidenceSet.of(kept)

    @staticmethod
    def of(by_key: Mapping[str, Evidence]) -> EvidenceSet:
        """From a mapping."""
        return EvidenceSet(tuple(by_key.items()))


NO_EVIDENCE = EvidenceSet()


def counted_evidence(departures: int, scored: int | None = None,
                     variance: float | None = None) -> EvidenceSet:
    """A touchpoint's evidence from event data: its events, each a move out (exits
    included), and its satisfaction as a mean of `scored` events with this sample
    variance, when at least two were scored (fewer have no spread)."""
    found = {"departures": Evidence("data", n=float(departures))}
    if scored is not None and variance is not None and int(scored) >= 2:
        found["satisfaction"] = Evidence("data", n=float(int(scored)),
                                         sd=math.sqrt(max(float(variance), 0.0)))
    return EvidenceSet.of(found)


def touchpoint_limits(field: str) -> Range | None:
    """The range a touchpoint field's evidence must keep to (None: a count)."""
    return TOUCHPOINT_RANGES.get(field)


def backing(kinds: list[str]) -> str | None:
    """The one kind a card's badge shows for the kinds of evidence its figures carry:
    the weakest, since a figure is only as sure as its least-backed input."""
    for kind in ("assumption", "workshop", "survey", "data"):
        if kind in kinds:
            return kind
    return None
