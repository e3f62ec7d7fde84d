"""How plan.py finds the best bundle: every bundle, or a MILP and local search beyond.

Bundles are rows of 0/1 over the usable opportunities; `score_of` turns exact totals
into objective values. Every score a plan reports is exact (the patched journey
solved), whatever searched for it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import Bounds, LinearConstraint, milp

from cx_mapper.engine.bundles_eval import Bundles
from cx_mapper.engine.matrices import FloatArray

BoolArray = NDArray[np.bool_]
Score = Callable[[FloatArray], FloatArray]

TIE = 1e-9
#: Budget levels of the frontier searched beyond the exact limit (plus the budget asked
#: for): each is a MILP and a local search, about a second at 40 opportunities.
FRONTIER_LEVELS = 8
#: Local search rounds (each one batch of every add, drop and swap); fewer at the
#: frontier's other levels, which only sketch what more money would buy.
ROUNDS = 40
FRONTIER_ROUNDS = 3
MILP_SECONDS = 10.0


@dataclass(frozen=True, eq=False)
class Found:
    chosen: BoolArray
    optimal: bool
    gap: float | None
    method: str
    frontier: list[tuple[float, float, BoolArray]]


def _fits(cost: float, budget: float) -> bool:
    return cost <= budget + 1e-9 * max(1.0, budget)


def _evaluate(bundles: Bundles, score_of: Score, chosen: BoolArray
              ) -> tuple[FloatArray, BoolArray]:
    """Exact scores and feasibility; bundles breaking an exclusion are infeasible."""
    chosen = np.atleast_2d(chosen)
    compatible = bundles.compatible(chosen)
    scores = np.full(chosen.shape[0], -math.inf)
    feasible = np.zeros(chosen.shape[0], bool)
    if compatible.any():
        totals, ok = bundles.totals(chosen[compatible])
        scores[compatible] = np.where(ok, score_of(totals), -math.inf)
        feasible[compatible] = ok
    return scores, feasible


def _pick(scores: FloatArray, costs: FloatArray, counts: NDArray[np.int64],
          eligible: BoolArray) -> int:
    """The best eligible bundle; near-equal scores go to the cheaper, then smaller one."""
    candidates = np.flatnonzero(eligible)
    best = scores[candidates].max()
    close = candidates[scores[candidates] >= best - TIE * max(1.0, abs(best))]
    order = np.lexsort((counts[close], costs[close]))
    return int(close[order[0]])


# -- up to 15: every bundle ---------------------------------------------------------------------
def enumerate_all(bundles: Bundles, score_of: Score, budget: float) -> Found:
    m = len(bundles.usable)
    masks = np.arange(2 ** m, dtype=np.int64)
    chosen = ((masks[:, None] >> np.arange(m)) & 1).astype(bool)
    chosen = chosen[bundles.compatible(chosen)]
    costs = chosen.astype(np.float64) @ bundles.costs
    totals, feasible = bundles.totals(chosen)
    scores = np.where(feasible, score_of(totals), -math.inf)
    counts = chosen.sum(axis=1)
    within = feasible & np.array([_fits(c, budget) for c in costs])
    best = _pick(scores, costs, counts, within)
    frontier = _frontier(chosen, costs, scores, counts, feasible, float(bundles.costs.sum()))
    method = (f"every bundle evaluated exactly ({int(feasible.sum()):,} that keep the "
              f"journey's rules, of {2 ** m:,})")
    return Found(chosen[best], True, None, method, frontier)


def _frontier(chosen: BoolArray, costs: FloatArray, scores: FloatArray,
              counts: NDArray[np.int64], feasible: BoolArray, total: float
              ) -> list[tuple[float, float, BoolArray]]:
    """The best score at each budget: a point wherever it rises, from 0 to the total."""
    order = np.lexsort((counts, -scores, costs))
    points: list[tuple[float, float, BoolArray]] = []
    best = -math.inf
    for index in order:
        if not feasible[index]:
            continue
        score = float(scores[index])
        if not points or score > best + TIE * max(1.0, abs(best)):
            level = 0.0 if not points else float(costs[index])
            points.append((level, score, chosen[index]))
            best = score
    if points and points[-1][0] < total:
        points.append((total, points[-1][1], points[-1][2]))
    return points


# -- greedy by ratio --------------------------------------------------------------------------
def greedy(bundles: Bundles, score_of: Score, budget: float) -> BoolArray:
    """Fund by gain per cost (each alone, exactly), best first, while money lasts,
    skipping what is excluded or would break the journey; free ones with a gain first."""
    m = len(bundles.usable)
    chosen = np.zeros(m, bool)
    if m == 0:
        return chosen
    singles, _ = _evaluate(bundles, score_of, np.eye(m, dtype=bool))
    costs = bundles.costs
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(costs > 0, singles / costs, np.where(singles > 0, math.inf, 0.0))
    spent = 0.0
    for index in np.argsort(-ratio, kind="stable"):
        if not singles[index] > 0 or not _fits(spent + costs[index], budget):
            continue
        trial = chosen.copy()
        trial[index] = True
        _, ok = _evaluate(bundles, score_of, trial)
        if ok[0]:
            chosen = trial
            spent += costs[index]
    return chosen


# -- beyond 15: MILP on pairwise gains, exact re-evaluation, local search -----------------------
@dataclass(frozen=True, eq=False)
class _Model:
    """The objective as singles plus pairwise interactions, all exact."""

    singles: FloatArray
    pairs: NDArray[np.int64]  # (p, 2)
    interactions: FloatArray
    forbidden: NDArray[np.int64]  # pairs that cannot go together


def _model(bundles: Bundles, score_of: Score) -> _Model:
    m = len(bundles.usable)
    singles, _ = _evaluate(bundles, score_of, np.eye(m, dtype=bool))
    a, b = np.triu_indices(m, 1)
    both = np.zeros((a.size, m), bool)
    both[np.arange(a.size), a] = True
    both[np.arange(a.size), b] = True
    scores, feasible = _evaluate(bundles, score_of, both)
    pairs = np.column_stack([a, b])
    interactions = np.where(feasible, scores - singles[a] - singles[b], 0.0)
    keep = feasible & (np.abs(interactions) > TIE * max(1.0, float(np.abs(singles).max())))
    return _Model(singles, pairs[keep], interactions[keep], pairs[~feasible])


def _milp(model: _Model, costs: FloatArray, budget: float) -> tuple[BoolArray, float]:
    """The pairwise model's best bundle within the budget, and a proven upper bound on
    the model's optimum."""
    m = model.singles.size
    p = model.pairs.shape[0]
    rows: list[FloatArray] = []
    upper: list[float] = []

    def constraint(entries: dict[int, float], limit: float) -> None:
        row = np.zeros(m + p)
        for column, value in entries.items():
            row[column] += value
        rows.append(row)
        upper.append(limit)

    constraint(dict(enumerate(costs)), budget + 1e-9 * max(1.0, budget))
    for i, j in model.forbidden:
        constraint({int(i): 1.0, int(j): 1.0}, 1.0)
    for k, ((i, j), gain) in enumerate(zip(model.pairs, model.interactions, strict=True)):
        if gain > 0:  # y <= x_i, y <= x_j: the bonus only when both are in
            constraint({m + k: 1.0, int(i): -1.0}, 0.0)
            constraint({m + k: 1.0, int(j): -1.0}, 0.0)
        else:  # y >= x_i + x_j - 1: the loss whenever both are in
            constraint({int(i): 1.0, int(j): 1.0, m + k: -1.0}, 1.0)
    result = milp(
        -np.concatenate([model.singles, model.interactions]),
        constraints=LinearConstraint(np.array(rows), -np.inf, np.array(upper)),
        integrality=np.concatenate([np.ones(m), np.zeros(p)]),
        bounds=Bounds(0.0, 1.0),
        options={"time_limit": MILP_SECONDS, "mip_rel_gap": 1e-9},
    )
    if result.x is None:
        return np.zeros(m, bool), 0.0
    chosen = np.asarray(result.x[:m] > 0.5)
    bound = getattr(result, "mip_dual_bound", None)
    upper_bound = -float(bound) if bound is not None and math.isfinite(bound) else -result.fun
    return chosen, max(upper_bound, -float(result.fun))


def _local_search(bundles: Bundles, score_of: Score, start: BoolArray, budget: float,
                  rounds: int = ROUNDS) -> tuple[BoolArray, float]:
    """Best improvement over every add, drop and swap, on exact scores, until none helps."""
    costs = bundles.costs
    current = start.copy()
    score = float(_evaluate(bundles, score_of, current)[0][0])
    for _ in range(rounds):
        inside, outside = np.flatnonzero(current), np.flatnonzero(~current)
        moves = [current ^ _unit(current.size, i) for i in (*inside, *outside)]
        moves += [current ^ _unit(current.size, i) ^ _unit(current.size, j)
                  for i in inside for j in outside]
        trials = np.array(moves).reshape(-1, current.size)
        trials = trials[(trials.astype(np.float64) @ costs) <= budget + 1e-9 * max(1.0, budget)]
        if trials.size == 0:
            break
        scores, _ = _evaluate(bundles, score_of, trials)
        best = int(np.argmax(scores))
        if not scores[best] > score + TIE * max(1.0, abs(score)):
            break
        current, score = trials[best], float(scores[best])
    return current, score


def _unit(m: int, i: int | np.integer) -> BoolArray:
    unit = np.zeros(m, bool)
    unit[i] = True
    return unit


def _best_at(bundles: Bundles, score_of: Score, model: _Model, budget: float,
             also: list[BoolArray], rounds: int = ROUNDS) -> tuple[BoolArray, float, float]:
    """The heuristic answer at one budget: (bundle, exact score, model upper bound)."""
    suggestion, bound = _milp(model, bundles.costs, budget)
    starts = [suggestion, *also, np.zeros_like(suggestion)]
    scores, feasible = _evaluate(bundles, score_of, np.array(starts))
    best = int(np.argmax(np.where(feasible, scores, -math.inf)))
    chosen, score = _local_search(bundles, score_of, starts[best], budget, rounds)
    return chosen, score, bound


def search(bundles: Bundles, score_of: Score, budget: float, greedy_set: BoolArray) -> Found:
    """The plan beyond the exact limit (`optimal` False).

    1. Every opportunity alone and every pair is evaluated exactly: the objective as
       singles plus pairwise interactions is exact for bundles of one or two.
    2. A MILP (scipy.optimize.milp, HiGHS) maximises that model within the budget, the
       exclusions and the pairs that cannot go together.
    3. Its answer, greedy-by-ratio and the empty plan are evaluated exactly; from the
       best, a local search (add, drop, swap) on exact scores, so the plan is never worse
       than greedy-by-ratio.

    `gap` = max(0, U - score), in objective units, where U is the MILP's proven upper
    bound on the pairwise model's best score within the budget and score is the plan's
    exact score. It is 0 when the plan reaches the model's optimum. It bounds how far
    the plan is from the true optimum only when interactions among three or more
    opportunities do not add value beyond their pairs; it is not a proof otherwise.
    """
    model = _model(bundles, score_of)
    chosen, score, bound = _best_at(bundles, score_of, model, budget, [greedy_set])
    total = float(bundles.costs.sum())
    levels = sorted({0.0, total, budget, *np.linspace(0.0, total, FRONTIER_LEVELS).tolist()})
    frontier: list[tuple[float, float, BoolArray]] = []
    best_score, best_set = -math.inf, np.zeros_like(chosen)
    for level in levels:
        if level > total:
            continue
        if level == budget:
            found, found_score = chosen, score
        else:
            found, found_score, _ = _best_at(bundles, score_of, model, level,
                                             [greedy(bundles, score_of, level)],
                                             FRONTIER_ROUNDS)
        if not frontier or found_score > best_score + TIE * max(1.0, abs(best_score)):
            best_score, best_set = found_score, found
            frontier.append((level, found_score, found))
    if frontier and frontier[-1][0] < total:
        frontier.append((total, best_score, best_set))
    for level, found_score, found in frontier:  # a cheaper level's answer may be better
        if _fits(level, budget) and found_score > score + TIE * max(1.0, abs(score)):
            chosen, score = found, found_score
    gap = max(0.0, bound - score)
    method = ("MILP on exact single and pairwise gains, then exact re-evaluation and local "
              f"search (add, drop, swap); gap {gap:.6g} to the pairwise model's bound")
    return Found(chosen, False, gap, method, frontier)
