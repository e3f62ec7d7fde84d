"""Event logs the import tests write: a small hand-made one and a synthetic generator."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cx_mapper.persistence.event_log import (
    LogColumns,
)

HEADER = ["customer_id", "timestamp", "touchpoint", "csat", "public", "revenue", "stage"]


SMALL = [
    ["c1", "2026-01-01 10:00", "Ad", "4", "no", "", "Awareness"],
    ["c1", "2026-01-01 11:00", "Site", "3", "no", "", "Consideration"],
    ["c1", "2026-01-02 09:00", "Buy", "5", "yes", "40", "Purchase"],
    ["c2", "2026-01-01 10:00", "Ad", "2", "yes", "", "Awareness"],
    ["c2", "2026-01-03 10:00", "Buy", "4", "no", "60", "Purchase"],
    ["c3", "2026-01-05 10:00", "Site", "3", "no", "", "Consideration"],
]


FULL = LogColumns(satisfaction="csat", public="public", revenue="revenue", stage="stage")


def synthetic_log(folder: Path, customers: int, *, touchpoints: int = 30, seed: int = 1,
                  formats: tuple[str, ...] = ("csv",), scores: bool = True) -> SyntheticLog:
    """A log of customers walking a random journey, written as folder/log.csv and/or
    log.parquet, rows in timestamp order (customers interleaved). Each touchpoint goes
    on to 6 others; about 1 in 10 customers leaves at each step, so there are about
    10 events per customer. A customer's timestamps are all different, seconds
    apart or more, so any tool that sorts by time orders them the same way.
    With `scores`: CSAT 1-5, public yes/no and a revenue on about 1 event in 10.
    """
    import duckdb

    rng = np.random.default_rng(seed)
    k = touchpoints
    names = tuple(f"Touchpoint {i + 1:02d}" for i in range(k))
    entry = rng.dirichlet(np.ones(k))
    truth = np.zeros((k, k))
    for i in range(k):
        successors = rng.choice(np.delete(np.arange(k), i), size=min(6, k - 1), replace=False)
        truth[i, successors] = rng.dirichlet(np.ones(successors.size)) * rng.uniform(0.88, 0.92)
    cumulative = np.cumsum(np.hstack([truth, 1 - truth.sum(1, keepdims=True)]), axis=1)
    cumulative[:, -1] = 1.0
    ids = np.arange(customers, dtype=np.int64)
    state = np.minimum(np.searchsorted(np.cumsum(entry), rng.random(customers)), k - 1)
    starts = np.bincount(state, minlength=k)
    ends = np.zeros(k, dtype=np.int64)
    pairs = np.zeros(k * k, dtype=np.int64)
    clock = rng.integers(0, 90 * 86400, customers)
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    while ids.size:
        parts.append((ids, state, clock))
        u = rng.random(ids.size)
        following = np.empty_like(state)
        for s in range(k):
            here = state == s
            following[here] = np.searchsorted(cumulative[s], u[here], side="right")
        following = np.minimum(following, k)
        going = following < k
        ends += np.bincount(state[~going], minlength=k)
        pairs += np.bincount(state[going] * k + following[going], minlength=k * k)
        ids, state = ids[going], following[going]
        clock = clock[going] + rng.integers(60, 3 * 86400, ids.size)
    arrays = {"c": np.concatenate([p[0] for p in parts]),
              "s": np.concatenate([p[1] for p in parts]).astype(np.int16),
              "t": np.concatenate([p[2] for p in parts])}
    n = arrays["c"].size
    if scores:
        arrays["csat"] = rng.integers(1, 6, n).astype(np.int8)
        arrays["pub"] = rng.random(n) < 0.2
        arrays["rev"] = np.where(rng.random(n) < 0.1, np.round(rng.uniform(5, 500, n), 2),
                                 np.nan)
    labels = "[" + ", ".join(f"'{name}'" for name in names) + "]"
    extra = (", csat, CASE WHEN pub THEN 'yes' ELSE 'no' END AS public, "
             "CASE WHEN isnan(rev) THEN NULL ELSE rev END AS revenue") if scores else ""
    conn = duckdb.connect()
    conn.register("arrays", arrays)
    conn.execute(
        "CREATE TABLE log AS SELECT 'c' || lpad(CAST(c AS VARCHAR), 8, '0') AS customer_id, "
        "TIMESTAMP '2026-01-01' + to_seconds(t) AS timestamp, "
        f"{labels}[s + 1] AS touchpoint{extra} FROM arrays ORDER BY timestamp, customer_id")
    for kind in formats:
        conn.execute(f"COPY log TO '{folder / ('log.' + kind)}' (FORMAT {kind})")
    conn.close()
    return SyntheticLog(
        names, entry, truth, n, customers,
        {(names[i // k], names[i % k]): int(c) for i, c in enumerate(pairs) if c},
        {names[i]: int(c) for i, c in enumerate(starts) if c},
        {names[i]: int(c) for i, c in enumerate(ends) if c})


def write_log(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@dataclass(frozen=True)
class SyntheticLog:
    """A generated log and what is known about it: the true entry shares and transition
    probabilities (rows: from, the rest of a row is the exit share), and the exact
    directly-follows counts, first and last events in the file."""

    names: tuple[str, ...]
    entry: np.ndarray
    truth: np.ndarray
    events: int
    customers: int
    pairs: dict[tuple[str, str], int]
    starts: dict[str, int]
    ends: dict[str, int]


def write_parquet(path: Path, rows: list[tuple[object, ...]],
                  columns: str = "customer_id, timestamp, touchpoint, csat, revenue") -> Path:
    """A typed Parquet log from rows of Python values (floats may be NaN or infinite)."""
    import duckdb

    conn = duckdb.connect()
    names = [c.strip() for c in columns.split(",")]
    conn.execute(f"CREATE TABLE log ({', '.join(f'{n} {_TYPES[n]}' for n in names)})")
    conn.executemany(f"INSERT INTO log VALUES ({', '.join('?' for _ in names)})", rows)
    conn.execute(f"COPY log TO '{path}' (FORMAT parquet)")
    conn.close()
    return path


_TYPES = {"customer_id": "VARCHAR", "timestamp": "TIMESTAMP", "touchpoint": "VARCHAR",
          "csat": "DOUBLE", "revenue": "DOUBLE"}


#: The columns of mixed_log.
MIXED = LogColumns(satisfaction="csat", public="public", revenue="revenue", stage="stage",
                   channel="channel")
MIXED_HEADER = ["customer_id", "timestamp", "touchpoint", "csat", "public", "revenue",
                "stage", "channel"]


def mixed_log(path: Path, rows: int, *, seed: int = 7) -> Path:
    """A CSV log of what real exports hold, bad rows and all: events at the same minute
    (the file's order decides), touchpoints, stages and channels in mixed case and with
    accents (so the least of a touchpoint's stages depends on the byte order), public
    flags spelled many ways, and about 1 row in 12 bad in one of the ways the checks
    name: no customer, no touchpoint, a timestamp that is none (or that only some
    engines would read), a score or revenue that is no number or too big."""
    import random

    rng = random.Random(seed)
    touchpoints = ["Ad", "ad", "Café", "CAFÉ", "Site", "Boutique", "Été sale", "Überweisung",
                   "Ñandú app", "Store"]
    stages = ["Awareness", "awareness", "Évaluation", "évaluation", "Purchase", "Zeal", "ärger"]
    channels = ["Web", "web", "Émail", "email", "Social", "Ünderground"]
    publics = ["yes", "no", "TRUE", "false", "1", "0", "Public", "", "y", "t"]
    bad = [("customer_id", ""), ("touchpoint", " "), ("timestamp", "yesterday"),
           ("timestamp", "2026"), ("timestamp", "2026/01/05"), ("timestamp", "2026-01-05 24:00"),
           ("timestamp", "2026-02-30"), ("csat", "great"), ("csat", "3d"), ("csat", "1_000"),
           ("csat", "NaN"), ("csat", "inf"), ("revenue", "12,5"), ("revenue", "1e12"),
           ("revenue", "-1e400")]
    lines: list[list[str]] = []
    for _ in range(rows):
        minute = rng.randrange(0, 600)  # few minutes: many customers' events tie
        row = {
            "customer_id": f"c{rng.randrange(rows // 6 + 1):05d}",
            "timestamp": f"2026-01-{1 + minute // 60:02d} {10 + minute % 60 // 6:02d}:"
                         f"{minute % 6 * 10:02d}" + rng.choice(["", ":00", ":00.5"]),
            "touchpoint": rng.choice(touchpoints),
            "csat": rng.choice(["1", "2", "3", "4", "5", " 4 ", "4.5", ""]),
            "public": rng.choice(publics),
            "revenue": rng.choice(["", "", "", "19.99", "250", "1e3", "+7", ".5"]),
            "stage": rng.choice([*stages, ""]),
            "channel": rng.choice(channels),
        }
        if rng.random() < 1 / 12:
            column, value = rng.choice(bad)
            row[column] = value
        lines.append([row[name] for name in MIXED_HEADER])
    return write_log(path, lines, MIXED_HEADER)


def known_delays(path: Path) -> Path:
    """Customer i (1..100): A, then B after i minutes, then C after i hours; A and B
    are in stage S1, C in S2. A customer 0 with one event in S1 only."""
    start = dt.datetime(2026, 1, 1)
    rows = [["c0", start, "A", "S1"]]
    for i in range(1, 101):
        t0 = start + dt.timedelta(days=i)
        rows += [[f"c{i}", t0, "A", "S1"],
                 [f"c{i}", t0 + dt.timedelta(minutes=i), "B", "S1"],
                 [f"c{i}", t0 + dt.timedelta(minutes=i, hours=i), "C", "S2"]]
    rows.reverse()  # the order of the file does not matter, the timestamps do
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["customer_id", "timestamp", "touchpoint", "stage"])
        writer.writerows([c, t.isoformat(sep=" "), tp, s] for c, t, tp, s in rows)
    return path
