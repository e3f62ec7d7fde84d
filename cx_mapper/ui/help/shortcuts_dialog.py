"""Help › Keyboard shortcuts: every action with its shortcut, searchable."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: Gestures on the canvas that are not menu actions.
CANVAS_GESTURES: tuple[tuple[str, str], ...] = (
    ("Add a touchpoint in the stage under the cursor", "Double-click empty canvas"),
    ("Connect two touchpoints", "Drag from a card's handle to another card"),
    ("Rename a stage", "Double-click its header"),
    ("Select several", "Rubber band, or Ctrl+click"),
    ("Nudge the selection by one grid step", "Arrow keys"),
    ("Zoom about the cursor", "Ctrl+wheel"),
    ("Pan", "Space+drag, or middle-drag"),
)


#: Keys of an ordinary keyboard that are not letters: Escape to the arrows, F1-F12, the
#: modifiers. Past them come media and office keys ("Copy", "Zoom In", F13-F35 of old Sun
#: keyboards) that Qt's standard bindings add but few keyboards have.
_ORDINARY_KEYS = range(Qt.Key.Key_Escape.value, Qt.Key.Key_F13.value)


def pressable(sequence: QKeySequence) -> bool:
    """A sequence whose keys are on an ordinary keyboard."""
    keys = [sequence[i].key().value for i in range(sequence.count())]  # type: ignore[index]
    return bool(keys) and all(key < Qt.Key.Key_Escape.value or key in _ORDINARY_KEYS
                              for key in keys)


def shortcut_rows(actions: Sequence[QAction]) -> list[tuple[str, str]]:
    """(action, its keys) for every action with a shortcut; each key listed once."""
    rows: list[tuple[str, str]] = []
    listed: set[str] = set()
    for action in actions:
        keys = []
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
            if pressable(sequence) and text not in listed:
                listed.add(text)
                keys.append(text)
        if keys:
            rows.append((action.text().replace("&", ""), ", ".join(keys)))
    return rows


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 620)
        rows = shortcut_rows(actions) + list(CANVAS_GESTURES)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Type to filter…")
        self.filter.setClearButtonEnabled(True)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Shortcut"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for row, (text, keys) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(text))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.filter.textChanged.connect(self._on_filter_changed)

    def _on_filter_changed(self, text: str) -> None:
        needle = text.casefold()
        for row in range(self.table.rowCount()):
            cells = [item.text() for column in range(2)
                     if (item := self.table.item(row, column)) is not None]
            self.table.setRowHidden(row, bool(needle) and not any(
                needle in cell.casefold() for cell in cells))
        self.table.scrollToTop()
