"""Picture files dropped on a touchpoint card: the card shows the picture (one undo step).

An event filter on the canvas view's viewport, so the view and scene stay as they are:
a drag carrying files is offered to the scene first (a note takes its own drops), and
only over a card does this take it. Project files (.cxmap, .json) pass by, for the
window to open. A refused file says why in one line (`refused`), for the status bar.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QGraphicsView

from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.images import image_files, show_file_on_touchpoint

#: Files a drop on the canvas leaves to the window: projects it opens.
PROJECT_SUFFIXES = (".cxmap", ".json")


def picture_files(files: list[str]) -> list[str]:
    """The dropped files that may be pictures (anything but a project file)."""
    return [f for f in files if not f.lower().endswith(PROJECT_SUFFIXES)]


class CardImageDrop(QObject):
    """Lets a picture file dropped on a card become the touchpoint's picture."""

    refused = Signal(str)  # one line: the file and why it was not taken
    shown = Signal(str)  # one line: what was done, for the status bar

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self._view = view
        self._target: TouchpointCard | None = None
        view.viewport().installEventFilter(self)

    def card_at(self, pos: QPoint) -> TouchpointCard | None:
        """The card under a viewport point, if any."""
        for item in self._view.items(pos):
            if isinstance(item, TouchpointCard):
                return item
        return None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.DragLeave:
            self._highlight(None)
            return False
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDragMoveEvent | QDropEvent)  # DragEnter is a DragMove
        if not picture_files(image_files(event.mimeData())):
            return False
        if kind == QEvent.Type.DragEnter:
            event.acceptProposedAction()  # keep hearing the moves, card or not
            return False  # and the scene hears it too (a note may take it)
        card = self.card_at(event.position().toPoint())
        if kind == QEvent.Type.DragMove:
            assert isinstance(event, QDragMoveEvent)
            QGraphicsView.dragMoveEvent(self._view, event)  # the scene's items first
            if event.isAccepted() and card is None:
                self._highlight(None)
                return True
            self._highlight(card)
            if card is not None:
                event.acceptProposedAction()
            else:
                event.ignore()
            return True
        self._highlight(None)
        if card is None:
            return False
        event.acceptProposedAction()
        self._drop_on(card, picture_files(image_files(event.mimeData()))[0])
        return True

    def _drop_on(self, card: TouchpointCard, path: str) -> None:
        scene = self._view.scene()
        document = getattr(scene, "document", None)
        journey_id = getattr(scene, "journey_id", None)
        if document is None or journey_id is None:
            return
        refusal = show_file_on_touchpoint(document, journey_id, card.touchpoint.id, path)
        if refusal:
            self.refused.emit(refusal)
        else:
            name = card.touchpoint.name or card.touchpoint.id
            self.shown.emit(f"{Path(path).name} is now the picture of \u2018{name}\u2019.")

    def _highlight(self, card: TouchpointCard | None) -> None:
        if card is self._target:
            return
        if self._target is not None and self._target.scene() is not None:
            self._target.set_hovered(False)
        self._target = card
        if card is not None:
            card.set_hovered(True)
