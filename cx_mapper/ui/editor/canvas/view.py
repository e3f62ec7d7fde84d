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

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QStyle, QWidget

from cx_mapper.engine.layout import GRID
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.backdrop import Backdrop, ZoomGesture
from cx_mapper.ui.editor.canvas.image_drop import CardImageDrop
from cx_mapper.ui.editor.canvas.scene import CanvasScene

MIN_ZOOM = 0.02
MAX_ZOOM = 4.0
ZOOM_STEP = 1.25
#: Pixels kept free round the map when fitting.
FIT_MARGIN = 24
#: Fit shows the lanes under the touchpoints too when that costs the map at most this much
#: of its zoom, or when it still reads with them (LOD_TEXT); else they are a scroll away.
FIT_LANES_COST = 0.75

#: Where the map key may sit, in order of preference: bottom left unless it covers the map.
KEY_CORNERS = (Qt.Corner.BottomLeftCorner, Qt.Corner.BottomRightCorner,
               Qt.Corner.TopRightCorner, Qt.Corner.TopLeftCorner)
_LEFT_CORNERS = (Qt.Corner.BottomLeftCorner, Qt.Corner.TopLeftCorner)
_TOP_CORNERS = (Qt.Corner.TopLeftCorner, Qt.Corner.TopRightCorner)

_NUDGES = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}


class CanvasView(QGraphicsView):
    """Shows a CanvasScene; zooms, pans and nudges."""

    zoom_changed = Signal(float)
    #: The map key is to move to `key_corner()` (a fit found it covers less there).
    key_corner_changed = Signal()

    def __init__(self, scene: CanvasScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self._canvas = scene
        self._space_held = False
        self._pan_from: QPoint | None = None
        self._auto_fit = False  # fit on every resize, until the user zooms or pans
        self._fitting = False
        self._reserved: Callable[[], QRect] | None = None
        self._key_corner = KEY_CORNERS[0]
        self._room = QRectF()  # scene area a fit needs beyond the scene's own rect
        self._connect_cursor = False  # the cross shown over a connection handle
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
        scene.sceneRectChanged.connect(self._sync_scene_rect)
        self.image_drop = CardImageDrop(self)  # picture files dropped on a card
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.actionTriggered.connect(self._on_user_scrolled)
        self._backdrop = Backdrop(  # the lanes and arrows, kept as pixels
            self, busy=lambda: scene.is_stale() or scene.is_drawing())
        self._zooming = ZoomGesture(self)  # the last frame, scaled, while the wheel turns
        scene.backdrop_changed.connect(self._on_backdrop_changed)

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
        self._auto_fit = False  # an explicit zoom wins over a fit asked for earlier
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
        self._zooming.step()
        self.set_zoom(self.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zooming.step()
        self.set_zoom(self.zoom() / ZOOM_STEP)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self._zooming.paint():
            super().paintEvent(event)

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        """Under the cards: the scene's lanes and arrows, from the kept pixels."""
        self._backdrop.draw(painter, QRectF(rect))

    def _on_backdrop_changed(self, rect: QRectF) -> None:
        self._backdrop.invalidate(rect if not rect.isEmpty() else None)

    def reset_zoom(self) -> None:
        """100 %, centred on the selection, or else on the cards in view (on the cards
        nearest the middle if none is), so the view never ends up on empty canvas."""
        scene = self._canvas
        selected = scene.items_rect(scene.selected_touchpoints(), scene.selected_transitions())
        target = selected.center()
        if selected.isEmpty():
            cards = scene.items_rect(scene.cards())
            shown = self.mapToScene(self.viewport().rect()).boundingRect()
            target = shown.center()
            if cards.intersects(shown):
                target = cards.intersected(shown).center()
            elif not cards.isEmpty():
                target = QPointF(min(max(target.x(), cards.left()), cards.right()),
                                 min(max(target.y(), cards.top()), cards.bottom()))
        self.set_zoom(1.0)
        self._make_room(self._visible_around(target, 1.0))
        self.centerOn(target)

    def fit(self) -> None:
        """Show the whole map with a margin; a small map stays at 100 %, never larger.

        From then on the view fits again whenever it is resized (the window maximised,
        a dock opened) until the user zooms or pans. Asked before the view is shown
        (its size is not known yet), it fits when shown, unless a zoom is set in
        between (a saved view restored, say).
        """
        self._auto_fit = True
        if self.isVisible():
            whole, top = self._canvas.fit_rect(), self._canvas.fit_rect(lanes_below=False)
            if whole != top and self._best_fit(whole, 1.0)[0] < min(
                    style.LOD_TEXT, FIT_LANES_COST * self._best_fit(top, 1.0)[0]):
                whole = top  # the lanes below would make the map too small: scroll to them
            self._fit_rect(whole, allow_zoom_in=True)

    def fits_automatically(self) -> bool:
        """Whether the view still fits the map on every resize (no zoom or pan since)."""
        return self._auto_fit

    def set_reserved(self, reserved: Callable[[], QRect] | None) -> None:
        """A corner fits keep clear (the map key): `reserved()` gives it in viewport
        coordinates, or an empty rect when there is nothing to keep clear."""
        self._reserved = reserved

    def reserved_changed(self) -> None:
        """The reserved corner changed (the key grew, appeared or went): fit again if
        the view is still fitting by itself."""
        if self._auto_fit and self.isVisible():
            self.fit()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._auto_fit:
            self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._auto_fit and self.isVisible():
            self.fit()

    def centre_on_items(
        self, touchpoints: Iterable[str] = (), transitions: Iterable[tuple[str, str]] = ()
    ) -> None:
        """Bring items into view (e.g. a clicked problem); zoom out only if they don't fit."""
        self._auto_fit = False
        self._fit_rect(self._canvas.items_rect(touchpoints, transitions), allow_zoom_in=False)

    def _fit_rect(self, rect: QRectF, *, allow_zoom_in: bool) -> None:
        if rect.isEmpty() or self._fitting:
            return
        self._fitting = True  # scroll bars coming and going resize the viewport meanwhile
        try:
            zoom, region, corner = self._best_fit(rect, 1.0 if allow_zoom_in else self.zoom())
            old = self.zoom()
            self.setTransform(QTransform.fromScale(zoom, zoom))
            # The scene point for the viewport's centre that puts `rect` mid-region.
            middle = QRectF(self.viewport().rect()).center()
            target = rect.center() + (middle - region.center()) / zoom
            self._make_room(self._visible_around(target, zoom))
            self.centerOn(target)
        finally:
            self._fitting = False
        if zoom != old:
            self._on_zoom_changed(zoom)
        if corner != self._key_corner:
            self._key_corner = corner
            self.key_corner_changed.emit()

    def _best_fit(self, rect: QRectF, cap: float) -> tuple[float, QRectF, Qt.Corner]:
        """The largest zoom (at most `cap`) showing `rect` whole, the part of the viewport
        it is centred in, and the corner the key goes to: the whole viewport if the key
        then covers no card, arrow or lane row in some corner, else the largest part
        beside, above or below the key where it covers none. Every region is checked
        against all that shows, not only `rect`: a fit of the cards with the lanes below
        them a scroll away still shows the lanes' tops under a key at the bottom."""
        viewport = self._fit_area()
        home = QRectF(self._reserved()) if self._reserved is not None else QRectF()
        if home.isEmpty():
            return self._best_zoom(rect, cap, viewport), viewport, KEY_CORNERS[0]
        best: tuple[float, QRectF, Qt.Corner] | None = None
        for corner in KEY_CORNERS:
            key = self._key_at(home, corner, viewport)
            for region in _regions(viewport, key):
                zoom = self._best_zoom(rect, cap, region)
                if zoom <= 0 or (best is not None and zoom <= best[0] * 1.0001):
                    continue
                if not self._covers(key, rect, zoom, region):
                    best = (zoom, region, corner)
        if best is not None:
            return best
        # nowhere clear (a tiny viewport, a huge key): as before, beside it at the bottom left
        key = self._key_at(home, KEY_CORNERS[0], viewport)
        regions = _regions(viewport, key)
        fallback = (self._best_zoom(rect, cap, viewport), viewport)
        if self._covers(key, rect, fallback[0], viewport):
            fallback = max(((self._best_zoom(rect, cap, region), region)
                            for region in regions[1:]), key=lambda pair: pair[0])
        if fallback[0] <= 0:
            area = viewport.adjusted(FIT_MARGIN, FIT_MARGIN, -FIT_MARGIN, -FIT_MARGIN)
            zoom = min(cap, max(area.width(), 1) / rect.width(),
                       max(area.height(), 1) / rect.height())
            fallback = (max(MIN_ZOOM, min(MAX_ZOOM, zoom)), viewport)
        return fallback[0], fallback[1], KEY_CORNERS[0]

    def _best_zoom(self, rect: QRectF, cap: float, region: QRectF) -> float:
        """The zoom showing `rect` whole in `region` with a margin; 0 if it has no room."""
        area = region.adjusted(FIT_MARGIN, FIT_MARGIN, -FIT_MARGIN, -FIT_MARGIN)
        if area.width() < 1 or area.height() < 1:
            return 0.0
        zoom = min(cap, area.width() / rect.width(), area.height() / rect.height())
        return max(MIN_ZOOM, min(MAX_ZOOM, zoom))

    def _key_at(self, home: QRectF, corner: Qt.Corner, viewport: QRectF) -> QRectF:
        """The key's rect in `corner` of the fit area, `home` being it at the bottom left
        of the viewport (its margin the same from every edge)."""
        margin = home.left()
        x = (viewport.left() + margin if corner in _LEFT_CORNERS
             else viewport.right() - margin - home.width())
        y = (viewport.top() + margin if corner in _TOP_CORNERS
             else viewport.bottom() - margin - home.height())
        return QRectF(x, y, home.width(), home.height())

    def key_corner(self) -> Qt.Corner:
        """The corner of the viewport the map key sits in: where the last fit found it
        covers nothing (bottom left unless that covers the map)."""
        return self._key_corner

    def _fit_area(self) -> QRectF:
        """The viewport as it is with both scroll bars shown. A fit that depends on
        whether they are shown would make them come and go: fit, a bar appears, the
        viewport shrinks, fit again smaller, the bar goes, and round again."""
        size = self.viewport().rect().size()
        extent = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        spare_x = 0 if self.verticalScrollBar().isVisible() else extent
        spare_y = 0 if self.horizontalScrollBar().isVisible() else extent
        return QRectF(spare_x / 2, spare_y / 2, max(size.width() - spare_x, 1),
                      max(size.height() - spare_y, 1))

    def _covers(self, key: QRectF, rect: QRectF, zoom: float, region: QRectF) -> bool:
        """Whether the key would hide a card or arrow with `rect` centred in `region`."""
        def scene_point(point: QPointF) -> QPointF:
            return rect.center() + (point - region.center()) / zoom

        return self._canvas.has_content_in(
            QRectF(scene_point(key.topLeft()), scene_point(key.bottomRight())))

    def _visible_around(self, centre: QPointF, zoom: float) -> QRectF:
        """The scene area the viewport shows at `zoom` centred on `centre`."""
        size = self.viewport().rect().size()
        width, height = size.width() / zoom, size.height() / zoom
        return QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)

    def _make_room(self, visible: QRectF) -> None:
        """Let the view scroll to `visible` even where it goes past the scene's margin
        (a map centred beside the key); otherwise follow the scene's own rect."""
        if self._canvas.sceneRect().contains(visible):
            self._room = QRectF()
            self.setSceneRect(QRectF())  # null: the view follows the scene's rect again
        else:
            # a pixel short of the viewport each way: rounded up, a room exactly its size
            # can need a scroll bar, which shrinks the viewport and fits again, forever
            pixel = 1 / max(self.zoom(), MIN_ZOOM)
            self._room = visible.adjusted(pixel, pixel, -pixel, -pixel)
            self._sync_scene_rect()

    def _sync_scene_rect(self) -> None:
        if not self._room.isNull():
            self.setSceneRect(self._canvas.sceneRect().united(self._room))

    def _on_user_scrolled(self) -> None:
        """A scroll bar moved by the user (wheel, keys, dragging it): a pan."""
        self._auto_fit = False

    # -- wheel and mouse ---------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self._zooming.step()
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
            self._auto_fit = False
            self._pan_from = point
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if not event.buttons() and not self._space_held:  # hovering: a handle shows a cross
            scene_pos = self.mapToScene(event.position().toPoint())
            self._show_connect_cursor(self._canvas.handle_at(scene_pos, self.zoom()) is not None)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._pan_from is not None:
            self._pan_from = None
            self._show_pan_cursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        event.accept()  # the canvas handled it (a rubber band, a click on empty space)

    def _show_connect_cursor(self, over_handle: bool) -> None:
        """A cross over a card's connection handle: dragging from here connects."""
        if over_handle:
            self.viewport().setCursor(Qt.CursorShape.CrossCursor)
        elif self._connect_cursor:
            self.viewport().unsetCursor()
        self._connect_cursor = over_handle

    def _show_pan_cursor(self) -> None:
        self._connect_cursor = False
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


def _regions(viewport: QRectF, key: QRectF) -> list[QRectF]:
    """Where a fit may centre the map: the whole viewport, or beside, above or below the
    key."""
    return [viewport,
            QRectF(viewport.topLeft(), QPointF(key.left(), viewport.bottom())),
            QRectF(QPointF(key.right(), viewport.top()), viewport.bottomRight()),
            QRectF(viewport.topLeft(), QPointF(viewport.right(), key.top())),
            QRectF(QPointF(viewport.left(), key.bottom()), viewport.bottomRight())]
