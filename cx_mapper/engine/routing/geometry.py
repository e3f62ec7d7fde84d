"""Boxes, and finding which of thousands meet a given one.

A box is (left, top, right, bottom) in scene units. `BoxGrid` keeps boxes by grid
cell, each under an owner, so a question about a small box looks at a handful of
entries whatever the size of the map, and an owner's boxes go in one call.
`CardIndex` answers whether a box crosses a card from sorted runs of card edges.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterable, Iterator, Mapping
from itertools import repeat
from operator import itemgetter
from typing import Any

#: (left, top, right, bottom)
Box = tuple[float, float, float, float]
Point = tuple[float, float]
Cell = tuple[int, int]
#: A box this many cells long or more is filed by strip of cells, not cell by cell.
LONG = 6

#: Sorts after any card id, to bisect past every card at one coordinate.
_LAST = "\U0010ffff"
_ID = itemgetter(1)  # a card's id in a run of (edge, id)


def meet(a: Box, b: Box) -> bool:
    """Whether two boxes overlap (touching edges do not)."""
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def grow(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


class BoxGrid:
    """Boxes by grid cell, each kept under an owner (an arrow's key, say).

    A small box is filed in every cell it touches. A long thin one (a run of a route
    across a map) is filed in coarser cells, LONG cells wide (or tall): a map's long
    lines cost a few entries each, not hundreds. Ask with `hits`.
    """

    def __init__(self, cell_width: float = 100.0, cell_height: float = 60.0) -> None:
        self._w, self._h = cell_width, cell_height
        self._cells: dict[Cell, dict[Hashable, list[Box]]] = {}
        self._rows: dict[Cell, dict[Hashable, list[Box]]] = {}  # wide boxes, coarse cells
        self._columns: dict[Cell, dict[Hashable, list[Box]]] = {}  # tall ones
        self._owned: dict[Hashable, list[tuple[dict[Any, dict[Hashable, list[Box]]], Any]]] = {}
        self._boxes: dict[Hashable, list[Box]] = {}

    def __len__(self) -> int:
        return len(self._owned)

    def _range(self, box: Box) -> tuple[int, int, int, int]:
        w, h = self._w, self._h
        return (math.floor(box[0] / w), math.floor(box[2] / w), math.floor(box[1] / h),
                math.floor(box[3] / h))

    def add(self, owner: Hashable, box: Box) -> None:
        i0, i1, j0, j1 = self._range(box)
        owned = self._owned.setdefault(owner, [])
        self._boxes.setdefault(owner, []).append(box)
        if i1 - i0 >= LONG and i1 - i0 >= j1 - j0:
            places: list[tuple[dict[Any, dict[Hashable, list[Box]]], Any]] = \
                [(self._rows, (i, j)) for i in range(i0 // LONG, i1 // LONG + 1)
                 for j in range(j0, j1 + 1)]
        elif j1 - j0 >= LONG:
            places = [(self._columns, (i, j)) for i in range(i0, i1 + 1)
                      for j in range(j0 // LONG, j1 // LONG + 1)]
        else:
            places = [(self._cells, (i, j)) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]
        for table, place in places:
            entries = table.get(place)
            if entries is None:
                table[place] = {owner: [box]}
            else:
                entries.setdefault(owner, []).append(box)
            owned.append((table, place))

    def remove(self, owner: Hashable) -> None:
        """Every box of `owner`."""
        self._boxes.pop(owner, None)
        for table, place in self._owned.pop(owner, ()):
            entries = table.get(place)
            if entries is not None and entries.pop(owner, None) is not None and not entries:
                del table[place]

    def boxes(self, owner: Hashable) -> list[Box]:
        return list(self._boxes.get(owner, ()))

    def hits(self, box: Box, skip: Hashable = None) -> Iterator[tuple[Hashable, Box]]:
        """(owner, box) for every box meeting `box`, but `skip`'s; a box filed in
        several places may come more than once."""
        left, top, right, bottom = box
        i0, i1, j0, j1 = self._range(box)
        groups = [self._cells.get((i, j)) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]
        if self._rows:
            groups += [self._rows.get((i, j)) for i in range(i0 // LONG, i1 // LONG + 1)
                       for j in range(j0, j1 + 1)]
        if self._columns:
            groups += [self._columns.get((i, j)) for i in range(i0, i1 + 1)
                       for j in range(j0 // LONG, j1 // LONG + 1)]
        for entries in groups:
            if entries is None:
                continue
            for owner, kept in entries.items():
                if owner == skip:
                    continue
                for other in kept:
                    if other[0] < right and other[2] > left and other[1] < bottom \
                            and other[3] > top:
                        yield owner, other

    def any_hit(self, box: Box, skip: Hashable = None) -> bool:
        return next(self.hits(box, skip), None) is not None

    def owners_hit(self, box: Box, skip: Hashable = None) -> set[Hashable]:
        return {owner for owner, _ in self.hits(box, skip)}


class CardIndex:
    """Where the cards are, all of one size: does a box cross a card?

    Cards are kept in sorted runs: by left edge, each with its cards' tops, and by top
    edge, each with its cards' lefts. A question about a thin box (most runs of a
    route are) then looks at a handful of entries found by bisection, whatever the
    size of the map.
    """

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self._places: dict[str, tuple[float, float]] = {}
        self._by_left: dict[float, list[tuple[float, str]]] = {}  # left -> [(top, id)]
        self._by_top: dict[float, list[tuple[float, str]]] = {}  # top -> [(left, id)]
        self._keys: tuple[list[float], list[float]] | None = ([], [])  # sorted lefts, tops

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._places

    def position(self, card_id: str) -> tuple[float, float] | None:
        return self._places.get(card_id)

    def box(self, card_id: str) -> Box:
        x, y = self._places[card_id]
        return x, y, x + self.width, y + self.height

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

    def crossing(self, left: float, top: float, right: float, bottom: float,
                 ends: Iterable[str] = ()) -> Iterator[str]:
        """The cards but `ends` that a box crosses."""
        if self._keys is None:
            self._keys = (sorted(self._by_left), sorted(self._by_top))
        lefts, tops = self._keys
        # a card crosses the box when its left is in (left - width, right) and its top
        # in (top - height, bottom)
        low_left, high_left = left - self.width, right
        low_top, high_top = top - self.height, bottom
        i0, i1 = bisect_right(lefts, low_left), bisect_left(lefts, high_left)
        j0, j1 = bisect_right(tops, low_top), bisect_left(tops, high_top)
        if i0 >= i1 or j0 >= j1:
            return
        if i1 - i0 <= j1 - j0:  # walk whichever has fewer runs
            runs, keys, low, high = self._by_left, lefts[i0:i1], low_top, high_top
        else:
            runs, keys, low, high = self._by_top, tops[j0:j1], low_left, high_left
        for key in keys:
            run = runs[key]
            k = bisect_right(run, (low, _LAST))
            while k < len(run) and run[k][0] < high:
                if run[k][1] not in ends:
                    yield run[k][1]
                k += 1

    def widest_right(self, left: float, top: float, right: float, bottom: float,
                     reach: Mapping[str, float], least: float) -> list[tuple[float, float]]:
        """For each left edge shared by cards that cross the box: that edge, and how far
        right of those cards' right edges the widest of them reaches (`reach`, at least
        `least`). A vertical run beside a column of cards asks this once a column
        instead of once a card (a laid-out map has hundreds of cards in one)."""
        if self._keys is None:
            self._keys = (sorted(self._by_left), sorted(self._by_top))
        lefts = self._keys[0]
        low_top, high_top = top - self.height, bottom
        out = []
        for key in lefts[bisect_right(lefts, left - self.width):bisect_left(lefts, right)]:
            run = self._by_left[key]
            k0 = bisect_right(run, (low_top, _LAST))
            k1 = bisect_left(run, (high_top, ""), k0)
            if k0 < k1:
                widest = max(map(reach.get, map(_ID, run[k0:k1]), repeat(0.0)))
                out.append((key, max(least, widest)))
        return out

    def blocked(self, left: float, top: float, right: float, bottom: float,
                ends: Iterable[str] = ()) -> bool:
        """Whether a box crosses any card but `ends`."""
        return next(self.crossing(left, top, right, bottom, ends), None) is not None
