"""The valid range of each number a touchpoint, a transition and a journey hold: one home each.

The validation, the JSON reader and the inspector all read these, so a value the
inspector accepts is one the file format accepts and the analysis takes (MODEL.md,
"Elements"). Segment parameters keep theirs beside the presets (project.py).
"""

from __future__ import annotations

from math import isfinite

#: (low, high), inclusive; None means unbounded on that side.
Range = tuple[float | None, float | None]

#: Touchpoint numbers. `value`, `x` and `y` may be any finite number.
TOUCHPOINT_RANGES: dict[str, Range] = {
    "satisfaction": (-1.0, 1.0),
    "visibility": (0.0, 1.0),
    "value": (None, None),
    "impact": (0.0, 1.0),
    "entry": (0.0, None),
    "referral_entry": (0.0, None),
    "x": (None, None),
    "y": (None, None),
}

#: Transition numbers: the share of customers at the source who go on to the target.
TRANSITION_RANGES: dict[str, Range] = {
    "probability": (0.0, 1.0),
}

#: Journey numbers. `horizon` is a whole number of steps.
JOURNEY_RANGES: dict[str, Range] = {
    "discount_rate": (0.0, None),
    "horizon": (0.0, None),
    "conversions": (0.0, None),
}


def within(value: float, limits: Range) -> bool:
    """A finite number inside `limits` (NaN and infinities never are)."""
    low, high = limits
    return isfinite(value) and (low is None or value >= low) and (high is None or value <= high)


def range_words(low: float | None, high: float | None, *, above: bool = False) -> str:
    """A range as messages say it: "between 0 and 1", "0 or more", "above 0" (`above`:
    the low end is excluded)."""
    if low is not None and high is not None:
        return f"between {low:g} and {high:g}"
    if low is not None:
        return f"above {low:g}" if above else f"{low:g} or more"
    if high is not None:
        return f"{high:g} or less"
    return "a finite number"
