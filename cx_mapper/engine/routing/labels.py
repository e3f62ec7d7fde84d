"""Where an arrow's label may sit, and what of an arrow a label must keep off.

A label is a pill centred on its own arrow's line, which it hides; it must overlap
no card, no other label and no other arrow's stroke or head. The spots tried run
from the middle of the route outward along it, so a label sits as near the middle as
the map allows.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterator

from cx_mapper.engine.routing.geometry import Box, Point, grow
from cx_mapper.engine.routing.routes import CORNER, SELF_LOOP_HEIGHT, head_length

#: Room kept between a label and a card, another label, or another arrow's stroke.
CARD_GAP = 3.0
LABEL_GAP = 1.0
STROKE_GAP = 1.0
#: Spots along a route are this far apart, or further on a very long one.
STEP = 6.0
MOST_SPOTS = 90
#: A rounded corner is kept as this many straight pieces.
CORNER_PIECES = 4


def spots_along(points: list[Point], first: float = 0.0) -> Iterator[Point]:
    """Label centres along a polyline, `first` along it first, then further along; then
    back towards its start."""
    lengths = [math.hypot(x2 - x1, y2 - y1)
               for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False)]
    starts = [0.0]
    for length in lengths[:-1]:
        starts.append(starts[-1] + length)
    total = sum(lengths)
    if total <= 0:
        yield points[0]
        return
    step = max(STEP, total / MOST_SPOTS)
    first = min(max(first, 0.0), total / 2)
    forward = [first + k * step for k in range(int((total - first) / step) + 1)]
    back = [first - k * step for k in range(1, int(first / step) + 1)]
    for s in forward + back:
        if 0 <= s <= total:
            i = min(bisect_right(starts, s) - 1, len(lengths) - 1)
            if lengths[i] <= 0:
                continue
            t = (s - starts[i]) / lengths[i]
            (x1, y1), (x2, y2) = points[i], points[i + 1]
            yield x1 + (x2 - x1) * t, y1 + (y2 - y1) * t


def centred(centre: Point, size: tuple[float, float]) -> Box:
    (x, y), (w, h) = centre, size
    return x - w / 2, y - h / 2, x + w / 2, y + h / 2


def head_box(tip: Point, direction: Point, width: float) -> Box:
    """The box round a head of a line `width` wide ending at `tip`."""
    length = head_length(width)
    half = length * 0.55
    (x, y), (dx, dy) = tip, direction
    bx, by = x - dx * length, y - dy * length
    return (min(x, bx) - abs(dy) * half, min(y, by) - abs(dx) * half,
            max(x, bx) + abs(dy) * half, max(y, by) + abs(dx) * half)


def stroke_boxes(points: list[Point], width: float, pieces: int = CORNER_PIECES) -> list[Box]:
    """Boxes that hold a rounded polyline drawn `width` wide: its runs, and its corners
    (a rounded corner cuts inside the two runs it joins)."""
    pad = width / 2 + STROKE_GAP
    boxes = []
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        boxes.append(grow((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)), pad))
    for i in range(1, len(points) - 1):
        (bx, by), (cx, cy), (ax, ay) = points[i - 1], points[i], points[i + 1]
        into, out = math.hypot(bx - cx, by - cy), math.hypot(ax - cx, ay - cy)
        r = min(CORNER, into / 2, out / 2)
        if r <= 0.01:
            continue
        px, py = cx + (bx - cx) * r / into, cy + (by - cy) * r / into
        qx, qy = cx + (ax - cx) * r / out, cy + (ay - cy) * r / out
        # the canvas's cubic for a quarter circle, in a few short straight pieces
        k = 0.5523
        c1 = (px + (cx - px) * k, py + (cy - py) * k)
        c2 = (qx + (cx - qx) * k, qy + (cy - qy) * k)
        arc = [_cubic((px, py), c1, c2, (qx, qy), i / pieces) for i in range(pieces + 1)]
        for (x1, y1), (x2, y2) in zip(arc, arc[1:], strict=False):
            boxes.append(grow((min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)), pad))
    return boxes


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    u = 1 - t
    a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
    return (a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
            a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1])


def self_loop_box(card: Box, width: float) -> Box:
    """The box the arch of a self-loop on `card`'s top fills."""
    spread = (card[2] - card[0]) * 0.15
    centre = (card[0] + card[2]) / 2
    pad = width / 2 + STROKE_GAP
    return (centre - spread - pad, card[1] - SELF_LOOP_HEIGHT - pad, centre + spread + pad,
            card[1])


def self_loop_spots(card: Box, size: tuple[float, float]) -> Iterator[Point]:
    """Beside the arch rather than on it (the row above is only a gap away), further
    out along the card's top, then over the arch."""
    spread, half = (card[2] - card[0]) * 0.15, size[0] / 2
    centre = (card[0] + card[2]) / 2
    for level in (card[1] - SELF_LOOP_HEIGHT * 0.6, card[1] - SELF_LOOP_HEIGHT * 0.9):
        offset = 6.0
        while centre + spread + offset + half <= card[2] + half:
            yield centre + spread + offset + half, level
            yield centre - spread - offset - half, level
            offset += STEP * 2
    yield centre, card[1] - SELF_LOOP_HEIGHT - size[1] / 2 - 3
