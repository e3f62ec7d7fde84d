"""Abandonment after a poor interaction, on drawn and on measured rows (MODEL.md §2).

A drawn touchpoint keeps 1 - q(sigma) of its row, q(sigma) = a * max(-sigma, 0). A
row measured from data already lost the customers who walked away at sigma0, so it
keeps (1 - q(sigma)) / (1 - q(sigma0)): all of it when analysed as measured. Where
that would lift the row's sum above 1, the row is scaled to sum to 1.

This is the rule for one touchpoint; the engine applies it to whole arrays at once
(engine/matrices.py row_keep) and its tests hold the two to the same numbers.
"""

from __future__ import annotations

import math


def row_multiplier(abandon_on_poor: float, satisfaction: float,
                   measured_satisfaction: float | None, row_sum: float) -> float:
    """What multiplies the touchpoint's row of probabilities for one segment."""
    keep = 1.0 - abandon_on_poor * max(-satisfaction, 0.0)
    if measured_satisfaction is None:
        return keep
    kept_then = 1.0 - abandon_on_poor * max(-measured_satisfaction, 0.0)
    # Where nobody stayed at sigma0 yet customers moved, any lift fills the row.
    factor = keep / kept_then if kept_then > 0.0 else math.inf if keep > 0.0 else 1.0
    if row_sum > 0.0 and factor * row_sum > 1.0:
        return 1.0 / row_sum
    return factor if math.isfinite(factor) else 1.0
