"""The forms the inspector is made of: a form generated from property declarations,
and the list editor for a journey's stages and channels.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.ui.editor.fields import FieldEditor, make_editor
from cx_mapper.ui.editor.properties import Kind, Property
from cx_mapper.ui.look.labels import ToneLabel, error_color, muted_color


class PropertyForm(QWidget):
    """A form generated from property declarations, with a message line under each field."""

    edited = Signal(str, object)  # property name, model value
    drag_started = Signal()
    drag_finished = Signal()

    def __init__(self, properties: Sequence[Property], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.properties = {prop.name: prop for prop in properties}
        self._editors: dict[str, FieldEditor] = {}
        self._notes: dict[str, QLabel] = {}
        self._messages: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(8)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for prop in properties:
            editor = make_editor(prop)
            label = QLabel(prop.label)
            label.setToolTip(prop.full_tooltip())
            label.setBuddy(editor)
            # Top-aligned labels, centred on the editor's first line, not on its messages.
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            line_height = QLineEdit().sizeHint().height()
            label.setMinimumHeight(
                line_height if prop.kind is Kind.MULTILINE else editor.sizeHint().height())
            field = QWidget()
            column = QVBoxLayout(field)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(3)
            column.addWidget(editor)
            note, message = ToneLabel(), ToneLabel(tone="error")
            for line in (note, message):
                line.hide()
                column.addWidget(line)
            layout.addRow(label, field)
            self._editors[prop.name] = editor
            self._notes[prop.name] = note
            self._messages[prop.name] = message
            editor.committed.connect(partial(self._on_committed, prop.name))
            editor.refused.connect(partial(self.show_message, prop.name))
            editor.drag_started.connect(self.drag_started)
            editor.drag_finished.connect(self.drag_finished)

    def editor(self, name: str) -> FieldEditor:
        return self._editors[name]

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show model values (or MIXED); emits nothing."""
        for name, value in values.items():
            self._editors[name].set_value(value)

    def set_choices(self, name: str, choices: Sequence[tuple[Any, str]]) -> None:
        self._editors[name].set_choices(choices)

    def flush(self) -> None:
        for editor in self._editors.values():
            editor.flush()

    def message(self, name: str) -> str:
        """The refusal shown under a field ("" when none)."""
        label = self._messages[name]
        return label.text() if not label.isHidden() else ""

    def show_message(self, name: str, text: str) -> None:
        label = self._messages[name]
        label.setText(text)
        label.setVisible(bool(text))

    def clear_messages(self) -> None:
        for name in self._messages:
            self.show_message(name, "")

    def note(self, name: str) -> str:
        """The explanation under a field, as plain text ("" when none)."""
        label = self._notes[name]
        return str(label.property("plain_text") or "") if not label.isHidden() else ""

    def note_html(self, name: str) -> str:
        """The note as drawn: rich text with each line's colour."""
        return self._notes[name].text()

    def note_warns(self, name: str) -> bool:
        """Whether any line of the note is a warning (drawn in the error colour)."""
        return bool(self._notes[name].property("warns"))

    def set_note(self, name: str, lines: Sequence[tuple[str, bool]]) -> None:
        """Explanation lines under a field; a line marked True warns, in the error colour."""
        label = self._notes[name]
        muted, error = muted_color(), error_color()
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setText("<br>".join(
            f'<span style="color: {_css(error if warns else muted)}">{html.escape(text)}</span>'
            for text, warns in lines))
        label.setProperty("plain_text", "\n".join(text for text, _ in lines))
        label.setProperty("warns", any(warns for _, warns in lines))
        label.setVisible(bool(lines))

    def _on_committed(self, name: str, value: Any) -> None:
        self.show_message(name, "")
        self.edited.emit(name, value)


def _css(colour: QColor) -> str:
    return f"rgba({colour.red()}, {colour.green()}, {colour.blue()}, {colour.alpha()})"


class NamedListEditor(QWidget):
    """A journey's stages or channels: add, rename in place, remove and (stages) reorder.

    It only reports what the user asked for; the owner calls the document and then
    shows the new list with `set_items`.
    """

    added = Signal(str)  # name
    renamed = Signal(str, str)  # id, name
    removed = Signal(str)  # id
    moved = Signal(str, int)  # id, new index

    def __init__(self, noun: str, *, movable: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.noun = noun
        self.list = QListWidget()
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.list.setUniformItemSizes(True)
        self._row_height = self.list.fontMetrics().height() + 10
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(self._on_current_changed)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(f"New {noun} name")
        self.name_edit.returnPressed.connect(self._on_add)
        self.add_button = _button("Add", f"Add a {noun} with this name", self._on_add)
        self.rename_button = _button("Rename", f"Rename the {noun} (or double-click it, or F2)",
                                     self._on_rename)
        self.remove_button = _button(
            "Remove", f"Remove the {noun}; its touchpoints stay, with no {noun}", self._on_remove)
        self.up_button = _button("Up", f"Move the {noun} one place earlier", self._on_up)
        self.down_button = _button("Down", f"Move the {noun} one place later", self._on_down)
        self.message = ToneLabel(tone="error")
        self.message.hide()

        add_row = QHBoxLayout()
        add_row.setContentsMargins(0, 0, 0, 0)
        add_row.addWidget(self.name_edit, 1)
        add_row.addWidget(self.add_button)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        if movable:
            buttons.addWidget(self.up_button)
            buttons.addWidget(self.down_button)
        else:
            self.up_button.hide()
            self.down_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        layout.addLayout(add_row)
        layout.addWidget(self.message)
        self._names: dict[str, str] = {}
        self._update_buttons()

    def set_items(self, items: Sequence[tuple[str, str, str]]) -> None:
        """(id, name, tooltip) in order; keeps the current item when it is still there."""
        current = self.current_id()
        with QSignalBlocker(self.list):
            self.list.clear()
            self._names = {}
            for item_id, name, tooltip in items:
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, item_id)
                item.setToolTip(tooltip)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setSizeHint(QSize(0, self._row_height))
                self.list.addItem(item)
                self._names[item_id] = name
                if item_id == current:
                    self.list.setCurrentItem(item)
        rows = max(3, min(self.list.count() + 1, 7))
        self.list.setFixedHeight(rows * self._row_height + 2 * self.list.frameWidth())
        self._update_buttons()

    def current_id(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def select(self, item_id: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == item_id:
                self.list.setCurrentRow(row)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _refuse_empty(self) -> None:
        self.show_message(f"A {self.noun} needs a name.")

    def _on_add(self) -> None:
        name = self.name_edit.text().strip()
        if not name:
            self._refuse_empty()
            return
        self.show_message("")
        self.name_edit.clear()
        self.added.emit(name)

    def _on_rename(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.editItem(item)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        item_id = str(item.data(Qt.ItemDataRole.UserRole))
        name = item.text().strip()
        if not name:
            with QSignalBlocker(self.list):
                item.setText(self._names.get(item_id, ""))
            self._refuse_empty()
            return
        self.show_message("")
        self.renamed.emit(item_id, name)

    def _on_remove(self) -> None:
        item_id = self.current_id()
        if item_id is not None:
            self.removed.emit(item_id)

    def _on_up(self) -> None:
        self._move(-1)

    def _on_down(self) -> None:
        self._move(1)

    def _move(self, by: int) -> None:
        item_id = self.current_id()
        row = self.list.currentRow()
        if item_id is not None and 0 <= row + by < self.list.count():
            self.moved.emit(item_id, row + by)

    def _on_current_changed(self, row: int) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.list.currentRow()
        has = row >= 0
        self.rename_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.list.count() - 1)


def _button(text: str, tooltip: str, slot: Any) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tooltip)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.clicked.connect(slot)
    return button
