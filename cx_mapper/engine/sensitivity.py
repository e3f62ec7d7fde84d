"""Adjoint derivatives with respect to every touchpoint's satisfaction (MODEL.md §9).

For an objective f = v.c_v + M.c_M (+ terms that depend on sigma_j directly),
with v (I - Q) = s and M (I - Q D) = b, b = (1-k) s l0 + k sigma v:

    y = (I - Q D)^-1 c_M             one column solve
    z = (I - Q)^-1 (c_v + k sigma y)   one column solve
    df/dsigma_j = -delta beta_j [v_j (P z)_j + M_j (P (1-k) y)_j]
                  + k_j v_j y_j + explicit_j

where beta_j = dq_j/dsigma_j = -a when sigma_j < 0, else 0 (divided by 1 - q(sigma0_j)
for a measured row, and 0 for a measured row scaled to sum to 1). At sigma_j = 0 every
kink (abandonment, positive and negative talk) takes its derivative from above.
All objectives share the same two factorisations, so the cost is a few solves
whatever the number of touchpoints.
"""

from __future__ import annotations

import numpy as np

from cx_mapper.engine.matrices import FloatArray, SegmentChain, keep_slope
from cx_mapper.engine.solver import ForwardSystem

#: Objectives differentiated per segment; analysis mixes them into SENSITIVITY_TARGETS.
OBJECTIVES = ("interactions", "loyalty_mass", "value", "exposure_net", "referral_r")


def gradients(
    seg: SegmentChain,
    visits_system: ForwardSystem,
    loyalty_system: ForwardSystem,
    visits: FloatArray,
    loyalty_mass: FloatArray,
) -> dict[str, FloatArray]:
    """d(objective)/d(sigma_j) for every node of the (possibly unrolled) chain."""
    chain = seg.chain
    n = chain.size
    sigma = chain.satisfaction
    k = seg.loyalty_step
    u = seg.segment.spend_uplift
    ones = np.ones(n)
    zeros = np.zeros(n)
    net_talk = (seg.tell_positive - seg.tell_negative) * seg.reach
    c_v = np.column_stack([ones, zeros, chain.value, net_talk, seg.referral_yield])
    c_m = np.column_stack([zeros, ones, u * chain.value, zeros, zeros])

    y = loyalty_system.solve_columns(c_m).reshape(n, -1)
    z = visits_system.solve_columns(c_v + (k * sigma)[:, None] * y).reshape(n, -1)

    above = sigma >= 0.0
    through_exits = chain.delta * keep_slope(seg.segment.abandon_on_poor, sigma,
                                             chain.measured, seg.scaled)
    p = chain.probabilities
    result = (
        through_exits[:, None]
        * (visits[:, None] * (p @ z) + loyalty_mass[:, None] * (p @ ((1.0 - k)[:, None] * y)))
        + (k * visits)[:, None] * y
    )
    segment = seg.segment
    talk_slope = np.where(above, segment.tell_positive, segment.tell_negative)
    result[:, 3] += visits * seg.reach * talk_slope
    result[:, 4] += visits * segment.referral_conversion * seg.trusted_reach * np.where(
        above, segment.tell_positive, 0.0
    )
    return {name: result[:, i] for i, name in enumerate(OBJECTIVES)}
