"""File > Export…: which format, where, and the format's options (the PNG's width, the
PDF's pages, the poster's paper and tiles).

The formats are formats.py's table, in its order, with the map alone beside the PDF
and SVG summaries; choosing one swaps the file name's extension and shows only its
options. CSV files go into a folder (kpis.csv, touchpoints.csv …), so its field asks
for a folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.exports.paper import PAPERS, SUMMARY_PAGES
from cx_mapper.ui.export.formats import FORMATS, MAP_ALONE, ExportOptions

#: The PNG's width, as `cx-mapper export --width` takes it.
MIN_WIDTH, MAX_WIDTH = 800, 6000
#: The format whose output is a folder of files.
FOLDER_FORMAT = ".csv"
PAGE_NAMES = {"tall": "One tall page"}
#: The preview's longer side, in pixels (export_preview.py draws it; the window imports
#: this module at start-up, so the drawing's libraries come only with the first preview).
PREVIEW_SIZE = 320


@dataclass(frozen=True)
class ExportChoice:
    """What the user asked for: the format (its extension), the file or folder, and the
    options (the width, the pages, the map alone …) as `cx-mapper export` takes them."""

    extension: str
    path: str
    options: ExportOptions = field(default_factory=ExportOptions)

    @property
    def width(self) -> int:
        return self.options.width

    @property
    def into_folder(self) -> bool:
        return self.extension == FOLDER_FORMAT


def with_format(choice: ExportChoice, extension: str) -> ExportChoice:
    """The same place for another format: report.png -> report.xlsx; a folder for CSV
    is the file's name without its extension, and back."""
    path = choice.path
    if choice.into_folder:
        path = path.rstrip("/\\") + extension if extension != FOLDER_FORMAT else path
    elif extension == FOLDER_FORMAT:
        path = os.path.splitext(path)[0]
    else:
        path = os.path.splitext(path)[0] + extension
    return replace(choice, extension=extension, path=path)


class ExportDialog(QDialog):
    """Format, place and the format's options; Export is enabled once there is a place."""

    def __init__(self, suggested: ExportChoice, *,
                 browse: Callable[[ExportChoice], str | None],
                 preview: Callable[[ExportChoice], tuple[QImage, str] | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._browse = browse
        self._preview = preview
        self._previewed: tuple[str, ExportOptions] | None = None
        # Options change with each key press in a spin box: draw once they settle.
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(150)
        self._preview_timer.timeout.connect(self._show_preview)
        self.preview_label = QLabel()
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignHCenter
                                        | Qt.AlignmentFlag.AlignTop)
        self.preview_label.setMinimumWidth(PREVIEW_SIZE + 8)
        self.preview_label.setVisible(False)
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.preview_note.setFixedWidth(PREVIEW_SIZE + 8)
        self.preview_note.setVisible(False)
        self._choice = suggested
        options = suggested.options
        self.format_box = QComboBox()
        for extension, found in FORMATS.items():
            self.format_box.addItem(f"{found.name} ({extension})", (extension, False))
            if extension in MAP_ALONE:
                self.format_box.addItem(f"{MAP_ALONE[extension][0]} ({extension})",
                                        (extension, True))
        self.path_edit = QLineEdit(suggested.path)
        self.path_edit.setMinimumWidth(420)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._on_browse)
        place = QHBoxLayout()
        place.addWidget(self.path_edit, 1)
        place.addWidget(self.browse_button)
        self.width_box = QSpinBox()
        self.width_box.setRange(MIN_WIDTH, MAX_WIDTH)
        self.width_box.setSingleStep(200)
        self.width_box.setSuffix(" px")
        self.width_box.setValue(options.width)
        self.page_box = QComboBox()
        for page in SUMMARY_PAGES:
            self.page_box.addItem(PAGE_NAMES.get(page, page), page)
        self.page_box.setCurrentIndex(SUMMARY_PAGES.index(options.page))
        self.paper_box = QComboBox()
        for paper in PAPERS:
            self.paper_box.addItem(paper, paper)
        self.paper_box.setCurrentIndex(list(PAPERS).index(options.paper))
        self.turn_box = QComboBox()
        self.turn_box.addItems(["Portrait", "Landscape"])
        self.turn_box.setCurrentIndex(int(options.landscape))
        self.across_box = QSpinBox()
        self.across_box.setRange(1, 20)
        self.across_box.setSpecialValueText("Fit on one page")
        self.across_box.setSuffix(" pages across")
        self.across_box.setValue(options.across)
        self.overlap_box = QSpinBox()
        self.overlap_box.setRange(0, 50)
        self.overlap_box.setSuffix(" mm")
        self.overlap_box.setValue(round(options.overlap_mm))
        self.place_label = QLabel("File:")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = self.form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow(self.place_label, place)
        form.addRow("Width:", self.width_box)
        form.addRow("Pages:", self.page_box)
        form.addRow("Paper:", self.paper_box)
        form.addRow("Orientation:", self.turn_box)
        form.addRow("Tiles:", self.across_box)
        form.addRow("Overlap:", self.overlap_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addWidget(self.hint)
        column.addStretch(1)
        sides = QHBoxLayout()
        sides.addLayout(column, 1)
        shown = QVBoxLayout()
        shown.addWidget(self.preview_label)
        shown.addWidget(self.preview_note)
        shown.addStretch(1)
        sides.addLayout(shown)
        layout = QVBoxLayout(self)
        layout.addLayout(sides)
        layout.addWidget(self.buttons)
        rows = [self.format_box.itemData(row) for row in range(self.format_box.count())]
        self.format_box.setCurrentIndex(rows.index((suggested.extension, options.map_alone)))
        self.format_box.currentIndexChanged.connect(self._on_format)
        self.path_edit.textChanged.connect(self._update)
        for box in (self.page_box, self.turn_box):
            box.currentIndexChanged.connect(self._update)
        self.across_box.valueChanged.connect(self._update)
        self.paper_box.currentIndexChanged.connect(self._update)
        self._update()
        self._show_preview()

    def choice(self) -> ExportChoice:
        extension, map_alone = self.format_box.currentData()
        options = ExportOptions(
            width=self.width_box.value(), page=self.page_box.currentData(),
            landscape=self.turn_box.currentIndex() == 1, map_alone=map_alone,
            paper=self.paper_box.currentData(), across=self.across_box.value(),
            overlap_mm=float(self.overlap_box.value()))
        return ExportChoice(extension, self.path_edit.text().strip(), options)

    def _on_format(self) -> None:
        previous = replace(self._choice, path=self.path_edit.text().strip())
        self._choice = with_format(previous, self.format_box.currentData()[0])
        self.path_edit.setText(self._choice.path)
        self._update()

    def _on_browse(self) -> None:
        path = self._browse(self.choice())
        if path:
            self.path_edit.setText(path)

    def _update(self) -> None:
        """Show only the chosen format's options."""
        choice = self.choice()
        options = choice.options
        poster = choice.extension == ".pdf" and options.map_alone
        summary_pdf = choice.extension == ".pdf" and not options.map_alone
        shown = {self.width_box: choice.extension == ".png", self.page_box: summary_pdf,
                 self.paper_box: poster, self.across_box: poster, self.overlap_box: poster,
                 self.turn_box: poster or (summary_pdf and options.page != "tall")}
        for box, visible in shown.items():
            self.form.setRowVisible(box, visible)
            box.setEnabled(visible)
        self.overlap_box.setEnabled(poster and options.across > 1)
        self.place_label.setText("Folder:" if choice.into_folder else "File:")
        about = (MAP_ALONE[choice.extension][1] if options.map_alone
                 else FORMATS[choice.extension].about)
        self.hint.setText(about)
        self.export_button.setEnabled(bool(choice.path))
        if self._preview is not None:
            self._preview_timer.start()
        self.adjustSize()

    def _show_preview(self) -> None:
        """The first page of what Export would write, when it is cheap to draw."""
        if self._preview is None:
            return
        choice = self.choice()
        wanted = (choice.extension, choice.options)
        if wanted == self._previewed:
            return
        self._previewed = wanted
        made = self._preview(choice)
        self.preview_label.setVisible(made is not None)
        self.preview_note.setVisible(made is not None)
        if made is not None:
            image, note = made
            self.preview_label.setPixmap(QPixmap.fromImage(image))
            self.preview_note.setText(note)
        self.adjustSize()


def ask_export(parent: QWidget, suggested: ExportChoice, *,
               browse: Callable[[ExportChoice], str | None],
               preview: Callable[[ExportChoice], tuple[QImage, str] | None] | None = None,
               ) -> ExportChoice | None:
    """File > Export…'s dialog, modal: the user's choice, or None when cancelled."""
    dialog = ExportDialog(suggested, browse=browse, preview=preview, parent=parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_export_path(parent: QWidget, choice: ExportChoice, folder: str) -> str | None:
    """The dialog's Browse…: a file of the format, or a folder for CSV files."""
    if choice.into_folder:
        return QFileDialog.getExistingDirectory(parent, "Export CSV files into", folder) or None
    from cx_mapper.ui.files.open_save import safe_file_name

    extension = choice.extension
    name = (MAP_ALONE[extension][0] if choice.options.map_alone
            else FORMATS[extension].name)
    suggested = safe_file_name(Path(choice.path).name) if choice.path else "export"
    path, _ = QFileDialog.getSaveFileName(parent, "Export", str(Path(folder) / suggested),
                                          f"{name} (*{extension})")
    if path and not path.lower().endswith(extension):
        path += extension
    return path or None
