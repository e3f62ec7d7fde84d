"""What the canvas shows against what the document holds, for the canvas tests."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from cx_mapper.domain.journey import Journey
from cx_mapper.ui.document.project_document import ProjectDocument
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
