"""Event logs (CSV or Parquet) into a journey: one row per customer interaction.

The aggregation is SQL run by DuckDB, an embedded columnar engine. The log is
read once into a table of typed events with a flag per kind of bad row; DuckDB
keeps it under a memory limit and spills to a temporary folder beyond that, so a
log of tens of millions of rows is read in bounded memory without Python loops.
The checks and the aggregation are standard SQL, so the same text runs on the
team PostgreSQL store against an events table (`check_sql`, `aggregation_sql`,
and `event_store.read_event_table`).

What is derived (MODEL.md, "Elements"):
- entry shares: where each customer's first event is;
- transition probabilities from directly-follows counts; a customer's last event
  is an exit, so a touchpoint's probabilities add up to the share who go on;
- satisfaction: the mean, from CSAT 1-5, NPS 0-10 or -1..1;
- visibility: the share of events flagged as public;
- value: the mean revenue per event.

A customer's events are ordered by timestamp, then by their order in the file.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition, unique_id
from cx_mapper.domain.ranges import VALUE_LIMIT
from cx_mapper.persistence.csv_source import (
    BadRows,
    Execute,
    Fetch,
    check_line_breaks,
    check_regular_file,
    describe_bad_rows,
    malformed_rows,
    read_csv_sql,
    read_header,
)
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.log_times import LogTimes, read_times, with_times
from cx_mapper.persistence.sql_text import column_list, first_line, quote_name, quote_text, slug

#: Satisfaction scales: how a raw score maps to the model's -1..1.
SCALES: dict[str, tuple[float, float]] = {  # name: (low, high) of the raw scale
    "csat": (1.0, 5.0),
    "nps": (0.0, 10.0),
    "unit": (-1.0, 1.0),
}

#: DuckDB's memory limit for an import; past it, DuckDB spills to a temporary folder.
DEFAULT_MEMORY_LIMIT = "1GB"



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


#: Names a satisfaction column goes by, most telling first: the import dialog's guess,
#: and the command line's when --satisfaction is not given. Compared as column_key has them.
SATISFACTION_NAMES = ("satisfaction", "csat", "nps", "score", "rating", "sentiment")


def column_key(name: str) -> str:
    """A column name as guesses compare it: lower case, each run of other characters
    one underscore ("Customer ID" -> "customer_id")."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def with_guessed_satisfaction(columns: LogColumns, available: Sequence[str]) -> LogColumns:
    """`columns` with a satisfaction column found by name (SATISFACTION_NAMES) among
    `available` when it names none; a column another role uses is not taken."""
    if columns.satisfaction is not None:
        return columns
    taken = {value for value in vars(columns).values() if value is not None}
    by_key = {column_key(c): c for c in reversed(available) if c not in taken}
    found = next((by_key[key] for key in SATISFACTION_NAMES if key in by_key), None)
    return replace(columns, satisfaction=found) if found is not None else columns


@dataclass(frozen=True)
class DirectlyFollows:
    """The counts behind the estimates, by touchpoint name (process mining's DFG):
    `pairs` counts a customer's event followed by their next one, `starts` counts
    customers by first event, `ends` by last event."""

    pairs: Mapping[tuple[str, str], int]
    starts: Mapping[str, int]
    ends: Mapping[str, int]


@dataclass(frozen=True)
class ImportedLog:
    journey: Journey
    events: int
    customers: int
    skipped: tuple[BadRows, ...] = field(default_factory=tuple)
    scale: str | None = None
    counts: DirectlyFollows | None = None
    #: Per touchpoint id, the figures the log has data for (satisfaction, visibility,
    #: value); a touchpoint whose events carry no score keeps its drawn satisfaction.
    measured: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: the column satisfaction was read from (None: the log gave none)
    satisfaction_column: str | None = None
    #: Time between touchpoints and in stages, by the log's names (log_times); the
    #: journey's transitions and stages hold them too.
    times: LogTimes | None = None

    def measured_for(self) -> dict[str, tuple[str, ...]]:
        """What a refresh may take from the log, per touchpoint (see refresh_journey)."""
        return dict(self.measured)


#: The typed events that the checks read: `parsed` in check_sql.
PARSED_COLUMNS = ("customer", "ts", "touchpoint", "score", "public", "revenue", "stage",
                  "channel", "seq")

#: Each kind of bad row: its flag column and the reason shown.
_BAD = {
    "no_customer": "no customer id",
    "no_touchpoint": "no touchpoint",
    "bad_time": "a timestamp that is missing or not a date and time",
    "bad_score": "a satisfaction that is not a number",
    "bad_revenue": "a revenue that is not a number",
    "huge_score": f"a satisfaction beyond ±{VALUE_LIMIT:g}",
    "huge_revenue": f"a revenue beyond ±{VALUE_LIMIT:g}",
}
_MAX_DOUBLE = sys.float_info.max
#: The column each kind of bad row is about (a LogColumns field).
_BAD_COLUMN = {"no_customer": "customer", "no_touchpoint": "touchpoint", "bad_time": "timestamp",
               "bad_score": "satisfaction", "bad_revenue": "revenue",
               "huge_score": "satisfaction", "huge_revenue": "revenue"}


def aggregation_sql(events: str,
                    satisfaction_expr: str = "CAST(NULL AS DOUBLE PRECISION)") -> dict[str, str]:
    """The queries over a table or view `events(customer, ts, touchpoint, score, public,
    revenue, stage, channel, seq)`, as standard SQL (DuckDB and PostgreSQL).

    `flows` is the one that orders each customer's events: it counts pairs of a
    touchpoint and the one before it, where "before" is NULL for a first event.
    Everything else about the paths follows from it: `steps` (directly-follows
    counts), `entries` (first events) and `counts` (events and customers).
    """
    ordered = (f"SELECT LAG(touchpoint) OVER (PARTITION BY customer ORDER BY ts, seq) "
               f"AS previous, touchpoint FROM {events}")
    flows = (f"SELECT previous, touchpoint, COUNT(*) AS n FROM ({ordered}) o "
             "GROUP BY previous, touchpoint")
    return {
        "flows": flows,
        "steps": (f"SELECT previous AS touchpoint, touchpoint AS next_touchpoint, n "
                  f"FROM ({flows}) f WHERE previous IS NOT NULL"),
        "entries": f"SELECT touchpoint, n FROM ({flows}) f WHERE previous IS NULL",
        "touchpoints": (
            f"SELECT touchpoint, COUNT(*) AS visits, AVG({satisfaction_expr}) AS satisfaction, "
            "AVG(CASE WHEN public THEN 1.0 ELSE 0.0 END) AS visibility, "
            'AVG(revenue) AS value, MIN(stage COLLATE "C") AS stage, '
            'MIN(channel COLLATE "C") AS channel, '
            f"MIN(seq) AS first_seen FROM {events} GROUP BY touchpoint ORDER BY first_seen"),
        "counts": f"SELECT COUNT(*), COUNT(DISTINCT customer) FROM {events}",
    }


def check_sql(parsed: str) -> dict[str, str]:
    """The checks over a table `parsed(customer, ts, touchpoint, score, public, revenue,
    stage, channel, seq)` plus a boolean column per kind of bad row (no_customer,
    no_touchpoint, bad_time, bad_score, bad_revenue, huge_score, huge_revenue), as
    standard SQL.

    `summary` counts each kind in one pass, with the usable events and their score
    range; one query per kind lists its first rows; `usable` selects the rest.
    """
    good = "NOT (" + " OR ".join(_BAD) + ")"
    summary = ", ".join(f"COUNT(*) FILTER (WHERE {flag})" for flag in _BAD)
    return {
        "summary": (f"SELECT {summary}, COUNT(*) FILTER (WHERE {good}), "
                    f"MIN(score) FILTER (WHERE {good}), MAX(score) FILTER (WHERE {good}) "
                    f"FROM {parsed}"),
        **{flag: f"SELECT seq FROM {parsed} WHERE {flag} ORDER BY seq LIMIT 10"
           for flag in _BAD},
        "usable": f"SELECT {', '.join(PARSED_COLUMNS)} FROM {parsed} WHERE {good}",
    }


#: The kinds of a source column, for how it is read: a text column is parsed, a
#: column already typed is taken as it is.
TEXT, NUMBER, TIMESTAMP, BOOLEAN = "text", "number", "timestamp", "boolean"


def parse_sql(source: str, columns: LogColumns, kinds: Mapping[str, str], *,
              try_double: str, try_timestamp: str, seq: str) -> str:
    """A SELECT of typed events with a flag per kind of bad row (check_sql), from `source`.

    `kinds` gives each named column's kind (TEXT for anything to parse from its
    text); `try_double` and `try_timestamp` are templates with `{0}` for a text
    expression, giving NULL where it is no finite number, or no date and time
    starting with a digit (not the words "now", "epoch" or "infinity" that some
    engines read); `seq` is the expression in `source` that numbers the data rows
    from 1.
    """
    def text(column: str | None) -> str:
        return f"NULLIF(TRIM(CAST({quote_name(column)} AS VARCHAR)), '')" if column else \
            "CAST(NULL AS VARCHAR)"

    def number(column: str | None) -> tuple[str, str, str]:  # (value, not one, too big)
        if column is None:
            return "CAST(NULL AS DOUBLE PRECISION)", "FALSE", "FALSE"
        if kinds.get(column) == NUMBER:
            # NaN and the infinities compare above every number in DuckDB and PostgreSQL.
            raw = f"CAST({quote_name(column)} AS DOUBLE PRECISION)"
            finite = f"{raw} BETWEEN {-_MAX_DOUBLE!r} AND {_MAX_DOUBLE!r}"
            bad = f"({raw} IS NOT NULL AND NOT ({finite}))"
        else:
            raw = try_double.format(text(column))
            bad = f"({text(column)} IS NOT NULL AND {raw} IS NULL)"
        # The touchpoint value range: a mean of values within it stays within it, so a
        # revenue of 1.7e308 is a bad row of the log, not a journey no file can hold.
        fits = f"{raw} BETWEEN {-VALUE_LIMIT!r} AND {VALUE_LIMIT!r}"
        huge = f"(NOT {bad} AND {raw} IS NOT NULL AND NOT ({fits}))"
        return f"CASE WHEN {fits} THEN {raw} END", bad, huge

    c = columns
    if kinds.get(c.timestamp) == TIMESTAMP:
        ts = f"CAST({quote_name(c.timestamp)} AS TIMESTAMP)"
    else:
        ts = try_timestamp.format(text(c.timestamp))
    if c.public is None:
        public = "FALSE"
    elif kinds.get(c.public) == BOOLEAN:
        public = quote_name(c.public)
    else:
        public = f"lower({text(c.public)}) IN ('1', 'true', 'yes', 'y', 'public', 't')"
    score, bad_score, huge_score = number(c.satisfaction)
    revenue, bad_revenue, huge_revenue = number(c.revenue)
    inner = (
        f"SELECT {text(c.customer)} AS customer, {ts} AS ts, {text(c.touchpoint)} AS touchpoint, "
        f"{score} AS score, {public} AS public, {revenue} AS revenue, "
        f"{text(c.stage)} AS stage, {text(c.channel)} AS channel, {seq} AS seq, "
        f"{bad_score} AS bad_score, {bad_revenue} AS bad_revenue, {huge_score} AS huge_score, "
        f"{huge_revenue} AS huge_revenue FROM {source}")
    return (
        f"SELECT {', '.join(PARSED_COLUMNS)}, customer IS NULL AS no_customer, "
        "touchpoint IS NULL AS no_touchpoint, ts IS NULL AS bad_time, bad_score, bad_revenue, "
        f"huge_score, huge_revenue FROM ({inner}) s")


#: DuckDB's parsing for parse_sql: NULL for anything but a finite number, a date and time.
_TRY_DOUBLE = "CASE WHEN isfinite(TRY_CAST({0} AS DOUBLE)) THEN TRY_CAST({0} AS DOUBLE) END"
_TRY_TIMESTAMP = ("CASE WHEN substr({0}, 1, 1) BETWEEN '0' AND '9' "
                  "THEN TRY_CAST({0} AS TIMESTAMP) END")


def read_event_log(
    path: str | os.PathLike[str],
    columns: LogColumns | None = None,
    *,
    scale: str = "auto",
    skip_bad_rows: bool = False,
    journey_id: str = "imported",
    journey_name: str = "Imported journey",
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    cancelled: Callable[[], bool] | None = None,
    guess_satisfaction: bool = False,
) -> ImportedLog:
    """A journey estimated from an event log; ProjectFileError names the file, the rows
    and the column when the log cannot be used.

    DuckDB works within `memory_limit` (such as "1GB") and spills to a temporary
    folder, removed afterwards, beyond it. When `cancelled()` turns true (it is polled
    from another thread), the running query is interrupted and ImportCancelled raised,
    so a cancelled import of millions of rows stops at once instead of running on.
    """
    import duckdb  # a heavy import, only for those who import logs

    columns = columns or LogColumns()
    name = os.fspath(path)
    check_regular_file(name, "an event log")
    _check_scale(scale, name)
    # A CSV line that is no row of the header's fields goes to DuckDB's reject tables
    # (_malformed_rows); a Parquet file's reader numbers the rows.
    source = _reader(name, csv_options=", store_rejects = true",
                     parquet_options=", file_row_number = true")
    csv = source.startswith("read_csv")
    with tempfile.TemporaryDirectory(prefix="cx-mapper-log-") as spill:
        try:
            conn = duckdb.connect(config={"memory_limit": memory_limit,
                                          "temp_directory": spill})
            conn.execute("SET enable_progress_bar = false")  # no bar on the command line
        except duckdb.Error as error:
            raise ProjectFileError(f"cannot read the log: {first_line(error)}",
                                   path=name) from None

        def fetch(sql: str) -> list[Any]:
            _check_cancelled(cancelled, name)
            return conn.execute(sql).fetchall()

        def execute(sql: str) -> None:
            _check_cancelled(cancelled, name)
            conn.execute(sql)

        watcher = _Watcher(conn, cancelled) if cancelled is not None else None
        try:
            described = fetch(f"DESCRIBE SELECT * FROM {source}")
            kinds = {str(row[0]): _duckdb_kind(str(row[1])) for row in described
                     if csv or row[0] != "file_row_number"}
            if guess_satisfaction:
                columns = with_guessed_satisfaction(columns, list(kinds))
            check_columns(columns, list(kinds), name)
            # The file is read once, into a table of typed rows with their numbers.
            if csv:
                numbered = f"(SELECT *, ROW_NUMBER() OVER () AS cx_mapper_seq FROM {source}) src"
                seq = "cx_mapper_seq"
            else:
                numbered, seq = f"{source} src", "file_row_number + 1"
            execute("CREATE TABLE cx_mapper_rows AS " + parse_sql(
                numbered, columns, kinds, try_double=_TRY_DOUBLE, try_timestamp=_TRY_TIMESTAMP,
                seq=seq))
            malformed = malformed_rows(fetch, execute, list(kinds), name) if csv else []
            if csv:  # the internal names of the text columns the journey uses
                check_line_breaks(fetch, "cx_mapper_rows", [key for key, column in (
                    ("customer", columns.customer), ("touchpoint", columns.touchpoint),
                    ("stage", columns.stage), ("channel", columns.channel)) if column], name)
            parsed = "cx_mapper_renumbered" if malformed else "cx_mapper_rows"
            return estimate(fetch, execute, parsed, columns, scale=scale,
                            skip_bad_rows=skip_bad_rows, journey_id=journey_id,
                            journey_name=journey_name, where=name, malformed=malformed)
        except duckdb.Error as error:
            _check_cancelled(cancelled, name)  # an interrupted query says why
            raise ProjectFileError(f"cannot read the log: {first_line(error)}",
                                   path=name) from None
        finally:
            if watcher is not None:
                watcher.stop()
            conn.close()


class ImportCancelled(ProjectFileError):
    """The import was cancelled (by the user, or because the app is quitting)."""


def _check_cancelled(cancelled: Callable[[], bool] | None, name: str) -> None:
    if cancelled is not None and cancelled():
        raise ImportCancelled("the import was cancelled", path=name)


class _Watcher:
    """Polls `cancelled` on its own thread and interrupts the connection's running
    query when it turns true; DuckDB only listens between its own steps otherwise."""

    def __init__(self, conn: Any, cancelled: Callable[[], bool]) -> None:
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, args=(conn, cancelled),
                                        name="cx-mapper-import-watcher", daemon=True)
        self._thread.start()

    def _watch(self, conn: Any, cancelled: Callable[[], bool]) -> None:
        while not self._done.wait(0.05):
            if cancelled():
                conn.interrupt()
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()




def estimate(fetch: Fetch, execute: Execute, parsed: str, columns: LogColumns, *,
             scale: str, skip_bad_rows: bool, journey_id: str, journey_name: str,
             where: str, malformed: list[BadRows] | None = None) -> ImportedLog:
    """The checks and the estimate over the typed events in `parsed` (check_sql), on any
    engine that runs the standard SQL: `fetch` returns a query's rows, `execute` runs a
    statement. `where` names the file or table in messages."""
    checks = check_sql(parsed)
    summary = fetch(checks["summary"])[0]
    problems = list(malformed or [])
    fields: list[str | None] = [None] * len(problems)
    for (flag, reason), count in zip(_BAD.items(), summary, strict=False):
        if count:
            rows = tuple(int(r[0]) for r in fetch(checks[flag]))
            problems.append(BadRows(reason, rows, int(count)))
            fields.append(getattr(columns, _BAD_COLUMN[flag]))
    if problems and not skip_bad_rows:
        raise ProjectFileError(
            describe_bad_rows(problems) + ". Fix those rows, or skip them (--skip-bad-rows).",
            path=where,
            field=next((f for f in fields if f is not None), None))
    usable, low, high = summary[len(_BAD):]
    if not usable:
        raise ProjectFileError("the log has no usable events", path=where)
    chosen = scale if scale != "auto" else _detect_scale(low, high, columns, where)
    execute(f"CREATE TEMP VIEW cx_mapper_events AS {checks['usable']}")
    journey, counts, measured = _journey(fetch, "cx_mapper_events", chosen, journey_id,
                                         journey_name, public=columns.public is not None)
    customers = sum(counts.starts.values())
    times = read_times(fetch, "cx_mapper_events")
    with_times(journey, times)
    return ImportedLog(journey, int(usable), customers, tuple(problems), chosen, counts,
                       measured, columns.satisfaction, times)


def check_columns(columns: LogColumns, available: list[str], where: str) -> None:
    """ProjectFileError naming the column when a named column is not in `available`."""
    wanted = {key: value for key, value in vars(columns).items() if value is not None}
    for key, column in wanted.items():
        if column not in available:
            raise ProjectFileError(
                f"there is no column '{column}' for the {key.replace('_', ' ')} "
                f"(columns: {column_list(available)})", path=where, field=column)


def _check_scale(scale: str, where: str) -> None:
    if scale != "auto" and scale not in SCALES:
        raise ProjectFileError(f"unknown satisfaction scale {scale!r}; use auto, "
                               f"{', '.join(SCALES)}", path=where)


def _duckdb_kind(type_name: str) -> str:
    """A DuckDB column type's kind; DECIMAL and the rest are read from their text."""
    upper = type_name.upper()
    if upper in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                 "USMALLINT", "UINTEGER", "UBIGINT", "FLOAT", "DOUBLE"):
        return NUMBER
    if upper in ("TIMESTAMP", "DATE", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"):
        return TIMESTAMP
    return BOOLEAN if upper == "BOOLEAN" else TEXT


def table_source(name: str) -> str:
    """The DuckDB table function that reads the file; CSV is read as text, with the
    header line's delimiter. ProjectFileError when the file is no regular file, empty
    or no UTF-8."""
    check_regular_file(name, "a data file")
    return _reader(name)


def _reader(name: str, *, csv_options: str = "", parquet_options: str = "") -> str:
    if name.lower().endswith((".parquet", ".pq")):
        return f"read_parquet({quote_text(name)}{parquet_options})"
    return read_csv_sql(name, read_header(name), csv_options)


def _detect_scale(low: float | None, high: float | None, columns: LogColumns,
                  where: str) -> str | None:
    """CSAT 1-5, NPS 0-10 or -1..1, from the scores' range; None without scores."""
    if columns.satisfaction is None or low is None or high is None:
        return None
    for scale in ("unit", "csat", "nps"):
        bottom, top = SCALES[scale]
        if bottom <= low and high <= top:
            return scale
    raise ProjectFileError(
        f"satisfaction runs from {low:g} to {high:g}, which is none of CSAT 1-5, NPS 0-10 "
        "or -1..1; name the scale", path=where, field=columns.satisfaction)


def _journey(fetch: Fetch, events: str, scale: str | None, journey_id: str, name: str, *,
             public: bool) -> tuple[Journey, DirectlyFollows, dict[str, tuple[str, ...]]]:
    queries = aggregation_sql(events, _normalised("score", scale))
    journey = Journey(id=journey_id, name=name)
    stages: dict[str, str] = {}
    channels: dict[str, str] = {}
    visits: dict[str, int] = {}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    measured: dict[str, tuple[str, ...]] = {}
    for label, count, satisfaction, visibility, value, stage, channel, _first in \
            fetch(queries["touchpoints"]):
        # Labels that differ only in what a slug drops (case, spaces, control
        # characters) get ids of their own.
        touchpoint_id = unique_id(slug(label, "touchpoint"), taken)
        ids[label] = touchpoint_id
        taken.add(touchpoint_id)
        measured[touchpoint_id] = tuple(figure for figure, known in (
            ("satisfaction", satisfaction is not None), ("visibility", public),
            ("value", value is not None)) if known)
        visits[label] = int(count)
        if stage is not None and stage not in stages:
            stages[stage] = unique_id(slug(stage, "touchpoint"), set(stages.values()))
            journey.add_stage(Stage(stages[stage], stage))
        if channel is not None and channel not in channels:
            channels[channel] = unique_id(slug(channel, "touchpoint"), set(channels.values()))
            journey.add_channel(Channel(channels[channel], channel))
        journey.add_touchpoint(Touchpoint(
            touchpoint_id, name=label,
            stage=stages.get(stage) if stage is not None else None,
            channel=channels.get(channel) if channel is not None else None,
            satisfaction=_clamp(satisfaction, -1.0, 1.0),
            # Its flows were measured at this satisfaction (MODEL.md §2).
            measured_satisfaction=_clamp(satisfaction, -1.0, 1.0),
            visibility=_clamp(visibility, 0.0, 1.0),
            value=float(value) if value is not None else 0.0,
        ))
    pairs: dict[tuple[str, str], int] = {}
    starts: dict[str, int] = {}
    for previous, touchpoint, count in fetch(queries["flows"]):
        if previous is None:
            starts[touchpoint] = int(count)
        else:
            pairs[(previous, touchpoint)] = int(count)
    customers = sum(starts.values())
    for label in ids:
        if label in starts:
            journey.update_touchpoint(ids[label], entry=starts[label] / customers)
    ends = dict(visits)
    for (source, target), count in sorted(pairs.items()):
        ends[source] -= count
        journey.add_transition(Transition(ids[source], ids[target], count / visits[source]))
    counts = DirectlyFollows(pairs, starts, {k: v for k, v in ends.items() if v})
    return journey, counts, measured


def _normalised(column: str, scale: str | None) -> str:
    if scale is None:
        return "CAST(NULL AS DOUBLE PRECISION)"
    low, high = SCALES[scale]
    return f"(2.0 * ({column} - {low}) / {high - low} - 1.0)"


def _clamp(value: float | None, low: float, high: float) -> float:
    return 0.0 if value is None else min(high, max(low, float(value)))


def describe(result: ImportedLog) -> str:
    """One line for the command line and the status bar."""
    journey = result.journey
    scale = {"csat": "CSAT 1-5", "nps": "NPS 0-10", "unit": "-1..1"}.get(result.scale or "")
    parts = [f"{result.events:,} events of {result.customers:,} customers",
             f"{len(journey.touchpoints):,} touchpoints",
             f"{len(journey.transitions):,} transitions"]
    if scale:
        column = result.satisfaction_column
        parts.append(f"satisfaction from '{column}' read as {scale}" if column
                     else f"satisfaction read as {scale}")
    skipped = sum(b.count for b in result.skipped)
    if skipped:
        parts.append(f"{skipped:,} bad rows skipped")
    return ", ".join(parts)
