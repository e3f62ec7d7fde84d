"""`analyze` and `plan`: a journey's figures, and the best bundle for a budget."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import Any

from cx_mapper.cli.common import (
    LEFT_FOR_EXIT,
    BadInput,
    budget,
    journey_arguments,
    write_out,
)
from cx_mapper.domain.evidence import DEFAULT_SAMPLES, MAX_SAMPLES
from cx_mapper.domain.quoting import quoted
from cx_mapper.engine.errors import AnalysisError
from cx_mapper.persistence.locations import is_store_url, read_location


def register(commands: Any) -> None:
    analyze_cmd = commands.add_parser(
        "analyze", help="print the analysis of a journey",
        description="Print the analysis of one journey of a project file.")
    journey_arguments(analyze_cmd)
    analyze_cmd.add_argument("--json", action="store_true",
                             help="print the analysis as JSON (FORMAT.md)")
    analyze_cmd.add_argument("--uncertainty", action="store_true",
                             help="draw the inputs that carry evidence and add each figure's "
                             "90%% interval, the fix-first rank bands, the drivers of the "
                             "spread and what to research next")
    analyze_cmd.add_argument("--samples", metavar="N", type=samples,
                             help=f"draws for --uncertainty (default {DEFAULT_SAMPLES:,})")
    analyze_cmd.add_argument("--seed", metavar="S", type=seed,
                             help="the random seed of --uncertainty's draws (default 0); "
                             "the same seed gives the same figures")
    analyze_cmd.set_defaults(run=_analyze)
    plan_cmd = commands.add_parser(
        "plan", help="the best opportunities to fund for a budget",
        description="Choose the opportunities of a journey that do most for the objective "
        "within the budget, with their exact combined gains and what more money would buy.")
    journey_arguments(plan_cmd)
    plan_cmd.add_argument("--budget", metavar="B", type=budget,
                          help="what may be spent, in the project's cost unit (default: "
                          "the journey's saved plan)")
    plan_cmd.add_argument("--objective", metavar="KPI=W,...", help="what to maximise: one "
                          "figure or a weighted sum, e.g. value=1,referral_r=50 (default: "
                          "the journey's saved plan, else value=1)")
    plan_cmd.add_argument("--json", action="store_true", help="print the plan as JSON (FORMAT.md)")
    plan_cmd.set_defaults(run=_plan)


def _analyze(args: argparse.Namespace) -> int:
    from cx_mapper.engine.analysis import analyze
    from cx_mapper.engine.report import analysis_table, analysis_to_json

    if (args.samples is not None or args.seed is not None) and not args.uncertainty:
        raise BadInput("--samples and --seed go with --uncertainty.")
    if args.uncertainty and args.horizon is not None:
        raise BadInput("--uncertainty analyses the infinite horizon; leave out --horizon.")
    chain = columns = None
    if args.json and args.horizon is None and not is_store_url(args.file) \
            and not args.uncertainty:
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
            found = _uncertainty(args, project, result.journey_id) if args.uncertainty else None
        except AnalysisError as error:
            raise BadInput(f"{args.file}: {error}") from None
        if args.json:
            import orjson

            from cx_mapper.engine.plan_report import add_opportunities

            data = analysis_to_json(result)
            add_opportunities(data, project, result.journey_id, args.horizon)
            if found is not None:
                from cx_mapper.engine.uncertainty_report import add_uncertainty

                add_uncertainty(data, found)
            # Every figure is finite (the engine checks): orjson's null for NaN never shows.
            write_out(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
        else:
            sys.stdout.write(analysis_table(project, result))
            if found is not None:
                from cx_mapper.engine.uncertainty_report import uncertainty_lines

                journey = project.journey(result.journey_id)
                sys.stdout.write("\n" + "\n".join(uncertainty_lines(journey, found)) + "\n")
        LEFT_FOR_EXIT.extend((project, columns, result))
    finally:
        gc.unfreeze()  # a caller in the same process (a test) collects as before
    return 0


def _uncertainty(args: argparse.Namespace, project: Any, journey_id: str) -> Any:
    from cx_mapper.engine.uncertainty import uncertainty

    return uncertainty(project, journey_id,
                       DEFAULT_SAMPLES if args.samples is None else args.samples,
                       0 if args.seed is None else args.seed)


def samples(text: str) -> int:
    """--samples: a whole number of draws, 2 to MAX_SAMPLES."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 2 <= value <= MAX_SAMPLES:
        raise argparse.ArgumentTypeError(f"give 2 to {MAX_SAMPLES:,} draws, not {value:,}")
    return value


def seed(text: str) -> int:
    """--seed: a whole number, 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"give a seed from 0 to {2**63 - 1}, not {value}")
    return value


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

        write_out(orjson.dumps(plan_to_json(result), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        sys.stdout.write(plan_table(project, journey, result))
    return 0

