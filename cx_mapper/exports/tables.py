"""The exports' tables: every figure of a journey as rows of real numbers (Qt-free).

The Excel workbook, the CSV files and the deck's native tables are all written from
these, so they hold the same numbers. A number is the engine's as the app shows it:
each figure times its declared scale (the loyalty index and loyalty from -100 to +100,
engine/kpis.py), with the KPI's declared format; a percentage stays a fraction (0.2
is 20%), so a spreadsheet computes with it. An undefined figure is an empty cell.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from cx_mapper.domain import satisfaction
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import OPPORTUNITY_STATUSES
from cx_mapper.domain.project import PARAMETER_LABELS, PARAMETER_SOURCES
from cx_mapper.engine.flows import transition_flows
from cx_mapper.engine.kpis import (
    INTERACTIONS,
    KPI_BY_KEY,
    SATISFACTION_STEP,
    TOTAL_KPIS,
    Kpi,
    single_kpi,
)
from cx_mapper.engine.plan_report import objective_label
from cx_mapper.engine.report import GAIN_SPECS
from cx_mapper.engine.results import SENSITIVITY_TARGETS, Analysis
from cx_mapper.exports.figures import ExportFigures

Cell = str | float | int | bool | None
#: A column whose number format is each row's own (the KPI table: one KPI a row).
ROW = "row"
#: Number formats the figures below share.
SHARE = ".1%"
SATISFACTION = "+.2f"
MONEY = ",.2f"
COUNT = ",.3f"
SECONDS = ",.0f"


@dataclass(frozen=True)
class Column:
    """A column's header and how its numbers are written: a format spec as kpis.py
    declares them ("+.1f", ".1%"), "" for text, or ROW for the row's own."""

    label: str
    spec: str = ""
    signed: bool = False  # a change: written with its sign, whatever the format


@dataclass(frozen=True)
class Table:
    """One table of an export: a sheet of the workbook, a CSV file, a slide's table."""

    key: str  # the CSV file's name part and the sheet's id: "touchpoints"
    title: str  # the sheet's name: "Touchpoints"
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_specs: tuple[str, ...] = ()  # with a ROW column: each row's format

    def spec(self, row: int, column: int) -> str:
        """The format of one cell's number: the column's, or its row's."""
        col = self.columns[column]
        spec = self.row_specs[row] if col.spec == ROW else col.spec
        return signed(spec) if col.signed and spec else spec

    def column(self, label: str) -> list[Cell]:
        """Every cell of the column with this header, top to bottom."""
        i = [c.label for c in self.columns].index(label)
        return [row[i] for row in self.rows]


def signed(spec: str) -> str:
    return spec if spec.startswith("+") else "+" + spec


def export_tables(figures: ExportFigures) -> list[Table]:
    """The workbook's sheets and the CSV files, in order; the plan's only with a plan."""
    tables = [about_table(figures), kpi_table(figures), touchpoint_table(figures),
              transition_table(figures), segment_table(figures)]
    if figures.journey.opportunities:
        tables.append(opportunity_table(figures))
    if figures.plan is not None:
        tables += [plan_table(figures), frontier_table(figures)]
    return tables


# -- the journey and its totals ---------------------------------------------------------
def about_table(figures: ExportFigures) -> Table:
    project, journey, analysis = figures.project, figures.journey, figures.analysis
    horizon = ("infinite" if analysis.horizon is None else f"steps 0–{analysis.horizon}")
    rows: list[tuple[Cell, ...]] = [
        ("Project", project.name), ("Journey", journey.name or journey.id),
        ("Journey id", journey.id), ("Exported on", figures.date.isoformat()),
        ("Touchpoints", len(journey.touchpoints)), ("Transitions", len(journey.transitions)),
        ("Horizon", horizon), ("Discount per step", journey.discount_rate),
        ("Figures are", "per entering customer, mixed over the segments by share"),
    ]
    specs = ["", "", "", "", ",d", ",d", "", SHARE, ""]
    found = figures.uncertainty
    rows.append(("Intervals", "none: no figure carries evidence" if found is None else
                 f"5–95% of {found.samples:,} draws of {found.inputs} uncertain inputs "
                 f"(seed {found.seed})"))
    specs.append("")
    plan = figures.plan
    if plan is not None:
        unit = f" ({project.cost_unit})" if project.cost_unit else ""
        rows += [(f"Plan budget{unit}", plan.budget), (f"Plan cost{unit}", plan.cost),
                 (f"Budget left{unit}", plan.left),
                 ("Plan objective", objective_label(plan.objective)),
                 ("Plan is", "the best of every bundle that fits" if plan.optimal
                  else "the best found; not proven best")]
        specs += [MONEY, MONEY, MONEY, "", ""]
    rows += [("Note", note) for note in analysis.notes]
    specs += [""] * len(analysis.notes)
    return Table("about", "About", (Column("Item"), Column("Value", ROW)), tuple(rows),
                 tuple(specs))


def kpi_table(figures: ExportFigures) -> Table:
    """Every total, as the cards show it, with its 5-95% interval when computed."""
    analysis, found = figures.analysis, figures.uncertainty
    columns = [Column("Key figure"), Column("Value", ROW), Column("Unit")]
    if found is not None:
        columns += [Column("Low (5%)", ROW), Column("Median", ROW), Column("High (95%)", ROW)]
    columns += [Column("What it is"), Column("Source"), Column("Key")]
    rows: list[tuple[Cell, ...]] = []
    specs: list[str] = []
    for kpi in shown_kpis(analysis):
        row: list[Cell] = [kpi.label, kpi.value(analysis), kpi.unit]
        if found is not None:
            band = found.intervals.get(kpi.key)
            row += [None] * 3 if band is None else [kpi.scale * x for x in band]
        rows.append((*row, kpi.formula, kpi.source, kpi.key))
        specs.append(kpi.spec)
    return Table("kpis", "KPIs", tuple(columns), tuple(rows), tuple(specs))


def shown_kpis(analysis: Analysis) -> list[Kpi]:
    """The totals the journey has: conversion only with a conversion touchpoint."""
    return [kpi for kpi in TOTAL_KPIS if kpi.value(analysis) is not None]


# -- touchpoints and transitions --------------------------------------------------------
def gain_label(key: str) -> str:
    return f"{KPI_BY_KEY[key].label} gain per +{SATISFACTION_STEP:g} satisfaction"


def touchpoint_table(figures: ExportFigures) -> Table:
    """Each touchpoint's inputs and every figure the engine gives it, in map order."""
    journey, analysis = figures.journey, figures.analysis
    f = analysis.touchpoints
    k = KPI_BY_KEY
    stages = {s.id: s.name or s.id for s in journey.stages}
    channels = {c.id: c.name or c.id for c in journey.channels}
    loyalty = k["loyalty_index"]
    numbers: list[tuple[Column, Iterable[float] | None]] = [
        (Column("Visits", INTERACTIONS.spec), f.visits),
        (Column("Loyalty after (−100 to +100)", loyalty.spec), loyalty.scale * f.loyalty),
        (Column("Value", k["value"].spec), f.value),
        (Column("Positive exposure", k["exposure_positive"].spec), f.exposure_positive),
        (Column("Negative exposure", k["exposure_negative"].spec), f.exposure_negative),
        (Column("Public exposure", k["exposure_public"].spec), f.exposure_public),
        (Column("Private exposure", k["exposure_private"].spec), f.exposure_private),
        (Column("Referrals", k["referral_r"].spec), f.referrals),
        (Column("Deterred prospects", k["deterred"].spec), f.deterred),
    ]
    if analysis.has_conversion:
        numbers += [(Column("Removal effect", SHARE), f.removal_effect),
                    (Column("Attributed conversions", COUNT), f.attributed_conversions),
                    (Column("Attributed value", MONEY), f.attributed_value)]
    numbers += [(Column(gain_label(key), GAIN_SPECS[key]),
                 SATISFACTION_STEP * k[key].scale * f.sensitivity[key])
                for key in SENSITIVITY_TARGETS]
    found = figures.uncertainty
    if found is not None:
        for i, name in enumerate(("Fix-first rank, best (5%)", "Fix-first rank, median",
                                  "Fix-first rank, worst (95%)")):
            numbers.append((Column(name, ",.0f"),
                            [found.ranks[t][i] if t in found.ranks else math.nan
                             for t in analysis.ids]))
    columns = [Column("Touchpoint"), Column("Name"), Column("Stage"), Column("Channel"),
               Column("Satisfaction", SATISFACTION), Column("Conversion"),
               *(column for column, _ in numbers)]
    values = list(zip(*(_cells(v, len(analysis.ids)) for _, v in numbers), strict=True))
    rows = []
    for tid, figures_of in zip(analysis.ids, values, strict=True):
        t = journey.touchpoints[tid]
        rows.append((tid, t.name, stages.get(t.stage or "", ""), channels.get(t.channel or "", ""),
                     t.satisfaction, t.conversion, *figures_of))
    return Table("touchpoints", "Touchpoints", tuple(columns), tuple(rows))


def transition_table(figures: ExportFigures) -> Table:
    """Each arrow with its probability and the flow along it (the map's arrow widths)."""
    project, journey = figures.project, figures.journey
    flows = transition_flows(project, journey, figures.analysis)
    timed = any(t.time_median is not None for t in journey.transitions.values())
    columns = [Column("From"), Column("From name"), Column("To"), Column("To name"),
               Column("Label"), Column("Probability", SHARE),
               Column("Flow (discounted passes per customer)", INTERACTIONS.spec)]
    if timed:
        columns += [Column("Median time (s)", SECONDS), Column("90% within (s)", SECONDS)]
    rows = []
    for t in journey.transitions.values():
        row: tuple[Cell, ...] = (t.source, _name(journey, t.source), t.target,
                                 _name(journey, t.target), t.label, t.probability,
                                 flows.get(t.key))
        rows.append((*row, t.time_median, t.time_p90) if timed else row)
    return Table("transitions", "Transitions", tuple(columns), tuple(rows))


def segment_table(figures: ExportFigures) -> Table:
    """The segments' shares and parameters, one row a parameter, with its source."""
    project = figures.project
    segments = project.segments
    columns = (Column("Parameter"), *(Column(s.name or s.id, ROW) for s in segments),
               Column("Source of the default"), Column("Key"))
    rows: list[tuple[Cell, ...]] = [("Share of customers", *project.normalised_shares(),
                                     "Mixed by share: the figures are their weighted mean",
                                     "share")]
    specs = [SHARE]
    for key, label in PARAMETER_LABELS.items():
        rows.append((label, *(float(getattr(s, key)) for s in segments),
                     PARAMETER_SOURCES[key], key))
        specs.append("g")
    return Table("segments", "Segments", columns, tuple(rows), tuple(specs))


# -- opportunities and the plan --------------------------------------------------------
def opportunity_table(figures: ExportFigures) -> Table:
    """Each opportunity: who owns it, its cost, its exact gains and whether it is funded."""
    project, journey = figures.project, figures.journey
    gains = figures.gains.gains if figures.gains is not None else {}
    unusable = figures.gains.unusable if figures.gains is not None else {}
    plan, found = figures.plan, figures.uncertainty
    unit = f" ({project.cost_unit})" if project.cost_unit else ""
    kpis = [kpi for kpi in shown_kpis(figures.analysis) if kpi.on_card]
    columns = [Column("#", ",d"), Column("Opportunity"), Column("Title"), Column("Owner"),
               Column("Status"), Column(f"Cost{unit}", MONEY)]
    objective = plan.objective if plan is not None else None
    if objective is not None:
        columns.append(Column(f"Gain in {objective_label(objective).lower()}",
                              _objective_spec(objective), signed=True))
    columns += [Column(f"{kpi.label} change", kpi.spec, signed=True) for kpi in kpis]
    if plan is not None:
        columns.append(Column("Funded"))
    if found is not None:
        columns += [Column("P(gain > 0)", SHARE), Column("P(in the best plan)", SHARE)]
    columns.append(Column("Cannot apply because"))
    chosen = set(plan.chosen) if plan is not None else set()
    rows = []
    for n, o in enumerate(journey.opportunities, start=1):
        gain = gains.get(o.id)
        row: list[Cell] = [n, o.id, o.title, o.owner, OPPORTUNITY_STATUSES[o.status], o.cost]
        if objective is not None:
            row.append(None if gain is None else _score(objective, gain))
        row += [None if gain is None or key_missing(gain, kpi.key) else
                kpi.scale * gain[kpi.key] for kpi in kpis]
        if plan is not None:
            row.append(o.id in chosen)
        if found is not None:
            odds = found.opportunities.get(o.id)
            row += [None, None] if odds is None else [odds.p_positive, odds.p_best]
        row.append(unusable.get(o.id, ""))
        rows.append(tuple(row))
    return Table("opportunities", "Opportunities", tuple(columns), tuple(rows))


def plan_table(figures: ExportFigures) -> Table:
    """What the plan changes: each figure now, with the plan, and the change."""
    plan = figures.plan
    assert plan is not None
    rows, specs = [], []
    for kpi in TOTAL_KPIS:
        if key_missing(plan.gains, kpi.key) or key_missing(plan.before, kpi.key):
            continue
        before, change = plan.before[kpi.key], plan.gains[kpi.key]
        rows.append((kpi.label, kpi.scale * before, kpi.scale * (before + change),
                     kpi.scale * change, kpi.unit))
        specs.append(kpi.spec)
    columns = (Column("Key figure"), Column("Now", ROW), Column("With the plan", ROW),
               Column("Change", ROW, signed=True), Column("Unit"))
    return Table("plan", "Plan", columns, tuple(rows), tuple(specs))


def frontier_table(figures: ExportFigures) -> Table:
    """What more money would buy: the best bundle at each budget."""
    project, plan, journey = figures.project, figures.plan, figures.journey
    assert plan is not None
    titles = {o.id: o.title or o.id for o in journey.opportunities}
    unit = f" ({project.cost_unit})" if project.cost_unit else ""
    columns = (Column(f"Budget{unit}", MONEY),
               Column(f"Best gain in {objective_label(plan.objective).lower()}",
                      _objective_spec(plan.objective), signed=True),
               Column("Funded"))
    rows = tuple((p.budget, _score(plan.objective, p.score),
                  "; ".join(titles.get(i, i) for i in p.chosen)) for p in plan.frontier)
    return Table("frontier", "Frontier", columns, rows)


def fix_first_table(figures: ExportFigures, count: int = 5) -> Table:
    """The touchpoints whose satisfaction lifts the loyalty index most (the summary's)."""
    journey, analysis = figures.journey, figures.analysis
    stages = {s.id: s.name or s.id for s in journey.stages}
    rows: list[tuple[Cell, ...]] = []
    for rank, (tid, _) in enumerate(analysis.fix_first("loyalty_index", count), start=1):
        t = journey.touchpoints[tid]
        sensitivity = analysis.touchpoint(tid).sensitivity
        rows.append((rank, t.name or tid, stages.get(t.stage or "", ""),
                     satisfaction.csat(t.satisfaction),
                     *(SATISFACTION_STEP * KPI_BY_KEY[key].scale * sensitivity[key]
                       for key in SENSITIVITY_TARGETS)))
    columns = (Column("#", ",d"), Column("Touchpoint"), Column("Stage"), Column("CSAT", ".1f"),
               *(Column(KPI_BY_KEY[key].label, GAIN_SPECS[key], signed=True)
                 for key in SENSITIVITY_TARGETS))
    return Table("fix_first", "Fix first", columns, tuple(rows))


# -- helpers --------------------------------------------------------------------------
def key_missing(values: dict[str, float] | object, key: str) -> bool:
    """True when a gains dict has no usable number for `key` (NaN without a goal)."""
    value = values.get(key) if isinstance(values, dict) else None
    return value is None or not math.isfinite(value)


def _score(objective: dict[str, float], gains: dict[str, float] | float) -> float:
    """A gain on the objective as the plan shows it: one KPI in its shown units."""
    from cx_mapper.engine.plan import objective_value

    score = gains if isinstance(gains, float) else objective_value(dict(gains), objective)
    kpi = single_kpi(objective)
    return kpi.scale * score if kpi is not None else score


def _objective_spec(objective: dict[str, float]) -> str:
    kpi = single_kpi(objective)
    return kpi.spec if kpi is not None else ",.4g"


def _cells(values: Iterable[float] | None, count: int) -> Sequence[float | None]:
    """A column of figures as cells: NaN (undefined) is an empty cell."""
    if values is None:
        return [None] * count
    array = np.asarray(list(values) if not isinstance(values, np.ndarray) else values,
                       dtype=np.float64)
    shown: list[float | None] = array.tolist()
    if not np.isfinite(array).all():
        shown = [x if x is not None and math.isfinite(x) else None for x in shown]
    return shown


def _name(journey: Journey, touchpoint_id: str) -> str:
    touchpoint = journey.touchpoints.get(touchpoint_id)
    return (touchpoint.name if touchpoint is not None else "") or touchpoint_id


def cell_text(table: Table, row: int, column: int) -> str:
    """A cell as the app writes it: its format, a typographic minus, a change of a
    percentage in points ("+2.4 pp"), "—" for an undefined figure, "✓" for a flag."""
    value = table.rows[row][column]
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, str):
        return value
    spec = table.spec(row, column)
    if not math.isfinite(value):
        return "—"
    if spec.startswith("+") and spec.endswith("%"):
        digits = spec[spec.index(".") + 1:-1] if "." in spec else "0"
        text = f"{100 * value:+.{digits}f} pp"
    else:
        text = format(value, spec or "g")
    return text.replace("-", "−")
