"""The valid range of each number a touchpoint, a transition and a journey hold: one home each.

The validation, the JSON reader and the inspector all read these, so a value the
inspector accepts is one the file format accepts and the analysis takes (MODEL.md,
"Elements"). Segment parameters keep theirs beside the presets (project.py).
"""

from __future__ import annotations

from math import isfinite

#: (low, high), inclusive; None means unbounded on that side.
Range = tuple[float | None, float | None]

#: Money per visit, either way: a billion per interaction is beyond any business, and
#: with visits at most about 1e16 (a discount near the float's precision) every total
#: stays far below the float's 1.8e308, so no figure overflows to inf.
VALUE_LIMIT = 1e9
#: Entry shares are scaled to sum to 1, so only their ratios matter; a million to one is
#: finer than anyone draws, and 100,000 touchpoints at the cap still sum to a finite 1e11.
SHARE_LIMIT = 1e6
#: Steps of the time series and of `analyze --horizon`: 10,000 steps is over 800 years
#: of monthly steps. An unrolled horizon grows with touchpoints times steps; at the
#: bound a 40-touchpoint journey takes about 2 s (README, design notes).
HORIZON_LIMIT = 10_000

#: Touchpoint numbers. `x` and `y` may be any finite number.
TOUCHPOINT_RANGES: dict[str, Range] = {
    "satisfaction": (-1.0, 1.0),
    "visibility": (0.0, 1.0),
    "value": (-VALUE_LIMIT, VALUE_LIMIT),
    "impact": (0.0, 1.0),
    "entry": (0.0, SHARE_LIMIT),
    "referral_entry": (0.0, SHARE_LIMIT),
    "x": (None, None),
    "y": (None, None),
}

#: Touchpoint numbers that may be absent (None): sigma0 of a measured row (MODEL.md §2).
OPTIONAL_TOUCHPOINT_RANGES: dict[str, Range] = {
    "measured_satisfaction": (-1.0, 1.0),
}

#: Times measured from an event log, in seconds, on transitions and stages; None when
#: not measured. A century is beyond any journey, and keeps every sum finite.
TIME_LIMIT = 100 * 365.25 * 86400
TIME_RANGES: dict[str, Range] = {
    "time_median": (0.0, TIME_LIMIT),
    "time_p90": (0.0, TIME_LIMIT),
}

#: Transition numbers: the share of customers at the source who go on to the target.
TRANSITION_RANGES: dict[str, Range] = {
    "probability": (0.0, 1.0),
}

#: A transition at or below this probability carries no customers as far as the model
#: goes: less than one in a trillion changes no shown digit, and in floating point
#: 1 - p is then 1, so a loop left only through such a transition is closed. The
#: closed-loop check and the engine both ignore it (a fuzzed 1e-308 made both disagree).
NEGLIGIBLE_PROBABILITY = 1e-12

#: Journey numbers. `horizon` is a whole number of steps.
JOURNEY_RANGES: dict[str, Range] = {
    "discount_rate": (0.0, None),
    "horizon": (0.0, HORIZON_LIMIT),
    # Conversions are a count over the period the data covers: a trillion is more than
    # any journey has, and keeps attributed conversions finite.
    "conversions": (0.0, 1e12),
}


def within(value: float, limits: Range) -> bool:
    """A finite number inside `limits` (NaN and infinities never are)."""
    low, high = limits
    return isfinite(value) and (low is None or value >= low) and (high is None or value <= high)


def range_words(low: float | None, high: float | None, *, above: bool = False) -> str:
    """A range as messages say it: "between 0 and 1", "0 or more", "above 0" (`above`:
    the low end is excluded)."""
    if low is not None and high is not None:
        if above:
            return f"above {bound_words(low)} and at most {bound_words(high)}"
        return f"between {bound_words(low)} and {bound_words(high)}"
    if low is not None:
        return f"above {bound_words(low)}" if above else f"{bound_words(low)} or more"
    if high is not None:
        return f"{bound_words(high)} or less"
    return "a finite number"


def bound_words(number: float) -> str:
    """A bound as people read it: 1, 0.5, 10,000 and 1,000,000,000 rather than 1e+09."""
    if float(number).is_integer() and abs(number) < 1e15:
        return f"{number:,.0f}"
    return f"{number:g}"
