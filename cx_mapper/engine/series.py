"""The perpetual view step by step (MODEL.md §10): undiscounted, referrals included."""

from __future__ import annotations

import numpy as np

from cx_mapper.engine.matrices import FloatArray, SegmentChain


def series_arrays(seg: SegmentChain, steps: int) -> dict[str, FloatArray]:
    """Per-step arrays over t = 0..steps: active, loyalty mass, and the cumulative counts."""
    chain = seg.chain
    moves_t = seg.moves.T.tocsr()  # y P~ as P~^T y, on the fast side of CSR
    k = seg.loyalty_step
    keep = 1.0 - k
    sigma_step = k * chain.satisfaction
    l0 = seg.segment.initial_loyalty
    start = chain.entry
    referral_start = chain.referral_entry
    talk_positive = seg.tell_positive * seg.reach
    talk_negative = seg.tell_negative * seg.reach
    yield_ = seg.referral_yield

    count = steps + 1
    active = np.empty(count)
    mass = np.empty(count)
    positive = np.empty(count)
    negative = np.empty(count)
    referred = np.empty(count)

    y = start.copy()
    m = keep * (l0 * start) + sigma_step * y
    # A self-sustaining journey grows geometrically and may overflow far out; the
    # caller shows such steps as gaps instead of failing.
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(count):
            if t > 0:
                entries = float(y @ yield_) * referral_start
                y_next = moves_t @ y + entries
                m = keep * (moves_t @ m + l0 * entries) + sigma_step * y_next
                y = y_next
            active[t] = y.sum()
            mass[t] = m.sum()
            positive[t] = y @ talk_positive
            negative[t] = y @ talk_negative
            referred[t] = y @ yield_
        return {
            "active": active,
            "loyalty_mass": mass,
            "exposure_positive": np.cumsum(positive),
            "exposure_negative": np.cumsum(negative),
            "referred": np.cumsum(referred),
        }
