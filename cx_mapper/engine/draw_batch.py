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

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from cx_mapper.engine.attribution import _ancestors
from cx_mapper.engine.batch import TOTAL_KEYS, _mixed
from cx_mapper.engine.draw_solvers import DENSE_FLOATS, DENSE_SIZE, Blocks, solver
from cx_mapper.engine.draws import Pattern
from cx_mapper.engine.matrices import Chain, FloatArray, keep_slope, row_keep

#: Columns of one stacked factorisation (draws x touchpoints): bounds its memory (the
#: factors of a 200-touchpoint journey take about 100 bytes a column).
CHUNK_COLUMNS = 400_000


@dataclass(frozen=True)
class DrawResults:
    """The totals of each draw (N, len(TOTAL_KEYS)), NaN where a draw cannot be
    solved, and when asked the loyalty index's gradient per touchpoint (N, n)."""

    totals: FloatArray
    loyalty_gradient: FloatArray | None


def evaluate(chain: Chain, pattern: Pattern, fields: Mapping[str, FloatArray],
             probabilities: FloatArray, segment_values: Sequence[Mapping[str, FloatArray]],
             shares: Sequence[float], *, gradient: bool = False) -> DrawResults:
    """The totals of draws given as touchpoint `fields` (N, n) by name, transition
    `probabilities` (N, pattern size) and per-segment parameters (N,) by name; the
    chain gives the rest (entry, goals, discount, measured rows)."""
    count = probabilities.shape[0]
    n = chain.size
    step = max(1, CHUNK_COLUMNS // n if n > DENSE_SIZE else DENSE_FLOATS // (n * n))
    blocks = Blocks(pattern, n, chain.delta * probabilities[:1])
    stacked = n > DENSE_SIZE and not blocks.schur
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
        if stacked and len(chunk) > 1:
            # SuperLU lets go of the GIL: segments factorise side by side (1.6x on two
            # cores). The other solvers are many small numpy steps: threads slow them.
            with ThreadPoolExecutor(max_workers=min(len(chunk), os.cpu_count() or 1)) as pool:
                found = list(pool.map(part.segment, chunk, [gradient] * len(chunk)))
        else:
            found = [part.segment(values, gradient) for values in chunk]
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

    def __init__(self, chain: Chain, pattern: Pattern, blocks: Blocks, rows_of: sp.csr_array,
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
        visits_solver = solver(self.blocks, steps)
        loyalty_solver = solver(self.blocks, steps * (1.0 - k)[:, pattern.cols])
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
        through = chain.delta * keep_slope(a, sigma, chain.measured[None, :], scaled)
        grad_interactions = through * v * self.per_row(z_interactions)
        grad_mass = (through * (v * self.per_row(z_mass) + mass * self.per_row((1.0 - k) * y))
                     + k * v * y)
        return sums, np.stack([grad_interactions, grad_mass])

    def _conversion(self, moves: FloatArray) -> FloatArray:
        """P(reach a goal) per draw (§8): undiscounted, rows that cannot reach one kept out."""
        kept = moves * self.live[self.pattern.rows][None, :]
        goal = self.chain.conversion.astype(np.float64)[None, :]
        h = solver(self.blocks, kept).solve(goal, transposed=False)
        result: FloatArray = (self.start[None, :] * h).sum(axis=1)
        return result
