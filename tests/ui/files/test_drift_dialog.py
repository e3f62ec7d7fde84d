"""File > Check for drift…: pick a log, Check, read the verdict, the key figures and the
table of changes, with the check run off the GUI thread."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from cx_mapper.persistence.files import read_project
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.files.drift_dialog import DriftDialog
from cx_mapper.ui.main_window import MainWindow
from tests.engine.log_maker import walk, write_log

HOTEL = Path(__file__).parents[3] / "projects" / "hotel-stay.json"


@pytest.fixture
def hotel_window(qtbot: QtBot, recovery_folder: str, no_modal_questions: None) -> MainWindow:
    win = MainWindow(ProjectDocument(read_project(HOTEL)), recovery_folder=recovery_folder)
    qtbot.addWidget(win)
    win.resize(1300, 850)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_dialog(qtbot: QtBot, window: MainWindow) -> DriftDialog:
    window.action("check_drift").trigger()
    dialog = window.findChild(DriftDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def check(qtbot: QtBot, dialog: DriftDialog) -> None:
    qtbot.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert dialog.is_busy() and dialog.progress.isVisible()  # the GUI thread is free
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30_000)


def test_a_moved_log_shows_the_verdict_the_figures_and_the_changes(
        qtbot: QtBot, hotel_window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    journey = hotel_window.document.project.journeys[0]
    log = write_log(tmp_path / "moved.csv", walk(
        journey, 2000, 3, probabilities={("hotel_site", "book_direct"): 0.1},
        segments=hotel_window.document.project.segments))
    monkeypatch.setattr(DriftDialog, "ask_path", lambda _self: str(log))
    dialog = open_dialog(qtbot, hotel_window)
    assert not dialog.check_button.isEnabled()  # no log yet
    qtbot.mouseClick(dialog.browse_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(log)
    check(qtbot, dialog)

    assert not dialog.message.isVisible()
    assert dialog.verdict_label.text().startswith("Drift: 1 of ")
    assert "customer value −" in dialog.verdict_label.text()
    assert "Holm-corrected, alpha 0.01" in dialog.test_label.text()
    rows = {dialog.kpi_table.item(r, 0).text(): dialog.kpi_table.item(r, 3).text()
            for r in range(dialog.kpi_table.rowCount())}
    assert rows["Customer value"].startswith("−") and rows["Conversion"].endswith("pp")
    assert dialog.changes_table.rowCount() == 1
    assert dialog.changes_table.item(0, 0).text() == "Browses the hotel's website"
    assert "→ Books direct on the hotel site 30.0% →" in dialog.changes_table.item(0, 1).text()
    assert dialog.changes_table.item(0, 4).text().startswith("Customer value: −")


def test_a_log_like_the_journey_shows_no_drift_and_a_bad_one_says_why(
        qtbot: QtBot, hotel_window: MainWindow, tmp_path: Path) -> None:
    journey = hotel_window.document.project.journeys[0]
    same = write_log(tmp_path / "same.csv", walk(
        journey, 1500, 4, segments=hotel_window.document.project.segments))
    dialog = open_dialog(qtbot, hotel_window)
    qtbot.keyClicks(dialog.path_edit, str(same))
    check(qtbot, dialog)
    assert dialog.verdict_label.text().startswith("No drift: none of ")
    assert not dialog.changes_table.isVisible()

    bad = tmp_path / "bad.csv"
    bad.write_text("who,when,what\na,2026-01-01,Ad\n", encoding="utf-8")
    dialog.path_edit.clear()
    qtbot.keyClicks(dialog.path_edit, str(bad))
    check(qtbot, dialog)
    assert dialog.message.isVisible()
    assert "there is no column 'customer_id'" in dialog.message.text()
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Close),
                     Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: hotel_window.findChild(DriftDialog) is None)
