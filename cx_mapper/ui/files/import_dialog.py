"""File > Import data: say which column is which, see the first rows, choose where it goes.

An event log needs its columns mapped (customer, timestamp and touchpoint at least);
path data (`path;total_conversions;…`) is read as it is. The estimate runs off the GUI
thread, so a log of millions of rows never freezes the window; if it fails, the
message (the same one `cx-mapper import-log` prints) shows in the dialog, which
stays open so the mapping can be fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.persistence.event_log import LogColumns
from cx_mapper.persistence.log_filters import LogFilters
from cx_mapper.persistence.preview import PATHS, TablePreview, guess_columns
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background
from cx_mapper.ui.files.import_filters import FiltersBox, PathRow, PathsPreview, first_date
from cx_mapper.ui.look.labels import ToneLabel, muted_color

NONE = "(none)"

#: (LogColumns field, label, tooltip, required), in the order the form shows them.
ROLES: tuple[tuple[str, str, str, bool], ...] = (
    ("customer", "Customer id", "Whose event it is: one journey per customer", True),
    ("timestamp", "Timestamp", "When it happened; orders each customer's events", True),
    ("touchpoint", "Touchpoint", "Which interaction it was; becomes a card on the map", True),
    ("satisfaction", "Satisfaction", "CSAT 1–5, NPS 0–10 or −1..1; the touchpoint's mean",
     False),
    ("public", "Public flag", "True/yes/1 where the customer shared it publicly; the share "
     "becomes the touchpoint's social visibility", False),
    ("revenue", "Revenue", "Money per event; the mean becomes the touchpoint's value", False),
    ("stage", "Stage", "The journey stage (swimlane) of the touchpoint", False),
    ("channel", "Channel", "Where it happened (web, store, phone…)", False),
)
SCALES: tuple[tuple[str, str], ...] = (
    ("auto", "Detect from the values"), ("csat", "CSAT 1–5"), ("nps", "NPS 0–10"),
    ("unit", "−1..1"),
)


@dataclass(frozen=True)
class ImportRequest:
    """What the user chose: enough to run the estimate on a worker thread."""

    path: str
    kind: str
    columns: LogColumns
    scale: str
    skip_bad_rows: bool
    target: str | None  # the journey to update, or None for a new journey
    name: str
    filters: LogFilters = field(default_factory=LogFilters)
    #: Touchpoint names that count as conversion; `goals_required`: the user typed them
    #: (a name the log lacks is an error), else they are the updated journey's goals.
    goals: tuple[str, ...] = ()
    goals_required: bool = True


#: Works out the paths preview off the GUI thread: (rows, a line about them).
PathsFunction = Callable[[ImportRequest, Callable[[], bool]], tuple[Sequence[PathRow], str]]


class ImportDialog(QDialog):
    """The mapping, the preview and the destination; Import estimates in the background
    with the function given to `use_estimate`."""

    finished_import = Signal(object)  # the estimate's value, once it succeeded

    def __init__(
        self,
        preview: TablePreview,
        journeys: Sequence[tuple[str, str]],
        current: str | None = None,
        parent: QWidget | None = None,
        drawn_goals: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.kind = preview.kind
        self._task: Task | None = None
        self._paths_task: Task | None = None
        self._estimate: Callable[[ImportRequest, Callable[[], bool]], Any] | None = None
        self._paths: PathsFunction | None = None
        self._drawn_goals = dict(drawn_goals or {})
        file_name = Path(preview.path).name
        self.setWindowTitle(f"Import data — {file_name}")
        self.setObjectName("ImportDialog")

        layout = QVBoxLayout(self)
        intro = QLabel(self._intro(file_name))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.combos: dict[str, QComboBox] = {}
        self.scale_combo = QComboBox()
        self.skip_check = QCheckBox("Skip rows that cannot be used, and list them")
        self.filters_box: FiltersBox | None = None
        if self.kind != PATHS:
            layout.addWidget(self._mapping_box())
            self.filters_box = FiltersBox(preview.columns, self._first_date())
            self.filters_box.changed.connect(self._on_mapping_changed)
            layout.addWidget(self.filters_box)
        else:
            layout.addWidget(self.skip_check)

        # The file's first rows, and for a log the paths the import would find.
        self.preview_tabs = QTabWidget()
        self.preview_tabs.setDocumentMode(True)
        self.table = QTableWidget(len(preview.rows), len(preview.columns))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for row, values in enumerate(preview.rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem("" if value is None else value))
        self.preview_tabs.addTab(self.table, f"First {len(preview.rows)} rows")
        self.paths_table = PathsPreview()
        self.paths_button = QPushButton("Preview paths")
        self.paths_button.setObjectName("previewPaths")
        self.paths_button.setToolTip("Find the most common paths with these columns and "
                                     "filters, without importing")
        self.paths_button.clicked.connect(self._on_preview_paths_clicked)
        self.paths_note = ToneLabel("The most common paths show here: click Preview paths.")
        self.paths_note.setObjectName("pathsNote")
        self.paths_note.setWordWrap(True)
        if self.kind != PATHS:
            paths_page = QWidget()
            paths_layout = QVBoxLayout(paths_page)
            paths_layout.setContentsMargins(0, 4, 0, 0)
            paths_row = QHBoxLayout()
            paths_row.addWidget(self.paths_note, 1)
            paths_row.addWidget(self.paths_button)
            paths_layout.addLayout(paths_row)
            paths_layout.addWidget(self.paths_table, 1)
            self.preview_tabs.addTab(paths_page, "Paths")
        layout.addWidget(self.preview_tabs, 1)

        layout.addWidget(self._destination_box(journeys, current, file_name))

        self.message = ToneLabel("", "error")
        self.message.setObjectName("importMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout.addWidget(self.message)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()
        layout.addWidget(self.progress)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        for combo in self.combos.values():
            combo.currentIndexChanged.connect(self._on_mapping_changed)
        self._on_destination_changed()
        self._fit_columns()
        self.resize(920, 760 if self.kind != PATHS else 640)

    # -- building ----------------------------------------------------------------------
    def _intro(self, file_name: str) -> str:
        if self.kind == PATHS:
            return (f"<b>{file_name}</b> holds conversion paths: each row a path of channels "
                    "(<i>a &gt; b &gt; c</i>) with how many customers took it and converted "
                    "or not. They become a journey with a Conversion touchpoint, so the "
                    "analysis shows each channel's removal effect and attributed "
                    "conversions.")
        return (f"<b>{file_name}</b> is read as an event log: one row per interaction. "
                "Say which column holds what. Entry shares and transition probabilities "
                "come from the order of each customer's events; satisfaction, visibility "
                "and value from the optional columns.")

    def _mapping_box(self) -> QGroupBox:
        box = QGroupBox("Columns")
        grid = QGridLayout(box)
        guessed = guess_columns(self.preview.columns)
        half = (len(ROLES) + 1) // 2
        for index, (role, label, tip, required) in enumerate(ROLES):
            combo = QComboBox()
            combo.setObjectName(f"column_{role}")
            combo.setToolTip(tip)
            if not required:
                combo.addItem(NONE, None)
            for column in self.preview.columns:
                combo.addItem(column, column)
            chosen = getattr(guessed, role)
            at = combo.findData(chosen) if chosen is not None else -1
            combo.setCurrentIndex(at if at >= 0 else 0)
            self.combos[role] = combo
            caption = QLabel(f"{label}{' *' if required else ''}")
            caption.setToolTip(tip)
            caption.setBuddy(combo)
            row, pair = index % half, index // half
            grid.addWidget(caption, row, pair * 2)
            grid.addWidget(combo, row, pair * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        scale_row = QHBoxLayout()
        scale_label = QLabel("Satisfaction scale")
        for key, text in SCALES:
            self.scale_combo.addItem(text, key)
        self.scale_combo.setObjectName("scale")
        scale_label.setBuddy(self.scale_combo)
        scale_row.addWidget(scale_label)
        scale_row.addWidget(self.scale_combo)
        scale_row.addSpacing(24)
        scale_row.addWidget(self.skip_check)
        scale_row.addStretch(1)
        grid.addLayout(scale_row, half, 0, 1, 4)
        self.required_note = ToneLabel("* required. Each column can play one part only.")
        grid.addWidget(self.required_note, half + 1, 0, 1, 4)
        return box

    def _destination_box(self, journeys: Sequence[tuple[str, str]], current: str | None,
                         file_name: str) -> QGroupBox:
        box = QGroupBox("Into")
        form = QFormLayout(box)
        self.new_radio = QRadioButton("A new journey named")
        self.update_radio = QRadioButton("Update the journey")
        self.update_radio.setToolTip("Keeps the layout, notes and anything the data does not "
                                     "measure; you see every change before it is applied")
        group = QButtonGroup(self)
        group.addButton(self.new_radio)
        group.addButton(self.update_radio)
        stem = Path(file_name).stem.replace("_", " ").replace("-", " ").strip()
        default = "Conversion paths" if self.kind == PATHS else f"From {stem or 'data'}"
        self.name_edit = QLineEdit(default)
        self.name_edit.setObjectName("journeyName")
        self.journey_combo = QComboBox()
        self.journey_combo.setObjectName("journeyToUpdate")
        for journey_id, name in journeys:
            self.journey_combo.addItem(name or journey_id, journey_id)
        if current is not None and self.journey_combo.findData(current) >= 0:
            self.journey_combo.setCurrentIndex(self.journey_combo.findData(current))
        self.new_radio.setChecked(True)
        self.update_radio.setEnabled(bool(journeys))
        self.new_radio.toggled.connect(self._on_destination_changed)
        form.addRow(self.new_radio, self.name_edit)
        form.addRow(self.update_radio, self.journey_combo)
        return box

    def _first_date(self) -> Any:
        column = guess_columns(self.preview.columns).timestamp
        names = list(self.preview.columns)
        return first_date(self.preview.rows, names.index(column) if column in names else None)

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        for column in range(self.table.columnCount()):
            self.table.setColumnWidth(column, min(260, max(90, self.table.columnWidth(column))))

    # -- what the user chose -------------------------------------------------------------
    def columns(self) -> LogColumns:
        chosen = {role: combo.currentData() for role, combo in self.combos.items()}
        return LogColumns(**chosen) if chosen else LogColumns()

    def request(self) -> ImportRequest:
        updating = self.update_radio.isChecked()
        target = self.journey_combo.currentData() if updating else None
        typed = self.filters_box.goals() if self.filters_box is not None else ()
        goals, required = ((typed, True) if typed or target is None
                           else (self._drawn_goals.get(target, ()), False))
        return ImportRequest(
            path=self.preview.path, kind=self.kind, columns=self.columns(),
            scale=self.scale_combo.currentData() or "auto",
            skip_bad_rows=self.skip_check.isChecked(),
            target=target,
            name=self.name_edit.text().strip() or self.name_edit.placeholderText(),
            filters=self.filters_box.filters() if self.filters_box is not None else LogFilters(),
            goals=goals, goals_required=required,
        )

    def problem(self) -> str | None:
        """Why Import cannot run yet, or None."""
        if self.kind == PATHS:
            return None
        chosen = [(role, combo.currentData()) for role, combo in self.combos.items()]
        for role, label, _tip, required in ROLES:
            if required and dict(chosen).get(role) is None:
                return f"Choose the column that holds the {label.lower()}."
        used: dict[str, str] = {}
        labels = {role: label for role, label, _tip, _required in ROLES}
        for role, column in chosen:
            if column is None:
                continue
            if column in used:
                return (f"'{column}' is chosen for both the {labels[used[column]].lower()} and "
                        f"the {labels[role].lower()}.")
            used[column] = role
        if self.update_radio.isChecked() and self.journey_combo.currentData() is None:
            return "Choose the journey to update."
        return self.filters_box.problem() if self.filters_box is not None else None

    # -- running ---------------------------------------------------------------------------
    def use_estimate(self, estimate: Callable[[ImportRequest, Callable[[], bool]], Any]
                     ) -> None:
        """Use `estimate(request)` (run on a worker thread) when Import is clicked."""
        self._estimate = estimate

    def use_paths_preview(self, paths: PathsFunction) -> None:
        """Use `paths(request, cancelled)` (run on a worker thread) for Preview paths."""
        self._paths = paths

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def is_busy(self) -> bool:
        return self._task is not None or self._paths_task is not None

    def _on_preview_paths_clicked(self) -> None:
        problem = self.problem()
        if problem is not None or self._paths is None or self.is_busy():
            self.show_message(problem or "")
            return
        request, paths = self.request(), self._paths
        self.show_message("")
        self._set_busy(True)
        self._paths_task = run_in_background(lambda task: paths(request, task.is_cancelled), 0,
                                             on_finished=self._on_paths_found)

    def _on_paths_found(self, outcome: Outcome) -> None:
        self._paths_task = None
        self._set_busy(False)
        if outcome.error is not None:
            self.paths_table.show_paths(())
            self.paths_note.setText("No paths: the import would fail (see below).")
            self.show_message(str(outcome.error))
            return
        rows, account = outcome.value
        self.paths_table.show_paths(rows)
        self.paths_note.setText(account)
        self.preview_tabs.setCurrentIndex(1)

    def _on_import_clicked(self) -> None:
        problem = self.problem()
        if problem is not None or self._estimate is None or self.is_busy():
            self.show_message(problem or "")
            return
        request, estimate = self.request(), self._estimate
        self.show_message("")
        self._set_busy(True)
        # The task's cancel flag reaches the running query: Cancel (or quitting) stops it.
        self._task = run_in_background(lambda task: estimate(request, task.is_cancelled), 0,
                                       on_finished=self._on_estimated)

    def _on_estimated(self, outcome: Outcome) -> None:
        self._task = None
        self._set_busy(False)
        if outcome.error is not None:
            self.show_message(str(outcome.error))
            return
        self.finished_import.emit(outcome.value)
        self.accept()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.import_button.setEnabled(not busy)
        self.paths_button.setEnabled(not busy)
        if self.filters_box is not None:
            self.filters_box.set_busy(busy)
        for widget in (*self.combos.values(), self.scale_combo, self.skip_check,
                       self.new_radio, self.update_radio, self.name_edit, self.journey_combo):
            widget.setEnabled(not busy and (widget is not self.update_radio
                                            or self.journey_combo.count() > 0))
        if not busy:
            self._on_destination_changed()

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()  # its result is dropped: the dialog has gone
            self._task.finished.disconnect(self._on_estimated)
            self._task = None
        if self._paths_task is not None:
            self._paths_task.cancel()
            self._paths_task.finished.disconnect(self._on_paths_found)
            self._paths_task = None
        super().reject()

    # -- reacting ------------------------------------------------------------------------
    def _on_destination_changed(self) -> None:
        self.name_edit.setEnabled(self.new_radio.isChecked())
        self.journey_combo.setEnabled(self.update_radio.isChecked())
        self._on_mapping_changed()

    def _on_mapping_changed(self) -> None:
        """Mark the mapped columns in the preview, and say what is missing."""
        labels = {role: label for role, label, _tip, _required in ROLES}
        roles = {combo.currentData(): labels[role] for role, combo in self.combos.items()
                 if combo.currentData() is not None}
        bold = QFont(self.table.font())
        bold.setBold(True)
        muted = QBrush(muted_color())
        for column, name in enumerate(self.preview.columns):
            role = roles.get(name)
            text = name if self.kind == PATHS else f"{name}\n→ {role}" if role else f"{name}\n"
            header = QTableWidgetItem(text)
            if role:
                header.setFont(bold)
            self.table.setHorizontalHeaderItem(column, header)
            for row in range(self.table.rowCount()):
                item = self.table.item(row, column)
                if item is not None:
                    item.setForeground(QBrush() if role or self.kind == PATHS else muted)
        problem = self.problem()
        self.import_button.setEnabled(problem is None and not self.is_busy())
        self.import_button.setToolTip(problem or "")
        self.paths_button.setEnabled(problem is None and not self.is_busy())
        self.paths_button.setToolTip(problem or "Find the most common paths with these "
                                     "columns and filters, without importing")
