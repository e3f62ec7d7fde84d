"""Monte Carlo check of the closed forms, and the spread behind them (MODEL.md "Independent check").

`simulate(project)` follows individual customers through the rules of MODEL.md, one
step at a time, all customers at once (numpy, vectorised over customers):

- Customers are split over the segments by a deterministic proportional split
  (largest remainder; every segment gets at least 2 customers when there are enough,
  so its variance can be estimated). Each segment is then a stratum: a mean is
  sum_g share_g * (mean over the segment's customers), so customer c weighs
  share_g / N_g. This is the §11 mixing, and it has no multinomial noise.
- A customer starts at a touchpoint drawn from the normalised entry s (first
  generation only: referred customers and their generations, §7, are not simulated;
  `referral_r` is the mean referral yield per entering customer).
- At step t (weight delta^t) a customer at j visits it: loyalty
  l <- (1 - k_j) l + k_j sigma_j (from l0), and the customer collects delta^t times the
  per-visit figures of §4-7 (visit, loyalty after the visit, r_j (1 + u l), t+ rho,
  t- rho, private and public parts, g_j, c- t- theta). Then the customer moves with
  P~ = (1 - q) P to target i with probability P~_ji, or otherwise leaves.
- The accumulation stops when no customer is left, at the horizon T (steps 0..T), or,
  for the infinite horizon, once the largest possible rest of any customer,
  delta^t / (1 - delta) discounted visits, is below TAIL_TOLERANCE.
- Conversion (§8) is physical and undiscounted and, as in `analyze`, does not depend on
  the horizon: after the accumulation stops, customers who have not converted yet and
  can still reach a conversion touchpoint are moved on until they convert or leave.
- Nothing runs past step `max_steps`. If customers are still active then (with figures
  still to collect, or a conversion still possible), the result says `truncated`.

An infinite horizon without discount and with a closed loop raises
SingularJourneyError, exactly like `analyze`: the means would be infinite.

Standard errors: totals use the stratified variance, sum_g share_g^2 s_g^2 / N_g, and
the delta method for the ratio loyalty_index. Per-touchpoint figures use batch means
over BATCHES interleaved sub-samples (exact per-customer-per-touchpoint second moments
would need customers x touchpoints memory). Percentiles are of per-customer totals,
weighted by the stratum weights, with the midpoint (Hazen) rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse import csgraph

from cx_mapper.domain.project import Project
from cx_mapper.engine.analysis import analysable_journey
from cx_mapper.engine.matrices import (
    FloatArray,
    SegmentChain,
    check_no_closed_loop,
    journey_chain,
    segment_chain,
)
from cx_mapper.engine.results import Totals, read_only

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

PERCENTILES: tuple[int, ...] = (5, 25, 50, 75, 95)
#: The infinite horizon stops once delta^t / (1 - delta) (an upper bound on any
#: customer's remaining discounted visits) falls below this.
TAIL_TOLERANCE = 1e-9
DEFAULT_MAX_STEPS = 100_000
#: Interleaved sub-samples for the per-touchpoint standard errors.
BATCHES = 32
_FLUSH = 1 << 20  # buffered per-touchpoint records before a bincount

# Columns of the per-customer accumulator.
_VISITS, _MASS, _VALUE, _POSITIVE, _NEGATIVE, _PRIVATE, _PUBLIC, _REFERRALS, _DETERRED = range(9)
_COLUMNS = 9


class SimulationCancelled(Exception):
    """The caller's `cancelled()` returned True between two steps."""


@dataclass(frozen=True)
class Percentiles:
    """Per-customer percentiles (PERCENTILES) of one figure."""

    p5: float
    p25: float
    p50: float
    p75: float
    p95: float

    @property
    def values(self) -> tuple[float, float, float, float, float]:
        return (self.p5, self.p25, self.p50, self.p75, self.p95)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Means of a Monte Carlo run per entering customer, with standard errors and spread.

    `totals` has the names and meaning of `analyze(...).totals` (first generation:
    `referral_r` is the mean referral yield); `standard_errors` holds the standard
    error of each (None where the total is None). Arrays are in the order of `ids`.
    """

    journey_id: str
    horizon: int | None
    ids: tuple[str, ...]
    customers: int
    seed: int
    segment_customers: tuple[int, ...]  # customers simulated per segment, in project order
    visits: FloatArray  # mean discounted visits per touchpoint
    loyalty_mass: FloatArray  # mean discounted loyalty-after-visit per touchpoint (M_j)
    visits_se: FloatArray
    loyalty_mass_se: FloatArray
    totals: Totals
    standard_errors: Totals
    exposure_percentiles: Percentiles  # exposure_positive + exposure_negative per customer
    exposure_net_percentiles: Percentiles
    value_percentiles: Percentiles
    steps: int  # the last step simulated, plus 1
    truncated: bool  # stopped by max_steps with customers still active


@dataclass(frozen=True, eq=False)
class _Blocks:
    """The segments' chains side by side: node g * n + j is touchpoint j in segment g."""

    n: int
    keys: FloatArray  # row + cumulative probability within the row, one per transition
    targets: IntArray  # target node of each transition
    row_end: IntArray  # end of each node's transitions in `keys`
    loyalty_step: FloatArray  # k
    satisfaction: FloatArray  # sigma
    per_visit: NDArray[np.float64]  # (nodes, _COLUMNS): figures of one visit at loyalty 0
    value_uplift: FloatArray  # r u: value per visit per unit of loyalty
    conversion: BoolArray
    can_convert: BoolArray  # a conversion touchpoint is reachable (itself included)
    touchpoint: IntArray  # node -> touchpoint index


def simulate(
    project: Project,
    journey_id: str | None = None,
    *,
    customers: int = 10_000,
    seed: int = 0,
    horizon: int | None = None,
    max_steps: int | None = None,
    progress: Callable[[float], object] | None = None,
    cancelled: Callable[[], bool] | None = None,
    validate: bool = True,
) -> Simulation:
    """Simulate `customers` first-generation customers of one journey (the first by default).

    `horizon` None is the infinite horizon; T simulates steps 0..T. `progress(fraction)`
    is called with increasing fractions, the last being 1.0; `cancelled()` is checked
    between steps and, when True, SimulationCancelled is raised. Raises AnalysisError
    for the same problems as `analyze` and ValueError for bad arguments. Pass
    `validate=False` when the journey was already validated (it is most of the set-up
    time of a large journey).
    """
    journey = analysable_journey(project, journey_id, horizon, validate, "simulate")
    limit = DEFAULT_MAX_STEPS if max_steps is None else max_steps
    if limit < 0:
        raise ValueError(f"max_steps must be 0 or more, got {max_steps}.")
    shares = np.asarray(project.normalised_shares(), dtype=np.float64)
    if customers < int(np.count_nonzero(shares > 0)) or customers < 1:
        raise ValueError(
            f"Simulate at least one customer per segment ({len(shares)}), got {customers}."
        )

    chain = journey_chain(journey)
    segs = [segment_chain(chain, segment) for segment in project.segments]
    if horizon is None:
        for seg in segs:
            check_no_closed_loop(seg)
    blocks = _blocks(segs)
    n = blocks.n
    delta = chain.delta
    has_conversion = bool(chain.conversion.any())

    # Customers, stratified by segment.
    counts = _allocate(customers, shares)
    segment_of = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    per_customer = np.divide(shares, counts, out=np.zeros_like(shares), where=counts > 0)
    weight = per_customer[segment_of]
    batches = min(BATCHES, customers)
    batch = (np.arange(customers, dtype=np.int64) - offsets[segment_of]) % batches
    batch_base = batch * n

    rng = np.random.default_rng(seed)
    cid = np.arange(customers, dtype=np.int64)
    pos = _draw_entries(rng, chain.entry, customers) + segment_of * n
    initial = np.array([s.initial_loyalty for s in project.segments], dtype=np.float64)
    loyalty = initial[segment_of]

    acc = np.zeros((customers, _COLUMNS))
    converted = np.zeros(customers, dtype=np.bool_)
    per_touchpoint = _TouchpointSums(batches, n)

    goal = _goal_step(horizon, delta, limit)
    reported = -1.0
    if progress is not None:
        progress(0.0)
        reported = 0.0

    t = steps = 0
    accumulating = True
    truncated = False
    while cid.size:
        steps = t + 1
        if cancelled is not None and cancelled():
            raise SimulationCancelled(f"Simulation of journey '{journey.id}' cancelled.")
        if accumulating:
            discount = delta**t
            k = blocks.loyalty_step[pos]
            loyalty += k * (blocks.satisfaction[pos] - loyalty)
            contribution = blocks.per_visit[pos]
            contribution[:, _MASS] = loyalty
            contribution[:, _VALUE] += loyalty * blocks.value_uplift[pos]
            contribution *= discount
            acc[cid] += contribution
            scaled = weight[cid] * discount
            per_touchpoint.add(batch_base[cid] + blocks.touchpoint[pos], scaled, scaled * loyalty)
            if horizon is not None:
                accumulating = t < horizon
            elif delta < 1.0:
                accumulating = delta ** (t + 1) / (1.0 - delta) >= TAIL_TOLERANCE
        if has_conversion:
            converted[cid[blocks.conversion[pos]]] = True
        if not accumulating:
            # Only the conversion is left to settle: follow who can still convert.
            if has_conversion:
                keep = ~converted[cid] & blocks.can_convert[pos]
                cid, pos, loyalty = cid[keep], pos[keep], loyalty[keep]
            else:
                cid = cid[:0]
            if not cid.size:
                break
        if t >= limit:
            truncated = True
            break

        # Move: one searchsorted over all rows, offset by row index.
        chosen = np.searchsorted(blocks.keys, pos + rng.random(cid.size), side="right")
        stay = chosen < blocks.row_end[pos]
        cid, loyalty = cid[stay], loyalty[stay]
        pos = blocks.targets[chosen[stay]]
        t += 1

        if progress is not None:
            fraction = min(max(1.0 - cid.size / customers, t / goal), 0.99)
            if fraction >= reported + 0.01:
                progress(fraction)
                reported = fraction

    visits, visits_se = per_touchpoint.result(0)
    mass, mass_se = per_touchpoint.result(1)
    strata = _Strata(weight, segment_of, counts, shares)
    totals, errors = _totals(acc, converted if has_conversion else None, strata)
    exposure = acc[:, _POSITIVE] + acc[:, _NEGATIVE]
    net = acc[:, _POSITIVE] - acc[:, _NEGATIVE]
    result = Simulation(
        journey_id=journey.id,
        horizon=horizon,
        ids=chain.ids,
        customers=customers,
        seed=seed,
        segment_customers=tuple(int(c) for c in counts),
        visits=read_only(visits),
        loyalty_mass=read_only(mass),
        visits_se=read_only(visits_se),
        loyalty_mass_se=read_only(mass_se),
        totals=totals,
        standard_errors=errors,
        exposure_percentiles=_percentiles(exposure, weight),
        exposure_net_percentiles=_percentiles(net, weight),
        value_percentiles=_percentiles(acc[:, _VALUE], weight),
        steps=steps,
        truncated=truncated,
    )
    if progress is not None:
        progress(1.0)
    return result


# -- set-up ----------------------------------------------------------------------------

def _blocks(segs: Sequence[SegmentChain]) -> _Blocks:
    chain = segs[0].chain
    n = chain.size
    nodes = n * len(segs)
    moves = sp.csr_array(sp.block_diag([seg.moves for seg in segs], format="csr"))
    moves.sum_duplicates()
    moves.eliminate_zeros()
    indptr = moves.indptr.astype(np.int64)
    lengths = np.diff(indptr)
    data = moves.data.astype(np.float64)
    total = np.concatenate(([0.0], np.cumsum(data)))
    within = total[1:] - np.repeat(total[indptr[:-1]], lengths)
    rows = np.repeat(np.arange(nodes, dtype=np.float64), lengths)
    keys = rows + np.minimum(within, 1.0)

    per_visit = np.zeros((nodes, _COLUMNS))
    uplift = np.zeros(nodes)
    for g, seg in enumerate(segs):
        s = seg.segment
        nu = chain.visibility
        talk = seg.tell_positive + seg.tell_negative
        block = per_visit[g * n:(g + 1) * n]
        block[:, _VISITS] = 1.0
        block[:, _VALUE] = chain.value
        block[:, _POSITIVE] = seg.tell_positive * seg.reach
        block[:, _NEGATIVE] = seg.tell_negative * seg.reach
        block[:, _PRIVATE] = talk * (1.0 - nu)
        block[:, _PUBLIC] = talk * nu * s.public_reach
        block[:, _REFERRALS] = seg.referral_yield
        block[:, _DETERRED] = s.deterrence * seg.tell_negative * seg.trusted_reach
        uplift[g * n:(g + 1) * n] = chain.value * s.spend_uplift

    conversion = np.tile(chain.conversion, len(segs))
    return _Blocks(
        n=n,
        keys=keys,
        targets=moves.indices.astype(np.int64),
        row_end=indptr[1:].copy(),
        loyalty_step=np.concatenate([seg.loyalty_step for seg in segs]),
        satisfaction=np.tile(chain.satisfaction, len(segs)),
        per_visit=per_visit,
        value_uplift=uplift,
        conversion=conversion,
        can_convert=_can_reach(moves, conversion),
        touchpoint=np.tile(np.arange(n, dtype=np.int64), len(segs)),
    )


def _can_reach(moves: sp.csr_array, targets: BoolArray) -> BoolArray:
    """Nodes with a path of positive probability to a target (targets included)."""
    nodes = moves.shape[0]
    found = np.zeros(nodes, dtype=np.bool_)
    goals = np.flatnonzero(targets)
    if goals.size == 0:
        return found
    # A virtual node links to every target in the reversed graph; search from it.
    hub = sp.csr_array((np.ones(goals.size), (np.zeros(goals.size, dtype=np.int64), goals)),
                       shape=(1, nodes))
    graph = sp.csr_array(sp.block_array([[sp.csr_array(moves.T), None], [hub, None]],
                                        format="csr"))
    graph.resize((nodes + 1, nodes + 1))
    order = csgraph.breadth_first_order(graph, nodes, directed=True, return_predecessors=False)
    reached = np.asarray(order, dtype=np.int64)
    found[reached[reached < nodes]] = True
    return found


def _allocate(customers: int, shares: FloatArray) -> IntArray:
    """Proportional split by largest remainder; at least 2 per segment when possible."""
    exact = shares * customers
    counts = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: customers - int(counts.sum())]] += 1
    positive = shares > 0
    floor = 2 if customers >= 2 * int(positive.sum()) else 1
    for g in np.flatnonzero(positive & (counts < floor)):
        while counts[g] < floor:
            counts[int(np.argmax(counts))] -= 1
            counts[g] += 1
    return counts


def _draw_entries(rng: np.random.Generator, entry: FloatArray, size: int) -> IntArray:
    cumulative = np.cumsum(entry)
    chosen = np.searchsorted(cumulative, rng.random(size) * cumulative[-1], side="right")
    last = int(np.flatnonzero(entry > 0)[-1])
    result: IntArray = np.minimum(chosen, last).astype(np.int64)
    return result


def _goal_step(horizon: int | None, delta: float, limit: int) -> float:
    """The step the accumulation is expected to end at, for progress."""
    if horizon is not None:
        goal = float(horizon)
    elif delta < 1.0:
        goal = math.log(TAIL_TOLERANCE * (1.0 - delta)) / math.log(delta)
    else:
        goal = float(limit)
    return max(1.0, min(goal, float(max(limit, 1))))


# -- estimates -------------------------------------------------------------------------

class _TouchpointSums:
    """Weighted visits and loyalty mass per (batch, touchpoint), buffered for bincount."""

    def __init__(self, batches: int, n: int) -> None:
        self.batches = batches
        self.n = n
        self.sums = np.zeros((2, batches * n))
        self._keys: list[IntArray] = []
        self._values: list[tuple[FloatArray, FloatArray]] = []
        self._buffered = 0

    def add(self, keys: IntArray, visits: FloatArray, mass: FloatArray) -> None:
        self._keys.append(keys)
        self._values.append((visits, mass))
        self._buffered += keys.size
        if self._buffered >= _FLUSH:
            self._flush()

    def _flush(self) -> None:
        if not self._keys:
            return
        keys = np.concatenate(self._keys)
        size = self.batches * self.n
        for column in (0, 1):
            values = np.concatenate([v[column] for v in self._values])
            self.sums[column] += np.bincount(keys, weights=values, minlength=size)
        self._keys, self._values, self._buffered = [], [], 0

    def result(self, column: int) -> tuple[FloatArray, FloatArray]:
        """Mean per touchpoint and its batch-means standard error (NaN with one batch)."""
        self._flush()
        per_batch = self.sums[column].reshape(self.batches, self.n)
        mean = per_batch.sum(axis=0)
        if self.batches < 2:
            return mean, np.full(self.n, np.nan)
        spread = ((per_batch - mean / self.batches) ** 2).sum(axis=0)
        return mean, np.sqrt(spread * self.batches / (self.batches - 1))


@dataclass(frozen=True, eq=False)
class _Strata:
    weight: FloatArray  # per customer: share_g / N_g
    segment_of: IntArray
    counts: IntArray
    shares: FloatArray

    def mean(self, values: FloatArray) -> float:
        return float(self.weight @ values)

    def standard_error(self, values: FloatArray) -> float:
        """sqrt(sum_g share_g^2 s_g^2 / N_g); a segment with one customer adds 0."""
        groups = len(self.counts)
        sums = np.bincount(self.segment_of, weights=values, minlength=groups)
        means = np.divide(sums, self.counts, out=np.zeros(groups), where=self.counts > 0)
        squares = np.bincount(self.segment_of, weights=(values - means[self.segment_of]) ** 2,
                              minlength=groups)
        dof = self.counts - 1
        variance = np.divide(squares, dof, out=np.zeros(groups), where=dof > 0)
        terms = np.divide(self.shares**2 * variance, self.counts, out=np.zeros(groups),
                          where=self.counts > 0)
        return math.sqrt(float(terms.sum()))


def _totals(acc: NDArray[np.float64], converted: BoolArray | None, strata: _Strata
            ) -> tuple[Totals, Totals]:
    columns = {
        "interactions": acc[:, _VISITS],
        "value": acc[:, _VALUE],
        "exposure_positive": acc[:, _POSITIVE],
        "exposure_negative": acc[:, _NEGATIVE],
        "exposure_net": acc[:, _POSITIVE] - acc[:, _NEGATIVE],
        "exposure_private": acc[:, _PRIVATE],
        "exposure_public": acc[:, _PUBLIC],
        "referral_r": acc[:, _REFERRALS],
        "deterred": acc[:, _DETERRED],
    }
    if converted is not None:
        columns["conversion_probability"] = converted.astype(np.float64)
    means = {name: strata.mean(values) for name, values in columns.items()}
    if converted is not None:  # the weights sum to 1 only up to rounding
        means["conversion_probability"] = min(max(means["conversion_probability"], 0.0), 1.0)
    errors = {name: strata.standard_error(values) for name, values in columns.items()}
    # Ratio of means; delta method: Lambda - lambda ~ mean(m - lambda v) / mean(v).
    visits, mass = means["interactions"], strata.mean(acc[:, _MASS])
    index = mass / visits
    means["loyalty_index"] = index
    errors["loyalty_index"] = strata.standard_error(
        (acc[:, _MASS] - index * acc[:, _VISITS]) / visits
    )
    return Totals(**means), Totals(**errors)


def _percentiles(values: FloatArray, weight: FloatArray) -> Percentiles:
    order = np.argsort(values, kind="stable")
    ordered, weights = values[order], weight[order]
    total = float(weights.sum())
    position = (np.cumsum(weights) - 0.5 * weights) / total
    q = np.asarray(PERCENTILES, dtype=np.float64) / 100.0
    p5, p25, p50, p75, p95 = (float(x) for x in np.interp(q, position, ordered))
    return Percentiles(p5, p25, p50, p75, p95)
