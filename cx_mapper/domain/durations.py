"""Durations as people say them: "45 min", "2 h", "2 d", "3 wk".

Times between touchpoints and in stages are kept in seconds (elements.py); every
place that shows one (the arrow overlay, the Inspector, the summary) uses
`short_duration`, so a time reads the same everywhere.
"""

from __future__ import annotations

import math

MINUTE = 60.0
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WEEK = 7 * DAY
#: A month and a year as calendars average them.
MONTH = 365.25 / 12 * DAY
YEAR = 365.25 * DAY

#: (unit, its seconds, up to this many seconds the unit is used), smallest first.
_UNITS: tuple[tuple[str, float, float], ...] = (
    ("s", 1.0, MINUTE),
    ("min", MINUTE, HOUR),
    ("h", HOUR, 2 * DAY),
    ("d", DAY, 2 * WEEK),
    ("wk", WEEK, 2 * MONTH),
    ("mo", MONTH, 2 * YEAR),
    ("yr", YEAR, math.inf),
)


def short_duration(seconds: float | None) -> str:
    """A duration in the largest unit that keeps it at least about 1 ("36 h" below two
    days, "2 d" from there): whole numbers, one decimal below 10 where it tells
    ("1.5 h"). None, NaN or a negative time is "–"."""
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        return "–"
    # What would round up to the next unit goes there ("60 min" is "1 h").
    unit, size, _ = next(u for u in _UNITS if seconds < u[2] - u[1] / 20)
    number = seconds / size
    if number < 10 and round(number, 1) != round(number):
        return f"{number:.1f} {unit}"
    return f"{number:,.0f} {unit}"


def median_and_p90(median: float | None, p90: float | None) -> str:
    """"2 d (90%: 9 d)", or "–" when nothing was measured."""
    if median is None:
        return "–"
    if p90 is None:
        return short_duration(median)
    return f"{short_duration(median)} (90%: {short_duration(p90)})"
