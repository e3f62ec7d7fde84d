"""Drawing a whole map at once when it is zoomed far out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import Z_ARROW, TouchpointCard, level_of_detail
from cx_mapper.ui.look import palette
from cx_mapper.ui.look.palette import CanvasPalette, current_palette


@dataclass
class _Overview:
    """The whole map as a few paths, for drawing it far out in a handful of calls."""

    arrows: dict[str, QPainterPath]  # "arrow", "loop", "selected"
    bodies: dict[int, tuple[QColor, QPainterPath]]  # fill (rgba) -> its cards' bodies
    bands: dict[int, QPainterPath]  # satisfaction in tenths -> its cards' colour bands
    selected: QPainterPath


class OverviewLayer(QGraphicsItem):
    """Draws every card and arrow at once when the map is zoomed far out.

    Far out, thousands of items each painted from Python cost far more than the
    drawing. The scene then marks cards and arrows as having no contents and this
    layer draws them as a few cached paths: card blocks (tinted when the satisfaction
    fill is on) with their satisfaction colour, hairline arrows and the selection.
    Rendered closer than that (an export at a larger scale while the view is far
    out), it paints the items one by one instead, so a picture of the scene is
    always complete.
    """

    def __init__(
        self,
        items: Callable[[], tuple[Iterable[TouchpointCard], Iterable[TransitionArrow]]],
        palette: CanvasPalette | None = None,
    ) -> None:
        super().__init__()
        self._items = items
        self._palette = palette or current_palette()
        self._rect = QRectF()
        self._cache: _Overview | None = None
        self._arrow_paths: dict[str, QPainterPath] | None = None  # kept when only cards change
        self.setZValue(Z_ARROW)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_rect(self, rect: QRectF) -> None:
        """The area it may draw in: the whole scene."""
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.invalidate()

    def invalidate(self) -> None:
        """Something drawn changed; the paths are rebuilt at the next paint."""
        self._cache = None
        self._arrow_paths = None
        if self.isVisible():
            self.update()

    def invalidate_cards(self) -> None:
        """Only cards' looks changed (a satisfaction, a tint): the arrows' paths, four
        fifths of the rebuild on a 2,000-card map, are kept."""
        if self._cache is not None:
            self._arrow_paths = self._cache.arrows
        self._cache = None
        if self.isVisible():
            self.update()

    def arrow_paths(self) -> object:
        """The arrows as drawn far out, to hand back with `use_arrow_paths` when the
        same arrows return (undoing a big move brings back the arrows from before)."""
        return self._cache.arrows if self._cache is not None else self._arrow_paths

    def use_arrow_paths(self, paths: object) -> None:
        """Draw these arrows' paths (from `arrow_paths`); the cards are drawn afresh."""
        self._cache = None
        self._arrow_paths = paths if isinstance(paths, dict) else None
        if self.isVisible():
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: the cards and arrows underneath take the clicks

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if level_of_detail(painter) >= style.LOD_DETAIL:
            self._paint_items(painter, option, widget)
            return
        if self._cache is None:
            self._cache = self._build()
        cache, p = self._cache, self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for name, colour in (("arrow", p.arrow), ("loop", p.loop_arrow),
                             ("selected", p.selection)):
            pen = QPen(colour, 1.0)  # wider cosmetic lines are many times slower here
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(cache.arrows[name])
        painter.setPen(Qt.PenStyle.NoPen)
        for fill, bodies in cache.bodies.values():  # one colour, or tints by satisfaction
            painter.setBrush(fill)
            painter.drawPath(bodies)
        for tenths, band in cache.bands.items():
            painter.setBrush(palette.satisfaction_color(tenths / 10, p))
            painter.drawPath(band)
        pen = QPen(p.selection, 2.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(cache.selected)

    def _build(self) -> _Overview:
        cards, arrows = self._items()
        paths = self._arrow_paths or _arrow_paths(arrows)
        bodies: dict[int, tuple[QColor, QPainterPath]] = {}
        selected = QPainterPath()
        bands: dict[int, QPainterPath] = {}
        band_width = style.SATISFACTION_BAND
        for card in cards:
            x, y = card.x(), card.y()
            fill = card.fill_colour()
            group = bodies.get(fill.rgba())
            if group is None:
                group = bodies[fill.rgba()] = (fill, QPainterPath())
            group[1].addRect(x, y, style.CARD_WIDTH, style.CARD_HEIGHT)
            tenths = round(max(-1.0, min(1.0, card.touchpoint.satisfaction)) * 10)
            bands.setdefault(tenths, QPainterPath()).addRect(x, y, band_width,
                                                             style.CARD_HEIGHT)
            if card.isSelected():
                selected.addRect(x - 6, y - 6, style.CARD_WIDTH + 12, style.CARD_HEIGHT + 12)
        return _Overview(paths, bodies, bands, selected)

    def _paint_items(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None
    ) -> None:
        """Close up: each card and arrow paints itself, lowest first."""
        scene = self.scene()
        if scene is None:
            return
        exposed = option.exposedRect if option is not None else self._rect
        for item in scene.items(exposed, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                                Qt.SortOrder.AscendingOrder):
            if isinstance(item, TouchpointCard | TransitionArrow) and item.isVisible():
                painter.save()
                painter.translate(item.pos())
                item.paint(painter, option, widget)
                painter.restore()


def _arrow_paths(arrows: Iterable[TransitionArrow]) -> dict[str, QPainterPath]:
    paths = {"arrow": QPainterPath(), "loop": QPainterPath(), "selected": QPainterPath()}
    for arrow in arrows:
        if arrow.isSelected():
            name = "selected"
        else:
            name = "loop" if arrow.kind == TransitionArrow.BACKWARD else "arrow"
        paths[name].addPath(arrow.path())
    return paths
