"""File > Export…: which format, where, and (for the PNG) how wide.

The formats are formats.py's table, in its order; choosing one swaps the file name's
extension, and CSV files go into a folder (kpis.csv, touchpoints.csv …), so its
field asks for a folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

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

from cx_mapper.ui.export.formats import FORMATS

#: The PNG's width, as `cx-mapper export --width` takes it.
MIN_WIDTH, MAX_WIDTH = 800, 6000
#: The format whose output is a folder of files.
FOLDER_FORMAT = ".csv"


@dataclass(frozen=True)
class ExportChoice:
    """What the user asked for: the format (its extension), the file or folder, the width."""

    extension: str
    path: str
    width: int = 2400

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
    """Format, place and width; Export is enabled once there is a place."""

    def __init__(self, suggested: ExportChoice, *,
                 browse: Callable[[ExportChoice], str | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._browse = browse
        self._choice = suggested
        self.format_box = QComboBox()
        for extension, found in FORMATS.items():
            self.format_box.addItem(f"{found.name} ({extension})", extension)
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
        self.width_box.setValue(suggested.width)
        self.place_label = QLabel("File:")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Format:", self.format_box)
        form.addRow(self.place_label, place)
        form.addRow("Width:", self.width_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.format_box.setCurrentIndex(list(FORMATS).index(suggested.extension))
        self.format_box.currentIndexChanged.connect(self._on_format)
        self.path_edit.textChanged.connect(self._update)
        self._update()

    def choice(self) -> ExportChoice:
        extension = self.format_box.currentData()
        return ExportChoice(extension, self.path_edit.text().strip(), self.width_box.value())

    def _on_format(self) -> None:
        previous = replace(self._choice, path=self.path_edit.text().strip())
        self._choice = with_format(previous, self.format_box.currentData())
        self.path_edit.setText(self._choice.path)
        self._update()

    def _on_browse(self) -> None:
        path = self._browse(self.choice())
        if path:
            self.path_edit.setText(path)

    def _update(self) -> None:
        choice = self.choice()
        self.width_box.setEnabled(choice.extension == ".png")
        self.place_label.setText("Folder:" if choice.into_folder else "File:")
        self.hint.setText(FORMATS[choice.extension].about)
        self.export_button.setEnabled(bool(choice.path))



def ask_export(parent: QWidget, suggested: ExportChoice, *,
               browse: Callable[[ExportChoice], str | None]) -> ExportChoice | None:
    """File > Export…'s dialog, modal: the user's choice, or None when cancelled."""
    dialog = ExportDialog(suggested, browse=browse, parent=parent)
    return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_export_path(parent: QWidget, choice: ExportChoice, folder: str) -> str | None:
    """The dialog's Browse…: a file of the format, or a folder for CSV files."""
    if choice.into_folder:
        return QFileDialog.getExistingDirectory(parent, "Export CSV files into", folder) or None
    from cx_mapper.ui.files.open_save import safe_file_name

    extension = choice.extension
    suggested = safe_file_name(Path(choice.path).name) if choice.path else "export"
    path, _ = QFileDialog.getSaveFileName(parent, "Export", str(Path(folder) / suggested),
                                          f"{FORMATS[extension].name} (*{extension})")
    if path and not path.lower().endswith(extension):
        path += extension
    return path or None
