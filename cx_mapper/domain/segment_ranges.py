"""MODEL.md's default ranges for a segment's parameters (§13, "Default ranges").

Each is a 90% range the user can change, carried as "assumption" evidence and used
only once the user switches uncertainty on for that parameter: a segment starts
with none, and "Use default ranges" puts these on it.
"""

from __future__ import annotations

from cx_mapper.domain.evidence import Evidence, EvidenceSet
from cx_mapper.domain.project import PARAMETER_RANGES, Segment

_COUNTS = "AMEX 2012 publishes means only, of heavy-tailed counts"
_SHARES = "survey shares, n = 1,000: sampling error is small, wording error is not"
_TRUST = "Nielsen 2009 survey shares"


def default_ranges(segment: Segment) -> EvidenceSet:
    """The default range of each parameter that has one, around the segment's values
    (preset value ±25% for the counts, ±0.05 for the shares), held to each
    parameter's valid range."""
    def around(name: str, low: float, high: float, why: str) -> Evidence:
        floor, ceiling = PARAMETER_RANGES[name]
        if floor is not None:
            low = max(low, floor)
        if ceiling is not None:
            high = min(high, ceiling)
        return Evidence("assumption", low=round(low, 12), high=round(high, 12), source=why)

    p = segment.parameters()
    found = {
        "tell_positive": around("tell_positive", 0.75 * p["tell_positive"],
                                1.25 * p["tell_positive"], _COUNTS),
        "tell_negative": around("tell_negative", 0.75 * p["tell_negative"],
                                1.25 * p["tell_negative"], _COUNTS),
        "spend_uplift": around("spend_uplift", p["spend_uplift"] - 0.05,
                               p["spend_uplift"] + 0.05, _SHARES),
        "abandon_on_poor": around("abandon_on_poor", p["abandon_on_poor"] - 0.05,
                                  p["abandon_on_poor"] + 0.05, _SHARES),
        "public_reach": Evidence("assumption", low=5.0, high=20.0,
                                 source="1-9-90 is a rule of thumb; platforms differ"),
        "trust_private": around("trust_private", p["trust_private"] - 0.05,
                                p["trust_private"] + 0.05, _TRUST),
        "trust_public": around("trust_public", p["trust_public"] - 0.05,
                               p["trust_public"] + 0.05, _TRUST),
        "referral_conversion": Evidence("assumption", low=0.002, high=0.05, scale="log",
                                        source="pure assumption: calibrate to your data"),
        "deterrence": Evidence("assumption", low=0.002, high=0.05, scale="log",
                               source="pure assumption: calibrate to your data"),
        "memory": Evidence("assumption", low=0.1, high=0.5, source="assumption"),
    }
    return EvidenceSet.of(found)
