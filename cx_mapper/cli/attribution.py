"""`attribution`: who gets the credit for the conversions of a path file, by several models."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from cx_mapper.cli.common import BadInput, write_out
from cx_mapper.domain.quoting import one_line


def register(commands: Any) -> None:
    command = commands.add_parser(
        "attribution", help="share conversions and their value out over the channels of "
        "conversion paths, by Markov removal effect and by heuristic models",
        description="Read aggregated conversion paths (the header "
        "path;total_conversions;total_conversion_value;total_null, paths written "
        "'Search > Email > Store', as import-paths reads them) and print per channel: the "
        "Markov removal effect with the conversions and conversion value it attributes, "
        "and first-touch, last-touch, linear and position-based (40/20/40) attribution.")
    command.add_argument("file", metavar="PATHS", help="the paths, a UTF-8 .csv")
    command.add_argument("--order", type=int, choices=(1, 2, 3), default=1,
                         help="the Markov chain's memory: a state is the last ORDER "
                         "channels (default 1, the journey import-paths builds)")
    command.add_argument("--json", action="store_true", help="print the figures as JSON")
    command.add_argument("--skip-bad-rows", action="store_true",
                         help="leave out unusable rows instead of stopping")
    command.set_defaults(run=_attribution)


def _attribution(args: argparse.Namespace) -> int:
    import numpy as np

    from cx_mapper.engine.attribution_report import (
        attribute_paths,
        attribution_table,
        attribution_to_json,
    )
    from cx_mapper.engine.conversion_paths import paths_of
    from cx_mapper.persistence.path_rows import read_path_rows

    rows = read_path_rows(args.file, skip_bad_rows=args.skip_bad_rows)
    paths = paths_of(rows.paths, rows.conversions, rows.values, rows.nulls,
                     channel_count=len(rows.channels))
    try:
        result = attribute_paths(rows.channels, paths, args.order, rows.has_value_column)
    except ValueError as error:
        raise BadInput(f"{args.file}: {error}") from None
    for bad in rows.skipped:
        print(f"Skipped {one_line(bad.describe())}.", file=sys.stderr)
    if args.json:
        write_out(json.dumps(attribution_to_json(result), indent=1).encode("utf-8") + b"\n")
    else:
        with np.errstate(all="ignore"):
            text = attribution_table(result)
        write_out(text.encode("utf-8"))
    return 0
