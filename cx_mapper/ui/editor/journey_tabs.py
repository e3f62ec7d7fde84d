"""Journey tabs above the canvas: one canvas (scene and view) per journey.

Tabs follow the document: adding, removing, renaming and undoing those edits
all rebuild or relabel tabs from the project, never the other way round.

The analysis marks follow the document's analysis service: the tabs watch the current
journey, put each current result on its canvas, take the marks off a journey that
cannot be analysed, and dim them while an edit has made them stale (a stale figure is
never shown as current).
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QMenu, QTabWidget, QToolButton, QWidget

from cx_mapper.engine.results import Analysis
from cx_mapper.ui.document.analysis_service import shows_results
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.legend import CanvasLegend, attach_legend
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from cx_mapper.ui.look.palette import current_palette
from cx_mapper.ui.look.resources import icon


class JourneyTabs(QTabWidget):
    """A tab per journey, each holding a CanvasView of that journey's CanvasScene."""

    current_journey_changed = Signal(object)  # journey id or None
    selection_changed = Signal()  # of the current canvas
    zoom_changed = Signal(float)  # of the current canvas
    #: what ("drawing" or "routing"), done, total: the current canvas draws a big map in
    #: slices; done == total when it is finished (or another canvas is shown).
    drawing_progressed = Signal(str, int, int)
    told = Signal(str)  # a status line from the current canvas (CanvasScene.told)
    #: journey_id, "touchpoint" or "note", its id: a canvas menu asked for an opportunity
    opportunity_wanted = Signal(str, str, str)
    add_journey_requested = Signal()
    rename_journey_requested = Signal(str)
    duplicate_journey_requested = Signal(str)
    remove_journey_requested = Signal(str)
    status_message = Signal(str)  # a line for the status bar (a picture dropped on a card)

    def __init__(self, document: ProjectDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._views: dict[str, CanvasView] = {}
        self._legends: dict[str, CanvasLegend] = {}
        self._shown: dict[str, int] = {}  # the revision each canvas's marks are of
        self._overlays = Overlays()
        self._marks_due: dict[str, tuple[int, Analysis]] = {}  # big maps: just after the dock
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(0)
        self._marks_timer.timeout.connect(self._show_due_marks)
        self._legend_wanted = True
        self._snap_to_grid = True
        self._experience = (True, False)  # View > Experience lane, per segment
        self.setDocumentMode(True)
        self.setMovable(False)
        self.setTabBarAutoHide(False)
        self._add_button = QToolButton(self)
        self._add_button.setAutoRaise(True)
        self._add_button.setIcon(icon("add-journey"))
        self._add_button.setToolTip("Add a journey (Ctrl+Shift+J)")
        self._add_button.clicked.connect(self.add_journey_requested)
        self.setCornerWidget(self._add_button, Qt.Corner.TopRightCorner)
        bar = self.tabBar()
        bar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        bar.customContextMenuRequested.connect(self._on_tab_menu_requested)
        bar.tabBarDoubleClicked.connect(self._on_tab_double_clicked)
        self.currentChanged.connect(self._on_current_changed)
        document.journeys_changed.connect(self._on_journeys_changed)
        document.project_reset.connect(self._on_journeys_changed)
        document.journey_changed.connect(self._on_journey_changed)
        service = document.analysis
        service.analysis_ready.connect(self._on_analysis_ready)
        service.analysis_failed.connect(self._on_analysis_failed)
        service.analysis_pending.connect(self._on_analysis_pending)
        self._on_journeys_changed()

    # -- what the window asks ------------------------------------------------------
    @property
    def journey_id(self) -> str | None:
        view = self.currentWidget()
        return view.canvas().journey_id if isinstance(view, CanvasView) else None

    @property
    def view(self) -> CanvasView | None:
        view = self.currentWidget()
        return view if isinstance(view, CanvasView) else None

    @property
    def scene(self) -> CanvasScene | None:
        view = self.view
        return view.canvas() if view is not None else None

    def views(self) -> Mapping[str, CanvasView]:
        return dict(self._views)

    def show_journey(self, journey_id: str) -> CanvasView | None:
        view = self._views.get(journey_id)
        if view is not None:
            self.setCurrentWidget(view)
        return view

    def refresh_icons(self) -> None:
        """Redraw the corner button's icon in the current theme's colours."""
        self._add_button.setIcon(icon("add-journey"))

    def set_overlays(self, overlays: Overlays) -> None:
        """Switch analysis marks on or off on every journey's canvas."""
        self._overlays = overlays
        for view in self._views.values():
            view.canvas().set_overlays(overlays)

    def set_snap_to_grid(self, on: bool) -> None:
        """Arrange > Snap to grid, on every journey's canvas."""
        self._snap_to_grid = on
        for view in self._views.values():
            view.canvas().set_snap_to_grid(on)

    def set_experience(self, shown: bool, per_segment: bool) -> None:
        """View > Experience lane (and its lines per segment), on every journey's canvas."""
        self._experience = (shown, per_segment)
        for view in self._views.values():
            view.canvas().set_experience(shown, per_segment)

    def set_legend_wanted(self, wanted: bool) -> None:
        self._legend_wanted = wanted
        for legend in self._legends.values():
            legend.set_wanted(wanted)

    def legend(self, journey_id: str) -> CanvasLegend | None:
        return self._legends.get(journey_id)

    def set_palette_for_canvas(self) -> None:
        palette = current_palette()
        for view in self._views.values():
            view.canvas().set_palette(palette)

    # -- following the analysis --------------------------------------------------------
    @shows_results("the canvas overlays")
    def _on_analysis_ready(self, journey_id: str, revision: int, analysis: Analysis) -> None:
        """A current result puts its marks on its journey's canvas, undimmed.

        A big map's marks (thousands of cards and arrows) follow just after: the KPI
        cards, connected after the tabs, then show the figures 0.1-0.2 s sooner.
        """
        view = self._views.get(journey_id)
        if view is None:
            return
        if view.canvas().shows(analysis):  # carried over an edit that changed no figure
            self._shown[journey_id] = revision
            return
        if view.canvas().is_big():
            self._marks_due[journey_id] = (revision, analysis)
            self._marks_timer.start()
            return
        view.canvas().set_analysis(analysis, self._overlays)
        self._shown[journey_id] = revision

    @shows_results("the canvas overlays")
    def _show_due_marks(self) -> None:
        due, self._marks_due = self._marks_due, {}
        for journey_id, (revision, analysis) in due.items():
            view = self._views.get(journey_id)
            if view is not None and revision == self._document.revision:
                view.canvas().set_analysis(analysis, self._overlays)
                self._shown[journey_id] = revision

    @shows_results("the canvas overlays")
    def _on_analysis_failed(self, journey_id: str, revision: int, _message: str) -> None:
        """A journey that cannot be analysed has no figures to show: its marks go."""
        view = self._views.get(journey_id)
        if view is not None:
            view.canvas().set_analysis(None, self._overlays)
            self._shown[journey_id] = revision

    @shows_results("the canvas overlays")
    def _on_analysis_pending(self, journey_id: str, _revision: int) -> None:
        """An edit made the marks stale: they stay (no flicker) but dimmed."""
        view = self._views.get(journey_id)
        if view is not None:
            view.canvas().set_stale(True)

    def _show_current_result(self) -> None:
        """Watch the current journey and show what the service has for it now."""
        journey_id = self.journey_id
        service = self._document.analysis
        service.watch(self, [journey_id])
        scene = self.scene
        if journey_id is None or scene is None:
            return
        result = service.result_of(journey_id)
        if result is None:
            scene.set_stale(True)  # marks from an older revision, if any; a new one is due
        elif self._shown.get(journey_id) != result.revision:
            scene.set_analysis(result.analysis, self._overlays)
            self._shown[journey_id] = result.revision

    # -- following the document ------------------------------------------------------
    def _on_journeys_changed(self) -> None:
        """Rebuild tabs to match the project's journeys, keeping views that still exist."""
        current = self.journey_id
        journeys = self._document.project.journeys
        wanted = [j.id for j in journeys]
        self.blockSignals(True)
        try:
            while self.count():
                self.removeTab(0)
            for journey_id in list(self._views):
                if journey_id not in wanted:
                    self._drop_view(journey_id)
            for journey in journeys:
                view = self._views.get(journey.id)
                if view is None:
                    view = self._make_view(journey.id)
                self.addTab(view, journey.name or journey.id)
                self.setTabToolTip(self.count() - 1, self._tooltip(journey.id))
        finally:
            self.blockSignals(False)
        if current in self._views:
            self.setCurrentWidget(self._views[current])
        elif self.count():
            self.setCurrentIndex(0)
        self._on_current_changed(self.currentIndex())

    def _on_journey_changed(self, journey_id: str) -> None:
        view = self._views.get(journey_id)
        if view is None:
            return
        index = self.indexOf(view)
        journey = self._document.journey(journey_id)
        self.setTabText(index, journey.name or journey.id)
        self.setTabToolTip(index, self._tooltip(journey_id))

    def _tooltip(self, journey_id: str) -> str:
        journey = self._document.journey(journey_id)
        return (f"{journey.name or journey.id}: {len(journey.touchpoints)} touchpoints, "
                f"{len(journey.transitions)} transitions. Double-click to rename.")

    def _make_view(self, journey_id: str) -> CanvasView:
        scene = CanvasScene(self._document, journey_id, self)
        view = CanvasView(scene, self)
        scene.set_overlays(self._overlays)
        scene.set_snap_to_grid(self._snap_to_grid)
        scene.set_experience(*self._experience)
        legend = CanvasLegend()
        attach_legend(view, legend)
        legend.set_wanted(self._legend_wanted)
        self._legends[journey_id] = legend
        scene.selectionChanged.connect(self._on_scene_selection_changed)
        scene.drawing_progressed.connect(self._on_scene_drawing_progressed)
        scene.told.connect(self._on_scene_told)
        scene.opportunity_wanted.connect(self.opportunity_wanted)
        view.zoom_changed.connect(self._on_view_zoom_changed)
        view.image_drop.refused.connect(self.status_message)
        view.image_drop.shown.connect(self.status_message)
        self._views[journey_id] = view
        view.fit()
        return view

    def _drop_view(self, journey_id: str) -> None:
        view = self._views.pop(journey_id)
        self._legends.pop(journey_id, None)
        self._shown.pop(journey_id, None)
        scene = view.scene()
        view.setParent(None)
        view.deleteLater()
        scene.deleteLater()

    def _on_current_changed(self, _index: int) -> None:
        self._show_current_result()
        self.current_journey_changed.emit(self.journey_id)
        self.selection_changed.emit()
        view = self.view
        if view is not None:
            self.zoom_changed.emit(view.zoom())
            done, total = view.canvas().drawing_progress()
            self.drawing_progressed.emit("drawing", done, total)

    def _on_scene_drawing_progressed(self, what: str, done: int, total: int) -> None:
        if self.sender() is self.scene:
            self.drawing_progressed.emit(what, done, total)

    def _on_scene_told(self, message: str) -> None:
        if self.sender() is self.scene:
            self.told.emit(message)

    def _on_scene_selection_changed(self) -> None:
        if self.sender() is self.scene:
            self.selection_changed.emit()

    def _on_view_zoom_changed(self, zoom: float) -> None:
        if self.sender() is self.view:
            self.zoom_changed.emit(zoom)

    # -- tab gestures ------------------------------------------------------------------
    def _journey_at(self, index: int) -> str | None:
        view = self.widget(index)
        return view.canvas().journey_id if isinstance(view, CanvasView) else None

    def _on_tab_double_clicked(self, index: int) -> None:
        journey_id = self._journey_at(index)
        if journey_id is None:
            self.add_journey_requested.emit()  # double-click on the empty bar
        else:
            self.rename_journey_requested.emit(journey_id)

    def _on_tab_menu_requested(self, point: QPoint) -> None:
        index = self.tabBar().tabAt(point)
        journey_id = self._journey_at(index) if index >= 0 else None
        menu = QMenu(self)
        if journey_id is not None:
            menu.addAction("Rename journey…",
                           lambda: self.rename_journey_requested.emit(journey_id))
            menu.addAction("Duplicate journey",
                           lambda: self.duplicate_journey_requested.emit(journey_id))
            remove = menu.addAction("Remove journey",
                                    lambda: self.remove_journey_requested.emit(journey_id))
            remove.setEnabled(self.count() > 1)
            menu.addSeparator()
        menu.addAction("Add journey", self.add_journey_requested.emit)
        menu.popup(self.tabBar().mapToGlobal(point))
