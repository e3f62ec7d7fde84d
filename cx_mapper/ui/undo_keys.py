"""Undo and redo from anywhere in the window, as the Edit menu promises.

Qt's text fields (line edits, spin boxes, text boxes, editable combo boxes) claim Ctrl+Z
and Ctrl+Shift+Z for undoing their own typing, so with the cursor in an Inspector field
the project's Undo never ran. Here a field keeps those keys only while it holds typing
of its own that is not committed yet; otherwise they reach the window's Undo and Redo.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def _text_of(widget: QObject) -> QLineEdit | QPlainTextEdit | QTextEdit | None:
    """The text a focused field types into: its own, a spin box's or a combo box's."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return widget
    if isinstance(widget, QAbstractSpinBox | QComboBox):
        return widget.findChild(QLineEdit)
    return None


def holds_typing(widget: QObject, *, redo: bool = False) -> bool:
    """Whether the field has typing of its own to undo (or redo) that is not committed:
    edited since it last showed a value, with its own undo (redo) step left."""
    text = _text_of(widget)
    if isinstance(text, QLineEdit):  # a spin box's resets when its value is committed
        available = text.isRedoAvailable() if redo else text.isUndoAvailable()
        return text.isModified() and available
    if isinstance(text, QPlainTextEdit | QTextEdit):
        document = text.document()
        available = document.isRedoAvailable() if redo else document.isUndoAvailable()
        return document.isModified() and available
    return False


class UndoKeys(QObject):
    """Lets Undo and Redo through the text fields of one window while they hold nothing
    of their own to undo."""

    def __init__(self, window: QWidget, undo: QAction, redo: QAction) -> None:
        super().__init__(window)
        self._window = window
        self._actions = ((undo, False), (redo, True))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Installing again moves the filter to the front; it is never installed twice.
        if new is not None and new.window() is self._window and _text_of(new) is not None:
            new.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        pressed = QKeySequence(event.keyCombination())
        for action, redo in self._actions:
            if pressed in action.shortcuts() and not holds_typing(watched, redo=redo):
                event.ignore()  # not the field's: the shortcut goes to the window's action
                return True
        return False
