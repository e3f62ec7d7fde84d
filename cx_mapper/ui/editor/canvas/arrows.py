"""Transition arrows: routes from a card's right side to another card's left, labelled
with their %."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
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

from cx_mapper.domain.durations import median_and_p90, short_duration
from cx_mapper.domain.journey import Transition
from cx_mapper.engine.routing import Point, Route, head_length
from cx_mapper.engine.routing.routes import MIN_WIDTH, ROUTE_HEAD
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.items import Z_ARROW, escape, format_percent, level_of_detail
from cx_mapper.ui.editor.canvas.routing import (
    Edges,
    MapRouter,
    arrow_head,
    rounded_polyline,
    route_alone,
    self_loop,
)
from cx_mapper.ui.look import fonts
from cx_mapper.ui.look.palette import CanvasPalette, current_palette

_SHAPE = Qt.ItemSelectionMode.IntersectsItemShape


class TransitionArrow(QGraphicsItem):
    """A transition: a route from the source card's right side to the target's left.

    The route (`cx_mapper.engine.routing`) runs in horizontal and vertical stretches
    with rounded corners: straight across, along the gutter between two lanes, or
    round by the gap between card rows (loops back, arrows that skip a lane), below
    unless `set_route_above(True)`. Arrows out of or into one card leave or arrive
    apart; parallel ones keep apart. A self-loop is a loop on the card's top.
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
        self.transition = transition
        self._palette = palette or current_palette()
        self._label_font = fonts.shared_font(style.LABEL_POINT_SIZE, QFont.Weight.DemiBold)
        self._width = style.ARROW_WIDTH
        self._strength = 1.0  # how strongly it is inked: small flows fade with the overlay
        self._stale = False  # its flow is of an older revision: inked faintly
        self._route_above = False
        self._router: MapRouter | None = None
        # shared empty values until routed: never changed in place, only replaced
        self._source: Edges | None = None  # the two cards' bodies, once routed
        self._target: Edges | None = None
        self._path = _NO_PATH
        self._head_points: tuple[Point, ...] = ()
        self._tip: tuple[Point, Point] | None = None  # the head's tip and direction, once routed
        self._route: Route | None = None
        self._room = style.FLOW_MAX_WIDTH  # the widest stroke the bounds leave room for
        self._head: QPolygonF | None = _NO_HEAD  # made from the points when first drawn
        self._label_rect = self._bounds = _NO_RECT
        self._label = ""
        self._label_size = (0.0, 0.0)
        self._time_shown = False  # the time overlay: the median time after the %
        self._runs: list[Edges] | None = []  # boxes round the path's stretches, for culling
        self._shape: QPainterPath | None = None
        self.kind = self.FORWARD
        self.setZValue(Z_ARROW)
        self.setFlags(_FLAGS)
        self.update_from(transition)

    # -- data
    @property
    def key(self) -> tuple[str, str]:
        return self.transition.key

    def update_from(self, transition: Transition) -> None:
        self.transition = transition
        self._label = arrow_label(transition, self._time_shown)
        size = self._measure(self._label)
        if size == self._label_size:
            self.update()
            return
        self._label_size = size
        if self._router is not None:
            self._router.label_changed(self)
        elif self._source is not None:
            self.set_route(route_alone(self))

    def tooltip(self, source_name: str = "", target_name: str = "") -> str:
        """The tooltip, worked out when shown (the scene asks, with the cards' names)."""
        t = self.transition
        tip = f"{escape(source_name or t.source)} → {escape(target_name or t.target)}: " \
              f"<b>{format_percent(t.probability)}</b>"
        if t.time_median is not None:
            tip += f"<br>Time between them: {median_and_p90(t.time_median, t.time_p90)}"
        return f"{tip}<br>{escape(t.label)}" if t.label else tip

    def set_time_shown(self, shown: bool) -> None:
        """The time overlay: the median time between the two touchpoints under the %
        ("40%" over "2 d"), where the log measured one. The router places the pill."""
        if shown != self._time_shown:
            self._time_shown = shown
            if self.transition.time_median is not None:
                self.update_from(self.transition)

    def time_shown(self) -> bool:
        return self._time_shown

    def _measure(self, label: str) -> tuple[float, float]:
        """The label's pill size; a few dozen distinct labels serve thousands of arrows."""
        sizes, measured_in = TransitionArrow._label_sizes, TransitionArrow._label_sizes_font
        if not measured_in or measured_in[0] != self._label_font:
            sizes.clear()
            measured_in[:] = [QFont(self._label_font)]
        size = sizes.get(label)
        if size is None:
            metrics = QFontMetricsF(self._label_font)
            # a snug pill: labels sit in the gutters between lanes, where room is short
            lines = label.split("\n")  # the time overlay's second line
            size = sizes[label] = (max(map(metrics.horizontalAdvance, lines)) + 8,
                                   metrics.height() * len(lines) + 2)
        return size

    def update_geometry(
        self, source_rect: QRectF, target_rect: QRectF, router: MapRouter | None = None
    ) -> None:
        """Re-route between the two cards' body rects, in scene coordinates.

        With a scene's `router` it is routed with every other arrow (now, or when the
        router's batch ends): clear of other cards, apart from parallel arrows, its
        label clear of cards, labels and other lines. Without one, on its own.
        """
        self._source = _edges(source_rect) if not source_rect.isNull() else None
        self._target = _edges(target_rect) if not target_rect.isNull() else None
        self._router = router
        if router is not None and self._source is not None and self._target is not None:
            router.attach(self)
        else:
            self.set_route(route_alone(self))

    # -- what the router asks
    def ends(self) -> tuple[Edges, Edges] | None:
        """The source's and the target's body, once known."""
        if self._source is None or self._target is None:
            return None
        return self._source, self._target

    def label_size(self) -> tuple[float, float]:
        return self._label_size

    def route_above(self) -> bool:
        return self._route_above

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
        if self._router is not None:
            self._router.width_changed(self)  # labels its wider line covers move
        if self._tip is None:
            return
        if width > self._room:
            self.prepareGeometryChange()
            self._place_parts()
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
        if above == self._route_above:
            return
        self._route_above = above
        if self._router is not None:
            self._router.above_changed(self)
        elif self._source is not None:
            self.set_route(route_alone(self))

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

    def route(self) -> Route | None:
        """The route it is drawn along: its kind, its corners, its head and its label."""
        return self._route

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def label_text(self) -> str:
        return self._label

    # -- routing
    def set_route(self, route: Route | None) -> None:
        """Take the route and label place the router worked out (None: unrouted)."""
        if route is None or self._source is None:
            if not self._bounds.isNull():
                self.prepareGeometryChange()
            self._tip, self._route = None, None
            self._path, self._head, self._head_points, self._runs = (_NO_PATH, _NO_HEAD, (), [])
            self._label_rect, self._bounds, self._shape = _NO_RECT, _NO_RECT, None
            return
        self.prepareGeometryChange()
        self.kind = route.kind
        self._route = route
        if route.kind == self.SELF:
            src = self._source
            self._path = self_loop(QRectF(src[0], src[1], src[2] - src[0], src[3] - src[1]),
                                   ROUTE_HEAD)
        else:
            self._path = rounded_polyline(route.points, style.ARROW_CORNER)
        self._tip = (route.tip, route.direction)
        left, top, right, bottom = route.label
        self._label_rect = QRectF(left, top, right - left, bottom - top)
        self._place_parts()

    def _place_parts(self) -> None:
        """The head and the bounds, from the route; room for any width up to
        FLOW_MAX_WIDTH, so a new width rarely changes them."""
        route = self._route
        assert route is not None
        self._room = max(style.FLOW_MAX_WIDTH, self._width)
        self._head_points = self._head_for(self._width)
        self._head = None
        self._shape = None  # worked out when first asked: most arrows are never hit-tested
        self._runs = None  # worked out when first painted
        widest = self._head_for(self._room)
        if route.kind == self.SELF:
            left, top, right, bottom = _edges(self._path.controlPointRect())
        else:
            xs, ys = [p[0] for p in route.points], [p[1] for p in route.points]
            left, top, right, bottom = min(xs), min(ys), max(xs), max(ys)
        label = route.label
        margin = self._room / 2 + 4  # the widest line's half, and the selection glow
        x1 = min(left, label[0], *(p[0] for p in widest)) - margin
        y1 = min(top, label[1], *(p[1] for p in widest)) - margin
        x2 = max(right, label[2], *(p[0] for p in widest)) + margin
        y2 = max(bottom, label[3], *(p[1] for p in widest)) + margin
        self._bounds = QRectF(x1, y1, x2 - x1, y2 - y1)
        self.update()

    def _run_boxes(self) -> list[Edges]:
        """Boxes round the stretches of the path and the head, for culling."""
        if self._runs is None:
            route = self._route
            if route is None:
                self._runs = []
                return self._runs
            widest = self._head_for(self._room)
            xs, ys = [p[0] for p in widest], [p[1] for p in widest]
            head_box = (min(xs), min(ys), max(xs), max(ys))
            if route.kind == self.SELF:
                runs = [_edges(self._path.controlPointRect())]
            else:
                pad = self._room / 2  # rounded corners cut inside the corners, never out
                points = route.points
                runs = [(min(x1, x2) - pad, min(y1, y2) - pad, max(x1, x2) + pad,
                         max(y1, y2) + pad)
                        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)]
            self._runs = [*runs, head_box]
        return self._runs

    def _head_for(self, width: float) -> tuple[Point, ...]:
        """The head of an arrow `width` wide: its tip where the route ends, longer the
        wider the line."""
        if self._tip is None:
            return ()
        (x, y), (dx, dy) = self._tip
        length = head_length(width)
        return arrow_head((x - dx * length, y - dy * length), (dx, dy), length)

    def regions(self) -> list[Edges]:
        """Where it draws, as boxes (left, top, right, bottom) in scene coordinates: the
        stretches of its path, its head and its label. A long loop's bounds cover most
        of a map; these let a scene find the arrows in a small area quickly."""
        label = self._label_rect
        if label.isNull():
            return list(self._run_boxes())
        return [*self._run_boxes(), (label.left(), label.top(), label.right(), label.bottom())]

    def contains(self, point: QPointF | QPoint) -> bool:  # type: ignore[override]
        """Hit tests ask every arrow whose bounds hold the point, and on a big map a
        long loop's bounds hold most of it: the stroke is only tested near its path."""
        x, y, pad = point.x(), point.y(), self._width / 2 + 6  # the stroke's hit width
        for x1, y1, x2, y2 in self._run_boxes():
            if x1 - pad <= x <= x2 + pad and y1 - pad <= y <= y2 + pad:
                return self.shape().contains(point)
        label = self._label_rect
        return not label.isNull() and label.contains(point) and self.shape().contains(point)

    def collidesWithPath(  # noqa: N802 - Qt override
        self, path: QPainterPath, mode: Qt.ItemSelectionMode = _SHAPE
    ) -> bool:
        """Hovering and rubber bands ask every arrow whose bounds meet the area: on a big
        map, a thousand long loops, each stroke tested against it (90 ms a mouse move).
        Only an arrow with a stretch or its label near the area is tested."""
        area, pad = path.boundingRect(), self._width / 2 + 6
        left, top, right, bottom = (area.left() - pad, area.top() - pad, area.right() + pad,
                                    area.bottom() + pad)
        near = any(x1 < right and x2 > left and y1 < bottom and y2 > top
                   for x1, y1, x2, y2 in self._run_boxes()) or area.intersects(self._label_rect)
        return near and super().collidesWithPath(path, mode)

    def _touches(self, rect: QRectF) -> bool:
        """Whether any stretch of the path, its head or its label may show in `rect`."""
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        for x1, y1, x2, y2 in self._run_boxes():
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
            radius = min(self._label_rect.height(), self._label_rect.width()) / 2
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

        radius = min(self._label_rect.height(), self._label_rect.width()) / 2
        border = QPen(colour, 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.setBrush(QBrush(p.label_fill))
        painter.drawRoundedRect(self._label_rect, radius, radius)
        painter.setFont(self._label_font)
        painter.setPen(p.label_text)
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label)


def arrow_label(transition: Transition, time_shown: bool = False) -> str:
    """The pill's text: the probability, and with the time overlay its median time."""
    label = format_percent(transition.probability)
    if time_shown and transition.time_median is not None:
        # On a line of its own: a pill no wider than the gutters between lanes hold.
        return f"{label}\n{short_duration(transition.time_median)}"
    return label


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
