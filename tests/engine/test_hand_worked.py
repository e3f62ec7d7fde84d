"""Each metric on journeys small enough to work out by hand (MODEL.md §1-11).

The "All consumers" preset: T+ 15, T- 24, u 0.13, a 0.55, A 10, tau_p 0.9,
tau_s 0.7, c+ 0.01, c- 0.01, alpha 0.3, l0 0.
"""

from __future__ import annotations

import math

import pytest

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.project import ALL_CONSUMERS, SOCIAL_MEDIA_USERS, Segment
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError, SingularJourneyError
from tests.engine.helpers import journey, project


def single(**fields: object) -> Touchpoint:
    return Touchpoint("a", entry=1.0, **fields)  # type: ignore[arg-type]


def test_one_good_interaction() -> None:
    result = analyze(project(journey([single(satisfaction=0.5, visibility=0.2, value=10.0)])))
    t = result.totals
    assert t.interactions == pytest.approx(1.0)
    # Loyalty after the visit: (1 - 0.3) * 0 + 0.3 * 0.5.
    assert t.loyalty_index == pytest.approx(0.15)
    assert result.touchpoint("a").loyalty == pytest.approx(0.15)
    # Spend scales by 1 + u * loyalty.
    assert t.value == pytest.approx(10 * (1 + 0.13 * 0.15))
    # t+ = 7.5, rho = 0.8 + 0.2 * 10 = 2.8.
    assert t.exposure_positive == pytest.approx(21.0)
    assert t.exposure_negative == 0.0
    assert t.exposure_net == pytest.approx(21.0)
    assert t.exposure_private == pytest.approx(7.5 * 0.8)
    assert t.exposure_public == pytest.approx(7.5 * 0.2 * 10)
    # theta = 0.9 * 0.8 + 0.7 * 0.2 * 10 = 2.12; g = 0.01 * 7.5 * 2.12.
    assert t.referral_r == pytest.approx(0.159)
    assert t.deterred == 0.0
    assert t.conversion_probability is None


def test_poor_interaction_repeated_with_abandonment() -> None:
    # Self-loop 0.5; after a poor visit 0.55 * 0.4 = 22% walk away: P~ = 0.78 * 0.5.
    result = analyze(project(journey([single(satisfaction=-0.4)], [("a", "a", 0.5)])))
    visits = 1 / (1 - 0.39)
    assert result.totals.interactions == pytest.approx(visits)
    # Loyalty after visit t is -0.4 (1 - 0.7^(t+1)); weight 0.39^t.
    mass = -0.4 * (1 / 0.61 - 0.7 / (1 - 0.39 * 0.7))
    assert result.touchpoints.loyalty_mass[0] == pytest.approx(mass)
    assert result.totals.loyalty_index == pytest.approx(mass / visits)
    assert result.totals.exposure_negative == pytest.approx(visits * 24 * 0.4)
    assert result.totals.exposure_private == pytest.approx(visits * 24 * 0.4)
    assert result.totals.deterred == pytest.approx(0.01 * 24 * 0.4 * 0.9 * visits)


def test_discount_weighs_later_visits_less() -> None:
    # delta = 1 / 1.25 = 0.8: the second visit counts 0.6 * 0.8.
    chain = journey([single(value=100.0), Touchpoint("b", value=-20.0)], [("a", "b", 0.6)],
                    discount_rate=0.25)
    result = analyze(project(chain, segments=[Segment("s", spend_uplift=0.0)]))
    assert list(result.touchpoints.visits) == pytest.approx([1.0, 0.48])
    assert result.totals.value == pytest.approx(100 - 20 * 0.48)


def test_finite_horizon_counts_steps_zero_to_t() -> None:
    loop = journey([single()], [("a", "a", 1.0)], discount_rate=0.0)
    assert analyze(project(loop), horizon=3).totals.interactions == pytest.approx(4.0)
    loop.discount_rate = 1.0
    assert analyze(project(loop), horizon=3).totals.interactions == pytest.approx(1.875)
    assert analyze(project(loop)).totals.interactions == pytest.approx(2.0)


def test_closed_loop_without_discount_is_a_clear_error_never_inf() -> None:
    loop = journey([single(), Touchpoint("b"), Touchpoint("c")],
                   [("a", "b", 1.0), ("b", "c", 1.0), ("c", "b", 1.0)], discount_rate=0.0)
    with pytest.raises(AnalysisError, match="Closed loop with no exit: b → c → b"):
        analyze(project(loop))
    with pytest.raises(SingularJourneyError) as caught:
        analyze(project(loop), validate=False)
    assert caught.value.loop == ["b", "c"]
    assert "discount rate" in str(caught.value)


def test_poor_loop_leaks_through_abandonment() -> None:
    loop = journey([single(satisfaction=-0.5)], [("a", "a", 1.0)], discount_rate=0.0)
    result = analyze(project(loop))
    assert result.totals.interactions == pytest.approx(1 / (1 - 0.725))
    assert math.isfinite(result.totals.value)


def test_unvisited_touchpoint_has_no_loyalty() -> None:
    result = analyze(project(journey([single(), Touchpoint("lonely", satisfaction=1.0)])))
    assert result.touchpoint("lonely").visits == 0.0
    assert result.touchpoint("lonely").loyalty is None
    assert result.totals.loyalty_index == 0.0


def test_referral_generations_total_and_growth() -> None:
    result = analyze(project(journey([single(satisfaction=0.5, visibility=0.2)])))
    assert result.generations.referral_r_referred == pytest.approx(0.159)
    assert result.generations.referred == pytest.approx(0.159 / (1 - 0.159))
    assert result.generations.interactions == pytest.approx(1 + 0.159 / (1 - 0.159))
    assert not result.generations.growth
    viral = Segment("viral", referral_conversion=0.2)  # g = 3.18 >= 1
    grown = analyze(project(journey([single(satisfaction=0.5, visibility=0.2)]),
                            segments=[viral]))
    assert grown.generations.growth
    assert grown.generations.referred is None


def test_referred_customers_start_at_referral_entry() -> None:
    chain = journey([single(satisfaction=1.0), Touchpoint("b", referral_entry=1.0,
                                                         satisfaction=0.0)])
    result = analyze(project(chain))
    # Referred customers visit b only, where nobody talks: R_e = 0.
    assert result.generations.referral_r_referred == 0.0
    r = result.totals.referral_r
    assert result.generations.referred == pytest.approx(r)
    assert result.generations.interactions == pytest.approx(1 + r)


def test_time_series_with_referrals() -> None:
    # Self-loop 0.5, sigma 0.5 (no abandonment): y_t = 0.5 y_{t-1} + g y_{t-1}.
    chain = journey([single(satisfaction=0.5, visibility=0.2)], [("a", "a", 0.5)],
                    horizon=3)
    series = analyze(project(chain)).series
    g = 0.159
    growth = 0.5 + g
    assert list(series.step) == [0, 1, 2, 3]
    assert list(series.active) == pytest.approx([growth**t for t in range(4)])
    assert list(series.referred) == pytest.approx(
        [g * sum(growth**s for s in range(t + 1)) for t in range(4)])
    assert list(series.exposure_positive) == pytest.approx(
        [21 * sum(growth**s for s in range(t + 1)) for t in range(4)])
    assert series.loyalty[0] == pytest.approx(0.15)


def test_time_series_loyalty_keeps_memory() -> None:
    chain = journey([single(satisfaction=1.0)], [("a", "a", 1.0)], horizon=2,
                    discount_rate=0.5)
    series = analyze(project(chain, segments=[Segment("s", referral_conversion=0.0)])).series
    assert list(series.loyalty) == pytest.approx([0.3, 0.51, 0.657])


def test_segments_mix_numerator_and_denominator_separately() -> None:
    chain = journey([single(satisfaction=-0.5), Touchpoint("b", satisfaction=0.5)],
                    [("a", "b", 1.0)])
    mild = Segment("mild", share=1.0, abandon_on_poor=0.0)
    harsh = Segment("harsh", share=3.0, abandon_on_poor=1.0)
    result = analyze(project(chain, segments=[mild, harsh]))
    (m, h) = result.segments
    assert (m.share, h.share) == (0.25, 0.75)
    visits_b = 0.25 * m.touchpoints.visits[1] + 0.75 * h.touchpoints.visits[1]
    assert result.touchpoints.visits[1] == pytest.approx(visits_b)
    mass = 0.25 * m.touchpoints.loyalty_mass.sum() + 0.75 * h.touchpoints.loyalty_mass.sum()
    visits = 0.25 * m.totals.interactions + 0.75 * h.totals.interactions
    assert result.totals.loyalty_index == pytest.approx(mass / visits)
    assert result.totals.loyalty_index != pytest.approx(
        0.25 * m.totals.loyalty_index + 0.75 * h.totals.loyalty_index)


def test_mixed_removal_effect_uses_mixed_probabilities() -> None:
    chain = journey([single(satisfaction=-1.0), Touchpoint("b"),
                     Touchpoint("goal", conversion=True)],
                    [("a", "b", 0.5), ("a", "goal", 0.5), ("b", "goal", 1.0)])
    segments = [Segment("x", share=0.5, abandon_on_poor=0.0),
                Segment("y", share=0.5, abandon_on_poor=1.0)]
    result = analyze(project(chain, segments=segments))
    # x converts surely; y abandons at a. Without b, x converts half the time.
    assert result.totals.conversion_probability == pytest.approx(0.5)
    assert result.touchpoint("b").removal_effect == pytest.approx(1 - 0.25 / 0.5)
    assert result.touchpoint("a").removal_effect == pytest.approx(1.0)


def test_presets_differ_where_amex_says() -> None:
    chain = journey([single(satisfaction=-0.5, visibility=1.0)])
    everyone = analyze(project(chain, segments=[ALL_CONSUMERS])).totals
    social = analyze(project(chain, segments=[SOCIAL_MEDIA_USERS])).totals
    assert everyone.exposure_negative == pytest.approx(24 * 0.5 * 10)
    assert social.exposure_negative == pytest.approx(53 * 0.5 * 10)


def test_unknown_journey_and_empty_project_say_what_is_wrong() -> None:
    with pytest.raises(AnalysisError, match="There is no journey 'nope'"):
        analyze(project(journey([single()])), "nope")
    with pytest.raises(AnalysisError, match="no journey"):
        analyze(project())
    with pytest.raises(AnalysisError, match="entry"):
        analyze(project(journey([Touchpoint("a")])))
