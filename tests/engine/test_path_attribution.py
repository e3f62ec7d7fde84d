"""Attribution over conversion paths: the heuristic models worked by hand, and the
Markov models of order 1-3 against an exact reference in fractions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.conversion_paths import Paths, paths_of
from cx_mapper.engine.heuristics import heuristic_models
from cx_mapper.engine.higher_order import markov_attribution, shared_out
from cx_mapper.persistence.path_data import read_path_data
from tests.engine.path_reference import Row, exact_markov, file_text, realistic_rows

A, B, C = 0, 1, 2
# Worked by hand below: A > B > A > C converts 2 worth 100, B converts 1 worth 30,
# C > B converts nothing (5 nulls), A > C converts 3 worth 60.
HAND = paths_of([[A, B, A, C], [B], [C, B], [A, C]], conversions=[2, 1, 0, 3],
                values=[100, 30, 0, 60], nulls=[0, 0, 5, 0])


def credit(model: str) -> tuple[list[float], list[float]]:
    found = heuristic_models(HAND)[model]
    return found.conversions.tolist(), found.value.tolist()


def test_first_touch_gives_each_path_to_its_first_channel() -> None:
    assert credit("first_touch") == ([2 + 3, 1, 0], [100 + 60, 30, 0])


def test_last_touch_gives_each_path_to_its_last_channel() -> None:
    assert credit("last_touch") == ([0, 1, 2 + 3], [0, 30, 100 + 60])


def test_linear_counts_a_repeated_channel_once_per_touch() -> None:
    # A > B > A > C: A has 2 of 4 touches (1 conversion, 50), B and C 1 of 4 each.
    conversions, value = credit("linear")
    assert conversions == pytest.approx([1 + 1.5, 0.5 + 1, 0.5 + 1.5])
    assert value == pytest.approx([50 + 30, 25 + 30, 25 + 30])


def test_position_based_gives_40_to_the_ends_and_20_between() -> None:
    # A > B > A > C: A 0.4 first + 0.1 between, B 0.1 between, C 0.4 last; two touches
    # split 50/50 and one takes all.
    conversions, value = credit("position_based")
    assert conversions == pytest.approx([2 * 0.5 + 1.5, 2 * 0.1 + 1, 2 * 0.4 + 1.5])
    assert value == pytest.approx([50 + 30, 10 + 30, 40 + 30])


def test_every_model_shares_out_exactly_the_conversions_and_their_value() -> None:
    for model, found in heuristic_models(HAND).items():
        assert found.conversions.sum() == pytest.approx(6), model
        assert found.value.sum() == pytest.approx(190), model


def test_order_two_remembers_where_a_customer_came_from() -> None:
    # A > C converts, B > C does not. Order 1 sees one C converting half the time, so A
    # and B look alike; order 2 knows a C after B never converts.
    paths = paths_of([[A, C], [B, C]], conversions=[1, 0], values=[80, 0], nulls=[0, 1])
    first = markov_attribution(paths, 1)
    assert first.removal_effect.tolist() == pytest.approx([0.5, 0.5, 1.0])
    second = markov_attribution(paths, 2)
    assert second.probability == pytest.approx(0.5)
    assert second.removal_effect.tolist() == pytest.approx([1.0, 0.0, 1.0])
    assert second.conversions.tolist() == pytest.approx([0.5, 0.0, 0.5])
    assert second.value.tolist() == pytest.approx([40.0, 0.0, 40.0])


def engine_paths(rows: list[Row]) -> tuple[list[str], Paths]:
    channels = list(dict.fromkeys(c for path, *_ in rows for c in path))
    number = {c: i for i, c in enumerate(channels)}
    return channels, paths_of([[number[c] for c in path] for path, *_ in rows],
                              [float(r[1]) for r in rows], [float(r[2]) for r in rows],
                              [float(r[3]) for r in rows], channel_count=len(channels))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_markov_removal_effects_and_value_are_exact(order: int) -> None:
    rows = realistic_rows()
    channels, paths = engine_paths(rows)
    found = markov_attribution(paths, order)
    exact = exact_markov(rows, order)
    assert found.probability == pytest.approx(float(exact.probability), rel=1e-12)
    for i, channel in enumerate(channels):
        assert found.removal_effect[i] == pytest.approx(float(exact.removal_effect[channel]),
                                                        rel=1e-10, abs=1e-12), channel
        assert found.conversions[i] == pytest.approx(float(exact.conversions[channel]),
                                                     rel=1e-10), channel
        assert found.value[i] == pytest.approx(float(exact.value[channel]), rel=1e-10), channel
    assert found.value.sum() == pytest.approx(float(sum(r[2] for r in rows)))


def test_the_iterative_solve_of_many_states_is_as_exact() -> None:
    # Above DIRECT_STATES states the systems are solved iteratively (to 1e-12).
    rows = realistic_rows(seed=5, count=120)
    channels, paths = engine_paths(rows)
    found = markov_attribution(paths, 3, direct_limit=0)
    exact = exact_markov(rows, 3)
    for i, channel in enumerate(channels):
        assert found.removal_effect[i] == pytest.approx(float(exact.removal_effect[channel]),
                                                        rel=1e-9), channel
        assert found.value[i] == pytest.approx(float(exact.value[channel]), rel=1e-9), channel


def test_orders_give_different_credit_on_realistic_paths() -> None:
    _, paths = engine_paths(realistic_rows())
    effects = [markov_attribution(paths, k).removal_effect for k in (1, 2, 3)]
    assert not np.allclose(effects[0], effects[1])
    assert not np.allclose(effects[1], effects[2])


def test_order_one_is_the_journey_import_paths_builds(tmp_path: Path) -> None:
    rows = realistic_rows()
    file = tmp_path / "paths.csv"
    file.write_text(file_text(rows), encoding="utf-8")
    imported = read_path_data(file)
    analysis = analyze(Project(journeys=[imported.journey]))
    channels, paths = engine_paths(rows)
    found = markov_attribution(paths, 1)
    by_name = {t.name: t.id for t in imported.journey.touchpoints.values()}
    for i, channel in enumerate(channels):
        record = analysis.touchpoint(by_name[channel])
        assert found.removal_effect[i] == pytest.approx(record.removal_effect, rel=1e-9)
        assert found.conversions[i] == pytest.approx(record.attributed_conversions, rel=1e-9)


def test_value_is_not_shared_among_a_subset_of_removal_effects() -> None:
    # MODEL.md §8: with any removal effect unknown, nothing is attributed.
    assert np.isnan(shared_out(np.array([0.5, np.nan, 0.2]), 100.0)).all()
    assert shared_out(np.array([0.6, 0.2, 0.2]), 100.0).tolist() == pytest.approx([60, 20, 20])


def test_rows_no_one_took_leave_the_markov_model_alone() -> None:
    with_empty = paths_of([[A, C], [B, C], [B]], conversions=[1, 0, 0], values=[80, 0, 0],
                          nulls=[0, 1, 0])
    without = paths_of([[A, C], [B, C]], conversions=[1, 0], values=[80, 0], nulls=[0, 1],
                       channel_count=3)
    for order in (1, 2):
        assert markov_attribution(with_empty, order).removal_effect.tolist() == pytest.approx(
            markov_attribution(without, order).removal_effect.tolist())
