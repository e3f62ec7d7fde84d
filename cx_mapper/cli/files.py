"""`convert` and `export`: a project in another format, a journey's summary as a PNG."""

from __future__ import annotations

import argparse
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
from cx_mapper.domain.quoting import counted, escaped, quoted
from cx_mapper.engine.errors import AnalysisError
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
    export_cmd.add_argument("--width", metavar="PX", type=width, default=DEFAULT_WIDTH,
                            help=f"image width in pixels, {MIN_WIDTH}-{MAX_WIDTH} "
                            f"(default {DEFAULT_WIDTH}); the height follows the content")
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

    headless_application()
    from cx_mapper.ui.export.png import write_png
    from cx_mapper.ui.export.summary import render_summary
    from cx_mapper.ui.export.summary_plan import plan_figures
    from cx_mapper.ui.export.summary_sure import sure_figures

    plan = plan_figures(project, result.journey_id)
    image = render_summary(project, result, width=args.width, plan=plan,
                           uncertainty=sure_figures(project, result.journey_id))
    write_png(image, out)
    print(f"Wrote {escaped(out)}: the summary of {quoted(journey.name or journey.id)} "
          f"({quoted(project.name)}), {image.width()} x {image.height()} px.")
    return 0

