"""File > Import data: column mapping with a preview, new journeys, refreshes, path data."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from cx_mapper.domain.refresh import Refresh
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import LogColumns, read_event_log
from cx_mapper.ui.files.changes_dialog import ChangesDialog
from cx_mapper.ui.files.import_dialog import NONE, ImportDialog
from cx_mapper.ui.main_window import MainWindow
from tests.factories import state

LOG = """Customer ID,Event time,Activity,CSAT,Shared,Revenue
c1,2026-01-01 10:00,Ad,4,no,
c1,2026-01-02 10:00,Store,5,yes,30
c2,2026-01-01 11:00,Ad,2,no,
c2,2026-01-03 09:00,Site,3,no,
c2,2026-01-04 09:00,Store,4,no,20
c3,2026-01-02 08:00,Site,1,yes,
"""
#: The MODEL.md reference: P(conv) 1/3; removal effects C1 0.5, C2 1, C3 1.
PATHS = "path;total_conversions;total_conversion_value;total_null\n" \
        "C1 > C2 > C3;1;10;0\nC1;0;0;1\nC2 > C3;0;0;1\n"


#: Closing a modified window discards rather than asking (tests/ui/conftest.py).
pytestmark = pytest.mark.usefixtures("no_modal_questions")


@pytest.fixture
def errors(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(window.files, "show_error", shown.append)
    return shown


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def open_dialog(window: MainWindow, path: str) -> ImportDialog:
    window.importer.ask_path = lambda: path  # type: ignore[method-assign]
    window.action("import_data").trigger()
    dialog = window.importer.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def click_import(qtbot: QtBot, dialog: ImportDialog) -> None:
    assert dialog.import_button.isEnabled(), dialog.import_button.toolTip()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)


def test_the_dialog_guesses_the_columns_and_previews_the_rows(
        window: MainWindow, tmp_path: Path) -> None:
    dialog = open_dialog(window, write(tmp_path, "visits.csv", LOG))
    assert dialog.columns() == LogColumns("Customer ID", "Event time", "Activity", "CSAT",
                                          "Shared", "Revenue")
    assert dialog.table.rowCount() == 6 and dialog.table.columnCount() == 6
    assert dialog.table.item(1, 2).text() == "Store"
    assert dialog.table.horizontalHeaderItem(2).text() == "Activity\n→ Touchpoint"
    assert dialog.name_edit.text() == "From visits"
    assert dialog.windowTitle() == "Import data — visits.csv"


def test_import_needs_each_required_column_once(window: MainWindow, tmp_path: Path) -> None:
    dialog = open_dialog(window, write(tmp_path, "visits.csv", LOG))
    combo = dialog.combos["customer"]
    combo.setCurrentIndex(combo.findData("Activity"))
    assert not dialog.import_button.isEnabled()
    assert dialog.problem() == ("'Activity' is chosen for both the customer id and the "
                                "touchpoint.")
    combo.setCurrentIndex(combo.findData("Customer ID"))
    satisfaction = dialog.combos["satisfaction"]
    satisfaction.setCurrentIndex(satisfaction.findText(NONE))
    assert dialog.import_button.isEnabled()
    assert dialog.columns().satisfaction is None


def test_importing_a_log_adds_a_laid_out_journey_as_one_step(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = write(tmp_path, "visits.csv", LOG)
    before = state(window.document.project)
    dialog = open_dialog(window, path)
    columns = dialog.columns()
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: len(window.document.project.journeys) == 2)
    assert window.importer.dialog is None  # closed
    added = window.document.project.journeys[1]
    expected = read_event_log(path, columns).journey
    assert added.name == "From visits"
    assert window.tabs.journey_id == added.id
    assert {k: t.probability for k, t in added.transitions.items()} == {
        k: t.probability for k, t in expected.transitions.items()}
    assert [t.satisfaction for t in added.touchpoints.values()] == [
        t.satisfaction for t in expected.touchpoints.values()]
    positions = {(t.x, t.y) for t in added.touchpoints.values()}
    assert len(positions) == len(added.touchpoints)  # laid out, not stacked
    assert "Imported visits.csv" in window.statusBar().currentMessage()
    window.document.undo_stack.undo()
    assert state(window.document.project) == before


def test_a_bad_row_is_reported_in_the_dialog_which_stays_open(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    path = write(tmp_path, "visits.csv", LOG + "c4,not a date,Ad,3,no,\n")
    dialog = open_dialog(window, path)
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.message.isVisible())
    with pytest.raises(ProjectFileError) as raised:
        read_event_log(path, dialog.columns())
    assert dialog.message.text() == str(raised.value)  # the CLI's words
    assert "row 7" in dialog.message.text()
    assert dialog.isVisible() and len(window.document.project.journeys) == 1
    dialog.skip_check.setChecked(True)
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: len(window.document.project.journeys) == 2)
    status = window.statusBar().currentMessage()
    assert "bad row" in status and "skipped" in status


def test_a_file_that_cannot_be_read_is_named_in_an_error(
        window: MainWindow, errors: list[str], tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("customer_id,timestamp,touchpoint\nc1,2026-01-01,Caf\xe9\n".encode("latin-1"))
    window.importer.ask_path = lambda: str(path)  # type: ignore[method-assign]
    window.action("import_data").trigger()
    assert window.importer.dialog is None
    assert len(errors) == 1 and str(path) in errors[0] and "UTF-8" in errors[0]


def test_refreshing_a_journey_keeps_its_layout_and_notes_and_shows_the_changes(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    first = write(tmp_path, "january.csv", LOG)
    dialog = open_dialog(window, first)
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: len(window.document.project.journeys) == 2)
    journey_id = window.document.project.journeys[1].id
    document = window.document
    document.move_touchpoints(journey_id, {"ad": (500.0, 300.0)})
    document.set_touchpoint_fields(journey_id, ["store"], notes="Flagship only")
    before = state(document.project)
    steps = document.undo_stack.count()

    shown: list[Refresh] = []

    def accept(refresh: Refresh, name: str, source: str) -> bool:
        shown.append(refresh)
        dialog = ChangesDialog(refresh.changes, name, source, window)
        assert dialog.table.rowCount() == len(refresh.changes)
        dialog.deleteLater()
        return True

    window.importer.ask_apply = accept  # type: ignore[method-assign]
    second = write(tmp_path, "february.csv", LOG + "c3,2026-01-03 08:00,Club,5,yes,\n")
    dialog = open_dialog(window, second)
    dialog.update_radio.setChecked(True)
    dialog.journey_combo.setCurrentIndex(dialog.journey_combo.findData(journey_id))
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: bool(shown))
    journey = document.journey(journey_id)
    assert (journey.touchpoint("ad").x, journey.touchpoint("ad").y) == (500.0, 300.0)
    assert journey.touchpoint("store").notes == "Flagship only"
    assert "club" in journey.touchpoints and ("site", "club") in journey.transitions
    assert any(c.kind == "added" and c.element == "touchpoint" for c in shown[0].changes)
    assert document.undo_stack.count() == steps + 1
    document.undo_stack.undo()
    assert state(document.project) == before


def test_path_data_becomes_a_journey_with_removal_effects(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(window, write(tmp_path, "paths.csv", PATHS))
    assert dialog.kind == "paths" and not dialog.combos
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: len(window.document.project.journeys) == 2)
    journey = window.document.project.journeys[1]
    panel = window.analysis
    qtbot.waitUntil(lambda: panel.result is not None and panel.result.journey_id == journey.id)
    result = panel.result
    effects = {tid: result.touchpoint(tid).removal_effect for tid in ("c1", "c2", "c3")}
    assert effects == pytest.approx({"c1": 0.5, "c2": 1.0, "c3": 1.0})
    assert result.totals.conversion_probability == pytest.approx(1 / 3)
    from cx_mapper.ui.analysis.touchpoint_table import COLUMNS
    row = result.ids.index("c1")
    assert panel.table.text(row, COLUMNS.index("Removal effect")) == "50.0%"


def test_the_changes_table_keeps_the_refresh_order_and_sorts_figures_as_numbers(
        qtbot: QtBot) -> None:
    from cx_mapper.domain.refresh import Change

    changes = [Change("updated", "touchpoint", "a", "Ad", "visibility", 0.05, 0.12),
               Change("updated", "touchpoint", "b", "Buy", "visibility", 0.3, 0.095),
               Change("added", "touchpoint", "c", "Club", None, None, None)]
    dialog = ChangesDialog(changes, "Current state", "visits.csv")
    qtbot.addWidget(dialog)
    assert [row[1] for row in dialog.rows()] == ["Ad", "Buy", "Club"]
    assert dialog.rows()[0][3:] == ("5.0%", "12.0%")
    dialog.table.sortItems(4, Qt.SortOrder.DescendingOrder)
    assert [row[4] for row in dialog.rows()] == ["12.0%", "9.5%", ""]
    assert dialog.windowTitle() == "Update 'Current state' from visits.csv"
    assert dialog.findChild(QLabel, "changesSummary").text() == (
        "<b>3 changes: 2 updated, 1 added.</b>")


def test_cancelling_while_the_estimate_runs_adds_nothing(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    before = state(window.document.project)
    dialog = open_dialog(window, write(tmp_path, "visits.csv", LOG))
    click_import(qtbot, dialog)
    assert dialog.is_busy() and dialog.progress.isVisible()
    assert not dialog.import_button.isEnabled()
    dialog.reject()  # before the result can be delivered
    qtbot.wait(800)
    assert state(window.document.project) == before
    assert window.document.undo_stack.count() == 0


def test_new_path_data_refreshes_a_path_journey_and_its_goal_value(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(window, write(tmp_path, "paths.csv", PATHS))
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: len(window.document.project.journeys) == 2)
    document = window.document
    journey_id = document.project.journeys[1].id
    document.move_touchpoints(journey_id, {"c1": (900.0, 400.0)})
    goal = next(t.id for t in document.journey(journey_id).touchpoints.values() if t.conversion)
    window.importer.ask_apply = lambda *_args: True  # type: ignore[method-assign]
    later = PATHS.replace("C1 > C2 > C3;1;10;0", "C1 > C2 > C3;3;45;0")
    dialog = open_dialog(window, write(tmp_path, "later.csv", later))
    dialog.update_radio.setChecked(True)
    dialog.journey_combo.setCurrentIndex(dialog.journey_combo.findData(journey_id))
    click_import(qtbot, dialog)
    qtbot.waitUntil(lambda: document.journey(journey_id).conversions == 3)
    journey = document.journey(journey_id)
    assert (journey.touchpoint("c1").x, journey.touchpoint("c1").y) == (900.0, 400.0)
    assert journey.touchpoint(goal).value == 15.0  # 45 over 3 conversions
    assert journey.transition("c3", goal).probability == pytest.approx(3 / 4)
