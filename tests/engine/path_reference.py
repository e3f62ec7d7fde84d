"""An exact reference for Markov attribution over paths, and path files to check it on.

Independent of the engine: states are built with dicts and tuples, and every
probability is solved in fractions.Fraction by Gaussian elimination.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

Row = tuple[tuple[str, ...], Fraction, Fraction, Fraction]  # path, conversions, value, nulls

HEADER = "path;total_conversions;total_conversion_value;total_null"


@dataclass(frozen=True)
class Exact:
    probability: Fraction
    removal_effect: dict[str, Fraction]
    conversions: dict[str, Fraction]
    value: dict[str, Fraction]


def exact_markov(rows: list[Row], order: int) -> Exact:
    channels = list(dict.fromkeys(c for path, *_ in rows for c in path))
    rows = [row for row in rows if row[1] + row[3] > 0]
    probability = _conversion(rows, order, removed=None)
    effects = {c: 1 - _conversion(rows, order, removed=c) / probability for c in channels}
    total_effect = sum(effects.values())
    conversions = sum(row[1] for row in rows)
    value = sum(row[2] for row in rows)
    return Exact(probability, effects,
                 {c: e / total_effect * conversions for c, e in effects.items()},
                 {c: e / total_effect * value for c, e in effects.items()})


def _conversion(rows: list[Row], order: int, removed: str | None) -> Fraction:
    visits: dict[tuple[str, ...], Fraction] = defaultdict(Fraction)
    moves: dict[tuple[str, ...], dict[tuple[str, ...], Fraction]] = defaultdict(
        lambda: defaultdict(Fraction))
    converts: dict[tuple[str, ...], Fraction] = defaultdict(Fraction)
    starts: dict[tuple[str, ...], Fraction] = defaultdict(Fraction)
    for path, conversions, _, nulls in rows:
        weight = conversions + nulls
        states = [path[max(0, t - order + 1):t + 1] for t in range(len(path))]
        starts[states[0]] += weight
        for state in states:
            visits[state] += weight
        for here, there in zip(states, states[1:], strict=False):
            moves[here][there] += weight
        converts[states[-1]] += conversions
    total = sum(starts.values())
    kept = [s for s in visits if removed not in s]
    index = {s: i for i, s in enumerate(kept)}
    n = len(kept)
    # (I - Q) h = r over the states kept; flow into a removed state leaves.
    matrix = [[Fraction(int(i == j)) for j in range(n)] + [converts[s] / visits[s]]
              for i, s in enumerate(kept)]
    for s in kept:
        for there, count in moves[s].items():
            if there in index:
                matrix[index[s]][index[there]] -= count / visits[s]
    h = _solve(matrix)
    return sum((starts[s] / total * h[index[s]] for s in kept), Fraction(0))


def _solve(augmented: list[list[Fraction]]) -> list[Fraction]:
    n = len(augmented)
    for col in range(n):
        pivot = next(r for r in range(col, n) if augmented[r][col] != 0)
        augmented[col], augmented[pivot] = augmented[pivot], augmented[col]
        lead = augmented[col][col]
        augmented[col] = [x / lead for x in augmented[col]]
        for r in range(n):
            factor = augmented[r][col]
            if r != col and factor != 0:
                augmented[r] = [x - factor * y for x, y in zip(augmented[r], augmented[col],
                                                               strict=True)]
    return [augmented[r][n] for r in range(n)]


def realistic_rows(seed: int = 7, count: int = 60) -> list[Row]:
    """Distinct paths over six channels as a shop's export has them: mostly short, some
    long, repeats (a channel twice in a row, or again later), values with cents."""
    rng = random.Random(seed)
    channels = ["Search", "Email", "Display", "Social", "Direct", "Affiliate"]
    weights = [30, 15, 20, 15, 12, 8]
    found: dict[tuple[str, ...], Row] = {}
    while len(found) < count:
        length = min(1 + int(rng.expovariate(0.6)), 7)
        path = tuple(rng.choices(channels, weights)[0] for _ in range(length))
        nulls = rng.randint(0, 40)
        conversions = rng.randint(0, 12) if "Email" in path or length > 2 else rng.randint(0, 3)
        cents = sum(rng.randint(2000, 18000) for _ in range(conversions))
        found.setdefault(path, (path, Fraction(conversions), Fraction(cents, 100),
                                Fraction(nulls)))
    return list(found.values())


def file_text(rows: list[Row]) -> str:
    lines = [HEADER] + [
        f"{' > '.join(path)};{int(conv)};{float(value):.2f};{int(nulls)}"
        for path, conv, value, nulls in rows]
    return "\n".join(lines) + "\n"
