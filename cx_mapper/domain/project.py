"""Project and Segment: the people who take the journeys, and their word-of-mouth habits.

The segment presets are the seed facts of MODEL.md. Every parameter carries its
source so the UI can show it in a tooltip.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from cx_mapper.domain.evidence import NO_EVIDENCE, EvidenceSet
from cx_mapper.domain.ids import unique_id
from cx_mapper.domain.images import Image
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.personas import Persona, ProjectContent
from cx_mapper.domain.ranges import SHARE_LIMIT

AMEX_2012 = "American Express 2012 Global Customer Service Barometer (US)"
NIELSEN_1_9_90 = "Nielsen's participation-inequality rule (1-9-90)"
NIELSEN_TRUST_2009 = "Nielsen Global Online Consumer Survey 2009 (trust in recommendations)"

#: Trust in advertising, shown in the UI as the baseline word of mouth beats.
#: The seed's figure traces to the Socialnomics videos, not to Nielsen.
TRUST_ADVERTISING = 0.14

#: Where each segment parameter's default comes from (shown as tooltips).
PARAMETER_SOURCES: dict[str, str] = {
    "tell_positive": f"{AMEX_2012}: people told about a good experience",
    "tell_negative": f"{AMEX_2012}: people told about a bad experience",
    "spend_uplift": f"{AMEX_2012}: extra spend with companies that give great service",
    "abandon_on_poor": f"{AMEX_2012}: walked away from a purchase after poor service",
    "public_reach": (
        f"{NIELSEN_1_9_90}: each public post is read by the 90% who lurk, about 9 readers "
        "for every participant, so public telling reaches 1 + 9 = 10 times as far "
        "(a derived assumption)"
    ),
    "trust_private": f"{NIELSEN_TRUST_2009}: trust recommendations from people they know",
    "trust_public": f"{NIELSEN_TRUST_2009}: trust consumer opinions posted online",
    "referral_conversion": (
        "Assumption: a trusted positive exposure becomes a customer. Calibrate it to your data"
    ),
    "deterrence": "Assumption: a trusted negative exposure loses a prospect",
    "memory": "Assumption: how much one interaction moves loyalty",
    "initial_loyalty": "Assumption: loyalty of a customer before the first interaction",
}

#: Plain-words labels of the segment parameters, in display order.
PARAMETER_LABELS: dict[str, str] = {
    "tell_positive": "Tell after good experience",
    "tell_negative": "Tell after bad experience",
    "spend_uplift": "Spend uplift",
    "abandon_on_poor": "Abandon after poor service",
    "public_reach": "Public reach multiplier",
    "trust_private": "Trust in private talk",
    "trust_public": "Trust in public posts",
    "referral_conversion": "Referral conversion",
    "deterrence": "Deterrence",
    "memory": "Memory (loyalty step)",
    "initial_loyalty": "Initial loyalty",
}

#: A segment's share is above this (exclusive): a share of 0 would be no segment.
SHARE_ABOVE = 0.0
#: ...and at most this (inclusive): shares are scaled to sum to 1, so only their ratios
#: matter; a million to one is finer than any segmentation and keeps the sum finite.
SHARE_MAX = SHARE_LIMIT

#: People told about one experience: AMEX 2012 gives 15 to 53; a million (a post that
#: goes viral) is the generous end, and keeps exposures finite (below ~1e16 visits x
#: 1e6 told x 1e6 reach).
TELL_LIMIT = 1e6
#: Readers per public post: the 1-9-90 rule gives 10; a million is a celebrity's post.
REACH_LIMIT = 1e6
#: Extra spend of a fully loyal customer: AMEX 2012 gives 0.13 to 0.21 (13-21 %); 1,000
#: (100,000 % more) is past any plausible uplift, and value stays finite with it.
UPLIFT_LIMIT = 1e3

#: Valid range of each parameter (inclusive); None means unbounded.
PARAMETER_RANGES: dict[str, tuple[float | None, float | None]] = {
    "tell_positive": (0.0, TELL_LIMIT),
    "tell_negative": (0.0, TELL_LIMIT),
    "spend_uplift": (0.0, UPLIFT_LIMIT),
    "abandon_on_poor": (0.0, 1.0),
    "public_reach": (0.0, REACH_LIMIT),
    "trust_private": (0.0, 1.0),
    "trust_public": (0.0, 1.0),
    "referral_conversion": (0.0, 1.0),
    "deterrence": (0.0, 1.0),
    "memory": (0.0, 1.0),
    "initial_loyalty": (-1.0, 1.0),
}


@dataclass(frozen=True, slots=True)
class Segment:
    """A persona: its share of customers and how its members behave and talk."""

    id: str
    name: str = ""
    share: float = 1.0
    tell_positive: float = 15.0
    tell_negative: float = 24.0
    spend_uplift: float = 0.13
    abandon_on_poor: float = 0.55
    public_reach: float = 10.0
    trust_private: float = 0.90
    trust_public: float = 0.70
    referral_conversion: float = 0.01
    deterrence: float = 0.01
    memory: float = 0.3
    initial_loyalty: float = 0.0
    #: How its parameters are known, by parameter (evidence.py); none: all fixed.
    evidence: EvidenceSet = NO_EVIDENCE

    def parameters(self) -> dict[str, float]:
        """The word-of-mouth and behaviour parameters, by name."""
        return {name: float(getattr(self, name)) for name in PARAMETER_SOURCES}


#: MODEL.md "All consumers" preset (AMEX 2012, Nielsen 1-9-90 and 2009).
ALL_CONSUMERS = Segment(id="all", name="All consumers")

#: MODEL.md "Social media service users" preset (AMEX 2012: those who used
#: social media for service tell more people and act more strongly).
SOCIAL_MEDIA_USERS = Segment(
    id="social",
    name="Social media service users",
    tell_positive=42.0,
    tell_negative=53.0,
    spend_uplift=0.21,
    abandon_on_poor=0.83,
)

PRESETS: dict[str, Segment] = {
    "All consumers (AMEX 2012)": ALL_CONSUMERS,
    "Social media service users (AMEX 2012)": SOCIAL_MEDIA_USERS,
}

SEGMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Segment) if f.name != "evidence")


def segment_from_preset(preset: Segment, *, id: str, share: float = 1.0) -> Segment:
    """A new segment with a preset's parameters under a new id and share."""
    return replace(preset, id=id, share=share)


@dataclass(frozen=True, slots=True)
class RemovedSegment:
    """What removing a segment took away: the segment and its personas, with their places."""

    index: int
    segment: Segment
    personas: tuple[tuple[int, Persona], ...] = ()


@dataclass(slots=True)
class Project(ProjectContent):
    """A project: its segments and one or more journeys (e.g. current and future state),
    the segments' personas, and the images its elements show."""

    name: str = "Untitled project"
    segments: list[Segment] = field(default_factory=lambda: [ALL_CONSUMERS])
    journeys: list[Journey] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    images: dict[str, Image] = field(default_factory=dict)
    #: What opportunities' costs and plans' budgets count: a currency ("€", "k$") or
    #: effort ("points", "days"); empty shows bare numbers.
    cost_unit: str = ""

    def journey(self, journey_id: str) -> Journey:
        for journey in self.journeys:
            if journey.id == journey_id:
                return journey
        raise KeyError(journey_id)

    def segment(self, segment_id: str) -> Segment:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        raise KeyError(segment_id)

    def normalised_shares(self) -> list[float]:
        """Segment shares scaled to sum to 1 (MODEL.md: shares must be > 0)."""
        total = sum(s.share for s in self.segments)
        if total <= 0:
            return [0.0 for _ in self.segments]
        return [s.share / total for s in self.segments]

    # -- edits -----------------------------------------------------------------
    def add_journey(self, journey: Journey, index: int | None = None) -> None:
        if any(j.id == journey.id for j in self.journeys):
            raise ValueError(f"A journey with id '{journey.id}' already exists")
        self.journeys.insert(len(self.journeys) if index is None else index, journey)

    def remove_journey(self, journey_id: str) -> tuple[int, Journey]:
        for index, journey in enumerate(self.journeys):
            if journey.id == journey_id:
                del self.journeys[index]
                return index, journey
        raise KeyError(journey_id)

    def new_journey_id(self, base: str = "journey") -> str:
        return unique_id(base, {j.id for j in self.journeys})

    def add_segment(self, segment: Segment, index: int | None = None) -> None:
        if any(s.id == segment.id for s in self.segments):
            raise ValueError(f"A segment with id '{segment.id}' already exists")
        self.segments.insert(len(self.segments) if index is None else index, segment)

    def update_segment(self, segment_id: str, **changes: Any) -> Segment:
        """Change a segment's fields; returns the old segment (for undo)."""
        for index, segment in enumerate(self.segments):
            if segment.id == segment_id:
                if "id" in changes and changes["id"] != segment_id:
                    raise ValueError("A segment's id cannot be changed")
                self.segments[index] = replace(segment, **changes)
                return segment
        raise KeyError(segment_id)

    def remove_segment(self, segment_id: str) -> RemovedSegment:
        """Remove a segment and its personas, which describe it and no other."""
        for index, segment in enumerate(self.segments):
            if segment.id == segment_id:
                del self.segments[index]
                personas = tuple((n, p) for n, p in enumerate(self.personas)
                                 if p.segment == segment_id)
                self.personas = [p for p in self.personas if p.segment != segment_id]
                return RemovedSegment(index, segment, personas)
        raise KeyError(segment_id)

    def restore_segment(self, removed: RemovedSegment) -> None:
        """Undo remove_segment: the segment and its personas, where they were."""
        self.add_segment(removed.segment, removed.index)
        for index, persona in removed.personas:
            self.personas.insert(index, persona)

    def new_segment_id(self, base: str = "segment") -> str:
        return unique_id(base, {s.id for s in self.segments})

