"""Opening a big project: read off the GUI thread, then drawn in slices, with progress
the whole time and a Cancel that leaves the open project alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from cx_mapper.persistence.project_file import save_project
from cx_mapper.ui.files import open_save
from cx_mapper.ui.main_window import MainWindow
from tests.benchmarks.journeys import random_journey

pytestmark = pytest.mark.usefixtures("no_modal_questions")


@pytest.fixture
def big_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A 300-touchpoint project, read on a worker as a bigger file would be."""
    path = tmp_path / "big.cxmap"
    save_project(random_journey(300, transitions_per_touchpoint=5, seed=4), path)
    monkeypatch.setattr(open_save, "READ_IN_BACKGROUND_FROM", 1)
    return str(path)


def test_a_big_file_opens_with_progress_and_the_window_live(
        qtbot: QtBot, window: MainWindow, big_file: str) -> None:
    old = window.document.project
    texts: list[str] = []
    show = window.progress.show_progress

    def shown(owner: object, text: str, *args: object) -> None:
        texts.append(text)
        show(owner, text, *args)  # type: ignore[arg-type]

    window.progress.show_progress = shown  # type: ignore[method-assign, assignment]
    turns: list[int] = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: turns.append(1))
    heartbeat.start(0)
    assert window.files.open(big_file)
    assert window.document.project is old, "read on a worker: nothing replaced yet"
    assert window.progress.is_busy() and window.progress.text() == "Opening big.cxmap…"
    assert window.progress.fraction() is None  # busy: a read has no known end
    qtbot.waitUntil(lambda: window.document.project is not old, timeout=20_000)
    scene = window.tabs.scene
    assert scene is not None
    qtbot.waitUntil(lambda: not scene.is_drawing() and not window.progress.is_busy(),
                    timeout=30_000)
    heartbeat.stop()
    assert texts[0] == "Opening big.cxmap…" and "Drawing the map…" in texts
    assert len(turns) > 3, "the event loop ran while the file was read and drawn"
    assert len(scene.cards()) == 300
    assert window.files.location == big_file
    assert not window.progress.isVisible()


def test_cancel_keeps_the_project_that_was_open(
        qtbot: QtBot, window: MainWindow, big_file: str) -> None:
    old = window.document.project
    assert window.files.open(big_file)
    cancel = window.progress.findChild(QPushButton)
    assert cancel is not None
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not window.files.is_opening() and not window.progress.isVisible()
    qtbot.wait(500)  # the read that was dropped finishes about now
    assert window.document.project is old
    assert window.files.location != big_file
