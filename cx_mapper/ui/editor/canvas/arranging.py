"""Arrange on the canvas: lining dragged cards up with the others and with the grid,
and saying so when cards moved into another lane took its stage.

The arithmetic (engine/arrange.py) knows nothing of Qt; this turns cards into boxes,
moves the dragged cards by what it finds and turns its guides into lines to draw.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QLineF

from cx_mapper.domain.journey import Journey
from cx_mapper.engine.arrange import Box, bounds, snap_to_guides
from cx_mapper.engine.layout import snap
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.items import TouchpointCard

#: A dragged card snaps to another card's edge or centre this close, in screen pixels.
GUIDE_PIXELS = 6.0
#: Guides run this far past the cards they join, in scene units.
GUIDE_OVERHANG = 16.0


def card_box(card: TouchpointCard) -> Box:
    """A card's body as a box (cards are never rotated or scaled)."""
    return (card.x(), card.y(), style.CARD_WIDTH, style.CARD_HEIGHT)


class DragAlignment:
    """Lines up the cards of one drag as Qt moves them with the mouse.

    The cards the user could see when the drag began are the ones to line up with:
    for each axis, the nearest edge or centre within a few screen pixels wins and a
    guide shows it; otherwise, with the grid on, the card under the mouse lands on it
    (the others keep their offsets from it).
    """

    def __init__(self, dragged: Mapping[str, TouchpointCard], grabbed: TouchpointCard,
                 others: Iterable[TouchpointCard], grid: float) -> None:
        self._dragged = dict(dragged)
        self._grabbed = grabbed
        self._others = [card_box(card) for card in others if card not in self._dragged.values()]
        self._grid = grid

    def follow(self, zoom: float) -> list[QLineF]:
        """Move the dragged cards onto the nearest guide or grid line; the guides shown."""
        group = bounds([card_box(card) for card in self._dragged.values()])
        found = snap_to_guides(group, self._others, GUIDE_PIXELS / max(zoom, 1e-6))
        dx, dy = found.dx, found.dy
        if self._grid > 0:
            if not any(guide.axis == "vertical" for guide in found.guides):
                dx = snap(self._grabbed.x(), self._grid) - self._grabbed.x()
            if not any(guide.axis == "horizontal" for guide in found.guides):
                dy = snap(self._grabbed.y(), self._grid) - self._grabbed.y()
        if dx or dy:
            for card in self._dragged.values():
                card.moveBy(dx, dy)
        # every line the cards now share with another, however they got there (the grid
        # lands them on a neighbour's edge as often as a guide does)
        placed = bounds([card_box(card) for card in self._dragged.values()])
        lines = []
        for guide in snap_to_guides(placed, self._others, 0.0).guides:
            start, end = guide.start - GUIDE_OVERHANG, guide.end + GUIDE_OVERHANG
            lines.append(QLineF(guide.at, start, guide.at, end) if guide.axis == "vertical"
                         else QLineF(start, guide.at, end, guide.at))
        return lines


def stage_change_words(journey: Journey, stages: Mapping[str, str | None]) -> tuple[str, str]:
    """The undo step's text and the status line for touchpoints given new `stages`."""
    names = {s.id: s.name or s.id for s in journey.stages}
    new = {names.get(stage or "", "") for stage in stages.values()}
    where = f"'{next(iter(new))}'" if len(new) == 1 else f"{len(new)} other stages"
    if len(stages) == 1:
        touchpoint_id = next(iter(stages))
        cards = f"'{journey.touchpoint(touchpoint_id).name or touchpoint_id}'"
    else:
        cards = f"{len(stages)} touchpoints"
    return f"Move to {where}", f"Moved {cards} to stage {where}. Undo (Ctrl+Z) puts it back."
