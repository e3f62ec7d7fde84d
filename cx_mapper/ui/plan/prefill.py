"""Opportunities started from elsewhere in the app, prefilled (Qt-free): from a touchpoint,
from the fix-first chart ("What if we fixed this?") and from a note in an opportunities
lane. Each gives the fields `ProjectDocument.add_opportunity` takes."""

from __future__ import annotations

from typing import Any

from cx_mapper.domain.content import Note
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import OPPORTUNITY_TEXT_LIMITS, Changes
from cx_mapper.domain.ranges import TOUCHPOINT_RANGES

#: "What if we fixed this?" raises satisfaction by this much (half a CSAT point and more:
#: a fix a team can promise), up to the top of the scale.
FIX_STEP = 0.5


def fixed_satisfaction(current: float) -> float:
    low, high = TOUCHPOINT_RANGES["satisfaction"]
    assert low is not None and high is not None
    return round(min(high, max(low, current + FIX_STEP)), 2)


def from_touchpoint(journey: Journey, touchpoint_id: str) -> dict[str, Any]:
    name = journey.touchpoint(touchpoint_id).name or touchpoint_id
    return {"title": f"Improve {name}", "touchpoints": (touchpoint_id,)}


def from_fix_first(journey: Journey, touchpoint_id: str) -> dict[str, Any]:
    """Fix a touchpoint: its satisfaction raised by FIX_STEP, clipped to the scale."""
    touchpoint = journey.touchpoint(touchpoint_id)
    target = fixed_satisfaction(touchpoint.satisfaction)
    return {"title": f"Fix {touchpoint.name or touchpoint_id}",
            "touchpoints": (touchpoint_id,),
            "changes": Changes(touchpoints={touchpoint_id: {"satisfaction": target}})}


def from_note(journey: Journey, note: Note) -> dict[str, Any]:
    """The note's first line is the title, the rest the description; its links are the
    opportunity's touchpoints."""
    first, _, rest = note.text.strip().partition("\n")
    title = first.strip()[:OPPORTUNITY_TEXT_LIMITS["title"]]
    return {"title": title or "Opportunity from a note",
            "description": rest.strip()[:OPPORTUNITY_TEXT_LIMITS["description"]],
            "touchpoints": tuple(t for t in note.touchpoints if t in journey.touchpoints)}
