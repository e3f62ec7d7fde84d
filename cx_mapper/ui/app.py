"""The desktop app's entry: a read-only project overview until the journey editor lands.

It opens a project, shows each journey's key figures and touchpoints, and reports
a bad file with the same message the command line prints. It never crashes on
bad input.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cx_mapper import __version__
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.validation import validate_journey
from cx_mapper.engine.analysis import analyze
from cx_mapper.engine.matrices import AnalysisError
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.locations import read_location
from cx_mapper.persistence.team_store import TeamStore, is_store_url

COLUMNS = ("Touchpoint", "Stage", "Channel", "Satisfaction", "Visits", "Loyalty after",
           "Exposure +", "Exposure −", "Fix-first gain")

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OverviewWindow(QMainWindow):
    """Journeys as tabs: their totals and a table of touchpoints."""

    def __init__(self) -> None:
        super().__init__()
        self.project: Project | None = None
        self.path: str | None = None
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.resize(1200, 720)
        open_action = QAction("&Open…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._on_open_triggered)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu = self.menuBar().addMenu("&File")
        menu.addAction(open_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        self._show_project(None)

    def open_file(self, path: str) -> bool:
        """Open a project file or team-store URL; on a bad one show why, keep what was open."""
        try:
            name = self._pick_store_project(path) if is_store_url(path) else None
            if name == "":
                return False
            project = read_location(path, name)
        except ProjectFileError as error:
            QMessageBox.warning(self, "Cannot open project", str(error))
            return False
        self.project = project
        self.path = TeamStore(path).display_url if is_store_url(path) else path
        self._show_project(project)
        return True

    def _pick_store_project(self, url: str) -> str | None:
        """The project to open from a team store: asked for when there are several."""
        names = TeamStore(url).project_names()
        if len(names) <= 1:
            return None
        name, chosen = QInputDialog.getItem(self, "Open from the team store",
                                            "Project:", names, 0, False)
        return name if chosen else ""

    def _on_open_triggered(self) -> None:
        documents = QStandardPaths.StandardLocation.DocumentsLocation
        start = (str(Path(self.path).parent) if self.path and not is_store_url(self.path)
                 else QStandardPaths.writableLocation(documents))
        path, _ = QFileDialog.getOpenFileName(self, "Open project", start,
                                              "CX Mapper projects (*.cxmap *.json)")
        if path:
            self.open_file(path)

    def _show_project(self, project: Project | None) -> None:
        self.tabs.clear()
        name = "No project"
        if self.path:
            name = self.path if is_store_url(self.path) else Path(self.path).name
        self.setWindowTitle(f"{name} — CX Mapper")
        if project is None:
            hint = QLabel("Open a project with File › Open (Ctrl+O).")
            hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.tabs.addTab(hint, "Welcome")
            self.statusBar().showMessage(f"CX Mapper {__version__}")
            return
        for journey in project.journeys:
            self.tabs.addTab(self._journey_page(project, journey), journey.name or journey.id)
        self.statusBar().showMessage(f"{project.name}: {len(project.journeys)} journeys")

    def _journey_page(self, project: Project, journey: Journey) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        summary = QLabel()
        summary.setObjectName("summary")
        summary.setWordWrap(True)
        summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(summary)
        table = QTableWidget(len(journey.touchpoints), len(COLUMNS))
        table.setHorizontalHeaderLabels(COLUMNS)
        table.verticalHeader().setVisible(False)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(table)

        problems = validate_journey(journey, project.segments)
        try:
            result = analyze(project, journey.id)
        except AnalysisError as error:
            result = None
            summary.setText(f"<b>Cannot analyse this journey.</b> {error}")
        if result is not None:
            t = result.totals
            warnings = sum(1 for p in problems if not p.is_error)
            summary.setText(
                f"<b>Loyalty index</b> {100 * t.loyalty_index:+.1f} &nbsp; "
                f"<b>Customer value</b> {t.value:,.2f} &nbsp; "
                f"<b>Net exposure</b> {t.exposure_net:+,.1f} "
                f"({t.exposure_public:,.1f} public) &nbsp; "
                f"<b>Referral R</b> {t.referral_r:.3f}"
                + (f" &nbsp; <b>Conversion</b> {t.conversion_probability:.1%}"
                   if t.conversion_probability is not None else "")
                + (f" &nbsp; · {warnings} warnings" if warnings else "")
            )
        stages = {s.id: s.name for s in journey.stages}
        channels = {c.id: c.name for c in journey.channels}
        for row, tp in enumerate(journey.touchpoints.values()):
            cells: list[str] = [tp.name or tp.id, stages.get(tp.stage or "", ""),
                                channels.get(tp.channel or "", ""), f"{tp.satisfaction:+.2f}"]
            if result is not None:
                record = result.touchpoint(tp.id)
                loyalty = record.loyalty
                cells += [
                    f"{record.visits:.3f}",
                    "—" if loyalty is None or math.isnan(loyalty) else f"{100 * loyalty:+.1f}",
                    f"{record.exposure_positive:.2f}",
                    f"{record.exposure_negative:.2f}",
                    f"{10 * record.sensitivity['loyalty_index']:+.2f}",
                ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 3:
                    item.setTextAlignment(RIGHT)
                table.setItem(row, column, item)
        return page


def run(path: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("CX Mapper")
    app.setOrganizationName("CX Mapper")
    window = OverviewWindow()
    if path:
        window.open_file(path)
    window.show()
    return int(app.exec())
