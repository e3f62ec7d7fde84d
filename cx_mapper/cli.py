"""`cx-mapper`: the desktop app by default, headless subcommands for scripts (FORMAT.md).

Exit codes: 0 on success, 2 for bad input with one clear line on stderr (the same
text the app shows), 1 for an internal fault. Never a traceback, unless
CX_MAPPER_DEBUG is set.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Collection, Mapping, Sequence
from typing import Any, NoReturn

from cx_mapper import __version__
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import counted, escaped, one_line, quoted
from cx_mapper.domain.ranges import HORIZON_LIMIT, bound_words
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.locations import is_store_url, read_location, write_location

BAD_INPUT = 2

class BadInput(Exception):
    """Input the user can fix; the message says what and where."""


class _Parser(argparse.ArgumentParser):
    """Bad arguments are bad input: one line and exit 2, like every other mistake."""

    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{self.prog}: {message} (see {self.prog} -h)")


COMMANDS = ("analyze", "convert", "export", "import-log", "import-paths", "plan")
#: What `analyze` read and computed, left for the process's end (freeing it took 0.15 s).
_LEFT_FOR_EXIT: list[object] = []
#: `--into` prints this many changes, then how many more there are.
CHANGES_SHOWN = 40
#: `export --width` bounds: narrower is unreadable, wider makes images of hundreds of MB.
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 800, 6000, 2400


def run() -> None:
    """The `cx-mapper` command: `main`, then the process ends.

    After `analyze` it ends at once, its output flushed, without tearing down what the
    run built (_LEFT_FOR_EXIT): freeing a 100,000-touchpoint journey and its results
    object by object took 0.2 s of a 5 s run, for a process about to end. Nothing else
    is left to do then (no file open, no temporary). Every other command exits as usual.
    """
    argv = sys.argv[1:]
    code = main(argv)
    if argv[:1] == ["analyze"]:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a reader that left
                stream.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    _one_blas_thread()
    _LEFT_FOR_EXIT.clear()  # a caller that runs several commands (tests) frees the last
    argv = list(sys.argv[1:] if argv is None else argv)
    # `cx-mapper FILE` opens the app; FILE must not be taken for a command name.
    opens_app = not argv or (argv[0] not in COMMANDS and not argv[0].startswith("-"))
    try:
        args = (_app_parser() if opens_app else _parser()).parse_args(argv)
        commands = {"analyze": _analyze, "convert": _convert, "export": _export,
                    "import-log": _import_log, "import-paths": _import_paths, "plan": _plan}
        return commands[args.command](args) if args.command else _open_app(args.file)
    except (BadInput, ProjectFileError, AnalysisError) as error:
        # One line, escaped: file names and ids are anyone's text (domain/quoting.py).
        message = one_line(str(error))
        prefix = "" if message.startswith("cx-mapper") else "cx-mapper: "
        print(f"{prefix}{message}", file=sys.stderr)
        return BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as error:  # a fault of ours: say so in one line, not a traceback
        if os.environ.get("CX_MAPPER_DEBUG"):
            raise
        print(f"cx-mapper: internal error: {type(error).__name__}: {one_line(str(error))}. "
              "Set CX_MAPPER_DEBUG=1 for details.", file=sys.stderr)
        return 1


def _one_blas_thread() -> None:
    """Run numpy's BLAS on one thread unless the user chose otherwise.

    The engine's large solves are sparse: their dense parts are dot products of long
    vectors, bound by memory, where threads gain little. On a busy machine OpenBLAS's
    threads wait for cores and the same analysis took 25 s instead of 4.4 s (100,000
    touchpoints on 2 cores, README). It must be set before numpy is first imported.
    """
    if "numpy" not in sys.modules:
        for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(name, "1")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="cx-mapper",
        description="Customer-experience journey maps that compute loyalty, value and "
        "word of mouth. With no command, opens the desktop app (on FILE if given).",
    )
    parser.add_argument("--version", action="version", version=f"cx-mapper {__version__}")
    parser.set_defaults(command=None, file=None)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    analyze_cmd = commands.add_parser(
        "analyze", help="print the analysis of a journey",
        description="Print the analysis of one journey of a project file.")
    _journey_arguments(analyze_cmd)
    analyze_cmd.add_argument("--json", action="store_true",
                             help="print the analysis as JSON (FORMAT.md)")
    plan_cmd = commands.add_parser(
        "plan", help="the best opportunities to fund for a budget",
        description="Choose the opportunities of a journey that do most for the objective "
        "within the budget, with their exact combined gains and what more money would buy.")
    _journey_arguments(plan_cmd)
    plan_cmd.add_argument("--budget", metavar="B", type=_budget,
                          help="what may be spent, in the project's cost unit (default: "
                          "the journey's saved plan)")
    plan_cmd.add_argument("--objective", metavar="KPI=W,...", help="what to maximise: one "
                          "figure or a weighted sum, e.g. value=1,referral_r=50 (default: "
                          "the journey's saved plan, else value=1)")
    plan_cmd.add_argument("--json", action="store_true", help="print the plan as JSON (FORMAT.md)")
    convert_cmd = commands.add_parser(
        "convert", help="convert between .json, .cxmap and the team store",
        description="Convert a project between .json and .cxmap files and a team store "
        "(a PostgreSQL URL such as postgresql+psycopg://user@host/db). The output file is "
        "replaced atomically; a team-store output must be a new project name.")
    convert_cmd.add_argument("source", metavar="IN", help="file or team-store URL to read")
    convert_cmd.add_argument("target", metavar="OUT", help="file or team-store URL to write")
    convert_cmd.add_argument("--project", metavar="NAME",
                             help="the project's name in the team store (default: when "
                             "reading, the only project; when writing, the project's name)")
    convert_cmd.add_argument("--force", action="store_true",
                             help="replace OUT even if it is a read-only file (it stays "
                             "read-only); without it a read-only OUT is refused")
    export_cmd = commands.add_parser(
        "export", help="write the one-page PNG summary of a journey",
        description="Write the one-page PNG summary of one journey: the map as drawn with "
        "the analysis overlays, the key figures, the charts, the touchpoints to fix first "
        "and the assumptions. Needs no display; OUT is replaced only once the image is "
        "complete.")
    export_cmd.add_argument("file", metavar="FILE",
                            help="a .json or .cxmap project, or a team-store database URL")
    export_cmd.add_argument("--png", metavar="OUT", required=True, help="the PNG file to write")
    export_cmd.add_argument("--project", metavar="NAME",
                            help="the project's name, when FILE is a team-store URL")
    export_cmd.add_argument("--journey", metavar="ID", help="journey id (default: the first)")
    export_cmd.add_argument("--width", metavar="PX", type=_width, default=DEFAULT_WIDTH,
                            help=f"image width in pixels, {MIN_WIDTH}-{MAX_WIDTH} "
                            f"(default {DEFAULT_WIDTH}); the height follows the content")
    log_cmd = commands.add_parser(
        "import-log", help="estimate a journey from an event log (CSV or Parquet)",
        description="Estimate a journey from an event log with one row per interaction: "
        "entry shares, transition probabilities from what directly follows what (a "
        "customer's last event is an exit), mean satisfaction, the share of public "
        "mentions as visibility, and mean revenue as value. Writes a new project, or with "
        "--into refreshes a journey of an existing one.")
    log_cmd.add_argument("file", metavar="FILE",
                         help="the log, .csv (UTF-8) or .parquet, or a PostgreSQL URL "
                         "(postgresql+psycopg://user@host/db) with --table")
    log_cmd.add_argument("--table", metavar="TABLE",
                         help="with a database URL: the table or view of events, read in "
                         "place by the same SQL (schema.table allowed)")
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
    return parser


def _journey_arguments(command: argparse.ArgumentParser) -> None:
    """FILE, --project, --journey and --horizon: where the journey is, and how far to count."""
    command.add_argument("file", metavar="FILE",
                         help="a .json or .cxmap project, or a team-store database URL")
    command.add_argument("--project", metavar="NAME",
                         help="the project's name, when FILE is a team-store URL")
    command.add_argument("--journey", metavar="ID", help="journey id (default: the first)")
    command.add_argument("--horizon", metavar="T", type=_horizon,
                         help="count steps 0..T only, T at most "
                         f"{bound_words(HORIZON_LIMIT)} (default: infinite horizon)")


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


def _app_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="cx-mapper", usage="cx-mapper [FILE]")
    parser.add_argument("file", nargs="?", metavar="FILE", help="project to open")
    parser.set_defaults(command=None)
    return parser


def _horizon(text: str) -> int:
    """The journey's own horizon bound (domain/ranges.py) holds for --horizon too."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of steps, got '{quoted(text)}'") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    if value > HORIZON_LIMIT:  # an unrolled horizon costs time and memory with every step
        raise argparse.ArgumentTypeError(
            f"must be {bound_words(HORIZON_LIMIT)} steps or fewer, got {quoted(text)}")
    return value


def _budget(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (value >= 0 and value != float("inf")):  # NaN fails the comparison
        raise argparse.ArgumentTypeError(f"must be a number of 0 or more, got '{quoted(text)}'")
    return value


def _width(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of pixels, got '{text}'"
                                         ) from None
    if not MIN_WIDTH <= value <= MAX_WIDTH:
        raise argparse.ArgumentTypeError(
            f"must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, got {value}")
    return value


# -- analyze --------------------------------------------------------------------------
def _analyze(args: argparse.Namespace) -> int:
    from cx_mapper.engine.analysis import analyze
    from cx_mapper.engine.report import analysis_table, analysis_to_json

    chain = columns = None
    if args.json and args.horizon is None and not is_store_url(args.file):
        # The journey as arrays straight from the file's columns: no object per element.
        from cx_mapper.engine.matrices import chain_of_columns
        from cx_mapper.persistence.files import read_for_analysis

        project, columns = read_for_analysis(args.file, args.journey)
        if columns is not None:
            chain = chain_of_columns(project.journey(columns.journey_id), columns.touchpoints,
                                     columns.sources, columns.targets, columns.probabilities)
    else:
        project = read_location(args.file, args.project)
    # What was read lives to the end of the run: the cyclic collector need not walk its
    # millions of objects again each time the result's many small ones start a pass.
    gc.freeze()
    try:
        try:
            # The reader refused whatever a field could hold wrong: not checked twice.
            result = analyze(project, args.journey, args.horizon, read_checked=True,
                             chain=chain)
        except AnalysisError as error:
            raise BadInput(f"{args.file}: {error}") from None
        if args.json:
            import orjson

            from cx_mapper.engine.plan_report import add_opportunities

            data = analysis_to_json(result)
            add_opportunities(data, project, result.journey_id, args.horizon)
            # Every figure is finite (the engine checks): orjson's null for NaN never shows.
            _write_out(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        else:
            sys.stdout.write(analysis_table(project, result))
        _LEFT_FOR_EXIT.extend((project, columns, result))
    finally:
        gc.unfreeze()  # a caller in the same process (a test) collects as before
    return 0


# -- plan -------------------------------------------------------------------------------
def _plan(args: argparse.Namespace) -> int:
    from cx_mapper.engine.analysis import pick_journey
    from cx_mapper.engine.plan import parse_objective, plan
    from cx_mapper.engine.plan_report import plan_table, plan_to_json

    try:
        objective = parse_objective(args.objective) if args.objective is not None else None
    except ValueError as error:
        raise BadInput(f"--objective: {error}") from None
    project = read_location(args.file, args.project)
    try:
        journey = pick_journey(project, args.journey, "plan")
        saved = journey.plan  # the plan the app shows, unless the command says otherwise
        if args.budget is None and saved is None:
            raise BadInput(f"{args.file}: the journey '{quoted(journey.id)}' has no saved "
                           "plan; give --budget.")
        budget = saved.budget if args.budget is None and saved else args.budget
        objective = objective or (dict(saved.objective) if saved else {"value": 1.0})
        result = plan(project, journey.id, budget, objective, args.horizon)
    except AnalysisError as error:
        raise BadInput(f"{args.file}: {error}") from None
    if args.json:
        import orjson

        _write_out(orjson.dumps(plan_to_json(result), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        sys.stdout.write(plan_table(project, journey, result))
    return 0


def _write_out(data: bytes) -> None:
    """UTF-8 bytes to stdout, straight to its buffer when it has one (48 MB of JSON)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text stream stands in for stdout (tests, embedding)
        sys.stdout.write(data.decode("utf-8"))
    else:
        buffer.write(data)
        buffer.flush()


def _convert(args: argparse.Namespace) -> int:
    if os.path.realpath(args.source) == os.path.realpath(args.target):
        raise BadInput(f"{args.target}: IN and OUT are the same file; nothing was written.")
    project = read_location(args.source, args.project)
    if args.force and not is_store_url(args.target):
        from cx_mapper.persistence.files import write_any_project

        write_any_project(project, args.target, replace_read_only=True)
    else:
        write_location(project, args.target, args.project)
    print(f"Wrote {args.target if not is_store_url(args.target) else 'the team store'}: "
          f"{quoted(project.name)}, {counted(len(project.journeys), 'journey')}, "
          f"{counted(sum(len(j.touchpoints) for j in project.journeys), 'touchpoint')}.")
    return 0


def _import_log(args: argparse.Namespace) -> int:
    """Estimate the journey, then write the project in one step (nothing on failure)."""
    from cx_mapper.persistence.event_log import LogColumns, describe, read_event_log

    _check_output(args)
    database = is_store_url(args.file)
    if database and not args.table:
        raise BadInput("cx-mapper: import-log from a database needs --table TABLE, the "
                       "table of events")
    if args.table and not database:
        raise BadInput("cx-mapper: --table is for a database URL; FILE is a log file")
    if not database:
        _not_path_data(args.file)
    into = _read_into(args)
    columns = LogColumns(args.customer, args.timestamp, args.touchpoint, args.satisfaction,
                         args.public, args.revenue, args.stage, args.channel)
    if database:
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
        print(f"Wrote {_where(args.output)}: {account}.")
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
    print(f"Wrote {_where(args.output)}: refreshed {quoted(existing.name or existing.id)} "
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


def _where(location: str) -> str:
    return location if not is_store_url(location) else "the team store"



def _export(args: argparse.Namespace) -> int:
    """Analyse, render the summary offscreen, then replace OUT in one step.

    Every check that can fail on the user's input runs before OUT is touched, and the
    PNG goes to a temporary file renamed over OUT, so a failed export leaves OUT as it was.
    """
    out = args.png
    if os.path.abspath(out) == os.path.abspath(args.file):
        raise BadInput(f"{out}: OUT is the project file itself; nothing was written.")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise BadInput(f"{out}: the folder {folder} does not exist; nothing was written.")
    if not os.access(folder, os.W_OK):
        raise BadInput(f"{out}: cannot write into {folder}: it is read-only; "
                       "nothing was written.")
    from cx_mapper.engine.analysis import analyze
    project = read_location(args.file, args.project)
    try:
        result = analyze(project, args.journey)
    except AnalysisError as error:
        raise BadInput(f"{args.file}: {error}") from None
    journey = project.journey(result.journey_id)

    _headless_application()
    from cx_mapper.ui.export.png import write_png
    from cx_mapper.ui.export.summary import render_summary
    from cx_mapper.ui.export.summary_plan import plan_figures

    plan = plan_figures(project, result.journey_id)
    image = render_summary(project, result, width=args.width, plan=plan)
    write_png(image, out)
    print(f"Wrote {escaped(out)}: the summary of {quoted(journey.name or journey.id)} "
          f"({quoted(project.name)}), {image.width()} x {image.height()} px.")
    return 0


def _headless_application() -> object:
    """The QApplication for rendering, on Qt's offscreen platform on Linux and the BSDs.

    Export never opens a window, so it needs no display: not having DISPLAY or
    WAYLAND_DISPLAY is fine, and a stale DISPLAY (an ssh session) cannot abort it.
    QT_QPA_PLATFORM must be set before the application object exists; a platform the
    user set is kept. Windows and macOS render with their own platform.
    """
    if sys.platform not in ("win32", "darwin"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    return app if app is not None else QApplication(["cx-mapper"])


# -- the desktop app ----------------------------------------------------------------
def _open_app(file: str | None) -> int:
    from cx_mapper.ui.app import leave, run

    return leave(run(file))  # the window has saved what it keeps: the process ends at once
