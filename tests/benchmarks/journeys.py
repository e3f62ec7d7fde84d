"""Random journeys shaped like real ones, for benchmarks.

Touchpoints are laid out over five stages in order. Each has five transitions:
four forward to touchpoints a little further along and one loop back to the
first stage's entry touchpoints (the perpetual journey). A share of each
touchpoint's customers leaves. Every 50th touchpoint is a conversion.
"""

from __future__ import annotations

import numpy as np

from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.project import Project

STAGES = ("Awareness", "Consideration", "Purchase", "Service", "Loyalty")


def random_journey(n: int, transitions_per_touchpoint: int = 5, seed: int = 0,
                   discount_rate: float = 0.01) -> Project:
    rng = np.random.default_rng(seed)
    entries = max(1, n // 100)
    satisfaction = rng.uniform(-1, 1, n)
    visibility = rng.uniform(0, 1, n)
    value = rng.normal(5, 10, n)
    stage_of = np.minimum(np.arange(n) * len(STAGES) // n, len(STAGES) - 1)
    stages = [Stage(f"stage{i}", name) for i, name in enumerate(STAGES)]
    touchpoints = {
        f"t{i}": Touchpoint(
            f"t{i}", name=f"Touchpoint {i}", stage=f"stage{stage_of[i]}",
            satisfaction=float(satisfaction[i]), visibility=float(visibility[i]),
            value=float(value[i]), entry=1.0 if i < entries else 0.0,
            conversion=i % 50 == 49, x=float(i // 20 * 220), y=float(i % 20 * 110))
        for i in range(n)
    }
    forward = transitions_per_touchpoint - 1
    reach = 40
    offsets = np.argsort(rng.random((n, reach)), axis=1)[:, :forward] + 1
    targets = np.arange(n)[:, None] + offsets
    targets = np.where(targets < n, targets, rng.integers(0, entries, (n, forward)))
    back = rng.integers(0, entries, (n, 1))
    targets = np.concatenate([targets, back], axis=1)
    weights = rng.dirichlet(np.ones(transitions_per_touchpoint + 1), n)[:, :-1]
    transitions: dict[tuple[str, str], Transition] = {}
    for i in range(n):
        for target, probability in zip(targets[i], weights[i], strict=True):
            key = (f"t{i}", f"t{target}")
            if key in transitions:  # a repeated target keeps the larger share
                probability = max(probability, transitions[key].probability)
            transitions[key] = Transition(key[0], key[1], float(probability))
    journey = Journey("bench", name=f"{n:,} touchpoints", discount_rate=discount_rate,
                      stages=stages, touchpoints=touchpoints, transitions=transitions)
    return Project(name="Benchmark", journeys=[journey])
