"""Aggregated conversion paths as flat arrays: what attribution models read.

A path file (persistence/path_data.py) has one row per distinct path with how many
took it and converted, their conversion value, and how many took it and did not. The
engine holds the rows as one flat array of channel numbers with row offsets, so the
models work column-wise (np.bincount) and a million paths are no million objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Paths:
    """Rows of paths over channels 0..channel_count-1."""

    channel_count: int
    touches: IntArray  # every row's channels, one row after another
    offsets: IntArray  # row i is touches[offsets[i]:offsets[i + 1]]; never empty
    conversions: FloatArray
    values: FloatArray  # total conversion value per row
    nulls: FloatArray

    @property
    def rows(self) -> int:
        return int(self.conversions.size)

    @property
    def lengths(self) -> IntArray:
        return np.diff(self.offsets)

    @property
    def row_of_touch(self) -> IntArray:
        return np.repeat(np.arange(self.rows, dtype=np.int64), self.lengths)

    @property
    def position(self) -> IntArray:
        """Each touch's place in its path, from 0."""
        return np.arange(self.touches.size, dtype=np.int64) - np.repeat(
            self.offsets[:-1], self.lengths)


def paths_of(rows: Sequence[Sequence[int]], conversions: Sequence[float],
             values: Sequence[float] | None = None, nulls: Sequence[float] | None = None,
             channel_count: int | None = None) -> Paths:
    """Paths from channel-number sequences (tests and small callers)."""
    if any(len(row) == 0 for row in rows):
        raise ValueError("a path has at least one channel")
    lengths = np.array([len(row) for row in rows], dtype=np.int64)
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    touches = np.fromiter((c for row in rows for c in row), dtype=np.int64,
                          count=int(offsets[-1]))
    if channel_count is None:
        channel_count = int(touches.max()) + 1 if touches.size else 0
    zeros = [0.0] * len(rows)
    return Paths(channel_count, touches, offsets, np.asarray(conversions, dtype=np.float64),
                 np.asarray(zeros if values is None else values, dtype=np.float64),
                 np.asarray(zeros if nulls is None else nulls, dtype=np.float64))
