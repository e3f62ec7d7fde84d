"""Opportunities' gains and plans (MODEL.md §12): by hand, against analyze, against brute force."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from cx_mapper.domain.bundles import apply_opportunities, exclusions
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.opportunities import Changes, Opportunity
from cx_mapper.domain.project import Project, Segment
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.plan import (
    bundle_gains,
    objective_value,
    opportunity_gains,
    parse_objective,
    plan,
)
from tests.engine.helpers import (
    journey,
    project,
    random_journey,
    random_opportunities,
    two_segments,
)


def fix(oid: str, cost: float, **touchpoints: dict[str, float]) -> Opportunity:
    return Opportunity(oid, title=oid.title(), cost=cost, changes=Changes(touchpoints=touchpoints))


def chain(satisfaction: tuple[float, float, float], values: tuple[float, float, float],
          *opportunities: Opportunity) -> Project:
    """a -> b -> c, everyone moves on, no discount; c is the goal."""
    tps = [Touchpoint(tid, satisfaction=s, value=r, entry=float(tid == "a"),
                      conversion=tid == "c")
           for tid, s, r in zip("abc", satisfaction, values, strict=True)]
    result = journey(tps, [("a", "b", 1.0), ("b", "c", 1.0)])
    for opportunity in opportunities:
        result.add_opportunity(opportunity)
    return project(result)


def test_one_satisfaction_change_on_a_chain_by_hand() -> None:
    # "All consumers": alpha 0.3, u 0.13, T+ 15, tau_p 0.9, c+ 0.01, l0 0; visibility 0.
    found = opportunity_gains(chain((0.0, 0.0, 0.0), (0.0, 10.0, 20.0),
                                    fix("b", 5.0, b={"satisfaction": 0.5})))
    gains = found.gains["b"]
    # Nobody abandons (sigma >= 0) and there is no discount: v = (1, 1, 1) before and after.
    assert gains["interactions"] == pytest.approx(0.0, abs=1e-12)
    # Loyalty after a: 0; after b: 0.3 * 0.5 = 0.15; after c: 0.7 * 0.15 = 0.105.
    # Lambda = (0 + 0.15 + 0.105) / 3 = 0.085, from 0.
    assert gains["loyalty_index"] == pytest.approx(0.085)
    # V = 10 (1 + 0.13 * 0.15) + 20 (1 + 0.13 * 0.105) = 30.468, from 30.
    assert gains["value"] == pytest.approx(0.468)
    # t+_b = 15 * 0.5 = 7.5 people, all in private (rho = 1).
    assert gains["exposure_positive"] == pytest.approx(7.5)
    assert gains["exposure_net"] == pytest.approx(7.5)
    assert gains["exposure_private"] == pytest.approx(7.5)
    assert gains["exposure_public"] == pytest.approx(0.0, abs=1e-12)
    # R = c+ t+ theta = 0.01 * 7.5 * 0.9.
    assert gains["referral_r"] == pytest.approx(0.0675)
    assert gains["deterred"] == pytest.approx(0.0, abs=1e-12)
    assert gains["conversion_probability"] == pytest.approx(0.0, abs=1e-12)
    assert found.base["value"] == pytest.approx(30.0)


def test_two_fixes_on_one_path_are_worth_more_together_than_the_sum() -> None:
    # a and b at -0.5: a = 0.55 abandons q = 0.55 * 0.5 = 0.275 after each.
    # P(conv) = 0.725^2 = 0.525625; one fixed: 0.725 (+0.199375); both: 1 (+0.474375).
    project_ = chain((-0.5, -0.5, 0.0), (0.0, 0.0, 0.0),
                     fix("a", 10.0, a={"satisfaction": 0.0}),
                     fix("b", 10.0, b={"satisfaction": 0.0}))
    alone = opportunity_gains(project_).gains
    assert alone["a"]["conversion_probability"] == pytest.approx(0.199375)
    assert alone["b"]["conversion_probability"] == pytest.approx(0.199375)
    both = bundle_gains(project_, None, ["a", "b"])
    assert both["conversion_probability"] == pytest.approx(0.474375)
    assert both["conversion_probability"] > 2 * alone["a"]["conversion_probability"] + 0.07
    # The plan counts the interaction: 20 buys both, worth more than the sum.
    chosen = plan(project_, None, 20.0, {"conversion_probability": 1.0})
    assert chosen.chosen == ("a", "b")
    assert chosen.score == pytest.approx(0.474375)
    assert chosen.optimal


def _analyzed_gains(project_: Project, chosen: list[Opportunity]) -> dict[str, float] | None:
    source = project_.journeys[0]
    before = analyze(project_).totals
    patched = apply_opportunities(source, chosen)
    try:
        after = analyze(Project(name="p", journeys=[patched], segments=project_.segments)).totals
    except AnalysisError:
        return None
    return {key: getattr(after, key) - getattr(before, key)
            for key in before.__dataclass_fields__ if getattr(before, key) is not None}


@pytest.mark.parametrize(("seed", "n", "discount", "horizon"), [
    (1, 6, 0.1, None), (2, 12, 0.0, None), (3, 40, 0.05, None), (4, 80, 0.1, None),
    (5, 30, 0.1, 4), (6, 70, 0.2, 3),
])
def test_gains_equal_analyze_of_the_patched_journey(seed: int, n: int, discount: float,
                                                     horizon: int | None) -> None:
    # Small maps take the batched dense solve, larger ones the base's factors.
    rng = np.random.default_rng(seed)
    source = random_journey(rng, n, discount)
    random_opportunities(rng, source, 6)
    project_ = project(source, segments=two_segments())
    found = opportunity_gains(project_, horizon=horizon)
    base = analyze(project_, horizon=horizon).totals
    for key, value in found.base.items():
        assert value == pytest.approx(getattr(base, key), rel=1e-9, abs=1e-12)
    usable = [o for o in source.opportunities if o.id in found.gains]
    assert usable
    for opportunity in usable:
        patched = apply_opportunities(source, [opportunity])
        after = analyze(Project(name="p", journeys=[patched], segments=project_.segments),
                        horizon=horizon).totals
        for key, gain in found.gains[opportunity.id].items():
            assert gain == pytest.approx(getattr(after, key) - getattr(base, key),
                                         rel=1e-9, abs=1e-9 * max(1.0, abs(getattr(base, key))))


def _brute_force(project_: Project, budget: float, objective: dict[str, float]
                 ) -> tuple[float, set[tuple[str, ...]]]:
    """The best score by analysing every subset within budget and exclusions."""
    opportunities = project_.journeys[0].opportunities
    excluded = set(exclusions(opportunities))
    best, best_sets = 0.0, {()}
    for size in range(1, len(opportunities) + 1):
        for subset in itertools.combinations(opportunities, size):
            ids = {o.id for o in subset}
            if sum(o.cost for o in subset) > budget or any(
                    a in ids and b in ids for a, b in excluded):
                continue
            gains = _analyzed_gains(project_, list(subset))
            if gains is None:
                continue
            score = objective_value(gains, objective)
            key = tuple(o.id for o in subset)
            if score > best + 1e-9:
                best, best_sets = score, {key}
            elif score > best - 1e-9:
                best_sets.add(key)
    return best, best_sets


@hypothesis_settings(max_examples=12, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), n=st.integers(2, 9), count=st.integers(1, 6),
       budget=st.sampled_from([0.0, 30.0, 60.0, 1000.0]),
       objective=st.sampled_from([{"value": 1.0}, {"loyalty_index": 1.0},
                                  {"value": 1.0, "referral_r": 50.0},
                                  {"conversion_probability": 1.0, "deterred": -1.0}]))
def test_the_plan_equals_brute_force(seed: int, n: int, count: int, budget: float,
                                     objective: dict[str, float]) -> None:
    rng = np.random.default_rng(seed)
    source = random_journey(rng, n, float(rng.choice([0.0, 0.1])))
    random_opportunities(rng, source, count)
    project_ = project(source, segments=two_segments())
    found = plan(project_, None, budget, objective)
    best, best_sets = _brute_force(project_, budget, objective)
    assert found.optimal
    assert found.score == pytest.approx(best, rel=1e-7, abs=1e-9)
    assert found.cost <= budget
    if found.score > 1e-7:
        assert found.chosen in best_sets


def _project_with(count: int, seed: int = 7, n: int = 20) -> Project:
    rng = np.random.default_rng(seed)
    source = random_journey(rng, n)
    random_opportunities(rng, source, count)
    return project(source, segments=two_segments())


def test_the_plan_respects_the_budget_and_the_exclusions() -> None:
    project_ = _project_with(8)
    source = project_.journeys[0]
    # Two more that set the same satisfaction: at most one can be funded.
    source.add_opportunity(fix("warm", 0.0, t3={"satisfaction": 1.0}))
    source.add_opportunity(fix("warmer", 0.0, t3={"satisfaction": 0.9}))
    for budget in (0.0, 25.0, 70.0, 500.0):
        found = plan(project_, None, budget, {"value": 1.0, "referral_r": 50.0})
        costs = {o.id: o.cost for o in source.opportunities}
        assert found.cost == pytest.approx(sum(costs[i] for i in found.chosen))
        assert found.cost <= budget
        assert found.left == pytest.approx(budget - found.cost)
        assert not {"warm", "warmer"} <= set(found.chosen)
        assert ("warm", "warmer") in found.exclusions
        assert found.score >= found.greedy_score - 1e-9


def test_a_bundle_that_breaks_the_journey_is_never_funded() -> None:
    # Each raises a -> c to leave a's row at 100%; together the row would be 120%.
    tps = [Touchpoint("a", entry=1.0), Touchpoint("b", satisfaction=0.5, value=10.0),
           Touchpoint("c", satisfaction=0.8, value=10.0)]
    source = journey(tps, [("a", "b", 0.4), ("a", "c", 0.4)], discount_rate=0.1)
    for oid, target in (("more_b", "b"), ("more_c", "c")):
        source.add_opportunity(Opportunity(oid, cost=1.0, changes=Changes(
            transitions=(Transition("a", target, 0.6),))))
    found = plan(project(source), None, 10.0, {"value": 1.0})
    assert len(found.chosen) == 1
    assert found.optimal


def test_the_frontier_rises_with_the_budget_up_to_every_cost() -> None:
    project_ = _project_with(10)
    found = plan(project_, None, 50.0, {"value": 1.0, "referral_r": 50.0})
    budgets = [p.budget for p in found.frontier]
    scores = [p.score for p in found.frontier]
    assert budgets[0] == 0.0
    assert budgets == sorted(budgets)
    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(scores))
    usable = [o for o in project_.journeys[0].opportunities if o.id not in found.unusable]
    assert budgets[-1] == pytest.approx(sum(o.cost for o in usable))
    costs = {o.id: o.cost for o in usable}
    for point in found.frontier:
        assert sum(costs[i] for i in point.chosen) <= point.budget + 1e-9
    # The plan is the frontier's best at its budget.
    within = [p.score for p in found.frontier if p.budget <= 50.0]
    assert found.score == pytest.approx(max(within))


def test_beyond_fifteen_the_plan_beats_greedy_and_says_it_is_not_proven() -> None:
    project_ = _project_with(18, seed=11, n=25)
    found = plan(project_, None, 80.0, {"value": 1.0, "referral_r": 50.0})
    assert not found.optimal
    assert found.gap is not None and found.gap >= 0.0
    assert found.score >= found.greedy_score - 1e-9
    assert found.cost <= 80.0
    # Its gains are exact: the chosen bundle analysed in full.
    chosen = [o for o in project_.journeys[0].opportunities if o.id in found.chosen]
    exact = _analyzed_gains(project_, chosen)
    assert exact is not None
    assert found.gains["value"] == pytest.approx(exact["value"], rel=1e-9, abs=1e-9)
    scores = [p.score for p in found.frontier]
    assert all(b >= a for a, b in itertools.pairwise(scores))


def test_an_opportunity_that_breaks_the_journey_alone_is_left_out_with_why() -> None:
    tps = [Touchpoint("a", entry=1.0), Touchpoint("b", value=10.0)]
    source = journey(tps, [("a", "b", 0.8)])
    source.add_opportunity(Opportunity("too_much", cost=1.0, changes=Changes(
        transitions=(Transition("a", "a", 0.5),))))
    source.add_opportunity(fix("good", 1.0, b={"satisfaction": 1.0}))
    found = opportunity_gains(project(source))
    assert set(found.gains) == {"good"}
    assert "above 100%" in found.unusable["too_much"]
    assert plan(project(source), None, 5.0).unusable == found.unusable


@pytest.mark.parametrize("budget", [-1.0, math.inf, math.nan, "abc"])
def test_a_bad_budget_is_refused(budget: object) -> None:
    project_ = chain((0.0, 0.0, 0.0), (0.0, 1.0, 1.0), fix("b", 1.0, b={"satisfaction": 1.0}))
    with pytest.raises(AnalysisError, match="budget"):
        plan(project_, None, budget, {"value": 1.0})  # type: ignore[arg-type]


def test_bad_plans_say_why() -> None:
    project_ = chain((0.0, 0.0, 0.0), (0.0, 1.0, 1.0), fix("b", 1.0, b={"satisfaction": 1.0}))
    with pytest.raises(AnalysisError, match="no journey 'nope'"):
        plan(project_, "nope", 10.0)
    with pytest.raises(AnalysisError, match="no figure"):
        plan(project_, None, 10.0, {"happiness": 1.0})
    with pytest.raises(AnalysisError, match="no opportunity 'x'"):
        bundle_gains(project_, None, ["x"])
    bare = chain((0.0, 0.0, 0.0), (0.0, 1.0, 1.0))
    with pytest.raises(AnalysisError, match="no opportunities"):
        plan(bare, None, 10.0)
    no_goal = project(journey([Touchpoint("a", entry=1.0)]))
    no_goal.journeys[0].add_opportunity(fix("a", 1.0, a={"satisfaction": 1.0}))
    with pytest.raises(AnalysisError, match="no conversion"):
        plan(no_goal, None, 10.0, {"conversion_probability": 1.0})
    assert "conversion_probability" not in opportunity_gains(no_goal).gains["a"]


def test_objectives_are_read_from_text() -> None:
    assert parse_objective("value=1,referral_r=50") == {"value": 1.0, "referral_r": 50.0}
    assert parse_objective(" loyalty_index ") == {"loyalty_index": 1.0}
    for bad, words in (("", "empty"), ("value=x", "finite number"), ("happy=1", "no figure"),
                       ("value=1,value=2", "twice"), ("value=inf", "finite number")):
        with pytest.raises(ValueError, match=words):
            parse_objective(bad)


def test_segments_mix_as_analyze_does() -> None:
    # Loyalty is a ratio: mixed from the segments' numerators and denominators (§11).
    project_ = chain((-0.5, 0.2, 0.0), (0.0, 10.0, 20.0), fix("a", 1.0, a={"satisfaction": 0.6}))
    project_.segments = [Segment("x", share=0.5), Segment("y", share=0.5, abandon_on_poor=0.9,
                                                          memory=0.6)]
    gains = opportunity_gains(project_).gains["a"]
    exact = _analyzed_gains(project_, project_.journeys[0].opportunities)
    assert exact is not None
    assert gains["loyalty_index"] == pytest.approx(exact["loyalty_index"], rel=1e-10)


def test_journey_of_the_plan_keeps_its_opportunities() -> None:
    project_ = _project_with(4)
    before = list(project_.journeys[0].opportunities)
    plan(project_, None, 100.0)
    assert project_.journeys[0].opportunities == before
    assert isinstance(project_.journeys[0], Journey)
