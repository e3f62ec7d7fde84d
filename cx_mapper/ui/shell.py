"""The main window's shape, as the shell's other modules see it."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.journey_tabs import JourneyTabs
from cx_mapper.ui.editor.personas import PersonasPanel
from cx_mapper.ui.editor.problems import ProblemsPanel
from cx_mapper.ui.editor.segments import SegmentsPanel
from cx_mapper.ui.export.exporting import Exporter
from cx_mapper.ui.files.data_import import DataImporter
from cx_mapper.ui.files.open_save import FileController
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.plan.dock import OpportunitiesPanel


class ShellWindow(QMainWindow):
    """What the menus reach in the main window: its parts, docks and journey commands.

    MainWindow (main_window.py) builds them; menus.py works against this class, so the
    two modules do not import each other.
    """

    document: ProjectDocument
    files: FileController
    importer: DataImporter
    exporter: Exporter
    tabs: JourneyTabs
    theme: ThemeManager | None
    theme_actions: dict[str, QAction]
    actions_by_name: dict[str, QAction]
    problems: ProblemsPanel
    segments: SegmentsPanel
    personas: PersonasPanel
    analysis: AnalysisPanel
    opportunities: OpportunitiesPanel
    analysis_dock: QDockWidget
    inspector_dock: QDockWidget
    problems_dock: QDockWidget
    segments_dock: QDockWidget
    personas_dock: QDockWidget
    opportunities_dock: QDockWidget

    def cut(self) -> None:
        raise NotImplementedError

    def copy(self) -> None:
        raise NotImplementedError

    def add_touchpoint(self) -> None:
        raise NotImplementedError

    def connect_selection(self) -> None:
        raise NotImplementedError

    def auto_layout(self) -> None:
        raise NotImplementedError

    def add_stage(self) -> None:
        raise NotImplementedError

    def add_journey(self) -> None:
        raise NotImplementedError

    def rename_journey(self, journey_id: str | None = None) -> None:
        raise NotImplementedError

    def duplicate_journey(self, journey_id: str | None = None) -> None:
        raise NotImplementedError

    def remove_journey(self, journey_id: str | None = None) -> None:
        raise NotImplementedError

    def apply_overlay_switches(self) -> None:
        raise NotImplementedError

    def apply_legend_switch(self) -> None:
        raise NotImplementedError

    def apply_snap_switch(self) -> None:
        raise NotImplementedError

    def show_dock(self, dock: QDockWidget, widget: QWidget) -> None:
        raise NotImplementedError

    def show_welcome(self) -> None:
        raise NotImplementedError

    def edit_project_properties(self) -> None:
        raise NotImplementedError
