"""File > Project properties names the project: the title bar, the summary's headline and
the file names Save As and the exports suggest all show the name, and undo takes it back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog
from pytestqt.qtbot import QtBot

from cx_mapper.engine.analysis import analyze
from cx_mapper.ui.export import summary
from cx_mapper.ui.files.open_save import safe_file_name
from cx_mapper.ui.files.project_properties import ProjectPropertiesDialog
from cx_mapper.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("no_modal_questions")

NAME = "Retail omnichannel 2025"


@pytest.fixture
def active(qtbot: QtBot, window: MainWindow) -> MainWindow:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def open_properties(qtbot: QtBot, window: MainWindow) -> ProjectPropertiesDialog:
    """Alt+Return, the shortcut of File > Project properties."""
    view = window.tabs.view
    assert view is not None
    view.setFocus()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    (dialog,) = [d for d in window.findChildren(ProjectPropertiesDialog) if d.isVisible()]
    return dialog


def type_name(qtbot: QtBot, dialog: ProjectPropertiesDialog, name: str) -> None:
    dialog.name_edit.selectAll()
    qtbot.keyClicks(dialog.name_edit, name)


def click(qtbot: QtBot, dialog: ProjectPropertiesDialog,
          which: QDialogButtonBox.StandardButton) -> None:
    qtbot.mouseClick(dialog.buttons.button(which), Qt.MouseButton.LeftButton)


def suggested_by(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file names the save dialogs suggest (each dialog is then cancelled)."""
    suggested: list[str] = []

    def dialog(_parent: Any, _title: str, start: str, *_args: Any) -> tuple[str, str]:
        suggested.append(Path(start).name)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(dialog))
    return suggested


def test_the_name_shows_in_the_title_summary_and_suggested_files(
        qtbot: QtBot, active: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    document = active.document
    assert active.windowTitle().startswith("Sample")
    dialog = open_properties(qtbot, active)
    assert dialog.name_edit.text() == "Sample"
    type_name(qtbot, dialog, NAME)
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert not dialog.isVisible()
    assert document.project.name == NAME
    assert active.windowTitle().startswith(NAME)
    assert document.undo_stack.count() == 1 and active.isWindowModified()

    drawn: list[str] = []
    real_draw_text = summary.draw_text
    monkeypatch.setattr(summary, "draw_text",
                        lambda painter, rect, text, *a, **k: (drawn.append(text),
                                                             real_draw_text(painter, rect,
                                                                            text, *a, **k)))
    summary.render_summary(document.project, analyze(document.project, "now"), width=800)
    assert NAME.upper() in drawn, "the summary's headline names the project"

    suggested = suggested_by(monkeypatch)
    assert not active.files.save_as()
    assert not active.files.export_json()
    assert active.ask_export_path(active.exporter.suggestion("now")) is None
    assert suggested == [f"{NAME}.cxmap", f"{NAME}.json", f"{NAME} - Current state.png"]

    view = active.tabs.view
    assert view is not None
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert document.project.name == "Sample" and active.windowTitle().startswith("Sample")
    document.undo_stack.redo()
    assert active.windowTitle().startswith(NAME)


def test_cancel_changes_nothing_and_an_empty_name_is_refused(
        qtbot: QtBot, active: MainWindow) -> None:
    dialog = open_properties(qtbot, active)
    type_name(qtbot, dialog, "Something else")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
    assert active.document.project.name == "Sample"
    assert active.document.undo_stack.count() == 0

    dialog = open_properties(qtbot, active)
    type_name(qtbot, dialog, "   ")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert dialog.isVisible() and dialog.message.text() == "A project needs a name."
    assert active.document.project.name == "Sample"


def test_a_suggested_file_name_is_one_a_file_can_have() -> None:
    assert safe_file_name("Retail / Q3: north?") == "Retail - Q3- north"
    assert safe_file_name("..") == "Untitled project"
    assert safe_file_name("Café journeys") == "Café journeys"


def test_the_cost_unit_is_set_in_one_undo_step(qtbot: QtBot, active: MainWindow) -> None:
    """Typing a unit and OK: costs and budgets count it; undo and redo take it back and
    forth, the name untouched."""
    document = active.document
    name = document.project.name
    dialog = open_properties(qtbot, active)
    assert dialog.cost_unit_edit.text() == ""
    dialog.cost_unit_edit.setFocus()
    qtbot.keyClicks(dialog.cost_unit_edit, "k$")
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Ok)
    assert (document.project.cost_unit, document.project.name) == ("k$", name)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.project.cost_unit == ""
    document.undo_stack.redo()
    assert document.project.cost_unit == "k$"
    dialog = open_properties(qtbot, active)
    assert dialog.cost_unit_edit.text() == "k$"
    click(qtbot, dialog, QDialogButtonBox.StandardButton.Cancel)
