"""What `cx-mapper attribution` prints: per channel, the Markov removal effect and its
attributed conversions and value beside the heuristic models (heuristics.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from cx_mapper.domain.quoting import quoted
from cx_mapper.engine.conversion_paths import Paths
from cx_mapper.engine.heuristics import (
    FIRST_SHARE,
    LAST_SHARE,
    MIDDLE_SHARE,
    MODELS,
    Credit,
    heuristic_models,
)
from cx_mapper.engine.higher_order import MarkovCredit, markov_attribution

#: Each model as the table heads it.
_LABELS = {"markov": "Markov", "first_touch": "first touch", "last_touch": "last touch",
           "linear": "linear", "position_based": "position-based"}


@dataclass(frozen=True, eq=False)
class PathAttribution:
    channels: tuple[str, ...]
    paths: Paths
    markov: MarkovCredit
    heuristics: dict[str, Credit]
    has_value: bool  # whether the data has conversion values

    @property
    def models(self) -> dict[str, Credit]:
        return {"markov": Credit(self.markov.conversions, self.markov.value), **self.heuristics}


def attribute_paths(channels: Sequence[str], paths: Paths, order: int = 1,
                    has_value: bool = True) -> PathAttribution:
    return PathAttribution(tuple(channels), paths, markov_attribution(paths, order),
                           heuristic_models(paths), has_value)


def attribution_to_json(result: PathAttribution) -> dict[str, Any]:
    """The `attribution --json` object (README, command section)."""
    paths = result.paths
    models = result.models
    channels: dict[str, Any] = {}
    for i, name in enumerate(result.channels):
        channels[name] = {"removal_effect": _number(result.markov.removal_effect[i]), **{
            model: {"conversions": _number(credit.conversions[i]),
                    "value": _number(credit.value[i]) if result.has_value else None}
            for model, credit in models.items()}}
    return {
        "order": result.markov.order,
        "states": result.markov.states,
        "paths": paths.rows,
        "conversions": float(paths.conversions.sum()),
        "value": float(paths.values.sum()) if result.has_value else None,
        "nulls": float(paths.nulls.sum()),
        "conversion_probability": _number(result.markov.probability),
        "position_based_split": [FIRST_SHARE, MIDDLE_SHARE, LAST_SHARE],
        "channels": channels,
    }


def attribution_table(result: PathAttribution) -> str:
    """One row per channel, largest removal effect first; conversions then value per model."""
    paths = result.paths
    conversions = float(paths.conversions.sum())
    worth = f" worth {paths.values.sum():,.2f}" if result.has_value else ""
    lines = [
        f"{_count(paths.rows, 'distinct path')}, {_count(conversions, 'conversion')}{worth}, "
        f"{_amount(float(paths.nulls.sum()))} without; Markov order {result.markov.order} "
        f"({result.markov.states:,} states), conversion probability "
        f"{result.markov.probability:.2%}",
        "Each model shares out the conversions and their value (position-based: "
        f"{FIRST_SHARE:.0%} first, {MIDDLE_SHARE:.0%} between, "
        f"{LAST_SHARE:.0%} last).",
        "",
    ]
    names = [quoted(name) for name in result.channels]
    width = min(max(len(name) for name in (*names, "channel")), 30)
    models = result.models
    group = 21
    lines.append(f"{'':<{width}}  {'removal':>8}  " + "  ".join(
        f"{_LABELS[model]:^{group}}" for model in ("markov", *MODELS)))
    lines.append(f"{'channel':<{width}}  {'effect':>8}  " + "  ".join(
        f"{'conversions':>11} {'value':>9}" for _ in models))
    order = np.argsort(-np.nan_to_num(result.markov.removal_effect, nan=-1.0), kind="stable")
    for i in order:
        effect = result.markov.removal_effect[i]
        cells = [f"{_cell(credit.conversions[i], ',.2f'):>11} "
                 f"{_cell(credit.value[i] if result.has_value else math.nan, ',.0f'):>9}"
                 for credit in models.values()]
        lines.append(f"{names[i][:width]:<{width}}  {_cell(effect, '.1%'):>8}  "
                     + "  ".join(cells))
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _cell(value: float, spec: str) -> str:
    return "–" if not math.isfinite(value) else format(value, spec)


def _amount(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


def _count(number: float, noun: str) -> str:
    return f"{_amount(number)} {noun}{'' if number == 1 else 's'}"


def _number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
