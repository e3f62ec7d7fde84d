"""Event logs (CSV or Parquet) into a journey: one row per customer interaction.

The aggregation is SQL run by DuckDB, an embedded columnar engine. The log is
read once into a table of typed events with a flag per kind of bad row; DuckDB
keeps it under a memory limit and spills to a temporary folder beyond that, so a
log of tens of millions of rows is read in bounded memory without Python loops.
The queries are defined once (event_queries) and run, translated, on PostgreSQL
against an events table (event_store) and on Apache Spark (spark_source);
`estimate` drives them on any of the three.

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
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from cx_mapper.domain.evidence import Evidence, counted_evidence
from cx_mapper.domain.journey import Channel, Journey, Stage, Touchpoint, Transition, unique_id
from cx_mapper.persistence.csv_source import (
    DEFAULT_MEMORY_LIMIT,
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
from cx_mapper.persistence.event_queries import (
    BAD,
    BAD_COLUMN,
    BOOLEAN,
    DUCKDB,
    NUMBER,
    SPARK,
    TEXT,
    TIMESTAMP,
    aggregation_sql,
    check_sql,
    for_engine,
    ordered_sql,
    parse_sql,
    reparse_sql,
    satisfaction_sql,
)
from cx_mapper.persistence.event_queries import (  # where the importers find it
    LogColumns as LogColumns,
)
from cx_mapper.persistence.log_filters import (
    LogFilters,
    check_filter_columns,
    filtered_events,
    filtered_source,
)
from cx_mapper.persistence.log_times import LogTimes, read_times, times_sql, with_times
from cx_mapper.persistence.log_variants import DEFAULT_TOP, Goals, LogVariants, keep_variants
from cx_mapper.persistence.sql_text import column_list, first_line, quote_text, slug

#: Satisfaction scales: how a raw score maps to the model's -1..1.
SCALES: dict[str, tuple[float, float]] = {  # name: (low, high) of the raw scale
    "csat": (1.0, 5.0),
    "nps": (0.0, 10.0),
    "unit": (-1.0, 1.0),
}


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
    #: Per touchpoint id, how many events carry a score and their sample variance on
    #: the model's -1..1 scale (None below two scores): what a drift check tests with.
    scores: Mapping[str, tuple[int, float | None]] = field(default_factory=dict)
    #: the most common paths (log_variants), also kept as the journey's `variants`
    variants: LogVariants | None = None
    #: the import filters used (log_filters); `events` and `customers` are those kept
    filters: LogFilters | None = None
    #: Time between touchpoints and in stages, by the log's names (log_times); the
    #: journey's transitions and stages hold them too.
    times: LogTimes | None = None

    def measured_for(self) -> dict[str, tuple[str, ...]]:
        """What a refresh may take from the log, per touchpoint (see refresh_journey)."""
        return dict(self.measured)


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
    filters: LogFilters | None = None,
    goals: Goals | None = None,
    top_variants: int = DEFAULT_TOP,
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
            check_filter_columns(filters, list(kinds), name)
            # The file is read once, into a table of typed rows with their numbers.
            if csv and not (filters and filters.values):
                # A CSV's rows are stored in file order (DuckDB keeps the order of a scan
                # through expressions, and the parse has no join), so a row's place in
                # the table is its number: read in parallel, where numbering the rows as
                # they are read (ROW_NUMBER) takes one thread.
                _parse(fetch, execute, "cx_mapper_typed", f"{source} src", columns, kinds,
                       seq=None, rejects=True)
                execute("CREATE VIEW cx_mapper_rows AS SELECT *, rowid + 1 AS seq "
                        "FROM cx_mapper_typed")
            else:
                if csv:  # numbered before a column's values filter rows out
                    numbered = (f"(SELECT *, ROW_NUMBER() OVER () AS cx_mapper_seq "
                                f"FROM {source}) src")
                    seq = "cx_mapper_seq"
                else:
                    numbered, seq = f"{source} src", "file_row_number + 1"
                numbered = filtered_source(numbered, filters)  # a column's values
                _parse(fetch, execute, "cx_mapper_rows", numbered, columns, kinds, seq=seq,
                       rejects=csv)
            malformed = malformed_rows(fetch, execute, list(kinds), name) if csv else []
            if csv:  # the internal names of the text columns the journey uses
                check_line_breaks(fetch, "cx_mapper_rows", [key for key, column in (
                    ("customer", columns.customer), ("touchpoint", columns.touchpoint),
                    ("stage", columns.stage), ("channel", columns.channel)) if column], name,
                    file=name)
            parsed = "cx_mapper_renumbered" if malformed else "cx_mapper_rows"
            return estimate(fetch, execute, parsed, columns, scale=scale,
                            skip_bad_rows=skip_bad_rows, journey_id=journey_id,
                            journey_name=journey_name, where=name, malformed=malformed,
                            filters=filters, goals=goals, top_variants=top_variants)
        except duckdb.Error as error:
            _check_cancelled(cancelled, name)  # an interrupted query says why
            raise ProjectFileError(f"cannot read the log: {first_line(error)}",
                                   path=name) from None
        finally:
            if watcher is not None:
                watcher.stop()
            conn.close()


def _parse(fetch: Fetch, execute: Execute, table: str, source: str, columns: LogColumns,
           kinds: Mapping[str, str], *, seq: str | None, rejects: bool) -> None:
    """The typed rows of `source` into `table` (parse_sql), first taking text as it is:
    trimming row by row was a quarter of the parse. A log with text to trim or a bad
    row is parsed again with trimming, its lines set aside read afresh (`rejects`)."""
    execute(f"CREATE TABLE {table} AS "
            + parse_sql(source, columns, kinds, seq=seq, trim=False))
    if fetch(reparse_sql(table)):
        execute(f"DROP TABLE {table}")
        if rejects:  # the first reading's; the second sets the same lines aside
            execute("DELETE FROM reject_errors")
            execute("DELETE FROM reject_scans")
        execute(f"CREATE TABLE {table} AS " + parse_sql(source, columns, kinds, seq=seq))


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




def estimate(run_fetch: Fetch, run_execute: Execute, parsed: str, columns: LogColumns, *,
             scale: str, skip_bad_rows: bool, journey_id: str, journey_name: str,
             where: str, malformed: list[BadRows] | None = None,
             engine: str = DUCKDB, filters: LogFilters | None = None,
             goals: Goals | None = None, top_variants: int = DEFAULT_TOP) -> ImportedLog:
    """The checks and the estimate over the typed events in `parsed` (check_sql), on
    `engine` (event_queries): `run_fetch` returns the rows of a query in the engine's
    SQL, `run_execute` runs a statement. `where` names the file or table in messages."""
    def fetch(sql: str) -> list[Any]:
        return run_fetch(for_engine(sql, engine))

    def execute(sql: str) -> None:
        run_execute(for_engine(sql, engine))

    checks = check_sql(parsed)
    summary = fetch(checks["summary"])[0]
    problems = list(malformed or [])
    fields: list[str | None] = [None] * len(problems)
    for (flag, reason), count in zip(BAD.items(), summary, strict=False):
        if count:
            rows = tuple(int(r[0]) for r in fetch(checks[flag]))
            problems.append(BadRows(reason, rows, int(count)))
            fields.append(getattr(columns, BAD_COLUMN[flag]))
    if problems and not skip_bad_rows:
        raise ProjectFileError(
            describe_bad_rows(problems) + ". Fix those rows, or skip them (--skip-bad-rows).",
            path=where,
            field=next((f for f in fields if f is not None), None))
    usable, low, high = summary[len(BAD):]
    if not usable:
        raise _nothing_left(filters, where)
    chosen = scale if scale != "auto" else _detect_scale(low, high, columns, where)
    events = checks["usable"]
    if filters is not None and filters.on_events:
        events = filtered_events(execute, events, filters, goals.names if goals else ())
    usable_view = f"{parsed}_usable"  # a name of the caller's, as `parsed` is
    execute(f"CREATE TEMP VIEW {usable_view} AS {events}")
    if filters:
        usable = fetch(f"SELECT COUNT(*) FROM {usable_view}")[0][0]
        if not usable:
            raise _nothing_left(filters, where)
    # Each customer's events in order, worked out once for the counts, times and paths.
    ordered = f"{parsed}_ordered"
    if engine == SPARK:  # Spark's temporary tables are views: cached, it keeps the rows
        run_execute(f"CACHE TABLE {ordered} AS {for_engine(ordered_sql(usable_view), engine)}")
    else:
        execute(f"CREATE TEMP TABLE {ordered} AS {ordered_sql(usable_view)}")
    scores: dict[str, tuple[int, float | None]] = {}
    # The transition counts and their times, in one pass (times_sql).
    moves = fetch(times_sql(usable_view, engine, ordered)["transitions"])
    journey, counts, measured = _journey(fetch, usable_view, chosen, journey_id,
                                         journey_name, public=columns.public is not None,
                                         scores=scores, ordered=ordered,
                                         flows=[(a, b, n) for a, b, n, *_ in moves])
    customers = sum(counts.starts.values())
    variants = keep_variants(fetch, execute, ordered, journey, goals or Goals(),
                             top_variants, where, order="rank")
    times = read_times(fetch, usable_view, engine, ordered, moves)
    with_times(journey, times)
    return ImportedLog(journey, int(usable), customers, tuple(problems), chosen, counts,
                       measured, columns.satisfaction, scores, variants, filters, times)


def _nothing_left(filters: LogFilters | None, where: str) -> ProjectFileError:
    if filters:
        return ProjectFileError(f"no events are left after the filters ({filters.describe()})",
                                path=where)
    return ProjectFileError("the log has no usable events", path=where)


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
             public: bool, scores: dict[str, tuple[int, float | None]] | None = None,
             ordered: str | None = None, flows: list[Any] | None = None,
             ) -> tuple[Journey, DirectlyFollows, dict[str, tuple[str, ...]]]:
    """`flows`: the rows of aggregation_sql's `flows` when the caller has them."""
    queries = aggregation_sql(events, _normalised("score", scale), ordered)
    journey = Journey(id=journey_id, name=name)
    stages: dict[str, str] = {}
    channels: dict[str, str] = {}
    visits: dict[str, int] = {}
    ids: dict[str, str] = {}
    taken: set[str] = set()
    measured: dict[str, tuple[str, ...]] = {}
    for label, count, satisfaction, visibility, value, stage, channel, _first, *spread in \
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
        if scores is not None:  # the score count and variance (drift)
            scores[touchpoint_id] = (int(spread[0]), None if spread[1] is None
                                     else float(spread[1]))
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
            evidence=counted_evidence(int(count), *spread[:2]),
        ))
    pairs: dict[tuple[str, str], int] = {}
    starts: dict[str, int] = {}
    for previous, touchpoint, count in fetch(queries["flows"]) if flows is None else flows:
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
        journey.add_transition(Transition(ids[source], ids[target], count / visits[source],
                                          evidence=Evidence("data", n=float(count))))
    counts = DirectlyFollows(pairs, starts, {k: v for k, v in ends.items() if v})
    return journey, counts, measured


def _normalised(column: str, scale: str | None) -> str:
    if scale is None:
        return "CAST(NULL AS DOUBLE)"
    return satisfaction_sql(column, *SCALES[scale])


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
    if result.filters:
        parts.append(f"filtered: {result.filters.describe()}")
    if result.variants is not None:
        found = result.variants
        parts.append(f"{found.total_variants:,} {'path' if found.total_variants == 1 else 'paths'}"
                     f", the top {len(found.variants):,} taken by {found.covered:.0%} of "
                     "customers")
    return ", ".join(parts)
