"""File > Export…'s options: each format shows only its own (the PNG's width, the PDF's
pages and orientation, the poster's paper, tiles and overlap), set with real keys, and
the app's paged PDF holds what `cx-mapper export --page A4 --landscape` writes."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.cli import main
from cx_mapper.ui.export.export_dialog import ExportChoice, ExportDialog
from cx_mapper.ui.export.formats import ExportOptions
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE


def dialog(qtbot: QtBot, choice: ExportChoice) -> ExportDialog:
    shown = ExportDialog(choice, browse=lambda _c: None)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def pick(qtbot: QtBot, box: QComboBox, text: str) -> None:
    """Choose the item that starts with `text` with the arrow keys."""
    box.setFocus()
    wanted = next(row for row in range(box.count()) if box.itemText(row).startswith(text))
    key = Qt.Key.Key_Down if wanted > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != wanted:
        qtbot.keyClick(box, key)


def visible_options(shown: ExportDialog) -> set[str]:
    boxes = {"width": shown.width_box, "pages": shown.page_box, "paper": shown.paper_box,
             "orientation": shown.turn_box, "tiles": shown.across_box,
             "overlap": shown.overlap_box}
    return {name for name, box in boxes.items() if box.isVisible()}


def type_into(qtbot: QtBot, box: QWidget, text: str) -> None:
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box, text)


def test_each_format_shows_only_its_own_options(qtbot: QtBot, tmp_path: Path) -> None:
    shown = dialog(qtbot, ExportChoice(".png", str(tmp_path / "r.png")))
    assert visible_options(shown) == {"width"}
    pick(qtbot, shown.format_box, "PDF summary")
    assert visible_options(shown) == {"pages"}  # one tall page has no orientation
    pick(qtbot, shown.page_box, "A4")
    assert visible_options(shown) == {"pages", "orientation"}
    pick(qtbot, shown.format_box, "PDF poster of the map")
    assert visible_options(shown) == {"paper", "orientation", "tiles", "overlap"}
    assert "wall" in shown.hint.text()
    assert shown.path_edit.text() == str(tmp_path / "r.pdf")
    pick(qtbot, shown.format_box, "SVG of the map alone")
    assert visible_options(shown) == set()
    assert shown.path_edit.text() == str(tmp_path / "r.svg")
    pick(qtbot, shown.format_box, "Excel")
    assert visible_options(shown) == set()


def test_the_poster_options_are_the_choice(qtbot: QtBot, tmp_path: Path) -> None:
    shown = dialog(qtbot, ExportChoice(".png", str(tmp_path / "r.png")))
    pick(qtbot, shown.format_box, "PDF poster of the map")
    assert shown.across_box.text() == "Fit on one page"
    assert not shown.overlap_box.isEnabled()  # one page has nothing to overlap
    pick(qtbot, shown.paper_box, "A1")
    pick(qtbot, shown.turn_box, "Landscape")
    type_into(qtbot, shown.across_box, "3")
    assert shown.overlap_box.isEnabled()
    type_into(qtbot, shown.overlap_box, "15")
    with qtbot.waitSignal(shown.accepted):
        qtbot.mouseClick(shown.export_button, Qt.MouseButton.LeftButton)
    assert shown.choice() == ExportChoice(".pdf", str(tmp_path / "r.pdf"), ExportOptions(
        map_alone=True, paper="A1", landscape=True, across=3, overlap_mm=15.0))


def test_the_dialog_opens_on_the_options_last_chosen(qtbot: QtBot, tmp_path: Path) -> None:
    last = ExportOptions(page="Letter", landscape=True)
    shown = dialog(qtbot, ExportChoice(".pdf", str(tmp_path / "r.pdf"), last))
    assert shown.format_box.currentText().startswith("PDF summary")
    assert (shown.page_box.currentText(), shown.turn_box.currentText()) == ("Letter",
                                                                           "Landscape")
    assert shown.choice().options == last


def pdf_texts(path: Path) -> list[str]:
    return [re.sub(r"\s+", " ", page.extract_text()) for page in PdfReader(path).pages]


def test_the_apps_paged_pdf_holds_what_the_command_line_writes(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    assert window.open_location(str(RETAIL_SAMPLE))
    app_out = tmp_path / "app.pdf"

    def fill_in() -> None:
        shown = next(w for w in QApplication.topLevelWidgets()
                     if isinstance(w, ExportDialog) and w.isVisible())
        pick(qtbot, shown.format_box, "PDF summary")
        pick(qtbot, shown.page_box, "A4")
        pick(qtbot, shown.turn_box, "Landscape")
        type_into(qtbot, shown.path_edit, str(app_out))
        qtbot.mouseClick(shown.export_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill_in)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.exporter.is_busy(), timeout=30_000)
    message = window.statusBar().currentMessage()
    assert "Saved the summary of 'Current state'" in message and "A4 landscape pages" in message
    cli_out = tmp_path / "cli.pdf"
    assert main(["export", str(RETAIL_SAMPLE), str(cli_out), "--page", "A4",
                 "--landscape"]) == 0
    assert pdf_texts(app_out) == pdf_texts(cli_out)
    assert float(PdfReader(app_out).pages[0].mediabox.width) > 800  # landscape A4
