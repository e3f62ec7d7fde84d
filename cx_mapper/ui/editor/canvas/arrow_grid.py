"""Which arrows draw where: a grid over the scene, for drawing a small area quickly.

Qt's index knows an item by its bounds, and a loop back to the first stage has bounds
covering most of a big map: asked for a 256-pixel tile, it returns some 2,000 arrows of
which a few hundred draw there. The grid files each arrow under the cells its path,
head and label cross (`TransitionArrow.regions`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import product

from PySide6.QtCore import QRectF

from cx_mapper.domain.journey import TransitionKey

#: Cell size in scene units: about a 256-pixel tile at 40 % zoom.
CELL = 600.0
#: Boxes are filed this much larger: a stroke's width and antialiasing reach past them.
PAD = 8.0

Box = tuple[float, float, float, float]


class ArrowGrid:
    """Arrow keys by grid cell, and the order they stack in."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], set[TransitionKey]] = {}
        self._filed: dict[TransitionKey, list[tuple[int, int]]] = {}
        self._order: dict[TransitionKey, int] = {}  # first filed first: it stacks lowest
        self._extents: dict[TransitionKey, Box] = {}  # round all its boxes

    def place(self, key: TransitionKey, boxes: Iterable[Box]) -> None:
        """File (or re-file) an arrow under the cells its boxes cross."""
        self._unfile(key)
        cells: set[tuple[int, int]] = set()
        x1 = y1 = math.inf
        x2 = y2 = -math.inf
        floor = math.floor
        for left, top, right, bottom in boxes:
            if left < x1:
                x1 = left
            if top < y1:
                y1 = top
            if right > x2:
                x2 = right
            if bottom > y2:
                y2 = bottom
            i0, i1 = floor((left - PAD) / CELL), floor((right + PAD) / CELL)
            j0, j1 = floor((top - PAD) / CELL), floor((bottom + PAD) / CELL)
            if i0 == i1 and j0 == j1:
                cells.add((i0, j0))
            else:
                cells.update(product(range(i0, i1 + 1), range(j0, j1 + 1)))
        table = self._cells
        for cell in cells:
            keys = table.get(cell)
            if keys is None:
                table[cell] = {key}
            else:
                keys.add(key)
        self._filed[key] = list(cells)
        if x1 <= x2:
            self._extents[key] = (x1 - PAD, y1 - PAD, x2 + PAD, y2 + PAD)
        self._order.setdefault(key, len(self._order))

    def extent(self, key: TransitionKey) -> QRectF:
        """Where the arrow was drawn when last filed (empty if it is not filed)."""
        extent = self._extents.get(key)
        if extent is None:
            return QRectF()
        left, top, right, bottom = extent
        return QRectF(left, top, right - left, bottom - top)

    def remove(self, key: TransitionKey) -> None:
        """Forget an arrow (it was removed from the map)."""
        self._order.pop(key, None)
        self._unfile(key)

    def _unfile(self, key: TransitionKey) -> None:
        self._extents.pop(key, None)
        for cell in self._filed.pop(key, ()):
            keys = self._cells.get(cell)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._cells[cell]

    def clear(self) -> None:
        self._cells.clear()
        self._filed.clear()
        self._order.clear()
        self._extents.clear()

    def keys_in(self, rect: QRectF) -> list[TransitionKey]:
        """The arrows that may draw in `rect`, lowest first."""
        i0, i1 = math.floor(rect.left() / CELL), math.floor(rect.right() / CELL)
        j0, j1 = math.floor(rect.top() / CELL), math.floor(rect.bottom() / CELL)
        found: set[TransitionKey] = set()
        cells = self._cells
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                keys = cells.get((i, j))
                if keys:
                    found |= keys
        order = self._order
        return sorted(found, key=order.__getitem__)
