"""Notes on the canvas: sticky cards in a lane's stage cell, their editor and connectors.

A note's place is worked out by the scene (content_layer.py): notes stack down their
cell in the journey's order, each as wide as the cell, as tall as its wrapped text. The
card is selectable but not movable by Qt: the scene drags notes itself, so a drag of
notes never moves touchpoint cards selected with them, and the other way round.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneDragDropEvent,
    QPlainTextEdit,
    QStyle,
    QStyleOptionGraphicsItem,
    QWidget,
)

from cx_mapper.domain.content import Lane, Note
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.ui.editor.canvas import style, thumbnails
from cx_mapper.ui.editor.canvas.editing import InPlaceProxy
from cx_mapper.ui.editor.canvas.image_drop import picture_files
from cx_mapper.ui.editor.canvas.text import LegibleText, elide_lines, level_of_detail, metrics
from cx_mapper.ui.editor.images import image_files
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import CanvasPalette

Z_LINKS = -5.0  # over the arrows, under the cards and notes
Z_NOTE = 1.0
Z_DRAGGED = 40.0
NOTE_WIDTH = LANE_WIDTH - 2 * style.CELL_PADDING


def note_lines(text: str, font: QFont, width: float,
               max_lines: int = style.NOTE_MAX_LINES) -> list[str]:
    """The note's text wrapped to `width`, its own line breaks kept, at most `max_lines`
    lines (the last elided when there is more)."""
    lines: list[str] = []
    for paragraph in text.strip().split("\n"):
        lines.extend(elide_lines(paragraph, font, width, max_lines + 1) or [""])
        if len(lines) > max_lines:
            break
    if len(lines) > max_lines:  # more than shows: the last line says so
        lines = lines[:max_lines]
        last = lines[-1].rstrip(" …")
        while last and metrics(font).horizontalAdvance(last + " …") > width:
            last = last[:-1]
        lines[-1] = last + " …"
    while lines and not lines[-1]:
        lines.pop()
    return lines


class NoteCard(QGraphicsItem):
    """A note as a sticky card tinted with its lane's colour, with a link handle."""

    def __init__(self, note: Note, lane: Lane, canvas_palette: CanvasPalette) -> None:
        super().__init__()
        self._palette = canvas_palette
        self._font = fonts.shared_font(style.NOTE_POINT_SIZE)
        self._badge_font = fonts.shared_font(fonts.MIN_POINT_SIZE, QFont.Weight.Bold)
        self.note = note
        self.lane = lane
        self._lines: list[str] = []
        self._far = LegibleText(fonts.shared_font(style.FAR_NAME_POINT_SIZE))
        self._height = style.NOTE_MIN_HEIGHT
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)  # the link handle shows under the mouse
        self.setAcceptDrops(True)  # a picture file dropped on it
        self.setZValue(Z_NOTE)
        self.update_from(note, lane)

    def update_from(self, note: Note, lane: Lane) -> None:
        self.note, self.lane = note, lane
        self._accent = palette.lane_accent(lane.kind, lane.colour)
        self._fill = palette.note_fill(self._accent, self._palette)
        self._ink = palette.note_text(self._fill, self._palette)
        width = NOTE_WIDTH - 2 * style.NOTE_PADDING - style.NOTE_STRIP - self._picture_room()
        self._lines = note_lines(note.text, self._font, width)
        self._far.text = " ".join(note.text.split())
        height = len(self._lines) * metrics(self._font).lineSpacing() + 2 * style.NOTE_PADDING
        height = max(style.NOTE_MIN_HEIGHT, height,
                      (style.THUMBNAIL_SIZE + 2 * style.NOTE_PADDING) if note.image else 0.0)
        if height != self._height:
            self.prepareGeometryChange()
            self._height = height
        self.update()

    def set_palette(self, canvas_palette: CanvasPalette) -> None:
        self._palette = canvas_palette
        self.update_from(self.note, self.lane)

    def height(self) -> float:
        return self._height

    def body(self) -> QRectF:
        return QRectF(0, 0, NOTE_WIDTH, self._height)

    def text_rect(self) -> QRectF:
        return self.body().adjusted(style.NOTE_STRIP + style.NOTE_PADDING, style.NOTE_PADDING,
                                    -style.NOTE_PADDING - self._picture_room(),
                                    -style.NOTE_PADDING)

    def _picture_room(self) -> float:
        """Room at the right for its picture, or for the count of its links."""
        links = 18.0 if self.note.touchpoints else 0.0
        return links + (style.THUMBNAIL_SIZE + 6 if self.note.image is not None else 0.0)

    def thumbnail_rect(self) -> QRectF:
        """Its picture's square, at the right (empty without one)."""
        if self.note.image is None:
            return QRectF()
        side = style.THUMBNAIL_SIZE
        return QRectF(NOTE_WIDTH - style.NOTE_PADDING - side - 4, style.NOTE_PADDING, side, side)

    def handle_centre(self) -> QPointF:
        """The link handle, on the right edge: drag from it to a card to link the note."""
        return QPointF(NOTE_WIDTH, self._height / 2)

    def tooltip(self) -> str:
        links = len(self.note.touchpoints)
        about = f"\nAbout {links} touchpoint{'s' * (links != 1)}" if links else ""
        return (f"{self.lane.name or self.lane.id}: {self.note.text or '(empty note)'}{about}"
                "\nDrag the dot on its right edge to a card to link them")

    # -- Qt
    def boundingRect(self) -> QRectF:
        reach = style.HANDLE_SIZE / 2 + 2
        return self.body().adjusted(-2, -2, reach, 2)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.body())
        return path

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        p = self._palette
        body = self.body()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        lod = level_of_detail(painter)
        edge = QPen(p.selection, 2.0) if self.isSelected() else QPen(p.card_border, 1.0)
        edge.setCosmetic(True)
        painter.setPen(edge)
        painter.setBrush(self._fill)
        painter.drawRoundedRect(body, style.NOTE_RADIUS, style.NOTE_RADIUS)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._accent)
        strip = QRectF(body.left() + 1, body.top() + 1, style.NOTE_STRIP, body.height() - 2)
        painter.drawRoundedRect(strip, 2, 2)
        if lod < style.LOD_DETAIL:
            return
        painter.setPen(self._ink)
        if lod < style.LOD_TEXT:  # far out: its first words at a size that reads, as cards
            self._far.paint(painter, body.adjusted(style.NOTE_STRIP + 6, 0, -6, 0), lod)
        else:
            painter.setFont(self._font)
            spacing = metrics(self._font).lineSpacing()
            text = self.text_rect()
            for number, line in enumerate(self._lines):
                painter.drawText(QRectF(text.left(), text.top() + number * spacing,
                                        text.width(), spacing), Qt.AlignmentFlag.AlignLeft
                                 | Qt.AlignmentFlag.AlignVCenter, line)
        if self.note.image is not None and lod >= style.LOD_IMAGE:
            find = getattr(self.scene(), "card_thumbnail", None)
            pixmap = find(self.note.image) if find is not None else None
            if pixmap is not None:
                thumbnails.paint(painter, self.thumbnail_rect(), pixmap, p.card_border)
        links = len(self.note.touchpoints)
        if links:  # how many touchpoints it is about, in the top-right corner
            right = self.thumbnail_rect().left() - 2 if self.note.image else body.right() - 6
            badge = QRectF(right - 16, body.top() + 4, 16, 14)
            painter.setBrush(self._accent)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(badge, 7, 7)
            painter.setPen(palette.readable_on(self._accent))
            painter.setFont(self._badge_font)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(links))
        if self.isSelected() or option.state & QStyle.StateFlag.State_MouseOver:
            painter.setBrush(p.handle)
            painter.setPen(QPen(p.card_fill, 1.5))
            radius = style.HANDLE_SIZE / 2
            painter.drawEllipse(self.handle_centre(), radius, radius)


    # -- a picture file dropped on the note: the scene shows it (one undo step)
    def dragEnterEvent(self, event: QGraphicsSceneDragDropEvent) -> None:  # noqa: N802
        event.setAccepted(bool(_picture_files(event)))

    def dragMoveEvent(self, event: QGraphicsSceneDragDropEvent) -> None:  # noqa: N802
        event.setAccepted(bool(_picture_files(event)))

    def dropEvent(self, event: QGraphicsSceneDragDropEvent) -> None:  # noqa: N802
        files = _picture_files(event)
        show = getattr(self.scene(), "show_file_on_note", None)
        if not files or show is None:
            event.ignore()
            return
        event.acceptProposedAction()
        show(self.note.id, files[0])


def _picture_files(event: QGraphicsSceneDragDropEvent) -> list[str]:
    data = event.mimeData()
    return picture_files(image_files(data)) if data is not None else []


class NoteLinks(QGraphicsItem):
    """Thin connectors from notes to the touchpoints they are about (while selected)."""

    def __init__(self, canvas_palette: CanvasPalette) -> None:
        super().__init__()
        self._palette = canvas_palette
        self._lines: list[QLineF] = []
        self._rect = QRectF()
        self.setZValue(Z_LINKS)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_palette(self, canvas_palette: CanvasPalette) -> None:
        self._palette = canvas_palette
        self.update()

    def set_lines(self, lines: list[QLineF]) -> None:
        if lines == self._lines:
            return
        self.prepareGeometryChange()
        self._lines = list(lines)
        rect = QRectF()
        for line in lines:
            rect = rect.united(QRectF(line.p1(), line.p2()).normalized())
        self._rect = rect.adjusted(-4, -4, 4, 4)
        self.update()

    def lines(self) -> list[QLineF]:
        return list(self._lines)

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(self._palette.selection, 1.5, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(self._palette.selection)
        for line in self._lines:
            painter.drawLine(line)
            painter.drawEllipse(line.p2(), 3.0, 3.0)


def connector(note: QRectF, card: QRectF) -> QLineF:
    """A line from a note's edge to a card's nearest edge, centre to centre."""
    line = QLineF(note.center(), card.center())
    return QLineF(_edge_point(note, line), _edge_point(card, QLineF(line.p2(), line.p1())))


def _edge_point(rect: QRectF, line: QLineF) -> QPointF:
    """Where `line` (from inside `rect`) leaves it."""
    corners = [rect.topLeft(), rect.topRight(), rect.bottomRight(), rect.bottomLeft()]
    for start, end in zip(corners, corners[1:] + corners[:1], strict=True):
        kind, point = line.intersects(QLineF(start, end))
        if kind == QLineF.IntersectionType.BoundedIntersection:
            return point
    return line.p1()


class _NoteText(QPlainTextEdit):
    """Enter commits, Shift+Enter starts a new line, Escape cancels."""

    finished = Signal()
    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.escaped.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            event.accept()
            self.finished.emit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.finished.emit()


class NoteEditor(InPlaceProxy):
    """The note's text edited in place (double-click, F2); Shift+Enter breaks a line."""

    def __init__(self) -> None:
        edit = _NoteText()
        edit.setObjectName("canvas_note_editor")
        edit.setFrameShape(QPlainTextEdit.Shape.NoFrame)
        edit.setFont(fonts.font(style.NOTE_POINT_SIZE))
        super().__init__(edit)
        self._edit = edit
        self.note_id = ""
        self._edit.finished.connect(self.commit)
        self._edit.escaped.connect(self.cancel)

    def text_edit(self) -> QPlainTextEdit:
        return self._edit

    def start(self, note_id: str, rect: QRectF, text: str, fill: QColor, ink: QColor) -> None:
        self.note_id = note_id
        self._edit.setStyleSheet(f"QPlainTextEdit {{ background: {fill.name()}; "
                                 f"color: {ink.name()}; }}")
        self._edit.setPlainText(text)
        self._edit.selectAll()
        self._open(QRectF(rect.left(), rect.top(), rect.width(),
                          max(rect.height(), 3 * metrics(self._edit.font()).lineSpacing() + 12)),
                   self._edit)

    def _text(self) -> str:
        return self._edit.toPlainText()
