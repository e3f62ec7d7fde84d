"""File > Export…: the dialog with real keys and clicks, and each format from the app
holding the same content as `cx-mapper export` writes (PRODUCT.md "Sharing the work")."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from cx_mapper.cli import main
from cx_mapper.ui.export.export_dialog import ExportChoice, ExportDialog
from cx_mapper.ui.export.formats import ExportOptions
from cx_mapper.ui.main_window import MainWindow
from tests.factories import RETAIL_SAMPLE
from tests.ui.export.dialogs import shown_dialog

#: The dialog's rows: each format, and the map alone beside the PDF and SVG summaries.
FORMAT_ROWS = {".png": 0, ".pdf": 1, "poster": 2, ".svg": 3, "map.svg": 4, ".xlsx": 5,
               ".csv": 6, ".pptx": 7, ".html": 8}
ROW_DATA = {".png": (".png", False), ".pdf": (".pdf", False), "poster": (".pdf", True),
            ".svg": (".svg", False), "map.svg": (".svg", True), ".xlsx": (".xlsx", False),
            ".csv": (".csv", False), ".pptx": (".pptx", False), ".html": (".html", False)}


def choose_format(qtbot: QtBot, shown: ExportDialog, extension: str) -> None:
    """Pick a format with the keyboard, as a user tabbing through the dialog would."""
    box = shown.format_box
    box.setFocus()
    steps = FORMAT_ROWS[extension] - box.currentIndex()
    key = Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up
    for _ in range(abs(steps)):
        qtbot.keyClick(box, key)
    assert box.currentData() == ROW_DATA[extension]


def test_choosing_a_format_swaps_the_extension_and_csv_asks_for_a_folder(
        qtbot: QtBot, tmp_path: Path) -> None:
    shown = shown_dialog(qtbot, ExportChoice(".png", str(tmp_path / "Retail - Now.png")))
    assert shown.width_box.isEnabled() and shown.place_label.text() == "File:"
    choose_format(qtbot, shown, ".pdf")
    assert shown.path_edit.text() == str(tmp_path / "Retail - Now.pdf")
    assert not shown.width_box.isEnabled() and "select and search" in shown.hint.text()
    choose_format(qtbot, shown, ".xlsx")
    assert shown.path_edit.text() == str(tmp_path / "Retail - Now.xlsx")
    assert not shown.width_box.isEnabled()  # only the PNG has a width
    choose_format(qtbot, shown, ".csv")
    assert shown.path_edit.text() == str(tmp_path / "Retail - Now")
    assert shown.place_label.text() == "Folder:" and "kpis.csv" in shown.hint.text()
    choose_format(qtbot, shown, ".pptx")
    assert shown.path_edit.text() == str(tmp_path / "Retail - Now.pptx")


def test_export_needs_a_place_and_gives_the_choice(qtbot: QtBot, tmp_path: Path) -> None:
    shown = shown_dialog(qtbot, ExportChoice(".png", str(tmp_path / "a.png")))
    shown.path_edit.setFocus()
    qtbot.keyClick(shown.path_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(shown.path_edit, Qt.Key.Key_Delete)
    assert not shown.export_button.isEnabled()
    qtbot.keyClicks(shown.path_edit, str(tmp_path / "b.png"))
    shown.width_box.setFocus()
    qtbot.keyClick(shown.width_box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(shown.width_box, "1200")
    with qtbot.waitSignal(shown.accepted):
        qtbot.mouseClick(shown.export_button, Qt.MouseButton.LeftButton)
    assert shown.choice() == ExportChoice(".png", str(tmp_path / "b.png"),
                                          ExportOptions(width=1200))


# -- through the window, against the command line -----------------------------------------
def export_from_app(qtbot: QtBot, window: MainWindow, extension: str, path: Path) -> None:
    """Ctrl+E, pick the format and type the place in the dialog, click Export, wait."""
    seen: list[str] = []

    def fill_in() -> None:
        shown = QApplication.activeModalWidget()
        assert isinstance(shown, ExportDialog)
        choose_format(qtbot, shown, extension)
        shown.path_edit.setFocus()
        qtbot.keyClick(shown.path_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(shown.path_edit, str(path))
        qtbot.mouseClick(shown.export_button, Qt.MouseButton.LeftButton)

    def watch() -> None:
        seen.append(window.progress.text() if window.progress.is_busy() else "")

    QTimer.singleShot(0, fill_in)
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    watch()
    assert "Exporting 'Current state'" in seen[0]  # the strip shows the work going on
    qtbot.waitUntil(lambda: not window.exporter.is_busy(), timeout=30_000)
    assert not window.progress.is_busy()


#: The command line's options for a dialog row that is not the format's summary.
CLI_OPTIONS = {"map.svg": ["--page", "poster"], "poster": ["--page", "poster"]}


def cli_export(out: Path, row: str = "") -> None:
    assert main(["export", str(RETAIL_SAMPLE), str(out), *CLI_OPTIONS.get(row, [])]) == 0


def pdf_text(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def workbook_values(path: Path) -> dict[str, list[list[Any]]]:
    book = load_workbook(path)
    return {name: [[cell.value for cell in row] for row in book[name].iter_rows()]
            for name in book.sheetnames}


def deck_text(path: Path) -> list[list[str]]:
    slides = []
    for slide in Presentation(str(path)).slides:
        texts = [slide.notes_slide.notes_text_frame.text]
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append(texts)
    return slides


@pytest.mark.parametrize("row", [".xlsx", ".csv", ".pptx", ".png", ".pdf", ".svg",
                                 "map.svg", "poster", ".html"])
def test_each_format_from_the_app_holds_what_the_command_line_writes(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, row: str) -> None:
    extension = ROW_DATA[row][0]
    assert window.open_location(str(RETAIL_SAMPLE))
    app_out = tmp_path / "app" / ("tables" if extension == ".csv" else f"retail{extension}")
    app_out.parent.mkdir()
    export_from_app(qtbot, window, row, app_out)
    assert "Saved" in window.statusBar().currentMessage()
    cli_out = tmp_path / f"cli{extension}"
    cli_export(cli_out, row)
    if extension == ".xlsx":
        assert workbook_values(app_out) == workbook_values(cli_out)
    elif extension == ".csv":
        made = sorted(p.name for p in app_out.iterdir())
        assert "kpis.csv" in made and "touchpoints.csv" in made
        for name in made:
            assert (app_out / name).read_bytes() == (tmp_path / f"cli-{name}").read_bytes()
    elif extension == ".pptx":
        assert deck_text(app_out) == deck_text(cli_out)
    elif extension == ".pdf":
        assert pdf_text(app_out) == pdf_text(cli_out)
        poster = "Customer journey map ·" in pdf_text(app_out)[0]
        assert poster == (row == "poster")
    elif extension in (".svg", ".html"):  # the same drawing, to the byte
        assert app_out.read_bytes() == cli_out.read_bytes()
        assert (b"Top five touchpoints to fix" in app_out.read_bytes()) == (row != "map.svg")
    else:
        assert QImage(str(app_out)) == QImage(str(cli_out))


def test_a_place_that_cannot_be_written_says_so_in_one_line(
        qtbot: QtBot, window: MainWindow, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(window.files, "show_error", shown.append)
    out = tmp_path / "no such folder" / "retail.xlsx"
    window.ask_export = lambda _s: ExportChoice(".xlsx", str(out))  # type: ignore[method-assign]
    window.action("export").trigger()
    qtbot.waitUntil(lambda: not window.exporter.is_busy(), timeout=30_000)
    (message,) = shown
    assert message.startswith(f"{out}: cannot write the workbook") and "\n" not in message
    assert not out.parent.exists()
    assert window.action("export").isEnabled()


def test_the_workbook_of_the_app_is_valid_bytes(qtbot: QtBot, window: MainWindow,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "small.xlsx"
    window.ask_export = lambda _s: ExportChoice(".xlsx", str(out))  # type: ignore[method-assign]
    window.action("export").trigger()
    qtbot.waitUntil(lambda: not window.exporter.is_busy(), timeout=30_000)
    book = load_workbook(io.BytesIO(out.read_bytes()))
    assert book["KPIs"]["B2"].data_type == "n"
