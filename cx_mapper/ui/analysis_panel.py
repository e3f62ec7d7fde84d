"""The Analysis dock: the current journey's key figures and touchpoints, kept live.

It recomputes shortly after each edit. A result is shown only if it belongs to
the document's current revision, so a stale result is never shown as current.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.validation import validate_journey
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.matrices import AnalysisError
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document import ProjectDocument

COLUMNS = ("Touchpoint", "Stage", "Channel", "Satisfaction", "Visits", "Loyalty after",
           "Exposure +", "Exposure −", "Fix-first gain")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
#: Edits arrive in bursts (a slider drag); wait this long after the last one.
DEBOUNCE_MS = 120


class AnalysisPanel(QWidget):
    """Totals of the current journey and a table of its touchpoints."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._journey_id: str | None = None
        self._result: Analysis | None = None
        self._result_revision = -1
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        document.revision_changed.connect(self._on_revision_changed)

    @property
    def result(self) -> Analysis | None:
        """The shown analysis, or None when it is stale or the journey cannot be analysed."""
        return self._result if self._result_revision == self._document.revision else None

    def set_journey(self, journey_id: str | None) -> None:
        if journey_id != self._journey_id:
            self._journey_id = journey_id
            self.refresh()

    def _on_revision_changed(self, _revision: int) -> None:
        self.summary.setEnabled(False)  # greyed while the figures are being brought up to date
        self._timer.start()

    def refresh(self) -> None:
        self._timer.stop()
        self.summary.setEnabled(True)
        self._result = None
        self._result_revision = self._document.revision
        project = self._document.project
        journey_id = self._journey_id
        if journey_id is None or journey_id not in {j.id for j in project.journeys}:
            self.summary.setText("Open or create a journey to see its figures.")
            self.table.setRowCount(0)
            return
        journey = project.journey(journey_id)
        problems = validate_journey(journey, project.segments)
        try:
            self._result = analyze(project, journey_id)
        except AnalysisError as error:
            self.summary.setText(f"<b>Cannot analyse this journey.</b> {error}")
        else:
            t = self._result.totals
            warnings = sum(1 for p in problems if not p.is_error)
            self.summary.setText(
                f"<b>Loyalty index</b> {100 * t.loyalty_index:+.1f} &nbsp; "
                f"<b>Customer value</b> {t.value:,.2f} &nbsp; "
                f"<b>Net exposure</b> {t.exposure_net:+,.1f} "
                f"({t.exposure_public:,.1f} public) &nbsp; "
                f"<b>Referral R</b> {t.referral_r:.3f}"
                + (f" &nbsp; <b>Conversion</b> {t.conversion_probability:.1%}"
                   if t.conversion_probability is not None else "")
                + (f" &nbsp; · {warnings} warnings" if warnings else "")
            )
        self._fill_table()

    def _fill_table(self) -> None:
        journey = self._document.journey(self._journey_id or "")
        stages = {s.id: s.name for s in journey.stages}
        channels = {c.id: c.name for c in journey.channels}
        self.table.setRowCount(len(journey.touchpoints))
        for row, tp in enumerate(journey.touchpoints.values()):
            cells: list[str] = [tp.name or tp.id, stages.get(tp.stage or "", ""),
                                channels.get(tp.channel or "", ""), f"{tp.satisfaction:+.2f}"]
            if self._result is not None:
                record = self._result.touchpoint(tp.id)
                loyalty = record.loyalty
                cells += [
                    f"{record.visits:.3f}",
                    "—" if loyalty is None or math.isnan(loyalty) else f"{100 * loyalty:+.1f}",
                    f"{record.exposure_positive:.2f}",
                    f"{record.exposure_negative:.2f}",
                    f"{10 * record.sensitivity['loyalty_index']:+.2f}",
                ]
            cells += [""] * (len(COLUMNS) - len(cells))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(RIGHT)
                self.table.setItem(row, column, item)
