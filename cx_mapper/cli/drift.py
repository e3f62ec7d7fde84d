"""`drift`: a journey against a new event log; exit 3 past a threshold (README, Drift).

The parser only: what runs it (cli/drift_run.py) loads the statistics and the
engine when the command runs, so `cx-mapper` starts as fast as before.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from cx_mapper.cli.common import DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH, width
from cx_mapper.domain.quoting import one_line
from cx_mapper.engine.drift_defaults import DEFAULT_ALPHA, DEFAULT_KPI


def register(commands: Any) -> None:
    command = commands.add_parser(
        "drift", help="what moved in an event log since the journey was drawn; exit 3 "
        "past a threshold",
        description="Compare a journey with an event log: each touchpoint's next moves "
        "and leaving, the entry shares, and the measured satisfaction and visibility are "
        "tested for a change beyond chance (G-test, exact multinomial for small rows, "
        "t-test and binomial test; Holm-corrected over all tests). The significant "
        "changes are applied to a copy of the journey to price them in KPIs. Exit 0, or "
        "3 when the KPI (--kpi) moves more than --threshold; 2 for bad input.")
    command.add_argument("file", metavar="PROJECT",
                         help="a .json or .cxmap project, or a team-store database URL")
    command.add_argument("--project", metavar="NAME",
                         help="the project's name, when PROJECT is a team-store URL")
    command.add_argument("--journey", metavar="ID", help="journey id (default: the first)")
    command.add_argument("--log", metavar="LOG", required=True,
                         help="the event log, .csv or .parquet, or a PostgreSQL URL with "
                         "--table (the same columns as import-log)")
    command.add_argument("--table", metavar="TABLE",
                         help="with a database URL: the table or view of events")
    for name, default in (("customer", "customer_id"), ("timestamp", "timestamp"),
                          ("touchpoint", "touchpoint")):
        command.add_argument(f"--{name}", metavar="COLUMN", default=default,
                             help=f"the log's {name} column (default {default})")
    command.add_argument("--satisfaction", metavar="COLUMN",
                         help="the satisfaction column (default: one named satisfaction, "
                         "csat, nps, score, rating or sentiment)")
    command.add_argument("--public", metavar="COLUMN",
                         help="a shared-in-public flag, to test visibility")
    command.add_argument("--scale", choices=("auto", "csat", "nps", "unit"), default="auto",
                         help="the satisfaction scale (default: from the values' range)")
    command.add_argument("--skip-bad-rows", action="store_true",
                         help="leave out unusable rows instead of stopping")
    command.add_argument("--threshold", metavar="X", type=_fraction,
                         help="exit 3 when the KPI changes by more than X, relative "
                         "(0.05 is 5%%), with the significant changes applied")
    command.add_argument("--kpi", metavar="KPI", default=DEFAULT_KPI,
                         help="the KPI the threshold is about, as analyze --json names "
                         f"its totals (default {DEFAULT_KPI})")
    command.add_argument("--alpha", metavar="A", type=_alpha, default=DEFAULT_ALPHA,
                         help=f"the family-wise false-alarm rate (default {DEFAULT_ALPHA:g})")
    command.add_argument("--json", action="store_true", help="print a JSON object instead")
    command.add_argument("--png", metavar="OUT", help="also write a one-page PNG summary")
    command.add_argument("--width", metavar="PX", type=width, default=DEFAULT_WIDTH,
                         help=f"the PNG's width, {MIN_WIDTH}-{MAX_WIDTH} (default "
                         f"{DEFAULT_WIDTH})")
    command.set_defaults(run=_drift)


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 <= value < math.inf):
        raise argparse.ArgumentTypeError(f"must be a relative change of 0 or more such as "
                                         f"0.05, got '{one_line(text)}'")
    return value


def _alpha(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (0 < value < 1):
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, such as 0.01, got "
                                         f"'{one_line(text)}'")
    return value


def _drift(args: argparse.Namespace) -> int:
    from cx_mapper.cli.drift_run import run_drift

    return run_drift(args)
