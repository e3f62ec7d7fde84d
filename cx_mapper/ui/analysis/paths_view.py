"""The Paths tab: the most common paths (variants) of the event log the journey was last
imported from, with their customers, share and conversion rate.

The journey keeps them (its `variants`), so the tab needs no analysis: it is redrawn
from the document on every change, which names touchpoints as they are now called.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.variants import STEP_SEPARATOR, percent, shown_path
from cx_mapper.ui.document.project_document import ProjectDocument

NO_PATHS = ("No paths yet. Import an event log into this journey (File > Import data) "
            "to see the paths customers take most, with their share and conversion rate.")
HEADERS = ("Path", "Customers", "Share", "Converts")


class PathsView(QWidget):
    """A summary line over a table of the journey's variants, most customers first."""

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PathsView")
        self._document = document
        self._journey_id: str | None = None
        self.summary = QLabel(NO_PATHS)
        self.summary.setObjectName("pathsSummary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("pathsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        document.revision_changed.connect(self.refresh)
        document.project_reset.connect(self.refresh)
        self.refresh()

    def set_journey(self, journey_id: str | None) -> None:
        self._journey_id = journey_id
        self.refresh()

    def refresh(self) -> None:
        journey = next((j for j in self._document.project.journeys
                        if j.id == self._journey_id), None)
        variants = journey.variants if journey is not None else ()
        self.table.setRowCount(len(variants))
        self.table.setVisible(bool(variants))
        if journey is None or not variants:
            self.summary.setText(NO_PATHS)
            return
        self.summary.setText(_summary(journey))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, variant in enumerate(variants):
            names = [_name(journey, step) for step in variant.path]
            path = QTableWidgetItem(shown_path(names))
            path.setToolTip(STEP_SEPARATOR.join(names) or shown_path(names))  # in full
            self.table.setItem(row, 0, path)
            for column, text in enumerate((f"{variant.customers:,}", percent(variant.share),
                                           percent(variant.conversion_rate)), start=1):
                item = QTableWidgetItem(text)
                item.setTextAlignment(right)
                self.table.setItem(row, column, item)


def _name(journey: Journey, touchpoint_id: str) -> str:
    touchpoint = journey.touchpoints.get(touchpoint_id)
    return (touchpoint.name or touchpoint_id) if touchpoint is not None else touchpoint_id


def _summary(journey: Journey) -> str:
    variants = journey.variants
    covered = sum(v.share for v in variants)
    customers = round(variants[0].customers / variants[0].share) if variants[0].share else 0
    goals = [t.name or t.id for t in journey.touchpoints.values() if t.conversion]
    text = (f"The {len(variants):,} most common paths of the last import, taken by "
            f"{covered:.0%} of its {customers:,} customers.")
    if any(v.conversion_rate is not None for v in variants):
        text += (" Paths stop before the goal; Converts is the share of their customers "
                 f"who reached it ({', '.join(goals)}).")
    return text
