"""place_new: touchpoints added by a refresh go beside their stage's cards, over none;
flow_layers: the layers of the flow, as networkx gave them."""

from __future__ import annotations

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from cx_mapper.domain.journey import Journey, Stage, Touchpoint, Transition
from cx_mapper.domain.templates import five_stage_project
from cx_mapper.engine.layout import (
    GRID,
    LANE_WIDTH,
    ROW_HEIGHT,
    flow_layers,
    layout_by_stage,
    place_new,
)


def lanes() -> Journey:
    journey = Journey(id="j", stages=[Stage("aware", "Awareness"), Stage("buy", "Purchase"),
                                      Stage("keep", "Loyalty")])
    for touchpoint in (
        Touchpoint("ad", stage="aware", entry=1.0, x=40.0, y=0.0),
        Touchpoint("site", stage="aware", x=40.0, y=120.0),
        Touchpoint("odd", stage="aware", x=600.0, y=500.0),  # dragged away by hand
        Touchpoint("buy", stage="buy", x=300.0, y=40.0),
    ):
        journey.add_touchpoint(touchpoint)
    return journey


def overlaps(a: tuple[float, float], b: tuple[float, float]) -> bool:
    card_width, card_height = 180.0, 76.0  # ui/canvas/style.py
    return abs(a[0] - b[0]) < card_width and abs(a[1] - b[1]) < card_height


def test_new_cards_go_below_their_stage_column() -> None:
    journey = lanes()
    journey.add_touchpoint(Touchpoint("reviews", stage="aware"))
    journey.add_touchpoint(Touchpoint("compare", stage="aware"))
    journey.add_touchpoint(Touchpoint("pay", stage="buy"))
    positions = place_new(journey, ["reviews", "compare", "pay"])
    assert positions == {
        "reviews": (40.0, 120.0 + ROW_HEIGHT),  # the column most Awareness cards use
        "compare": (40.0, 120.0 + 2 * ROW_HEIGHT),
        "pay": (300.0, 40.0 + ROW_HEIGHT),
    }


def test_a_stage_without_cards_uses_its_lane_and_no_stage_the_lane_after() -> None:
    journey = lanes()
    journey.remove_touchpoint("odd")
    journey.add_touchpoint(Touchpoint("club", stage="keep"))
    journey.add_touchpoint(Touchpoint("loose"))
    journey.add_touchpoint(Touchpoint("lost", stage="gone"))  # an unknown stage: none
    positions = place_new(journey, ["club", "loose", "lost"])
    assert positions["club"] == (2 * LANE_WIDTH, 0.0)  # top of the map
    assert positions["loose"] == (3 * LANE_WIDTH, 0.0)
    assert positions["lost"] == (3 * LANE_WIDTH, ROW_HEIGHT)


def test_a_card_near_the_column_pushes_new_ones_down() -> None:
    journey = lanes()
    journey.add_touchpoint(Touchpoint("club", stage="keep"))
    # Loyalty's lane starts at 520; the hand-dragged card at x 600 reaches into it.
    assert place_new(journey, ["club"])["club"] == (2 * LANE_WIDTH, 500.0 + ROW_HEIGHT)


def test_positions_are_on_the_grid_and_clear_of_every_card() -> None:
    journey = lanes()
    journey.update_touchpoint("buy", x=303.0, y=47.0)  # off the grid
    for index in range(5):
        journey.add_touchpoint(Touchpoint(f"n{index}", stage=("aware", "buy", None)[index % 3]))
    new = [f"n{index}" for index in range(5)]
    positions = place_new(journey, new)
    assert set(positions) == set(new)
    for x, y in positions.values():
        assert x % GRID == 0 and y % GRID == 0
    placed = list(positions.values())
    drawn = [(t.x, t.y) for t in journey.touchpoints.values() if t.id not in positions]
    for index, position in enumerate(placed):
        assert not any(overlaps(position, other) for other in drawn + placed[index + 1:])


def test_nothing_drawn_moves_and_unknown_ids_are_ignored() -> None:
    project = five_stage_project()
    journey = project.journeys[0]
    journey.add_touchpoint(Touchpoint("chat", stage="service"))
    assert place_new(journey, []) == {}
    assert set(place_new(journey, ["chat", "nowhere", "chat"])) == {"chat"}


def test_an_empty_journey_places_from_the_origin() -> None:
    journey = Journey(id="j")
    journey.add_touchpoint(Touchpoint("a", entry=1.0))
    journey.add_touchpoint(Touchpoint("b"))
    assert place_new(journey, ["a", "b"]) == {"a": (0.0, 0.0), "b": (0.0, ROW_HEIGHT)}
    assert layout_by_stage(journey) == place_new(journey, ["a", "b"])


def test_a_journey_without_stages_is_laid_out_left_to_right_by_flow() -> None:
    """Imported paths have no stages: one column per step of the flow, not one pile."""
    from cx_mapper.domain.journey import Transition

    journey = Journey(id="paths")
    for touchpoint in (Touchpoint("social", entry=0.5), Touchpoint("display", entry=0.5),
                       Touchpoint("search"), Touchpoint("site"), Touchpoint("goal")):
        journey.add_touchpoint(touchpoint)
    for source, target in (("social", "search"), ("display", "search"), ("search", "site"),
                           ("social", "site"), ("site", "goal"), ("site", "search")):
        journey.add_transition(Transition(source, target, 0.3))
    positions = layout_by_stage(journey)
    assert positions["social"] == (0.0, 0.0) and positions["display"] == (0.0, ROW_HEIGHT)
    assert [positions[t][0] for t in ("search", "site", "goal")] == [
        LANE_WIDTH, 2 * LANE_WIDTH, 3 * LANE_WIDTH]
    assert len(set(positions.values())) == len(positions)


def networkx_layers(journey: Journey) -> dict[str, int]:
    """flow_layers as it was written with networkx: the reference it must equal."""
    import networkx as nx

    entries = [t.id for t in journey.touchpoints.values() if t.entry > 0]
    incoming = {target for source, target in journey.transitions if source != target}
    sources = [t for t in journey.touchpoints if t not in incoming]
    graph = nx.DiGraph()
    graph.add_nodes_from(dict.fromkeys([*entries, *sources, *journey.touchpoints]))
    graph.add_edges_from(key for key in journey.transitions if key[0] != key[1])
    back, on_path = [], set()
    for source, target, kind in nx.dfs_labeled_edges(graph):
        if kind == "forward":
            on_path.add(target)
        elif kind == "reverse":
            on_path.discard(target)
        elif kind == "nontree" and target in on_path:
            back.append((source, target))
    graph.remove_edges_from(back)
    return {node: layer for layer, generation in enumerate(nx.topological_generations(graph))
            for node in generation}


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 25), st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)),
                                    max_size=70), st.sets(st.integers(0, 24), max_size=4),
       st.randoms(use_true_random=False))
def test_flow_layers_are_networkx_layers_with_loops_and_cycles(
        size: int, moves: list[tuple[int, int]], entries: set[int], rng: Random) -> None:
    journey = Journey(id="j")
    names = [f"t{i}" for i in range(size)]
    rng.shuffle(names)  # the order touchpoints were added decides ties
    for name in names:
        journey.add_touchpoint(Touchpoint(name, entry=0.2 if int(name[1:]) in entries else 0.0))
    for a, b in moves:
        key = (f"t{a % size}", f"t{b % size}")
        if key not in journey.transitions and len(journey.outgoing(key[0])) < 9:
            journey.add_transition(Transition(*key, probability=0.1))
    layers = flow_layers(journey)
    expected = networkx_layers(journey)
    assert layers == expected and list(layers) == list(expected)
