"""The main window: docks, the status bar, and the handlers that do real work.

Its actions, menus and toolbar are built in menus.py (against shell.py's ShellWindow);
File > Export… lives in export/exporting.py. It wires views to the document
and never edits the project itself: every edit goes through a ProjectDocument method, so
it is an undo step.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QByteArray, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QInputDialog,
    QLabel,
    QStackedWidget,
    QWidget,
)

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.templates import five_stage_project
from cx_mapper.domain.validation import Problem
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.ui import menus
from cx_mapper.ui.actions import ALIGN_ACTIONS, DISTRIBUTE_ACTIONS
from cx_mapper.ui.analysis.dock import AnalysisPanel
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.auto_layout import AutoLayout
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.inspector import Inspector
from cx_mapper.ui.editor.journey_tabs import JourneyTabs
from cx_mapper.ui.editor.personas import add_personas_dock
from cx_mapper.ui.editor.problems import ProblemsPanel
from cx_mapper.ui.editor.segments import SegmentsPanel
from cx_mapper.ui.export.export_dialog import ExportChoice, ask_export, ask_export_path
from cx_mapper.ui.export.exporting import Exporter
from cx_mapper.ui.files.data_import import DataImporter
from cx_mapper.ui.files.open_save import FileController, dialog_folder
from cx_mapper.ui.files.project_properties import ProjectPropertiesDialog
from cx_mapper.ui.files.recovery import Recovery, RecoveryEntry, ask_restore
from cx_mapper.ui.files.welcome import WelcomePage
from cx_mapper.ui.look.progress import ProgressStrip
from cx_mapper.ui.look.theme import ThemeManager
from cx_mapper.ui.plan_links import add_plan
from cx_mapper.ui.shell import ShellWindow
from cx_mapper.ui.undo_keys import UndoKeys

_PROJECT_SUFFIXES = (".cxmap", ".json")


class MainWindow(ShellWindow):
    """One project per window: journey tabs with canvases, the inspector and the problems."""

    def __init__(
        self,
        document: ProjectDocument | None = None,
        *,
        theme: ThemeManager | None = None,
        recovery_interval_ms: int = 60_000,
        recovery_folder: str | None = None,
    ) -> None:
        super().__init__()
        self.document = document if document is not None else ProjectDocument(
            five_stage_project())
        self.theme = theme
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self._before_welcome = QByteArray()  # the docks' state while the welcome page shows

        self.tabs = JourneyTabs(self.document, self)
        self.welcome = WelcomePage(self)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.tabs)
        self.central.addWidget(self.welcome)
        self.setCentralWidget(self.central)
        self.inspector = Inspector(self.document)
        self.problems = ProblemsPanel(self.document)
        self.segments = SegmentsPanel(self.document)
        self.analysis = AnalysisPanel(self.document)
        self.inspector_dock = self._dock("Inspector", self.inspector,
                                         Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock = self._dock("Problems", self.problems,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.segments_dock = self._dock("Segments", self.segments,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.analysis_dock = self._dock("Analysis", self.analysis,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.analysis_dock, self.problems_dock)
        self.tabifyDockWidget(self.problems_dock, self.segments_dock)
        self.personas, self.personas_dock = add_personas_dock(
            self.document, self._dock, self.segments, self.segments_dock)
        self.opportunities, self.opportunities_dock = add_plan(self, self._dock)
        self.analysis_dock.raise_()

        self.progress = ProgressStrip()
        self.layouts = AutoLayout(self.document, self.progress, self.tabs, self)
        self.files = FileController(self.document, self, view_state=self.view_state,
                                    progress=self.progress)
        self.importer = DataImporter(
            self.document, self, current_journey=lambda: self.tabs.journey_id,
            show_journey=self.tabs.show_journey, show_status=self._show_status,
            show_error=lambda message: self.files.show_error(message))
        self.recovery = Recovery(self.document, interval_ms=recovery_interval_ms,
                                 folder=recovery_folder)
        self.exporter = Exporter(
            self.document, current_journey=lambda: self.tabs.journey_id,
            ask_choice=lambda suggested: self.ask_export(suggested),
            show_error=lambda message: self.files.show_error(message),
            show_status=self._show_status, progress=self.progress, parent=self)

        self.actions_by_name: dict[str, QAction] = menus.make_actions(self)
        self.undo_keys = UndoKeys(self, self.action("undo"), self.action("redo"))
        self.exporter.action = self.actions_by_name["export"]
        menus.apply_icons(self.actions_by_name)
        menus.restore_overlay_switches(self.actions_by_name)
        self.tabs.set_overlays(self.overlays())
        self.tabs.set_legend_wanted(self.actions_by_name["show_legend"].isChecked())
        menus.apply_view_switches(self)
        self.tabs.set_snap_to_grid(menus.restore_snap_switch(self.actions_by_name))
        for action in self.actions_by_name.values():
            menus.describe(action)
            self.addAction(action)  # shortcuts work even with the menu bar hidden
        self.theme_actions: dict[str, QAction] = {}
        self.recent_menu = menus.make_menus(self)
        self.toolbar = menus.make_toolbar(self)
        self._make_status_bar()
        self._connect()
        self._restore_window()
        self._on_path_changed()
        self._on_selection_changed()
        self._on_inspector_title_changed(self.inspector.title())
        self.analysis.set_journey(self.tabs.journey_id)

    # -- building -------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title}Dock")
        dock.setWidget(widget)
        can = QDockWidget.DockWidgetFeature
        dock.setFeatures(can.DockWidgetMovable | can.DockWidgetClosable | can.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def action(self, name: str) -> QAction:
        return self.actions_by_name[name]

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.validation_label = QLabel()
        self.validation_label.setObjectName("validation")
        self.zoom_label = QLabel("100%")
        self.zoom_label.setObjectName("zoom")
        self.zoom_label.setToolTip("Zoom: Ctrl+wheel, Ctrl++ and Ctrl+-; F fits the journey")
        self.saved_label = QLabel()
        self.saved_label.setObjectName("saved")
        bar.addPermanentWidget(self.progress)
        self._status_labels = (self.validation_label, self.zoom_label, self.saved_label)
        for label in self._status_labels:
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self._on_problem_counts_changed(*self.problems.counts())

    def _connect(self) -> None:
        doc = self.document
        self._clipboard = QApplication.clipboard()
        self._links = [
            (doc.modified_changed, self._on_modified_changed),
            (doc.path_changed, self._on_path_changed),
            (doc.project_changed, self._on_path_changed),
            (doc.project_reset, self._on_project_reset),
            (doc.undo_stack.indexChanged, self._on_selection_changed),
            (self.tabs.selection_changed, self._on_selection_changed),
            (self.tabs.current_journey_changed, self._on_selection_changed),
            (self.tabs.current_journey_changed, self.analysis.set_journey),
            (self.tabs.zoom_changed, self._on_zoom_changed),
            (self.tabs.told, self._show_status),
            (self.tabs.add_journey_requested, self.add_journey),
            (self.tabs.rename_journey_requested, self.rename_journey),
            (self.tabs.duplicate_journey_requested, self.duplicate_journey),
            (self.tabs.remove_journey_requested, self.remove_journey),
            (self.problems.problem_activated, self.show_problem),
            (self.tabs.status_message, self._show_status),
            (self.problems.counts_changed, self._on_problem_counts_changed),
            (self.inspector.title_changed, self._on_inspector_title_changed),
            (self.files.status, self._show_status),
            (self.files.opened, self._on_file_opened),
            (self.files.view_state_loaded, self._on_view_state_loaded),
            (doc.revision_changed, self._on_document_used),
            (self.welcome.open_requested, self.files.open),
            (self.welcome.open_dialog_requested, self.files.open),
            (self.welcome.new_requested, self._on_welcome_new),
            (self.welcome.back_requested, self._on_document_used),
            (self._clipboard.dataChanged, self._on_selection_changed),
        ]
        if self.theme is not None:
            self._links.append((self.theme.theme_changed, self._on_theme_changed))
        for signal, slot in self._links:
            signal.connect(slot)

    def _disconnect(self) -> None:
        """Before the window is destroyed: its children going away must not call back into it."""
        for signal, slot in self._links:
            signal.disconnect(slot)
        self._links = []

    # -- overlays -------------------------------------------------------------------
    def overlays(self) -> Overlays:
        """The switches of View > Overlays."""
        return menus.overlays_of(self.actions_by_name)

    def apply_overlay_switches(self) -> None:
        overlays = self.overlays()
        menus.save_overlay_switches(overlays)
        self.tabs.set_overlays(overlays)

    def apply_legend_switch(self) -> None:
        wanted = self.actions_by_name["show_legend"].isChecked()
        QSettings().setValue("view/legend", wanted)
        self.tabs.set_legend_wanted(wanted)

    def apply_snap_switch(self) -> None:
        snap = self.actions_by_name["snap_to_grid"].isChecked()
        QSettings().setValue("editor/snap_to_grid", snap)
        self.tabs.set_snap_to_grid(snap)

    def show_dock(self, dock: QDockWidget, widget: QWidget) -> None:
        dock.show()
        dock.raise_()
        widget.setFocus()

    # -- the welcome page ------------------------------------------------------------
    def show_welcome(self, *, back: bool = True) -> None:
        """Recent projects, samples and templates in the whole window: the project's docks,
        toolbar and figures hide behind it, so nothing looks open that is not. `back`
        offers a way back to the open project (not on first start)."""
        self.welcome.set_recent(self.files.recent_files())
        self.welcome.set_back(self.document.project.name if back else None)
        if not self.is_welcome_shown():
            self._before_welcome = self.saveState()
            for widget in (*self.findChildren(QDockWidget), self.toolbar, *self._status_labels):
                widget.hide()
        self.central.setCurrentWidget(self.welcome)

    def is_welcome_shown(self) -> bool:
        return self.central.currentWidget() is self.welcome

    def _on_document_used(self, *_args: object) -> None:
        """Any change to the project (a file opened, a new one, an edit) shows the canvas."""
        if self.is_welcome_shown():
            self.central.setCurrentWidget(self.tabs)
            self.restoreState(self._before_welcome)
            for label in self._status_labels:
                label.show()
            QTimer.singleShot(0, self.fit_all)

    def _on_welcome_new(self, template: bool) -> None:
        if self.files.new_project(template=template):
            self._on_document_used()

    # -- window state ----------------------------------------------------------------
    def _restore_window(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        state = settings.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 860)
            self.resizeDocks([self.inspector_dock], [340], Qt.Orientation.Horizontal)
            self.resizeDocks([self.analysis_dock], [230], Qt.Orientation.Vertical)
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _save_window(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        # Behind the welcome page the docks are hidden for the while: keep them as they were.
        settings.setValue("window/state", self._before_welcome if self.is_welcome_shown()
                          else self.saveState())

    def view_state(self) -> Mapping[tuple[str, str], str]:
        """Zoom and centre per journey and the current tab, saved in .cxmap files."""
        state: dict[tuple[str, str], str] = {}
        for journey_id, view in self.tabs.views().items():
            centre = view.mapToScene(view.viewport().rect().center())
            state[(journey_id, "zoom")] = f"{view.zoom():.4f}"
            state[(journey_id, "centre")] = f"{centre.x():.1f},{centre.y():.1f}"
        if self.tabs.journey_id is not None:
            state[("", "current_journey")] = self.tabs.journey_id
        return state

    def _on_view_state_loaded(self, state: object) -> None:
        if not isinstance(state, Mapping):
            return
        # After the scenes have rebuilt from the new project.
        QTimer.singleShot(0, lambda: self._apply_view_state(state))

    def _apply_view_state(self, state: Mapping[tuple[str, str], str]) -> None:
        for journey_id, view in self.tabs.views().items():
            try:
                zoom = float(state[(journey_id, "zoom")])
                x, y = (float(v) for v in state[(journey_id, "centre")].split(","))
            except (KeyError, ValueError):
                continue
            view.set_zoom(zoom)
            view.centerOn(QPointF(x, y))
        current = state.get(("", "current_journey"))
        if current:
            self.tabs.show_journey(current)

    # -- following the document -----------------------------------------------------
    def _on_path_changed(self, *_args: object) -> None:
        """The title names the project, and its file once it has one."""
        name, path = self.document.project.name, self.document.path
        shown = name if path is None else f"{name} — {path.name}"
        self.setWindowTitle(f"{shown}[*] — {menus.APP_NAME}")
        self._on_modified_changed(self.document.is_modified)

    def _on_modified_changed(self, modified: bool) -> None:
        self.setWindowModified(modified)
        self.saved_label.setText("Modified" if modified else "Saved"
                                 if self.document.path is not None else "Not saved yet")
        self.saved_label.setToolTip("There are unsaved changes (Ctrl+S saves)" if modified
                                    else "Everything is saved")

    def _on_project_reset(self) -> None:
        self._on_path_changed()
        QTimer.singleShot(0, self.fit_all)

    def fit_all(self) -> None:
        for view in self.tabs.views().values():
            view.fit()

    def _on_file_opened(self, _location: str) -> None:
        """Lay out journeys whose cards were never placed (e.g. written by a script)."""
        unplaced = [journey for journey in self.document.project.journeys
                    if len(journey.touchpoints) > 1
                    and len({(t.x, t.y) for t in journey.touchpoints.values()}) == 1]
        self.layouts.start_all([journey.id for journey in unplaced])
        for journey in unplaced:
            self._show_status(f"Journey '{journey.name}' had no layout; it was laid out "
                              "by stage (Ctrl+Z undoes).")

    def _on_selection_changed(self, *_args: object) -> None:
        scene = self.tabs.scene
        touchpoints = scene.selected_touchpoints() if scene is not None else []
        transitions = scene.selected_transitions() if scene is not None else []
        notes = scene.selected_notes() if scene is not None else []
        self.inspector.set_selection(self.tabs.journey_id, touchpoints, transitions, notes)
        has_journey = scene is not None
        has_selection = bool(touchpoints or transitions or notes)
        enable = self.actions_by_name
        for name in ("cut", "copy", "duplicate", "delete"):
            enable[name].setEnabled(has_selection)
        enable["rename"].setEnabled(len(touchpoints) == 1 or not touchpoints and bool(notes))
        enable["connect"].setEnabled(len(touchpoints) >= 2)
        enable["paste"].setEnabled(has_journey and scene is not None and scene.can_paste())
        for name in ("select_all", "add_touchpoint", "auto_layout", "add_stage", "fit",
                     "zoom_in", "zoom_out", "reset_zoom", "rename_journey",
                     "duplicate_journey"):
            enable[name].setEnabled(has_journey)
        enable["remove_journey"].setEnabled(len(self.document.project.journeys) > 1)
        for names, fewest in ((ALIGN_ACTIONS, 2), (DISTRIBUTE_ACTIONS, 3)):
            for name in names:
                enable[name].setEnabled(len(touchpoints) >= fewest)
        enable["export"].setEnabled(has_journey and not self.exporter.is_busy())

    def _on_inspector_title_changed(self, title: str) -> None:
        self.inspector_dock.setWindowTitle(f"Inspector — {title}")

    def _on_zoom_changed(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom:.0%}")

    def _on_problem_counts_changed(self, errors: int, warnings: int) -> None:
        if errors:
            text = f"✖ {errors} error{'s' * (errors != 1)}"
            tip = "Errors block the analysis; see the Problems list (Ctrl+Shift+P)"
        elif warnings:
            text = f"⚠ {warnings} warning{'s' * (warnings != 1)}"
            tip = "Warnings do not block the analysis; see the Problems list"
        else:
            text, tip = "✓ No problems", "The journeys are ready to analyse"
        if errors and warnings:
            text += f", {warnings} warning{'s' * (warnings != 1)}"
        self.validation_label.setText(text)
        self.validation_label.setToolTip(tip)
        layout = self.statusBar().layout()
        if layout is not None:  # widen the label now, not after a frame showing it cut
            layout.activate()

    def _show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def show_problem(self, problem: Problem) -> None:
        """Select the element a problem names, on its journey's tab."""
        if problem.element == "segment":
            self.segments_dock.show()
            self.segments_dock.raise_()
            return
        if problem.journey is None:
            return
        view = self.tabs.show_journey(problem.journey)
        scene = self.tabs.scene
        if view is None or scene is None:
            return
        touchpoints: list[str] = []
        transitions: list[tuple[str, str]] = []
        if problem.element == "touchpoint" and problem.element_id:
            touchpoints = [problem.element_id]
        elif problem.element == "transition" and problem.element_id:
            source, _, target = problem.element_id.partition(" -> ")
            transitions = [(source, target)]
        scene.select(touchpoints=touchpoints, transitions=transitions)
        if touchpoints or transitions:
            view.centre_on_items(touchpoints, transitions)
        self._on_selection_changed()
        self.inspector_dock.show()

    def open_location(self, location: str) -> bool:
        return self.files.open(location)

    # -- edit actions (menus.targets names the rest directly) ----------------------------
    def cut(self) -> None:
        scene = self.tabs.scene
        if scene is not None and scene.copy_selection():
            scene.delete_selection()

    def copy(self) -> None:
        if self.tabs.scene is not None:
            self.tabs.scene.copy_selection()
            self._on_selection_changed()  # Paste can follow

    def edit_project_properties(self) -> None:
        """File > Project properties: a window-modal dialog; OK renames in one undo step."""
        ProjectPropertiesDialog(self.document, self).open()

    # -- journey actions --------------------------------------------------------------
    def add_touchpoint(self) -> None:
        """A touchpoint in the middle of the view, ready to rename."""
        view, scene = self.tabs.view, self.tabs.scene
        if view is None or scene is None:
            return
        centre = view.mapToScene(view.viewport().rect().center())
        scene.add_touchpoint_at(centre)

    def connect_selection(self) -> None:
        """Connect the selected touchpoints in reading order: left to right, then down."""
        scene, journey_id = self.tabs.scene, self.tabs.journey_id
        if scene is None or journey_id is None:
            return
        journey = self.document.journey(journey_id)
        chosen = sorted(scene.selected_touchpoints(),
                        key=lambda t: (journey.touchpoint(t).x, journey.touchpoint(t).y))
        if len(chosen) < 2:
            self._show_status("Select two or more touchpoints to connect, or drag from a "
                              "card's handle to another card.")
            return
        pairs = [pair for pair in zip(chosen, chosen[1:], strict=False)
                 if pair not in journey.transitions]
        if not pairs:
            self._show_status("Those touchpoints are already connected.")
            return
        with self.document.compound("Connect"):
            for source, target in pairs:
                self.document.connect_touchpoints(journey_id, source, target)

    def auto_layout(self) -> None:
        journey_id = self.tabs.journey_id
        if journey_id is not None:
            self.layouts.start(journey_id)

    def add_stage(self) -> None:
        journey_id = self.tabs.journey_id
        if journey_id is None:
            return
        name = self.ask_text("Add stage", "Stage name:", "New stage")
        if name:
            self.document.add_stage(journey_id, name)

    def add_journey(self) -> None:
        """A new journey with the current one's stages and channels, ready to draw on."""
        taken = {j.name for j in self.document.project.journeys}
        name = next(f"Journey {n}" for n in range(len(taken) + 1, len(taken) + 100)
                    if f"Journey {n}" not in taken)
        journey = Journey(id="", name=name)
        current = self.tabs.journey_id
        if current is not None:
            model = self.document.journey(current)
            journey.stages = list(model.stages)
            journey.channels = list(model.channels)
        journey_id = self.document.add_journey(journey)
        self.tabs.show_journey(journey_id)

    def rename_journey(self, journey_id: str | None = None) -> None:
        journey_id = journey_id or self.tabs.journey_id
        if journey_id is None:
            return
        journey = self.document.journey(journey_id)
        name = self.ask_text("Rename journey", "Journey name:", journey.name)
        if name:
            self.document.set_journey_fields(journey_id, name=name)

    def duplicate_journey(self, journey_id: str | None = None) -> None:
        journey_id = journey_id or self.tabs.journey_id
        if journey_id is None:
            return
        journey = self.document.journey(journey_id).copy()
        journey.id = ""
        journey.name = f"{journey.name} (copy)"
        new_id = self.document.add_journey(journey)
        self.tabs.show_journey(new_id)

    def remove_journey(self, journey_id: str | None = None) -> None:
        journey_id = journey_id or self.tabs.journey_id
        if journey_id is None or len(self.document.project.journeys) < 2:
            return
        name = self.document.journey(journey_id).name
        self.document.remove_journey(journey_id)
        self._show_status(f"Removed journey '{name}'. Undo (Ctrl+Z) brings it back.")

    def _on_theme_changed(self, _dark: bool) -> None:
        menus.apply_icons(self.actions_by_name)
        self.tabs.refresh_icons()
        self.tabs.set_palette_for_canvas()

    # -- dialogs (tests replace these) ----------------------------------------------------
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        value, accepted = QInputDialog.getText(self, title, label, text=text)
        value = value.strip()
        return value if accepted and value else None

    def ask_export(self, suggested: ExportChoice) -> ExportChoice | None:
        return ask_export(self, suggested, browse=self.ask_export_path,
                          preview=self.exporter.preview)

    def ask_export_path(self, choice: ExportChoice) -> str | None:
        return ask_export_path(self, choice, dialog_folder(
            self.document.path.parent if self.document.path else None))

    def ask_restore(self, entry: RecoveryEntry) -> str:
        """'restore', 'discard' or 'later' for work left by a session that crashed."""
        return ask_restore(self, entry)

    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file; True if it was restored."""
        for entry in Recovery.pending(self.recovery.folder):
            answer = self.ask_restore(entry)
            if answer == "restore":
                try:
                    self.recovery.restore(entry)
                except ProjectFileError as error:  # damaged: the entry is kept for later
                    self.files.show_error(str(error))
                    return False
                self._show_status(f"Restored '{entry.name}'. Save it to keep the changes.")
                return True
            if answer == "discard":
                self.recovery.discard_entry(entry)
            else:
                return False
        return False

    # -- Qt events --------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._dropped_project(event) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = self._dropped_project(event)
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        # After the drop returns, so a dialog (unsaved changes) does not block the drag.
        QTimer.singleShot(0, lambda: self.files.open(path))

    @staticmethod
    def _dropped_project(event: QDragEnterEvent | QDropEvent) -> str | None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        files = [u.toLocalFile() for u in urls if u.isLocalFile()]
        projects = [f for f in files if f.lower().endswith(_PROJECT_SUFFIXES)]
        return projects[0] if len(projects) == 1 else None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.files.maybe_save():
            event.ignore()
            return
        self.analysis.simulation.cancel()
        self.exporter.cancel()
        self.recovery.discard()
        self._save_window()
        self._disconnect()
        event.accept()
