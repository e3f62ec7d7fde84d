"""Plans: time to the plan and how much better it is than simple rules.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_plan_speed.py -s`.
Prints figures measured in the same run; never fails on a slow machine.

- Random journeys of 50 and 200 touchpoints (two segments, a goal) with 10, 15 and 40
  random opportunities (satisfaction, other fields, transitions, added touchpoints),
  budget 40% of all costs, objective value + 50 x referral R.
- Naive baseline: the full `analyze` of each bundle the plan evaluated exactly (every
  subset up to 15; beyond, the singles, pairs and local-search neighbours), timed on a
  sample of 12 bundles and multiplied out.
- Quality: the plan's exact score against greedy-by-ratio and against "fund the top
  fix-first touchpoints" (touchpoints ranked by analyze's sensitivity of the objective;
  the opportunities touching them funded in that order while the budget lasts).
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import numpy as np
import pytest

from cx_mapper.domain.bundles import apply_opportunities
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.bundles_eval import Bundles, prepare
from cx_mapper.engine.plan import plan
from tests.engine.helpers import project, random_journey, random_opportunities, two_segments

pytestmark = pytest.mark.benchmark

OBJECTIVE = {"value": 1.0, "referral_r": 50.0}
CASES = [(50, 10), (50, 15), (50, 40), (200, 10), (200, 15), (200, 40)]
SEEDS = (1, 2)


def _instance(n: int, m: int, seed: int) -> Project:
    rng = np.random.default_rng(seed)
    journey = random_journey(rng, n, 0.1)
    random_opportunities(rng, journey, m)
    return project(journey, segments=two_segments())


def _fix_first_score(project_: Project, budget: float) -> float:
    """Fund the opportunities touching the touchpoints with the steepest objective."""
    result = analyze(project_)
    sensitivity = result.touchpoints.sensitivity
    steepness = sensitivity["value"] + 50.0 * sensitivity["referral_r"]
    rank = {tid: i for i, tid in enumerate(np.array(result.ids)[np.argsort(-steepness)])}
    bundles = prepare(project_, None, None)
    weights = np.array([OBJECTIVE.get(k, 0.0) for k in
                        ("interactions", "loyalty_index", "value", "exposure_positive",
                         "exposure_negative", "exposure_net", "exposure_private",
                         "exposure_public", "referral_r", "deterred",
                         "conversion_probability")])

    def first_touchpoint(index: int) -> int:
        named = bundles.usable[index].changes.touchpoint_ids() | set(
            bundles.usable[index].touchpoints)
        return min((rank[t] for t in named if t in rank), default=len(rank))

    chosen = np.zeros(len(bundles.usable), bool)
    spent = 0.0
    for index in sorted(range(len(bundles.usable)), key=first_touchpoint):
        cost = bundles.usable[index].cost
        if spent + cost > budget:
            continue
        trial = chosen.copy()
        trial[index] = True
        if not bundles.compatible(trial)[0] or not bundles.totals(trial)[1][0]:
            continue
        chosen, spent = trial, spent + cost
    totals, _ = bundles.totals(chosen)
    return float(np.nan_to_num(bundles.gains(totals)[0]) @ weights)


def _naive_seconds_per_bundle(project_: Project, samples: int = 12) -> float:
    journey = project_.journeys[0]
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    for _ in range(samples):
        chosen = [o for o in journey.opportunities if rng.uniform() < 0.3]
        with contextlib.suppress(ValueError):  # a bundle that breaks the journey
            patched = apply_opportunities(journey, chosen)
            analyze(Project(name="p", journeys=[patched], segments=project_.segments))
    return (time.perf_counter() - start) / samples


def test_plan_speed_and_quality(monkeypatch: pytest.MonkeyPatch) -> None:
    counted: list[int] = []
    totals = Bundles.totals

    def counting(self: Bundles, chosen: Any) -> Any:
        counted.append(int(np.atleast_2d(chosen).shape[0]))
        return totals(self, chosen)

    monkeypatch.setattr(Bundles, "totals", counting)
    print()
    print(f"{'touchpoints':>11} {'opps':>4} {'seed':>4} {'plan s':>8} {'naive s':>9} "
          f"{'ratio':>7} {'bundles':>8} {'optimal':>7} {'vs greedy':>10} {'vs fix-first':>12}")
    wins_greedy = wins_fix = total = 0
    for n, m in CASES:
        for seed in SEEDS:
            project_ = _instance(n, m, seed)
            costs = sum(o.cost for o in project_.journeys[0].opportunities)
            budget = 0.4 * costs
            counted.clear()
            start = time.perf_counter()
            found = plan(project_, None, budget, OBJECTIVE)
            seconds = time.perf_counter() - start
            bundles = sum(counted)
            naive = _naive_seconds_per_bundle(project_) * bundles
            fix_first = _fix_first_score(project_, budget)
            total += 1
            wins_greedy += found.score > found.greedy_score + 1e-9
            wins_fix += found.score > fix_first + 1e-9
            print(f"{n:>11} {m:>4} {seed:>4} {seconds:>8.2f} {naive:>9.1f} "
                  f"{naive / seconds:>7.0f} {bundles:>8,} {found.optimal!s:>7} "
                  f"{found.score - found.greedy_score:>+10.3f} {found.score - fix_first:>+12.3f}")
            assert found.score >= found.greedy_score - 1e-9
    print(f"The plan beat greedy-by-ratio in {wins_greedy} of {total} cases and the top "
          f"fix-first touchpoints in {wins_fix} of {total}.")
