"""The opportunities of the journey on show, as a table: title, owner, status, cost with
the project's unit, and the gain on the chosen objective; with Add, Remove, Move up and
Move down (the order a plan applies them in). Selecting one shows it in the editor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import OPPORTUNITY_STATUSES
from cx_mapper.ui.look.labels import muted_color
from cx_mapper.ui.look.palette import current_palette
from cx_mapper.ui.plan.figures import objective_score
from cx_mapper.ui.plan.words import cost_text, score_text, score_value

COLUMNS = ("Title", "Owner", "Status", "Cost", "Gain")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OpportunityList(QWidget):
    """The list; every button is one document edit, through the panel."""

    selected = Signal(object)  # opportunity id or None
    add_requested = Signal()
    remove_requested = Signal(str)
    move_requested = Signal(str, int)  # id, new index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._shown: tuple[Any, ...] | None = None  # show_journey's arguments, for a theme
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setAccessibleName("Opportunities")
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("Add")
        self.add_button.setToolTip("Add an opportunity to this journey")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected opportunity (Ctrl+Z undoes)")
        self.up_button = QPushButton("Move up")
        self.down_button = QPushButton("Move down")
        for button in (self.up_button, self.down_button):
            button.setToolTip("A plan applies the opportunities in this order")
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.add_button.clicked.connect(self.add_requested)
        self.remove_button.clicked.connect(self._on_remove)
        self.up_button.clicked.connect(lambda: self._on_move(-1))
        self.down_button.clicked.connect(lambda: self._on_move(1))
        self._enable()

    def current(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        return self._ids[rows[0].row()] if rows and rows[0].row() < len(self._ids) else None

    def ids(self) -> list[str]:
        return list(self._ids)

    def row_texts(self) -> list[tuple[str, ...]]:
        return [tuple(item.text() if (item := self.table.item(r, c)) else ""
                      for c in range(len(COLUMNS)))
                for r in range(self.table.rowCount())]

    def select(self, opportunity_id: str | None) -> None:
        if opportunity_id in self._ids:
            self.table.selectRow(self._ids.index(opportunity_id))
        else:
            self.table.clearSelection()

    def show_journey(self, journey: Journey | None, unit: str,
                     gains: Mapping[str, Mapping[str, float]] | None,
                     unusable: Mapping[str, str], objective: dict[str, float],
                     objective_words: str, *, stale: bool = False) -> None:
        """Fill the table; `gains` None while they are being computed, or the last ones
        with `stale` (greyed)."""
        self._shown = (journey, unit, gains, unusable, objective, objective_words, stale)
        chosen = self.current()
        opportunities = journey.opportunities if journey is not None else []
        self._ids = [o.id for o in opportunities]
        colours = current_palette()
        header = self.table.horizontalHeaderItem(4)
        if header is not None:
            header.setToolTip(f"Each opportunity's exact gain alone on the objective: "
                              f"{objective_words}")
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(opportunities))
            for row, opportunity in enumerate(opportunities):
                gain = gains.get(opportunity.id) if gains is not None else None
                if opportunity.id in unusable:
                    gain_item = QTableWidgetItem("cannot be analysed")
                    gain_item.setToolTip(unusable[opportunity.id])
                    gain_item.setForeground(colours.bad_text)
                elif gain is None:
                    gain_item = QTableWidgetItem("…" if gains is None else "—")
                else:
                    score = objective_score(gain, objective)
                    gain_item = QTableWidgetItem(score_text(objective, score))
                    shown = score_value(objective, score)
                    if stale:
                        gain_item.setForeground(muted_color())
                        gain_item.setToolTip("Updating…")
                    elif abs(shown) > 5e-7:
                        gain_item.setForeground(colours.good_text if shown > 0
                                                else colours.bad_text)
                gain_item.setTextAlignment(RIGHT)
                cost = QTableWidgetItem(cost_text(opportunity.cost, unit))
                cost.setTextAlignment(RIGHT)
                items = (QTableWidgetItem(opportunity.title or "(untitled)"),
                         QTableWidgetItem(opportunity.owner),
                         QTableWidgetItem(OPPORTUNITY_STATUSES.get(opportunity.status,
                                                                   opportunity.status)),
                         cost, gain_item)
                items[0].setToolTip(opportunity.description or opportunity.title)
                for column, item in enumerate(items):
                    self.table.setItem(row, column, item)
            if chosen in self._ids:
                self.table.selectRow(self._ids.index(chosen))
        self._enable()
        if chosen not in self._ids and chosen is not None:
            self.selected.emit(None)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        """A theme switch re-colours the gains in the new theme's shades."""
        super().changeEvent(event)
        shown = self._shown
        if event.type() == QEvent.Type.PaletteChange and shown is not None:
            *rest, stale = shown
            self.show_journey(*rest, stale=stale)

    def _enable(self) -> None:
        current = self.current()
        index = self._ids.index(current) if current in self._ids else -1
        self.remove_button.setEnabled(current is not None)
        self.up_button.setEnabled(index > 0)
        self.down_button.setEnabled(0 <= index < len(self._ids) - 1)

    def _on_selection_changed(self) -> None:
        self._enable()
        self.selected.emit(self.current())

    def _on_remove(self) -> None:
        current = self.current()
        if current is not None:
            self.remove_requested.emit(current)

    def _on_move(self, step: int) -> None:
        current = self.current()
        if current is not None:
            self.move_requested.emit(current, self._ids.index(current) + step)
