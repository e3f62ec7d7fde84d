"""A persona's portrait: a round picture, or their initials until they have one.

A button: clicking it (or Space, Enter) asks for a picture file, and a picture file
dropped on it is taken too. The persona card decides what happens with the file.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QAbstractButton, QWidget

from cx_mapper.ui.editor.images import PictureFileDrops
from cx_mapper.ui.look.palette import channel_color, readable_on, widget_colours

#: The portrait's width and height on screen (logical pixels).
PORTRAIT_SIZE = 88


def initials(name: str) -> str:
    """ "Ana Souza" -> "AS", "Priya, 41" -> "P", "" -> "?"."""
    words = [word for word in name.split() if word[:1].isalpha()]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def cover(pixmap: QPixmap, side: int) -> QPixmap:
    """The picture scaled to fill a square of `side` device pixels, cut to its centre."""
    scaled = pixmap.scaled(QSize(side, side), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                           Qt.TransformationMode.SmoothTransformation)
    left = (scaled.width() - side) // 2
    top = (scaled.height() - side) // 3  # faces sit in the upper part of a photo
    return scaled.copy(left, max(0, top), side, side)


class PortraitButton(PictureFileDrops, QAbstractButton):
    """A round portrait that takes a dropped picture file and opens a chooser on click."""

    file_dropped = Signal(str)  # the local path of a file dropped on it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(PORTRAIT_SIZE, PORTRAIT_SIZE)
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._name = ""
        self._picture: QPixmap | None = None
        self._shown: QPixmap | None = None  # the picture cut to the circle, made once

    def set_person(self, name: str, picture: QPixmap | None) -> None:
        """Show a picture (None: the initials of `name`)."""
        if picture is not self._picture:
            self._picture = picture
            self._shown = None
        self._name = name
        self.setAccessibleName(f"Portrait of {name}" if name else "Portrait")
        self.update()

    def has_picture(self) -> bool:
        return self._picture is not None

    def is_drop_target(self) -> bool:
        """A picture file is being dragged over it (it is drawn highlighted)."""
        return self._dragging

    # -- drawing --------------------------------------------------------------------
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(PORTRAIT_SIZE, PORTRAIT_SIZE)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        edge = widget_colours(self.palette()).control_edge
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        circle = QRectF(self.rect()).adjusted(3, 3, -3, -3)
        path = QPainterPath()
        path.addEllipse(circle)
        if self._picture is not None:
            ratio = self.devicePixelRatioF()
            side = round(circle.width() * ratio)
            if self._shown is None or self._shown.width() != side:
                self._shown = cover(self._picture, side)
                self._shown.setDevicePixelRatio(ratio)
            painter.save()
            painter.setClipPath(path)
            painter.drawPixmap(circle.topLeft(), self._shown)
            painter.restore()
        else:
            fill = QColor(channel_color(self._name or "persona"))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawPath(path)
            font = QFont(self.font())
            font.setPixelSize(round(circle.height() * 0.36))
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(readable_on(fill))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, initials(self._name))
        strong = self._dragging or self.hasFocus() or self.underMouse()
        pen = QPen(highlight if strong else edge, 3.0 if strong else 1.0)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(circle)
        painter.end()
