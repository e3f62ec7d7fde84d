"""Markov attribution of order 3 over many paths: sparse LU against the iterative solve.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_attribution_speed.py -s`.
Paths over C channels (lengths mostly 1-4, up to 16) make about C^3 states of order 3,
each followed by up to C others, so an LU fills in. It prints the time of both ways,
measured in the same run, and checks that they agree; it never fails on a slow machine.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from cx_mapper.engine.conversion_paths import Paths, paths_of
from cx_mapper.engine.heuristics import heuristic_models
from cx_mapper.engine.higher_order import markov_attribution
from tests.benchmarks.timing import best_of

pytestmark = pytest.mark.benchmark


def random_paths(channels: int, draws: int, seed: int = 1) -> Paths:
    rng = random.Random(seed)
    rows = list(dict.fromkeys(
        tuple(rng.randrange(channels) for _ in range(1 + min(int(rng.expovariate(0.4)), 15)))
        for _ in range(draws)))
    conversions = [rng.randint(0, 5) for _ in rows]
    return paths_of(rows, conversions, [80.0 * c for c in conversions],
                    [rng.randint(0, 30) for _ in rows], channel_count=channels)


@pytest.mark.parametrize("channels", [8, 12])
def test_order_three_lu_against_iterative(channels: int) -> None:
    paths = random_paths(channels, 100_000)
    lu_seconds, lu = best_of(1, lambda: markov_attribution(paths, 3, direct_limit=10**9))
    it_seconds, it = best_of(3, lambda: markov_attribution(paths, 3, direct_limit=0))
    np.testing.assert_allclose(it.removal_effect, lu.removal_effect, rtol=1e-9, atol=1e-12)
    print(f"\n{paths.rows:,} paths, {channels} channels, {lu.states:,} states of order 3: "
          f"LU {lu_seconds:.2f} s, iterative {it_seconds:.2f} s "
          f"({lu_seconds / it_seconds:.1f}x)")


def test_order_three_of_twenty_channels() -> None:
    paths = random_paths(20, 100_000)
    heuristic_seconds, _ = best_of(3, lambda: heuristic_models(paths))
    seconds, found = best_of(1, lambda: markov_attribution(paths, 3))
    print(f"\n{paths.rows:,} paths, 20 channels: heuristics {heuristic_seconds:.3f} s, "
          f"order 3 ({found.states:,} states) {seconds:.2f} s")
