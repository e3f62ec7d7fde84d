"""An opportunity's changes as a before -> after table, and the row editor under it.

Rows: touchpoint fields (touchpoint, what, now, after), transition probabilities set
(a new transition shows "none" now), transitions removed, touchpoints added. Choosing a
touchpoint and what to change fills "After" with today's value; Set writes the row,
Remove row takes the selected one out. Each is one edit of the opportunity's changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.elements import Touchpoint, Transition
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.opportunities import CHANGEABLE_FIELDS, Changes, Opportunity
from cx_mapper.ui.plan import field_spins
from cx_mapper.ui.plan.new_touchpoint import NewTouchpointDialog, touchpoint_choices
from cx_mapper.ui.plan.words import (
    FIELD_WORDS,
    field_value_text,
    probability_text,
    touchpoint_words,
)

SET_TRANSITION = "transition"
REMOVE_TRANSITION = "remove"
#: What a row can change, in the user's words.
WHAT: dict[str, str] = {**FIELD_WORDS, SET_TRANSITION: "Chance to go to…",
                        REMOVE_TRANSITION: "Remove the way to…"}
HEADERS = ("Touchpoint", "What", "Now", "After")
#: A new touchpoint's fields before the user sets them: a blank card's.
BLANK_CARD = {field: getattr(Touchpoint(""), field) for field in CHANGEABLE_FIELDS}


@dataclass(frozen=True)
class ChangeRow:
    kind: str  # a field name, SET_TRANSITION, REMOVE_TRANSITION or "add"
    touchpoint: str
    target: str = ""


def change_rows(journey: Journey, opportunity: Opportunity
                ) -> list[tuple[ChangeRow, tuple[str, ...]]]:
    """Every change of an opportunity as (row, its four texts), in the table's order."""
    changes = opportunity.changes
    rows: list[tuple[ChangeRow, tuple[str, ...]]] = []

    def name(touchpoint_id: str) -> str:
        return touchpoint_words(journey, touchpoint_id, opportunity)

    for touchpoint in changes.add_touchpoints:
        rows.append((ChangeRow("add", touchpoint.id),
                     (name(touchpoint.id), "New touchpoint", "—", "added")))
        # What the new touchpoint is, beyond a blank card: its fields set off the default.
        for field in CHANGEABLE_FIELDS:
            value = getattr(touchpoint, field)
            if value != BLANK_CARD[field] or field == "satisfaction":
                rows.append((ChangeRow(field, touchpoint.id),
                             (name(touchpoint.id), FIELD_WORDS[field], "—",
                              field_value_text(field, value))))
    for touchpoint_id, values in changes.touchpoints.items():
        current = journey.touchpoints.get(touchpoint_id)
        for field in CHANGEABLE_FIELDS:
            if field in values:
                now = field_value_text(field, getattr(current, field)) if current else "—"
                rows.append((ChangeRow(field, touchpoint_id),
                             (name(touchpoint_id), FIELD_WORDS[field], now,
                              field_value_text(field, values[field]))))
    for transition in changes.transitions:
        old = journey.transitions.get(transition.key)
        rows.append((ChangeRow(SET_TRANSITION, *transition.key),
                     (f"{name(transition.source)} → {name(transition.target)}", "Chance",
                      probability_text(old.probability) if old else "none",
                      probability_text(transition.probability))))
    for source, target in changes.remove_transitions:
        old = journey.transitions.get((source, target))
        rows.append((ChangeRow(REMOVE_TRANSITION, source, target),
                     (f"{name(source)} → {name(target)}", "Way",
                      probability_text(old.probability) if old else "none", "removed")))
    return rows


def _added(changes: Changes, touchpoint_id: str) -> Touchpoint | None:
    return next((t for t in changes.add_touchpoints if t.id == touchpoint_id), None)


def _with_added_field(changes: Changes, touchpoint_id: str, field: str,
                      value: float) -> Changes:
    return replace(changes, add_touchpoints=tuple(
        replace(t, **dict[str, Any]({field: value})) if t.id == touchpoint_id else t
        for t in changes.add_touchpoints))


def without_row(changes: Changes, row: ChangeRow) -> Changes:
    """The changes without this row. Taking out a new touchpoint takes its ways in and
    out with it; a field of a new touchpoint goes back to a blank card's."""
    if row.kind == "add":
        ends = (row.touchpoint,)
        return replace(changes, add_touchpoints=tuple(
            t for t in changes.add_touchpoints if t.id != row.touchpoint),
            transitions=tuple(t for t in changes.transitions
                              if t.source not in ends and t.target not in ends),
            touchpoints={k: v for k, v in changes.touchpoints.items() if k not in ends})
    if row.kind in CHANGEABLE_FIELDS and _added(changes, row.touchpoint) is not None \
            and row.kind not in changes.touchpoints.get(row.touchpoint, {}):
        return _with_added_field(changes, row.touchpoint, row.kind, BLANK_CARD[row.kind])
        return replace(changes, add_touchpoints=tuple(
            t for t in changes.add_touchpoints if t.id != row.touchpoint))
    if row.kind == SET_TRANSITION:
        return replace(changes, transitions=tuple(
            t for t in changes.transitions if t.key != (row.touchpoint, row.target)))
    if row.kind == REMOVE_TRANSITION:
        return replace(changes, remove_transitions=tuple(
            k for k in changes.remove_transitions if k != (row.touchpoint, row.target)))
    fields = {k: dict(v) for k, v in changes.touchpoints.items()}
    fields.get(row.touchpoint, {}).pop(row.kind, None)
    return replace(changes, touchpoints={k: v for k, v in fields.items() if v})


def with_row(changes: Changes, row: ChangeRow, value: float) -> Changes:
    """The changes with this row set (replacing what it set before)."""
    if row.kind != "add":
        changes = without_row(changes, row)
    key = (row.touchpoint, row.target)
    if row.kind == SET_TRANSITION:
        kept = tuple(k for k in changes.remove_transitions if k != key)
        return replace(changes, remove_transitions=kept,
                       transitions=(*changes.transitions, Transition(*key, value)))
    if row.kind == REMOVE_TRANSITION:
        kept_t = tuple(t for t in changes.transitions if t.key != key)
        return replace(changes, transitions=kept_t,
                       remove_transitions=(*changes.remove_transitions, key))
    if _added(changes, row.touchpoint) is not None:  # a new card holds its own fields
        return _with_added_field(changes, row.touchpoint, row.kind, value)
    fields = {k: dict(v) for k, v in changes.touchpoints.items()}
    fields.setdefault(row.touchpoint, {})[row.kind] = value
    return replace(changes, touchpoints=fields)


class ChangesEditor(QWidget):
    """The before -> after table of one opportunity, with its row editor."""

    edited = Signal(object)  # the new Changes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._journey: Journey | None = None
        self._opportunity: Opportunity | None = None
        self._rows: list[ChangeRow] = []
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.setAccessibleName("Changes: before and after")
        self.table.itemSelectionChanged.connect(self._on_row_selected)

        self.touchpoint = QComboBox()
        self.touchpoint.setAccessibleName("Touchpoint to change")
        self.what = QComboBox()
        self.what.setAccessibleName("What to change")
        for key, words in WHAT.items():
            self.what.addItem(words, key)
        self.target = QComboBox()
        self.target.setAccessibleName("To touchpoint")
        self.after = QDoubleSpinBox()
        self.after.setAccessibleName("After")
        self.after.setKeyboardTracking(False)
        self.set_button = QPushButton("Set")
        self.set_button.setToolTip("Write this change into the opportunity")
        self.remove_button = QPushButton("Remove row")
        self.remove_button.setToolTip("Take the selected change out of the opportunity")
        self.new_touchpoint_button = QPushButton("New touchpoint…")
        self.new_touchpoint_button.setToolTip("Add a touchpoint this opportunity creates, "
                                              "with the ways in and out of it")
        self.new_touchpoint_button.clicked.connect(self.ask_new_touchpoint)
        self.dialog: NewTouchpointDialog | None = None
        for combo in (self.touchpoint, self.what, self.target):
            combo.currentIndexChanged.connect(self._on_choice_changed)
        self.set_button.clicked.connect(self._on_set)
        self.remove_button.clicked.connect(self._on_remove)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # "Calls … → Loyalty app"
        for combo in (self.touchpoint, self.target):
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        first, second = QHBoxLayout(), QHBoxLayout()
        for line in (first, second):
            line.setSpacing(6)
        first.addWidget(self.touchpoint, 3)
        first.addWidget(self.what, 2)
        first.addWidget(self.new_touchpoint_button)
        second.addWidget(self.target, 3)
        second.addWidget(self.after, 1)
        second.addWidget(self.set_button)
        second.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.table, 1)
        layout.addLayout(first)
        layout.addLayout(second)

    # -- showing -------------------------------------------------------------------------
    def show_opportunity(self, journey: Journey, opportunity: Opportunity) -> None:
        same = self._opportunity is not None and self._opportunity.id == opportunity.id
        self._journey, self._opportunity = journey, opportunity
        rows = change_rows(journey, opportunity)
        selected = self.selected_row() if same else None
        self._rows = [r for r, _ in rows]
        with QSignalBlocker(self.table):
            self.table.setRowCount(len(rows))
            for index, (_, texts) in enumerate(rows):
                for column, text in enumerate(texts):
                    item = QTableWidgetItem(text)
                    if column >= 2:
                        item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                              | Qt.AlignmentFlag.AlignVCenter)
                    self.table.setItem(index, column, item)
            if selected in self._rows:
                self.table.selectRow(self._rows.index(selected))
        names = touchpoint_choices(journey, opportunity)
        # A new opportunity's row editor starts at the touchpoint it is about.
        first = opportunity.touchpoints[0] if opportunity.touchpoints and not same else None
        for combo in (self.touchpoint, self.target):
            chosen = first if combo is self.touchpoint and first else combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                for name, tid in names:
                    combo.addItem(name, tid)
                if chosen is not None and combo.findData(chosen) >= 0:
                    combo.setCurrentIndex(combo.findData(chosen))
        self.remove_button.setEnabled(self.selected_row() is not None)
        self.set_button.setEnabled(bool(names))
        self._on_choice_changed()

    def selected_row(self) -> ChangeRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows and rows[0].row() < len(self._rows) else None

    def rows(self) -> list[tuple[str, ...]]:
        """The texts of every row, as shown."""
        return [tuple(_text(self.table.item(r, c)) for c in range(len(HEADERS)))
                for r in range(self.table.rowCount())]

    # -- the row editor ----------------------------------------------------------------------
    def _chosen(self) -> ChangeRow | None:
        touchpoint, kind = self.touchpoint.currentData(), self.what.currentData()
        if touchpoint is None or kind is None:
            return None
        target = self.target.currentData() if kind in (SET_TRANSITION, REMOVE_TRANSITION) else ""
        return ChangeRow(kind, touchpoint, target or "")

    def _on_choice_changed(self, *_args: object) -> None:
        kind = self.what.currentData()
        self.target.setVisible(kind in (SET_TRANSITION, REMOVE_TRANSITION))
        self.after.setVisible(kind != REMOVE_TRANSITION)
        self.set_button.setText("Remove" if kind == REMOVE_TRANSITION else "Set")
        chosen, journey, opportunity = self._chosen(), self._journey, self._opportunity
        if chosen is None or journey is None or opportunity is None:
            return
        with QSignalBlocker(self.after):
            if kind == SET_TRANSITION:
                field_spins.fit(self.after, field_spins.CHANCE)
                planned = next((t.probability for t in opportunity.changes.transitions
                                if t.key == (chosen.touchpoint, chosen.target)), None)
                old = journey.transitions.get((chosen.touchpoint, chosen.target))
                value = planned if planned is not None else old.probability if old else 0.0
                self.after.setValue(field_spins.shown(field_spins.CHANCE, value))
            elif kind in CHANGEABLE_FIELDS:
                field_spins.fit(self.after, kind)
                planned_values = opportunity.changes.touchpoints.get(chosen.touchpoint, {})
                current = (journey.touchpoints.get(chosen.touchpoint)
                           or _added(opportunity.changes, chosen.touchpoint))
                value = planned_values.get(kind, getattr(current, kind, 0.0))
                self.after.setValue(field_spins.shown(kind, value))

    def _on_row_selected(self) -> None:
        row = self.selected_row()
        self.remove_button.setEnabled(row is not None)
        if row is None or row.kind == "add":
            return
        for combo, value in ((self.touchpoint, row.touchpoint), (self.what, row.kind),
                             (self.target, row.target)):
            index = combo.findData(value)
            if index >= 0:
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(index)
        self._on_choice_changed()

    def _on_set(self) -> None:
        chosen, opportunity = self._chosen(), self._opportunity
        if chosen is None or opportunity is None:
            return
        what = field_spins.CHANCE if chosen.kind == SET_TRANSITION else chosen.kind
        value = field_spins.stored(what, self.after.value())
        self.edited.emit(with_row(opportunity.changes, chosen, value))

    def ask_new_touchpoint(self) -> None:
        """Open the New touchpoint dialog; OK adds it as one edit (window-modal, so the
        rest of the app waits, as for every other dialog)."""
        journey, opportunity = self._journey, self._opportunity
        if journey is None or opportunity is None:
            return
        dialog = NewTouchpointDialog(journey, opportunity, self)
        self.dialog = dialog

        def done(result: int) -> None:
            changes = dialog.changes()
            self.dialog = None
            dialog.deleteLater()
            if result and changes is not None:
                self.edited.emit(changes)

        dialog.finished.connect(done)
        dialog.open()

    def _on_remove(self) -> None:
        row, opportunity = self.selected_row(), self._opportunity
        if row is not None and opportunity is not None:
            self.edited.emit(without_row(opportunity.changes, row))


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""
