"""The document's edits of evidence: how a touchpoint's figures, a transition's
probability and a segment's parameters are known (domain/evidence.py).

ProjectDocument builds on this class, as on OpportunityEdits: one public method per
user edit, each one undo step, nothing pushed when nothing would change. Evidence the
files would refuse is never stored: the edit raises ValueError with evidence_problem's
words, which the views show before they ever get here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cx_mapper.domain.evidence import (
    TOUCHPOINT_EVIDENCE,
    Evidence,
    EvidenceSet,
    evidence_problem,
    touchpoint_limits,
)
from cx_mapper.domain.journey import TransitionKey
from cx_mapper.domain.project import PARAMETER_RANGES
from cx_mapper.domain.ranges import TRANSITION_RANGES
from cx_mapper.domain.segment_ranges import default_ranges
from cx_mapper.ui.document import commands
from cx_mapper.ui.document.opportunity_edits import OpportunityEdits


def _check(evidence: Evidence | None, limits: tuple[float | None, float | None] | None,
           what: str) -> None:
    problem = None if evidence is None else evidence_problem(evidence, limits)
    if problem is not None:
        raise ValueError(f"{what}: {problem}")


class EvidenceEdits(OpportunityEdits):
    """Evidence on touchpoints, transitions and segments, edited through undo commands."""

    def set_touchpoint_evidence(self, journey_id: str, touchpoint_ids: Iterable[str],
                                field: str, evidence: Evidence | None) -> bool:
        """Give one figure of the touchpoints this evidence (None: none, the figure is
        fixed) as one step; False, with nothing pushed, if none would change."""
        if field not in TOUCHPOINT_EVIDENCE:
            raise ValueError(f"A touchpoint's {field!r} carries no evidence")
        _check(evidence, touchpoint_limits(field), f"Evidence on {field}")
        journey = self.journey(journey_id)
        values = {}
        for touchpoint_id in dict.fromkeys(touchpoint_ids):
            old = journey.touchpoint(touchpoint_id).evidence
            new = old.with_evidence(field, evidence)
            if new != old:
                values[touchpoint_id] = {"evidence": EvidenceSet.of(new)}
        if not values:
            return False
        what = "touchpoint" if len(values) == 1 else f"{len(values)} touchpoints"
        self._push(commands.SetTouchpointFieldsCommand(
            self._target, f"Change the evidence on {field} of {what}", journey_id, values))
        return True

    def set_transition_evidence(self, journey_id: str, keys: Iterable[TransitionKey],
                                evidence: Evidence | None) -> bool:
        """The evidence on the transitions' probability (None: none) as one step."""
        _check(evidence, TRANSITION_RANGES["probability"], "Evidence on probability")
        journey = self.journey(journey_id)
        changed = [k for k in dict.fromkeys((s, t) for s, t in keys)
                   if journey.transition(*k).evidence != evidence]
        if not changed:
            return False
        what = "transition" if len(changed) == 1 else f"{len(changed)} transitions"
        self._push(commands.SetTransitionFieldsCommand(
            self._target, f"Change the evidence on probability of {what}", journey_id,
            {k: {"evidence": evidence} for k in changed}))
        return True

    def set_segment_evidence(self, segment_id: str, evidence: Mapping[str, Evidence],
                             text: str = "Change the ranges of segment") -> bool:
        """A segment's evidence, by parameter, as one step (an empty mapping: none)."""
        for name, entry in evidence.items():
            if name not in PARAMETER_RANGES:
                raise ValueError(f"A segment has no parameter {name!r}")
            _check(entry, PARAMETER_RANGES[name], f"Evidence on {name}")
        new = EvidenceSet.of(evidence)
        if self.project.segment(segment_id).evidence == new:
            return False
        self._push(commands.UpdateSegmentCommand(
            self._target, text, "", {segment_id: {"evidence": new}}))
        return True

    def use_default_ranges(self, segment_id: str, on: bool = True) -> bool:
        """"Use default ranges": every parameter gets its default range around the
        segment's values (on), or none is left (off); one step."""
        segment = self.project.segment(segment_id)
        if on:
            return self.set_segment_evidence(segment_id, default_ranges(segment),
                                             "Use default ranges")
        return self.set_segment_evidence(segment_id, {}, "Stop using ranges")
