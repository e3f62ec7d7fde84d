"""Align, distribute and drag guides: the arithmetic behind Arrange, without Qt."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cx_mapper.engine.arrange import Guide, align, bounds, distribute, snap_to_guides

CARD = (180.0, 76.0)


def box(x: float, y: float, w: float = CARD[0], h: float = CARD[1]) -> tuple[float, ...]:
    return (x, y, w, h)


BOXES = {"a": box(40, 0), "b": box(300, 130), "c": box(120, 270, 100, 40)}


@pytest.mark.parametrize(("edge", "expected"), [
    ("left", {"a": (40, 0), "b": (40, 130), "c": (40, 270)}),
    ("right", {"a": (300, 0), "b": (300, 130), "c": (380, 270)}),
    ("centre", {"a": (170, 0), "b": (170, 130), "c": (210, 270)}),
    ("top", {"a": (40, 0), "b": (300, 0), "c": (120, 0)}),
    ("bottom", {"a": (40, 234), "b": (300, 234), "c": (120, 270)}),
    ("middle", {"a": (40, 117), "b": (300, 117), "c": (120, 135)}),
])
def test_align_lines_up_one_edge_of_the_common_bounds(edge: str, expected: dict) -> None:
    assert align(BOXES, edge) == expected  # type: ignore[arg-type]


def test_align_needs_two_boxes_and_a_known_edge() -> None:
    assert align({"a": box(0, 0)}, "left") == {}
    with pytest.raises(ValueError, match="Unknown edge"):
        align(BOXES, "diagonal")  # type: ignore[arg-type]


def test_distribute_horizontally_leaves_equal_gaps_and_keeps_the_ends() -> None:
    boxes = {"a": box(0, 0), "b": box(200, 40), "c": box(900, 0), "d": box(300, 80, 100, 40)}
    positions = distribute(boxes, "horizontal")
    assert positions["a"] == (0, 0) and positions["c"] == (900, 0), "the outermost stay"
    placed = sorted((positions[k][0], boxes[k][2]) for k in boxes)
    gaps = [placed[i + 1][0] - (placed[i][0] + placed[i][1]) for i in range(3)]
    assert gaps == pytest.approx([gaps[0]] * 3)
    assert gaps[0] == pytest.approx((1080 - 3 * 180 - 100) / 3)
    assert positions["b"][1] == 40 and positions["d"][1] == 80, "rows are kept"


def test_distribute_vertically_orders_by_centre() -> None:
    boxes = {"top": box(0, 0), "low": box(20, 600), "mid": box(40, 100)}
    assert distribute(boxes, "vertical") == {"top": (0, 0), "mid": (40, 300), "low": (20, 600)}


def test_distribute_needs_three_boxes_and_a_known_axis() -> None:
    assert distribute({"a": box(0, 0), "b": box(10, 10)}, "horizontal") == {}
    with pytest.raises(ValueError, match="Unknown axis"):
        distribute(BOXES, "diagonal")  # type: ignore[arg-type]


@given(st.lists(st.tuples(st.integers(-2000, 2000), st.integers(-2000, 2000)),
                min_size=3, max_size=12, unique=True))
def test_distributed_gaps_are_equal_whatever_the_start(points: list[tuple[int, int]]) -> None:
    boxes = {str(i): box(float(x), float(y)) for i, (x, y) in enumerate(points)}
    for axis, across in (("horizontal", 0), ("vertical", 1)):
        positions = distribute(boxes, axis)  # type: ignore[arg-type]
        starts = sorted(p[across] for p in positions.values())
        size = CARD[across]
        gaps = [b - (a + size) for a, b in zip(starts, starts[1:], strict=False)]
        assert gaps == pytest.approx([gaps[0]] * len(gaps), abs=1e-6)
        assert starts[0] == min(b[across] for b in boxes.values())
        assert starts[-1] == max(b[across] for b in boxes.values())


def test_a_drag_near_another_card_snaps_to_its_edge_and_shows_a_guide() -> None:
    others = [box(0, 0), box(600, 300)]
    snap = snap_to_guides(box(604, 5), others, tolerance=8)
    assert (snap.dx, snap.dy) == (-4, -5)
    assert Guide("vertical", 690, 0, 376) in snap.guides, "the centres of it and the lower card"
    assert Guide("horizontal", 38, 0, 780) in snap.guides, "the middles of it and the first card"
    assert len(snap.guides) == 2, "one line per axis: the centre says it all for equal cards"


def test_a_drag_far_from_every_line_is_left_alone() -> None:
    snap = snap_to_guides(box(330, 170), [box(0, 0), box(600, 400)], tolerance=8)
    assert (snap.dx, snap.dy, snap.guides) == (0, 0, ())


def test_edges_show_when_the_centres_differ() -> None:
    snap = snap_to_guides(box(2, 300, 100, 40), [box(0, 0)], tolerance=5)
    assert snap.dx == -2 and [(g.axis, g.at) for g in snap.guides] == [("vertical", 0)]


def test_the_nearest_line_wins_and_centres_count() -> None:
    # a narrower box: its centre lines up with the card's centre (x = 90) before any edge
    snap = snap_to_guides(box(37, 300, 100, 40), [box(0, 0)], tolerance=10)
    assert snap.dx == 3 and snap.dy == 0
    assert [g.at for g in snap.guides] == [90]


def test_bounds_hold_every_box() -> None:
    assert bounds(list(BOXES.values())) == (40, 0, 440, 310)
