"""Draws of a journey's uncertain inputs from their evidence (MODEL.md §13).

Each input that carries evidence is drawn N times from its distribution
(domain/evidence.py says which); inputs without evidence keep their value in every
draw. One seeded generator draws them in a fixed order (segments, then touchpoints,
then rows), so the same project and seed give the same draws in the app and on the
command line.

- assumption: uniform over a 90% range, so the range's ends are the 5th and 95th
  percentiles: the support reaches past each end by 1/18 of its width (on the
  logarithm for a log scale), held within the figure's valid range;
- workshop: triangular(low, most likely, high);
- survey, or data with a spread: Normal(figure, sd / sqrt(n)), held within range;
  data on a share without a spread (visibility): Beta(n p + 1/2, n (1 - p) + 1/2);
- a row of transitions from counts: Dirichlet(n_ij + 1/2, exits + 1/2) (Jeffreys),
  exits being the touchpoint's departures minus its transitions' counts. Without
  departures the row's share that goes on stays as drawn. Another kind of evidence
  on one probability draws it alone; a row drawn above 1 in all is scaled to 1.

Every drawn input belongs to a group (a touchpoint's figure, a touchpoint's row, a
segment's parameter): what the drivers and research-next are about.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from cx_mapper.domain.evidence import DEFAULT_SAMPLES, Evidence
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import PARAMETER_LABELS, PARAMETER_RANGES, Segment
from cx_mapper.domain.ranges import TOUCHPOINT_RANGES, Range
from cx_mapper.engine.matrices import FloatArray, IntArray

#: Touchpoint figures drawn per draw, in the order they are drawn.
DRAWN_FIELDS = ("satisfaction", "visibility", "value", "impact")
#: How far a uniform's support reaches past a 90% range, per unit of its width:
#: 5% of the mass on each side is (1/18) / (1 + 2/18).
_BEYOND = 1.0 / 18.0


@dataclass(frozen=True)
class InputGroup:
    """One uncertain input: a touchpoint's figure, a touchpoint's row of transitions,
    or a segment's parameter. `values` (N, d) are its draws, what regressions read."""

    key: str
    label: str
    kind: str  # the evidence kind; "data" for a row of counts
    values: FloatArray


@dataclass(frozen=True)
class Pattern:
    """The transitions a journey (and every opportunity of it) may have, row by row:
    entry e goes from touchpoint `rows[e]` to `cols[e]`; `base` holds p_e."""

    rows: IntArray
    cols: IntArray
    base: FloatArray

    @property
    def size(self) -> int:
        return int(self.rows.size)


@dataclass(frozen=True)
class Draws:
    """N draws of a journey's inputs, on the touchpoints of `ids` and a Pattern."""

    count: int
    ids: tuple[str, ...]
    fields: dict[str, FloatArray]  # DRAWN_FIELDS -> (N, n)
    probabilities: FloatArray  # (N, pattern size)
    segments: tuple[dict[str, FloatArray], ...]  # per segment: parameter -> (N,)
    groups: tuple[InputGroup, ...]


def draw(journey: Journey, ids: Sequence[str], pattern: Pattern, segments: Sequence[Segment],
         count: int = DEFAULT_SAMPLES, seed: int = 0) -> Draws:
    """`count` draws of the journey's inputs; `ids` orders its touchpoints (placeholders
    an opportunity adds, absent from `journey`, stay as given)."""
    rng = np.random.default_rng(seed)
    groups: list[InputGroup] = []
    drawn_segments: list[dict[str, FloatArray]] = []
    for segment in segments:
        values: dict[str, FloatArray] = {}
        for name, value in segment.parameters().items():
            found = segment.evidence.get(name)
            drawn = _figure(rng, found, value, PARAMETER_RANGES[name], count) \
                if found is not None else None
            if drawn is None:
                values[name] = np.full(count, value)
                continue
            values[name] = drawn
            assert found is not None
            groups.append(InputGroup(f"segment:{segment.id}:{name}",
                                     f"{segment.name or segment.id}: "
                                     f"{PARAMETER_LABELS[name].lower()}",
                                     found.kind, drawn[:, None]))
        drawn_segments.append(values)

    n = len(ids)
    fields = {name: np.empty((count, n)) for name in DRAWN_FIELDS}
    for i, touchpoint_id in enumerate(ids):
        touchpoint = journey.touchpoints.get(touchpoint_id)
        for name in DRAWN_FIELDS:
            value = float(getattr(touchpoint, name)) if touchpoint is not None else 0.0
            found = touchpoint.evidence.get(name) if touchpoint is not None else None
            drawn = _figure(rng, found, value, TOUCHPOINT_RANGES[name], count,
                            share=name == "visibility") if found is not None else None
            if drawn is None:
                fields[name][:, i] = value
                continue
            fields[name][:, i] = drawn
            assert found is not None and touchpoint is not None
            groups.append(InputGroup(f"touchpoint:{touchpoint_id}:{name}",
                                     f"{touchpoint.name or touchpoint_id}: {name}",
                                     found.kind, drawn[:, None]))
    probabilities, row_groups = _rows(rng, journey, ids, pattern, count)
    groups.extend(row_groups)
    return Draws(count, tuple(ids), fields, probabilities, tuple(drawn_segments),
                 tuple(groups))


def _figure(rng: np.random.Generator, evidence: Evidence | None, value: float, limits: Range,
            count: int, *, share: bool = False) -> FloatArray | None:
    """Draws of one figure from its evidence, or None when it stays fixed."""
    if evidence is None:
        return None
    kind = evidence.kind
    drawn: FloatArray | None = None
    if kind == "assumption" and evidence.low is not None and evidence.high is not None:
        low, high = evidence.low, evidence.high
        if evidence.scale == "log" and low > 0:
            a, b = math.log(low), math.log(high)
            width = b - a
            drawn = np.exp(rng.uniform(a - _BEYOND * width, b + _BEYOND * width, count))
        else:
            width = high - low
            drawn = rng.uniform(low - _BEYOND * width, high + _BEYOND * width, count)
    elif kind == "workshop" and None not in (evidence.low, evidence.mode, evidence.high):
        low, mode, high = float(evidence.low), float(evidence.mode), float(evidence.high)  # type: ignore[arg-type]
        drawn = np.full(count, mode) if high <= low else rng.triangular(low, mode, high, count)
    elif kind in ("survey", "data") and evidence.n is not None and evidence.n >= 1:
        n = float(evidence.n)
        if evidence.sd is not None:
            drawn = rng.normal(value, evidence.sd / math.sqrt(n), count)
        elif share and kind == "data":
            p = min(1.0, max(0.0, value))
            drawn = rng.beta(n * p + 0.5, n * (1.0 - p) + 0.5, count)
    if drawn is None:
        return None
    low_limit, high_limit = limits
    return np.clip(drawn, -np.inf if low_limit is None else low_limit,
                   np.inf if high_limit is None else high_limit)


def _rows(rng: np.random.Generator, journey: Journey, ids: Sequence[str], pattern: Pattern,
          count: int) -> tuple[FloatArray, list[InputGroup]]:
    """Draws of every transition probability (N, pattern size) and the row groups."""
    probabilities = np.broadcast_to(pattern.base, (count, pattern.size)).copy()
    groups: list[InputGroup] = []
    starts = np.searchsorted(pattern.rows, np.arange(len(ids) + 1))
    for i, source in enumerate(ids):
        entries = np.arange(starts[i], starts[i + 1])
        touchpoint = journey.touchpoints.get(source)
        if touchpoint is None or entries.size == 0:
            continue
        evidence = [(e, journey.transitions[(source, ids[pattern.cols[e]])].evidence
                     if (source, ids[pattern.cols[e]]) in journey.transitions else None)
                    for e in entries]
        departures = touchpoint.evidence.get("departures")
        counted = [(e, ev) for e, ev in evidence if ev is not None and ev.kind == "data"
                   and ev.n is not None and pattern.base[e] > 0]
        others = [(e, ev) for e, ev in evidence if ev is not None and ev.kind != "data"]
        drew = False
        if counted:  # a row of counts; departures alone say nothing of where they went
            live = [e for e in entries if pattern.base[e] > 0]
            counts = {e: float(ev.n) for e, ev in counted if ev.n is not None}
            alpha = np.array([counts.get(e, 0.0) + 0.5 for e in live])
            departed = departures.n if departures is not None and departures.kind == "data" \
                else None
            gammas = rng.gamma(alpha, size=(count, alpha.size))
            if departed is not None:
                exits = max(float(departed) - sum(counts.values()), 0.0) + 0.5
                total = gammas.sum(axis=1) + rng.gamma(exits, size=count)
                probabilities[:, live] = gammas / total[:, None]
            else:  # no departures: the share that goes on stays the row's own
                on = float(pattern.base[live].sum())
                probabilities[:, live] = on * gammas / gammas.sum(axis=1, keepdims=True)
            drew = bool(live)
        for e, ev in others:
            target = ids[pattern.cols[e]]
            drawn = _figure(rng, ev, float(pattern.base[e]), (0.0, 1.0), count)
            if drawn is not None:
                probabilities[:, e] = drawn
                drew = True
                groups.append(InputGroup(f"transition:{source}:{target}",
                                         f"{touchpoint.name or source} → "
                                         f"{_name(journey, target)}", ev.kind, drawn[:, None]))
        if not drew:
            continue
        sums = probabilities[:, entries].sum(axis=1)
        over = sums > 1.0
        if over.any():
            probabilities[np.ix_(over, entries)] /= sums[over, None]
        if counted:
            groups.append(InputGroup(f"row:{source}", f"{touchpoint.name or source}: "
                                     "where customers go next", "data",
                                     probabilities[:, entries].copy()))
    return probabilities, groups


def _name(journey: Journey, touchpoint_id: str) -> str:
    touchpoint = journey.touchpoints.get(touchpoint_id)
    return (touchpoint.name or touchpoint_id) if touchpoint is not None else touchpoint_id


def chain_pattern(probabilities: Any, extra: Sequence[tuple[int, int]] = ()) -> Pattern:
    """The pattern of a chain's transitions (a sparse matrix), with `extra` entries (an
    opportunity's new transitions) at probability 0, in row order."""
    coo = sp.coo_array(probabilities)
    rows = np.concatenate([coo.row, np.array([r for r, _ in extra], np.int64)])
    cols = np.concatenate([coo.col, np.array([c for _, c in extra], np.int64)])
    base = np.concatenate([coo.data, np.zeros(len(extra))])
    keys = rows.astype(np.int64) * max(1, probabilities.shape[0]) + cols
    unique, first = np.unique(keys, return_index=True)
    order = first  # unique keys sorted: by row, then column
    summed = np.zeros(unique.size)
    np.add.at(summed, np.searchsorted(unique, keys), base)
    return Pattern(rows[order].astype(np.int64), cols[order].astype(np.int64), summed)
