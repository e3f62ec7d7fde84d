"""Ctrl+Z and Ctrl+Shift+Z undo and redo the project from any Inspector field, as the Edit
menu promises; a field keeps them only for its own typing that is not committed yet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.ui.editor.fields import FieldEditor
from cx_mapper.ui.main_window import MainWindow
from tests.factories import state

pytestmark = pytest.mark.usefixtures("no_modal_questions")

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

#: (what is selected, the field, the widget the cursor is in).
FIELDS = [
    ("touchpoint", "name", "line_edit"),
    ("touchpoint", "value", "spin"),
    ("touchpoint", "entry", "spin"),
    ("touchpoint", "satisfaction", "slider"),
    ("touchpoint", "notes", "text_edit"),
    ("touchpoint", "stage", "combo"),
    ("transition", "probability", "spin"),
    ("transition", "label", "line_edit"),
    ("journey", "name", "line_edit"),
    ("journey", "discount_rate", "spin"),
    ("journey", "horizon", "spin"),
]


@pytest.fixture
def active(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def select(window: MainWindow, what: str) -> None:
    scene = window.tabs.scene
    assert scene is not None
    if what == "touchpoint":
        scene.select(["site"])
    elif what == "transition":
        scene.select([], [("ad", "site")])
    else:
        scene.clearSelection()
    assert window.inspector.mode() == f"{what}s" if what != "journey" else "journey"


def field(window: MainWindow, name: str, part: str) -> QWidget:
    form = window.inspector.current_form()
    assert form is not None
    editor: FieldEditor = form.editor(name)
    widget: QWidget = getattr(editor, part)
    widget.setFocus()
    assert QApplication.focusWidget() is widget
    return widget


def press(qtbot: QtBot, modifiers: Qt.KeyboardModifier) -> None:
    """Ctrl+Z (or with Shift, Ctrl+Shift+Z) as the keyboard sends it to the focused field."""
    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Z, modifiers)


@pytest.mark.parametrize(("what", "name", "part"), FIELDS)
def test_undo_and_redo_work_with_the_cursor_in_a_field(
        qtbot: QtBot, active: MainWindow, what: str, name: str, part: str) -> None:
    document = active.document
    select(active, what)
    before = state(document.project)
    document.set_touchpoint_fields("now", ["help"], satisfaction=0.8)  # any edit, elsewhere
    after = state(document.project)
    widget = field(active, name, part)

    press(qtbot, CTRL)
    assert state(document.project) == before
    press(qtbot, CTRL | SHIFT)
    assert state(document.project) == after
    press(qtbot, CTRL)
    assert state(document.project) == before
    assert QApplication.focusWidget() is widget, "the cursor stays in the field"


def test_a_field_undoes_its_own_typing_first_then_the_project(
        qtbot: QtBot, active: MainWindow) -> None:
    document = active.document
    select(active, "touchpoint")
    before = state(document.project)
    document.set_touchpoint_fields("now", ["help"], satisfaction=0.8)
    after = state(document.project)
    name = field(active, "name", "line_edit")
    qtbot.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClicks(name, " online")
    assert name.text() == "Site online"  # type: ignore[attr-defined]

    press(qtbot, CTRL)  # the typing, not committed yet, is the field's to undo
    assert name.text() == "Site"  # type: ignore[attr-defined]
    assert state(document.project) == after
    press(qtbot, CTRL)  # nothing of its own left: the project's undo
    assert state(document.project) == before


def test_a_committed_value_is_undone_from_the_field_it_was_typed_in(
        qtbot: QtBot, active: MainWindow) -> None:
    document = active.document
    select(active, "touchpoint")
    before = state(document.project)
    spin = field(active, "value", "spin")
    spin.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(spin, "42")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert document.project.journey("now").touchpoint("site").value == 42
    press(qtbot, CTRL)
    assert state(document.project) == before
    assert spin.text() == "0"  # type: ignore[attr-defined]
    press(qtbot, CTRL | SHIFT)
    assert document.project.journey("now").touchpoint("site").value == 42
