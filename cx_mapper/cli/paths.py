"""`paths`: the most common paths (variants) of an event log, with their share of
customers and conversion rate, as a table or JSON."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cx_mapper.cli.common import BadInput, write_out
from cx_mapper.cli.log_options import (
    add_column_arguments,
    add_filter_arguments,
    add_source_arguments,
    check_source,
    filters_from,
    read_log,
    whole_number,
)
from cx_mapper.domain.quoting import one_line
from cx_mapper.domain.variants import DEFAULT_TOP, percent, shown_path


def register(commands: Any) -> None:
    command = commands.add_parser(
        "paths", help="the most common paths of an event log, with share and conversion",
        description="The most common paths (variants) customers take in an event log: "
        "each customer's touchpoints in time order. Shows how many customers took each "
        "path and their share; with --goal, paths stop before the goal and the conversion "
        "rate is the share of the path's customers who reached it. Long paths are "
        "shortened in the table (their middle left out); --json gives them in full.")
    add_source_arguments(command)
    command.add_argument("--top", metavar="N", type=whole_number, default=DEFAULT_TOP,
                         help=f"how many paths to show, most customers first (default "
                         f"{DEFAULT_TOP})")
    command.add_argument("--json", action="store_true",
                         help="print JSON: every path in full, by name and by id")
    command.add_argument("--skip-bad-rows", action="store_true",
                         help="leave out unusable rows instead of stopping")
    add_column_arguments(command)
    add_filter_arguments(command)
    command.set_defaults(run=_paths)


def _paths(args: argparse.Namespace) -> int:
    from cx_mapper.persistence.log_variants import Goals, as_json

    if args.top < 1:
        raise BadInput("cx-mapper: paths --top must be 1 or more")
    database = check_source(args, "paths")
    filters = filters_from(args)
    result = read_log(args, filters, database=database, goals=Goals(tuple(args.goal)),
                      top=args.top)
    found = result.variants
    journey = result.journey
    goals = [journey.touchpoints[g].name for g in found.goals]
    if args.json:
        document = {"file": args.file if not database else args.table,
                    "customers": found.customers, "paths": found.total_variants,
                    "goals": goals, "filters": filters.describe() if filters else None,
                    "variants": as_json(found, journey)}
        write_out((json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
        return 0
    names = {tid: one_line(t.name) for tid, t in journey.touchpoints.items()}
    heading = (f"{found.customers:,} customers, {found.total_variants:,} "
               f"{'path' if found.total_variants == 1 else 'paths'}")
    if goals:
        heading += f"; conversion: reaching {' or '.join(one_line(g) for g in goals)}"
    if filters:
        heading += f"; filtered: {one_line(filters.describe())}"
    lines = [heading, f"{'#':>3}  {'Customers':>9}  {'Share':>6}  {'Converts':>8}  Path"]
    for number, variant in enumerate(found.variants, start=1):
        lines.append(f"{number:>3}  {variant.customers:>9,}  {percent(variant.share):>6}  "
                     f"{percent(variant.conversion_rate):>8}  "
                     f"{shown_path([names.get(s, s) for s in variant.path])}")
    if found.total_variants > len(found.variants):
        lines.append(f"The top {len(found.variants):,} paths are taken by "
                     f"{found.covered:.1%} of customers.")
    print("\n".join(lines))
    return 0
