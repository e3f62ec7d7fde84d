"""Satisfaction scales: the model's sigma in [-1, 1] and the CSAT 1-5 people quote.

MODEL.md defines sigma = (csat - 3) / 2; both directions are declared here once.
"""

from __future__ import annotations


def csat(sigma: float) -> float:
    """CSAT 1-5 for satisfaction sigma, as MODEL.md defines it: sigma = (csat - 3) / 2."""
    return 3.0 + 2.0 * max(-1.0, min(1.0, float(sigma)))


def sigma_from_csat(value: float) -> float:
    """Satisfaction sigma in [-1, 1] for a CSAT 1-5 score (clamped): (csat - 3) / 2."""
    return (max(1.0, min(5.0, float(value))) - 3.0) / 2.0
