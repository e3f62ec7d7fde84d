"""Bundles of opportunities applied to a journey: the future journey a plan funds, and
which opportunities exclude each other (MODEL.md §12).

Two opportunities that set the same field (or the same transition) cannot both be
funded: the plan treats them as mutually exclusive.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import combinations
from typing import Any

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import Opportunity
from cx_mapper.domain.quoting import quoted


class PatchError(ValueError):
    """An opportunity's changes do not fit the journey: names what and where."""

    def __init__(self, opportunity_id: str, field_name: str, message: str) -> None:
        super().__init__(message)
        self.opportunity_id = opportunity_id
        self.field = field_name
        self.message = message


def apply_opportunities(journey: Journey, opportunities: Iterable[Opportunity]) -> Journey:
    """A copy of the journey with each opportunity's changes applied, in the order given
    (callers pass them in the journey's list order). The journey itself is unchanged.
    PatchError when a change names a touchpoint or transition that is not there; the
    result may still break a journey rule (a row above 100%), which validation finds."""
    patched = journey.copy()
    patched.opportunities = []
    for opportunity in opportunities:
        _apply(patched, opportunity)
    return patched


def _apply(journey: Journey, opportunity: Opportunity) -> None:
    oid = opportunity.id
    changes = opportunity.changes
    for touchpoint in changes.add_touchpoints:
        if touchpoint.id in journey.touchpoints:
            raise PatchError(oid, "changes", f"Adds touchpoint '{quoted(touchpoint.id)}', "
                                             "which the journey already has.")
        journey.touchpoints[touchpoint.id] = touchpoint
    for touchpoint_id, values in changes.touchpoints.items():
        old = journey.touchpoints.get(touchpoint_id)
        if old is None:
            raise PatchError(oid, "changes", f"Changes touchpoint '{quoted(touchpoint_id)}', "
                                             "which is not in the journey.")
        journey.touchpoints[touchpoint_id] = replace(old, **dict[str, Any](values))
    for key in changes.remove_transitions:
        if journey.transitions.pop(key, None) is None:
            raise PatchError(oid, "changes", f"Removes the transition {quoted(key[0])} -> "
                                             f"{quoted(key[1])}, which is not in the journey.")
    for transition in changes.transitions:
        missing = [end for end in transition.key if end not in journey.touchpoints]
        if missing:
            raise PatchError(oid, "changes", f"Has a transition to or from "
                                             f"'{quoted(missing[0])}', which is not in the "
                                             "journey.")
        old_transition = journey.transitions.get(transition.key)
        label = old_transition.label if old_transition is not None else transition.label
        journey.transitions[transition.key] = replace(transition, label=label)


def exclusions(opportunities: Sequence[Opportunity]) -> list[tuple[str, str]]:
    """The pairs of opportunities (by id, in list order) that set the same field or
    transition, so that at most one of each pair can be funded."""
    settings = [(o.id, o.changes.settings()) for o in opportunities]
    return [(a, b) for (a, keys_a), (b, keys_b) in combinations(settings, 2)
            if keys_a & keys_b]
