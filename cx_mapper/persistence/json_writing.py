"""Writing `cx-mapper/1`: the full form of a project, every field of every element
(FORMAT.md), the additions only when a project has them. json_format.py reads it back.
"""

from __future__ import annotations

from typing import Any

from cx_mapper.domain.journey import TOUCHPOINT_FIELDS, Journey, Touchpoint, Transition
from cx_mapper.domain.project import Project, Segment
from cx_mapper.persistence.json_checks import written as _out
from cx_mapper.persistence.json_content import (
    images_to_dict,
    lanes_to_list,
    notes_to_list,
    personas_to_list,
)
from cx_mapper.persistence.json_evidence import EVIDENCE, evidence_set_to_dict, evidence_to_dict
from cx_mapper.persistence.json_opportunities import opportunities_to_list, plan_to_dict
from cx_mapper.persistence.json_quick import TIME_KEYS, times_to_dict
from cx_mapper.persistence.json_variants import variants_to_list

FORMAT = "cx-mapper/1"

# Key order on export follows the example in FORMAT.md; the images, which are long, last.
# The additions of FORMAT.md (personas, images, lanes, notes, a touchpoint's image,
# opportunities, the cost unit) are written only when a project has them, so a project
# without them stays readable by every earlier version.
PROJECT_KEYS = ("format", "name", "cost_unit", "segments", "personas", "journeys", "images")
SEGMENT_KEYS = (
    "id", "name", "share",
    "tell_positive", "tell_negative", "public_reach", "trust_private", "trust_public",
    "referral_conversion", "deterrence", "spend_uplift", "abandon_on_poor",
    "memory", "initial_loyalty",
)
JOURNEY_KEYS = (
    "id", "name", "discount_rate", "horizon", "conversions",
    "stages", "channels", "touchpoints", "transitions", "lanes", "lanes_above", "notes",
    "opportunities", "plan", "variants",
)
STAGE_KEYS = ("id", "name", *TIME_KEYS)
CHANNEL_KEYS = ("id", "name")
TOUCHPOINT_KEYS = TOUCHPOINT_FIELDS
#: Written only when set: an image, and sigma0 of a row measured from data (MODEL.md §2).
_WRITTEN_WHEN_SET = ("image", "measured_satisfaction")
_ALWAYS_WRITTEN = tuple(key for key in TOUCHPOINT_KEYS if key not in _WRITTEN_WHEN_SET)


def project_to_dict(project: Project, *, images_as_bytes: bool = False) -> dict[str, Any]:
    """The full form: every field written, so files are self-describing (the additions
    only when used). `images_as_bytes` leaves images' data as bytes, not base64 text:
    the form the stores check before they write."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "name": project.name,
    }
    if project.cost_unit:
        data["cost_unit"] = project.cost_unit
    data["segments"] = [segment_to_dict(segment) for segment in project.segments]
    if project.personas:
        data["personas"] = personas_to_list(project.personas)
    data["journeys"] = [_journey_to_dict(journey) for journey in project.journeys]
    if project.images:
        data["images"] = images_to_dict(project.images, as_bytes=images_as_bytes)
    return data


def segment_to_dict(segment: Segment) -> dict[str, Any]:
    data = {key: _out(getattr(segment, key)) for key in SEGMENT_KEYS}
    if segment.evidence:
        data[EVIDENCE] = evidence_set_to_dict(segment.evidence)
    return data


def touchpoint_to_dict(touchpoint: Touchpoint) -> dict[str, Any]:
    data = {key: _out(getattr(touchpoint, key)) for key in _ALWAYS_WRITTEN}
    if touchpoint.image is not None:
        data["image"] = touchpoint.image
    if touchpoint.measured_satisfaction is not None:
        data["measured_satisfaction"] = _out(touchpoint.measured_satisfaction)
    if touchpoint.evidence:
        data[EVIDENCE] = evidence_set_to_dict(touchpoint.evidence)
    return data


def _transition_to_dict(t: Transition) -> dict[str, Any]:
    data = {"from": t.source, "to": t.target, "probability": _out(t.probability),
            "label": t.label, **times_to_dict(t)}
    if t.evidence is not None:
        data[EVIDENCE] = evidence_to_dict(t.evidence)
    return data


def _journey_to_dict(journey: Journey) -> dict[str, Any]:
    data = {
        "id": journey.id,
        "name": journey.name,
        "discount_rate": _out(journey.discount_rate),
        "horizon": journey.horizon,
        "conversions": _out(journey.conversions),
        "stages": [{"id": s.id, "name": s.name, **times_to_dict(s)} for s in journey.stages],
        "channels": [{"id": c.id, "name": c.name} for c in journey.channels],
        "touchpoints": list(map(touchpoint_to_dict, journey.touchpoints.values())),
        "transitions": list(map(_transition_to_dict, journey.transitions.values())),
    }
    if journey.lanes:
        data["lanes"] = lanes_to_list(journey.lanes)
    if journey.lanes_above:
        data["lanes_above"] = journey.lanes_above
    if journey.notes:
        data["notes"] = notes_to_list(journey.notes)
    if journey.opportunities:
        data["opportunities"] = opportunities_to_list(journey.opportunities,
                                                      touchpoint_to_dict)
    if journey.plan is not None:
        data["plan"] = plan_to_dict(journey.plan)
    if journey.variants:
        data["variants"] = variants_to_list(journey.variants)
    return data
