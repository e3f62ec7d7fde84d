"""Drift: a log drawn from the journey raises no alarm beyond alpha; one that moved is
found and priced."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import Project, Segment
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.drift import (
    EXACT,
    GOODNESS,
    IMPOSSIBLE,
    fit_counts,
    holm,
    mean_test,
)
from cx_mapper.engine.drift_report import ENTRY, MOVES, SATISFACTION, check_drift
from cx_mapper.persistence.files import read_project
from tests.engine.log_maker import figures, walk

HOTEL = Path(__file__).parents[2] / "projects" / "hotel-stay.json"
SEEDS = 40
ALPHA = 0.01
SHIFTED = ("hotel_site", "book_direct")  # drawn at 30%


@pytest.fixture(scope="module")
def hotel() -> Project:
    return read_project(HOTEL)


def test_a_log_of_the_journey_itself_raises_alarms_at_most_at_the_stated_rate(
        hotel: Project) -> None:
    journey = hotel.journeys[0]
    alarms = sum(bool(check_drift(
        hotel, None, figures(journey, walk(journey, 1500, seed, segments=hotel.segments)),
        alpha=ALPHA).significant) for seed in range(SEEDS))
    # Holm keeps the chance of any alarm at or below alpha per log; with 40 logs, more
    # than 4 alarms would happen less than once in 10,000 runs if it held.
    bound = int(stats.binom.ppf(0.9999, SEEDS, ALPHA))
    assert bound == 4
    assert alarms <= bound


def test_the_tests_are_calibrated_one_by_one() -> None:
    """Uncorrected p-values of fitting counts drawn from the shares are about uniform:
    about 5% fall below 0.05, for the G-test and for the exact test alike."""
    rng = np.random.default_rng(7)
    shares = [0.5, 0.3, 0.15, 0.05]
    for n, method in ((400, GOODNESS), (12, EXACT)):
        tests = [fit_counts(list(rng.multinomial(n, shares)), shares) for _ in range(600)]
        assert {t.method for t in tests} == {method}
        below = sum(t.p_value < 0.05 for t in tests)
        assert below <= stats.binom.ppf(0.999, 600, 0.05)


def test_fit_counts_pools_small_cells_and_knows_impossible_moves() -> None:
    assert fit_counts([900, 95, 5, 0], [0.9, 0.095, 0.004, 0.001]).method == GOODNESS
    impossible = fit_counts([10, 5, 1], [0.6, 0.4, 0.0])
    assert (impossible.method, impossible.p_value) == (IMPOSSIBLE, 0.0)
    assert fit_counts([0, 0], [0.5, 0.5]).p_value == 1.0
    assert mean_test(50, 0.2, 0.25, 0.2).p_value == pytest.approx(1.0)
    assert mean_test(50, 0.5, 0.25, 0.2).p_value < 1e-4


def test_holm_adjusts_step_down() -> None:
    assert holm([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.09, 0.09, 0.5])


def test_a_shifted_transition_is_found_and_priced(hotel: Project) -> None:
    journey = hotel.journeys[0]
    rows = walk(journey, 3000, 11, probabilities={SHIFTED: 0.1},
                segments=hotel.segments)
    report = check_drift(hotel, None, figures(journey, rows), alpha=ALPHA)
    found = [(t.kind, t.touchpoint_id) for t in report.significant]
    assert found == [(MOVES, "hotel_site")]
    row = report.significant[0]
    direct = next(c for c in row.cells if c.label.startswith("→ Books direct"))
    assert (direct.drawn, round(direct.seen, 1)) == (0.3, 0.1)

    # The price: about what the same change drawn by hand does to customer value.
    moved = journey.copy()
    moved.update_transition(*SHIFTED, probability=0.1)
    truth = (analyze(replace(hotel, journeys=[moved])).totals.value
             - analyze(hotel).totals.value)
    value = report.delta("value")
    assert truth < 0 and value.delta is not None and value.relative is not None
    assert value.delta == pytest.approx(truth, rel=0.25)
    assert row.alone == pytest.approx(value.delta)  # the only change is all of it
    assert value.relative < -0.2
    assert report.delta("conversion_probability").delta < 0  # type: ignore[operator]


def test_a_satisfaction_drop_and_new_entry_shares_are_found(hotel: Project) -> None:
    journey = hotel.journeys[0]
    rows = walk(journey, 3000, 5, satisfaction={"ac_fails": -0.9}, segments=hotel.segments)
    report = check_drift(hotel, None, figures(journey, rows), alpha=ALPHA)
    assert [(t.kind, t.touchpoint_id) for t in report.significant] == [
        (SATISFACTION, "ac_fails")]
    assert report.delta("loyalty_index").delta < 0  # type: ignore[operator]

    entered = journey.copy()
    entered.update_touchpoint("friend_tip", entry=0.45)
    entered.update_touchpoint("travel_reviews", entry=0.35)
    rows = walk(entered, 3000, 5, segments=hotel.segments)
    report = check_drift(hotel, None, figures(journey, rows), alpha=ALPHA)
    assert ENTRY in {t.kind for t in report.significant}


def _poor_step(measured: float | None) -> Project:
    journey = Journey("j", name="Poor step")
    journey.add_touchpoint(Touchpoint("a", name="Calls", satisfaction=-0.8, entry=1.0,
                                      measured_satisfaction=measured))
    journey.add_touchpoint(Touchpoint("b", name="Buys", satisfaction=0.5))
    journey.add_transition(Transition("a", "b", 0.9))
    return Project(name="p", journeys=[journey], segments=[Segment("s", abandon_on_poor=0.5)])


@pytest.mark.parametrize("measured", [None, -0.8])
def test_the_map_expects_its_flows_after_abandonment(measured: float | None) -> None:
    """MODEL.md §2: a drawn row loses the customers who walk away after a poor call
    (0.9 drawn, 0.54 followed); a measured row already has: the data shows 0.9."""
    project = _poor_step(measured)
    journey = project.journeys[0]
    followed = walk(journey, 3000, 2, segments=project.segments)
    moves = sum(1 for (_, _, name, _) in followed if name == "Buys") / 3000
    assert moves == pytest.approx(0.9 if measured is not None else 0.54, abs=0.03)
    assert not check_drift(project, None, figures(journey, followed), alpha=ALPHA).significant
    as_drawn = walk(journey, 3000, 2)  # customers who never walk away
    flagged = check_drift(project, None, figures(journey, as_drawn), alpha=ALPHA).significant
    assert bool(flagged) is (measured is None)
