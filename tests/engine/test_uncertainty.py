"""The uncertainty analysis (MODEL.md §13): exact draws, intervals, ranks, odds, EVPPI."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from cx_mapper.domain.evidence import Evidence, EvidenceSet
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.opportunities import Changes, Opportunity
from cx_mapper.domain.project import ALL_CONSUMERS, SOCIAL_MEDIA_USERS, Project
from cx_mapper.domain.segment_ranges import default_ranges
from cx_mapper.engine import draw_solvers
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.batch import TOTAL_KEYS
from cx_mapper.engine.draw_batch import evaluate
from cx_mapper.engine.draws import chain_pattern, draw
from cx_mapper.engine.matrices import journey_chain
from cx_mapper.engine.plan import opportunity_gains
from cx_mapper.engine.uncertainty import uncertainty
from cx_mapper.persistence.files import read_project
from tests.engine.helpers import drawn_project
from tests.factories import RETAIL_SAMPLE, sample_project, without_evidence


def _with_ranges(project: Project) -> Project:
    project.segments[:] = [dataclasses.replace(s, evidence=default_ranges(s))
                           for s in project.segments]
    return project


def _evidenced(project: Project, n: int = 400) -> Project:
    """Every row counted from `n` departures, every satisfaction a survey of 60."""
    journey = project.journeys[0]
    for tid, tp in list(journey.touchpoints.items()):
        journey.touchpoints[tid] = dataclasses.replace(tp, evidence=EvidenceSet.of({
            "satisfaction": Evidence("survey", n=60, sd=0.5),
            "departures": Evidence("data", n=n)}))
    for key, t in list(journey.transitions.items()):
        journey.transitions[key] = dataclasses.replace(
            t, evidence=Evidence("data", n=round(n * t.probability)))
    return project


def _two_segments(project: Project) -> Project:
    project.segments[:] = [dataclasses.replace(ALL_CONSUMERS, share=0.6),
                           dataclasses.replace(SOCIAL_MEDIA_USERS, share=0.4)]
    return project


def test_with_no_evidence_every_interval_has_zero_width_at_the_analysed_figure() -> None:
    project = without_evidence(read_project(RETAIL_SAMPLE))
    result = analyze(project, "current")
    found = uncertainty(project, "current", samples=50)

    assert found.inputs == 0
    for key, (low, mid, high) in found.intervals.items():
        expected = getattr(result.totals, key)
        assert low == mid == high == pytest.approx(expected, rel=1e-12, abs=1e-15)
    order = [tid for tid, _ in result.fix_first("loyalty_index", 5)]
    by_rank = sorted(found.ranks, key=lambda tid: found.ranks[tid][1])[:5]
    assert by_rank == order
    assert all(low == high for low, _, high in found.ranks.values())
    assert found.robust and found.research_next is None


@pytest.mark.parametrize(("dense", "schur"), [(1000, 48), (0, 48), (0, -1)],
                         ids=["dense", "schur complement", "stacked sparse"])
def test_each_draw_is_analysed_exactly_as_a_single_analysis_of_its_inputs(
        dense: int, schur: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(draw_solvers, "DENSE_SIZE", dense)
    monkeypatch.setattr(draw_solvers, "SCHUR_LIMIT", schur)
    project = _with_ranges(_evidenced(_two_segments(sample_project())))
    journey = project.journeys[0]
    chain = journey_chain(journey)
    pattern = chain_pattern(chain.probabilities)
    draws = draw(journey, chain.ids, pattern, project.segments, 6, seed=3)
    found = evaluate(chain, pattern, draws.fields, draws.probabilities, draws.segments,
                     project.normalised_shares(), gradient=True)
    assert found.loyalty_gradient is not None
    for b in range(draws.count):
        single = drawn_project(project, draws, pattern, b)
        result = analyze(single, single.journeys[0].id)
        for i, key in enumerate(TOTAL_KEYS[:-1]):
            assert found.totals[b, i] == pytest.approx(getattr(result.totals, key), rel=1e-10)
        np.testing.assert_allclose(found.loyalty_gradient[b],
                                   result.touchpoints.sensitivity["loyalty_index"],
                                   rtol=1e-9, atol=1e-14)
    # the draws really differ: this is no test of one repeated draw
    assert np.ptp(found.totals[:, TOTAL_KEYS.index("loyalty_index")]) > 0


def test_the_same_seed_gives_the_same_figures_and_another_seed_others() -> None:
    project = _with_ranges(without_evidence(read_project(RETAIL_SAMPLE)))
    first = uncertainty(project, "current", samples=200, seed=7)
    again = uncertainty(project, "current", samples=200, seed=7)
    other = uncertainty(project, "current", samples=200, seed=8)

    assert first.intervals == again.intervals
    assert first.intervals["referral_r"] != other.intervals["referral_r"]
    # referral conversion is the pure assumption: it drives referrals' spread
    top = first.drivers["referral_r"][0]
    assert top.key.endswith(":referral_conversion") and top.share > 0.2


def _interval_width(project: Project, key: str) -> float:
    low, _, high = uncertainty(project, project.journeys[0].id, samples=4000,
                               seed=1).intervals[key]
    return high - low


def test_intervals_from_counts_shrink_like_one_over_the_square_root_of_n() -> None:
    def counted(n: int) -> Project:
        project = sample_project()
        journey = project.journeys[0]
        for tid, tp in list(journey.touchpoints.items()):
            journey.touchpoints[tid] = dataclasses.replace(
                tp, evidence=EvidenceSet.of({"departures": Evidence("data", n=n)}))
        for key, t in list(journey.transitions.items()):
            journey.transitions[key] = dataclasses.replace(
                t, evidence=Evidence("data", n=round(n * t.probability)))
        return project

    small = _interval_width(counted(250), "interactions")
    large = _interval_width(counted(4000), "interactions")  # 16x the data
    assert small > 0
    assert large / small == pytest.approx(0.25, rel=0.12)


def _calibration_case(rng: np.random.Generator, customers: int) -> tuple[Project, float]:
    """A journey estimated from `customers` simulated customers' moves, with its counts as
    evidence, and the true conversion probability of the journey they were drawn from."""
    truth = {("ad", "site"): 0.55, ("ad", "shop"): 0.25, ("site", "buy"): 0.35,
             ("site", "shop"): 0.2, ("shop", "buy"): 0.45}
    journey = Journey("j", discount_rate=0.01)
    for tid in ("ad", "site", "shop", "buy"):
        journey.add_touchpoint(Touchpoint(tid, entry=1.0 if tid == "ad" else 0.0,
                                          conversion=tid == "buy"))
    true_conversion = 0.55 * (0.35 + 0.2 * 0.45) + 0.25 * 0.45
    arrivals = {"ad": customers, "site": 0, "shop": 0}
    for source in ("ad", "site", "shop"):
        targets = [t for (s, t) in truth if s == source]
        p = [truth[(source, t)] for t in targets]
        counts = rng.multinomial(arrivals[source], [*p, 1 - sum(p)])
        departed = arrivals[source]
        journey.touchpoints[source] = dataclasses.replace(
            journey.touchpoints[source],
            evidence=EvidenceSet.of({"departures": Evidence("data", n=departed)}))
        for target, count in zip(targets, counts, strict=False):
            if target in arrivals:
                arrivals[target] += int(count)
            if departed and count:
                journey.add_transition(Transition(source, target, count / departed,
                                                  evidence=Evidence("data", n=int(count))))
    return Project(name="calibration", journeys=[journey]), true_conversion


def test_the_90_percent_interval_covers_the_truth_about_90_percent_of_the_time() -> None:
    rng = np.random.default_rng(2026)
    covered = 0
    experiments = 120
    for _ in range(experiments):
        project, truth = _calibration_case(rng, customers=300)
        low, _, high = uncertainty(project, "j", samples=400,
                                   seed=int(rng.integers(1 << 30))).intervals[
            "conversion_probability"]
        covered += low <= truth <= high
    # 120 experiments: a true 90% coverage lands in 0.83-0.96 with 99% probability
    assert 0.82 <= covered / experiments <= 0.97


def _decision_project() -> Project:
    """Two fixes: raising the ad's uncertain satisfaction to 0.6, or the site's to 0.5.
    Which is worth more depends on how good the ad really is."""
    journey = Journey("j", discount_rate=0.05)
    journey.add_touchpoint(Touchpoint("ad", name="Ad", entry=1.0, value=1.0, evidence=
                                      EvidenceSet.of({"satisfaction": Evidence(
                                          "workshop", low=-0.9, mode=0.0, high=0.6)})))
    journey.add_touchpoint(Touchpoint("site", name="Site", satisfaction=-0.2, value=4.0))
    journey.add_touchpoint(Touchpoint("shop", name="Shop", satisfaction=0.3, value=6.0))
    journey.add_transition(Transition("ad", "site", 0.7))
    journey.add_transition(Transition("site", "shop", 0.6))
    journey.add_transition(Transition("shop", "ad", 0.5))
    journey.opportunities = [
        Opportunity("fix-ad", cost=1.0, changes=Changes(touchpoints={"ad": {"satisfaction": 0.6}})),
        Opportunity("fix-site", cost=1.0,
                    changes=Changes(touchpoints={"site": {"satisfaction": 0.5}})),
    ]
    segment = dataclasses.replace(ALL_CONSUMERS, evidence=EvidenceSet.of({
        "spend_uplift": Evidence("assumption", low=0.05, high=0.4)}))
    return Project(name="decision", journeys=[journey], segments=[segment])


def test_research_next_matches_a_brute_force_expected_value_of_information() -> None:
    project = _decision_project()
    found = uncertainty(project, "j", samples=6000, seed=11)
    worth = {r.key: r.worth for r in found.research}

    # Brute force: over the ad's satisfaction (a fine grid of its triangular law's
    # quantiles), each option's expected gain in value given it. Value is linear in the
    # spend uplift, so at a given satisfaction the expectation over the uplift is the
    # gain at its mean: no inner sampling is needed.
    low, mode, high = -0.9, 0.0, 0.6
    mean_uplift = (0.05 + 0.4) / 2
    given = []
    for q in (np.arange(300) + 0.5) / 300:
        cut = (mode - low) / (high - low)
        x = (low + math.sqrt(q * (high - low) * (mode - low)) if q < cut
             else high - math.sqrt((1 - q) * (high - low) * (high - mode)))
        fixed = _decision_project()
        journey = fixed.journeys[0]
        journey.update_touchpoint("ad", satisfaction=x, evidence=EvidenceSet())
        fixed.segments[0] = dataclasses.replace(fixed.segments[0], spend_uplift=mean_uplift,
                                                evidence=EvidenceSet())
        gains = opportunity_gains(fixed, "j").gains
        given.append([0.0, gains["fix-ad"]["value"], gains["fix-site"]["value"]])
    table = np.array(given)
    brute = table.max(axis=1).mean() - table.mean(axis=0).max()

    assert brute > 0.01  # the decision does hang on the ad's satisfaction
    assert worth["touchpoint:ad:satisfaction"] == pytest.approx(brute, rel=0.15)
    # the uplift scales both gains alike: knowing it changes no decision
    assert worth["segment:all:spend_uplift"] < 0.1 * brute
    assert found.research_next is not None
    assert found.research_next.key == "touchpoint:ad:satisfaction"
    assert not found.robust
    odds = found.opportunities
    assert odds["fix-ad"].p_positive == pytest.approx(1.0)
    assert 0.1 < odds["fix-ad"].p_best < 0.9
    assert odds["fix-ad"].p_best + odds["fix-site"].p_best == pytest.approx(1.0)


def test_the_three_solvers_agree_on_a_journey_with_loops_back_to_many_places(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.benchmarks.journeys import random_journey

    project = _with_ranges(_evidenced(_two_segments(random_journey(90, seed=4))))
    journey = project.journeys[0]
    # loops back to a dozen places, not only the start
    for i in range(10, 90, 7):
        journey.add_transition(Transition(f"t{i}", f"t{i - 9}", 0.05))
    chain = journey_chain(journey)
    pattern = chain_pattern(chain.probabilities)
    draws = draw(journey, chain.ids, pattern, project.segments, 40, seed=5)
    found = []
    for dense, schur in ((1000, 48), (0, 48), (0, -1)):
        monkeypatch.setattr(draw_solvers, "DENSE_SIZE", dense)
        monkeypatch.setattr(draw_solvers, "SCHUR_LIMIT", schur)
        found.append(evaluate(chain, pattern, draws.fields, draws.probabilities, draws.segments,
                              project.normalised_shares(), gradient=True))
    loops = draw_solvers.loops_last(pattern, chain.size)[1]
    assert 3 <= loops <= 48
    for other in found[1:]:
        np.testing.assert_allclose(other.totals, found[0].totals, rtol=1e-9)
        assert other.loyalty_gradient is not None and found[0].loyalty_gradient is not None
        np.testing.assert_allclose(other.loyalty_gradient, found[0].loyalty_gradient,
                                   rtol=1e-8, atol=1e-14)
