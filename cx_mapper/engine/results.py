"""Frozen analysis results. Views show these; they never recompute them.

Per-touchpoint figures are read-only numpy arrays in touchpoint order (`ids`), so a
100,000-touchpoint analysis does not build 100,000 objects; `touchpoint(id)` gives
one touchpoint's figures as a small record. A loyalty that is undefined (no
visits) is NaN in the arrays and None in records and JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

SENSITIVITY_TARGETS = ("loyalty_index", "value", "exposure_net", "referral_r")


@dataclass(frozen=True)
class Totals:
    """Journey totals per entering customer (MODEL.md §3-8)."""

    interactions: float
    loyalty_index: float
    value: float
    exposure_positive: float
    exposure_negative: float
    exposure_net: float
    exposure_private: float
    exposure_public: float
    referral_r: float
    deterred: float
    conversion_probability: float | None = None


@dataclass(frozen=True)
class Generations:
    """Totals across all referral generations (MODEL.md §7).

    `growth` is True when each referred customer wins at least one more (R_e >= 1):
    the journey is self-sustaining and the totals are infinite, so they are None.
    """

    growth: bool
    referral_r_referred: float  # R_e
    referred: float | None  # R / (1 - R_e): referred customers per entering customer
    interactions: float | None
    value: float | None
    exposure_positive: float | None
    exposure_negative: float | None


@dataclass(frozen=True, eq=False)
class Series:
    """The perpetual view over steps 0..H (MODEL.md §10). Counts are cumulative,
    except `active` and `loyalty` (NaN when no customer is active)."""

    step: NDArray[np.int64]
    active: FloatArray
    loyalty: FloatArray
    exposure_positive: FloatArray
    exposure_negative: FloatArray
    referred: FloatArray


@dataclass(frozen=True, eq=False)
class TouchpointFigures:
    """Per-touchpoint arrays, in the order of `Analysis.ids`."""

    visits: FloatArray
    loyalty: FloatArray  # L_j = M_j / v_j; NaN when v_j = 0
    loyalty_mass: FloatArray  # M_j
    value: FloatArray  # r_j (v_j + u M_j)
    exposure_positive: FloatArray
    exposure_negative: FloatArray
    exposure_private: FloatArray
    exposure_public: FloatArray
    referrals: FloatArray  # v_j g_j, sums to R
    deterred: FloatArray
    # None without a conversion touchpoint; NaN for goals and where not computed.
    removal_effect: FloatArray | None
    attributed_conversions: FloatArray | None
    sensitivity: dict[str, FloatArray] = field(default_factory=dict)
    # The conversions' value shared out like them; NaN where they are, or when the
    # journey does not know what its conversions are worth (analysis.conversion_value).
    attributed_value: FloatArray | None = None


@dataclass(frozen=True)
class TouchpointResult:
    """One touchpoint's figures, as `analyze --json` prints them."""

    id: str
    visits: float
    loyalty: float | None
    value: float
    exposure_positive: float
    exposure_negative: float
    exposure_private: float
    exposure_public: float
    referrals: float
    deterred: float
    removal_effect: float | None
    attributed_conversions: float | None
    sensitivity: dict[str, float]
    attributed_value: float | None = None


@dataclass(frozen=True, eq=False)
class SegmentResult:
    """One segment's own analysis, before mixing."""

    segment_id: str
    name: str
    share: float  # normalised
    totals: Totals
    generations: Generations
    touchpoints: TouchpointFigures
    series: Series


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything the engine says about one journey, mixed over the project's segments."""

    journey_id: str
    horizon: int | None  # None: infinite
    ids: tuple[str, ...]
    totals: Totals
    generations: Generations
    touchpoints: TouchpointFigures
    series: Series
    segments: tuple[SegmentResult, ...]
    removal_effects_complete: bool = True  # False when limited on a very large journey
    notes: tuple[str, ...] = ()

    @property
    def has_conversion(self) -> bool:
        return self.touchpoints.removal_effect is not None

    def index(self, touchpoint_id: str) -> int:
        return self._index()[touchpoint_id]

    def _index(self) -> dict[str, int]:
        cached = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {tid: i for i, tid in enumerate(self.ids)}
            object.__setattr__(self, "_index_cache", cached)
        return cached

    def touchpoint(self, touchpoint_id: str) -> TouchpointResult:
        return touchpoint_record(self.touchpoints, touchpoint_id, self.index(touchpoint_id))

    def fix_first(self, target: str = "loyalty_index", count: int = 5) -> list[tuple[str, float]]:
        """Touchpoints whose satisfaction moves `target` most, largest gain first."""
        gains = self.touchpoints.sensitivity[target]
        order = np.argsort(-gains, kind="stable")[:count]
        return [(self.ids[i], float(gains[i])) for i in order if gains[i] > 0]


def touchpoint_record(figures: TouchpointFigures, touchpoint_id: str, i: int) -> TouchpointResult:
    def optional(values: FloatArray | None) -> float | None:
        if values is None or math.isnan(values[i]):
            return None
        return float(values[i])

    return TouchpointResult(
        id=touchpoint_id,
        visits=float(figures.visits[i]),
        loyalty=optional(figures.loyalty),
        value=float(figures.value[i]),
        exposure_positive=float(figures.exposure_positive[i]),
        exposure_negative=float(figures.exposure_negative[i]),
        exposure_private=float(figures.exposure_private[i]),
        exposure_public=float(figures.exposure_public[i]),
        referrals=float(figures.referrals[i]),
        deterred=float(figures.deterred[i]),
        removal_effect=optional(figures.removal_effect),
        attributed_conversions=optional(figures.attributed_conversions),
        attributed_value=optional(figures.attributed_value),
        sensitivity={name: float(values[i]) for name, values in figures.sensitivity.items()},
    )


def read_only(values: FloatArray) -> FloatArray:
    values.setflags(write=False)
    return values
