"""How the plan writes costs, changes, gains and objectives (Qt-free).

The figures are the engine's; this only words them, with the KPIs' own labels, units
and scales from engine/kpis.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import Opportunity
from cx_mapper.domain.satisfaction import csat
from cx_mapper.engine.kpis import KPIS, Kpi, single_kpi
from cx_mapper.engine.plan_report import objective_label as objective_label  # its home

#: Units written before the number, as people write them ("$1,200").
PREFIX_UNITS = ("$", "£", "¥", "US$", "A$", "C$")
#: The touchpoint fields an opportunity may change, in the user's words.
FIELD_WORDS: dict[str, str] = {
    "satisfaction": "Satisfaction", "visibility": "Social visibility", "value": "Value",
    "impact": "Impact", "entry": "Entry share",
}
WEIGHTED = "weighted"


def number(value: float) -> str:
    """1,200 or 1,234.50: whole numbers stay whole."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def cost_text(value: float, unit: str) -> str:
    """A cost or budget with the project's unit: "$1,200", "1,200 €", "8 points"."""
    text = number(value)
    if not unit:
        return text
    return f"{unit}{text}" if unit in PREFIX_UNITS else f"{text} {unit}"


def field_value_text(field: str, value: float) -> str:
    """A touchpoint field as the inspector shows it: satisfaction with its CSAT."""
    if field == "satisfaction":
        return f"{value:+.2f} (CSAT {csat(value):.1f})".replace("-", "−")
    if field in ("visibility", "impact"):
        return f"{value:.0%}"
    if field == "entry":
        return f"{value:g}"
    return number(value)


def probability_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def touchpoint_words(journey: Journey, touchpoint_id: str,
                     opportunity: Opportunity | None = None) -> str:
    """A touchpoint's name, also for one the opportunity adds."""
    touchpoint = journey.touchpoints.get(touchpoint_id)
    if touchpoint is None and opportunity is not None:
        touchpoint = next((t for t in opportunity.changes.add_touchpoints
                           if t.id == touchpoint_id), None)
    return (touchpoint.name or touchpoint_id) if touchpoint is not None else touchpoint_id


def shown_kpis(gains: Mapping[str, float]) -> list[Kpi]:
    """The KPIs a gains table lists: every declared one the engine gave a figure for."""
    return [kpi for kpi in KPIS if kpi.key in gains and gains[kpi.key] is not None
            and not math.isnan(gains[kpi.key])]


def gain_text(kpi: Kpi, gain: float) -> str:
    """A gain in the KPI's own shown units: "+3.2" loyalty points, "+1.5 pp"."""
    return kpi.change_text(gain)


def is_better(kpi: Kpi, gain: float) -> bool | None:
    """True when the change is for the better, None when there is none to speak of."""
    if abs(kpi.scale * gain) < 5e-7:
        return None
    return (gain > 0) == kpi.higher_is_better


def score_value(objective: Mapping[str, float], score: float) -> float:
    """An objective's score as shown: one KPI in its own shown units (the loyalty index
    x100), a weighted sum as the engine adds it."""
    kpi = single_kpi(objective)
    return kpi.scale * score if kpi is not None else score


def score_text(objective: Mapping[str, float], score: float, *, signed: bool = True) -> str:
    kpi = single_kpi(objective)
    if kpi is not None:
        return kpi.change_text(score) if signed else format(kpi.scale * score, kpi.spec)
    return f"{score:+,.4g}".replace("-", "−") if signed else f"{score:,.4g}"
