"""Where a wall map's pages fall: the poster tiled across sheets of paper.

All in points (1/72 inch). Each sheet keeps a margin the printer may not reach, for the
crop marks and the page's label; inside it, the sheet prints its window of the poster.
Neighbouring windows share `overlap` points: the strip down a page's right (or along
its bottom) repeats the start of the next page, to glue under it. A page's own area is
its window less that strip; the own areas cut the poster into pieces with no gap and no
double, and the crop marks stand at their corners.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from cx_mapper.exports.paper import MM_PER_POINT, paper_points

#: The sheet's edge the printer may not reach: crop marks and labels go there.
MARGIN_MM = 10.0


@dataclass(frozen=True)
class Box:
    """A rectangle of the poster, in points from its top left."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Tile:
    """One sheet of a tiled poster."""

    column: int  # 0 is A
    row: int  # 0 is 1
    window: Box  # the part of the poster the sheet prints, overlaps included
    own: Box  # its window less the strips it shares with the pages right of and below it
    name: str  # "B3": column letter and row number
    label: str  # "B3 of C4": the last page's name after "of"


def column_letter(column: int) -> str:
    """A, B, … Z, then AA, AB, … (the command line allows at most 20 across)."""
    letters = ""
    column += 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def page_name(column: int, row: int) -> str:
    return f"{column_letter(column)}{row + 1}"


@dataclass(frozen=True)
class Sheets:
    """The paper a poster prints on and how it is tiled."""

    paper: str  # a name of exports.paper.PAPERS
    landscape: bool = False
    across: int = 1
    overlap_mm: float = 10.0

    @property
    def page(self) -> tuple[float, float]:
        """The sheet's width and height in points."""
        return paper_points(self.paper, self.landscape)

    @property
    def margin(self) -> float:
        return MARGIN_MM / MM_PER_POINT

    @property
    def printable(self) -> tuple[float, float]:
        """The part of a sheet inside its margins, in points."""
        width, height = self.page
        return width - 2 * self.margin, height - 2 * self.margin

    @property
    def overlap(self) -> float:
        return self.overlap_mm / MM_PER_POINT

    @property
    def width(self) -> float:
        """The poster's width: `across` printable widths less the overlaps between them."""
        return self.across * self.printable[0] - (self.across - 1) * self.overlap

    def rows(self, height: float) -> int:
        """How many rows of sheets a poster `height` points tall needs."""
        step = self.printable[1] - self.overlap
        # A hair's tolerance: a poster exactly n pages tall stays n pages.
        return max(1, math.ceil((height - self.overlap) / step - 1e-9))

    def tiles(self, height: float) -> list[Tile]:
        """The sheets of a poster `height` points tall, row by row, left to right."""
        width, tall = self.printable
        step_x, step_y = width - self.overlap, tall - self.overlap
        rows = self.rows(height)
        last = page_name(self.across - 1, rows - 1)
        tiles = []
        for row in range(rows):
            for column in range(self.across):
                x, y = column * step_x, row * step_y
                own = Box(x, y, width if column == self.across - 1 else step_x,
                          tall if row == rows - 1 else step_y)
                name = page_name(column, row)
                tiles.append(Tile(column, row, Box(x, y, width, tall), own, name,
                                  f"{name} of {last}"))
        return tiles
