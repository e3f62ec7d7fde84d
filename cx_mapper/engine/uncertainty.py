"""How sure are we: intervals, rank bands, odds, drivers and research next (MODEL.md §13).

The journey's uncertain inputs (those with evidence) are drawn N times (draws.py)
and every draw is analysed exactly (draw_batch.py). From the same draws:

- each KPI's median and 5-95% interval;
- each touchpoint's fix-first rank band (rank 1 gains the loyalty index most per
  point of satisfaction, as the fix-first chart ranks them);
- each opportunity's P(gain > 0) on the plan's objective, and P(in the best plan):
  with a plan, the options are the bundles the plan search found (the chosen plan
  and the frontier's within the budget, and doing nothing), each evaluated on every
  draw with the same draws (common random numbers); without a plan, the options
  are funding one opportunity, or none;
- what drives the spread (evppi.variance_share) and what to research next
  (evppi.evppi): the input group whose perfect information is worth most for that
  decision, in the objective's units. When no group's information is worth more
  than ROBUST_SHARE of what the decision is expected to gain, the decision is robust.

Inputs without evidence are fixed: a journey with no evidence has zero-width intervals.
Only the infinite horizon is analysed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cx_mapper.domain.evidence import DEFAULT_SAMPLES
from cx_mapper.domain.project import Project
from cx_mapper.engine import evppi
from cx_mapper.engine.analysis import analysable_journey
from cx_mapper.engine.batch import TOTAL_KEYS
from cx_mapper.engine.bundles_eval import Bundles, prepare
from cx_mapper.engine.draw_batch import evaluate
from cx_mapper.engine.draws import Draws, Pattern, chain_pattern, draw
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.kpis import KPI_BY_KEY
from cx_mapper.engine.matrices import Chain, FloatArray, journey_chain
from cx_mapper.engine.plan import DEFAULT_OBJECTIVE, plan

#: Below this share of the decision's expected gain, information is not worth buying.
ROBUST_SHARE = 0.01
#: The percentiles of an interval: a 90% interval and its median.
PERCENTILES = (5.0, 50.0, 95.0)

Band = tuple[float, float, float]


@dataclass(frozen=True)
class Driver:
    """An input group's share of a KPI's variance, with its standard error."""

    key: str
    label: str
    share: float
    error: float


@dataclass(frozen=True)
class Research:
    """What perfect information about one input group is worth for the decision."""

    key: str
    label: str
    worth: float


@dataclass(frozen=True)
class Odds:
    """An opportunity's chance of a gain on the objective, and of being in the best
    option (the best plan, or the best single opportunity without a plan)."""

    p_positive: float
    p_best: float


@dataclass(frozen=True)
class Uncertainty:
    journey_id: str
    samples: int
    seed: int
    intervals: dict[str, Band]  # by KPI (TOTAL_KEYS the journey has)
    ranks: dict[str, Band]  # fix-first rank band by touchpoint id
    opportunities: dict[str, Odds]
    plan_chance: float | None  # P(the plan is the best option); None without a plan
    objective: dict[str, float]
    decision: str  # the decision research-next informs, in words; "" when none
    drivers: dict[str, tuple[Driver, ...]]  # by KPI, largest share first
    research: tuple[Research, ...]  # largest worth first
    evpi: float  # what perfect information about everything is worth
    robust: bool
    failed: int  # draws that could not be solved, left out
    inputs: int  # uncertain input groups

    @property
    def research_next(self) -> Research | None:
        if self.robust or not self.research:
            return None
        return self.research[0]


def uncertainty(project: Project, journey_id: str | None = None,
                samples: int = DEFAULT_SAMPLES, seed: int = 0,
                progress: Callable[[float], None] | None = None) -> Uncertainty:
    """The uncertainty analysis of one journey (the first when no id is given)."""
    if not samples >= 2:
        raise AnalysisError(f"The number of draws must be 2 or more, got {samples}.")
    journey = analysable_journey(project, journey_id, None, True)
    tell = progress or (lambda _fraction: None)
    bundles = prepare(project, journey.id, None) if journey.opportunities else None
    chain = bundles.chain if bundles is not None else journey_chain(journey)
    pattern = _pattern(chain, bundles)
    draws = draw(journey, chain.ids, pattern, project.segments, samples, seed)
    tell(0.1)
    shares = project.normalised_shares()
    base = evaluate(chain, pattern, draws.fields, draws.probabilities, draws.segments, shares,
                    gradient=True)
    tell(0.5)
    has_goal = bool(chain.conversion.any())
    kpis = TOTAL_KEYS if has_goal else TOTAL_KEYS[:-1]
    ok = np.isfinite(base.totals[:, : len(kpis)]).all(axis=1)
    totals = base.totals[ok]
    if not totals.shape[0]:
        raise AnalysisError("None of the draws could be analysed: every one closes a loop.")
    intervals = {key: _band(totals[:, TOTAL_KEYS.index(key)]) for key in kpis}
    ranks = _ranks(chain, journey.touchpoints, base.loyalty_gradient, ok)

    objective = dict(journey.plan.objective) if journey.plan is not None else \
        dict(DEFAULT_OBJECTIVE)
    weights = np.array([objective.get(key, 0.0) for key in TOTAL_KEYS])
    options = _Options.of(project, journey.id, bundles, journey.plan.budget
                          if journey.plan is not None else None, objective)
    scores = np.zeros((totals.shape[0], 0))
    singles = np.zeros((totals.shape[0], 0))
    if options is not None and bundles is not None:
        gains = _option_gains(bundles, chain, pattern, draws, shares, options.masks(), base.totals)
        # Without a goal conversion is NaN: 0 x NaN would spoil every score.
        width = len(kpis)
        scores_all = np.nan_to_num(gains[..., :width] @ weights[:width], nan=0.0)[:, ok].T
        singles = scores_all[:, : len(bundles.usable)]
        scores = scores_all[:, len(bundles.usable):]
    tell(0.85)
    odds, plan_chance = _odds(bundles, options, singles, scores)

    drivers: dict[str, list[Driver]] = {key: [] for key in kpis}
    research: list[Research] = []
    outputs = totals[:, : len(kpis)]
    for group in draws.groups:
        values = group.values[ok]
        found = evppi.fit(values, np.concatenate([outputs, scores], axis=1))
        share, error = evppi.variance_share(outputs, evppi.Fit(found.fitted[:, : len(kpis)],
                                                               found.terms))
        for i, key in enumerate(kpis):
            drivers[key].append(Driver(group.key, group.label, float(share[i]), float(error[i])))
        if scores.shape[1] >= 2:
            worth = evppi.evppi(scores, evppi.Fit(found.fitted[:, len(kpis):], found.terms))
            research.append(Research(group.key, group.label, worth))
    research.sort(key=lambda r: -r.worth)
    total_worth = evppi.evpi(scores)
    expected = float(scores.mean(axis=0).max()) if scores.shape[1] else 0.0
    threshold = ROBUST_SHARE * max(abs(expected), 1e-12)
    robust = not research or research[0].worth <= threshold
    tell(1.0)
    return Uncertainty(
        journey_id=journey.id, samples=samples, seed=seed, intervals=intervals, ranks=ranks,
        opportunities=odds, plan_chance=plan_chance, objective=objective,
        decision=options.decision if options is not None else "",
        drivers={key: tuple(sorted(found, key=lambda d: -d.share))
                 for key, found in drivers.items()},
        research=tuple(research), evpi=total_worth, robust=robust,
        failed=int((~ok).sum()), inputs=len(draws.groups))


def _band(values: FloatArray) -> Band:
    low, mid, high = np.percentile(values, PERCENTILES)
    return float(low), float(mid), float(high)


def _pattern(chain: Chain, bundles: Bundles | None) -> Pattern:
    if bundles is None or not bundles.usable:
        return chain_pattern(chain.probabilities)
    everything = bundles.changes(np.ones(len(bundles.usable), bool))
    return chain_pattern(chain.probabilities,
                         list(zip(everything.sources.tolist(), everything.targets.tolist(),
                                  strict=True)))


def _ranks(chain: Chain, touchpoints: Mapping[str, object], gradient: FloatArray | None,
           ok: Any) -> dict[str, Band]:
    """Each touchpoint's fix-first rank band: 1 gains the loyalty index most."""
    if gradient is None:
        return {}
    shown = np.array([tid in touchpoints for tid in chain.ids])
    gains = gradient[ok][:, shown]
    ids = [tid for tid in chain.ids if tid in touchpoints]
    order = np.argsort(-gains, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, len(ids) + 1)[None, :], axis=1)
    return {tid: _band(ranks[:, i].astype(np.float64)) for i, tid in enumerate(ids)}


@dataclass(frozen=True)
class _Options:
    """The decision: bundles to choose between (0/1 over the usable opportunities)."""

    bundles: np.ndarray  # (options, usable)
    chosen: int | None  # the plan's row, if there is a plan
    decision: str
    singles: int

    @staticmethod
    def of(project: Project, journey_id: str, bundles: Bundles | None, budget: float | None,
           objective: dict[str, float]) -> _Options | None:
        if bundles is None or not bundles.usable:
            return None
        m = len(bundles.usable)
        index = {o.id: i for i, o in enumerate(bundles.usable)}
        names = " + ".join(KPI_BY_KEY[key].label.lower() if weight == 1 else
                           f"{weight:g} × {KPI_BY_KEY[key].label.lower()}"
                           for key, weight in objective.items() if key in KPI_BY_KEY)
        unit = f" {project.cost_unit}" if project.cost_unit else ""

        def row(ids: Sequence[str]) -> np.ndarray:
            out = np.zeros(m, bool)
            out[[index[i] for i in ids if i in index]] = True
            return out

        if budget is not None:
            found = plan(project, journey_id, budget, objective)
            rows = [np.zeros(m, bool)]
            if found.chosen:
                rows.append(row(found.chosen))
            for point in found.frontier:
                candidate = row(point.chosen)
                if bundles.costs[candidate].sum() <= budget + 1e-9 and not any(
                        np.array_equal(candidate, seen) for seen in rows):
                    rows.append(candidate)
            return _Options(np.array(rows), 1 if found.chosen else 0,
                            f"which opportunities to fund for {budget:,.6g}{unit}, on {names}",
                            m)
        rows = [np.zeros(m, bool), *np.eye(m, dtype=bool)]
        return _Options(np.array(rows), None, f"which one opportunity to fund, on {names}", m)

    def masks(self) -> np.ndarray:
        """Each opportunity alone, then the options."""
        return np.concatenate([np.eye(self.singles, dtype=bool), self.bundles])


def _option_gains(bundles: Bundles, chain: Chain, pattern: Pattern, draws: Draws,
                  shares: Sequence[float], masks: np.ndarray, base: FloatArray) -> FloatArray:
    """Gains (options, N, TOTAL_KEYS) of each bundle over the draws. Each different
    bundle is evaluated once (doing nothing not at all), all in one stack of bundles x
    draws."""
    unique, where = np.unique(masks, axis=0, return_inverse=True)
    funded = unique.any(axis=1)
    gains = np.zeros((unique.shape[0], draws.count, base.shape[1]))
    if funded.any():
        gains[funded] = _stacked_gains(bundles, chain, pattern, draws, shares,
                                       unique[funded], base)
    return gains[np.ravel(where)]


def _stacked_gains(bundles: Bundles, chain: Chain, pattern: Pattern, draws: Draws,
                   shares: Sequence[float], masks: np.ndarray, base: FloatArray) -> FloatArray:
    entry = {(int(r), int(c)): e for e, (r, c) in enumerate(zip(pattern.rows, pattern.cols,
                                                                strict=True))}
    count = draws.count
    fields = {name: np.tile(values, (len(masks), 1)) for name, values in draws.fields.items()}
    probabilities = np.tile(draws.probabilities, (len(masks), 1))
    starts = np.searchsorted(pattern.rows, np.arange(chain.size + 1))
    for option, mask in enumerate(masks):
        if not mask.any():
            continue
        part = slice(option * count, (option + 1) * count)
        changes = bundles.changes(mask)
        for name, (where, values) in changes.fields.items():
            if name in fields and where.size:
                fields[name][part, where] = values
        touched = set()
        for source, target, value in zip(changes.sources, changes.targets,
                                         changes.probabilities, strict=True):
            probabilities[part, entry[(int(source), int(target))]] = value
            touched.add(int(source))
        for source in touched:  # a drawn row the bundle lifts above 1 is scaled to 1
            row = slice(starts[source], starts[source + 1])
            sums = probabilities[part, row].sum(axis=1)
            over = sums > 1.0
            if over.any():
                block = probabilities[part, row]
                block[over] /= sums[over, None]
                probabilities[part, row] = block
    segments = [{k: np.tile(v, len(masks)) for k, v in values.items()}
                for values in draws.segments]
    results = evaluate(chain, pattern, fields, probabilities, segments, shares)
    return results.totals.reshape(len(masks), count, -1) - base[None, :, :]


def _odds(bundles: Bundles | None, options: _Options | None, singles: FloatArray,
          scores: FloatArray) -> tuple[dict[str, Odds], float | None]:
    if bundles is None or options is None or not scores.shape[0]:
        return {}, None
    best = np.argmax(scores, axis=1)
    in_best = options.bundles[best]  # (N, usable)
    odds = {o.id: Odds(float((singles[:, i] > 0).mean()), float(in_best[:, i].mean()))
            for i, o in enumerate(bundles.usable)}
    chance = float((best == options.chosen).mean()) if options.chosen is not None else None
    return odds, chance
