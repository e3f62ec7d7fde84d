"""The flow along each arrow: how many discounted passes per entering customer take it.

The engine's result is per touchpoint (visits v_i); the flow along i -> j is
v_i Q_ij, the visits that continue there, delta (1 - q_i) p_ij with the abandonment
after poor service q_i = abandon_on_poor max(-sigma_i, 0), weighted by segment share
(MODEL.md §1-4). The map's arrow widths and the exported transitions table both read
it from here.
"""

from __future__ import annotations

from cx_mapper.domain.journey import Journey, TransitionKey
from cx_mapper.domain.project import Project
from cx_mapper.engine.results import Analysis


def transition_flows(project: Project, journey: Journey,
                     analysis: Analysis) -> dict[TransitionKey, float]:
    """The flow of every transition whose source the analysis knows, by (from, to).

    A transition whose source the result does not know (the journey was edited since)
    gets no flow.
    """
    index = {tid: i for i, tid in enumerate(analysis.ids)}
    delta = 1.0 / (1.0 + journey.discount_rate)
    segments = [(result, project.segment(result.segment_id).abandon_on_poor)
                for result in analysis.segments]
    flows: dict[TransitionKey, float] = {}
    for transition in journey.transitions.values():
        i = index.get(transition.source)
        source = journey.touchpoints.get(transition.source)
        if i is None or source is None:
            continue
        sigma = source.satisfaction
        flow = 0.0
        for result, abandon in segments:
            kept = 1.0 - abandon * max(-sigma, 0.0)
            flow += result.share * float(result.touchpoints.visits[i]) * kept
        flows[transition.key] = delta * flow * transition.probability
    return flows
