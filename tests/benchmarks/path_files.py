"""Conversion-path files for the benchmarks, shaped like ChannelAttribution's Data.csv.

Data.csv (shipped with ChannelAttribution) has 10,000 distinct paths over 12
channels named by Greek letters, one to a few dozen touches each, with conversions,
a conversion value and nulls per path. `write_paths` writes a file of that header
and kind with as many distinct paths as asked: channels drawn from a skewed
first-order chain, lengths about geometric (mean 4), counts small and skewed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

CHANNELS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota",
            "kappa", "lambda", "mu")
HEADER = "path;total_conversions;total_conversion_value;total_null"


def write_paths(file: Path, paths: int, *, seed: int = 7) -> Path:
    """`paths` distinct paths written to `file` (semicolon CSV, Data.csv's header)."""
    rng = np.random.default_rng(seed)
    k = len(CHANNELS)
    moves = rng.dirichlet(np.full(k, 0.6), size=k)
    cumulative = np.cumsum(moves, axis=1)
    cumulative[:, -1] = 1.0
    entry = np.cumsum(rng.dirichlet(np.full(k, 0.8)))
    entry[-1] = 1.0
    seen: set[str] = set()
    lines: list[str] = []
    while len(lines) < paths:
        batch = max(1000, int((paths - len(lines)) * 1.3))
        lengths = rng.geometric(0.22, batch) + rng.integers(0, 3, batch)
        longest = int(lengths.max())
        walk = np.empty((batch, longest), dtype=np.int64)
        walk[:, 0] = np.searchsorted(entry, rng.random(batch))
        draws = rng.random((batch, longest))
        for step in range(1, longest):
            rows = cumulative[walk[:, step - 1]]
            walk[:, step] = (rows < draws[:, step, None]).sum(axis=1)
        conversions = rng.poisson(0.4 * lengths) * (rng.random(batch) < 0.7)
        nulls = rng.poisson(3.0, batch) + (conversions == 0)
        values = np.round(conversions * rng.uniform(20, 120, batch), 2)
        for i in range(batch):
            text = " > ".join(CHANNELS[c] for c in walk[i, :lengths[i]])
            if text in seen:
                continue
            seen.add(text)
            lines.append(f"{text};{conversions[i]};{values[i]:.2f};{nulls[i]}")
            if len(lines) == paths:
                break
    file.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return file
