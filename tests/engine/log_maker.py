"""Event logs of customers walking a journey's own probabilities, for the drift tests.

Each customer enters by the entry shares, takes each next move by the drawn
transition probabilities (the rest leaves), and scores each visit in CSAT 1-5 around
the touchpoint's satisfaction: the floor or the ceiling of 3 + 2 x satisfaction, in
the proportion that makes the mean exactly it. `shift` moves probability mass of one
transition, to show the drift tests a log that moved.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path

from cx_mapper.domain.abandonment import row_multiplier
from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.domain.project import Segment
from cx_mapper.engine.drift_report import LogFigures

#: A walk stops after this many visits (a journey may loop).
LONGEST = 200


def walk(journey: Journey, customers: int, seed: int, *,
         probabilities: Mapping[tuple[str, str], float] | None = None,
         satisfaction: Mapping[str, float] | None = None,
         segments: Sequence[Segment] = (),
         ) -> list[tuple[str, datetime, str, int]]:
    """Rows (customer, timestamp, touchpoint name, CSAT); `probabilities` and
    `satisfaction` override the journey's, by transition key and touchpoint id.
    With `segments`, each customer belongs to one (by share) and walks the rows as the
    model has that segment follow them, after abandonment (MODEL.md §2); without, the
    drawn probabilities as they are."""
    rng = random.Random(seed)
    chances = {key: t.probability for key, t in journey.transitions.items()}
    chances.update(probabilities or {})
    scores = {tid: t.satisfaction for tid, t in journey.touchpoints.items()}
    scores.update(satisfaction or {})
    sums: dict[str, float] = {}
    for (source, _), chance in chances.items():
        sums[source] = sums.get(source, 0.0) + chance
    kinds = [(segment.share, _rows(journey, chances, sums, segment.abandon_on_poor))
             for segment in segments] or [(1.0, _rows(journey, chances, sums, 0.0))]
    entries = [(t.id, t.entry) for t in journey.touchpoints.values() if t.entry > 0]
    start = datetime(2026, 11, 1)
    rows: list[tuple[str, datetime, str, int]] = []
    total_share = sum(share for share, _ in kinds)
    for customer in range(customers):
        outgoing = _pick_kind(kinds, rng.random() * total_share)
        when = start + timedelta(minutes=rng.randrange(60 * 24 * 28))
        here: str | None = _pick(entries, rng.random())
        steps = 0
        while here is not None and steps < LONGEST:
            rows.append((f"c{customer:06d}", when, journey.touchpoints[here].name,
                         _csat(scores[here], rng)))
            when += timedelta(minutes=1 + rng.randrange(60 * 24))
            here = _pick(outgoing.get(here, []), rng.random())
            steps += 1
    return rows


Rows = dict[str, list[tuple[str, float]]]


def _rows(journey: Journey, chances: Mapping[tuple[str, str], float],
          sums: Mapping[str, float], abandon_on_poor: float) -> Rows:
    outgoing: Rows = {}
    for (source, target), chance in chances.items():
        touchpoint = journey.touchpoints[source]
        kept = row_multiplier(abandon_on_poor, touchpoint.satisfaction,
                              touchpoint.measured_satisfaction, sums[source])
        outgoing.setdefault(source, []).append((target, kept * chance))
    return outgoing


def _pick_kind(kinds: list[tuple[float, Rows]], draw: float) -> Rows:
    total = 0.0
    for share, rows in kinds:
        total += share
        if draw < total:
            return rows
    return kinds[-1][1]


def _pick(chances: list[tuple[str, float]], draw: float) -> str | None:
    total = 0.0
    for target, chance in chances:
        total += chance
        if draw < total:
            return target
    return None  # the rest leaves the journey


def _csat(satisfaction: float, rng: random.Random) -> int:
    mean = 3.0 + 2.0 * max(-1.0, min(1.0, satisfaction))
    low = math.floor(mean)
    return int(min(5, low + (rng.random() < mean - low)))


def write_log(path: Path, rows: list[tuple[str, datetime, str, int]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(["customer_id", "timestamp", "touchpoint", "csat"])
        for customer, when, name, score in rows:
            out.writerow([customer, when.isoformat(sep=" "), name, score])
    return path


def figures(journey: Journey, rows: list[tuple[str, datetime, str, int]]) -> LogFigures:
    """What the log reader would give for `rows`, counted in Python (no file): the
    estimated journey is the drawn one's touchpoints with the log's mean scores."""
    paths: dict[str, list[tuple[datetime, int, str, int]]] = {}
    for seq, (customer, when, name, score) in enumerate(rows):
        paths.setdefault(customer, []).append((when, seq, name, score))
    pairs: dict[tuple[str, str], int] = {}
    starts: dict[str, int] = {}
    ends: dict[str, int] = {}
    scored: dict[str, list[float]] = {}
    for events in paths.values():
        events.sort()
        names = [e[2] for e in events]
        starts[names[0]] = starts.get(names[0], 0) + 1
        ends[names[-1]] = ends.get(names[-1], 0) + 1
        for a, b in zip(names, names[1:], strict=False):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
        for _, _, name, score in events:
            scored.setdefault(name, []).append((score - 1) / 2 - 1)
    estimated = Journey(id="imported")
    by_name = {t.name: t for t in journey.touchpoints.values()}
    scores: dict[str, tuple[int, float | None]] = {}
    for name, values in scored.items():
        mean = sum(values) / len(values)
        variance = (sum((v - mean) ** 2 for v in values) / (len(values) - 1)
                    if len(values) > 1 else None)
        estimated.add_touchpoint(Touchpoint(by_name[name].id, name=name, satisfaction=mean))
        scores[by_name[name].id] = (len(values), variance)
    return LogFigures(estimated, pairs, starts, ends,
                      {tid: ("satisfaction",) for tid in scores}, scores, len(rows))
