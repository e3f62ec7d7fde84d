"""GUI test settings: never touch the user's real settings, recent files or recovery data."""

from __future__ import annotations

import contextlib
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from pytestqt.qtbot import QtBot

from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.open_save import FileController
from cx_mapper.ui.main_window import MainWindow
from tests.factories import sample_project


@pytest.fixture(autouse=True)
def isolated_settings(qapp: object, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Test-mode standard paths and a scratch settings file, cleared for every test."""
    QStandardPaths.setTestModeEnabled(True)
    QCoreApplication.setOrganizationName("CX Mapper Tests")
    QCoreApplication.setApplicationName("CX Mapper Tests")
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings().clear()
    yield
    QSettings().clear()


# Every document a test makes, without scanning the whole heap after each test.
_DOCUMENTS: weakref.WeakSet[ProjectDocument] = weakref.WeakSet()
_document_init = ProjectDocument.__init__


def _tracked_init(self: ProjectDocument, *args: object, **kwargs: object) -> None:
    _document_init(self, *args, **kwargs)  # type: ignore[arg-type]
    _DOCUMENTS.add(self)


ProjectDocument.__init__ = _tracked_init  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def closed_documents() -> Iterator[None]:
    """Close the test's documents before the garbage collector finds them.

    A ProjectDocument and its undo stack form a reference cycle, so the collector
    frees them at some later point, in some later test. A stack with unsaved
    changes emits cleanChanged while it is destroyed, into a document already
    half gone ("Slot 'ProjectDocument::' not found"). Clearing the stacks here
    keeps that out of unrelated tests.
    """
    yield
    for document in list(_DOCUMENTS):
        with contextlib.suppress(RuntimeError):  # its C++ side is already gone
            document.undo_stack.clear()


@pytest.fixture
def no_modal_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a modified window at teardown discards rather than asking in a modal dialog."""
    monkeypatch.setattr(FileController, "ask_unsaved", lambda _self: "discard")


@pytest.fixture
def recovery_folder(tmp_path: Path) -> str:
    return str(tmp_path / "recovery")


@pytest.fixture
def window(qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> MainWindow:
    """The main window on the command tests' sample, shown at a usual size."""
    win = MainWindow(ProjectDocument(sample_project()), recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    return win
