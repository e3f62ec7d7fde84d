"""Conversion probability and Markov removal effects (MODEL.md §8).

Undiscounted, without referrals, with abandonment. Conversion touchpoints absorb.
Removing touchpoint j sends all flow into j out of the journey, so

    P(conv without j) = P(conv) - P(reach j before converting) * h_j

with h_j the conversion probability from j and P(reach j first) = u_j / N_jj,
u = s N the expected visits and N = (I - P~)^-1 over the touchpoints that can
still convert. N_jj is 1 for a touchpoint on no loop (it cannot return); on a
loop it needs one solve, batched. Above `exact_limit` such touchpoints only the
LARGE_JOURNEY_COUNT busiest are computed; the rest are NaN and the analysis says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse import csgraph

from cx_mapper.engine.matrices import FloatArray, SegmentChain
from cx_mapper.engine.solver import ForwardSystem

EXACT_LIMIT = 2_000
LARGE_JOURNEY_COUNT = 20
_BATCH = 64


@dataclass(frozen=True, eq=False)
class Conversion:
    probability: float
    without: FloatArray  # P(conv) with touchpoint j removed; NaN where not computed or a goal
    complete: bool
    computed: int  # touchpoints whose removal effect was computed


def conversion(seg: SegmentChain, exact_limit: int = EXACT_LIMIT) -> Conversion:
    chain = seg.chain
    n = chain.size
    goal = chain.conversion
    moves = seg.moves
    without = np.full(n, np.nan)
    # Touchpoints from which a goal can be reached: ancestors of the goals.
    can_convert = _ancestors(moves, goal) & ~goal
    live = np.flatnonzero(can_convert)
    start = chain.entry
    if live.size == 0:
        probability = float(start[goal].sum())
        without[~goal] = probability
        return Conversion(probability, without, True, n)

    inner = sp.csr_array(moves[live][:, live])
    system = ForwardSystem(inner)
    into_goal = np.asarray(moves[live][:, np.flatnonzero(goal)].sum(axis=1)).ravel()
    reach = system.solve_columns(into_goal)  # h over `live`
    expected_visits = system.solve_rows(start[live])  # u = s N
    probability = float(start[goal].sum() + start[live] @ reach)

    # Touchpoints that cannot convert: removing them changes nothing.
    without[~goal] = probability
    diagonal = np.ones(live.size)
    on_a_loop = _on_a_loop(inner)
    looping = np.flatnonzero(on_a_loop)
    complete = looping.size <= exact_limit
    if complete:
        diagonal[looping] = _inverse_diagonal(system, live.size, looping)
        chosen = np.arange(live.size)
    else:
        count = min(LARGE_JOURNEY_COUNT, exact_limit)
        chosen = np.argsort(-expected_visits, kind="stable")[:count]
        chosen_looping = np.sort(chosen[on_a_loop[chosen]])  # intersect1d's order, no hash
        diagonal[chosen_looping] = _inverse_diagonal(system, live.size, chosen_looping)
        without[live] = np.nan
    first_reach = expected_visits[chosen] / diagonal[chosen]
    without[live[chosen]] = np.maximum(probability - first_reach * reach[chosen], 0.0)
    computed = int(n - live.size + chosen.size - goal.sum())
    return Conversion(probability, without, complete, computed)


def removal_effects(probability: float, without: FloatArray) -> FloatArray:
    """1 - P(conv without j) / P(conv); 0 when nothing converts."""
    if probability <= 0:
        return np.where(np.isnan(without), np.nan, 0.0)
    return np.clip(1.0 - without / probability, 0.0, 1.0)


def attributed(effects: FloatArray, total: float) -> FloatArray:
    """Share out `total` conversions in proportion to the removal effects."""
    known = np.nan_to_num(effects, nan=0.0)
    weight = known.sum()
    if weight <= 0:
        return np.where(np.isnan(effects), np.nan, 0.0)
    return np.where(np.isnan(effects), np.nan, known / weight * total)


def _ancestors(moves: sp.csr_array, targets: np.ndarray) -> np.ndarray:
    """Nodes with a path of positive probability to any target (targets included)."""
    n = moves.shape[0]
    # A virtual node n links to every target in the reversed graph.
    reverse = sp.csr_array(moves.T)
    hub = sp.csr_array(
        (np.ones(int(targets.sum())), (np.full(int(targets.sum()), 0), np.flatnonzero(targets))),
        shape=(1, n),
    )
    graph = sp.block_array([[reverse, None], [hub, None]], format="csr")
    graph.resize((n + 1, n + 1))
    order = csgraph.breadth_first_order(graph, n, directed=True, return_predecessors=False)
    found = np.zeros(n + 1, dtype=bool)
    found[order] = True
    return found[:n]


def _on_a_loop(moves: sp.csr_array) -> np.ndarray:
    """Touchpoints a customer can come back to: in a strongly connected group or self-looping."""
    _, labels = csgraph.connected_components(moves, directed=True, connection="strong")
    sizes = np.bincount(labels)
    return np.asarray((sizes[labels] > 1) | (moves.diagonal() > 0))


def _inverse_diagonal(system: ForwardSystem, n: int, chosen: np.ndarray) -> FloatArray:
    """N_jj for the chosen j, from batched unit-vector solves on the existing LU."""
    out = np.empty(chosen.size)
    for begin in range(0, chosen.size, _BATCH):
        block = chosen[begin : begin + _BATCH]
        units = np.zeros((n, block.size))
        units[block, np.arange(block.size)] = 1.0
        out[begin : begin + block.size] = system.solve_columns(units)[block, np.arange(block.size)]
    return out
