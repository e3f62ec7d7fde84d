"""What gestures draw while they last: the connect line, alignment guides and the
in-place name editor."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsProxyWidget,
    QGraphicsSceneMouseEvent,
    QGraphicsView,
    QLineEdit,
    QStyleOptionGraphicsItem,
    QWidget,
)

from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.look.palette import CanvasPalette, current_palette

Z_CONNECT = 50.0
Z_EDITOR = 100.0


def view_of(event: QGraphicsSceneMouseEvent) -> QGraphicsView | None:
    """The view a mouse event came through, if any."""
    widget = event.widget()
    view = widget.parentWidget() if widget is not None else None
    return view if isinstance(view, QGraphicsView) else None


def view_zoom(event: QGraphicsSceneMouseEvent) -> float:
    """The zoom of the view a mouse event came through (1 without one)."""
    view = view_of(event)
    return view.transform().m11() if view is not None else 1.0


class ConnectLine(QGraphicsItem):
    """The line drawn while dragging from a card's handle, with the card it would connect to.

    Its shape is empty, so it never hides the card under the cursor from hit tests.
    """

    def __init__(self, start: QPointF, palette: CanvasPalette | None = None) -> None:
        super().__init__()
        self._palette = palette or current_palette()
        self._start = QPointF(start)
        self._end = QPointF(start)
        self._target = QRectF()
        self.setZValue(Z_CONNECT)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_end(self, end: QPointF, target: QRectF | None = None) -> None:
        """Follow the cursor; `target` outlines the card under it, if any."""
        self.prepareGeometryChange()
        self._end = QPointF(end)
        self._target = QRectF(target) if target is not None else QRectF()

    def line(self) -> QLineF:
        return QLineF(self._start, self._end)

    def boundingRect(self) -> QRectF:
        rect = QRectF(self._start, self._end).normalized()
        if not self._target.isNull():
            rect = rect.united(self._target)
        return rect.adjusted(-8, -8, 8, 8)

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        colour = self._palette.selection
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(colour, 2.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if not self._target.isNull():
            painter.drawRoundedRect(self._target.adjusted(-3, -3, 3, 3), style.CARD_RADIUS + 3,
                                    style.CARD_RADIUS + 3)
        painter.drawLine(self.line())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(self._end, 4.0, 4.0)


class AlignmentGuides(QGraphicsItem):
    """The lines shown while a dragged card lines up with another card's edge or centre.

    Hairlines in the selection colour, drawn over the cards; never hit by the mouse.
    """

    def __init__(self, palette: CanvasPalette | None = None) -> None:
        super().__init__()
        self._palette = palette or current_palette()
        self._lines: list[QLineF] = []
        self._rect = QRectF()
        self.setZValue(Z_CONNECT)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_lines(self, lines: list[QLineF]) -> None:
        if lines == self._lines:
            return
        self.prepareGeometryChange()
        self._lines = list(lines)
        rect = QRectF()
        for line in lines:
            rect = rect.united(QRectF(line.p1(), line.p2()).normalized())
        self._rect = rect.adjusted(-2, -2, 2, 2)

    def lines(self) -> list[QLineF]:
        return list(self._lines)

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        pen = QPen(self._palette.selection, 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        for line in self._lines:
            painter.drawLine(line)


class _NameEdit(QLineEdit):
    """A line edit that reports Escape instead of ignoring it."""

    escaped = Signal()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class InPlaceProxy(QGraphicsProxyWidget):
    """An editor laid over text on the canvas: Enter or clicking elsewhere commits,
    Escape cancels; either way it hides and emits once. It edits nothing itself: the
    scene turns `committed` into one document call. Subclasses give the widget."""

    committed = Signal(str)
    cancelled = Signal()

    def __init__(self, editor: QWidget) -> None:
        super().__init__()
        self.setWidget(editor)
        self.setZValue(Z_EDITOR)
        self._active = False
        self.hide()

    def is_editing(self) -> bool:
        return self._active

    def _open(self, geometry: QRectF, editor: QWidget) -> None:
        """Show at `geometry` (scene coordinates) and give `editor` the focus."""
        self.setGeometry(geometry)
        self._active = True
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _text(self) -> str:
        raise NotImplementedError

    def commit(self) -> None:
        if not self._active:
            return
        self._active = False
        text = self._text()
        self.hide()
        self.committed.emit(text)

    def cancel(self) -> None:
        if not self._active:
            return
        self._active = False
        self.hide()
        self.cancelled.emit()


class InPlaceEditor(InPlaceProxy):
    """A one-line editor laid over a name on the canvas (F2, double-click)."""

    def __init__(self) -> None:
        edit = _NameEdit()
        edit.setObjectName("canvas_name_editor")
        super().__init__(edit)
        self._edit = edit
        self._edit.editingFinished.connect(self.commit)
        self._edit.escaped.connect(self.cancel)

    def line_edit(self) -> QLineEdit:
        return self._edit

    def start(self, rect: QRectF, text: str, font: QFont) -> None:
        """Show over `rect` (scene coordinates) with `text` selected, and take the focus."""
        self._edit.setFont(font)
        self._edit.setText(text)
        self._edit.selectAll()
        height = max(rect.height(), float(self._edit.sizeHint().height()))
        self._open(QRectF(rect.left(), rect.center().y() - height / 2, rect.width(), height),
                   self._edit)

    def _text(self) -> str:
        return self._edit.text()
