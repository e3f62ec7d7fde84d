"""Totals of many draws of one journey at once, each exact (MODEL.md §1-9, mixed as §11).

A draw changes any touchpoint figure, any transition probability and any segment
parameter, so draws share nothing but the journey's pattern of transitions. Each
system (visits, loyalty mass, conversion) of every draw is stacked into one
block-diagonal sparse matrix and factorised once by SuperLU in the touchpoints' own
order: for 1,000 draws of a 200-touchpoint journey that is one 200,000-column
factorisation of about 0.15 s, where 1,000 separate ones would pay Python's call
overhead a thousand times. The sums are batch.py's (§3-7); the conversion is §8's;
the loyalty index's gradient is sensitivity.py's (§9), which ranks what to fix first.

A draw whose system cannot be solved (a loop it closes with no discount) gets NaN.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from cx_mapper.engine.attribution import _ancestors
from cx_mapper.engine.batch import TOTAL_KEYS, _mixed
from cx_mapper.engine.draws import Pattern
from cx_mapper.engine.matrices import Chain, FloatArray, row_keep

#: Up to this many touchpoints each draw's systems are solved dense (_DenseSolver).
DENSE_SIZE = 40
#: Floats in one chunk's dense matrices of a system (32 MB): bounds their memory.
DENSE_FLOATS = 4_000_000
#: Columns of one stacked factorisation (draws x touchpoints): bounds its memory (the
#: factors of a 200-touchpoint journey take about 100 bytes a column).
CHUNK_COLUMNS = 400_000


@dataclass(frozen=True)
class DrawResults:
    """The totals of each draw (N, len(TOTAL_KEYS)), NaN where a draw cannot be
    solved, and when asked the loyalty index's gradient per touchpoint (N, n)."""

    totals: FloatArray
    loyalty_gradient: FloatArray | None


class _Blocks:
    """The sparse structure of I - X for a pattern X, per draw: X's entries and the
    diagonal, in compressed-column order, and how each entry lands in it. Touchpoints
    are renumbered (`order`) so that the factors fill in little (fill_in_order)."""

    def __init__(self, pattern: Pattern, n: int, values: FloatArray) -> None:
        self.n = n
        self.rows, self.cols = pattern.rows, pattern.cols
        self.order = fill_in_order(pattern, n, values)
        self.position = np.empty(n, np.int64)
        self.position[self.order] = np.arange(n)
        rows = self.position[np.concatenate([pattern.rows, np.arange(n)])]
        cols = self.position[np.concatenate([pattern.cols, np.arange(n)])]
        keys = cols.astype(np.int64) * n + rows  # column-major, as CSC stores it
        unique, slot = np.unique(keys, return_inverse=True)
        self.slots = int(unique.size)
        # An entry on the diagonal (a touchpoint that loops to itself) adds to I's slot.
        self.land = sp.csr_array((np.ones(keys.size), (np.arange(keys.size), slot)),
                                 shape=(keys.size, self.slots))
        self.indices = (unique % n).astype(np.int32)
        self.indptr = np.searchsorted(unique // n, np.arange(n + 1)).astype(np.int64)

    def matrix(self, values: FloatArray) -> sp.csc_array:
        """I - X of every draw as one block-diagonal matrix; `values` (B, entries)."""
        count, n = values.shape[0], self.n
        data = np.asarray(np.concatenate([-values, np.ones((count, n))], axis=1) @ self.land)
        offsets = np.arange(count, dtype=np.int64)
        indptr = np.append((self.indptr[:-1][None, :] + self.slots * offsets[:, None]).ravel(),
                           self.slots * count)
        indices = (self.indices[None, :] + n * offsets[:, None].astype(np.int32)).ravel()
        return sp.csc_array((data.ravel(), indices, indptr), shape=(count * n, count * n))


def fill_in_order(pattern: Pattern, n: int, values: FloatArray) -> np.ndarray:
    """The touchpoint order whose factors of I - X fill in least, tried on one draw:
    the touchpoints' own, or the loops' re-entry points last. A journey is mostly a
    flow forwards with loops back: ordered along the flow with the touchpoints the
    loops come back to at the end, I - X is triangular but for those last rows and
    columns (a 200-touchpoint journey looping back to its start: 1,671 entries in
    the factors instead of 21,379)."""
    candidates = [np.arange(n), _loops_last(pattern, n)]
    best, fewest = candidates[0], None
    for order in candidates:
        position = np.empty(n, np.int64)
        position[order] = np.arange(n)
        one = sp.csc_array((np.concatenate([-values[0], np.ones(n)]),
                            (position[np.concatenate([pattern.rows, np.arange(n)])],
                             position[np.concatenate([pattern.cols, np.arange(n)])])),
                           shape=(n, n))
        try:
            lu = spla.splu(one, permc_spec="NATURAL", diag_pivot_thresh=0.0)
        except RuntimeError:
            continue
        fill = lu.L.nnz + lu.U.nnz
        if fewest is None or fill < fewest:
            best, fewest = order, fill
    return best


def _loops_last(pattern: Pattern, n: int) -> np.ndarray:
    """Touchpoints in flow order with the targets of the loops back at the end: a
    depth-first walk finds an edge back into its own path for every loop; without
    those edges' targets what is left has no loop and is ordered topologically."""
    starts = np.searchsorted(pattern.rows, np.arange(n + 1))
    state = np.zeros(n, np.int8)  # 0 new, 1 on the path, 2 done
    again: set[int] = set()
    for root in range(n):
        if state[root]:
            continue
        stack = [(root, int(starts[root]))]
        state[root] = 1
        while stack:
            node, at = stack[-1]
            if at < starts[node + 1]:
                stack[-1] = (node, at + 1)
                target = int(pattern.cols[at])
                if state[target] == 1:
                    again.add(target)
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, int(starts[target])))
            else:
                state[node] = 2
                stack.pop()
    rest = np.array([i for i in range(n) if i not in again], np.int64)
    keep = ~np.isin(pattern.rows, list(again)) & ~np.isin(pattern.cols, list(again))
    graph = sp.csr_array((np.ones(int(keep.sum())), (pattern.rows[keep], pattern.cols[keep])),
                         shape=(n, n))
    # Kahn's order over what is left, the touchpoints' own order breaking ties.
    indegree = np.zeros(n, np.int64)
    np.add.at(indegree, graph.indices, 1)
    ready = [int(i) for i in rest if indegree[i] == 0]
    ordered: list[int] = []
    import heapq
    heapq.heapify(ready)
    while ready:
        node = heapq.heappop(ready)
        ordered.append(node)
        for target in graph.indices[graph.indptr[node]:graph.indptr[node + 1]]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, int(target))
    if len(ordered) != rest.size:  # cannot happen; the touchpoints' own order then
        return np.arange(n)
    return np.array(ordered + sorted(again), np.int64)


def _solver(blocks: _Blocks, values: FloatArray) -> _Solver | _DenseSolver:
    return _DenseSolver(blocks, values) if blocks.n <= DENSE_SIZE else _Solver(blocks, values)


class _DenseSolver:
    """Solves I - X for every draw of a small journey, one dense LAPACK solve per draw in
    one batched call: for 12,000 draws of 17 touchpoints 0.03 s a system where the
    stacked sparse factorisation took 0.32 s (SuperLU's cost per column dominates)."""

    def __init__(self, blocks: _Blocks, values: FloatArray) -> None:
        self.count, self.n = values.shape[0], blocks.n
        matrices = np.broadcast_to(np.eye(self.n), (self.count, self.n, self.n)).copy()
        # Pattern entries are distinct (row, column) pairs, so one subtraction each.
        matrices[:, blocks.rows, blocks.cols] -= values
        self.matrices = matrices

    def solve(self, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        matrices = np.swapaxes(self.matrices, 1, 2) if transposed else self.matrices
        rhs = np.ascontiguousarray(np.broadcast_to(rhs, (self.count, self.n)))[:, :, None]
        try:
            solved: FloatArray = np.asarray(np.linalg.solve(matrices, rhs)[:, :, 0], np.float64)
            return solved
        except np.linalg.LinAlgError:  # a draw closes a loop: solve each, NaN for those
            out = np.full((self.count, self.n), np.nan)
            for b in range(self.count):
                with contextlib.suppress(np.linalg.LinAlgError):
                    out[b] = np.linalg.solve(matrices[b], rhs[b])[:, 0]
            return out


class _Solver:
    """Solves I - X for every draw at once; if the stack is singular, draw by draw,
    with NaN for the draws that are."""

    def __init__(self, blocks: _Blocks, values: FloatArray) -> None:
        self.count, self.n = values.shape[0], blocks.n
        self.blocks = blocks
        matrix = blocks.matrix(values)
        self.parts: list[Any] | None = None
        try:
            # I - X is an M-matrix: its LU needs no pivoting, which keeps the order's fill.
            self.lu: Any = spla.splu(matrix, permc_spec="NATURAL", diag_pivot_thresh=0.0)
        except RuntimeError:  # exactly singular somewhere
            self.lu = None
            n = self.n
            self.parts = []
            for b in range(self.count):
                block = sp.csc_array(matrix[b * n:(b + 1) * n, b * n:(b + 1) * n])
                try:
                    self.parts.append(spla.splu(block, permc_spec="NATURAL",
                                                diag_pivot_thresh=0.0))
                except RuntimeError:
                    self.parts.append(None)

    def solve(self, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        trans = "T" if transposed else "N"
        rhs = np.ascontiguousarray(np.broadcast_to(rhs, (self.count, self.n))[:, self.blocks.order],
                                   np.float64)
        if self.lu is not None:
            solved: FloatArray = self.lu.solve(rhs.ravel(), trans=trans).reshape(rhs.shape)
            return solved[:, self.blocks.position]
        out = np.full(rhs.shape, np.nan)
        for b, lu in enumerate(self.parts or []):
            if lu is not None:
                out[b] = lu.solve(rhs[b], trans=trans)
        return out[:, self.blocks.position]


def evaluate(chain: Chain, pattern: Pattern, fields: Mapping[str, FloatArray],
             probabilities: FloatArray, segment_values: Sequence[Mapping[str, FloatArray]],
             shares: Sequence[float], *, gradient: bool = False) -> DrawResults:
    """The totals of draws given as touchpoint `fields` (N, n) by name, transition
    `probabilities` (N, pattern size) and per-segment parameters (N,) by name; the
    chain gives the rest (entry, goals, discount, measured rows)."""
    count = probabilities.shape[0]
    n = chain.size
    step = max(1, CHUNK_COLUMNS // n if n > DENSE_SIZE else DENSE_FLOATS // (n * n))
    blocks = _Blocks(pattern, n, chain.delta * probabilities[:1])
    rows_of = sp.csr_array((np.ones(pattern.size), (np.arange(pattern.size), pattern.rows)),
                           shape=(pattern.size, n))
    goal = chain.conversion
    live = np.zeros(n, bool)
    if goal.any():
        union = sp.csr_array((np.ones(pattern.size), (pattern.rows, pattern.cols)), shape=(n, n))
        live = _ancestors(union, goal) & ~goal
    totals = np.empty((count, len(TOTAL_KEYS)))
    grads = np.empty((count, n)) if gradient else None
    for begin in range(0, count, step):
        end = min(count, begin + step)
        part = _Part(chain, pattern, blocks, rows_of, live,
                     {k: v[begin:end] for k, v in fields.items()}, probabilities[begin:end])
        sums = np.zeros((end - begin, 10))
        mixed_grads = np.zeros((2, end - begin, n)) if gradient else None
        chunk = [{k: v[begin:end] for k, v in values.items()} for values in segment_values]
        # SuperLU lets go of the GIL: segments factorise side by side (1.6x on two cores).
        with ThreadPoolExecutor(max_workers=min(len(chunk), os.cpu_count() or 1)) as pool:
            found = list(pool.map(part.segment, chunk, [gradient] * len(chunk)))
        for (seg_sums, seg_grads), share in zip(found, shares, strict=True):
            sums += share * seg_sums
            if mixed_grads is not None and seg_grads is not None:
                mixed_grads += share * seg_grads
        totals[begin:end] = _mixed(sums, bool(goal.any()))
        if grads is not None and mixed_grads is not None:
            interactions = sums[:, 0:1]
            index = sums[:, 1:2] / interactions
            grads[begin:end] = (mixed_grads[1] - index * mixed_grads[0]) / interactions
    return DrawResults(totals, grads)


class _Part:
    """A chunk of draws: what every segment shares."""

    def __init__(self, chain: Chain, pattern: Pattern, blocks: _Blocks, rows_of: sp.csr_array,
                 live: np.ndarray, fields: Mapping[str, FloatArray],
                 probabilities: FloatArray) -> None:
        self.chain, self.pattern, self.blocks, self.rows_of, self.live = (
            chain, pattern, blocks, rows_of, live)
        self.fields = fields
        self.p = probabilities
        self.row_sums = np.asarray(probabilities @ rows_of)
        self.start = chain.entry / chain.entry.sum()

    def per_row(self, x: FloatArray) -> FloatArray:
        """(P x) per touchpoint and draw: each row of P times x."""
        return np.asarray((self.p * x[:, self.pattern.cols]) @ self.rows_of)

    def segment(self, values: Mapping[str, FloatArray], gradient: bool
                ) -> tuple[FloatArray, FloatArray | None]:
        chain, pattern = self.chain, self.pattern
        sigma = self.fields["satisfaction"]
        nu = self.fields["visibility"]
        r = self.fields["value"]

        def param(name: str) -> FloatArray:
            return values[name][:, None]

        a = param("abandon_on_poor")
        keep, scaled = row_keep(a, sigma, chain.measured, self.row_sums)  # type: ignore[arg-type]
        moves = keep[:, pattern.rows] * self.p
        steps = chain.delta * moves
        k = param("memory") * self.fields["impact"]
        visits_solver = _solver(self.blocks, steps)
        loyalty_solver = _solver(self.blocks, steps * (1.0 - k)[:, pattern.cols])
        s = self.start[None, :]
        v = visits_solver.solve(s, transposed=True)
        mass = loyalty_solver.solve((1.0 - k) * s * param("initial_loyalty") + k * sigma * v,
                                    transposed=True)
        tell_positive = param("tell_positive") * np.maximum(sigma, 0.0)
        tell_negative = param("tell_negative") * np.maximum(-sigma, 0.0)
        reach_public = nu * param("public_reach")
        reach = (1.0 - nu) + reach_public
        trusted = param("trust_private") * (1.0 - nu) + param("trust_public") * reach_public
        talk = tell_positive + tell_negative
        sums = np.empty((sigma.shape[0], 10))
        sums[:, 0] = v.sum(axis=1)
        sums[:, 1] = mass.sum(axis=1)
        sums[:, 2] = (v * r).sum(axis=1) + values["spend_uplift"] * (mass * r).sum(axis=1)
        sums[:, 3] = (v * tell_positive * reach).sum(axis=1)
        sums[:, 4] = (v * tell_negative * reach).sum(axis=1)
        sums[:, 5] = (v * talk * (1.0 - nu)).sum(axis=1)
        sums[:, 6] = (v * talk * reach_public).sum(axis=1)
        sums[:, 7] = (v * param("referral_conversion") * tell_positive * trusted).sum(axis=1)
        sums[:, 8] = (v * param("deterrence") * tell_negative * trusted).sum(axis=1)
        sums[:, 9] = self._conversion(moves) if chain.conversion.any() else np.nan
        if not gradient:
            return sums, None
        # sensitivity.py's adjoint, for the interactions and the loyalty mass.
        ones = np.ones_like(sigma)
        y = loyalty_solver.solve(ones, transposed=False)
        z_interactions = visits_solver.solve(ones, transposed=False)
        z_mass = visits_solver.solve(k * sigma * y, transposed=False)
        measured = chain.measured[None, :]
        kept_then = np.where(np.isnan(measured), 1.0,
                             1.0 - a * np.maximum(-np.nan_to_num(measured), 0.0))
        slope = np.divide(np.broadcast_to(a, kept_then.shape), kept_then,
                          out=np.zeros(kept_then.shape), where=kept_then > 0.0)
        through = chain.delta * np.where((sigma >= 0.0) | scaled, 0.0, slope)
        grad_interactions = through * v * self.per_row(z_interactions)
        grad_mass = (through * (v * self.per_row(z_mass) + mass * self.per_row((1.0 - k) * y))
                     + k * v * y)
        return sums, np.stack([grad_interactions, grad_mass])

    def _conversion(self, moves: FloatArray) -> FloatArray:
        """P(reach a goal) per draw (§8): undiscounted, rows that cannot reach one kept out."""
        kept = moves * self.live[self.pattern.rows][None, :]
        goal = self.chain.conversion.astype(np.float64)[None, :]
        h = _solver(self.blocks, kept).solve(goal, transposed=False)
        result: FloatArray = (self.start[None, :] * h).sum(axis=1)
        return result
