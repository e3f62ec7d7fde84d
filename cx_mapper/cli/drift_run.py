"""What `cx-mapper drift` does: what moved in an event log since the journey was drawn
or refreshed.

For a scheduled job: exit 0 when nothing moved past the threshold, 3 when the chosen
KPI moved more than it with the significant changes applied, 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from typing import Any

from cx_mapper.cli.common import (
    BadInput,
    headless_application,
    write_out,
)
from cx_mapper.domain.quoting import escaped, one_line, quoted
from cx_mapper.engine.drift_report import (
    DriftReport,
    DriftTest,
    LogFigures,
    check_drift,
    counted_as,
    moved_text,
    p_text,
    past_threshold,
    verdict,
)
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.engine.kpis import TOTAL_KPIS
from cx_mapper.persistence.locations import is_store_url, read_location

#: The exit code of a drift past the threshold.
DRIFTED = 3
#: The text report lists this many significant changes, then how many more.
CHANGES_SHOWN = 30


def run_drift(args: argparse.Namespace) -> int:
    keys = [k.key for k in TOTAL_KPIS]
    if args.kpi not in keys:
        raise BadInput(f"cx-mapper drift: --kpi: '{one_line(args.kpi)}' is no KPI; choose "
                       f"from {', '.join(keys)}")
    _check_png(args)
    project = read_location(args.file, args.project)
    if not project.journeys:
        raise BadInput(f"{args.file}: the project has no journey to check.")
    if args.journey is not None and args.journey not in {j.id for j in project.journeys}:
        raise BadInput(f"{args.file}: there is no journey '{one_line(args.journey)}'. "
                       f"Journeys: {', '.join(j.id for j in project.journeys)}.")
    log = read_log(args)
    try:
        report = check_drift(project, args.journey, log, alpha=args.alpha, kpi=args.kpi)
    except AnalysisError as error:
        raise BadInput(f"{args.file}: {error}") from None
    if report.delta(args.kpi).before is None:
        raise BadInput(f"{args.file}: journey '{report.journey_id}' has no "
                       f"{args.kpi.replace('_', ' ')} to compare (--kpi); it has no "
                       "conversion touchpoint.")
    source = args.log if not is_store_url(args.log) else f"the table {args.table}"
    if args.png:
        headless_application()
        from cx_mapper.ui.export.drift_summary import render_drift
        from cx_mapper.ui.export.png import write_png

        image = render_drift(report, project.name, os.path.basename(source),
                             threshold=args.threshold, width=args.width)
        write_png(image, args.png)
    if args.json:
        write_out((json.dumps(drift_json(report, source, args.threshold), indent=2,
                              ensure_ascii=False) + "\n").encode("utf-8"))
    else:
        print("\n".join(report_lines(report, source, args.threshold)))
        if args.png:
            print(f"Wrote {escaped(args.png)}.")
    past = args.threshold is not None and past_threshold(report, args.threshold)
    return DRIFTED if past else 0


def _check_png(args: argparse.Namespace) -> None:
    if args.png is None:
        return
    folder = os.path.dirname(os.path.abspath(args.png))
    if os.path.abspath(args.png) in (os.path.abspath(args.file), os.path.abspath(args.log)):
        raise BadInput(f"{args.png}: OUT is an input file; nothing was written.")
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise BadInput(f"{args.png}: cannot write into {folder}; nothing was written.")


def read_log(args: argparse.Namespace) -> LogFigures:
    """The log's counts and measured figures, from a file or a PostgreSQL table."""
    from cx_mapper.persistence.event_log import LogColumns, read_event_log

    database = is_store_url(args.log)
    if database and not args.table:
        raise BadInput("cx-mapper: drift from a database needs --table TABLE, the table "
                       "of events")
    if args.table and not database:
        raise BadInput("cx-mapper: --table is for a database URL; --log is a log file")
    columns = LogColumns(args.customer, args.timestamp, args.touchpoint, args.satisfaction,
                         args.public)
    if database:
        from cx_mapper.persistence.event_store import read_event_table

        result = read_event_table(args.log, args.table, columns, scale=args.scale,
                                  skip_bad_rows=args.skip_bad_rows, guess_satisfaction=True)
    else:
        result = read_event_log(args.log, columns, scale=args.scale,
                                skip_bad_rows=args.skip_bad_rows, guess_satisfaction=True)
    counts = result.counts
    assert counts is not None  # an event log always has them
    return LogFigures(result.journey, counts.pairs, counts.starts, counts.ends,
                      result.measured_for(), result.scores, result.events)


# -- the report -------------------------------------------------------------------------
def report_lines(report: DriftReport, source: str, threshold: float | None) -> list[str]:
    name = report.journey_name or report.journey_id
    lines = [f"Drift of {quoted(name)} ({quoted(report.journey_id)}) against "
             f"{escaped(os.path.basename(source))}: {report.events:,} events of "
             f"{report.customers:,} customers.",
             f"Test: {report.test_words}; {len(report.tests):,} tests.",
             verdict(report, threshold)]
    if report.significant:
        lines += ["", "KPIs, the journey as it is → with the significant changes applied:"]
        for delta in report.kpis:
            if delta.before is None:
                continue
            change = "" if delta.delta is None else f"  ({delta.kpi.change_text(delta.delta)})"
            lines.append(f"  {delta.kpi.label:<22} {delta.kpi.value_text(delta.before)} → "
                         f"{delta.kpi.value_text(delta.after)}{change}")
        lines += ["", "Significant changes:"]
        for test in report.significant[:CHANGES_SHOWN]:
            lines.append(f"  {change_line(report, test)}")
        if len(report.significant) > CHANGES_SHOWN:
            lines.append(f"  … and {len(report.significant) - CHANGES_SHOWN:,} more")
    if report.new:
        lines += ["", "In the data, not on the map: " + ", ".join(
            quoted(n) for n in report.new)]
    if report.vanished:
        lines += ["", "On the map, not in the data: " + ", ".join(
            quoted(n) for _, n in report.vanished)]
    return lines


def change_line(report: DriftReport, test: DriftTest) -> str:
    kpi = report.delta(report.kpi).kpi
    alone = ("" if test.alone is None
             else f"; {kpi.label.lower()} {kpi.change_text(test.alone)} alone")
    return (f"{one_line(test.name)}: {moved_text(test)} "
            f"({test.test.method}, {counted_as(test)}, {p_text(test.test.p_value)}){alone}")


def _number(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def drift_json(report: DriftReport, source: str, threshold: float | None) -> dict[str, Any]:
    """The `drift --json` object (README, "Drift")."""
    chosen = report.delta(report.kpi)
    return {
        "journey": {"id": report.journey_id, "name": report.journey_name},
        "log": {"source": source, "events": report.events, "customers": report.customers},
        "test": report.test_words,
        "alpha": report.alpha,
        "tests": len(report.tests),
        "drift": bool(report.significant),
        "kpi": report.kpi,
        "relative_change": _number(chosen.relative),
        "threshold": threshold,
        "past_threshold": threshold is not None and past_threshold(report, threshold),
        "kpis": {d.kpi.key: {"before": _number(d.before), "after": _number(d.after),
                             "delta": _number(d.delta), "relative": _number(d.relative)}
                 for d in report.kpis if d.before is not None},
        "changes": [{
            "kind": t.kind, "touchpoint": t.touchpoint_id, "name": t.name, "n": t.count,
            "method": t.test.method, "statistic": _number(t.test.statistic), "df": t.test.df,
            "p_value": t.test.p_value, "adjusted_p": t.adjusted_p,
            "kpi_change_alone": _number(t.alone),
            "cells": [{"label": c.label, "map": c.drawn, "data": c.seen, "count": c.count}
                      for c in t.cells],
        } for t in report.significant],
        "new_touchpoints": list(report.new),
        "vanished_touchpoints": [{"id": i, "name": n} for i, n in report.vanished],
        "note": report.note,
    }
