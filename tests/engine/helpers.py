"""Small journeys for engine tests, built through the domain API."""

from __future__ import annotations

from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import Project, Segment


def journey(touchpoints: list[Touchpoint], transitions: list[tuple[str, str, float]] = (),
            discount_rate: float = 0.0, journey_id: str = "j", **fields: object) -> Journey:
    result = Journey(journey_id, discount_rate=discount_rate, **fields)  # type: ignore[arg-type]
    for touchpoint in touchpoints:
        result.add_touchpoint(touchpoint)
    for source, target, probability in transitions:
        result.add_transition(Transition(source, target, probability))
    return result


def project(*journeys: Journey, segments: list[Segment] | None = None) -> Project:
    result = Project(name="test", journeys=list(journeys))
    if segments is not None:
        result.segments = segments
    return result


def recency_chain(p: list[float], value: list[float], discount_rate: float, start: int) -> Project:
    """Pfeifer & Carraway's recency chain: state i returns to state 1 with p_i, else moves on;
    the last state is absorbing. Spend uplift 0 makes V the plain migration-model CLV."""
    n = len(p)
    ids = [f"s{i + 1}" for i in range(n)]
    tps = [Touchpoint(ids[i], value=value[i], entry=1.0 if i == start else 0.0) for i in range(n)]
    transitions = []
    for i in range(n - 1):
        if p[i] > 0:
            transitions.append((ids[i], ids[0], p[i]))
        transitions.append((ids[i], ids[i + 1], 1 - p[i]))
    transitions.append((ids[-1], ids[-1], 1.0))
    return project(journey(tps, transitions, discount_rate),
                   segments=[Segment("plain", spend_uplift=0.0)])
