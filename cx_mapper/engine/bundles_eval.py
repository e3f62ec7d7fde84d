"""A journey's opportunities as a batch: any set of bundles evaluated exactly at once.

Opportunities that may be funded together set different fields and transitions (the
exclusions, domain/bundles.py), so a bundle's journey is the base plus the sum of its
members' changes: every touchpoint field and every changed row of probabilities is
affine in the 0/1 vector of the bundle. Each opportunity is applied alone by the
domain (apply_opportunities) to read its changes, and the batch evaluator
(batch.py) solves the bundles. Touchpoints an opportunity adds are in the base from
the start, unreachable and with no entry, so every bundle has the same touchpoints
and contributes nothing through them until it adds them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from cx_mapper.domain.bundles import apply_opportunities, exclusions
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import CHANGEABLE_FIELDS, Opportunity, opportunity_problems
from cx_mapper.domain.project import Project
from cx_mapper.domain.ranges import NEGLIGIBLE_PROBABILITY
from cx_mapper.domain.validation import PROBABILITY_TOLERANCE, closed_loops, fit_problem
from cx_mapper.engine.analysis import analysable_journey
from cx_mapper.engine.batch import CHUNK_FLOATS, TOTAL_KEYS, ChainBatch, Evaluator
from cx_mapper.engine.matrices import Chain, FloatArray, journey_chain

BoolArray = NDArray[np.bool_]

#: Why an opportunity whose journey solves to no finite figures is left out.
NOT_FINITE = ("Applied, it leaves a journey whose figures are too large to compute (a "
              "nearly closed loop); lower a probability or raise the discount rate.")


@dataclass(frozen=True)
class BundleChanges:
    """A bundle's changes: per touchpoint field the touchpoints (indices) it sets and
    their values; the transitions (source and target indices) it sets, and their
    probabilities (0 for a transition it removes)."""

    fields: dict[str, tuple[NDArray[np.int64], FloatArray]]
    sources: NDArray[np.int64]
    targets: NDArray[np.int64]
    probabilities: FloatArray


@dataclass(frozen=True, eq=False)
class Bundles:
    """The usable opportunities of one journey, ready to evaluate bundles of them."""

    project: Project
    journey: Journey
    horizon: int | None
    usable: tuple[Opportunity, ...]
    unusable: dict[str, str]
    kpis: tuple[str, ...]  # analyze's totals keys this journey has
    excluded: tuple[tuple[int, int], ...]  # pairs of usable indices
    base: FloatArray  # totals of the journey, in TOTAL_KEYS order
    _evaluator: Evaluator
    _fields: dict[str, FloatArray]  # base (n,) per field
    _deltas: dict[str, FloatArray]  # (m, n) per field
    _rows: NDArray[np.int64]
    _row_base: FloatArray  # (w, n) raw probabilities
    _row_deltas: FloatArray  # (m, w, n)

    @property
    def costs(self) -> FloatArray:
        return np.array([o.cost for o in self.usable], dtype=np.float64)

    def totals(self, chosen: BoolArray) -> tuple[FloatArray, BoolArray]:
        """Totals (B, len(TOTAL_KEYS)) of bundles given as rows of 0/1 over `usable`, and
        which are feasible (their journey keeps the rules and solves). Bundles must
        respect the exclusions."""
        chosen = np.atleast_2d(np.asarray(chosen, dtype=bool))
        count = chosen.shape[0]
        w, n = self._row_base.shape
        step = max(1, CHUNK_FLOATS // max(1, w * n + 6 * n))
        totals = np.empty((count, len(TOTAL_KEYS)))
        feasible = np.empty(count, bool)
        for begin in range(0, count, step):
            part = chosen[begin:begin + step]
            totals[begin:begin + step], feasible[begin:begin + step] = self._chunk(part)
        return totals, feasible

    def _chunk(self, chosen: BoolArray) -> tuple[FloatArray, BoolArray]:
        x = chosen.astype(np.float64)
        fields = {name: self._fields[name][None, :] + x @ self._deltas[name]
                  for name in self._deltas}
        m = x.shape[1]
        w, n = self._row_base.shape
        rows = self._row_base[None] + (x @ self._row_deltas.reshape(m, w * n)).reshape(-1, w, n)
        batch = ChainBatch(fields["satisfaction"], fields["visibility"], fields["value"],
                           fields["impact"], fields["entry"], self._rows, rows)
        totals = self._evaluator.totals(batch)
        sums = rows.sum(axis=2)
        feasible = ((sums <= 1.0 + PROBABILITY_TOLERANCE).all(axis=1)
                    & (fields["entry"] > 0).any(axis=1)
                    & np.isfinite(totals[:, :-1]).all(axis=1))
        if self.journey.discount_rate == 0 and self.horizon is None:
            # Only a row that keeps everyone can close a loop; the domain checks those.
            for b in np.flatnonzero(feasible & (sums >= 1.0 - NEGLIGIBLE_PROBABILITY).any(axis=1)):
                patched = apply_opportunities(self.journey, self.members(chosen[b]))
                if closed_loops(patched, self.project.segments):
                    feasible[b] = False
        return totals, feasible

    @property
    def chain(self) -> Chain:
        """The journey's arrays, with every touchpoint an opportunity adds."""
        return self._evaluator.base

    def changes(self, chosen: BoolArray) -> BundleChanges:
        """What one bundle (0/1 over `usable`) sets: the touchpoint figures and the
        transition probabilities it changes, each with its new value."""
        x = np.asarray(chosen, dtype=np.float64)
        fields = {name: (np.flatnonzero(x @ (delta != 0) > 0),
                         self._fields[name] + x @ delta)
                  for name, delta in self._deltas.items()}
        w, n = self._row_base.shape
        if w == 0:
            empty = np.zeros(0, np.int64)
            return BundleChanges({k: (i, v[i]) for k, (i, v) in fields.items()}, empty, empty,
                                 np.zeros(0))
        moved = np.tensordot(x, self._row_deltas != 0, axes=1) > 0  # (w, n)
        values = self._row_base + np.tensordot(x, self._row_deltas, axes=1)
        row, column = np.nonzero(moved)
        return BundleChanges({k: (i, v[i]) for k, (i, v) in fields.items()},
                             self._rows[row], column.astype(np.int64), values[row, column])

    def members(self, chosen: BoolArray) -> list[Opportunity]:
        return [o for o, on in zip(self.usable, chosen, strict=True) if on]

    def compatible(self, chosen: BoolArray) -> BoolArray:
        """Which rows of 0/1 respect the exclusions."""
        chosen = np.atleast_2d(np.asarray(chosen, dtype=bool))
        ok = np.ones(chosen.shape[0], bool)
        for a, b in self.excluded:
            ok &= ~(chosen[:, a] & chosen[:, b])
        return ok

    def gains(self, totals: FloatArray) -> FloatArray:
        return totals - self.base[None, :]


def prepare(project: Project, journey_id: str | None, horizon: int | None) -> Bundles:
    """The journey's opportunities ready to evaluate; AnalysisError when the journey
    itself cannot be analysed."""
    journey = analysable_journey(project, journey_id, horizon, True)
    usable: list[Opportunity] = []
    unusable: dict[str, str] = {}
    for opportunity in journey.opportunities:
        problems = opportunity_problems(opportunity, journey.touchpoints)
        why = problems[0][1] if problems else fit_problem(journey, opportunity,
                                                          project.segments)
        if why:
            unusable[opportunity.id] = why
        else:
            usable.append(opportunity)

    # Every touchpoint any opportunity adds, from the start: no entry, no transitions.
    placeholders = {tp.id: replace(tp, entry=0.0, referral_entry=0.0)
                    for o in usable for tp in o.changes.add_touchpoints}
    extended = journey.copy()
    extended.opportunities = []
    extended.touchpoints.update(placeholders)
    ids = tuple(extended.touchpoints)
    index = {tid: i for i, tid in enumerate(ids)}
    n = len(ids)

    def fields_of(patched: Journey) -> dict[str, FloatArray]:
        touchpoints = [patched.touchpoints.get(tid) or placeholders[tid] for tid in ids]
        return {name: np.array([getattr(tp, name) for tp in touchpoints], dtype=np.float64)
                for name in CHANGEABLE_FIELDS}

    def probabilities_of(patched: Journey) -> sp.csr_array:
        items = list(patched.transitions.values())
        return sp.csr_array((np.array([t.probability for t in items], dtype=np.float64),
                             (np.array([index[t.source] for t in items], dtype=np.int64),
                              np.array([index[t.target] for t in items], dtype=np.int64))),
                            shape=(n, n))

    base_fields = fields_of(extended)
    base_p = probabilities_of(extended)
    patched = [apply_opportunities(journey, [o]) for o in usable]
    each_fields = [fields_of(p) for p in patched]
    each_p = [probabilities_of(p) for p in patched]
    changed = np.zeros(n, bool)
    for fields, p in zip(each_fields, each_p, strict=True):
        diff = sp.csr_array(p - base_p)
        diff.eliminate_zeros()
        changed[np.unique(diff.tocoo().row)] = True
        changed |= fields["satisfaction"] != base_fields["satisfaction"]
    rows = np.flatnonzero(changed).astype(np.int64)
    row_base = base_p[rows].toarray() if rows.size else np.zeros((0, n))
    m = len(usable)
    row_deltas = np.zeros((m, rows.size, n))
    for a, p in enumerate(each_p):
        if rows.size:
            row_deltas[a] = p[rows].toarray() - row_base
    deltas = {name: np.array([f[name] - base_fields[name] for f in each_fields]).reshape(m, n)
              for name in CHANGEABLE_FIELDS}
    support = (row_base > 0) | ((row_base[None] + row_deltas) > 0).any(axis=0)

    chain = journey_chain(extended)
    evaluator = Evaluator(chain, project.segments, project.normalised_shares(), horizon,
                          rows, support)
    position = {o.id: a for a, o in enumerate(usable)}
    excluded = tuple((position[a], position[b]) for a, b in exclusions(usable))
    has_goal = any(tp.conversion for tp in journey.touchpoints.values())
    kpis = TOTAL_KEYS if has_goal else TOTAL_KEYS[:-1]
    bundles = Bundles(project, journey, horizon, tuple(usable), unusable, kpis, excluded,
                      np.zeros(len(TOTAL_KEYS)), evaluator, base_fields, deltas, rows,
                      row_base, row_deltas)
    base_totals, _ = bundles.totals(np.zeros((1, m), bool))
    object.__setattr__(bundles, "base", base_totals[0])
    return _without_unsolvable(bundles)


def _without_unsolvable(bundles: Bundles) -> Bundles:
    """Leave out opportunities that, alone, give a journey with no finite figures."""
    m = len(bundles.usable)
    if m == 0:
        return bundles
    _, feasible = bundles.totals(np.eye(m, dtype=bool))
    if feasible.all():
        return bundles
    unusable = dict(bundles.unusable)
    for opportunity, ok in zip(bundles.usable, feasible, strict=True):
        if not ok:
            unusable[opportunity.id] = NOT_FINITE
    kept = [o for o, ok in zip(bundles.usable, feasible, strict=True) if ok]
    project = bundles.project
    journey = bundles.journey.copy()
    journey.opportunities = kept
    smaller = prepare(_with_journey(project, journey), journey.id, bundles.horizon)
    smaller.unusable.update(unusable)
    object.__setattr__(smaller, "journey", bundles.journey)
    return smaller


def _with_journey(project: Project, journey: Journey) -> Project:
    return replace(project, journeys=[journey if j.id == journey.id else j
                                      for j in project.journeys])
