"""The batch evaluator against analyze: each variant's totals as if analysed alone."""

from __future__ import annotations

import numpy as np
import pytest

from cx_mapper.domain.journey import Journey, Transition
from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.batch import TOTAL_KEYS, Evaluator, chains_batch
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.matrices import journey_chain
from tests.engine.helpers import random_journey, two_segments


def _variants(rng: np.random.Generator, source: Journey, count: int, rows: int) -> list[Journey]:
    """Variants changing fields of two touchpoints and the rows of `rows` touchpoints."""
    n = len(source.touchpoints)
    out = []
    for _ in range(count):
        variant = source.copy()
        for tid in rng.choice(list(variant.touchpoints), 2, replace=False):
            variant.update_touchpoint(str(tid), satisfaction=float(rng.uniform(-1, 1)),
                                      impact=float(rng.uniform()),
                                      visibility=float(rng.uniform()),
                                      entry=float(rng.uniform(0, 2)))
        for source_index in rng.choice(n, rows, replace=False):
            tid = f"t{source_index}"
            for key in [k for k in variant.transitions if k[0] == tid]:
                variant.remove_transition(*key)
            variant.add_transition(Transition(tid, f"t{rng.integers(n)}", 0.7))
        out.append(variant)
    return out


@pytest.mark.parametrize("measured", [False, True])
@pytest.mark.parametrize("dense", [True, False])
@pytest.mark.parametrize(("n", "rows", "discount", "horizon"), [
    (8, 2, 0.1, None), (8, 8, 0.0, None), (40, 3, 0.05, None), (40, 40, 0.1, None),
    (30, 4, 0.1, 5), (12, 12, 0.0, 3),
])
def test_every_variant_agrees_with_analyze(dense: bool, n: int, rows: int, discount: float,
                                           horizon: int | None, measured: bool) -> None:
    """Measured rows too (MODEL.md §2): relative abandonment, and rows scaled to 1."""
    rng = np.random.default_rng(n * 100 + rows)
    source = random_journey(rng, n, discount)
    if measured:
        for tid in list(source.touchpoints)[::2]:
            source.update_touchpoint(tid, measured_satisfaction=float(rng.uniform(-1, 0.3)))
    segments = two_segments()
    variants = _variants(rng, source, 5, rows)
    base = journey_chain(source)
    batch = chains_batch(base, [journey_chain(v) for v in variants])
    evaluator = Evaluator(base, segments, [0.3, 0.7], horizon, batch.rows,
                          np.ones((batch.rows.size, n), bool), dense=dense)
    totals = evaluator.totals(batch)
    solved = 0
    for variant, row in zip(variants, totals, strict=True):
        try:
            expected = analyze(Project(name="p", journeys=[variant], segments=segments),
                               horizon=horizon).totals
        except AnalysisError:  # a measured row scaled to 1 closed a loop with no discount
            assert measured and discount == 0 and np.isnan(row).all()
            continue
        solved += 1
        for key, value in zip(TOTAL_KEYS, row, strict=True):
            assert value == pytest.approx(getattr(expected, key), rel=1e-9, abs=1e-12), key
    assert solved >= 3


@pytest.mark.parametrize(("n", "rows", "discount"), [(40, 3, 0.05), (8, 8, 0.0)])
def test_the_sparse_factors_agree_too(monkeypatch: pytest.MonkeyPatch, n: int, rows: int,
                                      discount: float) -> None:
    """Beyond INVERSE_LIMIT touchpoints the base is kept as sparse LU factors, solved
    forwards and transposed: the same totals as the dense inverse and as analyze."""
    from cx_mapper.engine import batch as batch_module

    rng = np.random.default_rng(7 * n + rows)
    source = random_journey(rng, n, discount)
    segments = two_segments()
    variants = _variants(rng, source, 4, rows)
    base = journey_chain(source)
    chains = chains_batch(base, [journey_chain(v) for v in variants])

    def totals() -> np.ndarray:
        evaluator = Evaluator(base, segments, [0.3, 0.7], None, chains.rows,
                              np.ones((chains.rows.size, n), bool), dense=False)
        return evaluator.totals(chains)

    with_inverse = totals()
    monkeypatch.setattr(batch_module, "INVERSE_LIMIT", 0)
    with_factors = totals()
    np.testing.assert_allclose(with_factors, with_inverse, rtol=1e-9, atol=1e-12)
    expected = analyze(Project(name="p", journeys=[variants[0]], segments=segments)).totals
    assert with_factors[0][TOTAL_KEYS.index("loyalty_index")] == pytest.approx(
        expected.loyalty_index, rel=1e-9)
