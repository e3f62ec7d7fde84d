"""What the engine reads of a project for one journey, to tell when figures still hold.

Cards moved about (a drag, auto-layout and its undo) change no figure: the analysis
reads the segments and the journey's graph and settings, never where a card is drawn.
A view that kept the figures of the journey as it was before such an edit may show
them for the journey now, with no new analysis (ui/document/analysis_service.py).
The journey's story around the graph (lanes, notes, opportunities, its plan) is not
read either; any other change counts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from cx_mapper.domain.elements import Touchpoint
from cx_mapper.domain.project import Project

#: Where engine_inputs puts the touchpoints, which are compared without their places.
_TOUCHPOINTS = 0


def engine_inputs(project: Project, journey_id: str) -> tuple[Any, ...]:
    """The parts of the project the analysis of `journey_id` reads. Elements are
    frozen, so this is a cheap snapshot: an unchanged element is the same object."""
    journey = project.journey(journey_id)
    return (tuple(journey.touchpoints.items()), tuple(journey.transitions.values()),
            journey.discount_rate, journey.horizon, journey.conversions,
            tuple(journey.stages), tuple(journey.channels), tuple(project.segments))


def same_figures(before: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """True when two engine_inputs differ at most in where cards are drawn."""
    if len(before) != len(now):
        return False
    for index, (old, new) in enumerate(zip(before, now, strict=True)):
        if index == _TOUCHPOINTS:
            if len(old) != len(new) or not all(
                    a_id == b_id and (a is b or _unplaced(a) == _unplaced(b))
                    for (a_id, a), (b_id, b) in zip(old, new, strict=True)):
                return False
        elif old != new:  # tuples test identity first: unchanged elements cost nothing
            return False
    return True


def _unplaced(touchpoint: Touchpoint) -> Touchpoint:
    return replace(touchpoint, x=0.0, y=0.0)
