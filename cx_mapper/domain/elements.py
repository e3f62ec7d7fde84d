"""The elements of a journey's graph: stages, channels, touchpoints and transitions.

Frozen: an edit replaces an element and hands back the old one. Journey (journey.py)
holds them with its edits; opportunities (opportunities.py) patch them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from cx_mapper.domain.evidence import NO_EVIDENCE, Evidence, EvidenceSet


@dataclass(frozen=True, slots=True)
class Stage:
    """A phase of the journey, drawn as a swimlane (e.g. Awareness)."""

    id: str
    name: str = ""
    #: Time in the stage from an event log, in seconds (durations.py): the median and
    #: 90th percentile over customers; None when no data measured it.
    time_median: float | None = None
    time_p90: float | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """Where an interaction happens (e.g. Social media, Phone, Store)."""

    id: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Touchpoint:
    """One interaction. Ranges and meaning are in MODEL.md, "Elements"."""

    id: str
    name: str = ""
    stage: str | None = None
    channel: str | None = None
    satisfaction: float = 0.0
    visibility: float = 0.0
    value: float = 0.0
    impact: float = 1.0
    entry: float = 0.0
    referral_entry: float = 0.0
    conversion: bool = False
    x: float = 0.0
    y: float = 0.0
    notes: str = ""
    image: str | None = None  # an image of the project, by id
    #: sigma0: the satisfaction when its outgoing probabilities were measured from data
    #: (MODEL.md §2); None for a drawn touchpoint. Imports and refreshes set it.
    measured_satisfaction: float | None = None
    #: How its figures are known, by field (evidence.py, MODEL.md §13); none: fixed.
    evidence: EvidenceSet = NO_EVIDENCE


#: A transition is known by its two ends: (source, target).
TransitionKey = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Transition:
    """A move from one touchpoint to another; `source`/`target` are `from`/`to` in files."""

    source: str
    target: str
    probability: float
    label: str = ""
    #: Time between the two touchpoints from an event log, in seconds (durations.py):
    #: the median and 90th percentile over the moves seen; None when not measured.
    time_median: float | None = None
    time_p90: float | None = None
    #: The observed moves from -> to (kind "data", n), or another kind's evidence on
    #: the probability (evidence.py); None: fixed.
    evidence: Evidence | None = None

    @property
    def key(self) -> TransitionKey:
        return (self.source, self.target)


#: The plain fields, each one number, text or flag; `evidence` is kept apart (files
#: store it as entries of their own).
TOUCHPOINT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Touchpoint)
                                           if f.name != "evidence")
TRANSITION_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Transition)
                                           if f.name != "evidence")
