"""File > Check for drift…: a journey against an event log, as `cx-mapper drift` does.

The user picks a journey and a log; the log is read and the tests and the pricing run
off the GUI thread (on a snapshot of the project), then the dialog shows the verdict,
the key figures before and after the significant changes, and the table of changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.project import Project
from cx_mapper.engine.drift_report import (
    DriftReport,
    LogFigures,
    cell_text,
    check_drift,
    counted_as,
    p_text,
    ranked_cells,
    verdict,
    what_moved,
)
from cx_mapper.engine.kpis import CARD_KPIS
from cx_mapper.persistence.event_log import LogColumns, read_event_log
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background
from cx_mapper.ui.files.open_save import dialog_folder

FOLDER_KEY = "drift/folder"
LOG_FILTER = "Event logs (*.csv *.tsv *.txt *.parquet *.pq);;All files (*)"


@dataclass(frozen=True)
class DriftRequest:
    project: Project  # a snapshot the worker may read
    journey_id: str
    path: str
    columns: LogColumns


def run_check(request: DriftRequest, cancelled: Callable[[], bool] | None = None
              ) -> DriftReport:
    """Read the log and check the journey against it (runs on a worker thread)."""
    log = read_event_log(request.path, request.columns, cancelled=cancelled,
                         guess_satisfaction=True)
    counts = log.counts
    assert counts is not None  # an event log always has them
    figures = LogFigures(log.journey, counts.pairs, counts.starts, counts.ends,
                         log.measured_for(), log.scores, log.events)
    return check_drift(request.project, request.journey_id, figures)


class DriftDialog(QDialog):
    """Pick a journey and a log, Check, read the report."""

    def __init__(self, snapshot: Callable[[], Project], journeys: Sequence[tuple[str, str]],
                 current: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check for drift")
        self.setObjectName("drift_dialog")
        self._snapshot = snapshot
        self._task: Task | None = None
        self.report: DriftReport | None = None

        self.journey_combo = QComboBox()
        for journey_id, name in journeys:
            self.journey_combo.addItem(name or journey_id, journey_id)
        if current is not None and self.journey_combo.findData(current) >= 0:
            self.journey_combo.setCurrentIndex(self.journey_combo.findData(current))
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("an event log, .csv or .parquet")
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._on_browse)
        self.column_edits = {name: QLineEdit(default) for name, default in (
            ("customer", "customer_id"), ("timestamp", "timestamp"),
            ("touchpoint", "touchpoint"))}
        self.check_button = QPushButton("Check")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self._on_check)
        self.path_edit.textChanged.connect(self._update_check)

        form = QFormLayout()
        form.addRow("Journey:", self.journey_combo)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form.addRow("Event log:", path_row)
        columns = QHBoxLayout()
        for edit in self.column_edits.values():
            columns.addWidget(edit)
        form.addRow("Columns (customer, time, touchpoint):", columns)

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.verdict_label = QLabel("Pick an event log and click Check.")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setObjectName("drift_verdict")
        font = self.verdict_label.font()
        font.setBold(True)
        self.verdict_label.setFont(font)
        self.test_label = QLabel()
        self.test_label.setWordWrap(True)
        self.kpi_table = _table(("Key figure", "As it is", "With the changes", "Change"), 0)
        self.changes_table = _table(("Touchpoint", "What moved most", "Test", "p", "Alone"),
                                    1)
        self.touchpoints_label = QLabel()
        self.touchpoints_label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        check_row = QHBoxLayout()
        check_row.addWidget(self.progress, 1)
        check_row.addStretch()
        check_row.addWidget(self.check_button)
        layout.addLayout(check_row)
        for widget in (self.message, self.verdict_label, self.test_label, self.kpi_table,
                       self.changes_table, self.touchpoints_label):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.resize(900, 640)
        self._update_check()

    # -- picking ------------------------------------------------------------------------
    def ask_path(self) -> str | None:
        """A log file, starting where the last check's came from (tests replace this)."""
        settings = QSettings()
        folder = dialog_folder(str(settings.value(FOLDER_KEY, "") or "") or None)
        path, _ = QFileDialog.getOpenFileName(self, "Check for drift", folder, LOG_FILTER)
        if path:
            settings.setValue(FOLDER_KEY, str(Path(path).parent))
        return path or None

    def _on_browse(self) -> None:
        path = self.ask_path()
        if path:
            self.path_edit.setText(path)

    def _update_check(self) -> None:
        self.check_button.setEnabled(bool(self.path_edit.text().strip())
                                     and self.journey_combo.count() > 0
                                     and self._task is None)

    # -- running --------------------------------------------------------------------------
    def is_busy(self) -> bool:
        return self._task is not None

    def _on_check(self) -> None:
        if self._task is not None or not self.check_button.isEnabled():
            return
        request = DriftRequest(self._snapshot(), str(self.journey_combo.currentData()),
                               self.path_edit.text().strip(),
                               LogColumns(*(e.text().strip() for e in self.column_edits.values())))
        self._show_message("")
        self._set_busy(True)
        self._task = run_in_background(lambda task: run_check(request, task.is_cancelled), 0,
                                       on_finished=self._on_checked)

    def _on_checked(self, outcome: Outcome) -> None:
        self._task = None
        self._set_busy(False)
        if outcome.error is not None:
            self._show_message(str(outcome.error))
            return
        self.show_report(outcome.value)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        for widget in (self.journey_combo, self.path_edit, self.browse_button,
                       *self.column_edits.values()):
            widget.setEnabled(not busy)
        self._update_check()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def reject(self) -> None:
        if self._task is not None:
            self._task.cancel()  # its result is dropped: the dialog has gone
            self._task.finished.disconnect(self._on_checked)
            self._task = None
        super().reject()

    # -- the report ----------------------------------------------------------------------
    def show_report(self, report: DriftReport) -> None:
        self.report = report
        self.verdict_label.setText(verdict(report, None))
        self.test_label.setText(f"Test: {report.test_words}; {len(report.tests):,} tests "
                                f"on {report.events:,} events of {report.customers:,} "
                                "customers.")
        deltas = [d for d in report.kpis if d.kpi in CARD_KPIS and d.before is not None]
        self.kpi_table.setVisible(bool(report.significant))
        _fill(self.kpi_table, [
            (d.kpi.label, d.kpi.value_text(d.before), d.kpi.value_text(d.after),
             "" if d.delta is None else d.kpi.change_text(d.delta)) for d in deltas])
        kpi = report.delta(report.kpi).kpi
        _fill(self.changes_table, [
            (t.name, f"{what_moved(t)}: " + "\n".join(
                cell_text(t, c) for c in ranked_cells(t)[:2]),
             f"{t.test.method}\n{counted_as(t)}", p_text(t.test.p_value),
             "–" if t.alone is None else f"{kpi.label}: {kpi.change_text(t.alone)}")
            for t in report.significant])
        self.changes_table.setVisible(bool(report.significant))
        lines = []
        if report.new:
            lines.append("In the data, not on the map: " + ", ".join(report.new))
        if report.vanished:
            lines.append("On the map, not in the data: " + ", ".join(
                name for _, name in report.vanished))
        self.touchpoints_label.setText("\n".join(lines))
        self.touchpoints_label.setVisible(bool(lines))


def _table(headers: Sequence[str], stretch: int) -> QTableWidget:
    """A read-only table whose `stretch` column takes the width left (wrapped text)."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column > 0 and table.columnCount() == 4:  # figures line up on the right
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
