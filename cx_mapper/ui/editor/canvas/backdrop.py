"""What lies under the cards, kept as pixels between frames: pans at 30+ frames a second.

The scene draws its lanes and arrows (far out: the overview layer) in its background
(`SceneItems.drawBackground`); only the cards are items Qt paints one by one. A 2,000-card
map at 30% zoom has some 2,800 arrows in view, most of them long loops: 70-100 ms a
frame to draw them all, and a pan strip a few pixels wide still crosses 1,300 of them
(50 ms). So the view keeps what it drew in a pixmap reaching MARGIN pixels beyond each
side of the viewport (`Backdrop`):

- a pan only moves the pixmap; when the view nears its edge, it is re-centred and the
  band that came into reach is drawn while the event loop is idle;
- at another zoom it is drawn afresh; while the wheel turns the view shows its last
  frame scaled (`ZoomGesture`) and draws properly once the steps pause;
- an edit redraws only what it touched: the scene says where (`backdrop_changed`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, QTimer
from PySide6.QtGui import QPainter, QPixmap, QRegion, QTransform
from PySide6.QtWidgets import QGraphicsView

#: How far beyond the viewport the kept pixels reach, at most (a pan of this many
#: pixels costs no drawing at all).
MARGIN = 256
#: After an edit redraws the map, the margins wait until edits have paused this long
#: (seconds): a burst of edits (a slider drag, an analysis per edit) redraws only the view.
QUIET_SECONDS = 0.4
#: Zoom steps closer than this are one gesture; then the map is drawn at the zoom reached.
SETTLE_MS = 180
#: Drawing the margins between frames stops after this long, to take up input again.
IDLE_SECONDS = 0.008
#: ... in tiles this big: drawing cost goes with the arrows crossing a tile.
TILE = 128


class Backdrop:
    """The pixels under a view's cards, and which of them are out of date."""

    def __init__(self, view: QGraphicsView, busy: Callable[[], bool] = lambda: False) -> None:
        self._view = view
        self._busy = busy  # while true (new figures on their way), margins wait
        self._pixmap: QPixmap | None = None
        self._to_pixmap = QTransform()  # scene to pixmap (logical pixels)
        self._margin = 0
        self._stale = QRegion()  # pixmap pixels to draw again
        self._changed_at = 0.0  # when an edit last made some of them stale
        self._idle = QTimer(view)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)

    # -- what the view tells it -----------------------------------------------------------
    def invalidate(self, scene_rect: QRectF | None = None) -> None:
        """Something drawn under the cards changed in `scene_rect` (None: anywhere)."""
        if self._pixmap is None:
            return
        bounds = QRect(QPoint(0, 0), self._pixmap.deviceIndependentSize().toSize())
        if scene_rect is None or scene_rect.isEmpty():
            area = bounds
        else:
            mapped = self._to_pixmap.mapRect(scene_rect).toAlignedRect()
            area = mapped.adjusted(-2, -2, 2, 2).intersected(bounds)
            if area.isEmpty():
                return
        self._stale += area
        self._changed_at = time.perf_counter()
        shift = self._shift(self._view.viewportTransform())
        if shift is not None:
            self._view.viewport().update(area.translated(shift))

    # -- painting ---------------------------------------------------------------------------
    def draw(self, painter: QPainter, scene_rect: QRectF) -> None:
        """Paint the exposed `scene_rect` from the kept pixels, drawing again only what
        is out of date. `painter` is the view's, in scene coordinates."""
        transform = self._view.viewportTransform()
        exposed = painter.worldTransform().mapRect(scene_rect).toAlignedRect()
        shift = self._shift(transform)
        if shift is None:
            self._start(transform)
            shift = self._shift(transform)
            assert shift is not None
        if not self._covers(shift):
            self._centre(transform)
            shift = self._shift(transform)
            assert shift is not None
        pixmap = self._pixmap
        assert pixmap is not None
        wanted = exposed.translated(-shift)
        todo = self._stale.intersected(QRegion(wanted))
        if not todo.isEmpty():
            self._render(todo)
        ratio = pixmap.devicePixelRatio()
        source = QRectF(wanted.x() * ratio, wanted.y() * ratio,
                        wanted.width() * ratio, wanted.height() * ratio)
        painter.save()
        painter.resetTransform()
        painter.drawPixmap(QRectF(exposed), pixmap, source)
        painter.restore()
        if not self._stale.isEmpty() or self._off_centre(shift):
            self._idle.start(0)  # the margins, between frames

    def _shift(self, transform: QTransform) -> QPoint | None:
        """Where the pixmap's top-left sits in the viewport now, or None when the kept
        pixels cannot serve `transform` (another zoom, a fraction of a pixel off)."""
        if self._pixmap is None:
            return None
        kept = self._to_pixmap
        if (transform.m11(), transform.m12(), transform.m21(), transform.m22()) != \
                (kept.m11(), kept.m12(), kept.m21(), kept.m22()):
            return None
        dx, dy = transform.dx() - kept.dx(), transform.dy() - kept.dy()
        ratio = self._pixmap.devicePixelRatio()
        if dx * ratio != round(dx * ratio) or dy * ratio != round(dy * ratio):
            return None
        size = self._view.viewport().size()
        if self._pixmap.deviceIndependentSize().toSize() != \
                _grown(size, self._margin):
            return None
        return QPoint(round(dx), round(dy))

    def _covers(self, shift: QPoint) -> bool:
        assert self._pixmap is not None
        size = self._pixmap.deviceIndependentSize().toSize()
        shown = QRect(QPoint(0, 0), self._view.viewport().size()).translated(-shift)
        return QRect(QPoint(0, 0), size).contains(shown)

    def _off_centre(self, shift: QPoint) -> bool:
        return max(abs(shift.x() + self._margin), abs(shift.y() + self._margin)) > \
            self._margin // 2

    def _start(self, transform: QTransform) -> None:
        """Fresh pixels round the viewport as it is now, all to be drawn."""
        viewport = self._view.viewport()
        ratio = viewport.devicePixelRatioF()
        size = viewport.size()
        self._margin = min(MARGIN, max(size.width(), size.height()) // 2)
        logical = _grown(size, self._margin)
        self._pixmap = QPixmap(round(logical.width() * ratio), round(logical.height() * ratio))
        self._pixmap.setDevicePixelRatio(ratio)
        self._to_pixmap = transform * QTransform.fromTranslate(self._margin, self._margin)
        self._stale = QRegion(QRect(QPoint(0, 0), logical))

    def _centre(self, transform: QTransform) -> None:
        """Move the kept pixels so the viewport sits in their middle again; the band
        that comes into reach is to be drawn."""
        pixmap = self._pixmap
        assert pixmap is not None
        centred = transform * QTransform.fromTranslate(self._margin, self._margin)
        dx = round(centred.dx() - self._to_pixmap.dx())
        dy = round(centred.dy() - self._to_pixmap.dy())
        bounds = QRect(QPoint(0, 0), pixmap.deviceIndependentSize().toSize())
        ratio = pixmap.devicePixelRatio()
        if abs(dx) >= bounds.width() or abs(dy) >= bounds.height():
            self._stale = QRegion(bounds)
        else:
            pixmap.scroll(round(dx * ratio), round(dy * ratio), pixmap.rect())
            self._stale.translate(dx, dy)
            self._stale += QRegion(bounds).subtracted(QRegion(bounds.translated(dx, dy)))
            self._stale &= QRegion(bounds)
        self._to_pixmap = centred

    def _render(self, region: QRegion) -> None:
        """Draw the scene's background into the kept pixels, rect by rect of `region`."""
        assert self._pixmap is not None
        scene = self._view.scene()
        inverse, _ = self._to_pixmap.inverted()
        background, drawn = scene.backgroundBrush(), scene.sceneRect()
        painter = QPainter(self._pixmap)
        painter.setRenderHints(self._view.renderHints())
        for rect in region:  # type: ignore[attr-defined]  # PySide iterates a QRegion
            painter.fillRect(rect, background)
            area = inverse.mapRect(QRectF(rect))
            if not area.intersects(drawn):
                continue  # past the map's edge: nothing but the background
            painter.save()
            painter.setClipRect(rect)
            painter.setTransform(self._to_pixmap)
            scene.drawBackground(painter, area)
            painter.restore()
        painter.end()
        self._stale -= region

    def _on_idle(self) -> None:
        """Between frames: re-centre if the view has moved far, then draw one stale band."""
        if self._pixmap is None or not self._view.isVisible():
            return
        transform = self._view.viewportTransform()
        shift = self._shift(transform)
        if shift is None:
            return
        if self._off_centre(shift):
            self._centre(transform)
            shift = self._shift(transform)
            assert shift is not None
            shown = QRegion(QRect(-shift, self._view.viewport().size()))
            if self._stale.intersects(shown):
                self._view.viewport().update()
                return  # the next frame draws what shows
        now = time.perf_counter()
        if now - self._changed_at < QUIET_SECONDS or self._busy():
            # edits are still coming, or their analysis is: the margins wait for a pause
            wait = max(self._changed_at + QUIET_SECONDS - now, QUIET_SECONDS / 4)
            self._idle.start(round(wait * 1000) + 1)
            return
        end = now + IDLE_SECONDS
        centre = QRect(-shift, self._view.viewport().size()).center()
        while not self._stale.isEmpty() and time.perf_counter() < end:
            tiles = [tile for rect in self._stale  # type: ignore[attr-defined]
                     for tile in _tiles(rect)]
            nearest = min(tiles, key=lambda tile: (tile.center() - centre).manhattanLength())
            self._render(QRegion(nearest))
        if not self._stale.isEmpty():
            self._idle.start(0)


def _tiles(rect: QRect) -> list[QRect]:
    return [QRect(x, y, min(TILE, rect.right() + 1 - x), min(TILE, rect.bottom() + 1 - y))
            for x in range(rect.left(), rect.right() + 1, TILE)
            for y in range(rect.top(), rect.bottom() + 1, TILE)]


def _grown(size: QSize, margin: int) -> QSize:
    return QSize(size.width() + 2 * margin, size.height() + 2 * margin)


class ZoomGesture:
    """While the wheel or the keys zoom: the frame shown before, scaled, not redrawn.

    Each new zoom draws the cards again (their pixmap cache is per zoom: 45 ms for the
    250 cards in view at 30 %) and the arrows in view (70 ms). Mid-gesture the view
    shows the last frame stretched instead, and draws properly once the steps pause.
    """

    def __init__(self, view: QGraphicsView) -> None:
        self._view = view
        self._frame: QPixmap | None = None
        self._transform = QTransform()  # the scene-to-viewport transform of the frame
        self._settle = QTimer(view)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._on_settled)

    def step(self) -> None:
        """A zoom step is about to happen: keep the frame as it is (once per gesture)."""
        if self._frame is None and self._view.isVisible():
            self._frame = self._view.viewport().grab()
            self._transform = QTransform(self._view.viewportTransform())
        self._settle.start()

    def is_active(self) -> bool:
        return self._frame is not None

    def paint(self) -> bool:
        """Paint the viewport from the kept frame; False when there is none (draw it)."""
        frame = self._frame
        if frame is None:
            return False
        viewport = self._view.viewport()
        inverse, _ = self._transform.inverted()
        shown = inverse.mapRect(QRectF(QPoint(0, 0), frame.deviceIndependentSize()))
        painter = QPainter(viewport)
        painter.fillRect(viewport.rect(), self._view.scene().backgroundBrush())
        painter.drawPixmap(self._view.viewportTransform().mapRect(shown), frame,
                           QRectF(frame.rect()))
        painter.end()
        return True

    def _on_settled(self) -> None:
        self._frame = None
        self._view.viewport().update()
