"""The experience lane's curve: loyalty at each stage, from an analysis.

A classic journey map draws an emotion curve under its stages; CX Mapper draws the
computed one. At a stage it is the loyalty of the customers there: the loyalty mass of
the stage's touchpoints over their visits (MODEL.md's L_j = M_j / v_j, pooled over the
stage), so a busy touchpoint weighs as much as the customers it sees. No Qt: the canvas
and the summary draw the same figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.results import Analysis, TouchpointFigures


@dataclass(frozen=True)
class ExperienceCurve:
    """Loyalty (-1..1) at each stage, in the journey's stage order; None where no
    customer reaches the stage."""

    name: str  # "All customers" or the segment's name
    loyalty: tuple[float | None, ...]


def stage_loyalty(journey: Journey, ids: tuple[str, ...], figures: TouchpointFigures
                  ) -> tuple[float | None, ...]:
    """Pooled loyalty per stage of `journey` from one set of touchpoint figures."""
    index = {tid: i for i, tid in enumerate(ids)}
    rows: dict[str, list[int]] = {stage.id: [] for stage in journey.stages}
    for touchpoint in journey.touchpoints.values():
        if touchpoint.stage in rows and touchpoint.id in index:
            rows[touchpoint.stage].append(index[touchpoint.id])
    result: list[float | None] = []
    for stage in journey.stages:
        members = np.array(rows[stage.id], dtype=int)
        visits = float(figures.visits[members].sum()) if members.size else 0.0
        mass = float(figures.loyalty_mass[members].sum()) if members.size else 0.0
        value = mass / visits if visits > 0 else math.nan
        result.append(value if math.isfinite(value) else None)
    return tuple(result)


def experience_curves(journey: Journey, analysis: Analysis, per_segment: bool = False
                      ) -> list[ExperienceCurve]:
    """The mixed curve, or one per segment (in the project's order)."""
    if not per_segment or not analysis.segments:
        return [ExperienceCurve("All customers",
                                stage_loyalty(journey, analysis.ids, analysis.touchpoints))]
    return [ExperienceCurve(segment.name or segment.segment_id,
                            stage_loyalty(journey, analysis.ids, segment.touchpoints))
            for segment in analysis.segments]
