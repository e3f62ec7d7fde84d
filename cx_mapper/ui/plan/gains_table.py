"""A table of gains on every KPI: the label, the gain in the KPI's shown units, coloured
green when it is for the better and vermillion when for the worse (the map's colours)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from cx_mapper.ui.look.palette import current_palette
from cx_mapper.ui.plan.words import gain_text, is_better, shown_kpis

HEADERS = ("Key figure", "Gain")


class GainsTable(QTableWidget):
    """Gains by KPI, as the engine gave them (engine units, shown at each KPI's scale)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._gains: Mapping[str, float] = {}

    def show_gains(self, gains: Mapping[str, float] | None) -> None:
        self._gains = dict(gains or {})
        kpis = shown_kpis(self._gains)
        colours = current_palette()
        self.setRowCount(len(kpis))
        for row, kpi in enumerate(kpis):
            gain = self._gains[kpi.key]
            label = QTableWidgetItem(kpi.label if kpi.on_card else f"   {kpi.label}")
            label.setToolTip(f"{kpi.label} ({kpi.unit})")
            value = QTableWidgetItem(gain_text(kpi, gain))
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            better = is_better(kpi, gain)
            if better is not None:
                value.setForeground(colours.good_text if better else colours.bad_text)
            self.setItem(row, 0, label)
            self.setItem(row, 1, value)
        rows = max(1, len(kpis))
        self.setFixedHeight(self.horizontalHeader().height()
                            + rows * self.verticalHeader().defaultSectionSize() + 4)

    def texts(self) -> dict[str, str]:
        """Label -> gain text, as shown."""
        cells = [(self.item(r, 0), self.item(r, 1)) for r in range(self.rowCount())]
        return {label.text().strip(): value.text() for label, value in cells
                if label is not None and value is not None}

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.show_gains(self._gains)
