"""The first-start page: recent projects, the samples, and new from a template.

Shown in place of the canvas when the app starts with no file; anything chosen
here goes through the same file actions as the menus.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.ui.look.resources import sample_projects

_ROLE_PATH = Qt.ItemDataRole.UserRole


def _sample_title(path: Path) -> tuple[str, str]:
    """The sample's project name and how many journeys it has, from its JSON."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        journeys = data.get("journeys", [])
        names = ", ".join(str(j.get("name", j.get("id", ""))) for j in journeys)
        return str(data.get("name", path.stem)), names
    except (OSError, ValueError, AttributeError):
        return path.stem, ""


class WelcomePage(QWidget):
    """Start here: open something or make something."""

    open_requested = Signal(str)  # a location
    open_dialog_requested = Signal()
    new_requested = Signal(bool)  # True: the five-stage template
    back_requested = Signal()  # to the open project

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel("CX Mapper")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setWeight(QFont.Weight.DemiBold)
        title.setFont(font)
        tagline = QLabel("Draw the journey your customers take, and see which touchpoint "
                         "builds loyalty, who hears about it, and what to fix first.")
        tagline.setWordWrap(True)

        self.template_button = template = QPushButton("New from the five-stage template")
        template.setToolTip("Awareness, Consideration, Purchase, Service and Loyalty, with a "
                            "starter touchpoint in each (Ctrl+N)")
        template.clicked.connect(lambda: self.new_requested.emit(True))
        self.blank_button = blank = QPushButton("New blank project")
        blank.setToolTip("An empty journey (Ctrl+Shift+N)")
        blank.clicked.connect(lambda: self.new_requested.emit(False))
        open_button = QPushButton("Open…")
        open_button.setToolTip("Open a .cxmap or .json project (Ctrl+O)")
        open_button.clicked.connect(self.open_dialog_requested)
        self.back_button = QPushButton()
        self.back_button.setToolTip("Close this page and go on with the open project (Esc)")
        self.back_button.clicked.connect(self.back_requested)
        self.back_button.hide()
        for button in (template, blank, open_button, self.back_button):
            button.setMinimumHeight(34)
        buttons = QHBoxLayout()
        buttons.addWidget(template)
        buttons.addWidget(blank)
        buttons.addWidget(open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)

        self.recent_list = self._list("No recent projects yet.")
        self.samples_list = self._list("No sample projects were installed.")
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.addWidget(self._heading("Recent projects"), 0, 0)
        grid.addWidget(self._heading("Sample projects"), 0, 1)
        grid.addWidget(self.recent_list, 1, 0)
        grid.addWidget(self.samples_list, 1, 1)

        column = QVBoxLayout()
        column.setSpacing(14)
        column.addWidget(title)
        column.addWidget(tagline)
        column.addLayout(buttons)
        column.addSpacing(10)
        column.addLayout(grid, 1)
        frame = QFrame()
        frame.setMaximumWidth(980)
        frame.setLayout(column)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 36, 40, 36)
        outer.addStretch(1)
        outer.addWidget(frame, 6)
        outer.addStretch(1)
        self.set_samples(sample_projects())

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        label.setFont(font)
        return label

    def _list(self, empty: str) -> QListWidget:
        widget = QListWidget()
        widget.setProperty("empty_text", empty)
        widget.setAlternatingRowColors(False)
        widget.setSpacing(2)
        widget.itemActivated.connect(self._on_item_activated)
        widget.itemClicked.connect(self._on_item_activated)
        return widget

    def set_back(self, project_name: str | None) -> None:
        """Offer a way back to the open project (None: there is none to go back to)."""
        self.back_button.setText(f"Back to '{project_name}'" if project_name else "")
        self.back_button.setVisible(project_name is not None)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and self.back_button.isVisible():
            self.back_requested.emit()
            return
        super().keyPressEvent(event)

    def set_recent(self, locations: Sequence[str]) -> None:
        self._fill(self.recent_list, [
            (Path(loc).name if "://" not in loc else loc, loc, loc) for loc in locations])

    def set_samples(self, paths: Sequence[Path]) -> None:
        rows = []
        for path in paths:
            name, journeys = _sample_title(path)
            rows.append((f"{name}\n{journeys}" if journeys else name, str(path), str(path)))
        self._fill(self.samples_list, rows)

    def _fill(self, widget: QListWidget, rows: Sequence[tuple[str, str, str]]) -> None:
        widget.clear()
        for text, tip, location in rows:
            item = QListWidgetItem(text)
            item.setToolTip(tip)
            item.setData(_ROLE_PATH, location)
            widget.addItem(item)
        if not rows:
            item = QListWidgetItem(str(widget.property("empty_text")))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        location = item.data(_ROLE_PATH)
        if location:
            self.open_requested.emit(str(location))
