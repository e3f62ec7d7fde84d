"""Has the data moved away from the map beyond chance? Tests on plain counts.

A journey states, for each touchpoint, the chance of each next move and of leaving
(its outgoing row), how customers enter, and a mean satisfaction. An event log gives
counts of the same things. Each is tested as a goodness of fit of the log's counts to
the journey's figures, and the p-values of all tests together are Holm-corrected, so
the chance that a log drawn from the journey itself raises any alarm stays at alpha.

- Rows and entry shares: the G-test (likelihood ratio, chi-squared with cells - 1
  degrees of freedom). Cells expected fewer than MIN_EXPECTED are pooled, smallest
  first, as the chi-squared approximation needs; a row with few enough possible
  outcomes (EXACT_OUTCOMES) gets the exact multinomial test instead, which needs no
  approximation. A count where the journey gives no chance at all (a move it does not
  draw) cannot happen under the journey: p = 0.
- Mean satisfaction: Student's t-test of the log's mean against the journey's figure,
  with the log's sample variance.
- Visibility (the share of public mentions): the exact binomial test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy import special, stats

from cx_mapper.engine.drift_defaults import DEFAULT_ALPHA as DEFAULT_ALPHA

#: Pooled cells are expected at least this many counts (the usual rule for chi-squared).
MIN_EXPECTED = 5.0
#: Rows with at most this many possible outcomes get the exact multinomial test.
EXACT_OUTCOMES = 20_000
#: A journey's chance below this is none (rounding in a saved file).
NO_CHANCE = 1e-12
GOODNESS, EXACT, IMPOSSIBLE, T_TEST, BINOMIAL, NONE = (
    "G-test", "exact multinomial", "impossible under the map", "t-test", "binomial", "none")
#: What the report, the README and `--json` say was done.
TEST_NAME = "G-test (exact multinomial for small rows), t-test for satisfaction, " \
            "binomial for visibility; Holm-corrected"


@dataclass(frozen=True)
class Test:
    """One test's outcome: its statistic, degrees of freedom, p-value and how."""

    method: str
    statistic: float
    df: int
    p_value: float


def fit_counts(observed: Sequence[int], shares: Sequence[float]) -> Test:
    """Do `observed` counts (one per cell) fit the chances `shares` (summing to 1)?"""
    counts = np.asarray(observed, dtype=np.float64)
    chances = np.clip(np.asarray(shares, dtype=np.float64), 0.0, None)
    total = counts.sum()
    if total <= 0 or chances.sum() <= 0:
        return Test(NONE, 0.0, 0, 1.0)
    possible = chances > NO_CHANCE
    if np.any(counts[~possible] > 0):
        return Test(IMPOSSIBLE, math.inf, int(possible.sum()), 0.0)
    counts, chances = counts[possible], chances[possible] / chances[possible].sum()
    if len(counts) < 2:
        return Test(NONE, 0.0, 0, 1.0)
    n = int(round(total))
    if math.comb(n + len(counts) - 1, len(counts) - 1) <= EXACT_OUTCOMES:
        return _exact(counts.astype(np.int64), chances)
    return _g_test(counts, chances * total)


def _g_test(counts: np.ndarray, expected: np.ndarray) -> Test:
    order = np.argsort(expected, kind="stable")
    counts, expected = counts[order], expected[order]
    # Smallest first, each cell gathers the next until it is expected MIN_EXPECTED; a
    # small remainder joins the last cell.
    cells_o: list[float] = []
    cells_e: list[float] = []
    pooled_o = pooled_e = 0.0
    for o, e in zip(counts, expected, strict=True):
        pooled_o, pooled_e = pooled_o + float(o), pooled_e + float(e)
        if pooled_e >= MIN_EXPECTED:
            cells_o.append(pooled_o)
            cells_e.append(pooled_e)
            pooled_o = pooled_e = 0.0
    if pooled_e and cells_e:
        cells_o[-1] += pooled_o
        cells_e[-1] += pooled_e
    if len(cells_e) < 2:
        return Test(NONE, 0.0, 0, 1.0)
    o_arr, e_arr = np.asarray(cells_o), np.asarray(cells_e)
    statistic = _g(o_arr, e_arr)
    df = len(cells_e) - 1
    return Test(GOODNESS, statistic, df, float(stats.chi2.sf(max(statistic, 0.0), df)))


def _exact(counts: np.ndarray, chances: np.ndarray) -> Test:
    """The exact multinomial test: the chance of an outcome as unlikely as the one seen."""
    n, k = int(counts.sum()), len(counts)
    bars = np.array(list(combinations(range(n + k - 1), k - 1)), dtype=np.int64).reshape(-1, k - 1)
    edges = np.hstack([np.full((len(bars), 1), -1), bars, np.full((len(bars), 1), n + k - 1)])
    outcomes = np.diff(edges, axis=1) - 1  # stars and bars: every way to share n in k cells
    logs = np.log(chances)

    def log_chance(x: np.ndarray) -> np.ndarray:
        chance: np.ndarray = special.gammaln(n + 1) - special.gammaln(x + 1).sum(axis=-1) \
            + (x * logs).sum(axis=-1)
        return chance

    seen = float(log_chance(counts))
    every = log_chance(outcomes)
    p = float(np.exp(every[every <= seen + 1e-7 * max(1.0, abs(seen))]).sum())
    return Test(EXACT, _g(counts.astype(np.float64), chances * n), k - 1, min(1.0, p))


def _g(observed: np.ndarray, expected: np.ndarray) -> float:
    return 2.0 * float(np.sum(special.xlogy(observed, observed / expected)))


def mean_test(count: int, mean: float, variance: float | None, reference: float) -> Test:
    """Is the mean of `count` scores with sample `variance` different from `reference`?"""
    if count < 2 or variance is None or not math.isfinite(variance):
        return Test(NONE, 0.0, 0, 1.0)
    difference = mean - reference
    if variance <= 0:  # every score the same: any difference is certain
        return Test(T_TEST, math.inf if abs(difference) > 1e-9 else 0.0, count - 1,
                    0.0 if abs(difference) > 1e-9 else 1.0)
    t = difference / math.sqrt(variance / count)
    return Test(T_TEST, t, count - 1, float(2.0 * stats.t.sf(abs(t), count - 1)))


def share_test(count: int, successes: int, reference: float) -> Test:
    """Is a share of `successes` in `count` different from the chance `reference`?"""
    if count < 1:
        return Test(NONE, 0.0, 0, 1.0)
    reference = min(1.0, max(0.0, reference))
    result = stats.binomtest(min(successes, count), count, reference)
    return Test(BINOMIAL, successes / count - reference, 1, float(result.pvalue))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values: reject where adjusted <= alpha keeps the
    family-wise error at alpha, for tests in any dependence."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p_values[i]))
        adjusted[i] = running
    return adjusted
