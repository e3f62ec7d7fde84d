"""Zoomed-out cards with their names: what it costs to paint them on a big map.

Run with `.venv/bin/python -m pytest -m benchmark tests/benchmarks/test_far_names_speed.py -s`.
It prints figures and ratios measured in the same run; it never fails on a slow
machine. It checks that the names are drawn where they should be.

Between 22 % and 45 % zoom a card shows its name alone at a legible size (a fitted
sample is at about 40 %); closer it shows everything, farther it is a plain block
drawn by the far-out layer. Each figure is a zoom to that level and the repaint after
it (the cards' pixmap caches start afresh at every zoom, so this is the full cost),
on a 2,000-touchpoint, 5,000-transition map in a 1600x1000 view.

Baseline: the same zoom and repaint of a bare QGraphicsScene of 2,000 plain rects and
5,000 lines in a plain view.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QLineF, QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView
from pytestqt.qtbot import QtBot

from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import LANE_WIDTH, ROW_HEIGHT
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from cx_mapper.ui.editor.canvas.view import CanvasView
from tests.benchmarks.journeys import random_journey
from tests.benchmarks.timing import best_of

TOUCHPOINTS, TRANSITIONS, ROWS = 2_000, 5_000, 20
SIZE = (1600, 1000)
ZOOMS = (0.2, 0.3, 0.4, 0.5)


def big_map() -> Project:
    project = random_journey(TOUCHPOINTS, transitions_per_touchpoint=3)
    journey = project.journeys[0]
    journey.transitions = dict(list(journey.transitions.items())[:TRANSITIONS])
    for i, touchpoint in enumerate(list(journey.touchpoints.values())):
        journey.touchpoints[touchpoint.id] = replace(
            touchpoint, x=float(i // ROWS * LANE_WIDTH), y=float(i % ROWS * ROW_HEIGHT))
    return project


def paint(view: QGraphicsView) -> QImage:
    return view.viewport().grab().toImage()


def zoom_and_paint(view: QGraphicsView, zoom: float, centre: QPointF) -> QImage:
    """Away and back, so each run pays for a fresh zoom level."""
    view.setTransform(QTransform.fromScale(zoom * 1.1, zoom * 1.1))
    if isinstance(view, CanvasView):
        view.set_zoom(zoom)
    else:
        view.setTransform(QTransform.fromScale(zoom, zoom))
    view.centerOn(centre)
    return paint(view)


@pytest.mark.benchmark
def test_far_names_speed(qtbot: QtBot) -> None:
    project = big_map()
    journey = project.journeys[0]
    view = CanvasView(CanvasScene(ProjectDocument(project), journey.id))
    qtbot.addWidget(view)
    view.resize(*SIZE)
    view.show()
    centre = QPointF(10 * LANE_WIDTH, ROWS * ROW_HEIGHT / 2)

    base = QGraphicsScene()
    centres = {}
    for touchpoint in journey.touchpoints.values():
        rect = QRectF(touchpoint.x, touchpoint.y, style.CARD_WIDTH, style.CARD_HEIGHT)
        base.addRect(rect)
        centres[touchpoint.id] = rect.center()
    for source, target in journey.transitions:
        base.addLine(QLineF(centres[source], centres[target]))
    base_view = QGraphicsView(base)
    base.setParent(base_view)
    qtbot.addWidget(base_view)
    base_view.setRenderHint(QPainter.RenderHint.Antialiasing)
    base_view.resize(*SIZE)
    base_view.show()

    rows = []
    for zoom in ZOOMS:
        ours, _ = best_of(5, lambda zoom=zoom: zoom_and_paint(view, zoom, centre))
        theirs, _ = best_of(5, lambda zoom=zoom: zoom_and_paint(base_view, zoom, centre))
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        cards = [c for c in view.canvas().cards().values()
                 if shown.contains(c.sceneBoundingRect())]
        named = sum(1 for c in cards if c.name_shown(view.zoom()))
        rows.append((zoom, ours, theirs, len(cards), named))
        if zoom >= style.LOD_DETAIL:
            assert named == len(cards) > 0, "every card on screen shows its name"

    print(f"\nFar-out names: {TOUCHPOINTS:,} touchpoints, {TRANSITIONS:,} transitions, "
          f"{SIZE[0]}x{SIZE[1]} view; zoom and repaint, best of 5")
    print(f"{'zoom':>6} {'drawn as':>18} {'cards':>6} {'named':>6} {'canvas':>10} "
          f"{'baseline':>10} {'ratio':>6}")
    for zoom, ours, theirs, cards, named in rows:
        kind = ("plain blocks" if zoom < style.LOD_DETAIL else
                "names only" if zoom < style.LOD_TEXT else "full cards")
        print(f"{zoom:>6.0%} {kind:>18} {cards:>6} {named:>6} {ours * 1000:>8.1f} ms "
              f"{theirs * 1000:>8.1f} ms {ours / theirs:>6.2f}")
    print("Baseline: plain QGraphicsRectItems and QGraphicsLineItems, antialiased.")
