"""The key figures of a journey: one declaration each.

Every KPI is declared once (what it is called, where it comes from in the Analysis,
how it is written, its formula in plain words and its source in the app's help), so the
command line, the JSON, the cards, their tooltips, the compare deltas and the summary
cannot drift apart. The values are the engine's; nothing here recomputes them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields

from cx_mapper.engine.results import Analysis, Totals

AMEX = "American Express 2012 Global Customer Service Barometer"


NIELSEN_TRUST = "Nielsen 2009 trust survey"


RULE_1_9_90 = "the 1-9-90 participation rule (a derived assumption)"


#: The app's help page that explains every figure (resources/help/); sources cite its
#: sections by number, "§4", as the glossary links them.
MODEL_HELP = "How the numbers are computed"


def cite(section: int) -> str:
    """Where the help explains a figure: 'Help › How the numbers are computed, §4'."""
    return f"Help › {MODEL_HELP}, §{section}"


NO_VALUE = "—"

#: Fix-first gains are shown per this step of satisfaction (half a CSAT point is 0.25),
#: by the command line, the charts, the summary and the exports alike.
SATISFACTION_STEP = 0.1


@dataclass(frozen=True)
class Kpi:
    """One key figure: how to read it from an Analysis, write it and explain it."""

    key: str
    label: str
    read: Callable[[Analysis], float | None]
    spec: str  # format spec of the shown number, e.g. "+.1f" or ".1%"
    unit: str
    formula: str
    source: str
    #: True: more is better; False: less is better (colours compare deltas).
    higher_is_better: bool = True
    #: Signed figures are coloured by sign (the satisfaction palette's green and vermillion).
    signed: bool = False
    #: False: a sub-row of the summary table only (the public and private split).
    on_card: bool = True
    #: Shown = engine value x scale (the loyalty index is computed from -1 to 1 and
    #: shown from -100 to 100); changes such as sensitivities scale the same way.
    scale: float = 1.0

    def value(self, analysis: Analysis) -> float | None:
        value = self.read(analysis)
        return None if value is None or math.isnan(value) else self.scale * float(value)

    def text(self, analysis: Analysis) -> str:
        return format_value(self, self.value(analysis))

    def value_text(self, value: float | None) -> str:
        """An engine figure as shown: scaled, in the KPI's format ("+10.4", "20.1%")."""
        return format_value(self, None if value is None else self.scale * value)

    def interval_text(self, band: tuple[float, float, float]) -> str:
        """A 90% interval (low, median, high) as the cards, tiles and reports show it:
        "90%: +3.3 to +8.8", each end written as the value is."""
        low, high = self.value_text(band[0]), self.value_text(band[2])
        return f"90%: {low} to {high}" if low != high else "90%: no spread"

    def change_text(self, change: float) -> str:
        """An engine change as shown: scaled and signed ("+3.9", "+2.4 pp")."""
        return format_delta(self, self.scale * change)

    def tooltip(self) -> str:
        """Rich text: the label, the unit, the formula and the source."""
        return (f"<b>{html.escape(self.label)}</b> <i>({html.escape(self.unit)})</i>"
                f"<p>{html.escape(self.formula)}</p>"
                f"<p><i>Source:</i> {html.escape(self.source)}</p>")


def format_value(kpi: Kpi, value: float | None) -> str:
    if value is None or math.isnan(value):
        return NO_VALUE
    return format(value, kpi.spec).replace("-", "−")


def format_delta(kpi: Kpi, delta: float) -> str:
    """A change in the KPI's own units; percentages change by percentage points."""
    if kpi.spec.endswith("%"):
        return f"{100 * delta:+.1f} pp".replace("-", "−")
    spec = kpi.spec if kpi.spec.startswith("+") else "+" + kpi.spec
    return format(delta, spec).replace("-", "−")


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "loyalty_index", "Loyalty index", lambda a: a.totals.loyalty_index, "+.1f",
        "−100 to +100",
        "The mean loyalty of customers after each interaction, weighted by their discounted "
        "visits (Λ = Σ M_j / Σ v_j), times 100. Each visit moves loyalty a step "
        "(memory × impact) towards the touchpoint's satisfaction.",
        f"{cite(4)}. Memory 0.3 and initial loyalty 0 are assumptions.",
        signed=True, scale=100.0,
    ),
    Kpi(
        "value", "Customer value", lambda a: a.totals.value, ",.2f",
        "per entering customer",
        "Money earned per entering customer over the journey, discounted per step, with "
        "spend scaled by (1 + uplift × loyalty): V = Σ r_j (v_j + u M_j).",
        f"{cite(5)}: customer lifetime value after Pfeifer & Carraway (2000); spend uplift "
        f"u from the {AMEX}.",
        signed=True,
    ),
    Kpi(
        "exposure_positive", "Positive exposure", lambda a: a.totals.exposure_positive,
        ",.1f", "people reached per customer",
        "People who hear about a good experience: visits × people told after a good "
        "experience × satisfaction above neutral × reach (E+ = Σ v_j T+ max(σ_j, 0) ρ_j). "
        "Public telling reaches A times as far as private.",
        f"{cite(6)}. People told T+ from the {AMEX}; public reach A = 10 from {RULE_1_9_90}.",
    ),
    Kpi(
        "exposure_negative", "Negative exposure", lambda a: a.totals.exposure_negative,
        ",.1f", "people reached per customer",
        "People who hear about a poor experience: visits × people told after a bad "
        "experience × satisfaction below neutral × reach (E− = Σ v_j T− max(−σ_j, 0) ρ_j).",
        f"{cite(6)}. People told T− from the {AMEX}; public reach A = 10 from {RULE_1_9_90}.",
        higher_is_better=False,
    ),
    Kpi(
        "exposure_net", "Net exposure", lambda a: a.totals.exposure_net, "+,.1f",
        "people reached per customer",
        "Positive minus negative exposure (E+ − E−): how many more people hear good things "
        "than bad.",
        f"{cite(6)}.",
        signed=True,
    ),
    Kpi(
        "exposure_public", "of which public", lambda a: a.totals.exposure_public, ",.1f",
        "people reached per customer",
        "The part of all exposure (good and bad) said in public on social media, "
        "A times as far: Σ v_j (t+_j + t−_j) ν_j A.",
        f"{cite(6)}. Public reach A = 10 from {RULE_1_9_90}.",
        higher_is_better=True, on_card=False,
    ),
    Kpi(
        "exposure_private", "of which private", lambda a: a.totals.exposure_private, ",.1f",
        "people reached per customer",
        "The part of all exposure (good and bad) said in private, by phone or face to face: "
        "Σ v_j (t+_j + t−_j)(1 − ν_j).",
        f"{cite(6)}.",
        higher_is_better=True, on_card=False,
    ),
    Kpi(
        "referral_r", "Referral R", lambda a: a.totals.referral_r, ".3f",
        "new customers per customer",
        "New customers won by word of mouth per entering customer: trusted positive "
        "exposure × referral conversion (R = Σ v_j c+ t+_j θ_j). Above 1 the journey "
        "grows by itself.",
        f"{cite(7)}. Trust from the {NIELSEN_TRUST} (0.90 private, 0.70 public); referral "
        "conversion 0.01 is an assumption to calibrate.",
    ),
    Kpi(
        "deterred", "Deterred prospects", lambda a: a.totals.deterred, ".3f",
        "prospects lost per customer",
        "Prospects who stay away after trusted negative word of mouth: "
        "c− × Σ v_j t−_j θ_j.",
        f"{cite(7)}. Trust from the {NIELSEN_TRUST}; deterrence 0.01 is an assumption.",
        higher_is_better=False,
    ),
    Kpi(
        "conversion_probability", "Conversion", lambda a: a.totals.conversion_probability,
        ".1%", "of entering customers",
        "The chance that an entering customer reaches a conversion touchpoint, after "
        "abandonment on poor service and without discounting. Shown only when the journey "
        "has a conversion touchpoint.",
        f"{cite(8)}: Markov-chain absorption; abandonment after poor service from the {AMEX}.",
    ),
)


KPI_BY_KEY: dict[str, Kpi] = {kpi.key: kpi for kpi in KPIS}


#: Not among KPIS (the cards show what the visits lead to, not the visits); the
#: command line and the simulation check show it beside the others.
INTERACTIONS = Kpi(
    "interactions", "Interactions", lambda a: a.totals.interactions, ".3f",
    "discounted visits per customer",
    "Expected discounted visits per entering customer: Σ v_j.", f"{cite(3)}.",
)

#: Every total of an Analysis, in the engine's order, which is the order of the
#: `analyze --json` totals in FORMAT.md. A total with no declaration fails here, at import.
TOTAL_KPIS: tuple[Kpi, ...] = tuple(
    {kpi.key: kpi for kpi in (INTERACTIONS, *KPIS)}[field.name] for field in fields(Totals)
)

_TOTAL_BY_KEY: dict[str, Kpi] = {kpi.key: kpi for kpi in TOTAL_KPIS}

CARD_KPIS: tuple[Kpi, ...] = tuple(kpi for kpi in KPIS if kpi.on_card)


def single_kpi(objective: Mapping[str, float]) -> Kpi | None:
    """The KPI an objective of one figure at weight 1 is, whose scores read in that
    KPI's own shown units (the loyalty index x100); None for a weighted sum."""
    if len(objective) != 1:
        return None
    (key, weight), = objective.items()
    return _TOTAL_BY_KEY.get(key) if weight == 1.0 else None


def kpi_rows(analysis: Analysis) -> list[tuple[str, str]]:
    """(label, text) for every KPI, the public/private split indented under net exposure.

    Conversion is left out when the journey has no conversion touchpoint.
    """
    rows: list[tuple[str, str]] = []
    for kpi in KPIS:
        value = kpi.value(analysis)
        if value is None and kpi.key == "conversion_probability":
            continue
        rows.append((kpi.label if kpi.on_card else f"   {kpi.label}", format_value(kpi, value)))
    return rows


def kpi_details(analysis: Analysis) -> list[tuple[Kpi, str, str]]:
    """(KPI, value text, detail line) for each card KPI: what the cards and tiles show."""
    return [(kpi, kpi.text(analysis), kpi_detail(kpi, analysis)) for kpi in CARD_KPIS]


def kpi_detail(kpi: Kpi, analysis: Analysis) -> str:
    """The small line under a value: its unit, or the public/private split of exposure."""
    totals = analysis.totals
    if kpi.key == "exposure_net":
        public = format_value(KPI_BY_KEY["exposure_public"], totals.exposure_public)
        private = format_value(KPI_BY_KEY["exposure_private"], totals.exposure_private)
        return f"{public} public · {private} private"
    if kpi.key == "conversion_probability" and totals.conversion_probability is None:
        return "no conversion touchpoint"
    if kpi.key == "referral_r" and analysis.generations.growth:
        return "self-sustaining: each referral wins another"
    return kpi.unit
