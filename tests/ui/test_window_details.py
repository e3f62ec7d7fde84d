"""Small things a user notices in the window: the status bar's counts are never cut, and the
welcome page hides the project behind it rather than showing its figures around it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.journey import Touchpoint
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.main_window import MainWindow
from tests.factories import sample_project, state

pytestmark = pytest.mark.usefixtures("no_modal_questions")

LEFT = Qt.MouseButton.LeftButton


def test_the_problem_count_is_never_cut_short(qtbot: QtBot, window: MainWindow) -> None:
    label = window.validation_label
    qtbot.waitUntil(lambda: label.text() == "✓ No problems")
    lonely = [Touchpoint(f"lonely-{n}", name=f"Lonely {n}", x=n * 20.0, y=900.0)
              for n in range(344)]
    window.document.paste("now", lonely)
    window.problems.refresh()  # what the debounce timer runs: the counts change now
    # Before any event is processed, i.e. in the very next frame the user sees:
    assert label.text() == "⚠ 344 warnings"
    needed = label.fontMetrics().horizontalAdvance(label.text())
    assert label.contentsRect().width() >= needed, "the label shows its whole text"


def live_parts(window: MainWindow) -> list[QWidget]:
    """What shows the open project's figures and selection around the canvas."""
    return [window.inspector_dock, window.analysis_dock, window.toolbar,
            window.validation_label, window.zoom_label, window.saved_label]


def test_the_welcome_page_shows_nothing_live_behind_it(qtbot: QtBot, window: MainWindow) -> None:
    window.problems_dock.close()  # the user's own arrangement, kept through the welcome
    window.show_welcome(back=False)  # first start
    assert window.is_welcome_shown()
    assert not any(part.isVisible() for part in live_parts(window))
    assert not window.welcome.back_button.isVisible(), "nothing open to go back to"

    qtbot.mouseClick(window.welcome.template_button, LEFT)
    assert not window.is_welcome_shown()
    assert all(part.isVisible() for part in live_parts(window))
    assert not window.problems_dock.isVisible()


def test_back_from_the_welcome_page_to_the_open_project(qtbot: QtBot, window: MainWindow
                                                         ) -> None:
    before = state(window.document.project)
    window.action("welcome").trigger()  # Help > Welcome page with a project open
    assert not any(part.isVisible() for part in live_parts(window))
    back = window.welcome.back_button
    assert back.isVisible() and back.text() == "Back to 'Sample'"
    qtbot.mouseClick(back, LEFT)
    assert not window.is_welcome_shown()
    assert all(part.isVisible() for part in live_parts(window))
    assert state(window.document.project) == before

    window.action("welcome").trigger()
    qtbot.keyClick(window.welcome, Qt.Key.Key_Escape)
    assert not window.is_welcome_shown()


def test_closing_on_the_welcome_page_keeps_the_docks_for_next_time(
        qtbot: QtBot, recovery_folder: str) -> None:
    first = MainWindow(ProjectDocument(sample_project()), recovery_folder=recovery_folder)
    qtbot.addWidget(first)
    first.show()
    first.show_welcome(back=False)
    first.close()
    saved = QSettings().value("window/state")
    assert isinstance(saved, QByteArray)
    second = MainWindow(ProjectDocument(sample_project()), recovery_folder=recovery_folder)
    qtbot.addWidget(second)
    second.show()
    shown = [dock.objectName() for dock in second.findChildren(QDockWidget) if dock.isVisible()]
    assert "InspectorDock" in shown and "AnalysisDock" in shown
