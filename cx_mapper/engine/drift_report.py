"""Drift: what moved in the data since the journey was drawn or refreshed, and its price.

The journey as it is is compared with the counts of an event log (estimated by the
log reader into a journey of the data's own touchpoints, matched to the drawn ones by
name as a refresh matches them). Each drawn touchpoint seen in the data has its
outgoing row tested (every drawn move, leaving, and moves the map does not draw), the
entry shares are tested, and each figure the log measures (satisfaction, visibility)
is tested against the drawn one; engine/drift.py has the tests and the Holm correction.

The significant changes are then priced: a copy of the journey takes the data's
estimate for each of them (a row's moves, the entry shares, a figure) and is analysed
beside the journey as it is; each change is also applied alone, for its own part.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from cx_mapper.domain.abandonment import row_multiplier
from cx_mapper.domain.journey import Journey, Transition
from cx_mapper.domain.project import Project
from cx_mapper.domain.refresh import match_touchpoints
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.drift import (
    DEFAULT_ALPHA,
    TEST_NAME,
    Test,
    fit_counts,
    holm,
    mean_test,
    share_test,
)
from cx_mapper.engine.drift_defaults import DEFAULT_KPI as DEFAULT_KPI
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.kpis import TOTAL_KPIS, Kpi
from cx_mapper.engine.matrices import journey_chain, segment_chain
from cx_mapper.engine.results import Analysis

MOVES, ENTRY, SATISFACTION, VISIBILITY = "moves", "entry", "satisfaction", "visibility"
EXIT, ELSEWHERE = "leaves", "moves the map does not draw"
ENTERED_ELSEWHERE = "entries the map does not draw"
#: Each change is priced alone too, up to this many (one analysis each).
PRICED_ALONE = 40


@dataclass(frozen=True)
class LogFigures:
    """What an event log says, by the log's touchpoint names (the reader's counts) and by
    the ids of its estimated journey (the figures it measured)."""

    estimated: Journey
    pairs: Mapping[tuple[str, str], int]
    starts: Mapping[str, int]
    ends: Mapping[str, int]
    measured: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    scores: Mapping[str, tuple[int, float | None]] = field(default_factory=dict)
    events: int = 0


@dataclass(frozen=True)
class Cell:
    """One cell of a test: what the map says and what the data shows."""

    label: str
    drawn: float
    seen: float
    count: int = 0


@dataclass(frozen=True)
class DriftTest:
    kind: str  # MOVES | ENTRY | SATISFACTION | VISIBILITY
    touchpoint_id: str | None  # None for the entry shares
    name: str
    count: int  # departures, customers, scores or visits
    test: Test
    cells: tuple[Cell, ...]
    adjusted_p: float = 1.0
    significant: bool = False
    #: The chosen KPI's change when this change alone is applied (None: not priced).
    alone: float | None = None
    #: The data's estimate this change applies: target id (or field) -> figure.
    estimate: tuple[tuple[str, float], ...] = ()

    def biggest(self) -> Cell:
        """The cell that moved most, for a one-line account."""
        return max(self.cells, key=lambda c: abs(c.seen - c.drawn))


@dataclass(frozen=True)
class KpiDelta:
    kpi: Kpi
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def relative(self) -> float | None:
        """The change over |before|; infinite when a zero figure moves."""
        delta = self.delta
        if delta is None or self.before is None:
            return None
        if self.before == 0:
            return 0.0 if delta == 0 else math.copysign(math.inf, delta)
        return delta / abs(self.before)


@dataclass(frozen=True)
class DriftReport:
    journey_id: str
    journey_name: str
    events: int
    customers: int
    alpha: float
    tests: tuple[DriftTest, ...]
    new: tuple[str, ...]  # names in the data, not on the map
    vanished: tuple[tuple[str, str], ...]  # (id, name) on the map, not in the data
    kpis: tuple[KpiDelta, ...]
    kpi: str  # the KPI the threshold and the parts alone are about
    note: str = ""  # why the changes could not be priced, if so
    test_name: str = TEST_NAME

    @property
    def significant(self) -> tuple[DriftTest, ...]:
        return tuple(t for t in self.tests if t.significant)

    def delta(self, key: str) -> KpiDelta:
        return next(d for d in self.kpis if d.kpi.key == key)

    @property
    def test_words(self) -> str:
        return f"{self.test_name}, alpha {self.alpha:g}"


def check_drift(project: Project, journey_id: str | None, log: LogFigures, *,
                alpha: float = DEFAULT_ALPHA, kpi: str = DEFAULT_KPI) -> DriftReport:
    """Test the journey against the log and price what moved. AnalysisError when the
    journey as it is cannot be analysed."""
    journey = project.journeys[0] if journey_id is None else project.journey(journey_id)
    matched = match_touchpoints(journey, log.estimated)  # estimated id -> drawn id
    drawn_of = {log.estimated.touchpoints[e].name: d for e, d in matched.items()}
    tests = [*_entry_test(journey, log, drawn_of)]
    mix = _segment_mix(project, journey)
    for estimated_id, drawn_id in matched.items():
        tests.extend(_touchpoint_tests(journey, log, estimated_id, drawn_id, drawn_of,
                                       _kept(project, journey, drawn_id, mix)))
    adjusted = holm([t.test.p_value for t in tests])
    tests = [replace(t, adjusted_p=a, significant=a <= alpha) for t, a in zip(
        tests, adjusted, strict=True)]
    before = analyze(project, journey.id)
    kpis, note, tests = _price(project, journey, before, tests, kpi)
    seen = set(matched.values())
    return DriftReport(
        journey.id, journey.name, log.events, sum(log.starts.values()), alpha, tuple(tests),
        tuple(t.name for t in log.estimated.touchpoints.values() if t.id not in matched),
        tuple((t.id, t.name or t.id) for t in journey.touchpoints.values() if t.id not in seen),
        kpis, kpi, note)


# -- the tests ------------------------------------------------------------------------
def _entry_test(journey: Journey, log: LogFigures, drawn_of: Mapping[str, str]
                ) -> list[DriftTest]:
    total_entry = sum(t.entry for t in journey.touchpoints.values())
    customers = sum(log.starts.values())
    if total_entry <= 0 or customers <= 0:
        return []
    starts: dict[str, int] = {}
    for label, count in log.starts.items():
        key = drawn_of.get(label, ELSEWHERE)
        starts[key] = starts.get(key, 0) + count
    entries = [t for t in journey.touchpoints.values() if t.entry > 0]
    keys = [t.id for t in entries] + [
        k for k in starts if k not in {t.id for t in entries}]
    cells = tuple(Cell(_label(journey, k) if k != ELSEWHERE else ENTERED_ELSEWHERE,
                       journey.touchpoints[k].entry / total_entry
                       if k in journey.touchpoints else 0.0,
                       starts.get(k, 0) / customers, starts.get(k, 0)) for k in keys)
    test = fit_counts([c.count for c in cells], [c.drawn for c in cells])
    estimate = tuple((k, starts.get(k, 0) / customers) for k in keys if k != ELSEWHERE)
    return [DriftTest(ENTRY, None, "Entry shares", customers, test, cells, estimate=estimate)]


def _segment_mix(project: Project, journey: Journey) -> dict[str, list[float]]:
    """Per touchpoint, the share of its visitors from each segment: segments that
    abandon less reach later touchpoints more often. Undiscounted visits, as customers
    in a log make them; the segments' shares where those cannot be solved."""
    shares = list(project.normalised_shares())
    chain = journey_chain(journey)
    per_segment = []
    for segment, share in zip(project.segments, shares, strict=True):
        moves = segment_chain(chain, segment).moves
        system = sp.csc_array(sp.eye_array(chain.size) - moves.T)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a singular system says so with NaN
            visits = np.atleast_1d(spla.spsolve(system, chain.entry))
        if not (np.isfinite(visits).all() and (visits >= -1e-9).all()):
            return {}
        per_segment.append(share * np.maximum(visits, 0.0))
    stacked = np.array(per_segment)
    totals = stacked.sum(axis=0)
    return {tid: (list(stacked[:, i] / totals[i]) if totals[i] > 0 else shares)
            for i, tid in enumerate(chain.ids)}


def _kept(project: Project, journey: Journey, touchpoint_id: str,
          mix: Mapping[str, list[float]]) -> float:
    """The share of a touchpoint's drawn row its customers follow, mixed over the
    segments that visit it: what the map expects the data to show. A measured row
    analysed at its measured satisfaction keeps all of it; a drawn one loses
    abandonment (MODEL.md §2)."""
    touchpoint = journey.touchpoints[touchpoint_id]
    row_sum = 1.0 - journey.remaining_probability(touchpoint_id)
    weights = mix.get(touchpoint_id) or list(project.normalised_shares())
    return math.fsum(weight * row_multiplier(segment.abandon_on_poor, touchpoint.satisfaction,
                                             touchpoint.measured_satisfaction, row_sum)
                     for segment, weight in zip(project.segments, weights, strict=True))


def _touchpoint_tests(journey: Journey, log: LogFigures, estimated_id: str, drawn_id: str,
                      drawn_of: Mapping[str, str], kept: float) -> list[DriftTest]:
    label = log.estimated.touchpoints[estimated_id].name
    touchpoint = journey.touchpoints[drawn_id]
    name = touchpoint.name or touchpoint.id
    moves: dict[str, int] = {}
    for (source, target), count in log.pairs.items():
        if source == label:
            key = drawn_of.get(target, ELSEWHERE)
            key = key if (drawn_id, key) in journey.transitions else ELSEWHERE
            moves[key] = moves.get(key, 0) + count
    ends = log.ends.get(label, 0)
    departures = sum(moves.values()) + ends
    tests: list[DriftTest] = []
    if departures:
        outgoing = journey.outgoing(drawn_id)
        cells = [Cell(f"→ {_label(journey, t.target)}", kept * t.probability,
                      moves.get(t.target, 0) / departures, moves.get(t.target, 0))
                 for t in outgoing]
        onward = math.fsum(c.drawn for c in cells)
        cells.append(Cell(EXIT, max(0.0, 1.0 - onward), ends / departures, ends))
        if moves.get(ELSEWHERE):
            cells.append(Cell(ELSEWHERE, 0.0, moves[ELSEWHERE] / departures, moves[ELSEWHERE]))
        test = fit_counts([c.count for c in cells], [c.drawn for c in cells])
        # Applied, the row takes the data's moves to drawn targets; moves elsewhere leave.
        estimate = tuple((t.target, moves.get(t.target, 0) / departures) for t in outgoing)
        tests.append(DriftTest(MOVES, drawn_id, name, departures, test, tuple(cells),
                               estimate=estimate))
    measured = log.measured.get(estimated_id, ())
    figures = log.estimated.touchpoints[estimated_id]
    scored, variance = log.scores.get(estimated_id, (0, None))
    if SATISFACTION in measured and scored >= 2:
        test = mean_test(scored, figures.satisfaction, variance, touchpoint.satisfaction)
        tests.append(DriftTest(SATISFACTION, drawn_id, name, scored, test, (Cell(
            "mean satisfaction", touchpoint.satisfaction, figures.satisfaction, scored),),
            estimate=((SATISFACTION, figures.satisfaction),)))
    if VISIBILITY in measured and departures:
        public = round(figures.visibility * departures)
        test = share_test(departures, public, touchpoint.visibility)
        tests.append(DriftTest(VISIBILITY, drawn_id, name, departures, test, (Cell(
            "shared in public", touchpoint.visibility, figures.visibility, public),),
            estimate=((VISIBILITY, figures.visibility),)))
    return tests


def _label(journey: Journey, key: str) -> str:
    if key in journey.touchpoints:
        touchpoint = journey.touchpoints[key]
        return touchpoint.name or touchpoint.id
    return key


# -- the price ------------------------------------------------------------------------
def apply_changes(journey: Journey, tests: list[DriftTest] | tuple[DriftTest, ...]) -> Journey:
    """A copy of `journey` with the data's estimate for each of `tests`."""
    drifted = journey.copy()
    for test in tests:
        if test.kind == ENTRY:
            shares = dict(test.estimate)
            for touchpoint in list(drifted.touchpoints.values()):
                drifted.update_touchpoint(touchpoint.id, entry=shares.get(touchpoint.id, 0.0))
        elif test.kind == MOVES and test.touchpoint_id is not None:
            for transition in drifted.outgoing(test.touchpoint_id):
                drifted.remove_transition(transition.source, transition.target)
            for target, share in test.estimate:
                if share > 0:
                    drifted.add_transition(Transition(test.touchpoint_id, target, share))
        elif test.touchpoint_id is not None:
            drifted.update_touchpoint(test.touchpoint_id, **dict(test.estimate))
    # An applied row is the data's, measured at the satisfaction the data had with it,
    # and so is a row whose score moved while its flows held (MODEL.md §2).
    for test in tests:
        if test.touchpoint_id is not None and test.kind in (MOVES, SATISFACTION):
            touchpoint = drifted.touchpoints[test.touchpoint_id]
            drifted.update_touchpoint(test.touchpoint_id,
                                      measured_satisfaction=touchpoint.satisfaction)
    return drifted


def _with(project: Project, journey: Journey) -> Project:
    return replace(project, journeys=[journey if j.id == journey.id else j
                                      for j in project.journeys])


def _price(project: Project, journey: Journey, before: Analysis, tests: list[DriftTest],
           kpi: str) -> tuple[tuple[KpiDelta, ...], str, list[DriftTest]]:
    significant = [t for t in tests if t.significant]
    chosen = next(k for k in TOTAL_KPIS if k.key == kpi)
    if not significant:
        return tuple(KpiDelta(k, k.read(before), k.read(before)) for k in TOTAL_KPIS), "", tests
    try:
        after = analyze(_with(project, apply_changes(journey, significant)), journey.id)
    except AnalysisError as error:
        return (tuple(KpiDelta(k, k.read(before), None) for k in TOTAL_KPIS),
                f"the journey with the changes applied cannot be analysed: {error}", tests)
    priced: list[DriftTest] = []
    alone_left = PRICED_ALONE
    for test in tests:
        if test.significant and alone_left:
            alone_left -= 1
            test = replace(test, alone=_alone(project, journey, before, test, chosen))
        priced.append(test)
    return (tuple(KpiDelta(k, k.read(before), k.read(after)) for k in TOTAL_KPIS), "", priced)


def _alone(project: Project, journey: Journey, before: Analysis, test: DriftTest,
           kpi: Kpi) -> float | None:
    old = kpi.read(before)
    try:
        new = kpi.read(analyze(_with(project, apply_changes(journey, [test])), journey.id))
    except AnalysisError:
        return None
    return None if old is None or new is None else new - old


# -- in words ---------------------------------------------------------------------------
def p_text(p: float) -> str:
    """A p-value as a reader takes it in: 'p = 0.003', 'p < 1e-12'."""
    if p <= 0:
        return "p = 0"
    if p < 1e-4:
        return f"p < 1e{math.floor(math.log10(p)) + 1}"
    return f"p = {p:.4f}" if p < 0.01 else f"p = {p:.3f}"


def share(value: float) -> str:
    return f"{100 * value:.1f}%"


def cell_text(test: DriftTest, cell: Cell) -> str:
    """'→ Checkout 30.0% → 10.5%', or '+0.30 → +0.12' for a figure."""
    if test.kind == SATISFACTION:
        return f"{cell.drawn:+.2f} → {cell.seen:+.2f}".replace("-", "−")
    figures = f"{share(cell.drawn)} → {share(cell.seen)}"
    return figures if test.kind == VISIBILITY else f"{cell.label} {figures}"


def moved_text(test: DriftTest, cells: int = 2) -> str:
    """What moved most, in up to `cells` cells: 'next moves: → Buys 30.0% → 10.5%, …'."""
    ranked = ranked_cells(test)[:cells]
    return f"{what_moved(test)} " + ", ".join(cell_text(test, c) for c in ranked)


def ranked_cells(test: DriftTest) -> list[Cell]:
    """The test's cells, the one that moved most first (moves before leaving on a tie)."""
    return sorted(test.cells, key=lambda c: (-round(abs(c.seen - c.drawn), 9),
                                             c.label in (EXIT, ELSEWHERE)))


def what_moved(test: DriftTest) -> str:
    """The test's kind in words: 'next moves', 'entry shares', 'satisfaction'."""
    return {MOVES: "next moves", ENTRY: "entry shares", SATISFACTION: "satisfaction",
            VISIBILITY: "visibility"}[test.kind]


def counted_as(test: DriftTest) -> str:
    unit = {MOVES: "departures", ENTRY: "customers", SATISFACTION: "scores",
            VISIBILITY: "visits"}[test.kind]
    return f"{test.count:,} {unit}"


def verdict(report: DriftReport, threshold: float | None) -> str:
    """One line: drift or not, and the chosen KPI's change against the threshold."""
    significant = report.significant
    if not significant:
        return f"No drift: none of {len(report.tests)} tests moved beyond chance."
    delta = report.delta(report.kpi)
    words = f"Drift: {len(significant)} of {len(report.tests)} tests moved beyond chance"
    relative = delta.relative
    if relative is None:
        return f"{words}; {delta.kpi.label.lower()} cannot be priced. {report.note}".strip()
    change = "∞" if math.isinf(relative) else f"{100 * relative:+.1f}%".replace("-", "−")
    words += f"; {delta.kpi.label.lower()} {change}"
    if threshold is not None:
        past = past_threshold(report, threshold)
        words += (f", past the {100 * threshold:g}% threshold" if past
                  else f", within the {100 * threshold:g}% threshold")
    return words + "."


def past_threshold(report: DriftReport, threshold: float) -> bool:
    """Whether the chosen KPI moved more than `threshold` (relative) with the changes
    applied; drift that cannot be priced counts as past it."""
    if not report.significant:
        return False
    relative = report.delta(report.kpi).relative
    return relative is None or abs(relative) > threshold
