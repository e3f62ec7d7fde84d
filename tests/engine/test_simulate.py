"""The Monte Carlo simulator agrees with the closed forms of `analyze` (MODEL.md, "Independent
check"), and its controls: seed, progress, cancellation, truncation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from cx_mapper.domain import (
    ALL_CONSUMERS,
    SOCIAL_MEDIA_USERS,
    Journey,
    Project,
    Touchpoint,
    Transition,
)
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError, SingularJourneyError
from cx_mapper.engine.results import Totals
from cx_mapper.engine.simulate import PERCENTILES, Simulation, SimulationCancelled, simulate

TOLERANCE_SE = 4.5
CUSTOMERS = 20_000


def random_project(seed: int) -> Project:
    """A journey with poor touchpoints (abandonment), loops back, self-loops and a goal.

    Two segments with different shares and behaviour; one starts with loyalty.
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 13))
    journey = Journey("j", discount_rate=float(rng.uniform(0.02, 0.3)))
    goal = int(rng.integers(n // 2, n))
    for i in range(n):
        journey.add_touchpoint(Touchpoint(
            id=f"t{i}",
            satisfaction=float(rng.uniform(-1.0, 1.0)),
            visibility=float(rng.uniform(0.0, 1.0)),
            value=float(rng.normal(20.0, 30.0)),
            impact=float(rng.uniform(0.2, 1.0)),
            entry=float(rng.uniform(0.1, 1.0)) if i < 2 else 0.0,
            conversion=i == goal,
        ))
    for i in range(n):
        targets = {min(i + 1, n - 1), int(rng.integers(0, n))}  # forward, and anywhere (back)
        if rng.random() < 0.4:
            targets.add(i)  # self-loop
        weights = rng.uniform(0.2, 1.0, len(targets))
        weights *= rng.uniform(0.75, 0.97) / weights.sum()
        for target, probability in zip(sorted(targets), weights, strict=True):
            journey.add_transition(Transition(f"t{i}", f"t{target}", float(probability)))
    # The first touchpoint always has a negative experience, so abandonment is exercised.
    journey.update_touchpoint("t0", satisfaction=-0.6)
    segments = [
        dataclasses.replace(ALL_CONSUMERS, share=0.7),
        dataclasses.replace(SOCIAL_MEDIA_USERS, share=0.3, initial_loyalty=0.4, memory=0.5),
    ]
    return Project(segments=segments, journeys=[journey])


def closed_loop_project(discount_rate: float = 0.0) -> Project:
    journey = Journey("loop", discount_rate=discount_rate)
    journey.add_touchpoint(Touchpoint("a", satisfaction=0.5, entry=1.0))
    journey.add_touchpoint(Touchpoint("b", satisfaction=0.2))
    journey.add_transition(Transition("a", "b", 1.0))
    journey.add_transition(Transition("b", "a", 1.0))
    return Project(journeys=[journey])


def sticky_project() -> Project:
    """No discount, a self-loop customers leave only slowly, towards a goal."""
    journey = Journey("sticky", discount_rate=0.0)
    journey.add_touchpoint(Touchpoint("a", satisfaction=0.5, entry=1.0))
    journey.add_touchpoint(Touchpoint("b", satisfaction=0.5, conversion=True))
    journey.add_transition(Transition("a", "a", 0.99))
    journey.add_transition(Transition("a", "b", 0.01))
    return Project(journeys=[journey])


def _close(exact: float, estimate: float, error: float) -> bool:
    return abs(estimate - exact) <= TOLERANCE_SE * error + 1e-9 * (1.0 + abs(exact))


@pytest.mark.parametrize("horizon", [None, 5])
@pytest.mark.parametrize("seed", range(5))
def test_means_agree_with_closed_forms(seed: int, horizon: int | None) -> None:
    project = random_project(seed)
    exact = analyze(project, horizon=horizon)
    sim = simulate(project, customers=CUSTOMERS, seed=seed, horizon=horizon)
    assert not sim.truncated
    assert sim.ids == exact.ids
    assert sum(sim.segment_customers) == CUSTOMERS
    for field in dataclasses.fields(Totals):
        expected = getattr(exact.totals, field.name)
        estimate = getattr(sim.totals, field.name)
        error = getattr(sim.standard_errors, field.name)
        assert expected is not None and estimate is not None and error is not None, field.name
        assert _close(expected, estimate, error), (field.name, expected, estimate, error)

    busiest = np.argsort(-exact.touchpoints.visits)[:4]
    for j in busiest:
        assert _close(exact.touchpoints.visits[j], sim.visits[j], sim.visits_se[j]), j
        assert _close(exact.touchpoints.loyalty_mass[j], sim.loyalty_mass[j],
                      sim.loyalty_mass_se[j]), j


def test_horizon_zero_is_one_visit_each() -> None:
    sim = simulate(random_project(1), customers=500, horizon=0)
    assert sim.totals.interactions == pytest.approx(1.0)
    assert sim.standard_errors.interactions == pytest.approx(0.0, abs=1e-12)
    assert sim.steps >= 1


def test_same_seed_same_result_other_seed_differs() -> None:
    project = random_project(2)
    first = simulate(project, customers=2_000, seed=7)
    again = simulate(project, customers=2_000, seed=7)
    other = simulate(project, customers=2_000, seed=8)
    assert first.totals == again.totals
    assert first.standard_errors == again.standard_errors
    np.testing.assert_array_equal(first.visits, again.visits)
    assert first.value_percentiles == again.value_percentiles
    assert first.totals != other.totals
    assert not np.array_equal(first.visits, other.visits)


def test_percentiles_are_ordered() -> None:
    sim = simulate(random_project(3), customers=5_000, seed=1)
    assert PERCENTILES == (5, 25, 50, 75, 95)
    for spread in (sim.exposure_percentiles, sim.exposure_net_percentiles, sim.value_percentiles):
        values = spread.values
        assert all(np.isfinite(values))
        assert list(values) == sorted(values)
    # Exposure per customer is positive and negative talk together: never below 0.
    assert sim.exposure_percentiles.p5 >= 0.0


def test_cancellation_raises() -> None:
    calls = 0

    def cancelled() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    with pytest.raises(SimulationCancelled):
        simulate(sticky_project(), customers=1_000, cancelled=cancelled)
    assert calls == 4


def test_progress_increases_to_one() -> None:
    fractions: list[float] = []
    simulate(sticky_project(), customers=1_000, progress=fractions.append)
    assert len(fractions) >= 3
    assert fractions[0] >= 0.0
    assert all(b > a for a, b in zip(fractions, fractions[1:], strict=False))
    assert fractions[-1] == 1.0


def test_truncated_at_max_steps_without_discount() -> None:
    project = sticky_project()
    cut = simulate(project, customers=1_000, max_steps=20)
    assert cut.truncated
    assert cut.steps == 21
    full = simulate(project, customers=2_000)
    assert not full.truncated
    exact = analyze(project).totals
    assert _close(exact.interactions, full.totals.interactions, full.standard_errors.interactions)
    assert full.totals.conversion_probability == pytest.approx(1.0)


def test_conversion_settles_after_the_horizon() -> None:
    """As in analyze, the conversion probability does not depend on the horizon."""
    sim = simulate(sticky_project(), customers=1_000, horizon=3)
    assert not sim.truncated
    assert sim.totals.conversion_probability == pytest.approx(1.0)


def test_without_conversion_touchpoint_probability_is_none() -> None:
    project = random_project(4)
    journey = project.journeys[0]
    for tid, touchpoint in list(journey.touchpoints.items()):
        if touchpoint.conversion:
            journey.update_touchpoint(tid, conversion=False)
    sim = simulate(project, customers=500)
    assert sim.totals.conversion_probability is None
    assert sim.standard_errors.conversion_probability is None


def test_closed_loop_needs_discount_or_horizon() -> None:
    with pytest.raises(AnalysisError, match="Closed loop"):
        simulate(closed_loop_project(), customers=100)
    with pytest.raises(SingularJourneyError):
        simulate(closed_loop_project(), customers=100, validate=False)
    finite = simulate(closed_loop_project(), customers=100, horizon=4)
    assert finite.totals.interactions == pytest.approx(5.0)
    discounted = simulate(closed_loop_project(0.5), customers=100)
    assert discounted.totals.interactions == pytest.approx(3.0, rel=1e-6)
    assert not discounted.truncated


def test_segments_split_by_share() -> None:
    sim = simulate(random_project(0), customers=1_001)
    assert sim.segment_customers == (701, 300)
    assert isinstance(sim, Simulation)


def test_bad_arguments() -> None:
    project = random_project(0)
    with pytest.raises(AnalysisError):
        simulate(project, horizon=-1)
    with pytest.raises(AnalysisError):
        simulate(project, "nope")
    with pytest.raises(ValueError):
        simulate(project, customers=1)
