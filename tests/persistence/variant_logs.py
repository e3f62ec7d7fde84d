"""A hand-written event log whose paths, shares and conversion rates are known exactly,
for the variants and import-filter tests (file, table and command line)."""

from __future__ import annotations

from pathlib import Path

from tests.persistence.event_logs import write_log

HEADER = ["customer_id", "timestamp", "touchpoint", "market"]

#: Eight customers. Without a goal, their whole paths: a, b Search > Site > Buy;
#: c Search > Site; d Search > Site > Buy > Support; e Email > Buy; f Email; g Ad > Site;
#: h Buy. With the goal Buy, paths stop before it: Search > Site 4 customers (a, b, d
#: convert, c not), Email 2 (e converts), Ad > Site 1 (no), the empty path 1 (h).
ROWS = [
    ["a", "2026-01-01 09:00", "Search", "DE"],
    ["a", "2026-01-01 10:00", "Site", "DE"],
    ["a", "2026-01-01 23:59:59", "Buy", "DE"],
    ["b", "2026-01-02 00:00:00", "Search", "DE"],  # the first moment of --from 2026-01-02
    ["b", "2026-01-02 10:00", "Site", "DE"],
    ["b", "2026-01-02 11:00", "Buy", "DE"],
    ["c", "2026-01-03 09:00", "Search", "FR"],
    ["c", "2026-01-03 09:30", "Site", "FR"],
    ["d", "2026-01-04 09:00", "Search", "DE"],
    ["d", "2026-01-04 09:10", "Site", "DE"],
    ["d", "2026-01-04 23:59:59", "Buy", "DE"],  # the last moment of --to 2026-01-04
    ["d", "2026-01-05 00:00:00", "Support", "DE"],  # past it
    ["e", "2026-01-05 09:00", "Email", "FR"],
    ["e", "2026-01-05 09:05", "Buy", "FR"],
    ["f", "2026-01-06 09:00", "Email", " FR "],  # values are compared trimmed
    ["g", "2026-01-07 09:00", "Ad", "DE"],
    ["g", "2026-01-07 09:01", "Site", "DE"],
    ["h", "2026-01-08 09:00", "Buy", "DE"],
]


def write_variant_log(folder: Path) -> Path:
    return write_log(folder / "paths.csv", ROWS, HEADER)
