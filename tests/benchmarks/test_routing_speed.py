"""Routing speed: the arrows of a 2,000-touchpoint, 8,000-transition map, routed and
labelled, on opening the canvas and in the summary's map.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_routing_speed.py -s`.
It prints figures and ratios measured in the same run; it never fails on a slow
machine. It does check that every arrow was routed and labelled.

- Routing alone: `ArrowMap` (no Qt) given the cards and the arrows, one update.
- Summary map: `draw_journey` into a plain QGraphicsScene, as the summary draws it.
- Canvas: a CanvasScene built over a ProjectDocument, as opening a file builds it.
- Baseline: the same cards and arrow items, each arrow given a straight route from its
  source to its target and its label at the middle, with no routing at all: what
  building the items costs by itself. Ratio: routed time / baseline time.
- The 200-touchpoint map laid out by stage (as Journey > Auto-layout does): routing
  time and how many labels touch a card, a label or another arrow's line.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QGraphicsScene
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import LANE_WIDTH, ROW_HEIGHT, layout_by_stage
from cx_mapper.engine.routing import FORWARD, ArrowMap, Route
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.picture import card_body, draw_journey
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of

TOUCHPOINTS, TRANSITIONS, ROWS = 2_000, 8_000, 20


def label_size(probability: float) -> tuple[float, float]:
    """About the canvas's pill for a %: 9 pt digits, the sign and a little room."""
    text = f"{probability * 100:.0f}%"
    return 8.4 * (len(text) - 1) + 20, 16.0


def big_map() -> Project:
    """2,000 touchpoints on the layout grid (20 rows a column) and 8,000 transitions:
    forward links, links skipping a lane, links within a lane and loops back."""
    project = random_journey(TOUCHPOINTS, transitions_per_touchpoint=5)
    journey = project.journeys[0]
    journey.transitions = dict(list(journey.transitions.items())[:TRANSITIONS])
    for i, touchpoint in enumerate(list(journey.touchpoints.values())):
        journey.touchpoints[touchpoint.id] = replace(
            touchpoint, x=float(i // ROWS * LANE_WIDTH), y=float(i % ROWS * ROW_HEIGHT))
    return project


def laid_out(count: int) -> Project:
    project = random_journey(count)
    journey = project.journeys[0]
    for touchpoint_id, (x, y) in layout_by_stage(journey).items():
        journey.update_touchpoint(touchpoint_id, x=x, y=y)
    return project


def route_alone(project: Project) -> ArrowMap:
    journey = project.journeys[0]
    arrows = ArrowMap(style.CARD_WIDTH, style.CARD_HEIGHT)
    for touchpoint in journey.touchpoints.values():
        arrows.place_card(touchpoint.id, touchpoint.x, touchpoint.y)
    for key, transition in journey.transitions.items():
        arrows.add_arrow(key, label_size(transition.probability), style.ARROW_WIDTH)
    arrows.update()
    return arrows


def baseline(project: Project) -> QGraphicsScene:
    """The canvas's cards and arrows, each arrow straight with its label at the middle."""
    journey = project.journeys[0]
    scene = QGraphicsScene()
    cards = {}
    for touchpoint in journey.touchpoints.values():
        card = TouchpointCard(touchpoint, "")
        scene.addItem(card)
        cards[touchpoint.id] = card_body(card)
    for key, transition in journey.transitions.items():
        arrow = TransitionArrow(transition)
        source, target = cards[key[0]], cards[key[1]]
        arrow.update_geometry(source, target, _Unrouted())
        start, end = (source.right(), source.center().y()), (target.left(), target.center().y())
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
        arrow.set_route(Route(FORWARD, (start, end), end, (1.0, 0.0),
                              (middle[0] - 20, middle[1] - 8, middle[0] + 20, middle[1] + 8)))
        scene.addItem(arrow)
    return scene


class _Unrouted:
    """A router that routes nothing: the baseline gives each arrow its route itself."""

    def attach(self, arrow: object) -> None:
        pass

    def width_changed(self, arrow: object) -> None:
        pass


@pytest.mark.benchmark
def test_routing_speed(qtbot: QtBot) -> None:
    project = big_map()
    journey = project.journeys[0]
    assert len(journey.transitions) == TRANSITIONS

    alone, arrows = best_of(3, lambda: route_alone(big_map()))
    assert all(arrows.route(key) is not None for key in journey.transitions)

    def summary_map() -> QGraphicsScene:
        scene = QGraphicsScene()
        draw_journey(scene, project, journey)
        return scene

    summary, scene = best_of(3, summary_map)
    drawn = [item for item in scene.items() if isinstance(item, TransitionArrow)]
    assert len(drawn) == TRANSITIONS and all(not a.label_rect().isEmpty() for a in drawn)

    def canvas() -> CanvasScene:
        scene = CanvasScene(ProjectDocument(big_map()), journey.id)
        scene.arrows()  # a big map is drawn in slices: all of it, now
        return scene

    opened, canvas_scene = best_of(3, canvas)
    assert len(canvas_scene.arrows()) == TRANSITIONS
    base, _ = best_of(3, lambda: baseline(project))

    small = laid_out(200)
    small_time, small_arrows = best_of(3, lambda: route_alone(laid_out(200)))
    touched = small_arrows.touched_labels()
    labels = len(small.journeys[0].transitions)

    print(f"\nRouting: {TOUCHPOINTS:,} touchpoints, {TRANSITIONS:,} transitions on the "
          f"layout grid (best of 3)")
    print(f"{'':>30} {'time':>10} {'baseline':>10} {'ratio':>6}")
    print(f"{'routing alone (no Qt)':>30} {_ms(alone):>10}")
    for name, ours in (("summary map (draw_journey)", summary), ("canvas scene (open)", opened)):
        print(f"{name:>30} {_ms(ours):>10} {_ms(base):>10} {ours / base:>6.2f}")
    print("Baseline: the same card and arrow items, arrows straight, labels at the middle, "
          "nothing routed.")
    print(f"200 touchpoints laid out by stage: {labels} labels, routed in {_ms(small_time)}; "
          f"{len(touched)} come within a gap of a card, a label or another line "
          f"({100 * len(touched) / labels:.1f}%; the drawn overlaps are measured in "
          "tests/ui/editor/canvas/test_label_places.py).")


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"
