"""Totals of many variants of one journey at once (MODEL.md §1-8, mixed as §11).

A variant is the journey with some touchpoint fields and some rows of transition
probabilities changed: a bundle of opportunities (plan.py) or, later, a draw of
uncertain inputs. Only the totals are computed, which is what lets variants share work:

- small maps: every variant's dense I - Q is stacked and solved in one batched call,
  column by column (s (I - Q)^-1 c for each sum c);
- larger maps: the base journey is factorised once and each variant is the base plus
  the few rows it changes, S = S0 - E_W D with G = S0^-1 E_W. Each variant solves the
  transposed systems, one column each: the visits v = S^-T s (§3) and the loyalty mass
  (§4), whose dot products with the weights give every sum. By Woodbury,
  S^-T r = S0^-T r + S0^-T D^T (I - D G)^-T (S0^-T r)[W]: one product on the base's
  inverse (or factors) and a w x w solve per variant, w the number of changed rows.
  (Ten columns per variant solved forwards took 1.6x as long: 15.4 s against 9.7 s
  for the 32,768 bundles of 15 opportunities on 200 touchpoints.)

A finite horizon is summed step by step (v_t+1 = v_t Q). Conversion (§8) ignores it.
A variant that cannot be solved (a closed loop with no discount) gets NaN totals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from cx_mapper.domain.project import Segment
from cx_mapper.domain.ranges import NEGLIGIBLE_PROBABILITY
from cx_mapper.engine.attribution import _ancestors
from cx_mapper.engine.matrices import Chain, FloatArray, row_keep, row_sums

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
Step = Callable[[FloatArray], FloatArray]

#: The totals, in analyze's order (results.Totals, kpis.TOTAL_KPIS).
TOTAL_KEYS: tuple[str, ...] = (
    "interactions", "loyalty_index", "value", "exposure_positive", "exposure_negative",
    "exposure_net", "exposure_private", "exposure_public", "referral_r", "deterred",
    "conversion_probability",
)
#: Up to this many touchpoints, variants that change many rows (a quarter or more, such
#: as draws of uncertain inputs) are solved densely in one batched call. Bundles change
#: a few rows: the base's factors were 2.5x faster at 50 touchpoints and 1.2x at 20
#: (4,096 bundles of 12 opportunities).
DENSE_LIMIT = 60
#: Floats held per chunk of variants (about 64 MB), which bounds the memory of a batch.
CHUNK_FLOATS = 8_000_000
#: A w x w correction this badly conditioned means the variant's I - Q is singular.
SINGULAR_CONDITION = 1e12
#: Up to this many touchpoints the base's inverse is kept dense (32 MB at 2,000).
INVERSE_LIMIT = 2_000

# Additive sums per segment, mixed by share before the ratios are formed (§11).
_SUMS = ("interactions", "mass", "value", "exposure_positive", "exposure_negative",
         "exposure_private", "exposure_public", "referral_r", "deterred", "conversion")


@dataclass(frozen=True, eq=False)
class ChainBatch:
    """B variants of a base chain on the same touchpoints, in the same order.

    Touchpoint fields are given whole per variant; `entry` need not be normalised.
    Transition probabilities equal the base's except on `rows`, whose whole rows are
    `row_probabilities[b, i]` (dense, one per row). A touchpoint whose satisfaction
    differs from the base must be among `rows` (its abandonment scales its row).
    """

    satisfaction: FloatArray  # (B, n)
    visibility: FloatArray
    value: FloatArray
    impact: FloatArray
    entry: FloatArray
    rows: IntArray  # (w,)
    row_probabilities: FloatArray  # (B, w, n)

    @property
    def size(self) -> int:
        return int(self.satisfaction.shape[0])

    def part(self, begin: int, end: int) -> ChainBatch:
        return ChainBatch(self.satisfaction[begin:end], self.visibility[begin:end],
                          self.value[begin:end], self.impact[begin:end],
                          self.entry[begin:end], self.rows, self.row_probabilities[begin:end])


def chains_batch(base: Chain, chains: Sequence[Chain]) -> ChainBatch:
    """Patched chains of the base's touchpoints (same ids, same order) as a batch: the
    rows that differ from the base in any of them are found here."""
    for chain in chains:
        if chain.ids != base.ids:
            raise ValueError("Every chain of a batch must have the base's touchpoints.")
    p0 = sp.csr_array(base.probabilities)
    changed = np.zeros(base.size, bool)
    for chain in chains:
        diff = sp.csr_array(sp.csr_array(chain.probabilities) - p0)
        diff.eliminate_zeros()
        changed[np.unique(diff.tocoo().row)] = True
        changed |= chain.satisfaction != base.satisfaction
    rows = np.flatnonzero(changed).astype(np.int64)

    def stacked(name: str) -> FloatArray:
        return np.stack([np.asarray(getattr(chain, name), np.float64) for chain in chains])

    row_probabilities = np.stack([sp.csr_array(chain.probabilities)[rows].toarray()
                                  if rows.size else np.zeros((0, base.size))
                                  for chain in chains]) if chains else \
        np.zeros((0, rows.size, base.size))
    return ChainBatch(stacked("satisfaction"), stacked("visibility"), stacked("value"),
                      stacked("impact"), stacked("entry"), rows, row_probabilities)


def single(chain: Chain) -> ChainBatch:
    """The chain itself as a batch of one (no changed rows)."""
    def one(values: FloatArray) -> FloatArray:
        return np.asarray(values, dtype=np.float64)[None, :].copy()

    return ChainBatch(one(chain.satisfaction), one(chain.visibility), one(chain.value),
                      one(chain.impact), one(chain.entry), np.zeros(0, np.int64),
                      np.zeros((1, 0, chain.size)))


class Evaluator:
    """Totals of ChainBatches of one base chain, for fixed segments and horizon.

    `row_support` (w, n) marks every transition any variant may have on `rows`: the
    conversion solve needs to know, once, which touchpoints could ever reach a goal.
    Pure apart from a cache of factorisations it fills as batches come: give each
    thread its own evaluator (plan() builds one per call).
    """

    def __init__(self, base: Chain, segments: Sequence[Segment], shares: Sequence[float],
                 horizon: int | None = None, rows: IntArray | None = None,
                 row_support: BoolArray | None = None, *, dense: bool | None = None) -> None:
        if base.layers != 1:
            raise ValueError("The base chain must not be unrolled; pass the horizon instead.")
        self.base = base
        self.segments = tuple(segments)
        self.shares = np.asarray(shares, dtype=np.float64)
        self.horizon = horizon
        self.rows = np.zeros(0, np.int64) if rows is None else np.asarray(rows, np.int64)
        n = base.size
        support = (np.zeros((self.rows.size, n), bool) if row_support is None
                   else np.asarray(row_support, bool))
        self.dense = (n <= DENSE_LIMIT and 4 * self.rows.size >= n) if dense is None \
            else dense
        self.has_goal = bool(base.conversion.any())
        self._p0 = sp.csr_array(base.probabilities)
        self.row_sums = row_sums(self._p0)
        union = self._p0.copy().tolil()
        for i, row in enumerate(self.rows):
            union[row, np.flatnonzero(support[i])] = 1.0
        union_csr = sp.csr_array(union)
        union_csr.data[:] = 1.0
        #: Touchpoints that no variant can lead to a goal: their rows never matter (§8).
        self._never_converts = ~_ancestors(union_csr, base.conversion) if self.has_goal \
            else np.ones(n, bool)
        self._segments = [_SegmentBase(self, s) for s in self.segments] if not self.dense \
            else []

    # -- the public call ------------------------------------------------------------------
    def totals(self, batch: ChainBatch) -> FloatArray:
        """(B, len(TOTAL_KEYS)) totals; conversion_probability is NaN without a goal, and
        a variant that cannot be solved is NaN throughout."""
        if not np.array_equal(batch.rows, self.rows):
            raise ValueError("The batch changes other rows than the evaluator was built for.")
        n, w = self.base.size, self.rows.size
        per_variant = max(1, n * (w + 12) + (n * n if self.dense else 0))
        chunk = max(1, CHUNK_FLOATS // per_variant)
        parts = [self._chunk(batch.part(b, b + chunk)) for b in range(0, batch.size, chunk)]
        return np.concatenate(parts) if parts else np.zeros((0, len(TOTAL_KEYS)))

    def _chunk(self, batch: ChainBatch) -> FloatArray:
        sums = np.zeros((batch.size, len(_SUMS)))
        for index, (segment, share) in enumerate(zip(self.segments, self.shares, strict=True)):
            variant = _Variant(self, segment, batch)
            part = (_dense_sums(self, variant) if self.dense
                    else self._segments[index].sums(variant))
            sums += share * part
        return _mixed(sums, self.has_goal)


def _mixed(sums: FloatArray, has_goal: bool) -> FloatArray:
    out = np.empty((sums.shape[0], len(TOTAL_KEYS)))
    column = {key: i for i, key in enumerate(_SUMS)}

    def get(key: str) -> FloatArray:
        return sums[:, column[key]]

    with np.errstate(invalid="ignore", divide="ignore"):
        out[:, 0] = get("interactions")
        out[:, 1] = get("mass") / get("interactions")
    for i, key in enumerate(TOTAL_KEYS):
        if key in column and i > 1:
            out[:, i] = get(key)
    out[:, TOTAL_KEYS.index("exposure_net")] = get("exposure_positive") - get("exposure_negative")
    out[:, -1] = get("conversion") if has_goal else np.nan
    bad = ~np.isfinite(out[:, :-1]).all(axis=1)
    out[bad] = np.nan
    return out


class _Variant:
    """One segment's view of a chunk of variants: the per-touchpoint arrays of §1-7."""

    def __init__(self, evaluator: Evaluator, segment: Segment, batch: ChainBatch) -> None:
        base = evaluator.base
        self.segment = segment
        self.delta = base.delta
        sigma = batch.satisfaction
        nu = batch.visibility
        entry = batch.entry
        self.start = entry / entry.sum(axis=1, keepdims=True)
        self.sigma = sigma
        self.k = segment.memory * batch.impact
        probabilities = np.where(batch.row_probabilities > NEGLIGIBLE_PROBABILITY,
                                 batch.row_probabilities, 0.0)
        rows = evaluator.rows
        sums = np.broadcast_to(evaluator.row_sums, sigma.shape).copy()
        sums[:, rows] = probabilities.sum(axis=2)
        self.keep = row_keep(segment.abandon_on_poor, sigma, base.measured, sums)[0]
        self.moves_rows = self.keep[:, rows][:, :, None] * probabilities  # P~ on the rows
        tell_positive = segment.tell_positive * np.maximum(sigma, 0.0)
        tell_negative = segment.tell_negative * np.maximum(-sigma, 0.0)
        reach = (1.0 - nu) + nu * segment.public_reach
        trusted = segment.trust_private * (1.0 - nu) + segment.trust_public * nu * \
            segment.public_reach
        talk = tell_positive + tell_negative
        # Weights c of v . c for the visit-based sums (§5-7), in _SUMS order after mass.
        self.visit_weights = np.stack([
            np.ones_like(sigma),
            batch.value,
            tell_positive * reach,
            tell_negative * reach,
            talk * (1.0 - nu),
            talk * nu * segment.public_reach,
            segment.referral_conversion * tell_positive * trusted,
            segment.deterrence * tell_negative * trusted,
        ], axis=2)  # (B, n, 8)
        self.value = batch.value

    def sums(self, visit_solve: FloatArray, mass_solve: FloatArray, conversion: FloatArray
             ) -> FloatArray:
        """The additive sums from z = A^-1 [c | k sigma y] and y = B^-1 [1, r]."""
        s = self.start
        l0 = self.segment.initial_loyalty
        u = self.segment.spend_uplift
        visit = np.einsum("bn,bnc->bc", s, visit_solve)  # s . A^-1 c
        from_start = np.einsum("bn,bnc->bc", (1.0 - self.k) * s * l0, mass_solve)
        mass = from_start + visit[:, 8:10]  # [M . 1, M . r]
        out = np.empty((s.shape[0], len(_SUMS)))
        out[:, 0] = visit[:, 0]
        out[:, 1] = mass[:, 0]
        out[:, 2] = visit[:, 1] + u * mass[:, 1]
        out[:, 3:9] = visit[:, 2:8]
        out[:, 9] = conversion
        return out

    def sums_from_visits(self, visits: FloatArray, mass: FloatArray, conversion: FloatArray
                         ) -> FloatArray:
        """The same sums from visits v and loyalty mass M per touchpoint (finite horizon)."""
        u = self.segment.spend_uplift
        visit = np.einsum("bn,bnc->bc", visits, self.visit_weights)
        out = np.empty((visits.shape[0], len(_SUMS)))
        out[:, 0] = visit[:, 0]
        out[:, 1] = mass.sum(axis=1)
        out[:, 2] = visit[:, 1] + u * np.einsum("bn,bn->b", mass, self.value)
        out[:, 3:9] = visit[:, 2:8]
        out[:, 9] = conversion
        return out


# -- small maps: one batched dense solve ----------------------------------------------------
def _dense_sums(evaluator: Evaluator, variant: _Variant) -> FloatArray:
    base = evaluator.base
    n = base.size
    count = variant.start.shape[0]
    moves = np.broadcast_to(base.probabilities.toarray(), (count, n, n)).copy()
    moves *= variant.keep[:, :, None]
    moves[:, evaluator.rows, :] = variant.moves_rows
    steps = variant.delta * moves
    loyalty_steps = steps * (1.0 - variant.k)[:, None, :]
    conversion = _dense_conversion(base, variant, moves) if evaluator.has_goal \
        else np.full(count, np.nan)
    if evaluator.horizon is not None:
        visits, mass = _stepped(variant, evaluator.horizon,
                                lambda x: np.einsum("bn,bnm->bm", x, steps),
                                lambda x: np.einsum("bn,bnm->bm", x, loyalty_steps))
        return variant.sums_from_visits(visits, mass, conversion)
    eye = np.eye(n)
    singular = _singular(eye - steps, moves) if variant.delta >= 1.0 else np.zeros(count, bool)
    visits_matrix = eye - steps
    loyalty_matrix = eye - loyalty_steps
    visits_matrix[singular] = eye
    loyalty_matrix[singular] = eye
    y = np.linalg.solve(loyalty_matrix, np.stack([np.ones((count, n)), variant.value], axis=2))
    rhs = np.concatenate([variant.visit_weights, (variant.k * variant.sigma)[:, :, None] * y],
                         axis=2)
    z = np.linalg.solve(visits_matrix, rhs)
    out = variant.sums(z, y, conversion)
    out[singular] = np.nan
    return out


def _singular(matrices: FloatArray, moves: FloatArray) -> BoolArray:
    """Undiscounted variants whose I - Q is singular (a closed loop). Only a variant with
    a row that keeps everyone (sum 1) can have one, so only those are checked."""
    risky = (moves.sum(axis=2) >= 1.0 - 1e-9).any(axis=1)
    singular = np.zeros(moves.shape[0], bool)
    if risky.any():
        singular[risky] = np.linalg.cond(matrices[risky]) > SINGULAR_CONDITION
    return singular


def _dense_conversion(base: Chain, variant: _Variant, moves: FloatArray) -> FloatArray:
    """P(reach a goal), undiscounted; touchpoints that cannot reach one keep no row."""
    goal = base.conversion
    live = np.broadcast_to(goal, moves.shape[:2]).copy()
    edges = (moves > 0).astype(np.float64)
    while True:
        grown = live | (np.einsum("bnm,bm->bn", edges, live.astype(np.float64)) > 0)
        if (grown == live).all():
            break
        live = grown
    kept = moves * (live & ~goal)[:, :, None]
    n = base.size
    goals = np.broadcast_to(goal.astype(np.float64)[:, None], (moves.shape[0], n, 1))
    h = np.linalg.solve(np.eye(n) - kept, goals)[:, :, 0]
    result: FloatArray = np.einsum("bn,bn->b", variant.start, h)
    return result


def _stepped(variant: _Variant, horizon: int, step: Step, loyalty_step: Step
             ) -> tuple[FloatArray, FloatArray]:
    """Visits and loyalty mass summed over steps 0..horizon (§3-4, finite horizon)."""
    v = variant.start.copy()
    m = (1.0 - variant.k) * variant.start * variant.segment.initial_loyalty + \
        variant.k * variant.sigma * v
    visits, mass = v.copy(), m.copy()
    for _ in range(horizon):
        v = step(v)
        m = loyalty_step(m) + variant.k * variant.sigma * v
        visits += v
        mass += m
    return visits, mass


# -- larger maps: the base's factors and the changed rows ------------------------------------
class _Woodbury:
    """Solves (S0 - E_W D_b) x = r for many b from one factorisation of S0."""

    def __init__(self, matrix: sp.csc_array, rows: IntArray, check: bool) -> None:
        self.lu = spla.splu(matrix, permc_spec="COLAMD")
        n = matrix.shape[0]
        self.check = check
        # SuperLU solves many right-hand sides one by one (18 s for 8,192 variants of a
        # 200-touchpoint journey); a dense inverse turns them into one product (0.5 s).
        self.inverse = np.asarray(self.lu.solve(np.eye(n))) if n <= INVERSE_LIMIT else None
        units = np.zeros((n, rows.size))
        units[rows, np.arange(rows.size)] = 1.0
        self.rows = rows
        self.columns = self._base_solve(units) if rows.size else units  # G (n, w)

    def _base_solve(self, flat: FloatArray) -> FloatArray:
        if self.inverse is not None:
            return self.inverse @ flat
        return np.asarray(self.lu.solve(flat))

    def solve_transposed(self, changes: FloatArray, rhs: FloatArray
                         ) -> tuple[FloatArray, BoolArray]:
        """x (B, n) with S^T x = r for rows changes D (B, w, n) and r (B, n): one column
        per variant where `solve` takes one per sum. S^T = S0^T - D^T E_W^T, so
        x = S0^-T r + S0^-T D^T (I - D G)^-T (S0^-T r)[rows]: the same w x w kernel."""
        count, n = rhs.shape
        if self.inverse is not None:
            base = rhs @ self.inverse  # rows of S0^-T r, all variants in one product
        else:
            base = np.asarray(self.lu.solve(np.ascontiguousarray(rhs.T), trans="T")).T
        if self.columns.shape[1] == 0:
            return base, np.zeros(count, bool)
        touched, changes, kernel, singular = self._kernel(changes)
        coefficients = np.linalg.solve(np.swapaxes(kernel, 1, 2),
                                       base[:, self.rows, None])[:, :, 0]  # (B, w)
        pushed = np.einsum("bwt,bw->bt", changes, coefficients)  # D^T c on its columns
        if self.inverse is not None:
            back = self.inverse[touched]  # rows of S0^-1: S0^-T e_t as rows
        else:
            units = np.zeros((n, touched.size))
            units[touched, np.arange(touched.size)] = 1.0
            back = np.asarray(self.lu.solve(units, trans="T")).T
        return base + pushed @ back, singular

    def solve(self, changes: FloatArray, rhs: FloatArray) -> tuple[FloatArray, BoolArray]:
        """x (B, n, c) for rows changes D (B, w, n) and right-hand sides (B, n, c), and
        which variants are singular (only looked for when `check`)."""
        count, n, c = rhs.shape
        flat = np.ascontiguousarray(rhs.transpose(1, 0, 2).reshape(n, count * c))
        base = self._base_solve(flat).reshape(n, count, c).transpose(1, 0, 2)
        if self.columns.shape[1] == 0:
            return base, np.zeros(count, bool)
        touched, changes, kernel, singular = self._kernel(changes)
        coefficients = np.linalg.solve(kernel, changes @ base[:, touched, :])
        return base + self.columns @ coefficients, singular

    def _kernel(self, changes: FloatArray
                ) -> tuple[IntArray, FloatArray, FloatArray, BoolArray]:
        """The columns some change touches (a few per changed row: only they take part),
        the changes on them, the w x w kernels I - D G and which are singular (only
        looked for when `check`; a singular one is replaced by I)."""
        w = self.columns.shape[1]
        touched = np.flatnonzero((changes != 0).any(axis=(0, 1)))
        changes = changes[:, :, touched]
        kernel = np.eye(w) - changes @ self.columns[touched]  # (B, w, w)
        singular = np.zeros(changes.shape[0], bool)
        if self.check:
            singular = np.linalg.cond(kernel) > SINGULAR_CONDITION
            kernel[singular] = np.eye(w)
        return touched, changes, kernel, singular


class _SegmentBase:
    """One segment's base factorisations (visits, loyalty, conversion)."""

    def __init__(self, evaluator: Evaluator, segment: Segment) -> None:
        base = evaluator.base
        rows = evaluator.rows
        n = base.size
        self.evaluator = evaluator
        keep = row_keep(segment.abandon_on_poor, base.satisfaction, base.measured,
                        evaluator.row_sums)[0]
        moves = sp.csr_array(sp.diags_array(keep) @ evaluator._p0)
        self.steps = sp.csr_array(moves * base.delta)
        self.steps_t = sp.csr_array(self.steps.T)
        eye = sp.eye_array(n, format="csc")
        self.steps_rows = self.steps[rows].toarray() if rows.size else np.zeros((0, n))
        # The loyalty system's rows change where Q's rows change and wherever a column's
        # 1 - k may change; impact is per variant, so all rows with a changed column are
        # found per chunk. The base keeps the base impact.
        self.k0 = segment.memory * base.impact
        self.loyalty_steps = sp.csr_array(self.steps @ sp.diags_array(1.0 - self.k0))
        self.loyalty_steps_t = sp.csr_array(self.loyalty_steps.T)
        if evaluator.horizon is None:
            # Without discount a variant may close a loop; with it, I - Q stays regular.
            self.check = base.delta >= 1.0
            self.visits = _Woodbury(sp.csc_array(eye - self.steps), rows, self.check)
            self.loyalty_matrix = sp.csc_array(eye - self.loyalty_steps)
            self.loyalty_lu: dict[bytes, _Woodbury] = {}
        if evaluator.has_goal:
            dropped = base.conversion | evaluator._never_converts
            kept = sp.csr_array(sp.diags_array((~dropped).astype(np.float64)) @ moves)
            self.conversion_drop = dropped[rows]
            self.conversion_rows = kept[rows].toarray() if rows.size else np.zeros((0, n))
            try:
                self.conversion: _Woodbury | None = _Woodbury(sp.csc_array(eye - kept), rows,
                                                              True)
            except RuntimeError:  # a loop no variant can leave: each is solved alone
                self.conversion = None

    def sums(self, variant: _Variant) -> FloatArray:
        evaluator = self.evaluator
        rows = evaluator.rows
        count = variant.start.shape[0]
        conversion = self._conversion(variant) if evaluator.has_goal else np.full(count, np.nan)
        steps_rows = variant.delta * variant.moves_rows
        changed_k = np.flatnonzero((variant.k != self.k0).any(axis=0))
        if evaluator.horizon is not None:
            def step(x: FloatArray) -> FloatArray:
                moved: FloatArray = np.asarray((self.steps_t @ x.T).T) + np.einsum(
                    "bw,bwn->bn", x[:, rows], steps_rows - self.steps_rows)
                return moved

            def loyalty_step(x: FloatArray) -> FloatArray:
                return step(x) * (1.0 - variant.k)  # x Q D: D scales the columns

            visits, mass = _stepped(variant, evaluator.horizon, step, loyalty_step)
            return variant.sums_from_visits(visits, mass, conversion)

        # Loyalty system I - Q D: rows of Q that change, and rows leading to a changed k.
        extra = np.setdiff1d(self.steps[:, changed_k].tocoo().row if changed_k.size
                             else np.zeros(0, np.int64), rows)
        loyalty_rows = np.concatenate([rows, extra]).astype(np.int64)
        solver = self._loyalty_solver(loyalty_rows)
        new_rows = np.concatenate(
            [steps_rows, np.broadcast_to(self.steps[extra].toarray(), (count, extra.size,
                                                                      variant.k.shape[1]))],
            axis=1) * (1.0 - variant.k)[:, None, :]
        old_rows = self.loyalty_steps[loyalty_rows].toarray() if loyalty_rows.size else \
            np.zeros((0, variant.k.shape[1]))
        # The adjoint form, one column per variant and system: visits v = s (I - Q)^-1
        # (§3) and loyalty mass M = (v k sigma + s (1 - k) l0)(I - Q D)^-1 (§4), whose
        # sums are v . c and M . [1, r].
        visits, singular_v = self.visits.solve_transposed(steps_rows - self.steps_rows,
                                                          variant.start)
        start_mass = (1.0 - variant.k) * variant.start * variant.segment.initial_loyalty
        mass, singular_m = solver.solve_transposed(
            new_rows - old_rows, start_mass + variant.k * variant.sigma * visits)
        out = variant.sums_from_visits(visits, mass, conversion)
        out[singular_v | singular_m] = np.nan
        return out

    def _loyalty_solver(self, rows: IntArray) -> _Woodbury:
        key = rows.tobytes()
        solver = self.loyalty_lu.get(key)
        if solver is None:
            solver = _Woodbury(self.loyalty_matrix, rows, self.check)
            self.loyalty_lu[key] = solver
        return solver

    def _conversion(self, variant: _Variant) -> FloatArray:
        count = variant.start.shape[0]
        if self.conversion is None:
            return np.array([_direct_conversion(self.evaluator, variant, b)
                             for b in range(count)])
        new_rows = np.where(self.conversion_drop[None, :, None], 0.0, variant.moves_rows)
        goal = np.broadcast_to(self.evaluator.base.conversion.astype(np.float64)[None, :, None],
                               (count, variant.start.shape[1], 1))
        h, singular = self.conversion.solve(new_rows - self.conversion_rows, goal)
        result: FloatArray = np.einsum("bn,bn->b", variant.start, h[:, :, 0])
        if singular.any():
            for b in np.flatnonzero(singular):
                result[b] = _direct_conversion(self.evaluator, variant, int(b))
        return result


def _direct_conversion(evaluator: Evaluator, variant: _Variant, b: int) -> float:
    """One variant's P(conv) solved on its own (its Woodbury correction was singular)."""
    base = evaluator.base
    moves = sp.lil_array(sp.diags_array(variant.keep[b]) @ evaluator._p0)
    for i, row in enumerate(evaluator.rows):
        moves[row, :] = variant.moves_rows[b, i]
    csr = sp.csr_array(moves)
    goal = base.conversion
    live = np.flatnonzero(_ancestors(csr, goal) & ~goal)
    start = variant.start[b]
    if live.size == 0:
        return float(start[goal].sum())
    inner = sp.csc_array(csr[live][:, live])
    into_goal = np.asarray(csr[live][:, np.flatnonzero(goal)].sum(axis=1)).ravel()
    reach = spla.spsolve(sp.eye_array(live.size, format="csc") - inner, into_goal)
    return float(start[goal].sum() + start[live] @ reach)
