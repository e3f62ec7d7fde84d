"""The key figures of a journey: one declaration each, and the cards that show them.

Every KPI is declared once (what it is called, where it comes from in the Analysis,
how it is written, its formula in plain words and its source from MODEL.md), so the
cards, their tooltips, the compare deltas and the PNG summary's table cannot drift
apart. The values are the engine's; nothing here recomputes them.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

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

from cx_mapper.engine.kpis import CARD_KPIS, NO_VALUE, Kpi, format_delta, format_value, kpi_detail
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import sign_color

#: A figure's 5%, 50% and 95% points over the draws (engine/uncertainty.py's Band; that
#: module is imported at the first run, not at start-up).
Band = tuple[float, float, float]


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
        self.interval = QLabel()  # "90%: +3.3 to +8.8" with uncertainty on
        self.interval.setObjectName("kpiInterval")
        self.interval.setWordWrap(True)
        self.interval.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.interval.hide()
        self.title.setFont(fonts.font(9, QFont.Weight.DemiBold))
        self.value.setFont(fonts.font(17, QFont.Weight.DemiBold))
        self.detail.setFont(fonts.font(9))
        self.interval.setFont(fonts.font(9, QFont.Weight.DemiBold))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.interval)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def set_value(self, text: str, colour: QColor | None, detail: str,
                  detail_colour: QColor | None = None) -> None:
        self.value.setText(text)
        self.value.setStyleSheet(_label_sheet(colour))
        self.detail.setText(detail)
        self.detail.setStyleSheet(_label_sheet(detail_colour))


def _label_sheet(colour: QColor | None) -> str:
    """A label's own colour, greyed while its card is disabled (a figure being updated):
    a style sheet colour would otherwise win over the disabled palette."""
    if colour is None:
        return ""
    grey = _greyed(palette.current_palette()).name(QColor.NameFormat.HexArgb)
    return f"QLabel {{ color: {colour.name()}; }} QLabel:disabled {{ color: {grey}; }}"


def _greyed(colours: palette.CanvasPalette) -> QColor:
    """The colour of every figure while it is being brought up to date."""
    grey = QColor(colours.card_muted)
    grey.setAlphaF(0.55)
    return grey


def interval_tip(kpi: Kpi, band: Band, draws: str) -> str:
    low, mid, high = (kpi.value_text(x) for x in band)
    if low == high:
        return (f"No input behind the {kpi.label.lower()} carries evidence, so it is "
                f"exact as given ({mid}).")
    return (f"In 90% of {draws or 'the draws'} of the figures' evidence the "
            f"{kpi.label.lower()} lies between {low} and {high}; the median is {mid}.")


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

    def show_intervals(self, intervals: Mapping[str, Band] | None, note: str = "",
                       tip: str = "") -> None:
        """With uncertainty on, each card's 90% interval under its value, written as
        its value is; `note` on every card instead while there is none (being worked
        out); None hides them (uncertainty off)."""
        for card in self._cards.values():
            label = card.interval
            label.setVisible(intervals is not None)
            if intervals is None:
                label.clear()
                continue
            band = intervals.get(card.kpi.key)
            label.setText(card.kpi.interval_text(band) if band is not None else note)
            label.setToolTip(interval_tip(card.kpi, band, tip) if band is not None else "")

    def intervals(self) -> dict[str, str]:
        """The shown interval line of each card by KPI key (empty when hidden)."""
        return {key: card.interval.text() for key, card in self._cards.items()
                if not card.interval.isHidden()}

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
    def _palette(self) -> palette.CanvasPalette:
        # The application's palette: a widget with a style sheet stops following it.
        return palette.current_palette()

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
            f"QFrame#kpiCard QLabel#kpiInterval {{ color: {palette.card_text.name()}; }}"
            f"QFrame#kpiCard QLabel:disabled "
            f"{{ color: {_greyed(palette).name(QColor.NameFormat.HexArgb)}; }}"
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
