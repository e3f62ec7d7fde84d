"""The import dialog's filters and its paths preview (README, "Import filters").

The filters choose the events an import uses: a date range (each end optional and
inclusive: the To date takes its whole day), one column's values, and the minimum
number of customers a path needs; the goal names the touchpoints that count as
conversion. The preview table shows the most common paths the import would find.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from cx_mapper.domain.variants import STEP_SEPARATOR, percent, shown_path
from cx_mapper.persistence.log_filters import LogFilters

NO_COLUMN = "(any value)"
#: One row of the paths preview: the steps by name, customers, share, conversion rate.
PathRow = tuple[Sequence[str], int, float, float | None]


def _values(text: str) -> tuple[str, ...]:
    """Comma-separated names, trimmed, empty ones left out."""
    return tuple(v.strip() for v in text.split(",") if v.strip())


class FiltersBox(QGroupBox):
    """Date range, a column's values, minimum path customers and the goal."""

    changed = Signal()

    def __init__(self, columns: Sequence[str], first_date: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Filters and goal", parent)
        self.setObjectName("importFilters")
        grid = QGridLayout(self)
        start = QDate(*(first_date or date.today()).timetuple()[:3])
        self.from_check = QCheckBox("From")
        self.from_check.setObjectName("filterFromOn")
        self.from_date = self._date_edit("filterFrom", start)
        self.to_check = QCheckBox("To")
        self.to_check.setObjectName("filterToOn")
        self.to_date = self._date_edit("filterTo", start)
        self.to_date.setToolTip("Inclusive: events of the whole day count")
        self.column_combo = QComboBox()
        self.column_combo.setObjectName("filterColumn")
        self.column_combo.addItem(NO_COLUMN, None)
        for column in columns:
            self.column_combo.addItem(column, column)
        self.values_edit = QLineEdit()
        self.values_edit.setObjectName("filterValues")
        self.values_edit.setPlaceholderText("values, separated by commas")
        self.min_spin = QSpinBox()
        self.min_spin.setObjectName("filterMinCustomers")
        self.min_spin.setRange(1, 1_000_000)
        self.min_spin.setToolTip("Leave out customers whose path fewer customers took")
        self.goal_edit = QLineEdit()
        self.goal_edit.setObjectName("goal")
        self.goal_edit.setPlaceholderText("touchpoint names, separated by commas")
        self.goal_edit.setToolTip("The touchpoints that count as conversion: paths stop "
                                  "before them, and the share who reach one is the path's "
                                  "conversion rate")
        grid.addWidget(self.from_check, 0, 0)
        grid.addWidget(self.from_date, 0, 1)
        grid.addWidget(self.to_check, 0, 2)
        grid.addWidget(self.to_date, 0, 3)
        grid.addWidget(QLabel("Paths of at least"), 0, 4)
        grid.addWidget(self.min_spin, 0, 5)
        grid.addWidget(QLabel("customers"), 0, 6)
        grid.addWidget(QLabel("Only where"), 1, 0)
        grid.addWidget(self.column_combo, 1, 1)
        grid.addWidget(QLabel("is"), 1, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.values_edit, 1, 3, 1, 5)
        goal_label = QLabel("Goal")
        goal_label.setBuddy(self.goal_edit)
        grid.addWidget(goal_label, 2, 0)
        grid.addWidget(self.goal_edit, 2, 1, 1, 7)
        grid.setColumnStretch(7, 1)  # the pickers keep their size; the texts take the rest
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.changed)
            edit.dateChanged.connect(self.changed)
        self.column_combo.currentIndexChanged.connect(self._on_column_changed)
        self.values_edit.textChanged.connect(self.changed)
        self.min_spin.valueChanged.connect(self.changed)
        self.goal_edit.textChanged.connect(self.changed)
        self._on_column_changed()

    @staticmethod
    def _date_edit(name: str, start: QDate) -> QDateEdit:
        edit = QDateEdit(start)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setEnabled(False)
        return edit

    def _on_column_changed(self) -> None:
        self.values_edit.setEnabled(self.column_combo.currentData() is not None)
        self.changed.emit()

    # -- what the user chose -------------------------------------------------------------
    def filters(self) -> LogFilters:
        since = _day(self.from_date) if self.from_check.isChecked() else None
        until = _day(self.to_date) if self.to_check.isChecked() else None
        column = self.column_combo.currentData()
        values = _values(self.values_edit.text())
        chosen = ((column, values),) if column is not None and values else ()
        return LogFilters(since, until, chosen, self.min_spin.value())

    def goals(self) -> tuple[str, ...]:
        return _values(self.goal_edit.text())

    def problem(self) -> str | None:
        """Why these filters cannot run, or None."""
        if self.column_combo.currentData() is not None and not _values(self.values_edit.text()):
            return f"Give the values of '{self.column_combo.currentText()}' to keep."
        if (self.from_check.isChecked() and self.to_check.isChecked()
                and self.from_date.date() > self.to_date.date()):
            return "The From date is after the To date."
        return None

    def set_busy(self, busy: bool) -> None:
        for widget in self.findChildren(QWidget):
            if widget in (self.from_date, self.to_date):
                widget.setEnabled(not busy and (self.from_check if widget is self.from_date
                                                else self.to_check).isChecked())
            elif widget is self.values_edit:
                widget.setEnabled(not busy and self.column_combo.currentData() is not None)
            else:
                widget.setEnabled(not busy)


def _day(edit: QDateEdit) -> date:
    chosen = edit.date()
    return date(chosen.year(), chosen.month(), chosen.day())


def first_date(rows: Sequence[Sequence[str | None]], column: int | None) -> date | None:
    """The first readable date of a column of the preview rows (the date pickers' start)."""
    if column is None:
        return None
    for row in rows:
        text = (row[column] or "").strip() if column < len(row) else ""
        try:
            return datetime.fromisoformat(text[:19]).date()
        except ValueError:
            continue
    return None


class PathsPreview(QTableWidget):
    """The most common paths: path, customers, share, conversion rate."""

    HEADERS = ("Path", "Customers", "Share", "Converts")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.HEADERS), parent)
        self.setObjectName("pathsPreview")
        self.setHorizontalHeaderLabels(self.HEADERS)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(22)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def show_paths(self, rows: Sequence[PathRow]) -> None:
        self.setRowCount(len(rows))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, (names, customers, share, rate) in enumerate(rows):
            path = QTableWidgetItem(shown_path(names))
            path.setToolTip(STEP_SEPARATOR.join(names) or shown_path(names))
            self.setItem(row, 0, path)
            for column, text in enumerate((f"{customers:,}", percent(share), percent(rate)),
                                          start=1):
                item = QTableWidgetItem(text)
                item.setTextAlignment(right)
                self.setItem(row, column, item)
