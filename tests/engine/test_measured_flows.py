"""Measured journeys analyse at their measured flows (MODEL.md §2, "Measured probabilities")."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from cx_mapper.domain.abandonment import row_multiplier
from cx_mapper.domain.journey import Journey, Touchpoint, Transition
from cx_mapper.domain.project import Project, Segment
from cx_mapper.domain.validation import closed_loops
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.matrices import row_keep
from cx_mapper.persistence.event_log import LogColumns, read_event_log

A = 0.4  # the segment's abandon_on_poor in the hand-worked cases


def two_steps(satisfaction: float, measured: float | None, onward: float = 0.6) -> Project:
    """Start -> Goal with probability `onward`; Start is the touchpoint under test."""
    journey = Journey("j", discount_rate=0.0)
    journey.add_touchpoint(Touchpoint("start", satisfaction=satisfaction, entry=1.0,
                                      measured_satisfaction=measured))
    journey.add_touchpoint(Touchpoint("goal", conversion=True))
    journey.add_transition(Transition("start", "goal", onward))
    return Project(name="p", journeys=[journey], segments=[Segment("s", abandon_on_poor=A)])


# -- the rule, worked by hand ------------------------------------------------------------------
@pytest.mark.parametrize(("sigma", "measured", "row_sum", "expected", "scaled"), [
    (-0.5, None, 0.6, 1 - 0.4 * 0.5, False),   # drawn: 1 - q = 0.8
    (-0.5, -0.5, 0.6, 1.0, False),             # as measured: the data's flows
    (0.0, -0.5, 0.6, 1 / 0.8, False),          # raised to 0: (1 - 0) / (1 - 0.2) = 1.25
    (-1.0, -0.5, 0.6, 0.6 / 0.8, False),       # lowered to -1: (1 - 0.4) / 0.8 = 0.75
    (0.0, -0.5, 0.9, 1 / 0.9, True),           # 0.9 * 1.25 > 1: scaled to sum to 1
    (0.7, 0.2, 0.6, 1.0, False),               # no abandonment above 0 either way
])
def test_the_row_multiplier_by_hand(sigma: float, measured: float | None, row_sum: float,
                                    expected: float, scaled: bool) -> None:
    """The domain's rule for one touchpoint and the engine's for arrays agree."""
    assert row_multiplier(A, sigma, measured, row_sum) == pytest.approx(expected, abs=1e-15)
    keep, was_scaled = row_keep(A, np.array([sigma]),
                                np.array([np.nan if measured is None else measured]),
                                np.array([row_sum]))
    assert keep[0] == pytest.approx(expected, abs=1e-15)
    assert bool(was_scaled[0]) is scaled


def test_nobody_stayed_when_measured_then_any_lift_fills_the_row() -> None:
    assert row_multiplier(1.0, -1.0, -1.0, 0.5) == 1.0  # as measured
    assert row_multiplier(1.0, -0.5, -1.0, 0.5) == 2.0  # scaled: 0.5 * 2 = 1


@pytest.mark.parametrize(("sigma", "measured", "conversion"), [
    (-0.5, None, 0.6 * 0.8),   # drawn: abandonment on top of the drawn 60%
    (-0.5, -0.5, 0.6),         # measured: the data's 60%
    (0.0, -0.5, 0.6 * 1.25),   # a what-if raise: back the customers who walked away
    (-1.0, -0.5, 0.6 * 0.75),  # a what-if drop
    (1.0, -1.0, 1.0),          # 0.6 / 0.6 = 1: scaled to 1
])
def test_conversion_of_a_two_step_journey(sigma: float, measured: float | None,
                                          conversion: float) -> None:
    result = analyze(two_steps(sigma, measured))
    assert result.totals.conversion_probability == pytest.approx(conversion, abs=1e-14)
    assert result.totals.interactions == pytest.approx(1 + conversion, abs=1e-14)


def test_a_scaled_row_is_noted() -> None:
    assert not analyze(two_steps(-0.5, -0.5)).notes
    notes = analyze(two_steps(1.0, -1.0, onward=0.9)).notes
    assert len(notes) == 1 and "'start'" in notes[0] and "scaled to add up to 1" in notes[0]


def test_a_measured_loop_that_keeps_everyone_is_closed_only_as_measured() -> None:
    journey = Journey("j", discount_rate=0.0)
    journey.add_touchpoint(Touchpoint("a", entry=1.0, satisfaction=-0.5,
                                      measured_satisfaction=-0.5))
    journey.add_transition(Transition("a", "a", 1.0))
    segments = [Segment("s", abandon_on_poor=A)]
    assert closed_loops(journey, segments) == [["a"]]  # the data says nobody leaves
    with pytest.raises(AnalysisError, match="loop"):
        analyze(Project(name="p", journeys=[journey], segments=segments))
    journey.update_touchpoint("a", satisfaction=-0.8)  # worse than measured: some leave
    assert closed_loops(journey, segments) == []
    assert analyze(Project(name="p", journeys=[journey], segments=segments)).totals


# -- an imported log reproduces itself ------------------------------------------------------
def _walk_log(path: Path, customers: int, seed: int) -> dict[str, float]:
    """Customers see an ad; 80% visit the site, rated CSAT 1 or 2 (1.5 on average);
    half of those buy. Returns the log's own share who buy and events per customer."""
    rng = np.random.default_rng(seed)
    rows = [["customer_id", "timestamp", "touchpoint", "csat"]]
    buyers = events = 0
    for c in range(customers):
        rows.append([f"c{c}", "2026-01-01 10:00", "Ad", "4"])
        events += 1
        if rng.random() < 0.8:
            rows.append([f"c{c}", "2026-01-02 10:00", "Site", str(1 + c % 2)])
            events += 1
            if rng.random() < 0.5:
                rows.append([f"c{c}", "2026-01-03 10:00", "Buy", "5"])
                events += 1
                buyers += 1
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return {"conversion": buyers / customers, "interactions": events / customers}


def _imported(path: Path) -> Project:
    imported = read_event_log(str(path), LogColumns(satisfaction="csat"), scale="csat")
    journey = imported.journey
    journey.discount_rate = 0.0  # visits as the log counts them
    buy = next(t for t in journey.touchpoints.values() if t.name == "Buy")
    journey.update_touchpoint(buy.id, conversion=True)
    return Project(name="log", journeys=[journey])  # the default segment abandons


def test_an_imported_journey_reproduces_its_own_log(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    truth = _walk_log(log, 4000, seed=5)
    project = _imported(log)
    site = next(t for t in project.journeys[0].touchpoints.values() if t.name == "Site")
    assert site.satisfaction == site.measured_satisfaction == pytest.approx(-0.75, abs=0.01)

    result = analyze(project)

    assert result.totals.conversion_probability == pytest.approx(truth["conversion"], abs=1e-12)
    assert result.totals.interactions == pytest.approx(truth["interactions"], abs=1e-12)
    # Before measured rows, abandonment came on top: 0.42 analysed as about 0.33.
    drawn = project.journeys[0].copy()
    for touchpoint in list(drawn.touchpoints.values()):
        drawn.update_touchpoint(touchpoint.id, measured_satisfaction=None)
    as_drawn = analyze(Project(name="log", journeys=[drawn])).totals.conversion_probability
    assert as_drawn < truth["conversion"] - 0.05


def test_raising_the_poor_step_raises_conversion_and_visits(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    truth = _walk_log(log, 4000, seed=6)
    project = _imported(log)
    site = next(t for t in project.journeys[0].touchpoints.values() if t.name == "Site")
    project.journeys[0].update_touchpoint(site.id, satisfaction=0.0)

    raised = analyze(project).totals

    assert raised.conversion_probability > truth["conversion"] + 0.01
    assert raised.interactions > truth["interactions"] + 0.01
    # The site's own sensitivity is positive where the customers walked away.
    assert analyze(_imported(log)).touchpoint(site.id).sensitivity["value"] >= 0
