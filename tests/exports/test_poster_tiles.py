"""Where a tiled poster's sheets fall: every sheet the paper's printable size, the
sheets covering the whole poster, neighbours sharing exactly the overlap asked, and the
sheets' own areas (inside their crop marks) cutting the poster with no gap and no
double."""

from __future__ import annotations

import pytest

from cx_mapper.exports.paper import MM_PER_POINT, paper_points
from cx_mapper.exports.poster_tiles import MARGIN_MM, Sheets, Tile, column_letter

CASES = [("A3", False, 4, 10.0, 900.0), ("A4", True, 3, 0.0, 2000.0),
         ("A0", False, 2, 50.0, 100.0), ("Letter", False, 5, 25.0, 5321.0),
         ("Tabloid", True, 20, 10.0, 12_000.0)]


def at(tiles: list[Tile], column: int, row: int) -> Tile:
    return next(t for t in tiles if (t.column, t.row) == (column, row))


@pytest.mark.parametrize(("paper", "landscape", "across", "overlap_mm", "height"), CASES)
def test_the_sheets_cover_the_poster_with_the_overlap_asked(
        paper: str, landscape: bool, across: int, overlap_mm: float, height: float) -> None:
    sheets = Sheets(paper, landscape, across, overlap_mm)
    tiles = sheets.tiles(height)
    rows = len(tiles) // across
    assert len(tiles) == across * rows and rows == sheets.rows(height)
    page_w, page_h = paper_points(paper, landscape)
    margin = MARGIN_MM / MM_PER_POINT
    overlap = overlap_mm / MM_PER_POINT
    for tile in tiles:  # each prints the paper's area inside its margins
        assert tile.window.width == pytest.approx(page_w - 2 * margin)
        assert tile.window.height == pytest.approx(page_h - 2 * margin)
    # The outer sheets reach the poster's edges: all of its width, all of its height.
    assert at(tiles, 0, 0).window.x == 0 and at(tiles, 0, 0).window.y == 0
    assert at(tiles, across - 1, 0).window.right == pytest.approx(sheets.width)
    assert at(tiles, 0, rows - 1).window.bottom >= height
    # Neighbours share exactly the overlap: no gap, no more.
    for tile in tiles:
        if tile.column + 1 < across:
            right = at(tiles, tile.column + 1, tile.row)
            assert tile.window.right - right.window.x == pytest.approx(overlap)
            assert right.window.y == tile.window.y
        if tile.row + 1 < rows:
            below = at(tiles, tile.column, tile.row + 1)
            assert tile.window.bottom - below.window.y == pytest.approx(overlap)
            assert below.window.x == tile.window.x
    # The own areas abut and add up to the poster's width and the sheets' height.
    for row in range(rows):
        owns = [at(tiles, column, row).own for column in range(across)]
        assert owns[0].x == 0 and owns[-1].right == pytest.approx(sheets.width)
        assert all(a.right == pytest.approx(b.x) for a, b in zip(owns, owns[1:], strict=False))
    column = [at(tiles, 0, row).own for row in range(rows)]
    assert all(a.bottom == pytest.approx(b.y) for a, b in zip(column, column[1:], strict=False))
    assert column[-1].bottom == pytest.approx(at(tiles, 0, rows - 1).window.bottom)


def test_rows_follow_the_height_exactly() -> None:
    sheets = Sheets("A4", False, 2, 10.0)
    _, tall = sheets.printable
    step = tall - sheets.overlap
    assert sheets.rows(1.0) == 1 and sheets.rows(tall) == 1
    assert sheets.rows(tall + 0.5) == 2
    assert sheets.rows(tall + step) == 2 and sheets.rows(tall + step + 0.5) == 3


def test_the_sheets_are_named_by_column_letter_and_row() -> None:
    tiles = Sheets("A3", False, 3, 10.0).tiles(2000.0)
    assert [t.label for t in tiles] == [
        "A1 of C2", "B1 of C2", "C1 of C2", "A2 of C2", "B2 of C2", "C2 of C2"]
    assert [column_letter(i) for i in (0, 19, 25, 26, 27)] == ["A", "T", "Z", "AA", "AB"]
