"""`plan` and the opportunities of `analyze --json` as JSON (FORMAT.md) and plain text."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.engine.kpis import KPI_BY_KEY, TOTAL_KPIS, single_kpi

if TYPE_CHECKING:  # the plan's search imports scipy.optimize: only when there is a plan
    from cx_mapper.engine.plan import OpportunityGains, Plan

#: What the summary and the exports need of a plan: the plan, and each usable
#: opportunity's exact gains on every KPI (engine.plan.opportunity_gains().gains).
PlanFigures = tuple["Plan", Mapping[str, Mapping[str, float]]]


def plan_figures(project: Project, journey_id: str) -> PlanFigures | None:
    """The plan the journey keeps settings for, with each opportunity's gains: what the
    summary shows. None when the journey has no opportunities or no plan settings yet,
    or when no plan can be made (the summary then leaves its plan out)."""
    journey = project.journey(journey_id)
    if journey.plan is None or not journey.opportunities:
        return None
    from cx_mapper.engine.errors import AnalysisError
    from cx_mapper.engine.plan import opportunity_gains, plan

    try:
        chosen = plan(project, journey_id, journey.plan.budget, dict(journey.plan.objective))
        return chosen, opportunity_gains(project, journey_id).gains
    except AnalysisError:
        return None


def plan_to_json(result: Plan) -> dict[str, Any]:
    """FORMAT.md's `plan --json`, plus score, left, gap, method, exclusions, unusable, greedy
    and before (the journey's totals without the plan)."""
    return {
        "journey": result.journey_id,
        "budget": result.budget,
        "objective": dict(result.objective),
        "chosen": list(result.chosen),
        "cost": result.cost,
        "optimal": result.optimal,
        "gains": dict(result.gains),
        "frontier": [{"budget": p.budget, "objective": p.score, "chosen": list(p.chosen)}
                     for p in result.frontier],
        "score": result.score,
        "left": result.left,
        "gap": result.gap,
        "method": result.method,
        "exclusions": [list(pair) for pair in result.exclusions],
        "unusable": dict(result.unusable),
        "greedy": {"chosen": list(result.greedy), "objective": result.greedy_score},
        "before": dict(result.before),
    }


def add_opportunities(data: dict[str, Any], project: Project, journey_id: str,
                      horizon: int | None) -> None:
    """Put `analyze --json`'s "opportunities" into its output, when the journey has any."""
    journey = project.journey(journey_id)
    if journey.opportunities:
        from cx_mapper.engine.plan import opportunity_gains

        data["opportunities"] = opportunities_to_json(
            opportunity_gains(project, journey_id, horizon), journey)


def opportunities_to_json(found: OpportunityGains, journey: Journey) -> dict[str, Any]:
    """`analyze --json`'s "opportunities": each one's gains, in the journey's order; one
    that cannot count has a null gain and the problem."""
    out: dict[str, Any] = {}
    for opportunity in journey.opportunities:
        if opportunity.id in found.gains:
            out[opportunity.id] = {"gain": dict(found.gains[opportunity.id])}
        else:
            out[opportunity.id] = {"gain": None,
                                   "problem": found.unusable.get(opportunity.id, "")}
    return out


def objective_label(objective: Mapping[str, float]) -> str:
    """'Customer value', or 'Weighted: 1 × customer value + 50 × referral R'."""
    kpi = single_kpi(objective)
    if kpi is not None:
        return kpi.label
    parts = [f"{weight:g} × {KPI_BY_KEY[key].label if key in KPI_BY_KEY else key}"
             for key, weight in objective.items() if weight]
    return "Weighted: " + " + ".join(parts) if parts else "Weighted (no weights yet)"


def money(amount: float, unit: str) -> str:
    """A cost in the project's unit: '120,000 €', or bare when there is no unit."""
    number = f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
    return f"{number} {unit}" if unit else number


def plan_table(project: Project, journey: Journey, result: Plan) -> str:
    """The plan as plain text: what to fund, what it brings, what the budget leaves."""
    unit = project.cost_unit
    titles = {o.id: o.title or o.id for o in journey.opportunities}
    costs = {o.id: o.cost for o in journey.opportunities}
    weights = ", ".join(f"{_label(key)} × {weight:g}" for key, weight in result.objective.items())
    lines = [f"Plan for journey '{journey.name or journey.id}', budget "
             f"{money(result.budget, unit)}",
             f"Objective: {weights}", ""]
    proof = "proven best" if result.optimal else (
        f"not proven best; gap {result.gap:.4g}" if result.gap is not None else "not proven")
    if result.chosen:
        lines.append(f"Fund ({len(result.chosen)} of {len(journey.opportunities)}, {proof}):")
        width = max(len(titles[i]) for i in result.chosen)
        for oid in result.chosen:
            lines.append(f"  {titles[oid]:<{width}}  {money(costs[oid], unit):>14}")
        lines.append(f"  {'Total':<{width}}  {money(result.cost, unit):>14}")
    else:
        lines.append(f"Fund nothing: no opportunity within the budget improves the objective "
                     f"({proof}).")
    lines.append(f"The budget leaves {money(result.left, unit)}.")
    lines += ["", f"  {'Combined gains':<22} {'now':>10} {'with the plan':>14} {'change':>10}"]
    for kpi in TOTAL_KPIS:
        if kpi.key in result.gains:
            before, change = result.before[kpi.key], result.gains[kpi.key]
            lines.append(f"  {kpi.label:<22} {kpi.value_text(before):>10} "
                         f"{kpi.value_text(before + change):>14} "
                         f"{kpi.change_text(change):>10}  {kpi.unit}")
    if result.greedy != result.chosen:
        named = ", ".join(titles[i] for i in result.greedy) or "nothing"
        lines += ["", f"Greedy by gain per cost would fund {named} "
                      f"(objective {_score(result, result.greedy_score)} against "
                      f"{_score(result, result.score)})."]
    lines += ["", "What more money would buy:", f"  {'Budget':>14}  {'Objective':>12}  Funded"]
    for point in result.frontier:
        wrapped = textwrap.wrap(", ".join(titles[i] for i in point.chosen) or "—", 60)
        lines.append(f"  {money(point.budget, unit):>14}  {_score(result, point.score):>12}  "
                     f"{wrapped[0]}")
        lines += [f"  {'':>14}  {'':>12}  {more}" for more in wrapped[1:]]
    if result.exclusions:
        lines += ["", "Only one of each pair can be funded (they set the same thing):"]
        lines += [f"  {titles[a]} / {titles[b]}" for a, b in result.exclusions]
    if result.unusable:
        lines += ["", "Left out (they would leave the journey invalid):"]
        lines += [f"  {titles.get(oid, oid)}: {why}" for oid, why in result.unusable.items()]
    return "\n".join(lines) + "\n"


def _score(result: Plan, score: float) -> str:
    """A score as the gains above show it: one KPI in its own shown units (the loyalty
    index x100), a weighted sum as the engine adds it."""
    kpi = single_kpi(result.objective)
    return kpi.change_text(score) if kpi is not None else f"{score:+,.4g}"


def _label(key: str) -> str:
    for kpi in TOTAL_KPIS:
        if kpi.key == key:
            return kpi.label
    return key
