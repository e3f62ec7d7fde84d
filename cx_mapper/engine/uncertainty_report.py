"""What `cx-mapper analyze --uncertainty` adds: to the JSON (FORMAT.md) and to the table.

Figures are named and formatted as kpis.py declares them, as the app's cards show
them; the JSON keeps the engine's own numbers (the loyalty index from -1 to 1).
"""

from __future__ import annotations

from typing import Any

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.quoting import escaped, quoted
from cx_mapper.engine.kpis import KPI_BY_KEY, TOTAL_KPIS
from cx_mapper.engine.uncertainty import Uncertainty

#: The table lists this many drivers per KPI and touchpoints' rank bands.
SHOWN = 5


def add_uncertainty(data: dict[str, Any], found: Uncertainty) -> None:
    """FORMAT.md's additions to `analyze --json` with --uncertainty."""
    data["totals"]["intervals"] = {key: list(band) for key, band in found.intervals.items()}
    for touchpoint_id, band in found.ranks.items():
        if touchpoint_id in data["touchpoints"]:
            data["touchpoints"][touchpoint_id]["rank"] = list(band)
    data["drivers"] = {key: [{"group": d.key, "label": d.label, "share": d.share,
                              "error": d.error} for d in drivers]
                       for key, drivers in found.drivers.items()}
    research = found.research_next
    data["research_next"] = None if research is None else {
        "group": research.key, "label": research.label, "evppi": research.worth}
    data["uncertainty"] = {
        "samples": found.samples, "seed": found.seed, "inputs": found.inputs,
        "failed": found.failed, "decision": found.decision, "objective": found.objective,
        "evpi": found.evpi, "robust": found.robust, "plan_chance": found.plan_chance,
        "research": [{"group": r.key, "label": r.label, "evppi": r.worth}
                     for r in found.research],
    }
    opportunities = data.get("opportunities")
    if isinstance(opportunities, dict):
        for opportunity_id, odds in found.opportunities.items():
            if opportunity_id in opportunities:
                opportunities[opportunity_id]["p_positive"] = odds.p_positive
                opportunities[opportunity_id]["p_best"] = odds.p_best


def uncertainty_lines(journey: Journey, found: Uncertainty) -> list[str]:
    """The plain-text block: each KPI's median and 90% interval, the touchpoints'
    fix-first rank bands, the main drivers and what to research next."""
    lines = [f"How sure ({found.samples:,} draws, seed {found.seed}; "
             f"{found.inputs} uncertain inputs):"]
    if not found.inputs:
        lines.append("  No figure carries evidence, so every figure is exact as given: "
                     "add evidence (or the segments' default ranges) to see intervals.")
    rows = []
    for kpi in TOTAL_KPIS:
        band = found.intervals.get(kpi.key)
        if band is None:
            continue
        low, mid, high = (format(kpi.scale * x, kpi.spec) for x in band)
        rows.append((kpi.label, mid, low, high))
    width = max(len(label) for label, *_ in rows)
    text = max(len(x) for _, *xs in rows for x in xs)
    lines.append(f"  {'':<{width}}  {'median':>{text}}  {'5%':>{text}}  {'95%':>{text}}")
    lines += [f"  {label:<{width}}  {mid:>{text}}  {low:>{text}}  {high:>{text}}"
              for label, mid, low, high in rows]
    ranked = sorted(found.ranks.items(), key=lambda item: (item[1][1], item[1][0]))[:SHOWN]
    if ranked and found.inputs:
        lines += ["", "Fix-first rank bands (1 = fix first; 5%-95% of draws):"]
        lines += [f"  {_name(journey, tid)[:36]:<36}  {rank_text(band)}" for tid, band in ranked]
    drivers = found.drivers.get("loyalty_index", ())
    if drivers and drivers[0].share > 0:
        lines += ["", "What drives the loyalty index's spread (share of its variance):"]
        lines += [f"  {escaped(d.label)[:56]:<56}  {d.share:>4.0%} ± {d.error:.0%}"
                  for d in drivers[:SHOWN] if d.share >= 0.005]  # none shown as 0%
    for opportunity_id, odds in found.opportunities.items():
        if opportunity_id == next(iter(found.opportunities)):
            lines += ["", "Opportunities: P(gain > 0), P(in the best option):"]
        lines.append(f"  {quoted(opportunity_id)[:36]:<36}  {odds.p_positive:>4.0%}  "
                     f"{odds.p_best:>4.0%}")
    if found.plan_chance is not None:
        lines.append(f"  The plan is the best option in {found.plan_chance:.0%} of draws.")
    lines.append("")
    lines.append(research_words(found))
    return lines


def research_words(found: Uncertainty) -> str:
    """Research next, in one line: the input worth measuring, or that the decision is
    robust, or that there is no decision to inform."""
    if not found.decision:
        return ("Research next: no decision to inform; add opportunities to weigh what "
                "measuring would be worth.")
    research = found.research_next
    if research is None:
        return f"Research next: nothing; the decision ({found.decision}) is robust."
    return (f"Research next: {escaped(research.label)}, worth "
            f"{worth_words(found.objective, research.worth)} "
            f"for the decision ({found.decision}).")


def worth_words(objective: dict[str, float], worth: float) -> str:
    """What information is worth, in the objective's units as the cards show them."""
    if len(objective) == 1:
        key, weight = next(iter(objective.items()))
        kpi = KPI_BY_KEY.get(key)
        if kpi is not None and weight:
            return f"{kpi.scale * worth / weight:,.3g} of {kpi.label.lower()}"
    return f"{worth:,.3g} of the objective"


def rank_text(band: tuple[float, float, float]) -> str:
    """A fix-first rank band: "2 (1-3)", the median rank and the 5%-95% range."""
    low, mid, high = (int(round(x)) for x in band)
    return f"{mid}" if low == high else f"{mid} ({low}-{high})"


def _name(journey: Journey, touchpoint_id: str) -> str:
    touchpoint = journey.touchpoints.get(touchpoint_id)
    return escaped(touchpoint.name or touchpoint_id) if touchpoint else quoted(touchpoint_id)
