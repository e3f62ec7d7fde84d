"""Transition arrows: curves from a card's handle to another card, labelled with their %."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from cx_mapper.domain.journey import Transition
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.items import Z_ARROW, escape, format_percent, level_of_detail
from cx_mapper.ui.editor.canvas.routing import (
    LABEL_SPOTS,
    Blocked,
    Edges,
    Point,
    Router,
    around_route,
    arrow_head,
    forward_route,
    label_run,
    rounded_polyline,
    s_curve,
    s_curve_point,
    self_loop,
)
from cx_mapper.ui.look import fonts
from cx_mapper.ui.look.palette import CanvasPalette, current_palette

#: The thinnest stroke an arrow takes.
MIN_WIDTH = 0.75
#: How far short of its target a route stops: the length of the shortest head.
ROUTE_HEAD = style.ARROW_HEAD + MIN_WIDTH * 1.5


class TransitionArrow(QGraphicsItem):
    """A transition: a curve from the source card's handle to the target's left edge.

    Forward transitions are S-curves between the cards; when an S-curve would cross
    another card (it skips a lane, say), it runs along the gap between card rows
    instead. Anything that goes back (or sideways within a stage) is routed as a
    rounded arc around both cards, below them unless `set_route_above(True)` or
    unless that side is blocked. A self-loop is a loop on the card's top.
    Coordinates are scene coordinates; the item stays at (0, 0). A plain
    QGraphicsItem, not a QObject: maps have thousands and it needs no signals.
    """

    FORWARD = "forward"
    BACKWARD = "backward"
    SIDEWAYS = "sideways"
    SELF = "self"

    _label_sizes: dict[str, tuple[float, float]] = {}
    _label_sizes_font: list[QFont] = []  # the font _label_sizes were measured in

    def __init__(self, transition: Transition, palette: CanvasPalette | None = None) -> None:
        super().__init__()
        self._palette = palette or current_palette()
        self._label_font = fonts.shared_font(style.LABEL_POINT_SIZE, QFont.Weight.DemiBold)
        self._width = style.ARROW_WIDTH
        self._strength = 1.0  # how strongly it is inked: small flows fade with the overlay
        self._stale = False  # its flow is of an older revision: inked faintly
        self._route_above = False
        self._router: Router | None = None
        # shared empty values until routed: never changed in place, only replaced
        self._source: Edges | None = None  # the two cards' bodies, once routed
        self._target: Edges | None = None
        self._path = _NO_PATH
        self._head_points: tuple[Point, ...] = ()
        self._tip: tuple[Point, Point] | None = None  # the head's tip and direction, once routed
        self._room = style.FLOW_MAX_WIDTH  # the widest stroke the bounds leave room for
        self._head: QPolygonF | None = _NO_HEAD  # made from the points when first drawn
        self._label_rect = self._bounds = _NO_RECT
        self._label = ""
        self._label_size = (0.0, 0.0)
        self._runs: list[Edges] = []  # boxes round the stretches of the path, for culling
        self._shape: QPainterPath | None = None
        self.kind = self.FORWARD
        self.transition = transition
        self.setZValue(Z_ARROW)
        self.setFlags(_FLAGS)
        self.update_from(transition)

    # -- data
    @property
    def key(self) -> tuple[str, str]:
        return self.transition.key

    def update_from(self, transition: Transition) -> None:
        self.transition = transition
        self._label = format_percent(transition.probability)
        self._label_size = self._measure(self._label)
        self._rebuild()

    def tooltip(self, source_name: str = "", target_name: str = "") -> str:
        """The tooltip, worked out when shown (the scene asks, with the cards' names)."""
        t = self.transition
        tip = f"{escape(source_name or t.source)} → {escape(target_name or t.target)}: " \
              f"<b>{self._label}</b>"
        return f"{tip}<br>{escape(t.label)}" if t.label else tip

    def _measure(self, label: str) -> tuple[float, float]:
        """The label's pill size; a few dozen distinct labels serve thousands of arrows."""
        sizes, measured_in = TransitionArrow._label_sizes, TransitionArrow._label_sizes_font
        if not measured_in or measured_in[0] != self._label_font:
            sizes.clear()
            measured_in[:] = [QFont(self._label_font)]
        size = sizes.get(label)
        if size is None:
            metrics = QFontMetricsF(self._label_font)
            size = sizes[label] = (metrics.horizontalAdvance(label) + 12, metrics.height() + 4)
        return size

    def update_geometry(
        self, source_rect: QRectF, target_rect: QRectF, router: Router | None = None
    ) -> None:
        """Re-route between the two cards' body rects, in scene coordinates.

        With a `router`, routes that would cross other cards are avoided where an
        alternative is clear, and the label takes a spot clear of other labels.
        """
        self._source = _edges(source_rect) if not source_rect.isNull() else None
        self._target = _edges(target_rect) if not target_rect.isNull() else None
        self._router = router
        self._rebuild()

    def set_flow(self, width: float) -> None:
        """The stroke width, e.g. from the flow along this transition after analysis.

        The route and the bounds leave room for any width up to FLOW_MAX_WIDTH, so a
        new width only resizes the head: no re-routing, which matters when a result
        re-widths thousands of arrows.
        """
        width = max(MIN_WIDTH, float(width))
        if width == self._width:
            return
        self._width = width
        if self._tip is None or width > self._room:
            self._rebuild()
            return
        self._head_points = self._head_for(width)
        self._head = None
        self._shape = None
        self.update()

    def flow_width(self) -> float:
        return self._width

    def set_strength(self, strength: float) -> None:
        """How strongly the line and head are inked, 0.2-1 (faded towards the lane
        colour): the flow overlay fades small flows so the main ones stand out. The
        label keeps its text at full strength."""
        strength = max(0.2, min(1.0, float(strength)))
        if strength != self._strength:
            self._strength = strength
            self.update()

    def strength(self) -> float:
        """How strongly it is inked now: at most STALE_STRENGTH while its flow is stale."""
        return min(self._strength, style.STALE_STRENGTH) if self._stale else self._strength

    def set_stale(self, stale: bool, *, repaint: bool = True) -> None:
        """Ink faintly while the flow drawn is of an older revision (cheap: no re-dress).

        `repaint=False` leaves the repaint to the caller: the scene marks thousands of
        arrows and then repaints once (arrows keep no pixmap cache).
        """
        if stale != self._stale:
            self._stale = stale
            if repaint:
                self.update()

    def is_stale(self) -> bool:
        return self._stale

    def set_route_above(self, above: bool) -> None:
        """Route loop arcs above the cards rather than below them."""
        self._route_above = above
        self._rebuild()

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.update()

    def set_far(self, far: bool) -> None:
        """Far out the scene's overview layer draws this arrow; it paints nothing itself."""
        self.setFlags(_FAR_FLAGS if far else _FLAGS)

    def path(self) -> QPainterPath:
        """The curve, without the arrow head, in scene coordinates."""
        return QPainterPath(self._path)

    def head(self) -> QPolygonF:
        """The arrow head: its tip first, then its two back corners."""
        return QPolygonF(self._head_polygon())

    def _head_polygon(self) -> QPolygonF:
        if self._head is None:
            self._head = QPolygonF([QPointF(x, y) for x, y in self._head_points])
        return self._head

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def label_text(self) -> str:
        return self._label

    # -- routing
    def _rebuild(self) -> None:
        src, tgt = self._source, self._target
        if src is None or tgt is None:
            self._tip = None
            if not self._bounds.isNull():
                self.prepareGeometryChange()
                self._path, self._head, self._head_points, self._runs = (
                    _NO_PATH, _NO_HEAD, (), [])
                self._label_rect, self._bounds, self._shape = _NO_RECT, _NO_RECT, None
            return
        self.prepareGeometryChange()
        # The line stops where the shortest head would start; a wider arrow's longer
        # head covers the rest of it. So the route is the same for every width.
        head = ROUTE_HEAD
        self._room = max(style.FLOW_MAX_WIDTH, self._width)
        router, key = self._router, self.key
        blocked: Blocked | None = None
        if router is not None:
            def blocked(left: float, top: float, right: float, bottom: float) -> bool:
                return router.blocked(left, top, right, bottom, key)

        if self.transition.source == self.transition.target or src == tgt:
            self.kind = self.SELF
            path = self_loop(QRectF(src[0], src[1], src[2] - src[0], src[3] - src[1]), head)
            # beside the arch rather than on it: the row above is only a gap away
            spread, half = (src[2] - src[0]) * 0.15, self._label_size[0] / 2
            level = src[1] - style.SELF_LOOP_HEIGHT * 0.6
            centre = (src[0] + src[2]) / 2
            spots = iter([(centre + spread + 6 + half, level),
                          (centre - spread - 6 - half, level)])
            end_point = path.currentPosition()
            tip, direction = (end_point.x(), end_point.y()), (0.0, 1.0)
            box = _edges(path.controlPointRect())
            runs = [box]
        else:
            start = (src[2] + style.HANDLE_SIZE / 2, (src[1] + src[3]) / 2)
            end = (tgt[0] - head, (tgt[1] + tgt[3]) / 2)
            if end[0] - start[0] >= 24:
                self.kind = self.FORWARD
                points = forward_route(src, tgt, start, end, blocked, self._label_size[1] / 2)
            else:
                self.kind = self.BACKWARD if tgt[0] + tgt[2] < src[0] + src[2] else self.SIDEWAYS
                points = around_route(src, tgt, start, end, self._route_above, blocked)
            if points is None:
                path = s_curve(start, end)
                spots = (s_curve_point(start, end, t) for t in LABEL_SPOTS)
                box = (start[0], min(start[1], end[1]), end[0], max(start[1], end[1]))
                runs = [box]
            else:
                path = rounded_polyline(points, style.ARROW_CORNER)
                pad = style.ARROW_CORNER + self._room  # rounded corners bulge this far
                runs = [(min(x1, x2) - pad, min(y1, y2) - pad, max(x1, x2) + pad,
                         max(y1, y2) + pad)
                        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)]
                (x1, y1), (x2, _) = label_run(points)
                spots = ((x1 + t * (x2 - x1), y1) for t in LABEL_SPOTS)
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                box = (min(xs), min(ys), max(xs), max(ys))  # corners round off inside it
            tip, direction = end, (1.0, 0.0)
        self._path = path
        self._tip = ((tip[0] + direction[0] * head, tip[1] + direction[1] * head), direction)
        self._head_points = self._head_for(self._width)
        self._head = None
        widest = self._head_for(self._room)
        xs, ys = [p[0] for p in widest], [p[1] for p in widest]
        head_box = (min(xs), min(ys), max(xs), max(ys))
        self._runs = [*runs, head_box]
        width, height = self._label_size
        candidates = ((x - width / 2, y - height / 2, x + width / 2, y + height / 2)
                      for x, y in spots)
        left, top, _, _ = (router.place_label(key, candidates) if router is not None
                           else next(candidates))
        self._label_rect = QRectF(left, top, width, height)
        self._shape = None  # worked out when first asked: most arrows are never hit-tested
        margin = self._room / 2 + 4  # room for the selection glow
        x1 = min(box[0], head_box[0], left) - margin
        y1 = min(box[1], head_box[1], top) - margin
        x2 = max(box[2], head_box[2], left + width) + margin
        y2 = max(box[3], head_box[3], top + height) + margin
        self._bounds = QRectF(x1, y1, x2 - x1, y2 - y1)
        self.update()

    def _head_for(self, width: float) -> tuple[Point, ...]:
        """The head of an arrow `width` wide: its tip where the route ends, longer the
        wider the line."""
        if self._tip is None:
            return ()
        (x, y), (dx, dy) = self._tip
        length = style.ARROW_HEAD + width * 1.5
        return arrow_head((x - dx * length, y - dy * length), (dx, dy), length)

    def _touches(self, rect: QRectF) -> bool:
        """Whether any stretch of the path, its head or its label may show in `rect`."""
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        for x1, y1, x2, y2 in self._runs:
            if x1 < right and x2 > left and y1 < bottom and y2 > top:
                return True
        return rect.intersects(self._label_rect)

    # -- Qt
    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        if self._shape is None:
            if self._path.isEmpty():
                return QPainterPath()
            stroker = QPainterPathStroker()
            stroker.setWidth(self._width + 8)
            shape = stroker.createStroke(self._path)
            shape.addPolygon(self._head_polygon())
            radius = self._label_rect.height() / 2
            shape.addRoundedRect(self._label_rect, radius, radius)
            self._shape = shape
        return QPainterPath(self._shape)

    def colour(self) -> QColor:
        """What it is drawn in: selection, loop-back or plain."""
        if self.isSelected():
            return self._palette.selection
        return self._palette.loop_arrow if self.kind == self.BACKWARD else self._palette.arrow

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self._path.isEmpty():
            return
        exposed = option.exposedRect if option is not None else QRectF()
        if not exposed.isEmpty() and not self._touches(exposed):
            return  # a long loop whose bounds cross the view while the line does not
        p = self._palette
        selected = self.isSelected()
        colour = QColor(self.colour())
        strength = self.strength()
        if not selected and strength < 1.0:
            # faded towards the lanes, but opaque: where the line runs under the head
            # (or under another arrow) it must not show through
            colour = _fade(colour, p.lane_fill[0], strength)
        lod = level_of_detail(painter)
        if lod < style.LOD_DETAIL:
            # Far out: a hairline (thicker when selected), no head, no label, no dashes.
            pen = QPen(colour, 2.0 if selected else 1.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if selected:
            glow = QColor(p.selection)
            glow.setAlpha(60)
            painter.setPen(QPen(glow, self._width + 6, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        pen = QPen(colour, self._width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if self.kind == self.BACKWARD and lod >= style.LOD_TEXT:
            pen.setDashPattern([6.0, 3.0])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._head_polygon())
        if lod < style.LOD_TEXT or (not exposed.isEmpty()
                                    and not exposed.intersects(self._label_rect)):
            return

        radius = self._label_rect.height() / 2
        border = QPen(colour, 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.setBrush(QBrush(p.label_fill))
        painter.drawRoundedRect(self._label_rect, radius, radius)
        painter.setFont(self._label_font)
        painter.setPen(p.label_text)
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label)


def _fade(colour: QColor, background: QColor, strength: float) -> QColor:
    t = 1.0 - strength
    return QColor.fromRgbF(colour.redF() + (background.redF() - colour.redF()) * t,
                           colour.greenF() + (background.greenF() - colour.greenF()) * t,
                           colour.blueF() + (background.blueF() - colour.blueF()) * t)


def _edges(rect: QRectF) -> Edges:
    return rect.left(), rect.top(), rect.right(), rect.bottom()


_NO_RECT = QRectF()
_NO_PATH = QPainterPath()
_NO_HEAD = QPolygonF()
_FLAGS = (QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
          | QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)
_FAR_FLAGS = _FLAGS | QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
