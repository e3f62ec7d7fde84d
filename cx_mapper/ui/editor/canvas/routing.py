"""Routing transition arrows round the cards, and keeping their labels apart.

Plain geometry plus the QPainterPath it ends in. A forward arrow is an S-curve
unless that would cross another card; then it runs along the gap between card rows.
Loops back go round both cards. `CardIndex` answers the two questions routing asks,
whether a rect crosses a card and where a label is free, from a grid of cells, so a
map of thousands of cards routes in well under a second.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable
from typing import Protocol

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath

from cx_mapper.engine.layout import LANE_WIDTH, ROW_HEIGHT
from cx_mapper.ui.editor.canvas import style

#: Whether a scene rect (left, top, right, bottom) crosses a card other than the arrow's ends.
Blocked = Callable[[float, float, float, float], bool]

#: A rect as (left, top, right, bottom): cheaper than a QRectF when routing thousands.
Edges = tuple[float, float, float, float]

#: Where a label may sit, best first: centres (x, y) along the arrow.
LABEL_SPOTS = (0.5, 0.32, 0.68, 0.18, 0.82)


class Router(Protocol):
    """What an arrow asks while routing: where the other cards and labels are."""

    def blocked(self, left: float, top: float, right: float, bottom: float,
                ends: tuple[str, str]) -> bool:
        """Whether the rect crosses a card other than `ends`."""
        ...

    def place_label(self, key: tuple[str, str], candidates: Iterable[Edges]) -> Edges:
        """Pick (and reserve) the first candidate clear of other labels and cards; the
        first one if none is."""
        ...


Point = tuple[float, float]


def s_curve(start: Point, end: Point) -> QPainterPath:
    """A horizontal S-curve. Control points share the span, so x only ever increases
    and the curve stays between the two cards."""
    reach = (end[0] - start[0]) / 2
    path = QPainterPath(QPointF(*start))
    path.cubicTo(QPointF(start[0] + reach, start[1]), QPointF(end[0] - reach, end[1]),
                 QPointF(*end))
    return path


def s_curve_point(start: Point, end: Point, t: float) -> Point:
    """The point at parameter t of `s_curve(start, end)`."""
    u = 1 - t
    reach = (end[0] - start[0]) / 2
    x = (u**3 * start[0] + 3 * u * u * t * (start[0] + reach) + 3 * u * t * t * (end[0] - reach)
         + t**3 * end[0])
    y = (u**3 + 3 * u * u * t) * start[1] + (3 * u * t * t + t**3) * end[1]
    return x, y


def _clear(points: list[Point], blocked: Blocked | None, pad: float) -> bool:
    """Whether every run of a polyline keeps `pad` clear of other cards."""
    if blocked is None:
        return True
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        if blocked(min(x1, x2) - pad, min(y1, y2) - pad, max(x1, x2) + pad, max(y1, y2) + pad):
            return False
    return True


def forward_route(src: Edges, tgt: Edges, start: Point, end: Point,
                  blocked: Blocked | None, label_pad: float) -> list[Point] | None:
    """None for the plain S-curve; else a route along the gap between card rows.

    The S-curve is kept when the box it sweeps is clear of other cards. Otherwise the
    arrow drops (or rises) into the gap below or above the source's or the target's
    row, runs along it and turns into the target: the first of those that is clear,
    shortest detour first.
    """
    if blocked is None:
        return None
    if not blocked(start[0], min(start[1], end[1]) - 4, end[0], max(start[1], end[1]) + 4):
        return None
    channel = style.ARROW_CHANNEL
    x1 = min(src[2] + style.ARROW_CLEARANCE, (start[0] + end[0]) / 2)
    x2 = max(tgt[0] - style.ARROW_CLEARANCE, (start[0] + end[0]) / 2)
    levels = [src[3] + channel, src[1] - channel, tgt[3] + channel, tgt[1] - channel]
    levels.sort(key=lambda y: abs(y - start[1]) + abs(y - end[1]))
    for level in levels:
        points = [start, (x1, start[1]), (x1, level), (x2, level), (x2, end[1]), end]
        if _clear(points[1:-1], blocked, 3.0) and _clear(points[2:4], blocked, label_pad):
            return points
    return None


def around_route(src: Edges, tgt: Edges, start: Point, end: Point, above: bool,
                 blocked: Blocked | None) -> list[Point]:
    """Out of the source's right, round both cards below (or above), into the target's left.

    The runs sit `ARROW_CLEARANCE` outside both cards, so the arc never enters them.
    The preferred side is taken unless it crosses another card and the other is clear.
    """
    gap = style.ARROW_CLEARANCE
    right = max(src[2], tgt[2]) + gap
    left = min(src[0], tgt[0]) - gap
    top, bottom = min(src[1], tgt[1]), max(src[3], tgt[3])
    routes = []
    for level in ((top - gap, bottom + gap) if above else (bottom + gap, top - gap)):
        routes.append([start, (right, start[1]), (right, level), (left, level),
                       (left, end[1]), end])
    for points in routes:
        if _clear(points[1:-1], blocked, 3.0):
            return points
    return routes[0]


def label_run(points: list[Point]) -> tuple[Point, Point]:
    """The longest horizontal run of a route, where its label sits."""
    runs = [(a, b) for a, b in zip(points, points[1:], strict=False) if a[1] == b[1]]
    return max(runs or [(points[0], points[-1])], key=lambda run: abs(run[1][0] - run[0][0]))


def rounded_polyline(points: list[Point], radius: float) -> QPainterPath:
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


# -- where the cards and labels are ---------------------------------------------------------

Cell = tuple[int, int]
#: Sorts after any card id, to bisect past every card at one coordinate.
_LAST = "\U0010ffff"
#: Label index cells: a lane wide and a row high.
CELL_WIDTH, CELL_HEIGHT = LANE_WIDTH, ROW_HEIGHT


def cells(left: float, top: float, right: float, bottom: float) -> list[Cell]:
    """The index cells a rect touches."""
    i0, i1 = math.floor(left / CELL_WIDTH), math.floor(right / CELL_WIDTH)
    j0, j1 = math.floor(top / CELL_HEIGHT), math.floor(bottom / CELL_HEIGHT)
    if i0 == i1 and j0 == j1:
        return [(i0, j0)]  # most labels
    return [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]


class CardIndex:
    """Where the cards and the arrow labels are: the `Router` a scene gives its arrows.

    Cards are kept in sorted runs: by left edge, each with its cards' tops, and by top
    edge, each with its cards' lefts. A question about a thin rect (most runs of a
    route are) then looks at a handful of entries found by bisection, whatever the
    size of the map. Labels are small and kept by grid cell.
    """

    def __init__(self) -> None:
        self._places: dict[str, tuple[float, float]] = {}
        self._by_left: dict[float, list[tuple[float, str]]] = {}  # left -> [(top, id)]
        self._by_top: dict[float, list[tuple[float, str]]] = {}  # top -> [(left, id)]
        self._keys: tuple[list[float], list[float]] | None = ([], [])  # sorted lefts, tops
        self._labels: dict[tuple[str, str], Edges] = {}
        self._label_grid: dict[Cell, set[tuple[str, str]]] = {}

    def position(self, card_id: str) -> tuple[float, float] | None:
        return self._places.get(card_id)

    def place(self, card_id: str, x: float, y: float) -> None:
        """Put (or move) a card's body, top-left at (x, y)."""
        self.remove(card_id)
        self._places[card_id] = (x, y)
        for runs, key, entry in ((self._by_left, x, (y, card_id)),
                                 (self._by_top, y, (x, card_id))):
            run = runs.get(key)
            if run is None:
                runs[key] = [entry]
                self._keys = None
            else:
                insort(run, entry)

    def remove(self, card_id: str) -> None:
        place = self._places.pop(card_id, None)
        if place is None:
            return
        x, y = place
        for runs, key, entry in ((self._by_left, x, (y, card_id)),
                                 (self._by_top, y, (x, card_id))):
            run = runs[key]
            run.remove(entry)
            if not run:
                del runs[key]
                self._keys = None

    def blocked(self, left: float, top: float, right: float, bottom: float,
                ends: Iterable[str] = ()) -> bool:
        """Whether a rect crosses any card but `ends`."""
        if self._keys is None:
            self._keys = (sorted(self._by_left), sorted(self._by_top))
        lefts, tops = self._keys
        # a card crosses the rect when its left is in (left - width, right) and its top
        # in (top - height, bottom)
        low_left, high_left = left - style.CARD_WIDTH, right
        low_top, high_top = top - style.CARD_HEIGHT, bottom
        i0, i1 = bisect_right(lefts, low_left), bisect_left(lefts, high_left)
        j0, j1 = bisect_right(tops, low_top), bisect_left(tops, high_top)
        if i0 >= i1 or j0 >= j1:
            return False
        if i1 - i0 <= j1 - j0:  # walk whichever has fewer runs
            runs, keys, low, high = self._by_left, lefts[i0:i1], low_top, high_top
        else:
            runs, keys, low, high = self._by_top, tops[j0:j1], low_left, high_left
        for key in keys:
            run = runs[key]
            k = bisect_right(run, (low, _LAST))
            while k < len(run) and run[k][0] < high:
                if run[k][1] not in ends:
                    return True
                k += 1
        return False

    def place_label(self, key: tuple[str, str], candidates: Iterable[Edges]) -> Edges:
        """The first label spot clear of other labels and cards (else the first spot);
        it is then taken. Candidates are worked out only as far as needed."""
        self.release_label(key)
        chosen: Edges | None = None
        for edges in candidates:
            if chosen is None:
                chosen = edges
            if not self._label_hits(*edges) and not self.blocked(*edges):
                chosen = edges
                break
        assert chosen is not None, "a label needs at least one spot"
        self._labels[key] = chosen
        for cell in cells(*chosen):
            self._label_grid.setdefault(cell, set()).add(key)
        return chosen

    def release_label(self, key: tuple[str, str]) -> None:
        edges = self._labels.pop(key, None)
        if edges is None:
            return
        for cell in cells(*edges):
            keys = self._label_grid.get(cell)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._label_grid[cell]

    def _label_hits(self, left: float, top: float, right: float, bottom: float) -> bool:
        for cell in cells(left, top, right, bottom):
            for key in self._label_grid.get(cell, ()):
                other = self._labels[key]
                if other[0] < right and other[2] > left and other[1] < bottom and other[3] > top:
                    return True
        return False
