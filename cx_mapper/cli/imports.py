"""`import-log` and `import-paths`: a journey estimated from data, new or refreshed."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from cx_mapper.cli.common import BadInput, where
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import escaped, one_line, quoted
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.locations import is_store_url, read_location, write_location

#: `--into` prints this many changes, then how many more there are.
CHANGES_SHOWN = 40


def register(commands: Any) -> None:
    log_cmd = commands.add_parser(
        "import-log", help="estimate a journey from an event log (CSV or Parquet)",
        description="Estimate a journey from an event log with one row per interaction: "
        "entry shares, transition probabilities from what directly follows what (a "
        "customer's last event is an exit), mean satisfaction, the share of public "
        "mentions as visibility, and mean revenue as value. Writes a new project, or with "
        "--into refreshes a journey of an existing one.")
    log_cmd.add_argument("file", metavar="FILE", nargs="?",
                         help="the log, .csv (UTF-8) or .parquet, or a PostgreSQL URL "
                         "(postgresql+psycopg://user@host/db) with --table; with --spark, "
                         "any file or folder Spark reads (CSV, Parquet, ORC, JSON)")
    log_cmd.add_argument("--table", metavar="TABLE",
                         help="with a database URL: the table or view of events, read in "
                         "place by the same SQL (schema.table allowed)")
    log_cmd.add_argument("--spark", metavar="MASTER",
                         help="read with Apache Spark at MASTER (local[*], local[4], "
                         "spark://host:7077, yarn) by the same queries; needs "
                         "cx-mapper[spark] and Java 17")
    log_cmd.add_argument("--spark-table", metavar="TABLE",
                         help="instead of FILE: a table or view of the Spark catalog "
                         "(with --spark MASTER, default local[*])")
    for name, default, what in (
            ("customer", "customer_id", "the customer id"),
            ("timestamp", "timestamp", "when the interaction happened"),
            ("touchpoint", "touchpoint", "the touchpoint's name")):
        log_cmd.add_argument(f"--{name}", metavar="COLUMN", default=default,
                             help=f"column with {what} (default {default})")
    for name, what in (
            ("satisfaction", "satisfaction: CSAT 1-5, NPS 0-10 or -1..1 (default: one "
                             "named satisfaction, csat, nps, score, rating or sentiment)"),
            ("public", "a shared-in-public flag (1/true/yes/public)"),
            ("revenue", "revenue per interaction"), ("stage", "the stage"),
            ("channel", "the channel")):
        log_cmd.add_argument(f"--{name}", metavar="COLUMN", help=f"column with {what}")
    log_cmd.add_argument("--scale", choices=("auto", "csat", "nps", "unit"), default="auto",
                         help="the satisfaction scale (default: from the values' range)")
    _import_arguments(log_cmd, "Imported journey", "satisfaction, visibility (--public) and "
                      "value (--revenue) where those columns are given")
    paths_cmd = commands.add_parser(
        "import-paths", help="estimate a journey from conversion paths (attribution data)",
        description="Estimate a journey from aggregated conversion paths, the common "
        "multi-touch attribution format: a CSV with the header "
        "path;total_conversions;total_conversion_value;total_null (or commas), paths "
        "written 'Search > Email > Store'. Each channel becomes a touchpoint and a "
        "'Conversion' goal follows the last channel of converting paths; the analysis "
        "then gives each channel's removal effect and attributed conversions. Writes a "
        "new project, or with --into refreshes a journey of an existing one.")
    paths_cmd.add_argument("file", metavar="FILE", help="the paths, a UTF-8 .csv")
    _import_arguments(paths_cmd, "Conversion paths", "the conversion goal's value (when "
                      "the file has total_conversion_value) and the journey's conversions")

    log_cmd.set_defaults(run=_import_log)
    paths_cmd.set_defaults(run=_import_paths)


def _import_arguments(command: argparse.ArgumentParser, name: str, measured: str) -> None:
    """The options import-log and import-paths share: where to write, bad rows, the new
    journey's name, and refreshing a drawn journey instead."""
    command.add_argument("-o", "--output", metavar="OUT", required=True,
                         help="the project to write, .cxmap or .json")
    command.add_argument("--skip-bad-rows", action="store_true",
                         help="leave out unusable rows instead of stopping")
    command.add_argument("--name", metavar="NAME", default=name,
                         help="the new journey's name")
    command.add_argument(
        "--into", metavar="PROJECT",
        help="refresh a journey of this project (.json, .cxmap or team-store URL) instead "
        "of starting a new one: entry shares and transition probabilities follow the data, "
        f"and so do {measured}; positions, notes, stages and the rest stay as drawn. The "
        "whole project is written to OUT, which may be PROJECT itself")
    command.add_argument("--journey", metavar="ID",
                         help="with --into: the journey to refresh (default: the first)")
    command.add_argument("--project", metavar="NAME",
                         help="the project's name, when PROJECT or OUT is a team-store URL")



def _import_log(args: argparse.Namespace) -> int:
    """Estimate the journey, then write the project in one step (nothing on failure)."""
    from cx_mapper.persistence.event_log import LogColumns, describe, read_event_log

    _check_spark(args)
    _check_output(args)
    database = is_store_url(args.file)
    if database and not args.table:
        raise BadInput("cx-mapper: import-log from a database needs --table TABLE, the "
                       "table of events")
    if args.table and not database:
        raise BadInput("cx-mapper: --table is for a database URL; FILE is a log file")
    if not database and not args.spark_table:
        _not_path_data(args.file)
    into = _read_into(args)
    columns = LogColumns(args.customer, args.timestamp, args.touchpoint, args.satisfaction,
                         args.public, args.revenue, args.stage, args.channel)
    if args.spark is not None:
        from cx_mapper.persistence.spark_source import read_spark_events

        table, path = (args.spark_table, None) if args.spark_table else (None, args.file)
        result = read_spark_events(columns, table=table, path=path, master=args.spark,
                                   scale=args.scale, skip_bad_rows=args.skip_bad_rows,
                                   journey_name=args.name, guess_satisfaction=True)
    elif database:
        from cx_mapper.persistence.event_store import read_event_table

        result = read_event_table(args.file, args.table, columns, scale=args.scale,
                                  skip_bad_rows=args.skip_bad_rows, journey_name=args.name,
                                  guess_satisfaction=True)
    else:
        result = read_event_log(args.file, columns, scale=args.scale,
                                skip_bad_rows=args.skip_bad_rows, journey_name=args.name,
                                guess_satisfaction=True)
    # A refresh takes only what the log has data for, touchpoint by touchpoint.
    _write_estimate(args, into, result.journey, describe(result), (), result.measured_for())
    for bad in result.skipped:
        print(f"Skipped {one_line(bad.describe())}.", file=sys.stderr)
    return 0


def _import_paths(args: argparse.Namespace) -> int:
    """Like import-log, from aggregated conversion paths."""
    from cx_mapper.persistence.path_data import describe, read_path_data

    _check_output(args)
    into = _read_into(args)
    result = read_path_data(args.file, skip_bad_rows=args.skip_bad_rows,
                            journey_name=args.name)
    _write_estimate(args, into, result.journey, describe(result), (), result.measured_for())
    for bad in result.skipped:
        print(f"Skipped {one_line(bad.describe())}.", file=sys.stderr)
    return 0


def _check_spark(args: argparse.Namespace) -> None:
    """FILE or --spark-table, one of them; a Spark table names the new project."""
    if args.spark_table is not None:
        if args.file is not None or args.table is not None:
            raise BadInput("cx-mapper: --spark-table reads a table of the Spark catalog; "
                           "give no FILE and no --table with it")
        args.spark = args.spark or "local[*]"
        args.file = args.spark_table  # the project's name, and where messages say
    elif args.file is None:
        raise BadInput("cx-mapper: import-log needs FILE, the event log (or --spark-table "
                       "TABLE)")
    elif args.spark is not None and is_store_url(args.file):
        raise BadInput("cx-mapper: --spark reads files or --spark-table; a database URL is "
                       "read with --table")


def _check_output(args: argparse.Namespace) -> None:
    if not is_store_url(args.output) and os.path.abspath(args.output) == os.path.abspath(
            args.file):
        raise BadInput(f"{args.output}: OUT is the data file itself; nothing was written.")
    if args.journey is not None and args.into is None:
        raise BadInput("cx-mapper: --journey needs --into PROJECT (the project whose "
                       "journey to refresh)")


def _not_path_data(name: str) -> None:
    """Path data given to import-log: say which command reads it."""
    from cx_mapper.persistence.csv_source import check_regular_file, read_header
    from cx_mapper.persistence.path_data import looks_like_path_data

    try:  # the type first: opening a named pipe would wait for a writer
        check_regular_file(name, "an event log")
        names = read_header(name).names
    except ProjectFileError:
        return  # Parquet, or a file the log reader will explain
    if looks_like_path_data(names):
        raise BadInput(f"{name}: these are conversion paths, not an event log; read them "
                       "with cx-mapper import-paths.")


_Into = tuple[Project, Any, int]  # the project, its team-store record or None, the journey


def _write_estimate(args: argparse.Namespace, into: _Into | None, estimate: Journey,
                    account: str, measured: Sequence[str],
                    measured_for: Mapping[str, Collection[str]]) -> None:
    """A new project laid out by stage, or (--into) the project with a journey refreshed."""
    from cx_mapper.domain.refresh import refresh_journey
    from cx_mapper.engine.layout import layout_by_stage, place_new  # plain Python, no Qt

    if into is None:
        for touchpoint_id, (x, y) in layout_by_stage(estimate).items():
            estimate.update_touchpoint(touchpoint_id, x=x, y=y)
        # Project() brings the default segment, as File > New does.
        project = Project(name=os.path.splitext(os.path.basename(args.file))[0],
                          journeys=[estimate])
        write_location(project, args.output, args.project)
        print(f"Wrote {where(args.output)}: {account}.")
        return

    project, stored, index = into
    existing = project.journeys[index]
    refresh = refresh_journey(existing, estimate, measured=measured, measured_for=measured_for)
    journey = refresh.journey
    for touchpoint_id, (x, y) in place_new(journey, refresh.added).items():
        journey.update_touchpoint(touchpoint_id, x=x, y=y)
    project.journeys[index] = journey
    if stored is not None and is_store_url(args.output) and args.output == args.into:
        from cx_mapper.persistence.team_store import TeamStore

        # The project just read, saved back: only this journey changed, so someone
        # else's edits to the others are kept and a newer save of this one is refused.
        TeamStore(args.output).save(project, stored.name, base=stored.revisions,
                                    changed=[journey.id])
    else:
        write_location(project, args.output, args.project)
    lines = [change.describe() for change in refresh.changes]
    for line in lines[:CHANGES_SHOWN]:
        print(f"  {one_line(line)}")
    if len(lines) > CHANGES_SHOWN:
        print(f"  … and {len(lines) - CHANGES_SHOWN:,} more")
    kinds = [change.kind for change in refresh.changes]
    counts = ", ".join(f"{kinds.count(kind):,} {kind}"
                       for kind in ("updated", "added", "removed", "not in data")
                       if kind in kinds) or "no changes"
    print(f"Wrote {where(args.output)}: refreshed {quoted(existing.name or existing.id)} "
          f"({quoted(existing.id)}) from {escaped(os.path.basename(args.file))}: {counts}. "
          f"Data: {account}.")


def _read_into(args: argparse.Namespace) -> _Into | None:
    """The --into project (read before the data, which may take long), its team-store
    record (revisions) when it is in the store, and which journey to refresh."""
    if args.into is None:
        return None
    stored: Any = None
    if is_store_url(args.into):
        from cx_mapper.persistence.team_store import TeamStore

        stored = TeamStore(args.into).load(args.project)
        project = stored.project
    else:
        project = read_location(args.into)
    return project, stored, _journey_index(project, args.into, args.journey)


def _journey_index(project: Project, location: str, journey_id: str | None) -> int:
    if not project.journeys:
        raise BadInput(f"{location}: the project has no journey to refresh; import "
                       "without --into to start one.")
    if journey_id is None:
        return 0
    for index, journey in enumerate(project.journeys):
        if journey.id == journey_id:
            return index
    raise BadInput(f"{location}: there is no journey '{journey_id}'. Journeys: "
                   f"{', '.join(j.id for j in project.journeys)}.")

