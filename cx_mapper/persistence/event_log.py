"""Event logs (CSV or Parquet) into a journey: one row per customer interaction.

The aggregation is SQL run by DuckDB, an embedded columnar engine, so a log of
millions of rows is read in bounded memory without Python loops. The query uses
only standard window functions and aggregates, so the same text runs on the team
PostgreSQL store against an events table (`aggregation_sql`).

What is derived (MODEL.md, "Elements"):
- entry shares: where each customer's first event is;
- transition probabilities from directly-follows counts; a customer's last event
  is an exit, so a touchpoint's probabilities add up to the share who go on;
- satisfaction: the mean, from CSAT 1-5, NPS 0-10 or -1..1;
- visibility: the share of events flagged as public;
- value: the mean revenue per event.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition, unique_id
from cx_mapper.persistence.errors import ProjectFileError

#: Satisfaction scales: how a raw score maps to the model's -1..1.
SCALES: dict[str, tuple[float, float]] = {  # name: (low, high) of the raw scale
    "csat": (1.0, 5.0),
    "nps": (0.0, 10.0),
    "unit": (-1.0, 1.0),
}


@dataclass(frozen=True)
class LogColumns:
    """Which column holds what; the optional ones may be None."""

    customer: str = "customer_id"
    timestamp: str = "timestamp"
    touchpoint: str = "touchpoint"
    satisfaction: str | None = None
    public: str | None = None
    revenue: str | None = None
    stage: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class BadRows:
    """Rows that cannot be used, and why (row numbers count data rows from 1)."""

    reason: str
    rows: tuple[int, ...]
    count: int

    def describe(self) -> str:
        shown = ", ".join(str(r) for r in self.rows)
        more = f" and {self.count - len(self.rows):,} more" if self.count > len(self.rows) else ""
        return f"{self.reason}: row{'s' if self.count > 1 else ''} {shown}{more}"


@dataclass(frozen=True)
class ImportedLog:
    journey: Journey
    events: int
    customers: int
    skipped: tuple[BadRows, ...] = field(default_factory=tuple)
    scale: str | None = None


def aggregation_sql(events: str, satisfaction_expr: str = "NULL") -> dict[str, str]:
    """The queries over a table or view `events(customer, ts, touchpoint, score, public,
    revenue, stage, channel, seq)`, as standard SQL (DuckDB and PostgreSQL)."""
    ordered = (f"SELECT customer, touchpoint, LEAD(touchpoint) OVER "
               f"(PARTITION BY customer ORDER BY ts, seq) AS next_touchpoint, "
               f"ROW_NUMBER() OVER (PARTITION BY customer ORDER BY ts, seq) AS k "
               f"FROM {events}")
    return {
        "steps": (f"SELECT touchpoint, next_touchpoint, COUNT(*) AS n FROM ({ordered}) o "
                  "GROUP BY touchpoint, next_touchpoint"),
        "entries": (f"SELECT touchpoint, COUNT(*) AS n FROM ({ordered}) o WHERE k = 1 "
                    "GROUP BY touchpoint"),
        "touchpoints": (
            f"SELECT touchpoint, COUNT(*) AS visits, AVG({satisfaction_expr}) AS satisfaction, "
            "AVG(CASE WHEN public THEN 1.0 ELSE 0.0 END) AS visibility, "
            "AVG(revenue) AS value, MIN(stage) AS stage, MIN(channel) AS channel, "
            f"MIN(seq) AS first_seen FROM {events} GROUP BY touchpoint ORDER BY first_seen"),
        "counts": f"SELECT COUNT(*), COUNT(DISTINCT customer) FROM {events}",
    }


def read_event_log(
    path: str | os.PathLike[str],
    columns: LogColumns | None = None,
    *,
    scale: str = "auto",
    skip_bad_rows: bool = False,
    journey_id: str = "imported",
    journey_name: str = "Imported journey",
) -> ImportedLog:
    """A journey estimated from an event log; ProjectFileError names the file, the rows
    and the column when the log cannot be used."""
    import duckdb  # a heavy import, only for those who import logs

    columns = columns or LogColumns()
    name = os.fspath(path)
    if not os.path.exists(name):
        raise ProjectFileError("file not found", path=name)
    if scale != "auto" and scale not in SCALES:
        raise ProjectFileError(f"unknown satisfaction scale {scale!r}; use auto, "
                               f"{', '.join(SCALES)}", path=name)
    conn = duckdb.connect()
    try:
        source = _source(conn, name)
        available = [row[0] for row in conn.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        wanted = {key: value for key, value in vars(columns).items() if value is not None}
        for key, column in wanted.items():
            if column not in available:
                raise ProjectFileError(
                    f"there is no column '{column}' for the {key.replace('_', ' ')} "
                    f"(columns: {', '.join(available)})", path=name, field=column)
        conn.execute(_view_sql(source, columns))
        problems = _bad_rows(conn, columns)
        if problems and not skip_bad_rows:
            raise ProjectFileError(
                "; ".join(p.describe() for p in problems)
                + ". Fix those rows, or skip them (--skip-bad-rows).", path=name)
        conn.execute("CREATE TEMP VIEW events AS SELECT * FROM raw_events WHERE NOT bad")
        counts = conn.execute(aggregation_sql("events")["counts"]).fetchone()
        events, customers = counts if counts is not None else (0, 0)
        if not events:
            raise ProjectFileError("the log has no usable events", path=name)
        chosen = scale if scale != "auto" else _detect_scale(conn, columns, name)
        journey = _journey(conn, chosen, journey_id, journey_name)
        return ImportedLog(journey, int(events), int(customers), tuple(problems), chosen)
    except duckdb.Error as error:
        raise ProjectFileError(f"cannot read the log: {_first_line(error)}", path=name) from None
    finally:
        conn.close()


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _source(conn: Any, name: str) -> str:
    if name.lower().endswith((".parquet", ".pq")):
        return f"read_parquet({_literal(name)})"
    with open(name, "rb") as file:
        head = file.read(65536)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(head) < 65536 or error.start < len(head) - 4:  # not a cut multibyte character
            raise ProjectFileError(
                f"the file is not UTF-8 text (byte {error.start + 1}); save it as UTF-8 CSV",
                path=name) from None
    if not head.strip():
        raise ProjectFileError("the file is empty", path=name)
    return f"read_csv({_literal(name)}, header = true, all_varchar = true)"


def _view_sql(source: str, c: LogColumns) -> str:
    def text(column: str | None) -> str:
        return f"NULLIF(TRIM(CAST({_quote(column)} AS VARCHAR)), '')" if column else "NULL"

    def number(column: str | None) -> str:
        return f"TRY_CAST({text(column)} AS DOUBLE)" if column else "NULL"

    public = (f"lower({text(c.public)}) IN ('1', 'true', 'yes', 'y', 'public', 't')"
              if c.public else "FALSE")
    ts = f"TRY_CAST({text(c.timestamp)} AS TIMESTAMP)"
    customer, touchpoint = text(c.customer), text(c.touchpoint)
    score = number(c.satisfaction)
    bad_score = (f"({text(c.satisfaction)} IS NOT NULL AND {score} IS NULL)"
                 if c.satisfaction else "FALSE")
    bad_revenue = (f"({text(c.revenue)} IS NOT NULL AND {number(c.revenue)} IS NULL)"
                   if c.revenue else "FALSE")
    return (
        "CREATE TEMP VIEW raw_events AS SELECT "
        f"{customer} AS customer, {ts} AS ts, {touchpoint} AS touchpoint, {score} AS score, "
        f"{public} AS public, {number(c.revenue)} AS revenue, {text(c.stage)} AS stage, "
        f"{text(c.channel)} AS channel, seq, "
        f"({customer} IS NULL) AS no_customer, ({touchpoint} IS NULL) AS no_touchpoint, "
        f"({ts} IS NULL) AS bad_time, {bad_score} AS bad_score, {bad_revenue} AS bad_revenue, "
        f"({customer} IS NULL OR {touchpoint} IS NULL OR {ts} IS NULL OR {bad_score} "
        f"OR {bad_revenue}) AS bad "
        f"FROM (SELECT *, ROW_NUMBER() OVER () AS seq FROM {source}) s"
    )


_BAD = {
    "no_customer": "no customer id",
    "no_touchpoint": "no touchpoint",
    "bad_time": "a timestamp that is missing or not a date and time",
    "bad_score": "a satisfaction that is not a number",
    "bad_revenue": "a revenue that is not a number",
}


def _bad_rows(conn: Any, columns: LogColumns) -> list[BadRows]:
    found: list[BadRows] = []
    for flag, reason in _BAD.items():
        count = conn.execute(f"SELECT COUNT(*) FROM raw_events WHERE {flag}").fetchone()[0]
        if count:
            rows = [int(r[0]) for r in conn.execute(
                f"SELECT seq FROM raw_events WHERE {flag} ORDER BY seq LIMIT 10").fetchall()]
            found.append(BadRows(reason, tuple(rows), int(count)))
    return found


def _detect_scale(conn: Any, columns: LogColumns, name: str) -> str | None:
    """CSAT 1-5, NPS 0-10 or -1..1, from the scores' range; None without scores."""
    if columns.satisfaction is None:
        return None
    low, high = conn.execute("SELECT MIN(score), MAX(score) FROM events").fetchone()
    if low is None:
        return None
    for scale in ("unit", "csat", "nps"):
        bottom, top = SCALES[scale]
        if bottom <= low and high <= top:
            return scale
    raise ProjectFileError(
        f"satisfaction runs from {low:g} to {high:g}, which is none of CSAT 1-5, NPS 0-10 "
        "or -1..1; name the scale", path=name, field=columns.satisfaction)


def _journey(conn: Any, scale: str | None, journey_id: str, name: str) -> Journey:
    queries = aggregation_sql("events", _normalised("score", scale))
    journey = Journey(id=journey_id, name=name)
    stages: dict[str, str] = {}
    channels: dict[str, str] = {}
    visits: dict[str, int] = {}
    ids: dict[str, str] = {}
    rows = conn.execute(queries["touchpoints"]).fetchall()
    for label, count, satisfaction, visibility, value, stage, channel, _first in rows:
        touchpoint_id = unique_id(_slug(label), ids)
        ids[label] = touchpoint_id
        visits[label] = int(count)
        if stage is not None and stage not in stages:
            stages[stage] = unique_id(_slug(stage), set(stages.values()))
            journey.add_stage(Stage(stages[stage], stage))
        if channel is not None and channel not in channels:
            channels[channel] = unique_id(_slug(channel), set(channels.values()))
            journey.add_channel(Channel(channels[channel], channel))
        journey.add_touchpoint(Touchpoint(
            touchpoint_id, name=label,
            stage=stages.get(stage) if stage is not None else None,
            channel=channels.get(channel) if channel is not None else None,
            satisfaction=_clamp(satisfaction, -1.0, 1.0),
            visibility=_clamp(visibility, 0.0, 1.0),
            value=float(value) if value is not None else 0.0,
        ))
    customers = sum(int(n) for _, n in conn.execute(queries["entries"]).fetchall())
    for label, count in conn.execute(queries["entries"]).fetchall():
        journey.update_touchpoint(ids[label], entry=int(count) / customers)
    for source, target, count in sorted(conn.execute(queries["steps"]).fetchall(),
                                        key=lambda r: (r[0], r[1] or "")):
        if target is None:
            continue  # the customer's last event: an exit
        journey.add_transition(Transition(ids[source], ids[target],
                                          int(count) / visits[source]))
    return journey


def _normalised(column: str, scale: str | None) -> str:
    if scale is None:
        return "NULL"
    low, high = SCALES[scale]
    return f"(2.0 * ({column} - {low}) / {high - low} - 1.0)"


def _clamp(value: float | None, low: float, high: float) -> float:
    return 0.0 if value is None else min(high, max(low, float(value)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "touchpoint"


def describe(result: ImportedLog) -> str:
    """One line for the command line and the status bar."""
    journey = result.journey
    scale = {"csat": "CSAT 1-5", "nps": "NPS 0-10", "unit": "-1..1"}.get(result.scale or "")
    parts = [f"{result.events:,} events of {result.customers:,} customers",
             f"{len(journey.touchpoints):,} touchpoints",
             f"{len(journey.transitions):,} transitions"]
    if scale:
        parts.append(f"satisfaction read as {scale}")
    skipped = sum(b.count for b in result.skipped)
    if skipped:
        parts.append(f"{skipped:,} bad rows skipped")
    return ", ".join(parts)
