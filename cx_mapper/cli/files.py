"""`convert` and `export`: a project in another format; a journey as a PNG, PDF or SVG
summary, an Excel workbook, CSV files or a PowerPoint deck."""

from __future__ import annotations

import argparse
import math
import os
from typing import Any

from cx_mapper.cli.common import (
    DEFAULT_WIDTH,
    MAX_WIDTH,
    MIN_WIDTH,
    BadInput,
    headless_application,
    width,
)
from cx_mapper.domain.quoting import counted, escaped, one_line, quoted
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.exports.paper import PAPERS, SUMMARY_PAGES, paper_named
from cx_mapper.persistence.locations import is_store_url, read_location, write_location


def register(commands: Any) -> None:
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
        "export", help="write a journey's summary, workbook, tables, deck or report",
        description="Write one journey in the format OUT's extension names: .png the "
        "one-page PNG summary (the map as drawn with the analysis overlays, the key figures, "
        "the charts, the touchpoints to fix first and the assumptions); .pdf the same page as "
        "one tall PDF page with real text and vector map and charts; .svg the same page as "
        "an SVG drawing with its text as text; .xlsx an Excel "
        "workbook of every figure; .csv one CSV file per table, named OUT-kpis.csv, "
        "OUT-touchpoints.csv and so on; .pptx a PowerPoint deck. Needs no display; each "
        "file is replaced only once it is complete.")
    export_cmd.add_argument("file", metavar="FILE",
                            help="a .json or .cxmap project, or a team-store database URL")
    export_cmd.add_argument("out", metavar="OUT", nargs="?",
                            help="the file to write: .png, .pdf, .svg, .xlsx, .csv, .pptx "
                            "or .html")
    export_cmd.add_argument("--png", metavar="OUT", help="the PNG summary to write (as "
                            "OUT.png)")
    export_cmd.add_argument("--project", metavar="NAME",
                            help="the project's name, when FILE is a team-store URL")
    export_cmd.add_argument("--journey", metavar="ID", help="journey id (default: the first)")
    export_cmd.add_argument("--width", metavar="PX", type=width, default=DEFAULT_WIDTH,
                            help=f"PNG width in pixels, {MIN_WIDTH}-{MAX_WIDTH} "
                            f"(default {DEFAULT_WIDTH}); the height follows the content")
    export_cmd.add_argument("--page", metavar="SIZE", type=page_choice, default="tall",
                            help="PDF: the summary on A4, A3 or Letter pages, split between "
                            "sections; 'tall', one page as tall as the summary (the "
                            "default); or 'poster', the map alone (also for .svg)")
    export_cmd.add_argument("--landscape", action="store_true",
                            help="turn the PDF's pages (summary or poster) to landscape")
    export_cmd.add_argument("--paper", metavar="SIZE", type=paper_choice,
                            help=f"the poster's paper: {', '.join(PAPERS)} (default A3)")
    export_cmd.add_argument("--across", metavar="N", type=across_count,
                            help="tile the poster across N pages (rows follow the map's "
                            "shape), with crop marks and page labels; default 1 fits it "
                            "on one page")
    export_cmd.add_argument("--overlap", metavar="MM", type=overlap_mm,
                            help="how much each tiled poster page repeats of its "
                            "neighbours, 0-50 mm (default 10)")
    convert_cmd.set_defaults(run=_convert)
    export_cmd.set_defaults(run=_export)


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


def _export(args: argparse.Namespace) -> int:
    """Analyse, make the file's bytes, then replace OUT in one step.

    Every check that can fail on the user's input runs before OUT is touched, and each
    file goes to a temporary file renamed over it, so a failed export leaves OUT as it
    was. The format comes from the table in ui/export/formats.py.
    """
    from cx_mapper.ui.export.formats import ExportOptions, output_files, write_files

    out, chosen = _export_target(args)
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
    if chosen.needs_qt:
        headless_application()
    from cx_mapper.exports.figures import gather

    figures = gather(project, result, intervals=chosen.intervals)
    poster = args.page == "poster"
    default = ExportOptions()  # the poster's own paper, tiles and overlap, unless given
    exported = chosen.write(figures, ExportOptions(
        width=args.width, page="tall" if poster else args.page, landscape=args.landscape,
        map_alone=poster, paper=args.paper or default.paper,
        across=args.across or default.across,
        overlap_mm=default.overlap_mm if args.overlap is None else args.overlap))
    files = output_files(exported, out)
    if any(os.path.abspath(path) == os.path.abspath(args.file) for path in files):
        raise BadInput(f"{out}: OUT is the project file itself; nothing was written.")
    write_files(files)
    print(f"Wrote {', '.join(escaped(path) for path in files)}: "
          f"{exported.what or chosen.what} of "
          f"{quoted(journey.name or journey.id)} ({quoted(project.name)}), "
          f"{exported.detail}.")
    return 0


def _export_target(args: argparse.Namespace) -> tuple[str, Any]:
    """OUT and its format: the positional OUT by its extension, or --png OUT."""
    from cx_mapper.ui.export.formats import FORMATS, format_for, known_extensions

    if args.out and args.png:
        raise BadInput(f"{args.out}: give OUT or --png OUT, not both; nothing was written.")
    if not args.out and not args.png:
        raise BadInput("export: say which file to write: OUT (.png, .pdf, .svg, .xlsx, .csv, "
                       ".pptx or .html) or --png OUT.")
    out = args.out or args.png
    if os.path.abspath(out) == os.path.abspath(args.file):
        raise BadInput(f"{out}: OUT is the project file itself; nothing was written.")
    chosen = FORMATS[".png"] if args.png else format_for(out)
    if chosen is None:
        extension = os.path.splitext(out)[1] or "no extension"
        raise BadInput(f"{out}: cannot tell the format from {extension!s}; name OUT with "
                       f"one of {known_extensions()}. Nothing was written.")
    if args.page != "tall" and chosen.extension not in (".pdf", ".svg"):
        raise BadInput(f"{out}: --page is for a PDF (or 'poster' for an SVG of the map), "
                       f"not {chosen.extension}; nothing was written.")
    if args.page not in ("tall", "poster") and chosen.extension == ".svg":
        raise BadInput(f"{out}: an SVG is one page; --page {args.page} is for a PDF. "
                       "Nothing was written.")
    given = [flag for flag, value in (("--paper", args.paper), ("--across", args.across),
                                      ("--overlap", args.overlap)) if value is not None]
    if given and (args.page != "poster" or chosen.extension != ".pdf"):
        raise BadInput(f"{out}: {given[0]} is for the poster PDF of the map (OUT.pdf "
                       "--page poster); nothing was written.")
    return out, chosen


def page_choice(text: str) -> str:
    if text.lower() in ("poster", "tall"):
        return text.lower()
    name = paper_named(text)
    if name is None or name not in SUMMARY_PAGES:
        raise argparse.ArgumentTypeError(
            f"must be A4, A3, Letter, tall or poster, got '{one_line(text)}'")
    return name


def paper_choice(text: str) -> str:
    name = paper_named(text)
    if name is None:
        raise argparse.ArgumentTypeError(f"must be one of {', '.join(PAPERS)}, "
                                         f"got '{one_line(text)}'")
    return name


def across_count(text: str) -> int:
    return int(_between(text, int, 1, 20, "a whole number of pages from 1 to 20"))


def overlap_mm(text: str) -> float:
    return _between(text, float, 0, 50, "millimetres from 0 to 50")


def _between(text: str, kind: type[int] | type[float], low: float, high: float,
             words: str) -> float:
    """`text` read as `kind` and within [low, high] (NaN is not), or one line saying
    what it must be."""
    try:
        value: float = kind(text)
    except ValueError:
        value = math.nan
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be {words}, got '{one_line(text)}'")
    return value
