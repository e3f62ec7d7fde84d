"""Real mouse gestures on a shown canvas view, in scene terms, for the canvas tests."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from pytestqt.qtbot import QtBot

from cx_mapper.ui.editor.canvas.view import CanvasView

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def at(view: CanvasView, x: float, y: float) -> QPoint:
    """The viewport pixel showing scene point (x, y)."""
    return view.mapFromScene(QPointF(x, y))


def card_point(view: CanvasView, touchpoint_id: str, dx: float = 70, dy: float = 40) -> QPoint:
    """A point on a card's body, away from its handle and markers."""
    card = view.canvas().card(touchpoint_id)
    assert card is not None
    return at(view, card.x() + dx, card.y() + dy)


def handle_centre(view: CanvasView, touchpoint_id: str) -> QPointF:
    """The centre of a card's connection handle, in viewport pixels (not rounded)."""
    card = view.canvas().card(touchpoint_id)
    assert card is not None
    centre = card.mapToScene(card.handle_rect().center())
    return QPointF(view.mapFromScene(centre)) + _fraction(view, centre)


def _fraction(view: CanvasView, point: QPointF) -> QPointF:
    """What mapFromScene rounds away."""
    exact = view.viewportTransform().map(point)
    return exact - QPointF(exact.toPoint())


def drag(qtbot: QtBot, view: CanvasView, start: QPoint, end: QPoint,
         modifier: Qt.KeyboardModifier = NONE, button: Qt.MouseButton = LEFT,
         steps: int = 4) -> None:
    """Press, move in a few steps, release: a drag as a hand makes it."""
    viewport = view.viewport()
    qtbot.mousePress(viewport, button, modifier, start)
    for step in range(1, steps + 1):
        qtbot.mouseMove(viewport, start + (end - start) * step / steps)
    qtbot.mouseRelease(viewport, button, modifier, end)
