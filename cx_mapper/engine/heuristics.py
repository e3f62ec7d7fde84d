"""Rule-based (heuristic) attribution over conversion paths.

First-touch, last-touch and linear are ChannelAttribution's `heuristic_models`:
  - first touch: a row's conversions (and value) all go to its first channel;
  - last touch: all to its last channel;
  - linear: split equally over the row's touches, repeats counted, so in
    'A > B > A' A gets 2/3 and B 1/3.
Position-based (U-shaped, which ChannelAttribution does not have) splits 40/20/40:
40% to the first touch, 40% to the last and 20% equally over the touches between;
a path of two touches splits 50/50, a single touch takes all. Repeats count by
position, as in linear. Rows without conversions give nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cx_mapper.engine.conversion_paths import FloatArray, Paths

#: What position-based gives the first touch, the touches between (shared) and the last.
FIRST_SHARE, MIDDLE_SHARE, LAST_SHARE = 0.4, 0.2, 0.4
MODELS = ("first_touch", "last_touch", "linear", "position_based")


@dataclass(frozen=True, eq=False)
class Credit:
    """One model's attributed conversions and value per channel."""

    conversions: FloatArray
    value: FloatArray


def heuristic_models(paths: Paths) -> dict[str, Credit]:
    """Each model's credit per channel, in MODELS order."""
    starts = paths.offsets[:-1]
    ends = paths.offsets[1:] - 1
    weights = {
        "first_touch": (paths.touches[starts], None),
        "last_touch": (paths.touches[ends], None),
        "linear": (paths.touches, _linear_shares(paths)),
        "position_based": (paths.touches, _position_shares(paths)),
    }
    rows = paths.row_of_touch
    out: dict[str, Credit] = {}
    for model, (channels, share) in weights.items():
        if share is None:  # one touch per row
            out[model] = Credit(_sum(channels, paths.conversions, paths.channel_count),
                                _sum(channels, paths.values, paths.channel_count))
        else:
            out[model] = Credit(
                _sum(channels, share * paths.conversions[rows], paths.channel_count),
                _sum(channels, share * paths.values[rows], paths.channel_count))
    return out


def _linear_shares(paths: Paths) -> FloatArray:
    return np.repeat(1.0 / paths.lengths, paths.lengths)


def _position_shares(paths: Paths) -> FloatArray:
    lengths = paths.lengths
    n = np.repeat(lengths, lengths)
    position = paths.position
    middle = MIDDLE_SHARE / np.maximum(n - 2, 1)
    share = np.where(position == 0, FIRST_SHARE,
                     np.where(position == n - 1, LAST_SHARE, middle))
    share = np.where(n == 2, 0.5, share)
    return np.where(n == 1, 1.0, share)


def _sum(channels: np.ndarray, weights: FloatArray, count: int) -> FloatArray:
    return np.bincount(channels, weights=weights, minlength=count).astype(np.float64)
