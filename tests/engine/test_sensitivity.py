"""Adjoint sensitivities (MODEL.md §9) against central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import SOCIAL_MEDIA_USERS, Project, Segment
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.results import SENSITIVITY_TARGETS
from tests.engine.helpers import journey, project


def random_project(seed: int, n: int = 9, discount_rate: float = 0.05,
                   measured: bool = False) -> Project:
    rng = np.random.default_rng(seed)
    result = Journey("r", discount_rate=discount_rate)
    for i in range(n):
        satisfaction = float(rng.uniform(-1, 1))
        if abs(satisfaction) < 0.05:  # keep clear of the kink for a central difference
            satisfaction = 0.3
        result.add_touchpoint(Touchpoint(
            f"t{i}", satisfaction=satisfaction, visibility=float(rng.uniform()),
            value=float(rng.normal(10, 5)), impact=float(rng.uniform(0.2, 1)),
            entry=float(rng.uniform()) if i < 3 else 0.0,
            referral_entry=1.0 if i == 4 else 0.0, conversion=i == n - 1))
    if measured:  # every other row measured from data, some of them at a worse score
        for i in range(0, n, 2):
            sigma = result.touchpoints[f"t{i}"].satisfaction
            result.update_touchpoint(f"t{i}", measured_satisfaction=max(-1.0, sigma - 0.4))
    for i in range(n):
        targets = rng.choice(n, 3, replace=False)
        weights = rng.dirichlet(np.ones(4))[:3] * 0.95
        for target, probability in zip(targets, weights, strict=True):
            result.add_transition(Transition(f"t{i}", f"t{target}", float(probability)))
    social = Segment(**{**{name: getattr(SOCIAL_MEDIA_USERS, name)
                           for name in SOCIAL_MEDIA_USERS.__slots__},
                        "share": 0.3, "initial_loyalty": 0.2})
    return project(result, segments=[Segment("all", share=0.7), social])


def finite_difference(model: Project, touchpoint_id: str, target: str,
                      horizon: int | None, step: float = 1e-6) -> float:
    journey_ = model.journeys[0]
    base = journey_.touchpoints[touchpoint_id].satisfaction
    journey_.update_touchpoint(touchpoint_id, satisfaction=base + step)
    up = getattr(analyze(model, horizon=horizon).totals, target)
    journey_.update_touchpoint(touchpoint_id, satisfaction=base - step)
    down = getattr(analyze(model, horizon=horizon).totals, target)
    journey_.update_touchpoint(touchpoint_id, satisfaction=base)
    return float((up - down) / (2 * step))


@pytest.mark.parametrize("measured", [False, True])
@pytest.mark.parametrize("horizon", [None, 6])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_adjoint_matches_central_differences(seed: int, horizon: int | None,
                                              measured: bool) -> None:
    """Measured rows (MODEL.md §2) move by the change in abandonment relative to sigma0."""
    model = random_project(seed, measured=measured)
    result = analyze(model, horizon=horizon)
    for touchpoint_id in result.ids:
        for target in SENSITIVITY_TARGETS:
            expected = finite_difference(model, touchpoint_id, target, horizon)
            actual = result.touchpoint(touchpoint_id).sensitivity[target]
            assert actual == pytest.approx(expected, rel=1e-5, abs=1e-7), (touchpoint_id, target)


def test_derivative_at_zero_is_taken_from_above() -> None:
    model = project(journey([Touchpoint("a", entry=1.0, satisfaction=0.0, visibility=0.5)],
                            [("a", "a", 0.5)], discount_rate=0.1))
    result = analyze(model)
    step = 1e-6
    model.journeys[0].update_touchpoint("a", satisfaction=step)
    above = analyze(model).totals
    for target in SENSITIVITY_TARGETS:
        one_sided = (getattr(above, target) - getattr(result.totals, target)) / step
        assert result.touchpoint("a").sensitivity[target] == pytest.approx(one_sided, rel=1e-4)


def test_fix_first_ranks_by_loyalty_gain() -> None:
    result = analyze(random_project(4))
    ranking = result.fix_first("loyalty_index", 5)
    gains = [gain for _, gain in ranking]
    assert gains == sorted(gains, reverse=True)
    best = int(np.argmax(result.touchpoints.sensitivity["loyalty_index"]))
    assert ranking[0][0] == result.ids[best]
