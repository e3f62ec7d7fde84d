"""File > Export…'s options: each format shows only its own (the PNG's width, the PDF's
pages and orientation, the poster's paper, tiles and overlap), set with real keys, and
the app's paged PDF holds what `cx-mapper export --page A4 --landscape` writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from cx_mapper.cli import main
from cx_mapper.persistence.json_format import write_project
from cx_mapper.ui.export.export_dialog import ExportChoice, ExportDialog
from cx_mapper.ui.export.export_preview import PREVIEW_LIMIT
from cx_mapper.ui.export.formats import ExportOptions
from cx_mapper.ui.look.palette import contrast
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.main_window import MainWindow
from tests.benchmarks.journeys import random_journey
from tests.factories import RETAIL_SAMPLE
from tests.ui.export.dialogs import shown_dialog


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
    shown = shown_dialog(qtbot, ExportChoice(".png", str(tmp_path / "r.png")))
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
    shown = shown_dialog(qtbot, ExportChoice(".png", str(tmp_path / "r.png")))
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
    shown = shown_dialog(qtbot, ExportChoice(".pdf", str(tmp_path / "r.pdf"), last))
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


def wait_analysed(qtbot: QtBot, window: MainWindow) -> None:
    journey = window.tabs.journey_id
    qtbot.waitUntil(lambda: window.document.analysis.analysis(journey) is not None,
                    timeout=30_000)


def preview_shape(qtbot: QtBot, shown: ExportDialog) -> float | None:
    """The shown preview's height over its width, once it settles; None when hidden."""
    qtbot.wait(250)  # the preview waits for the options to settle
    if shown.preview_label.isHidden():
        return None
    pixmap = shown.preview_label.pixmap()
    assert not pixmap.isNull()
    return pixmap.height() / pixmap.width()


def test_the_preview_shows_the_first_page_of_the_paper_chosen(
        qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    assert window.open_location(str(RETAIL_SAMPLE))
    wait_analysed(qtbot, window)
    shown = shown_dialog(qtbot, ExportChoice(".pdf", str(tmp_path / "r.pdf"),
                                             ExportOptions(page="A4")),
                         preview=window.exporter.preview)
    assert preview_shape(qtbot, shown) == pytest.approx(297 / 210, rel=0.02)
    assert "the export adds the intervals and the plan" in shown.preview_note.text()
    pick(qtbot, shown.turn_box, "Landscape")
    assert preview_shape(qtbot, shown) == pytest.approx(210 / 297, rel=0.02)
    pick(qtbot, shown.format_box, "PDF poster of the map")
    pick(qtbot, shown.paper_box, "A0")
    pick(qtbot, shown.turn_box, "Portrait")
    assert preview_shape(qtbot, shown) == pytest.approx(1189 / 841, rel=0.02)
    assert shown.preview_note.text() == "The poster."
    type_into(qtbot, shown.across_box, "3")  # the whole poster, its sheets outlined
    assert preview_shape(qtbot, shown) < 1  # three sheets across, fewer down
    assert "each sheet's own part outlined" in shown.preview_note.text()
    type_into(qtbot, shown.across_box, "1")
    pick(qtbot, shown.format_box, "Excel")
    assert preview_shape(qtbot, shown) is None  # a workbook has no page to show
    pick(qtbot, shown.format_box, "PNG")
    assert preview_shape(qtbot, shown) == pytest.approx(2 ** 0.5, rel=0.02)
    # Not blank: the page's top holds the header, the figures and the map.
    image = shown.preview_label.pixmap().toImage()
    colours = {image.pixel(x, y) for x in range(0, image.width(), 4)
               for y in range(0, image.height(), 4)}
    assert len(colours) > 20


def test_a_big_map_has_no_preview(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    project = random_journey(PREVIEW_LIMIT + 1)
    path = tmp_path / "big.json"
    write_project(project, path)
    assert window.open_location(str(path))
    qtbot.waitUntil(lambda: window.document.path == path, timeout=30_000)  # read on a worker
    wait_analysed(qtbot, window)
    assert len(window.document.journey(window.tabs.journey_id or "").touchpoints) == 401
    assert window.exporter.preview(ExportChoice(".pdf", str(tmp_path / "b.pdf"))) is None


@pytest.mark.parametrize("theme_name", ["light", "dark"])
def test_every_format_in_both_themes_reads_and_previews(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, theme_name: str) -> None:
    """Each row picked with the keys in either theme: its words read at WCAG AA against
    the dialog, and the preview is white paper (the export's own look) or hidden."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme = ThemeManager(app)
    try:
        theme.set_choice(theme_name)
        assert window.open_location(str(RETAIL_SAMPLE))
        wait_analysed(qtbot, window)
        shown = shown_dialog(qtbot, ExportChoice(".png", str(tmp_path / "r.png")),
                             preview=window.exporter.preview)
        box = shown.format_box
        for row in range(box.count()):
            pick(qtbot, box, box.itemText(row))
            shape = preview_shape(qtbot, shown)
            extension = box.currentData()[0]
            assert (shape is None) == (extension in (".xlsx", ".csv", ".pptx", ".html"))
            for label in (shown.hint, shown.preview_note):
                if label.isVisible():
                    ink = label.palette().color(label.foregroundRole())
                    ground = shown.palette().color(shown.backgroundRole())
                    assert contrast(ink, ground) >= 4.5, (theme_name, label.text())
            if shape is not None:  # the export's own light page, in either theme
                image = shown.preview_label.pixmap().toImage()
                light = [image.pixelColor(x, y).lightness()
                         for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)]
                assert sum(light) / len(light) > 200, (theme_name, box.currentText())
    finally:
        theme.set_choice("system")


@pytest.mark.parametrize("action", ["new", "new_blank"])
def test_a_new_project_previews_and_exports_or_says_why_not(
        qtbot: QtBot, window: MainWindow, tmp_path: Path, action: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """File > New (the five-stage template, with its touchpoints) previews each page
    format and exports; a new blank project's journey has no touchpoints: no preview on
    any format, and Export says in one line why it cannot, writing nothing."""
    window.action(action).trigger()
    journey = window.tabs.journey_id
    assert journey is not None
    blank = not window.document.journey(journey).touchpoints
    assert blank == (action == "new_blank")
    if not blank:
        wait_analysed(qtbot, window)
    shown = shown_dialog(qtbot, ExportChoice(".pdf", str(tmp_path / "new.pdf")),
                         preview=window.exporter.preview)
    box = shown.format_box
    for row in range(box.count()):
        pick(qtbot, box, box.itemText(row))
        paged = box.currentData()[0] in (".png", ".pdf", ".svg")
        assert (preview_shape(qtbot, shown) is not None) == (paged and not blank)
    errors: list[str] = []
    monkeypatch.setattr(window.files, "show_error", errors.append)
    out = tmp_path / "new.pdf"
    window.ask_export = lambda _s: ExportChoice(".pdf", str(out))  # type: ignore[method-assign]
    window.action("export").trigger()
    qtbot.waitUntil(lambda: not window.exporter.is_busy(), timeout=30_000)
    if blank:
        (message,) = errors
        assert message.startswith("Cannot export this journey:") and "\n" not in message
        assert not out.exists()
    else:
        assert errors == [] and out.read_bytes().startswith(b"%PDF")
