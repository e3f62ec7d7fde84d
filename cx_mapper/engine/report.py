"""What `cx-mapper analyze` prints: the plain-text table and the JSON of FORMAT.md.

Both name and format the figures as kpis.py declares them, so the command line and the
app's cards say the same thing; the JSON keys are FORMAT.md's public contract.
"""

from __future__ import annotations

import math
from itertools import repeat
from typing import Any

import numpy as np

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import escaped, quoted
from cx_mapper.engine.kpis import KPI_BY_KEY, SATISFACTION_STEP, TOTAL_KPIS
from cx_mapper.engine.results import SENSITIVITY_TARGETS, Analysis

#: The plain-text analysis lists this many touchpoints' attribution (--json has all).
ATTRIBUTION_SHOWN = 20
#: A gain per +0.1 satisfaction is small: shown with more decimals than the totals
#: (here and in the exports).
GAIN_SPECS = {"loyalty_index": "+.2f", "value": "+.2f", "exposure_net": "+.2f",
               "referral_r": "+.4f"}
#: The unit of the referred customers across all generations.
REFERRED_UNIT = "new customers per customer"


def analysis_to_json(result: Analysis) -> dict[str, Any]:
    """The `analyze --json` object of FORMAT.md (plus `horizon`, `generations`, `notes`)."""
    # The engine's totals as computed (the loyalty index from -1 to 1, not the shown
    # -100 to 100), under the declared keys that FORMAT.md documents.
    totals = {kpi.key: _number(getattr(result.totals, kpi.key)) for kpi in TOTAL_KPIS}
    if not result.has_conversion:
        del totals["conversion_probability"]
    figures = result.touchpoints
    columns = {key: _column(getattr(figures, key)) for key in (
        "visits", "loyalty", "value", "exposure_positive", "exposure_negative",
        *(("removal_effect", "attributed_conversions", "attributed_value")
          if result.has_conversion else ()))}
    gains = [_column(figures.sensitivity[name]) for name in SENSITIVITY_TARGETS]
    # Column by column, not touchpoint by touchpoint (100,000 touchpoints took 0.8 s),
    # and each touchpoint's figures one dict made from its row (0.44 s -> 0.25 s).
    sensitivities = map(dict, map(zip, repeat(SENSITIVITY_TARGETS), zip(*gains, strict=True)))
    keys = (*columns, "sensitivity")
    touchpoints = dict(zip(result.ids, map(dict, map(zip, repeat(keys), zip(
        *columns.values(), sensitivities, strict=True))), strict=True))
    series = result.series
    generations = result.generations
    return {
        "journey": result.journey_id,
        "horizon": result.horizon,
        "totals": totals,
        "touchpoints": touchpoints,
        "series": {
            "step": [int(step) for step in series.step],
            "active": [_number(x) for x in series.active],
            "loyalty": [_number(x) for x in series.loyalty],
            "exposure_positive": [_number(x) for x in series.exposure_positive],
            "exposure_negative": [_number(x) for x in series.exposure_negative],
            "referred": [_number(x) for x in series.referred],
        },
        "generations": {
            "growth": generations.growth,
            "referral_r_referred": _number(generations.referral_r_referred),
            "referred": _number(generations.referred),
            "interactions": _number(generations.interactions),
            "value": _number(generations.value),
        },
        "notes": list(result.notes),
    }


def analysis_table(project: Project, result: Analysis) -> str:
    """Totals and the five touchpoints to fix first, as a plain-text table.

    Names and ids are the file's text: escaped, so a crafted name cannot drive the
    terminal, and long ones cut short (domain/quoting.py).
    """
    journey = project.journey(result.journey_id)
    horizon = "infinite horizon" if result.horizon is None else f"steps 0..{result.horizon}"
    segments = ", ".join(f"{quoted(s.name or s.id)} {share:.0%}"
                         for s, share in zip(project.segments, project.normalised_shares(),
                                             strict=True))
    lines = [
        f"{quoted(project.name)} — {quoted(journey.name or journey.id)} ({quoted(journey.id)})",
        f"{len(result.ids)} touchpoints, discount {journey.discount_rate:g} per step, "
        f"{horizon}; segments: {segments}",
        "",
    ]
    lines += _totals_lines(result)
    if result.has_conversion:
        lines += ["", *_attribution_lines(journey, result)]
    lines += ["", "Touchpoints to fix first (gain per +0.1 satisfaction):"]
    ranking = result.fix_first("loyalty_index", 5)
    if not ranking:
        lines.append("  none: raising any satisfaction does not lift loyalty.")
    else:
        names = [_name(journey, tid) for tid, _ in ranking]
        name_width = min(max(len(name) for name in names), 36)
        labels = [KPI_BY_KEY[target].label for target in SENSITIVITY_TARGETS]
        widths = [max(len(label), 9) for label in labels]
        lines.append(f"  {'#':>2}  {'touchpoint':<{name_width}}  " + "  ".join(
            f"{label:>{width}}" for label, width in zip(labels, widths, strict=True)))
        for rank, ((tid, _), name) in enumerate(zip(ranking, names, strict=True), start=1):
            sensitivity = result.touchpoint(tid).sensitivity
            gains = [format(SATISFACTION_STEP * KPI_BY_KEY[target].scale * sensitivity[target],
                            GAIN_SPECS[target]) for target in SENSITIVITY_TARGETS]
            lines.append(f"  {rank:>2}  {name[:name_width]:<{name_width}}  " + "  ".join(
                f"{gain:>{width}}" for gain, width in zip(gains, widths, strict=True)))
    lines.extend(f"Note: {escaped(note)}" for note in result.notes)
    return "\n".join(lines) + "\n"


def _totals_lines(result: Analysis) -> list[str]:
    """One row per declared figure: its label, its value and its unit, as the cards
    show them, the public and private split indented under net exposure."""
    generations = result.generations
    extra: list[tuple[str, str, str]] = []
    if generations.growth:
        extra.append(("Across referral generations", "self-sustaining", ""))
    elif generations.referred is not None:
        extra.append(("Referred, all generations", f"{generations.referred:.3f}",
                      REFERRED_UNIT))
    rows: list[tuple[str, str, str]] = []
    for kpi in TOTAL_KPIS:
        value = kpi.value(result)
        if value is None:
            continue  # conversion, when no touchpoint is a goal
        label = kpi.label if kpi.on_card else f"   {kpi.label}"
        # The declared format with a plain "-": a terminal or a pipe in any encoding
        # takes it, and scripts can grep it (the cards use the typographic minus).
        rows.append((label, format(value, kpi.spec), _plain(kpi.unit)))
    rows += extra
    width = max(len(label) for label, _, _ in rows)
    text_width = max(len(text) for _, text, _ in rows)
    return [f"  {label:<{width}}  {text:>{text_width}}  {unit}".rstrip()
            for label, text, unit in rows]


def _plain(text: str) -> str:
    return text.replace("−", "-")


def _attribution_lines(journey: Journey, result: Analysis) -> list[str]:
    """Removal effect and attributed conversions of every touchpoint but the goals,
    largest effect first (MODEL.md §8)."""
    records = [result.touchpoint(tid) for tid in result.ids
               if not journey.touchpoints[tid].conversion]
    records.sort(key=lambda r: 1.0 if r.removal_effect is None else -r.removal_effect)  # None last
    known = journey.conversions
    shared = ("the conversion probability" if known is None else
              f"{known:,.{0 if float(known).is_integer() else 2}f} "
              f"conversion{'' if known == 1 else 's'}")
    lines = [f"Conversion attribution (removal effect; {shared} shared out by it):"]
    if not records:
        return [*lines, "  none: every touchpoint is a conversion."]
    names = [_name(journey, r.id) for r in records[:ATTRIBUTION_SHOWN]]
    width = min(max(len(name) for name in (*names, "touchpoint")), 36)
    lines.append(f"  {'touchpoint':<{width}}  {'removal effect':>14}  {'attributed':>10}")
    for record, name in zip(records[:ATTRIBUTION_SHOWN], names, strict=False):
        effect = "–" if record.removal_effect is None else f"{record.removal_effect:.1%}"
        share = record.attributed_conversions
        lines.append(f"  {name[:width]:<{width}}  {effect:>14}  "
                     f"{'–' if share is None else format(share, ',.3f'):>10}")
    if len(records) > ATTRIBUTION_SHOWN:
        lines.append(f"  … and {len(records) - ATTRIBUTION_SHOWN:,} more (analyze --json "
                     "lists them all)")
    return lines


def _name(journey: Journey, touchpoint_id: str) -> str:
    """A touchpoint as a table row names it: its name (or id), escaped and cut short."""
    return quoted(journey.touchpoints[touchpoint_id].name or touchpoint_id)


def _column(values: Any) -> list[float | None]:
    """One figure of every touchpoint, as _number gives each."""
    array = np.asarray(values, dtype=np.float64)
    shown: list[float | None] = array.tolist()
    if not np.isfinite(array).all():
        shown = [x if x is not None and math.isfinite(x) else None for x in shown]
    return shown


def _number(value: float | None) -> float | None:
    """A figure as JSON prints it: NaN (undefined) is null, and so would be an infinity,
    which the analysis refuses before it gets here (analysis.check_finite_figures)."""
    if value is None or not math.isfinite(value):
        return None
    return float(value)
