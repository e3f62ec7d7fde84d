"""The canvas's side of routing: paths from routes, and the scene's router.

The routes and label places are worked out without Qt in `cx_mapper.engine.routing`
(so the summary's map, the canvas and the tests share them); here they become
QPainterPaths, and `MapRouter` keeps a scene's arrows in step with its `ArrowMap`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF, QTimer
from PySide6.QtGui import QPainterPath
from shiboken6 import isValid

from cx_mapper.engine.routing import ArrowMap, Key, Point, Route
from cx_mapper.ui.editor.canvas import style

#: A rect as (left, top, right, bottom).
Edges = tuple[float, float, float, float]


class RoutedArrow(Protocol):
    """What the router needs of an arrow item."""

    @property
    def key(self) -> Key: ...

    def ends(self) -> tuple[Edges, Edges] | None: ...

    def label_size(self) -> tuple[float, float]: ...

    def flow_width(self) -> float: ...

    def route_above(self) -> bool: ...

    def set_route(self, route: Route | None) -> None: ...


def rounded_polyline(points: list[Point] | tuple[Point, ...], radius: float) -> QPainterPath:
    """A polyline whose corners are replaced by quarter-curves of up to `radius`."""
    path = QPainterPath(QPointF(*points[0]))
    k = 0.5523  # a cubic close to a circular quarter
    for i in range(1, len(points) - 1):
        (bx, by), (cx, cy), (ax, ay) = points[i - 1], points[i], points[i + 1]
        into = math.hypot(bx - cx, by - cy)
        out = math.hypot(ax - cx, ay - cy)
        r = min(radius, into / 2, out / 2)
        if r <= 0.01:
            path.lineTo(cx, cy)
            continue
        px, py = cx + (bx - cx) * r / into, cy + (by - cy) * r / into
        qx, qy = cx + (ax - cx) * r / out, cy + (ay - cy) * r / out
        path.lineTo(px, py)
        path.cubicTo(px + (cx - px) * k, py + (cy - py) * k,
                     qx + (cx - qx) * k, qy + (cy - qy) * k, qx, qy)
    path.lineTo(*points[-1])
    return path


def self_loop(card: QRectF, head: float) -> QPainterPath:
    """An arch on the card's top: up from right of centre, down into left of centre."""
    spread = card.width() * 0.15
    cx, top = card.center().x(), card.top()
    rise = style.SELF_LOOP_HEIGHT * 4 / 3  # a cubic reaches 3/4 of its control height
    start = QPointF(cx + spread, top)
    end = QPointF(cx - spread, top - head)
    path = QPainterPath(start)
    # controls straight above the ends: it leaves and arrives vertically, no kink
    path.cubicTo(QPointF(start.x(), top - rise),
                 QPointF(end.x(), top - rise), QPointF(end.x(), top - head - 8))
    path.lineTo(end)
    return path


def arrow_head(end: Point, direction: Point, length: float) -> tuple[Point, Point, Point]:
    """A head that continues the path from `end` by `length`, along `direction`: its tip
    and its two back corners."""
    (x, y), (dx, dy) = end, direction
    half = length * 0.55
    return ((x + dx * length, y + dy * length), (x - dy * half, y + dx * half),
            (x + dy * half, y - dx * half))


def route_alone(arrow: RoutedArrow) -> Route | None:
    """The route of an arrow with no other cards or arrows about (an arrow outside a
    scene's router, as in a preview)."""
    ends = arrow.ends()
    if ends is None:
        return None
    (source, target), key = ends, arrow.key
    lone = ArrowMap(source[2] - source[0], source[3] - source[1])
    lone.place_card(key[0], source[0], source[1])
    if key[1] != key[0]:
        lone.place_card(key[1], target[0], target[1])
    lone.add_arrow(key, arrow.label_size(), arrow.flow_width(), arrow.route_above())
    lone.update()
    return lone.route(key)


class MapRouter:
    """A scene's cards and arrows in one `ArrowMap`: arrows are routed and labelled
    together, and each item hears when its route or label changed.

    Inside `batch()` nothing is routed until the batch ends (a map opening routes every
    arrow at once, then places every label); outside, each change is routed at once.
    A new stroke width moves labels its wider line now covers on the next turn of the
    event loop, so a result that re-widths thousands of arrows relabels once.
    """

    def __init__(self) -> None:
        self._map = ArrowMap(style.CARD_WIDTH, style.CARD_HEIGHT)
        self._items: dict[Key, RoutedArrow] = {}
        self._batches = 0
        self._later = False
        #: Told the arrows whose route or label changed, after they took them (a scene
        #: that draws the arrows itself redraws where they were and are).
        self.on_routed: Callable[[set[Key]], object] | None = None

    @classmethod
    def over(cls, routed: ArrowMap) -> MapRouter:
        """A router over a map routed elsewhere (on a worker, for a big map): an arrow
        that attaches takes the route the map has for it, and nothing is routed again."""
        router = cls()
        router._map = routed
        return router

    # -- what a scene tells it (the names CardIndex had: the scenes call these) --------------
    def place(self, card_id: str, x: float, y: float) -> None:
        """Put (or move) a card; its arrows follow when they are next routed."""
        self._map.place_card(card_id, x, y)

    def remove(self, card_id: str) -> None:
        self._map.remove_card(card_id)

    def position(self, card_id: str) -> tuple[float, float] | None:
        return self._map.cards.position(card_id)

    def card_in(self, left: float, top: float, right: float, bottom: float) -> bool:
        """Whether a card crosses the box."""
        return self._map.cards.blocked(left, top, right, bottom)

    def release_label(self, key: Key) -> None:
        """An arrow went: forget it."""
        self._items.pop(key, None)
        self._map.remove_arrow(key)
        self._run()

    def forget_arrows(self) -> None:
        """Let go of every arrow item (a set dropped): they refer to the router too."""
        self._items.clear()
        self.on_routed = None

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Route once, when the outermost batch ends."""
        self._batches += 1
        try:
            yield
        finally:
            self._batches -= 1
            self._run()

    def hold(self) -> None:
        """A batch over many turns of the event loop (a big map's arrows taking routes
        in slices): nothing is routed until `release`."""
        self._batches += 1

    def release(self) -> None:
        self._batches -= 1
        self._run()

    # -- what an arrow tells it --------------------------------------------------------
    def attach(self, arrow: RoutedArrow) -> None:
        """Route `arrow` between its ends (now, or when the batch ends)."""
        key = arrow.key
        known = self._items.get(key)
        self._items[key] = arrow
        if known is None and self._map.routed(key):  # routed elsewhere: take that route
            self._map.set_label_size(key, arrow.label_size())  # no change: nothing to do
            self._map.set_width(key, arrow.flow_width())
            self._map.set_above(key, arrow.route_above())
            arrow.set_route(self._map.route(key))
        elif known is None or not self._map.routed(key):
            self._map.add_arrow(key, arrow.label_size(), arrow.flow_width(),
                                arrow.route_above())
        else:
            self._map.set_above(key, arrow.route_above())
            self._map.set_label_size(key, arrow.label_size())
        self._run()

    def label_changed(self, arrow: RoutedArrow) -> None:
        self._map.set_label_size(arrow.key, arrow.label_size())
        self._run()

    def width_changed(self, arrow: RoutedArrow) -> None:
        self._map.set_width(arrow.key, arrow.flow_width())
        if not self._later and not self._batches:
            self._later = True
            QTimer.singleShot(0, self._run_later)

    def above_changed(self, arrow: RoutedArrow) -> None:
        self._map.set_above(arrow.key, arrow.route_above())
        self._run()

    # -- routing -------------------------------------------------------------------------
    def _run_later(self) -> None:
        self._later = False
        self._run()

    def _run(self) -> None:
        if self._batches:
            return
        changed = self._map.update()
        for key in changed:
            item = self._items.get(key)
            # a scene rebuilt or closed since a later run was asked for deleted its items
            if item is not None and isValid(item):
                item.set_route(self._map.route(key))
        if changed and self.on_routed is not None:
            self.on_routed(changed)
