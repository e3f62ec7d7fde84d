"""The canvas view: zoom, pan, fit and the keys that move the selection.

Mouse and keys handled here (the main window owns every other shortcut):
- Ctrl+wheel zooms about the cursor; the plain wheel scrolls (Shift+wheel sideways).
- Space+left-drag and middle-drag pan, with the open and closed hand cursors.
- Arrow keys nudge the selected cards one grid step (20 units); with Shift, one unit,
  for fine placement off the grid. Holding a key is one undo step.
- Left-drag on empty canvas draws a rubber band; Ctrl adds to the selection.

Everything is in scene units and cosmetic pens, so it is the same on high-DPI
screens. Items draw less when small (level of detail), which keeps a
2,000-touchpoint map at fit zoom quick to repaint.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QShowEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from cx_mapper.engine.layout import GRID
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.scene import CanvasScene

MIN_ZOOM = 0.02
MAX_ZOOM = 4.0
ZOOM_STEP = 1.25
#: Pixels kept free round the map when fitting.
FIT_MARGIN = 24

_NUDGES = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class CanvasView(QGraphicsView):
    """Shows a CanvasScene; zooms, pans and nudges."""

    zoom_changed = Signal(float)

    def __init__(self, scene: CanvasScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self._canvas = scene
        self._space_held = False
        self._pan_from: QPoint | None = None
        self._fit_when_shown = False
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontAdjustForAntialiasing, True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)

    def canvas(self) -> CanvasScene:
        return self._canvas

    # -- zoom ----------------------------------------------------------------------------
    def zoom(self) -> float:
        """1.0 is 100 %: one scene unit per logical pixel."""
        return self.transform().m11()

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        """Zoom to `zoom` (clamped), keeping the scene point under viewport point
        `anchor` (default: the centre) where it is."""
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self._fit_when_shown = False  # an explicit zoom wins over a fit asked for earlier
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        fixed = self.mapToScene(anchor.toPoint())
        old = self.zoom()
        self.setTransform(QTransform.fromScale(zoom, zoom))
        moved = QPointF(self.mapFromScene(fixed)) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + round(moved.x()))
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + round(moved.y()))
        if zoom != old:
            self._on_zoom_changed(zoom)

    def _on_zoom_changed(self, zoom: float) -> None:
        self._canvas.set_overview(zoom < style.LOD_DETAIL)
        self.zoom_changed.emit(zoom)

    def zoom_in(self) -> None:
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def reset_zoom(self) -> None:
        self.set_zoom(1.0)

    def fit(self) -> None:
        """Show the whole map with a margin; a small map stays at 100 %, never larger.

        Asked before the view is shown (its size is not known yet), it fits when shown,
        unless a zoom is set in between (a saved view restored, say).
        """
        if not self.isVisible():
            self._fit_when_shown = True
            return
        self._fit_when_shown = False
        self._fit_rect(self._canvas.content_rect(), allow_zoom_in=True)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._fit_when_shown:
            self.fit()

    def centre_on_items(
        self, touchpoints: Iterable[str] = (), transitions: Iterable[tuple[str, str]] = ()
    ) -> None:
        """Bring items into view (e.g. a clicked problem); zoom out only if they don't fit."""
        self._fit_when_shown = False
        self._fit_rect(self._canvas.items_rect(touchpoints, transitions), allow_zoom_in=False)

    def _fit_rect(self, rect: QRectF, *, allow_zoom_in: bool) -> None:
        if rect.isEmpty():
            return
        area = self.viewport().rect().adjusted(FIT_MARGIN, FIT_MARGIN, -FIT_MARGIN, -FIT_MARGIN)
        fits = min(max(area.width(), 1) / rect.width(), max(area.height(), 1) / rect.height())
        zoom = min(fits, 1.0) if allow_zoom_in else min(fits, self.zoom())
        old = self.zoom()
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.centerOn(rect.center())
        if zoom != old:
            self._on_zoom_changed(zoom)

    # -- wheel and mouse ---------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self.set_zoom(self.zoom() * ZOOM_STEP ** steps, event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pan = event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_held)
        if pan:
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._pan_from is not None:
            point = event.position().toPoint()
            delta = point - self._pan_from
            self._pan_from = point
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._pan_from is not None:
            self._pan_from = None
            self._show_pan_cursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        event.accept()  # the canvas handled it (a rubber band, a click on empty space)

    def _show_pan_cursor(self) -> None:
        if self._space_held:
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            self.viewport().unsetCursor()

    # -- keys ---------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if self._canvas.is_editing():
            super().keyPressEvent(event)  # the name editor gets every key
            return
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Space:
            if not event.isAutoRepeat():
                self._space_held = True
                self._show_pan_cursor()
            event.accept()
            return
        if key in _NUDGES and self._canvas.selected_touchpoints():
            fine = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            step = 1.0 if fine else GRID
            dx, dy = _NUDGES[key]
            self._canvas.nudge(dx * step, dy * step, repeat=event.isAutoRepeat())
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._space_held:
            self._space_held = False
            if self._pan_from is None:
                self._show_pan_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        """A space released in another window must not leave panning on."""
        self._space_held = False
        if self._pan_from is None:
            self._show_pan_cursor()
        super().focusOutEvent(event)  # type: ignore[arg-type]
