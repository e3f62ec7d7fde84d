"""Where pasted cards land: at the pointer, or just below the cards they copy, on free ground.

Plain geometry on card top-left positions, so it is tested without a display. A paste
that lands on top of its originals looks as if nothing happened, and a second paste on
the first hides both, so the copies go where no card is.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence

from cx_mapper.engine.layout import GRID, ROW_HEIGHT, Position, snap

#: How many rows below the originals a paste looks for free ground before giving up
#: (it then lands one row down, as the nearest place the user can see).
MAX_ROWS = 500


def paste_offset(
    copied: Sequence[Position],
    occupied: Sequence[Position],
    card: tuple[float, float],
    *,
    pointer: Position | None = None,
    gap: float = GRID,
) -> Position:
    """The (dx, dy) to add to the copied cards' positions.

    With a `pointer` (the mouse over the canvas), the copies are centred on it, on the
    grid. Otherwise they go straight down from the originals, whole rows at a time so
    each stays in its stage's lane and on the layout's rows, to the first place where
    none of them comes within `gap` of an `occupied` card (the originals included).
    """
    if not copied:
        return (0.0, 0.0)
    width, height = card
    left, top = min(x for x, _ in copied), min(y for _, y in copied)
    right, bottom = max(x for x, _ in copied) + width, max(y for _, y in copied) + height
    if pointer is not None:
        return (snap(pointer[0] - (left + right) / 2), snap(pointer[1] - (top + bottom) / 2))
    # The occupied cards beside each copy, by height, so each row is a few bisections.
    columns = [sorted(oy for ox, oy in occupied if abs(ox - x) < width + gap)
               for x, _ in copied]
    reach = height + gap

    def clear(dy: float) -> bool:
        for (_, y), ys in zip(copied, columns, strict=True):
            at = bisect_left(ys, y + dy - reach + 1e-9)
            if at < len(ys) and ys[at] < y + dy + reach - 1e-9:
                return False
        return True

    first = ROW_HEIGHT * math.ceil((bottom - top + gap) / ROW_HEIGHT)
    for row in range(MAX_ROWS):
        dy = first + row * ROW_HEIGHT
        if clear(dy):
            return (0.0, dy)
    return (0.0, first)
