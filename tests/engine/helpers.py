"""Small journeys for engine tests, built through the domain API."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from cx_mapper.domain.evidence import EvidenceSet
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.opportunities import Changes, Opportunity
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


def random_journey(rng: np.random.Generator, n: int, discount_rate: float = 0.1,
                   goal: bool = True) -> Journey:
    """A journey of n touchpoints with up to three transitions out of each, rows below 1."""
    result = Journey("j", discount_rate=discount_rate)
    for i in range(n):
        result.add_touchpoint(Touchpoint(
            f"t{i}", satisfaction=float(rng.uniform(-1, 1)), visibility=float(rng.uniform()),
            value=float(rng.normal(10, 5)), impact=float(rng.uniform()),
            entry=float(i == 0 or rng.uniform() > 0.7), conversion=goal and i == n - 1))
    for i in range(n):
        targets = rng.choice(n, size=min(3, n), replace=False)
        shares = rng.dirichlet(np.ones(len(targets))) * rng.uniform(0.5, 0.95)
        for target, share in zip(targets, shares, strict=True):
            result.add_transition(Transition(f"t{i}", f"t{target}", float(share)))
    return result


def random_opportunities(rng: np.random.Generator, journey_: Journey, count: int) -> None:
    """Opportunities of every kind: satisfaction, other fields, transitions, added touchpoints."""
    ids = list(journey_.touchpoints)
    for a in range(count):
        kind = int(rng.integers(4))
        tid = ids[int(rng.integers(len(ids)))]
        if kind == 0:
            changes = Changes(touchpoints={tid: {"satisfaction": float(rng.uniform(-0.2, 1))}})
        elif kind == 1:
            changes = Changes(touchpoints={tid: {"impact": float(rng.uniform()),
                                                 "visibility": float(rng.uniform()),
                                                 "value": float(rng.normal(12, 4))}})
        elif kind == 2:
            out = [key for key in journey_.transitions if key[0] == tid]
            changes = Changes(transitions=(Transition(tid, ids[int(rng.integers(len(ids)))],
                                                      float(rng.uniform(0, 0.3))),),
                              remove_transitions=tuple(out[:1]))
            if set(changes.remove_transitions) & {t.key for t in changes.transitions}:
                changes = Changes(remove_transitions=tuple(out[:1]))
        else:
            new = Touchpoint(f"new{a}", satisfaction=0.8, value=5.0,
                             entry=float(rng.uniform() > 0.5))
            changes = Changes(add_touchpoints=(new,), transitions=(
                Transition(tid, new.id, 0.05), Transition(new.id, ids[0], 0.5)))
        journey_.add_opportunity(Opportunity(f"o{a}", title=f"Fix {a}",
                                             cost=float(rng.integers(0, 10) * 10),
                                             changes=changes))


def two_segments() -> list[Segment]:
    return [Segment("a", share=0.3),
            Segment("b", share=0.7, abandon_on_poor=0.8, tell_positive=40.0, memory=0.5,
                    initial_loyalty=0.2, spend_uplift=0.3)]


def drawn_project(project: Project, draws: Any, pattern: Any, b: int) -> Project:
    """Draw `b` of an uncertainty analysis (engine/draws.py) as a project of its own,
    with no evidence: what a single exact analysis of that draw reads."""
    journey_ = project.journeys[0]
    single = Project(name="one", journeys=[journey_.copy()], segments=[
        dataclasses.replace(s, evidence=EvidenceSet(),
                            **{k: float(v[b]) for k, v in values.items()})
        for s, values in zip(project.segments, draws.segments, strict=True)])
    one = single.journeys[0]
    for i, tid in enumerate(draws.ids):
        one.update_touchpoint(tid, **{name: float(draws.fields[name][b, i])
                                      for name in draws.fields})
    for e, (r, c) in enumerate(zip(pattern.rows, pattern.cols, strict=True)):
        one.update_transition(draws.ids[r], draws.ids[c],
                              probability=float(draws.probabilities[b, e]))
    return single
