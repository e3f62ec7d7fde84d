"""Markov attribution over conversion paths, of order 1, 2 or 3, with exact removal effects.

A customer's state after a touch is the tuple of their last k channels (fewer at
the start of a path: 'A > B > C' of order 2 visits (A), (A, B), (B, C)). Each row
counts (conversions + nulls) times, so the start shares are where the weighted paths
begin, a state moves to the next as often as the data has it per visit, its last
state converts with the row's conversions and leaves with its nulls. Order 1 is the
journey `import-paths` builds (persistence/path_data.py): the same chain, the same
removal effects.

Removing channel c removes every state that contains c: the flow into them leaves
(MODEL.md §8). P(conv) and each P(conv without c) are solved, one linear system per
channel, not simulated: by sparse LU up to DIRECT_STATES states, iteratively to
solver.py's tolerance beyond; attributed conversions and conversion value are the
totals shared out by the removal effects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from cx_mapper.engine import attribution
from cx_mapper.engine.conversion_paths import FloatArray, IntArray, Paths
from cx_mapper.engine.solver import ForwardSystem

ORDERS = (1, 2, 3)
#: Up to this many states a sparse LU; above, BiCGSTAB to a relative 1e-12 (solver.py).
#: A state of order 3 has as many successors as there are channels, so the LU fills in:
#: 8,420 states of 20 channels took 277 s by LU and 0.5 s iteratively (tests/benchmarks).
DIRECT_STATES = 1_000


@dataclass(frozen=True, eq=False)
class MarkovCredit:
    order: int
    states: int
    probability: float  # P(conv) of a customer entering
    without: FloatArray  # P(conv) with channel c removed
    removal_effect: FloatArray
    conversions: FloatArray  # the total conversions shared out by the removal effects
    value: FloatArray  # the total conversion value shared out likewise


def markov_attribution(paths: Paths, order: int = 1,
                       direct_limit: int = DIRECT_STATES) -> MarkovCredit:
    if order not in ORDERS:
        raise ValueError(f"the order is one of {ORDERS}, got {order}")
    used = _rows_taken(paths)
    count = paths.channel_count
    if used.rows == 0:
        nothing = np.zeros(count)
        return MarkovCredit(order, 0, 0.0, nothing, nothing, nothing, nothing)
    state, members = _states(used, order)
    size = members.shape[0]
    steps, finish, start = _chain(used, state, size)
    probability = float(start @ ForwardSystem(steps, direct_limit).solve_columns(finish))
    without = np.empty(count)
    holders = _holders(members, count)
    for channel in range(count):
        keep = np.ones(size, dtype=bool)
        keep[holders.indices[holders.indptr[channel]:holders.indptr[channel + 1]]] = False
        keep = np.flatnonzero(keep)
        if keep.size == size:  # a channel of rows without weight: nothing to remove
            without[channel] = probability
        elif keep.size == 0:
            without[channel] = 0.0
        else:
            part = ForwardSystem(steps[keep][:, keep], direct_limit)
            without[channel] = float(start[keep] @ part.solve_columns(finish[keep]))
    effects = attribution.removal_effects(probability, without)
    return MarkovCredit(order, size, probability, without, effects,
                        shared_out(effects, float(paths.conversions.sum())),
                        shared_out(effects, float(paths.values.sum())))


def shared_out(effects: FloatArray, total: float) -> FloatArray:
    """`total` in proportion to the removal effects; all NaN unless every effect is known
    (MODEL.md §8: never share the total out among a subset)."""
    if np.isnan(effects).any():
        return np.full(effects.shape, np.nan)
    return attribution.attributed(effects, total)


def _rows_taken(paths: Paths) -> Paths:
    """The rows anyone took (conversions + nulls above 0), as path_data uses them."""
    weight = paths.conversions + paths.nulls
    if (weight > 0).all():
        return paths
    taken = weight > 0
    lengths = paths.lengths[taken]
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return Paths(paths.channel_count, paths.touches[np.repeat(taken, paths.lengths)], offsets,
                 paths.conversions[taken], paths.values[taken], paths.nulls[taken])


def _states(paths: Paths, order: int) -> tuple[IntArray, IntArray]:
    """Each touch's state number, and each state's channels (most recent first; -1 pads
    a state from the start of a path shorter than the order)."""
    none = paths.channel_count
    base = none + 1
    if base ** order >= 2**62:
        raise ValueError(f"too many channels ({none:,}) for order {order}")
    position = paths.position
    index = np.arange(paths.touches.size, dtype=np.int64)
    code = np.zeros(paths.touches.size, dtype=np.int64)
    for back in range(order):
        earlier = paths.touches[np.maximum(index - back, 0)]
        code = code * base + np.where(position >= back, earlier, none)
    codes, state = np.unique(code, return_inverse=True)
    members = np.empty((codes.size, order), dtype=np.int64)
    rest = codes.copy()
    for back in reversed(range(order)):
        members[:, back] = rest % base
        rest //= base
    members[members == none] = -1
    return state.astype(np.int64), members


def _chain(paths: Paths, state: IntArray, size: int
           ) -> tuple[sp.csr_array, FloatArray, FloatArray]:
    """The step probabilities between states, each state's chance to convert next, and
    the start shares."""
    weight = paths.conversions + paths.nulls
    per_touch = weight[paths.row_of_touch]
    visits = np.bincount(state, weights=per_touch, minlength=size)
    follows = paths.position[1:] > 0  # the next touch is on the same path
    source, target = state[:-1][follows], state[1:][follows]
    counts = sp.csr_array((per_touch[:-1][follows], (source, target)), shape=(size, size))
    steps = sp.csr_array(sp.diags_array(1.0 / visits) @ counts)
    last = state[paths.offsets[1:] - 1]
    finish = np.bincount(last, weights=paths.conversions, minlength=size) / visits
    start = np.bincount(state[paths.offsets[:-1]], weights=weight, minlength=size)
    return steps, finish, start / weight.sum()


def _holders(members: IntArray, count: int) -> sp.csc_array:
    """Column c lists the states that contain channel c (sparse: states x channels)."""
    states = np.repeat(np.arange(members.shape[0]), members.shape[1])
    channels = members.ravel()
    real = channels >= 0
    ones = np.ones(int(real.sum()))
    return sp.csc_array((ones, (states[real], channels[real])),
                        shape=(members.shape[0], count))
