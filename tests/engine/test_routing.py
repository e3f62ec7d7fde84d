"""Routing arrows and placing their labels without Qt: the geometry the canvas and the
summary's map draw."""

from __future__ import annotations

import pytest

from cx_mapper.engine.routing import BACKWARD, FORWARD, SELF, SIDEWAYS, ArrowMap, CardIndex
from cx_mapper.engine.routing.arrow_map import QUICK
from cx_mapper.engine.routing.geometry import BoxGrid, meet
from cx_mapper.engine.routing.routes import (
    MIN_ROOM,
    allowed,
    port_positions,
    settle,
    spread,
)

W, H = 180.0, 76.0
LABEL = (36.0, 16.0)


def arrow_map(cards: dict[str, tuple[float, float]], *keys: tuple[str, str]) -> ArrowMap:
    arrows = ArrowMap(W, H)
    for card, (x, y) in cards.items():
        arrows.place_card(card, x, y)
    for key in keys:
        arrows.add_arrow(key, LABEL, 1.6)
    arrows.update()
    return arrows


def runs(points: tuple[tuple[float, float], ...]) -> list[tuple[bool, float, float, float]]:
    out = []
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        across = y1 == y2
        at, a, b = (y1, x1, x2) if across else (x1, y1, y2)
        out.append((across, at, min(a, b), max(a, b)))
    return out


def share_a_stretch(first: tuple[tuple[float, float], ...],
                    second: tuple[tuple[float, float], ...]) -> bool:
    return any(p == q and abs(at - bt) < MIN_ROOM and min(b1, b2) - max(a1, a2) > 1
               for p, at, a1, b1 in runs(first) for q, bt, a2, b2 in runs(second))


def test_ports_spread_over_a_side_and_settle_level_with_their_sources() -> None:
    assert port_positions(0, 76, 1) == [38]
    ys = port_positions(0, 76, 4)
    assert ys == sorted(ys) and min(b - a for a, b in zip(ys, ys[1:], strict=False)) >= 16
    assert settle([30.0, 31.0, 70.0], 4, 72) == [30.0, 42.0, 70.0]
    assert settle([0.0, 0.0], 4, 72) == [4.0, 16.0]


def test_a_run_spreads_from_others_within_the_stretches_left() -> None:
    assert allowed(0, 100, [(10, 20), (15, 30), (90, 120)]) == [(0, 10), (30, 90)]
    assert allowed(0, 10, [(-1, 11)]) == []
    place, distance = spread(50, [(0, 100)], [50.0], 4)[0]
    assert abs(place - 50) == 4 and distance == 4
    crowded = spread(10, [(0, 10)], [0.0, 4.0, 8.0], 4)
    assert crowded[0][1] == 2  # as far from the others as the room allows


def test_cards_and_boxes_are_found_where_they_are() -> None:
    cards = CardIndex(W, H)
    cards.place("a", 0, 0)
    cards.place("b", 260, 0)
    assert cards.blocked(185, 30, 515, 40) and not cards.blocked(185, 30, 515, 40, ("b",))
    grid = BoxGrid()
    grid.add("long", (0, 10, 5000, 12))  # a line across a map
    grid.add("short", (100, 100, 120, 110))
    assert grid.owners_hit((2000, 0, 2010, 20)) == {"long"}
    assert grid.owners_hit((90, 95, 130, 105)) == {"short"}
    grid.remove("long")
    assert not grid.any_hit((2000, 0, 2010, 20))


@pytest.mark.parametrize(("target", "kind"), [((260, 240), FORWARD), ((-260, 0), BACKWARD),
                                              ((0, 240), SIDEWAYS), ((0, 0), SELF)])
def test_each_kind_of_arrow_is_routed_clear_of_its_cards(
    target: tuple[float, float], kind: str
) -> None:
    cards = {"a": (0.0, 0.0)} if kind == SELF else {"a": (0.0, 0.0), "b": target}
    key = ("a", "a") if kind == SELF else ("a", "b")
    route = arrow_map(cards, key).route(key)
    assert route is not None and route.kind == kind
    for x, y in route.points[1:-1]:
        for card in cards.values():
            assert not meet((x, y, x, y), (card[0], card[1], card[0] + W, card[1] + H))
    assert not meet(route.label, (0, 0, W, H))


def test_parallel_arrows_take_separate_routes() -> None:
    """Two loops back from one card, and two arrows into one card from one row, each on
    its own line."""
    cards = {"a": (0.0, 0.0), "b": (260.0, 0.0), "c": (520.0, 0.0), "d": (260.0, 240.0)}
    keys = [("c", "a"), ("c", "b"), ("a", "d"), ("b", "d"), ("a", "b"), ("b", "c")]
    arrows = arrow_map(cards, *keys)
    routes = {key: arrows.route(key) for key in keys}
    for n, first in enumerate(keys):
        for second in keys[n + 1:]:
            assert not share_a_stretch(routes[first].points, routes[second].points), \
                (first, second)
    assert arrows.touched_labels() == {}


def test_moving_a_card_reroutes_its_arrows_and_keeps_labels_clear() -> None:
    cards = {"a": (0.0, 0.0), "b": (260.0, 0.0), "c": (520.0, 120.0)}
    arrows = arrow_map(cards, ("a", "b"), ("b", "c"), ("a", "c"))
    before = arrows.route(("a", "b"))
    arrows.place_card("b", 260, 360)
    changed = arrows.update()
    assert ("a", "b") in changed and arrows.route(("a", "b")) != before
    assert arrows.touched_labels() == {}
    arrows.remove_arrow(("a", "b"))
    assert arrows.route(("a", "b")) is None and ("b", "c") in set(arrows.keys())


def test_a_very_big_map_is_routed_quickly_with_labels_clear_of_cards_and_labels() -> None:
    cards = {f"t{i}": (i // 20 * 260.0, i % 20 * 120.0) for i in range(700)}
    keys = [(f"t{i}", f"t{j}") for i in range(700) for j in (i + 1, i + 20, i + 23, 0)
            if j < 700 and j != i]
    assert len(keys) > QUICK
    arrows = arrow_map(cards, *keys)
    assert all(arrows.route(key) is not None for key in keys)
    touched = arrows.touched_labels()
    assert not any({"card", "label"} & what for what in touched.values())
