"""What the canvas shows against what the document holds, and how its labels and routes
sit, for the canvas tests."""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtGui import QPainterPathStroker
from PySide6.QtWidgets import QGraphicsScene

from cx_mapper.domain.journey import Journey
from cx_mapper.ui.document.project_document import ProjectDocument
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.picture import card_body
from cx_mapper.ui.editor.canvas.scene import CanvasScene
from tests.factories import state


def journey(doc: ProjectDocument) -> Journey:
    return doc.project.journey("now")


def drawn(scene: CanvasScene) -> tuple[set[str], set[tuple[str, str]], list[str]]:
    """Which cards and arrows are on the canvas, and the lanes left to right."""
    lanes = sorted(scene.lanes().values(), key=lambda lane: lane.rect().left())
    return set(scene.cards()), set(scene.arrows()), [lane.stage_id for lane in lanes]


def matches_document(scene: CanvasScene, doc: ProjectDocument) -> bool:
    j = journey(doc)
    if drawn(scene) != (set(j.touchpoints), set(j.transitions), [s.id for s in j.stages]):
        return False
    return all(scene.card(t.id).pos() == QPointF(t.x, t.y) and scene.card(t.id).touchpoint == t
               for t in j.touchpoints.values())


def rhythm(doc: ProjectDocument, scene: CanvasScene, before: object) -> None:
    """One undo step: undo shows the old picture, redo the new one."""
    after = state(doc.project)
    assert doc.undo_stack.count() == 1
    assert matches_document(scene, doc)
    doc.undo_stack.undo()
    assert state(doc.project) == before and matches_document(scene, doc)
    doc.undo_stack.redo()
    assert state(doc.project) == after and matches_document(scene, doc)


def touched_labels(scene: QGraphicsScene) -> dict[tuple[str, str], set[str]]:
    """The arrows whose label overlaps a card, another label or another arrow's line or
    head as drawn (the line stroked at its width), and what it overlaps."""
    arrows = [i for i in scene.items() if isinstance(i, TransitionArrow) and i.isVisible()]
    cards = [card_body(i) for i in scene.items() if isinstance(i, TouchpointCard)]
    strokes = []
    for arrow in arrows:
        stroker = QPainterPathStroker()
        stroker.setWidth(arrow.flow_width())
        stroke = stroker.createStroke(arrow.path())
        stroke.addPolygon(arrow.head())
        strokes.append(stroke)
    touched: dict[tuple[str, str], set[str]] = {}
    for i, arrow in enumerate(arrows):
        rect = arrow.label_rect()
        what = set()
        if any(rect.intersects(card) for card in cards):
            what.add("card")
        if any(j != i and rect.intersects(other.label_rect()) for j, other in enumerate(arrows)):
            what.add("label")
        if any(j != i and stroke.intersects(rect) for j, stroke in enumerate(strokes)):
            what.add("line")
        if what:
            touched[arrow.key] = what
    return touched


def shared_stretches(scene: QGraphicsScene) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Pairs of arrows whose routes run along one line for a stretch: two horizontal (or
    vertical) runs less than a pixel apart that overlap along it."""
    runs: list[tuple[bool, float, float, float, tuple[str, str]]] = []
    for arrow in scene.items():
        route = arrow.route() if isinstance(arrow, TransitionArrow) else None
        if route is None:
            continue
        for (x1, y1), (x2, y2) in zip(route.points, route.points[1:], strict=False):
            across = y1 == y2
            at, a, b = (y1, x1, x2) if across else (x1, y1, y2)
            runs.append((across, at, min(a, b), max(a, b), arrow.key))
    shared = []
    for n, (across, at, a, b, key) in enumerate(runs):
        for other_across, other_at, c, d, other in runs[n + 1:]:
            if other != key and other_across == across and abs(at - other_at) < 1.0 \
                    and min(b, d) - max(a, c) > 1.0:
                shared.append((key, other))
    return shared
