"""Journey + segment -> sparse arrays (MODEL.md §1-2), and the finite-horizon unrolling.

A finite horizon T is handled by unrolling the journey in time: touchpoint j at
step t becomes node (t, j), and transitions go from layer t to layer t+1 only.
Visits over steps 0..T of the original journey are then the infinite-horizon
visits of the unrolled one, summed over layers, so every metric and every
sensitivity uses one code path.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse import csgraph

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Segment
from cx_mapper.domain.ranges import NEGLIGIBLE_PROBABILITY
from cx_mapper.engine.errors import AnalysisError, SingularJourneyError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Chain:
    """A journey as arrays, in touchpoint order. `layers` > 1 when unrolled in time."""

    journey_id: str
    ids: tuple[str, ...]
    probabilities: sp.csr_array  # p_ij
    satisfaction: FloatArray  # sigma
    visibility: FloatArray  # nu
    value: FloatArray  # r
    impact: FloatArray  # w
    entry: FloatArray  # s, normalised
    referral_entry: FloatArray  # e, normalised (= s when all are 0)
    conversion: BoolArray
    delta: float
    layers: int = 1
    #: sigma0: the satisfaction a measured row was measured at; NaN for a drawn one (§2)
    measured_satisfaction: FloatArray | None = None

    @property
    def measured(self) -> FloatArray:
        if self.measured_satisfaction is None:
            return np.full(self.size, np.nan)
        return self.measured_satisfaction

    @property
    def size(self) -> int:
        return int(self.satisfaction.shape[0])

    def fold(self, per_node: FloatArray) -> FloatArray:
        """Sum an unrolled per-node array back to one figure per touchpoint."""
        if self.layers == 1:
            return per_node
        folded: FloatArray = per_node.reshape(self.layers, -1).sum(axis=0)
        return folded


@dataclass(frozen=True, eq=False)
class SegmentChain:
    """The chain as one segment experiences it: abandonment, word of mouth, loyalty steps."""

    chain: Chain
    segment: Segment
    keep: FloatArray  # each row's multiplier: 1 - q_j, or relative to sigma0 if measured
    scaled: BoolArray  # measured rows that would sum above 1, scaled to 1 (§2)
    moves: sp.csr_array  # P~ = diag(keep) P, undiscounted
    steps: sp.csr_array  # Q = delta * P~
    loyalty_step: FloatArray  # k_j = alpha * w_j
    tell_positive: FloatArray  # t+_j
    tell_negative: FloatArray  # t-_j
    reach: FloatArray  # rho_j
    trusted_reach: FloatArray  # theta_j
    referral_yield: FloatArray  # g_j = c+ t+_j theta_j


def journey_chain(journey: Journey) -> Chain:
    """Arrays of one journey. Assumes it passed validation (no errors)."""
    ids = tuple(journey.touchpoints)
    index = {tid: i for i, tid in enumerate(ids)}
    touchpoints = list(journey.touchpoints.values())
    n = len(ids)
    if n == 0:
        raise AnalysisError(f"Journey '{journey.id}' has no touchpoints to analyse.")
    transitions = [t for t in journey.transitions.values()
                   if t.probability > NEGLIGIBLE_PROBABILITY]
    rows = np.fromiter((index[t.source] for t in transitions), np.int64, len(transitions))
    cols = np.fromiter((index[t.target] for t in transitions), np.int64, len(transitions))
    data = np.fromiter((t.probability for t in transitions), np.float64, len(transitions))

    def column(name: str) -> FloatArray:
        if name == "measured_satisfaction":  # None (drawn) is NaN
            return np.array([t.measured_satisfaction for t in touchpoints], dtype=np.float64)
        values: FloatArray = np.fromiter((getattr(t, name) for t in touchpoints), np.float64, n)
        return values

    return _chain(journey, ids, column, np.fromiter((t.conversion for t in touchpoints),
                                                    np.bool_, n), (data, rows, cols))


def chain_of_columns(journey: Journey, touchpoints: Mapping[str, Sequence[Any]],
                     sources: IntArray, targets: IntArray, probabilities: FloatArray) -> Chain:
    """journey_chain of a journey given as columns (a list per touchpoint field; each
    transition's ends as positions in them, and its probability), as a strict reader
    checked them: the same arrays, without an object per element. `journey` gives
    only its id and discount."""
    ids = tuple(touchpoints["id"])
    n = len(ids)
    if n == 0:
        raise AnalysisError(f"Journey '{journey.id}' has no touchpoints to analyse.")
    kept = probabilities > NEGLIGIBLE_PROBABILITY
    data, rows, cols = probabilities[kept], sources[kept], targets[kept]

    def column(name: str) -> FloatArray:
        if name not in touchpoints:  # a reader that has no such column: none measured
            return np.full(n, np.nan)
        return np.array(touchpoints[name], dtype=np.float64)  # None is NaN

    conversion = np.array(touchpoints["conversion"], dtype=np.bool_)
    return _chain(journey, ids, column, conversion, (data, rows, cols))


def _chain(journey: Journey, ids: tuple[str, ...], column: Callable[[str], FloatArray],
           conversion: BoolArray, moves: tuple[FloatArray, IntArray, IntArray]) -> Chain:
    n = len(ids)
    data, rows, cols = moves
    # 32-bit indices where they fit, which every matrix made from this one keeps: a
    # sparse product then reads a third fewer bytes, and took half the time (0.83 ms
    # -> 0.42 ms at 100,000 touchpoints; the large solves are mostly products).
    index = np.int32 if max(n, data.size) < np.iinfo(np.int32).max else np.int64
    probabilities = sp.csr_array((data, (rows.astype(index), cols.astype(index))),
                                 shape=(n, n))

    entry = _normalised(column("entry"))
    if entry is None:
        raise AnalysisError(
            f"Journey '{journey.id}': no touchpoint has an entry share, so no customer starts "
            "the journey. Give at least one touchpoint an entry share above 0."
        )
    referral_entry = _normalised(column("referral_entry"))
    return Chain(
        journey_id=journey.id,
        ids=ids,
        probabilities=probabilities,
        satisfaction=column("satisfaction"),
        visibility=column("visibility"),
        value=column("value"),
        impact=column("impact"),
        entry=entry,
        referral_entry=entry if referral_entry is None else referral_entry,
        conversion=conversion,
        delta=1.0 / (1.0 + journey.discount_rate),
        measured_satisfaction=_measured(column("measured_satisfaction")),
    )


def unroll(chain: Chain, horizon: int) -> Chain:
    """The chain over steps 0..horizon, as a layered chain with no way back in time."""
    layers = horizon + 1
    shift = sp.eye_array(layers, k=1, format="csr")
    probabilities = sp.csr_array(sp.kron(shift, chain.probabilities, format="csr"))
    return Chain(
        journey_id=chain.journey_id,
        ids=chain.ids,
        probabilities=probabilities,
        satisfaction=np.tile(chain.satisfaction, layers),
        visibility=np.tile(chain.visibility, layers),
        value=np.tile(chain.value, layers),
        impact=np.tile(chain.impact, layers),
        entry=np.concatenate([chain.entry, np.zeros(chain.size * horizon)]),
        referral_entry=np.concatenate([chain.referral_entry, np.zeros(chain.size * horizon)]),
        conversion=np.tile(chain.conversion, layers),
        delta=chain.delta,
        layers=layers,
        measured_satisfaction=None if chain.measured_satisfaction is None
        else np.tile(chain.measured_satisfaction, layers),
    )


def segment_chain(chain: Chain, segment: Segment) -> SegmentChain:
    sigma = chain.satisfaction
    nu = chain.visibility
    keep, scaled = row_keep(segment.abandon_on_poor, sigma, chain.measured,
                            row_sums(chain.probabilities))
    moves = sp.csr_array(sp.diags_array(keep) @ chain.probabilities)
    tell_positive = segment.tell_positive * np.maximum(sigma, 0.0)
    trusted_reach = (segment.trust_private * (1.0 - nu)
                     + segment.trust_public * nu * segment.public_reach)
    return SegmentChain(
        chain=chain,
        segment=segment,
        keep=keep,
        scaled=scaled,
        moves=moves,
        steps=sp.csr_array(moves * chain.delta),
        loyalty_step=segment.memory * chain.impact,
        tell_positive=tell_positive,
        tell_negative=segment.tell_negative * np.maximum(-sigma, 0.0),
        reach=(1.0 - nu) + nu * segment.public_reach,
        trusted_reach=trusted_reach,
        referral_yield=segment.referral_conversion * tell_positive * trusted_reach,
    )


def row_keep(abandon_on_poor: float, sigma: FloatArray, measured: FloatArray,
             sums: FloatArray) -> tuple[FloatArray, BoolArray]:
    """What multiplies each row of P to give P~ (MODEL.md §2), and which rows were scaled.

    A drawn row (measured NaN) keeps 1 - q(sigma). A measured row already holds the
    customers who walked away at sigma0, so it keeps (1 - q(sigma)) / (1 - q(sigma0)):
    1 when analysed as measured. Where that would lift the row's sum above 1, the row
    is scaled to sum to 1. Works on any shape; `sums` are the rows' sums of P.
    """
    keep = 1.0 - abandon_on_poor * np.maximum(-sigma, 0.0)
    is_measured = ~np.isnan(measured)
    if not is_measured.any():
        return keep, np.zeros(keep.shape, np.bool_)
    kept_then = 1.0 - abandon_on_poor * np.maximum(-np.where(is_measured, measured, 0.0), 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Nobody stayed at sigma0 yet customers moved: any lift fills the row; none keeps it.
        relative = np.where(kept_then > 0.0, keep / kept_then,
                            np.where(keep > 0.0, np.inf, 1.0))
    factor = np.where(is_measured, relative, keep)
    with np.errstate(invalid="ignore"):
        scaled = is_measured & (sums > 0.0) & (factor * sums > 1.0)
    # An empty row has nothing to scale: 1 keeps an infinite factor out of dense products.
    multiplier = np.where(scaled, 1.0 / np.where(sums > 0.0, sums, 1.0),
                          np.where(np.isfinite(factor), factor, 1.0))
    return np.asarray(multiplier, np.float64), scaled


def keep_slope(abandon_on_poor: Any, sigma: FloatArray, measured: FloatArray,
               scaled: BoolArray) -> FloatArray:
    """-d(keep)/d(sigma) of each row (row_keep's): a below 0, or a / (1 - q(sigma0)) for a
    measured row (§2); 0 at or above 0 (the kink takes its derivative from above) and for a
    row scaled to sum to 1, which no longer moves with sigma. Works on any shape."""
    kept_then = np.where(np.isnan(measured), 1.0,
                         1.0 - abandon_on_poor * np.maximum(-np.nan_to_num(measured), 0.0))
    shape = np.broadcast_shapes(np.shape(kept_then), np.shape(sigma))
    slope = np.divide(np.broadcast_to(abandon_on_poor, shape), np.broadcast_to(kept_then, shape),
                      out=np.zeros(shape), where=np.broadcast_to(kept_then, shape) > 0.0)
    return np.asarray(np.where((sigma >= 0.0) | scaled, 0.0, slope), np.float64)


def row_sums(probabilities: sp.csr_array) -> FloatArray:
    sums: FloatArray = np.asarray(probabilities.sum(axis=1), dtype=np.float64).ravel()
    return sums


def _measured(values: FloatArray) -> FloatArray | None:
    """None when no touchpoint was measured: the common drawn journey pays nothing."""
    return values if (~np.isnan(values)).any() else None


def check_no_closed_loop(seg: SegmentChain) -> None:
    """Raise SingularJourneyError when I - Q is singular (MODEL.md §3).

    That happens only without discount, for a strongly connected group of touchpoints
    from which no customer leaves: every member's moves stay inside with total 1.
    """
    if seg.chain.delta < 1.0:
        return
    moves = seg.moves.tocoo()
    count, labels = csgraph.connected_components(seg.moves, directed=True, connection="strong")
    inside = labels[moves.row] == labels[moves.col]
    kept = np.bincount(moves.row[inside], weights=moves.data[inside], minlength=seg.chain.size)
    closed_member = kept >= 1.0 - 1e-12
    # A group is closed only if all its members keep everything inside it.
    open_group = np.zeros(count, dtype=bool)
    np.logical_or.at(open_group, labels, ~closed_member)
    closed_groups = np.flatnonzero(~open_group)
    if closed_groups.size:
        members = np.flatnonzero(labels == closed_groups[0])
        raise SingularJourneyError(seg.chain.journey_id, [seg.chain.ids[i] for i in members])


def _normalised(values: FloatArray) -> FloatArray | None:
    total = float(values.sum())
    if not total > 0:
        return None
    normalised: FloatArray = np.asarray(values / total, dtype=np.float64)
    return normalised
