"""Solving I - X for every draw of a journey at once (draw_batch.py's systems).

Three ways, chosen by the journey's size and shape, each exact:

- a small journey (DENSE_SIZE touchpoints or fewer): one dense LAPACK solve per draw,
  all in one batched call;
- a journey whose loops come back to few touchpoints (SCHUR_LIMIT or fewer): ordered
  along the flow with those touchpoints last, I - X is unit upper triangular but for
  their rows and columns. The triangular part is solved by substitution along the
  flow, every draw at once, and the few re-entry touchpoints through their Schur
  complement, a small dense system per draw;
- otherwise one block-diagonal sparse matrix of every draw, factorised once by
  SuperLU in the order whose factors fill in least.

SuperLU spends about a microsecond a column whatever the fill, so 1,000 draws of a
200-touchpoint journey cost 0.12-0.16 s a system that way; the substitution and the
Schur complement take a few milliseconds (draw_batch's benchmark figures are in the
README). A draw whose system is singular (a loop it closes) gets NaN.
"""

from __future__ import annotations

import contextlib
import heapq
from typing import Any

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from cx_mapper.engine.draws import Pattern
from cx_mapper.engine.matrices import FloatArray

#: Up to this many touchpoints each draw's systems are solved dense (DenseSolver).
DENSE_SIZE = 40
#: Floats in one chunk's dense matrices of a system (32 MB): bounds their memory.
DENSE_FLOATS = 4_000_000
#: Up to this many re-entry touchpoints the Schur complement solves (SchurSolver).
SCHUR_LIMIT = 48


class Blocks:
    """What every draw's I - X shares: the pattern X's entries sit on, the order the
    solvers number the touchpoints in, and, for the stacked sparse factorisation, the
    compressed-column structure and how each entry lands in it."""

    def __init__(self, pattern: Pattern, n: int, values: FloatArray) -> None:
        self.n = n
        self.rows, self.cols = pattern.rows, pattern.cols
        along, self.loops = loops_last(pattern, n)
        self.schur = n > DENSE_SIZE and along is not None and self.loops <= SCHUR_LIMIT
        self.order = along if self.schur and along is not None else \
            fill_in_order(pattern, n, values)
        self.position = np.empty(n, np.int64)
        self.position[self.order] = np.arange(n)
        self._csc: tuple[Any, ...] | None = None

    def matrix(self, values: FloatArray) -> sp.csc_array:
        """I - X of every draw as one block-diagonal matrix; `values` (B, entries)."""
        n = self.n
        if self._csc is None:
            rows = self.position[np.concatenate([self.rows, np.arange(n)])]
            cols = self.position[np.concatenate([self.cols, np.arange(n)])]
            keys = cols.astype(np.int64) * n + rows  # column-major, as CSC stores it
            unique, slot = np.unique(keys, return_inverse=True)
            # An entry on the diagonal (a touchpoint looping to itself) adds to I's slot.
            land = sp.csr_array((np.ones(keys.size), (np.arange(keys.size), slot)),
                                shape=(keys.size, unique.size))
            self._csc = (land, int(unique.size), (unique % n).astype(np.int32),
                         np.searchsorted(unique // n, np.arange(n + 1)).astype(np.int64))
        land, slots, indices_one, indptr_one = self._csc
        count = values.shape[0]
        data = np.asarray(np.concatenate([-values, np.ones((count, n))], axis=1) @ land)
        offsets = np.arange(count, dtype=np.int64)
        indptr = np.append((indptr_one[:-1][None, :] + slots * offsets[:, None]).ravel(),
                           slots * count)
        indices = (indices_one[None, :] + n * offsets[:, None].astype(np.int32)).ravel()
        return sp.csc_array((data.ravel(), indices, indptr), shape=(count * n, count * n))


def fill_in_order(pattern: Pattern, n: int, values: FloatArray) -> np.ndarray:
    """The touchpoint order whose factors of I - X fill in least, tried on one draw:
    the touchpoints' own, or the loops' re-entry points last. A journey is mostly a
    flow forwards with loops back: ordered along the flow with the touchpoints the
    loops come back to at the end, I - X is triangular but for those last rows and
    columns (a 200-touchpoint journey looping back to its start: 1,671 entries in
    the factors instead of 21,379)."""
    along, _ = loops_last(pattern, n)
    candidates = [np.arange(n)] + ([along] if along is not None else [])
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
    return np.asarray(best, np.int64)


def loops_last(pattern: Pattern, n: int) -> tuple[np.ndarray | None, int]:
    """Touchpoints in flow order with the targets of the loops back at the end, and how
    many those are: a depth-first walk finds an edge back into its own path for every
    loop; without those edges' targets what is left has no loop and is ordered
    topologically (the touchpoints' own order breaking ties)."""
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
    indegree = np.zeros(n, np.int64)
    np.add.at(indegree, graph.indices, 1)
    ready = [int(i) for i in rest if indegree[i] == 0]
    ordered: list[int] = []
    heapq.heapify(ready)
    while ready:
        node = heapq.heappop(ready)
        ordered.append(node)
        for target in graph.indices[graph.indptr[node]:graph.indptr[node + 1]]:
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, int(target))
    if len(ordered) != rest.size:  # cannot happen: no order along the flow then
        return None, n
    return np.array(ordered + sorted(again), np.int64), len(again)


def solver(blocks: Blocks, values: FloatArray) -> DenseSolver | SchurSolver | StackedSolver:
    """The solver of I - X for these draws' entry values (B, entries)."""
    if blocks.n <= DENSE_SIZE:
        return DenseSolver(blocks, values)
    if blocks.schur:
        return SchurSolver(blocks, values)
    return StackedSolver(blocks, values)


class DenseSolver:
    """One dense LAPACK solve per draw in one batched call: for 12,000 draws of 17
    touchpoints 0.03 s a system, where the stacked sparse factorisation took 0.32 s."""

    def __init__(self, blocks: Blocks, values: FloatArray) -> None:
        self.count, self.n = values.shape[0], blocks.n
        matrices = np.broadcast_to(np.eye(self.n), (self.count, self.n, self.n)).copy()
        # Pattern entries are distinct (row, column) pairs, so one subtraction each.
        matrices[:, blocks.rows, blocks.cols] -= values
        self.matrices = matrices

    def solve(self, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        matrices = np.swapaxes(self.matrices, 1, 2) if transposed else self.matrices
        rhs = np.ascontiguousarray(np.broadcast_to(rhs, (self.count, self.n)))[:, :, None]
        return _batched_solve(matrices, rhs)[:, :, 0]


def _batched_solve(matrices: FloatArray, rhs: FloatArray) -> FloatArray:
    """Each matrix's solve; NaN for the singular ones (a draw that closes a loop)."""
    try:
        return np.asarray(np.linalg.solve(matrices, rhs), np.float64)
    except np.linalg.LinAlgError:
        out = np.full(np.broadcast_shapes(rhs.shape, matrices.shape[:-1] + rhs.shape[-1:]),
                      np.nan)
        for b in range(matrices.shape[0]):
            with contextlib.suppress(np.linalg.LinAlgError):
                out[b] = np.linalg.solve(matrices[b], rhs[b])
        return out


class SchurSolver:
    """I - X ordered along the flow, the f re-entry touchpoints last:
    [[I - U, -X_AF], [-X_FA, I - X_FF]] with U strictly upper triangular. Solves by
    substitution along the flow for the first block (every draw at once, a step per
    touchpoint) and the f x f Schur complement S = I - X_FF - X_FA (I - U)^-1 X_AF
    per draw for the rest."""

    def __init__(self, blocks: Blocks, values: FloatArray) -> None:
        n, f = blocks.n, blocks.loops
        self.count, self.n, self.m, self.blocks = values.shape[0], n, n - f, blocks
        m = self.m
        rows, cols = blocks.position[blocks.rows], blocks.position[blocks.cols]
        inner = (rows < m) & (cols < m)
        self.values = values
        self.by_entry = np.ascontiguousarray(values.T)  # (entries, B)
        # The substitution's steps: per touchpoint of the flow, its entries to later ones
        # (by row, for I - U) and from earlier ones (by column, for its transpose).
        upper = np.flatnonzero(inner)
        self.by_row = _grouped(rows[upper], upper, m)
        self.by_column = _grouped(cols[upper], upper, m)
        self.rows, self.cols = rows, cols
        out_f = np.flatnonzero((rows < m) & (cols >= m))  # X_AF
        in_f = np.flatnonzero((rows >= m) & (cols < m))  # X_FA
        among_f = np.flatnonzero((rows >= m) & (cols >= m))  # X_FF
        count = self.count
        x_af = np.zeros((count, m, f))
        x_af[:, rows[out_f], cols[out_f] - m] = values[:, out_f]
        self.x_fa = np.zeros((count, f, m))
        self.x_fa[:, rows[in_f] - m, cols[in_f]] = values[:, in_f]
        self.x_af = x_af
        schur = np.broadcast_to(np.eye(f), (count, f, f)).copy()
        schur[:, rows[among_f] - m, cols[among_f] - m] -= values[:, among_f]
        self.g = self._along(x_af, transposed=False)  # (I - U)^-1 X_AF
        schur -= np.einsum("bfm,bmg->bfg", self.x_fa, self.g)
        self.schur = schur
        self._h: FloatArray | None = None  # (I - U)^-T X_FA^T, when a transposed solve asks

    def _along(self, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        """(I - U)^-1 rhs, or its transpose's, for rhs (B, m, k): x = rhs + U x solved a
        touchpoint at a time, every draw and column at once."""
        # Touchpoint-major, so each step reads and writes whole rows (3x faster).
        x = np.ascontiguousarray(rhs.transpose(1, 0, 2))  # (m, B, k)
        steps = self.by_column if transposed else self.by_row
        order = range(self.m) if transposed else range(self.m - 1, -1, -1)
        others = self.rows if transposed else self.cols
        weights = self.by_entry
        for i in order:
            entries = steps[i]
            if entries.size:
                x[i] += (weights[entries][:, :, None] * x[others[entries]]).sum(axis=0)
        return x.transpose(1, 0, 2)

    def solve(self, rhs: FloatArray, *, transposed: bool) -> FloatArray:
        order, m = self.blocks.order, self.m
        b = np.broadcast_to(rhs, (self.count, self.n))[:, order][:, :, None]
        first, last = b[:, :m, :], b[:, m:, :]
        if not transposed:
            y = self._along(first, transposed=False)
            tail = _batched_solve(self.schur, last + np.einsum("bfm,bmk->bfk", self.x_fa, y))
            head = y + np.einsum("bmf,bfk->bmk", self.g, tail)
        else:
            if self._h is None:
                self._h = self._along(np.swapaxes(self.x_fa, 1, 2), transposed=True)
            y = self._along(first, transposed=True)
            tail = _batched_solve(np.swapaxes(self.schur, 1, 2),
                                  last + np.einsum("bmf,bmk->bfk", self.x_af, y))
            head = y + np.einsum("bmf,bfk->bmk", self._h, tail)
        solved = np.concatenate([head, tail], axis=1)[:, :, 0]
        return solved[:, self.blocks.position]


def _grouped(keys: np.ndarray, entries: np.ndarray, m: int) -> list[np.ndarray]:
    """`entries` grouped by `keys` (0..m-1)."""
    order = np.argsort(keys, kind="stable")
    bounds = np.searchsorted(keys[order], np.arange(m + 1))
    return [entries[order[bounds[i]:bounds[i + 1]]] for i in range(m)]


class StackedSolver:
    """Every draw's I - X as one block-diagonal matrix, factorised once by SuperLU; if
    the stack is singular, draw by draw, with NaN for the draws that are."""

    def __init__(self, blocks: Blocks, values: FloatArray) -> None:
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
