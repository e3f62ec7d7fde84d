"""The key figures of a journey: one declaration each, and the cards that show them.

Every KPI is declared once (what it is called, where it comes from in the Analysis,
how it is written, its formula in plain words and its source from MODEL.md), so the
cards, their tooltips, the compare deltas and the PNG summary's table cannot drift
apart. The values are the engine's; nothing here recomputes them.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.engine.results import Analysis
from cx_mapper.ui.canvas import style

AMEX = "American Express 2012 Global Customer Service Barometer"
NIELSEN_TRUST = "Nielsen 2009 trust survey"
RULE_1_9_90 = "the 1-9-90 participation rule (a derived assumption)"
NO_VALUE = "—"


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

    def value(self, analysis: Analysis) -> float | None:
        value = self.read(analysis)
        return None if value is None or math.isnan(value) else float(value)

    def text(self, analysis: Analysis) -> str:
        return format_value(self, self.value(analysis))

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
        "loyalty_index", "Loyalty index", lambda a: 100 * a.totals.loyalty_index, "+.1f",
        "−100 to +100",
        "The mean loyalty of customers after each interaction, weighted by their discounted "
        "visits (Λ = Σ M_j / Σ v_j), times 100. Each visit moves loyalty a step "
        "(memory × impact) towards the touchpoint's satisfaction.",
        "MODEL.md §4. Memory 0.3 and initial loyalty 0 are assumptions.",
        signed=True,
    ),
    Kpi(
        "value", "Customer value", lambda a: a.totals.value, ",.2f",
        "per entering customer",
        "Money earned per entering customer over the journey, discounted per step, with "
        "spend scaled by (1 + uplift × loyalty): V = Σ r_j (v_j + u M_j).",
        "MODEL.md §5: customer lifetime value after Pfeifer & Carraway (2000); spend uplift "
        f"u from the {AMEX}.",
        signed=True,
    ),
    Kpi(
        "exposure_positive", "Positive exposure", lambda a: a.totals.exposure_positive,
        ",.1f", "people reached per customer",
        "People who hear about a good experience: visits × people told after a good "
        "experience × satisfaction above neutral × reach (E+ = Σ v_j T+ max(σ_j, 0) ρ_j). "
        "Public telling reaches A times as far as private.",
        f"MODEL.md §6. People told T+ from the {AMEX}; public reach A = 10 from {RULE_1_9_90}.",
    ),
    Kpi(
        "exposure_negative", "Negative exposure", lambda a: a.totals.exposure_negative,
        ",.1f", "people reached per customer",
        "People who hear about a poor experience: visits × people told after a bad "
        "experience × satisfaction below neutral × reach (E− = Σ v_j T− max(−σ_j, 0) ρ_j).",
        f"MODEL.md §6. People told T− from the {AMEX}; public reach A = 10 from {RULE_1_9_90}.",
        higher_is_better=False,
    ),
    Kpi(
        "exposure_net", "Net exposure", lambda a: a.totals.exposure_net, "+,.1f",
        "people reached per customer",
        "Positive minus negative exposure (E+ − E−): how many more people hear good things "
        "than bad.",
        "MODEL.md §6.",
        signed=True,
    ),
    Kpi(
        "exposure_public", "of which public", lambda a: a.totals.exposure_public, ",.1f",
        "people reached per customer",
        "The part of all exposure (good and bad) said in public on social media, "
        "A times as far: Σ v_j (t+_j + t−_j) ν_j A.",
        f"MODEL.md §6. Public reach A = 10 from {RULE_1_9_90}.",
        higher_is_better=True, on_card=False,
    ),
    Kpi(
        "exposure_private", "of which private", lambda a: a.totals.exposure_private, ",.1f",
        "people reached per customer",
        "The part of all exposure (good and bad) said in private, by phone or face to face: "
        "Σ v_j (t+_j + t−_j)(1 − ν_j).",
        "MODEL.md §6.",
        higher_is_better=True, on_card=False,
    ),
    Kpi(
        "referral_r", "Referral R", lambda a: a.totals.referral_r, ".3f",
        "new customers per customer",
        "New customers won by word of mouth per entering customer: trusted positive "
        "exposure × referral conversion (R = Σ v_j c+ t+_j θ_j). Above 1 the journey "
        "grows by itself.",
        f"MODEL.md §7. Trust from the {NIELSEN_TRUST} (0.90 private, 0.70 public); referral "
        "conversion 0.01 is an assumption to calibrate.",
    ),
    Kpi(
        "deterred", "Deterred prospects", lambda a: a.totals.deterred, ".3f",
        "prospects lost per customer",
        "Prospects who stay away after trusted negative word of mouth: "
        "c− × Σ v_j t−_j θ_j.",
        f"MODEL.md §7. Trust from the {NIELSEN_TRUST}; deterrence 0.01 is an assumption.",
        higher_is_better=False,
    ),
    Kpi(
        "conversion_probability", "Conversion", lambda a: a.totals.conversion_probability,
        ".1%", "of entering customers",
        "The chance that an entering customer reaches a conversion touchpoint, after "
        "abandonment on poor service and without discounting. Shown only when the journey "
        "has a conversion touchpoint.",
        f"MODEL.md §8: Markov-chain absorption; abandonment after poor service from the {AMEX}.",
    ),
)
KPI_BY_KEY: dict[str, Kpi] = {kpi.key: kpi for kpi in KPIS}
CARD_KPIS: tuple[Kpi, ...] = tuple(kpi for kpi in KPIS if kpi.on_card)


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


def sign_color(value: float | None, palette: style.CanvasPalette) -> QColor | None:
    """Green for good, vermillion for bad: the satisfaction palette's two ends."""
    if value is None or value == 0 or math.isnan(value):
        return None
    negative, _, positive = palette.satisfaction
    return positive if value > 0 else negative


class _Card(QFrame):
    """One KPI: its name, its value large, and a detail line."""

    def __init__(self, kpi: Kpi, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kpi = kpi
        self.setObjectName("kpiCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        # Preferred height: every card in a row stretches to the tallest one.
        # Ignored width: the grid gives each card its share; KpiCards reflows the columns.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(KpiCards.MIN_CARD_WIDTH)
        self.setToolTip(kpi.tooltip())
        self.title = QLabel(kpi.label)
        self.title.setObjectName("kpiLabel")
        self.value = QLabel(NO_VALUE)
        self.value.setObjectName("kpiValue")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail = QLabel(kpi.unit)
        self.detail.setObjectName("kpiDetail")
        self.detail.setWordWrap(True)
        self.title.setFont(style.font(9, QFont.Weight.DemiBold))
        self.value.setFont(style.font(17, QFont.Weight.DemiBold))
        self.detail.setFont(style.font(9))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set_value(self, text: str, colour: QColor | None, detail: str,
                  detail_colour: QColor | None = None) -> None:
        self.value.setText(text)
        self.value.setStyleSheet(f"color: {colour.name()};" if colour is not None else "")
        self.detail.setText(detail)
        self.detail.setStyleSheet(
            f"color: {detail_colour.name()};" if detail_colour is not None else "")


class KpiCards(QWidget):
    """The journey's key figures as cards; a clear message when it cannot be analysed.

    Cards reflow into as many columns as fit. Tooltips carry each formula and source.
    """

    MIN_CARD_WIDTH = 148

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards = {kpi.key: _Card(kpi) for kpi in CARD_KPIS}
        self._columns = 0
        self._restyling = False
        self._shown: tuple[str, Analysis | None, Analysis | None, str | None] = (
            "empty", None, None, None)
        self._grid_host = QWidget()
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self.message = QLabel()
        self.message.setObjectName("kpiMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setContentsMargins(12, 10, 12, 10)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._grid_host)
        self._stack.addWidget(self.message)
        self._stack.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._apply_style()
        self._reflow(force=True)
        self.show_analysis(None)

    # -- public ---------------------------------------------------------------------
    def show_analysis(self, analysis: Analysis | None, reason: str | None = None) -> None:
        """Show an analysis; with a reason (or nothing to show), a message instead."""
        self._shown = ("analysis", analysis, None, reason)
        if reason is not None or analysis is None:
            text = ("<b>Cannot analyse this journey.</b><br>" + html.escape(reason)
                    + "<br><i>The Problems list shows what to fix.</i>"
                    if reason is not None else "Open or create a journey to see its figures.")
            self.message.setText(text)
            self._stack.setCurrentWidget(self.message)
            for card in self._cards.values():
                card.set_value(NO_VALUE, None, card.kpi.unit)
            return
        palette = self._palette()
        for card in self._cards.values():
            kpi = card.kpi
            value = kpi.value(analysis)
            colour = sign_color(value, palette) if kpi.signed else None
            card.set_value(format_value(kpi, value), colour, kpi_detail(kpi, analysis))
        self._stack.setCurrentWidget(self._grid_host)

    def show_delta(self, a: Analysis, b: Analysis, baseline: str = "A") -> None:
        """Show b's figures with their change from a (green better, vermillion worse)."""
        self._shown = ("delta", a, b, baseline)
        palette = self._palette()
        negative, _, positive = palette.satisfaction
        for card in self._cards.values():
            kpi = card.kpi
            value_a, value_b = kpi.value(a), kpi.value(b)
            colour = sign_color(value_b, palette) if kpi.signed else None
            if value_a is None or value_b is None:
                detail, detail_colour = kpi.unit, None
            else:
                delta = value_b - value_a
                better = delta > 0 if kpi.higher_is_better else delta < 0
                detail_colour = None if abs(delta) < 1e-12 else (positive if better else negative)
                detail = f"{format_delta(kpi, delta)} vs {baseline}"
            card.set_value(format_value(kpi, value_b), colour, detail, detail_colour)
        self._stack.setCurrentWidget(self._grid_host)

    def values(self) -> dict[str, str]:
        """The shown text of each card by KPI key (empty while a message is shown)."""
        if self._stack.currentWidget() is self.message:
            return {}
        return {key: card.value.text() for key, card in self._cards.items()}

    def card(self, key: str) -> QFrame:
        return self._cards[key]

    def message_text(self) -> str:
        return self.message.text() if self._stack.currentWidget() is self.message else ""

    # -- layout and theme -----------------------------------------------------------
    def _palette(self) -> style.CanvasPalette:
        # The application's palette: a widget with a style sheet stops following it.
        return style.current_palette()

    def _apply_style(self) -> None:
        """Colours from the canvas palette, so cards, charts and the map agree.

        The style sheet goes on the cards, not on this widget: a widget with a style sheet
        stops hearing about palette changes, and this one must hear them to restyle.
        """
        palette = self._palette()
        sheet = (
            f"QFrame#kpiCard {{ background: {palette.card_fill.name()}; "
            f"border: 1px solid {palette.card_border.name()}; border-radius: 6px; }}"
            "QFrame#kpiCard QLabel { background: transparent; border: none; "
            f"color: {palette.card_text.name()}; }}"
            f"QFrame#kpiCard QLabel#kpiLabel, QFrame#kpiCard QLabel#kpiDetail "
            f"{{ color: {palette.card_muted.name()}; }}"
        )
        for card in self._cards.values():
            card.setStyleSheet(sheet)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        """One card wide: the cards reflow into fewer columns rather than force a width."""
        hint = super().minimumSizeHint()
        return QSize(self.MIN_CARD_WIDTH, hint.height())

    def _reflow(self, force: bool = False) -> None:
        columns = max(1, min(len(self._cards),
                             (self.width() + 8) // (self.MIN_CARD_WIDTH + 8)))
        if columns == self._columns and not force:
            return
        self._columns = columns
        for card in self._cards.values():
            self._grid.removeWidget(card)
        for index, card in enumerate(self._cards.values()):
            self._grid.addWidget(card, index // columns, index % columns)
        for column in range(len(self._cards)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        self._grid.setRowStretch(self._grid.rowCount(), 1)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._reflow()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        themes = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange)
        if event.type() in themes and not self._restyling:
            self._restyling = True  # restyling below must not bring us back here
            try:
                self._apply_style()
                kind, a, b, extra = self._shown
                if kind == "delta" and a is not None and b is not None:
                    self.show_delta(a, b, extra or "A")
                elif kind == "analysis":
                    self.show_analysis(a, extra)
            finally:
                self._restyling = False
