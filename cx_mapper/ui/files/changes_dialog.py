"""What refreshing a journey from data would change, shown before anything changes."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.refresh import TIME_FIELD, UPDATED, Change, figure, figures
from cx_mapper.ui.look.labels import ToneLabel

COLUMNS = ("Change", "Element", "What", "Before", "After")
_FIELD_WORDS = {TIME_FIELD: "median time"}
_WORDS = {"added": "Added", "updated": "Updated", "removed": "Removed",
          "not in data": "Not in the data"}


def before_after(change: Change) -> tuple[str, str]:
    """The two figures, with enough digits to differ; blank where there is none."""
    if change.field is None:
        return "", ""
    if change.kind == UPDATED:
        return figures(change.field, change.old, change.new)
    return (figure(change.field, change.old) if change.old is not None else "",
            figure(change.field, change.new) if change.new is not None else "")


def summary(changes: Sequence[Change]) -> str:
    """One sentence: how many of each kind of change."""
    kinds = Counter(change.kind for change in changes)
    parts = [f"{count} {_WORDS.get(kind, kind).lower()}" for kind, count in kinds.items()]
    return f"{len(changes)} change{'s' * (len(changes) != 1)}: " + ", ".join(parts) + "."


class _Item(QTableWidgetItem):
    """A cell that sorts by a number when it has one (so 9.5% comes before 12%)."""

    def __init__(self, text: str, key: float | None = None) -> None:
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        if isinstance(other, _Item) and (self.key is not None or other.key is not None):
            mine = self.key if self.key is not None else float("-inf")
            theirs = other.key if other.key is not None else float("-inf")
            return mine < theirs
        return super().__lt__(other)


class ChangesDialog(QDialog):
    """A table of the changes; Apply makes them one undo step."""

    def __init__(self, changes: Sequence[Change], journey_name: str, source: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Update '{journey_name}' from {source}")
        self.setObjectName("ChangesDialog")
        layout = QVBoxLayout(self)
        heading = QLabel(f"<b>{summary(changes)}</b>")
        heading.setObjectName("changesSummary")
        layout.addWidget(heading)
        layout.addWidget(ToneLabel(
            "Positions, notes, stages and channels stay as drawn. Touchpoints the data does "
            "not mention keep their figures and transitions. Undo (Ctrl+Z) takes the whole "
            "update back."))
        self.table = QTableWidget(len(changes), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, change in enumerate(changes):
            cells = (_WORDS.get(change.kind, change.kind), change.name or change.element_id,
                     _FIELD_WORDS.get(change.field or "", change.field or change.element),
                     *before_after(change))
            keys = (None, None, None, change.old, change.new)
            for column, text in enumerate(cells):
                item = _Item(text, keys[column])
                item.setToolTip(change.describe())
                if column >= 3:
                    item.setTextAlignment(right)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the refresh's order first
        self.table.setSortingEnabled(True)  # click a header to sort, e.g. by After
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 480)

    def rows(self) -> list[tuple[str, ...]]:
        """The table's text, row by row (for tests and screen readers alike)."""
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [tuple(text(r, c) for c in range(self.table.columnCount()))
                for r in range(self.table.rowCount())]
