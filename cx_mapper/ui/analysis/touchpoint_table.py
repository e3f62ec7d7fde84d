"""The Analysis dock's touchpoint table: the engine's figures per touchpoint.

A model over the result's arrays rather than a table of items: a new analysis is a
model reset, and only the rows on screen are ever formatted, so a 2,000-touchpoint
journey updates as fast as a 20-touchpoint one.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.satisfaction import csat
from cx_mapper.engine.results import Analysis

COLUMNS = ("Touchpoint", "Stage", "Channel", "CSAT", "Visits", "Loyalty after",
           "Exposure +", "Exposure −", "Public", "Fix-first gain", "Removal effect",
           "Attributed conv.", "Attributed value")
#: Shown only for a journey with a conversion touchpoint.
ATTRIBUTION_COLUMNS = (10, 11)
#: Shown only when the journey also knows what its conversions are worth.
VALUE_COLUMN = 12
TIPS = {
    "CSAT": "Satisfaction on the CSAT 1–5 scale",
    "Visits": "Expected visits per customer over the repeating journey",
    "Loyalty after": "Loyalty (−100..100) of customers just after this touchpoint",
    "Exposure +": "People who hear something good about it, per customer",
    "Exposure −": "People who hear something bad about it, per customer",
    "Public": "Of the exposure, how much is public (social media)",
    "Fix-first gain": "Loyalty index gained if its satisfaction rose by 0.1",
    "Removal effect": "Share of conversions lost if this touchpoint were removed "
                      "(Markov removal effect)",
    "Attributed conv.": "Conversions credited to it: its removal effect's share of the "
                        "journey's conversions (or of the conversion probability)",
    "Attributed value": "What its attributed conversions are worth: its removal effect's "
                        "share of the conversions' total value",
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


class TouchpointTableModel(QAbstractTableModel):
    """One row per touchpoint of the journey; figures only while a result is current."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._journey: Journey | None = None
        self._ids: list[str] = []
        self._result: Analysis | None = None
        self._rows: dict[str, int] = {}

    def show(self, journey: Journey | None, result: Analysis | None) -> None:
        self.beginResetModel()
        self._journey = journey
        self._ids = list(journey.touchpoints) if journey is not None else []
        self._result = result
        self._rows = ({tid: i for i, tid in enumerate(result.ids)}
                      if result is not None else {})
        self._stages = {s.id: s.name for s in journey.stages} if journey else {}
        self._channels = {c.id: c.name for c in journey.channels} if journey else {}
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return TIPS.get(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 3:
            return int(_RIGHT.value)
        return None

    def text(self, row: int, column: int) -> str:
        """What the cell shows ("" for a figure while there is no current result)."""
        journey = self._journey
        tp = journey.touchpoints.get(self._ids[row]) if journey is not None else None
        if journey is None or tp is None:
            return ""  # removed by an edit whose analysis is still on its way
        if column == 0:
            return tp.name or tp.id
        if column == 1:
            return self._stages.get(tp.stage or "", "")
        if column == 2:
            return self._channels.get(tp.channel or "", "")
        if column == 3:
            return f"{csat(tp.satisfaction):.1f}"
        result, at = self._result, self._rows.get(tp.id)
        if result is None or at is None:
            return ""
        figures = result.touchpoints
        if column == 4:
            return f"{figures.visits[at]:.3f}"
        if column == 5:
            loyalty = float(figures.loyalty[at])
            return "—" if math.isnan(loyalty) else f"{100 * loyalty:+.1f}"
        if column == 6:
            return f"{figures.exposure_positive[at]:.2f}"
        if column == 7:
            return f"{figures.exposure_negative[at]:.2f}"
        if column == 8:
            return f"{figures.exposure_public[at]:.2f}"
        if column == 9:
            return f"{10 * figures.sensitivity['loyalty_index'][at]:+.2f}"
        return _attribution(result, at, column, known=journey.conversions is not None)



def _attribution(result: Analysis, at: int, column: int, *, known: bool) -> str:
    """Removal effect as a percentage; attributed conversions as a count when the journey's
    conversions are known, else as a share of the conversion probability per customer;
    attributed value as an amount."""
    figures = result.touchpoints
    values = {10: figures.removal_effect, 11: figures.attributed_conversions,
              VALUE_COLUMN: figures.attributed_value}[column]
    if values is None:
        return ""
    value = float(values[at])
    if not math.isfinite(value):
        return "—"  # a conversion touchpoint itself, or one not computed live
    if column == 10:
        return f"{100 * value:.1f}%"
    if column == VALUE_COLUMN:
        return f"{value:,.2f}"
    return f"{value:,.1f}" if known else f"{value:.3f}"


class TouchpointTable(QTableView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table_model = TouchpointTableModel(self)
        self.setModel(self.table_model)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate((0, 110, 110, 60, 70, 96, 86, 86, 70, 104, 108, 118, 118)):
            if column:
                self.setColumnWidth(column, width)

    def show(self, journey: Journey | None, result: Analysis | None) -> None:  # type: ignore[override]
        self.table_model.show(journey, result)
        attribution = result is not None and result.has_conversion
        for column in ATTRIBUTION_COLUMNS:
            self.setColumnHidden(column, not attribution)
        worth = result.touchpoints.attributed_value if result is not None else None
        self.setColumnHidden(VALUE_COLUMN, not attribution or worth is None
                             or not np.isfinite(worth).any())

    def text(self, row: int, column: int) -> str:
        return self.table_model.text(row, column)

    def row_count(self) -> int:
        return self.table_model.rowCount()
