"""Engine speed: the full analysis at 200 to 100,000 touchpoints, against baselines.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks -s`. It prints
figures and ratios measured in the same run; it never fails on a slow machine.
It does check that the baselines compute the same numbers.

- Full analysis: validation, visits, loyalty, value, exposure, referrals, the time
  series, conversion and removal effects, and the adjoint sensitivities.
- Dense baseline: the same analysis with every sparse solve replaced by a dense
  LAPACK LU (scipy.linalg.lu_factor), at 200 and 2,000 touchpoints.
- Simulator at equal accuracy: the customers needed for three significant figures
  (0.1% relative standard error) on interactions and on positive and negative
  exposure, and 0.1 point of the loyalty index (whichever needs most), timed by
  extrapolating a 20,000-customer run. The closed form is exact to ~1e-12.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
import scipy.linalg as la

import cx_mapper.engine.analysis as analysis_module
import cx_mapper.engine.attribution as attribution_module
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.simulate import simulate
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of

SIZES = (200, 2_000, 20_000, 100_000)
ACCURACY = 1e-3
PILOT = 20_000


class DenseSystem:
    """The baseline: I - X factored densely; same interface as solver.ForwardSystem."""

    def __init__(self, steps: Any, direct_limit: int = 0) -> None:
        n = steps.shape[0]
        self.size = n
        self._lu = la.lu_factor(np.eye(n) - steps.toarray())

    def solve_rows(self, b: np.ndarray) -> np.ndarray:
        return np.asarray(la.lu_solve(self._lu, b, trans=1))

    def solve_columns(self, c: np.ndarray) -> np.ndarray:
        return np.asarray(la.lu_solve(self._lu, c))


def simulator_seconds(project: Project) -> float:
    start = time.perf_counter()
    run = simulate(project, customers=PILOT, seed=1)
    seconds = time.perf_counter() - start
    worst = run.standard_errors.loyalty_index * 100 / 0.1 * ACCURACY  # 0.1 point
    for name in ("interactions", "exposure_positive", "exposure_negative"):
        mean, error = getattr(run.totals, name), getattr(run.standard_errors, name)
        if mean > 0:
            worst = max(worst, error / mean)
    return seconds * (worst / ACCURACY) ** 2


@pytest.mark.benchmark
def test_engine_speed(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = []
    for n in SIZES:
        project = random_journey(n)
        journey = project.journeys[0]
        repeats = 5 if n <= 2_000 else 1
        full, result = best_of(repeats, lambda p=project: analyze(p))
        core, _ = best_of(repeats, lambda p=project: analyze(p, validate=False, removal_limit=0))
        row = {"n": n, "transitions": len(journey.transitions), "full": full, "core": core,
               "removal_note": result.notes[0] if result.notes else "all touchpoints"}
        if n <= 2_000:
            with monkeypatch.context() as patch:
                patch.setattr(analysis_module, "ForwardSystem", DenseSystem)
                patch.setattr(attribution_module, "ForwardSystem", DenseSystem)
                dense, dense_result = best_of(1 if n > 200 else 3, lambda p=project: analyze(p))
            for name in ("interactions", "loyalty_index", "value", "exposure_net", "referral_r"):
                assert getattr(dense_result.totals, name) == pytest.approx(
                    getattr(result.totals, name), rel=1e-9)
            row["dense"] = dense
            row["simulator"] = simulator_seconds(project)
        rows.append(row)

    print("\nFull analysis with sensitivities (best of runs; 5 transitions per touchpoint)")
    print(f"{'touchpoints':>12} {'transitions':>12} {'full':>10} {'no removal':>11} "
          f"{'dense LU':>10} {'x faster':>9} {'simulator':>10} {'x faster':>9}")
    for row in rows:
        dense, sim, full = row.get("dense"), row.get("simulator"), row["full"]
        cells = [f"{row['n']:>12,}", f"{row['transitions']:>12,}", f"{_ms(full):>10}",
                 f"{_ms(row['core']):>11}",
                 f"{_ms(dense) if dense else '':>10}",
                 f"{format(dense / full, '.1f') if dense else '':>9}",
                 f"{_ms(sim) if sim else '':>10}",
                 f"{format(sim / full, ',.0f') if sim else '':>9}"]
        print(" ".join(cells))
    for row in rows:
        print(f"  removal effects at {row['n']:,}: {row['removal_note']}")
    print("Targets: 200 under 20 ms; 100,000 under 2 s without removal effects.")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"
