"""Journey › Auto-layout: a big journey is laid out on a worker, with progress and Cancel.

Laying out 2,000 touchpoints takes the layout about 0.3 s and re-routing their arrows
about a second more; done on the GUI thread, with the BSP index re-filing every arrow,
it froze the window for 27 s. Now the positions are worked out on a worker from a
copy of the journey, applied as one undo step, and the canvas routes the arrows in
slices (scene_items.py). The progress strip shows both; Cancel before the step is
applied drops it, after that it undoes it (the canvas swaps the old arrows back).
A small journey is laid out at once, as before: it takes a few milliseconds.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cx_mapper.engine.layout import layout_by_stage
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.document.workers import Outcome, Task, run_in_background, snapshot_project
from cx_mapper.ui.editor.canvas.journey_scene import JourneyScene
from cx_mapper.ui.editor.journey_tabs import JourneyTabs
from cx_mapper.ui.look.progress import ProgressStrip

#: From this many touchpoints the layout runs on a worker (400 take about 60 ms).
IN_BACKGROUND_FROM = 400
TEXT = "Auto-layout"


class AutoLayout(QObject):
    """Lays out journeys for one window; at most one layout runs at a time. It also
    shows in the progress strip how far a big map is drawn (or its arrows routed)."""

    #: journey_id: its layout was applied (its view fits it).
    applied = Signal(str)

    def __init__(self, document: ProjectDocument, strip: ProgressStrip, tabs: JourneyTabs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._strip = strip
        self._tabs = tabs
        tabs.drawing_progressed.connect(self._on_drawing_progressed)
        self.applied.connect(self._fit)
        self._task: Task | None = None
        self._routing: JourneyScene | None = None  # whose arrows follow the applied step
        self._step = -1  # the undo index right after the applied step
        self._waiting: list[str] = []  # journeys to lay out after the one running

    def start_all(self, journey_ids: list[str]) -> None:
        """Lay out several journeys, one after the other."""
        for journey_id in journey_ids:
            if self._task is not None:
                self._waiting.append(journey_id)
            else:
                self.start(journey_id)

    def start(self, journey_id: str) -> bool:
        """Lay the journey out; False if there is nothing to do (or it is done at once
        and nothing moved)."""
        journey = self._document.journey(journey_id)
        task, self._task = self._task, None
        if task is not None:
            task.cancel()  # a new layout replaces one still being worked out
        self._stop_following()
        if len(journey.touchpoints) < IN_BACKGROUND_FROM:
            if not self._document.auto_layout(journey_id):
                return False
            self.applied.emit(journey_id)
            return True
        snapshot = snapshot_project(self._document.project, [journey_id]).journeys[0]

        def work(task: Task) -> dict[str, tuple[float, float]]:
            def report(fraction: float) -> None:
                task.check_cancelled()
                task.report(fraction)

            return layout_by_stage(snapshot, progress=report)

        self._task = run_in_background(
            work, self._document.revision,
            current_revision=lambda: self._document.revision,
            on_finished=self._on_finished, on_progress=self._on_progress, tag=journey_id)
        self._on_progress(0.0)
        return True

    def is_running(self) -> bool:
        return self._task is not None or self._routing is not None

    def cancel(self) -> None:
        """Stop a layout being worked out, or undo one whose arrows are still routing."""
        self._waiting.clear()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
        routing = self._stop_following()
        stack = self._document.undo_stack
        if routing and stack.index() == self._step and stack.undoText() == TEXT:
            stack.undo()
        self._strip.finish(self)

    # -- the worker -------------------------------------------------------------------
    def _on_progress(self, fraction: float) -> None:
        if self._task is not None:
            self._strip.show_progress(self, "Laying out the journey…", fraction, self.cancel)

    def _on_finished(self, outcome: Outcome) -> None:
        if self.sender() is not self._task:
            return  # one that was cancelled
        self._task = None
        journey_id = str(outcome.tag)
        if outcome.cancelled or not outcome.ok:
            self._strip.finish(self)
            self._next_waiting()
            return
        if outcome.stale:  # edited meanwhile: lay out what there is now
            self.start(journey_id)
            return
        moved = self._document.move_touchpoints(journey_id, outcome.value, text=TEXT)
        self._step = self._document.undo_stack.index()
        if moved:
            self.applied.emit(journey_id)
        view = self._tabs.views().get(journey_id)
        scene = view.canvas() if view is not None else None
        if moved and scene is not None:
            scene.ensure_routing_started()
        if moved and scene is not None and scene.is_drawing():
            self._routing = scene
            scene.drawing_progressed.connect(self._on_routing_progressed)
            done, total = scene.drawing_progress()
            self._on_routing_progressed("routing", done, total)
        else:
            self._strip.finish(self)
        self._next_waiting()

    def _next_waiting(self) -> None:
        if self._waiting and self._task is None:
            self.start(self._waiting.pop(0))

    # -- the canvas draws the map or routes the arrows ---------------------------------
    def _fit(self, journey_id: str) -> None:
        view = self._tabs.views().get(journey_id)
        if view is not None:
            view.fit()

    def _on_drawing_progressed(self, what: str, done: int, total: int) -> None:
        """A big map drawn (or its arrows routed) in slices: the strip shows how far."""
        if self.is_running():
            return  # a layout shows its own progress
        if done >= total:
            self._strip.finish(self._tabs)
            return
        text = "Drawing the map…" if what == "drawing" else "Routing the arrows…"
        self._strip.show_progress(self._tabs, text, done / max(total, 1))

    def _on_routing_progressed(self, _what: str, done: int, total: int) -> None:
        if done >= total:
            self._stop_following()
            self._strip.finish(self)
            return
        self._strip.show_progress(self, "Routing the arrows…", done / max(total, 1),
                                  self.cancel)

    def _stop_following(self) -> bool:
        scene, self._routing = self._routing, None
        if scene is not None:
            scene.drawing_progressed.disconnect(self._on_routing_progressed)
        return scene is not None
