"""The options `import-log` and `paths` share: where the events are, which columns hold
what, the import filters and the conversion goal; and reading the log with them."""

from __future__ import annotations

import argparse
from typing import Any

from cx_mapper.cli.common import BadInput
from cx_mapper.domain.quoting import quoted
from cx_mapper.persistence.locations import is_store_url


def add_source_arguments(command: argparse.ArgumentParser, *, spark: bool = False) -> None:
    """FILE and --table: a log file, or a table of events in PostgreSQL; with `spark`,
    also a log Apache Spark reads (--spark, --spark-table)."""
    command.add_argument("file", metavar="FILE", nargs="?" if spark else None,
                         help="the log, .csv (UTF-8) or .parquet, or a PostgreSQL URL "
                         "(postgresql+psycopg://user@host/db) with --table" + (
                             "; with --spark, any file or folder Spark reads (CSV, "
                             "Parquet, ORC, JSON)" if spark else ""))
    command.add_argument("--table", metavar="TABLE",
                         help="with a database URL: the table or view of events, read in "
                         "place by the same SQL (schema.table allowed)")
    if spark:
        command.add_argument("--spark", metavar="MASTER",
                             help="read with Apache Spark at MASTER (local[*], local[4], "
                             "spark://host:7077, yarn) by the same queries; needs "
                             "cx-mapper[spark] and Java 17")
        command.add_argument("--spark-table", metavar="TABLE",
                             help="instead of FILE: a table or view of the Spark catalog "
                             "(with --spark MASTER, default local[*])")


def add_column_arguments(command: argparse.ArgumentParser) -> None:
    """Which column holds what."""
    for name, default, what in (
            ("customer", "customer_id", "the customer id"),
            ("timestamp", "timestamp", "when the interaction happened"),
            ("touchpoint", "touchpoint", "the touchpoint's name")):
        command.add_argument(f"--{name}", metavar="COLUMN", default=default,
                             help=f"column with {what} (default {default})")
    for name, what in (
            ("satisfaction", "satisfaction: CSAT 1-5, NPS 0-10 or -1..1 (default: one "
                             "named satisfaction, csat, nps, score, rating or sentiment)"),
            ("public", "a shared-in-public flag (1/true/yes/public)"),
            ("revenue", "revenue per interaction"), ("stage", "the stage"),
            ("channel", "the channel")):
        command.add_argument(f"--{name}", metavar="COLUMN", help=f"column with {what}")
    command.add_argument("--scale", choices=("auto", "csat", "nps", "unit"), default="auto",
                         help="the satisfaction scale (default: from the values' range)")


def add_filter_arguments(command: argparse.ArgumentParser) -> None:
    """The import filters (persistence/log_filters.py) and the conversion goal."""
    group = command.add_argument_group(
        "filters", "Which events to use, applied before anything is estimated: first the "
        "column values, then the date range, then the path frequency.")
    group.add_argument("--from", dest="since", metavar="DATE",
                       help="only events at or after DATE (2026-03-01, or 2026-03-01 14:30)")
    group.add_argument("--to", dest="until", metavar="DATE",
                       help="only events up to DATE, inclusive: a date takes that whole day, "
                       "a date and time is the last moment taken")
    group.add_argument("--where", metavar="COLUMN=VALUE[,VALUE...]", action="append",
                       default=[], help="only rows whose COLUMN (any column of the log, "
                       "such as a segment or market) is one of the values; repeat for "
                       "more columns, all must hold")
    group.add_argument("--min-path-customers", metavar="N", type=whole_number, default=0,
                       help="leave out customers whose path variant (see --goal) fewer "
                       "than N customers took, with all their events")
    command.add_argument("--goal", metavar="NAME", action="append", default=[],
                         help="a touchpoint that counts as conversion (repeat for more); "
                         "paths stop before it and their conversion rate is the share who "
                         "reach it")


def whole_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got '{quoted(text)}'"
                                         ) from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def filters_from(args: argparse.Namespace) -> Any:
    """The LogFilters the options give; BadInput in one line for one that cannot be read."""
    from cx_mapper.persistence.log_filters import (
        LogFilters,
        merged_values,
        parse_moment,
        parse_where,
    )

    try:
        since = parse_moment(args.since, "--from") if args.since else None
        until = parse_moment(args.until, "--to") if args.until else None
        values = merged_values([parse_where(text) for text in args.where])
    except ValueError as error:
        raise BadInput(f"cx-mapper: {error}") from None
    if since is not None and until is not None and _start(since) > _start(until):
        raise BadInput(f"cx-mapper: --from {args.since} is after --to {args.until}; no "
                       "event could be in between")
    return LogFilters(since, until, values, args.min_path_customers)


def _start(moment: Any) -> Any:
    from datetime import datetime

    return moment if isinstance(moment, datetime) else datetime(moment.year, moment.month,
                                                                 moment.day)


def check_source(args: argparse.Namespace, command: str) -> bool:
    """Whether FILE is a database (then --table is needed); BadInput for a mismatch."""
    database = is_store_url(args.file)
    if database and not args.table:
        raise BadInput(f"cx-mapper: {command} from a database needs --table TABLE, the "
                       "table of events")
    if args.table and not database:
        raise BadInput("cx-mapper: --table is for a database URL; FILE is a log file")
    return database


def read_log(args: argparse.Namespace, filters: Any, *, database: bool, goals: Any,
             top: int, name: str = "Imported journey") -> Any:
    """The ImportedLog of FILE (or its --table) with the options' columns and filters."""
    from cx_mapper.persistence.event_log import LogColumns, read_event_log

    columns = LogColumns(args.customer, args.timestamp, args.touchpoint, args.satisfaction,
                         args.public, args.revenue, args.stage, args.channel)
    if getattr(args, "spark", None) is not None:
        return _read_with_spark(args, columns, filters, goals, name)
    options: dict[str, Any] = {
        "scale": args.scale, "skip_bad_rows": args.skip_bad_rows, "journey_name": name,
        "guess_satisfaction": True, "filters": filters, "goals": goals,
        "top_variants": top}
    if database:
        from cx_mapper.persistence.event_store import read_event_table

        return read_event_table(args.file, args.table, columns, **options)
    return read_event_log(args.file, columns, **options)


def _read_with_spark(args: argparse.Namespace, columns: Any, filters: Any, goals: Any,
                     name: str) -> Any:
    """The aggregation Spark runs is the journey's (event_queries); the filters, goals
    and paths are DuckDB's and PostgreSQL's so far, and say so rather than be ignored."""
    from cx_mapper.persistence.spark_source import read_spark_events

    if filters or args.goal:
        raise BadInput("cx-mapper: with --spark, import-log reads the whole log: leave out "
                       "--from, --to, --where, --min-path-customers and --goal (they run on "
                       "DuckDB and PostgreSQL)")
    table, path = (args.spark_table, None) if args.spark_table else (None, args.file)
    return read_spark_events(columns, table=table, path=path, master=args.spark,
                             scale=args.scale, skip_bad_rows=args.skip_bad_rows,
                             journey_name=name, guess_satisfaction=True)
