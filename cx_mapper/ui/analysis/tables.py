"""Read-only result tables shared by the Analysis dock's tabs, and their colours."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from cx_mapper.ui.look import palette

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# -- colours --------------------------------------------------------------------------
def change_colour(delta: float | None, higher_is_better: bool) -> QColor | None:
    """Green for a change for the better, vermillion for worse, in the shades for text."""
    if delta is None or math.isnan(delta) or abs(delta) < 1e-9:
        return None
    colours = palette.current_palette()
    return QColor(colours.good_text if (delta > 0) == higher_is_better else colours.bad_text)


def table_item(text: str, *, right: bool = True, colour: QColor | None = None,
          tooltip: str = "", bold: bool = False, italic: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(RIGHT)
    if colour is not None:
        item.setForeground(colour)
    if tooltip:
        item.setToolTip(tooltip)
    if bold or italic:
        font = item.font()
        font.setBold(bold)
        font.setItalic(italic)
        item.setFont(font)
    return item


def read_only_table(columns: int, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


def set_header_tips(table: QTableWidget, tips: list[str]) -> None:
    """A tooltip on each column header (an empty one leaves it without)."""
    for column, tip in enumerate(tips):
        item = table.horizontalHeaderItem(column)
        if item is not None and tip:
            item.setToolTip(tip)
