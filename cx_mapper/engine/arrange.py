"""Neatness tools: align and distribute boxes, and alignment guides for a drag.

Plain arithmetic on boxes (x, y, width, height; x and y are the top-left corner, y
grows downwards), with no Qt, so the tests and any other tool reach it without a
display. The canvas turns the positions into one undoable move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

#: A top-left position, as layout.py's (not imported: this module stays light).
Position = tuple[float, float]
#: A box: left, top, width, height.
Box = tuple[float, float, float, float]
Edge = Literal["left", "centre", "right", "top", "middle", "bottom"]
Axis = Literal["horizontal", "vertical"]

EDGES: tuple[Edge, ...] = ("left", "centre", "right", "top", "middle", "bottom")


def align(boxes: Mapping[str, Box], edge: Edge) -> dict[str, Position]:
    """New top-left positions lining the boxes up on one edge of their common bounds.

    Left, right, top and bottom take the outermost edge (as drawing tools do);
    centre and middle take the middle of the bounds. Boxes keep their other
    coordinate. Fewer than two boxes: nothing to align.
    """
    if len(boxes) < 2:
        return {}
    left = min(x for x, _, _, _ in boxes.values())
    right = max(x + w for x, _, w, _ in boxes.values())
    top = min(y for _, y, _, _ in boxes.values())
    bottom = max(y + h for _, y, _, h in boxes.values())
    positions: dict[str, Position] = {}
    for key, (x, y, w, h) in boxes.items():
        if edge == "left":
            positions[key] = (left, y)
        elif edge == "centre":
            positions[key] = ((left + right) / 2 - w / 2, y)
        elif edge == "right":
            positions[key] = (right - w, y)
        elif edge == "top":
            positions[key] = (x, top)
        elif edge == "middle":
            positions[key] = (x, (top + bottom) / 2 - h / 2)
        elif edge == "bottom":
            positions[key] = (x, bottom - h)
        else:
            raise ValueError(f"Unknown edge {edge!r}; choose one of {', '.join(EDGES)}")
    return positions


def distribute(boxes: Mapping[str, Box], axis: Axis) -> dict[str, Position]:
    """New top-left positions with equal gaps between neighbours along `axis`.

    The first and last box (by centre) stay; the ones between are spaced so that
    every gap from one box's edge to the next one's is the same. Fewer than three
    boxes: nothing to distribute.
    """
    if len(boxes) < 3:
        return {}
    if axis not in ("horizontal", "vertical"):
        raise ValueError(f"Unknown axis {axis!r}; choose horizontal or vertical")
    across = 0 if axis == "horizontal" else 1  # index of the coordinate that changes
    size = 2 + across

    def centre(item: tuple[str, Box]) -> tuple[float, str]:
        box = item[1]
        return (box[across] + box[size] / 2, item[0])

    ordered = sorted(boxes.items(), key=centre)
    first, last = ordered[0][1], ordered[-1][1]
    span = last[across] + last[size] - first[across]
    gap = (span - sum(box[size] for _, box in ordered)) / (len(ordered) - 1)
    positions: dict[str, Position] = {}
    sizes = 0.0
    for index, (key, box) in enumerate(ordered):
        # Summed afresh each time, and the last kept exactly, so no rounding creeps in.
        start = last[across] if index == len(ordered) - 1 else first[across] + sizes + index * gap
        positions[key] = (start, box[1]) if across == 0 else (box[0], start)
        sizes += box[size]
    return positions


@dataclass(frozen=True)
class Guide:
    """An alignment line to draw: vertical at x = `at` (axis "vertical") or horizontal at
    y = `at`, from `start` to `end` along the line."""

    axis: Literal["vertical", "horizontal"]
    at: float
    start: float
    end: float


@dataclass(frozen=True)
class GuideSnap:
    """How far to move the dragged box so it lines up, and the guides that then show."""

    dx: float
    dy: float
    guides: tuple[Guide, ...]


def _lines(box: Box, across: int) -> tuple[float, float, float]:
    """A box's near edge, centre and far edge along x (across 0) or y (across 1)."""
    start, size = box[across], box[2 + across]
    return (start, start + size / 2, start + size)


def _best_shift(moving: Box, others: Sequence[Box], across: int, tolerance: float) -> float | None:
    """The smallest shift (within `tolerance`) that puts one of the moving box's edges or
    its centre on the same line of another box; None if there is none."""
    best: float | None = None
    mine = _lines(moving, across)
    for other in others:
        for own, theirs in zip(mine, _lines(other, across), strict=True):
            shift = theirs - own
            if abs(shift) <= tolerance and (best is None or abs(shift) < abs(best)):
                best = shift
    return best


def _guides(moving: Box, others: Sequence[Box], across: int) -> list[Guide]:
    """The lines the moving box shares with other boxes, each spanning the boxes on it.

    A shared centre line is enough on its own: for boxes of one size (the cards) the
    edges line up too, and three parallel lines would only clutter the view."""
    along = 1 - across
    found: dict[int, tuple[float, float, float]] = {}  # own line index -> at, start, end
    for index, own in enumerate(_lines(moving, across)):
        for other in others:
            if any(abs(own - theirs) < 1e-6 for theirs in _lines(other, across)):
                low = min(moving[along], other[along])
                high = max(moving[along] + moving[2 + along], other[along] + other[2 + along])
                _, start, end = found.get(index, (own, low, high))
                found[index] = (own, min(start, low), max(end, high))
    if 1 in found:
        found = {1: found[1]}
    axis: Literal["vertical", "horizontal"] = "vertical" if across == 0 else "horizontal"
    return [Guide(axis, at, start, end) for at, start, end in sorted(found.values())]


def snap_to_guides(moving: Box, others: Sequence[Box], tolerance: float) -> GuideSnap:
    """Line a dragged box up with the others it is close to.

    For each axis separately, the nearest match within `tolerance` wins: left to
    left, centre to centre, right to right (and top, middle, bottom). The guides
    are every line the box then shares with another box.
    """
    dx = _best_shift(moving, others, 0, tolerance)
    dy = _best_shift(moving, others, 1, tolerance)
    x, y, w, h = moving
    placed = (x + (dx or 0.0), y + (dy or 0.0), w, h)
    guides = (_guides(placed, others, 0) if dx is not None else []) + \
        (_guides(placed, others, 1) if dy is not None else [])
    return GuideSnap(dx or 0.0, dy or 0.0, tuple(guides))


def bounds(boxes: Sequence[Box]) -> Box:
    """The smallest box holding all of `boxes` (at least one)."""
    left = min(b[0] for b in boxes)
    top = min(b[1] for b in boxes)
    right = max(b[0] + b[2] for b in boxes)
    bottom = max(b[1] + b[3] for b in boxes)
    return (left, top, right - left, bottom - top)
