"""File > Import data's filters, goal and paths preview, and the Analysis dock's Paths
tab, driven with the mouse and keyboard."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.domain.variants import PathVariant
from cx_mapper.ui.analysis.paths_view import NO_PATHS
from cx_mapper.ui.files.import_dialog import ImportDialog
from cx_mapper.ui.main_window import MainWindow
from tests.persistence.variant_logs import write_variant_log

pytestmark = pytest.mark.usefixtures("no_modal_questions")


def open_dialog(window: MainWindow, path: str) -> ImportDialog:
    window.importer.ask_path = lambda: path  # type: ignore[method-assign]
    window.action("import_data").trigger()
    dialog = window.importer.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def click(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isEnabled(), widget.toolTip()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClicks(widget, text)


def rows(table: object) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[attr-defined]
            for r in range(table.rowCount())]  # type: ignore[attr-defined]


def preview(qtbot: QtBot, dialog: ImportDialog) -> list[list[str]]:
    dialog.preview_tabs.setCurrentIndex(1)
    click(qtbot, dialog.paths_button)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=10_000)
    return rows(dialog.paths_table)


def test_the_paths_preview_shows_share_and_conversion_with_the_goal(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(window, str(write_variant_log(tmp_path)))
    assert dialog.filters_box is not None
    # The date pickers start at the log's first date.
    assert dialog.filters_box.from_date.date() == QDate(2026, 1, 1)
    type_into(qtbot, dialog.filters_box.goal_edit, "Buy")
    assert preview(qtbot, dialog) == [["Search > Site", "4", "50.0%", "75.0%"],
                                      ["Email", "2", "25.0%", "50.0%"],
                                      ["(no touchpoint before the goal)", "1", "12.5%", "100.0%"],
                                      ["Ad > Site", "1", "12.5%", "0.0%"]]
    assert "8 customers took 4 different paths" in dialog.paths_note.text()
    assert len(window.document.project.journeys) == 1  # a preview imports nothing


def test_each_filter_changes_the_preview(window: MainWindow, qtbot: QtBot,
                                         tmp_path: Path) -> None:
    dialog = open_dialog(window, str(write_variant_log(tmp_path)))
    box = dialog.filters_box
    assert box is not None
    # A column's values.
    box.column_combo.setCurrentIndex(box.column_combo.findData("market"))
    assert not dialog.paths_button.isEnabled()  # no values yet: said why
    assert dialog.paths_button.toolTip() == "Give the values of 'market' to keep."
    type_into(qtbot, box.values_edit, "FR")
    assert sorted(r[0] for r in preview(qtbot, dialog)) == ["Email", "Email > Buy",
                                                            "Search > Site"]
    box.column_combo.setCurrentIndex(0)
    # The date range, both ends inclusive.
    click(qtbot, box.from_check)
    click(qtbot, box.to_check)
    box.from_date.setDate(QDate(2026, 1, 2))
    box.to_date.setDate(QDate(2026, 1, 4))
    assert box.filters().since == date(2026, 1, 2)
    assert sorted(preview(qtbot, dialog)) == [["Search > Site", "1", "33.3%", "–"],
                                              ["Search > Site > Buy", "2", "66.7%", "–"]]
    box.from_date.setDate(QDate(2026, 1, 5))
    assert not dialog.import_button.isEnabled()
    assert dialog.import_button.toolTip() == "The From date is after the To date."
    click(qtbot, box.from_check)
    click(qtbot, box.to_check)
    # The minimum path frequency.
    box.min_spin.setFocus()
    box.min_spin.selectAll()
    qtbot.keyClicks(box.min_spin, "2")
    assert preview(qtbot, dialog) == [["Search > Site > Buy", "2", "100.0%", "–"]]


def test_a_goal_the_log_lacks_is_said_in_the_dialog(window: MainWindow, qtbot: QtBot,
                                                    tmp_path: Path) -> None:
    dialog = open_dialog(window, str(write_variant_log(tmp_path)))
    assert dialog.filters_box is not None
    type_into(qtbot, dialog.filters_box.goal_edit, "Purchase")
    assert preview(qtbot, dialog) == []
    assert "there is no touchpoint 'Purchase' in the log for the goal" in \
        dialog.message.text()
    assert dialog.isVisible()


def test_an_import_keeps_its_paths_and_the_paths_tab_shows_them(
        window: MainWindow, qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(window, str(write_variant_log(tmp_path)))
    assert dialog.filters_box is not None
    type_into(qtbot, dialog.filters_box.goal_edit, "Buy")
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: len(window.document.project.journeys) == 2, timeout=10_000)
    added = window.document.project.journeys[1]
    assert [(v.path, v.customers) for v in added.variants][:2] == [
        (("search", "site"), 4), (("email",), 2)]
    window.show_dock(window.analysis_dock, window.analysis)
    tabs = window.analysis.charts.tabs
    bar = tabs.tabBar()
    index = tabs.indexOf(window.analysis.paths)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert tabs.currentWidget() is window.analysis.paths
    view = window.analysis.paths
    assert rows(view.table)[0] == ["Search > Site", "4", "50.0%", "75.0%"]
    assert "taken by 100% of its 8 customers" in view.summary.text()
    assert "(Buy)" in view.summary.text()
    # Renaming a touchpoint renames it in the tab; undoing the import empties it.
    window.document.rename_touchpoint(added.id, "site", "Website")
    assert rows(view.table)[0][0] == "Search > Website"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert view.summary.text() == NO_PATHS and not view.table.isVisible()


def test_the_paths_tab_follows_the_journey_on_show(window: MainWindow, qtbot: QtBot) -> None:
    journey = window.document.project.journeys[0]
    first, second = list(journey.touchpoints)[:2]
    long_path = tuple([first, second] * 6)
    window.document.update_journey(journey.id, _with_variants(journey, (
        PathVariant(long_path, 30, 0.6, None), PathVariant((first,), 20, 0.4, None))),
        "paths")
    view = window.analysis.paths
    names = [journey.touchpoints[s].name for s in long_path]
    assert rows(view.table)[0][0] == " > ".join(
        [*names[:4], "… 4 more …", *names[-4:]])  # long paths shortened
    assert view.table.item(0, 0).toolTip() == " > ".join(names)  # in full on hover
    assert rows(view.table)[1][1:] == ["20", "40.0%", "–"]
    window.document.add_journey(name="Empty")
    window.tabs.show_journey(window.document.project.journeys[1].id)
    qtbot.waitUntil(lambda: view.summary.text() == NO_PATHS)


def _with_variants(journey, variants):  # type: ignore[no-untyped-def]
    copy = journey.copy()
    copy.variants = variants
    return copy
