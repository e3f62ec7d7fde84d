"""A table of gains on every KPI: the label, the figure now and after the change when the
journey's totals are known, and the gain in the KPI's shown units, coloured green when it
is for the better and vermillion when for the worse (the map's colours)."""

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

HEADERS = ("Key figure", "Now", "After", "Gain")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


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
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column, tip in ((1, "The journey's figure without the change"),
                            (2, "The figure with the change")):
            heading = QTableWidgetItem(HEADERS[column])
            heading.setToolTip(tip)
            self.setHorizontalHeaderItem(column, heading)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._gains: Mapping[str, float] = {}
        self._before: Mapping[str, float] | None = None

    def show_gains(self, gains: Mapping[str, float] | None,
                   before: Mapping[str, float] | None = None) -> None:
        """Gains by KPI key; with `before` (the journey's totals) also now and after."""
        self._gains = dict(gains or {})
        self._before = dict(before) if before is not None else None
        kpis = shown_kpis(self._gains)
        colours = current_palette()
        self.setRowCount(len(kpis))
        for column in (1, 2):
            self.setColumnHidden(column, self._before is None)
        for row, kpi in enumerate(kpis):
            gain = self._gains[kpi.key]
            label = QTableWidgetItem(kpi.label if kpi.on_card else f"   {kpi.label}")
            label.setToolTip(f"{kpi.label} ({kpi.unit})")
            value = QTableWidgetItem(gain_text(kpi, gain))
            better = is_better(kpi, gain)
            if better is not None:
                value.setForeground(colours.good_text if better else colours.bad_text)
            now = (self._before or {}).get(kpi.key)
            cells = [label, *(QTableWidgetItem(kpi.value_text(None if now is None else
                                                              now + change))
                              for change in (0.0, gain)), value]
            for column, cell in enumerate(cells):
                if column:
                    cell.setTextAlignment(RIGHT)
                self.setItem(row, column, cell)
        rows = max(1, len(kpis))
        self.setFixedHeight(self.horizontalHeader().height()
                            + rows * self.verticalHeader().defaultSectionSize() + 4)

    def texts(self) -> dict[str, str]:
        """Label -> gain text, as shown."""
        return {label: row[-1] for label, row in self.rows().items()}

    def rows(self) -> dict[str, tuple[str, ...]]:
        """Label -> the texts of its shown cells (now, after and gain, or the gain)."""
        shown = [c for c in range(1, len(HEADERS)) if not self.isColumnHidden(c)]
        rows = {}
        for r in range(self.rowCount()):
            label = self.item(r, 0)
            if label is not None:
                cells = [self.item(r, c) for c in shown]
                rows[label.text().strip()] = tuple(c.text() if c else "" for c in cells)
        return rows

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.show_gains(self._gains, self._before)
