"""MODEL.md's reference results: Pfeifer & Carraway (2000) and the Markov removal effect."""

from __future__ import annotations

import pytest

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.engine.analysis import analyze
from tests.engine.helpers import journey, project, recency_chain


@pytest.mark.parametrize(("start", "expected"), list(enumerate([231.08, 57.29, 21.01, 0.0])))
def test_pfeifer_carraway_infinite_horizon(start: int, expected: float) -> None:
    model = recency_chain([0.5, 0.2, 0.1, 0.0], [100, 0, 0, 0], 0.1, start)
    assert analyze(model).totals.value == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(("start", "expected"), list(enumerate([49.4, 2.69, -1.98, 0.0])))
def test_pfeifer_carraway_finite_horizon_four(start: int, expected: float) -> None:
    model = recency_chain([0.3, 0.2, 0.05, 0.0], [36, -4, -4, 0], 0.2, start)
    assert analyze(model, horizon=4).totals.value == pytest.approx(expected, abs=0.1)


def test_removal_effects_of_the_three_path_example() -> None:
    # Paths C1>C2>C3 -> conversion, C1 -> null, C2>C3 -> null.
    paths = journey(
        [Touchpoint("C1", entry=2 / 3), Touchpoint("C2", entry=1 / 3), Touchpoint("C3"),
         Touchpoint("conversion", conversion=True)],
        [("C1", "C2", 0.5), ("C2", "C3", 1.0), ("C3", "conversion", 0.5)],
    )
    result = analyze(project(paths))
    assert result.totals.conversion_probability == pytest.approx(1 / 3)
    effects = {tid: result.touchpoint(tid).removal_effect for tid in ("C1", "C2", "C3")}
    assert effects == pytest.approx({"C1": 0.5, "C2": 1.0, "C3": 1.0})
    assert result.touchpoint("conversion").removal_effect is None
    # With no known conversions, P(conv) is shared out in proportion: 0.5 : 1 : 1.
    attributed = [result.touchpoint(t).attributed_conversions for t in ("C1", "C2", "C3")]
    assert attributed == pytest.approx([1 / 3 * 0.2, 1 / 3 * 0.4, 1 / 3 * 0.4])


def test_attributed_conversions_share_out_the_known_count() -> None:
    paths = journey(
        [Touchpoint("C1", entry=2 / 3), Touchpoint("C2", entry=1 / 3), Touchpoint("C3"),
         Touchpoint("conversion", conversion=True)],
        [("C1", "C2", 0.5), ("C2", "C3", 1.0), ("C3", "conversion", 0.5)],
        conversions=500.0,
    )
    result = analyze(project(paths))
    assert [result.touchpoint(t).attributed_conversions for t in ("C1", "C2", "C3")] == \
        pytest.approx([100.0, 200.0, 200.0])
