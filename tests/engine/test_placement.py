"""Where pasted cards land: at the pointer, or below the originals where no card is."""

from __future__ import annotations

from cx_mapper.engine.layout import ROW_HEIGHT
from cx_mapper.engine.placement import paste_offset

CARD = (180.0, 76.0)


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < CARD[0] and abs(a[1] - b[1]) < CARD[1]


def test_copies_go_below_the_originals_and_stay_in_their_lanes() -> None:
    copied = [(0.0, 0.0), (260.0, 0.0)]
    dx, dy = paste_offset(copied, copied, CARD)
    assert dx == 0 and dy == ROW_HEIGHT
    assert not any(overlaps((x + dx, y + dy), other) for x, y in copied for other in copied)


def test_copies_skip_rows_taken_by_other_cards_and_earlier_pastes() -> None:
    copied = [(0.0, 0.0)]
    taken = [(0.0, 0.0), (20.0, 120.0), (0.0, 240.0), (600.0, 360.0)]
    assert paste_offset(copied, taken, CARD) == (0.0, 360.0)
    again = paste_offset(copied, [*taken, (0.0, 360.0)], CARD)
    assert again == (0.0, 480.0), "a second paste does not hide the first"


def test_a_group_taller_than_a_row_moves_down_by_its_height() -> None:
    copied = [(0.0, 0.0), (0.0, 120.0), (0.0, 240.0)]
    dx, dy = paste_offset(copied, copied, CARD)
    assert dy == 3 * ROW_HEIGHT
    assert not any(overlaps((x, y + dy), other) for x, y in copied for other in copied)


def test_at_the_pointer_the_copies_are_centred_on_it_on_the_grid() -> None:
    copied = [(0.0, 0.0), (260.0, 120.0)]
    dx, dy = paste_offset(copied, copied, CARD, pointer=(1000.0, 500.0))
    centre = ((0 + 260 + 180) / 2 + dx, (0 + 120 + 76) / 2 + dy)
    assert abs(centre[0] - 1000) <= 10 and abs(centre[1] - 500) <= 10
    assert dx % 20 == 0 and dy % 20 == 0
