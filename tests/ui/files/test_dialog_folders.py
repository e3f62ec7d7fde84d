"""File dialogs open in a folder that exists, with an empty or meaningful file name: a
missing Documents folder once showed up as the file name "Documents"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from cx_mapper.ui.export.export_dialog import ExportChoice
from cx_mapper.ui.files.open_save import dialog_folder
from cx_mapper.ui.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("no_modal_questions")

Seen = list[tuple[str, str, str]]  # (mode, folder shown, file name box)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder with no Documents folder in it."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    assert not (folder / "Documents").exists()
    return folder


def seen_in_dialogs(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Seen:
    """Each file dialog as the user would see it (Qt's own dialog), then cancelled."""
    seen: Seen = []

    def show(mode: QFileDialog.AcceptMode) -> Callable[..., tuple[str, str]]:
        def dialog(parent: Any, title: str, start: str, *_args: Any) -> tuple[str, str]:
            box = QFileDialog(parent, title, start)
            box.setOption(QFileDialog.Option.DontUseNativeDialog, True)
            box.setAcceptMode(mode)
            qtbot.addWidget(box)
            box.show()
            name = box.findChild(QLineEdit, "fileNameEdit")
            assert name is not None
            seen.append((mode.name, box.directory().absolutePath(), name.text()))
            box.reject()
            return "", ""
        return dialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(show(QFileDialog.AcceptMode.AcceptOpen)))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(show(QFileDialog.AcceptMode.AcceptSave)))
    return seen


def test_without_a_documents_folder_dialogs_start_at_home(
        qtbot: QtBot, window: MainWindow, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = seen_in_dialogs(qtbot, monkeypatch)
    window.action("open").trigger()
    window.action("import_json").trigger()
    window.action("save_as").trigger()
    window.importer.ask_path()
    window.ask_export_path(ExportChoice(".png", "Sample - Current state.png"))
    assert seen == [
        ("AcceptOpen", str(home), ""),
        ("AcceptOpen", str(home), ""),
        ("AcceptSave", str(home), "Sample.cxmap"),
        ("AcceptOpen", str(home), ""),
        ("AcceptSave", str(home), "Sample - Current state.png"),
    ]


def test_the_first_existing_folder_is_chosen(home: Path, tmp_path: Path) -> None:
    assert dialog_folder(tmp_path / "gone") == str(home)
    (home / "Documents").mkdir()
    assert dialog_folder(tmp_path / "gone") == str(home / "Documents")
    assert dialog_folder(tmp_path) == str(tmp_path)
