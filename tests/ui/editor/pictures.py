"""Picture files for the editor's tests: photos of any size and kind, made with Qt."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QImage,
    QLinearGradient,
    QPainter,
)
from PySide6.QtWidgets import QApplication, QWidget

from cx_mapper.ui.editor.images import file_urls


def photo(width: int, height: int, *, alpha: bool = False, grain: bool = False) -> QImage:
    """A picture with gradients and shapes; with `grain`, a camera's noise too, so it
    compresses like a photo (a PNG of it is megabytes), not like a drawing."""
    if grain:
        noise = np.random.default_rng(7).integers(0, 40, (height, width, 4), dtype=np.uint8)
        noise[..., 3] = 255
        image = QImage(noise.tobytes(), width, height, 4 * width,
                       QImage.Format.Format_RGB32).copy()
    else:
        image = QImage(width, height, QImage.Format.Format_ARGB32 if alpha
                       else QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.transparent if alpha else Qt.GlobalColor.white)
    painter = QPainter(image)
    if grain:
        painter.setOpacity(0.8)
    gradient = QLinearGradient(QPointF(0, 0), QPointF(width, height))
    gradient.setColorAt(0, QColor(30, 90, 160, 200 if alpha else 255))
    gradient.setColorAt(1, QColor(230, 160, 40, 200 if alpha else 255))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor(200, 40, 60))
    for step in range(0, width, max(1, width // 12)):
        painter.drawEllipse(QPointF(step, height * (step % 7) / 7), width / 30, height / 30)
    painter.end()
    return image


def write_photo(path: Path, width: int, height: int, kind: str = "PNG", *,
                alpha: bool = False, grain: bool = False, quality: int = -1) -> Path:
    assert photo(width, height, alpha=alpha, grain=grain).save(str(path), kind, quality)
    return path


def shown(widget: QWidget) -> bool:
    """On screen: a dock tabbed behind another is moved out of sight, not hidden."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()


def drop_files(widget: QWidget, *paths: Path, at: QPoint | None = None) -> bool:
    """Drag files from a file manager onto a widget (its centre, or `at`) and let go;
    True if it took them."""
    mime = file_urls(*paths)
    point = at if at is not None else widget.rect().center()
    centre = QPointF(point)
    enter = QDragEnterEvent(point,
                            Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                          Qt.KeyboardModifier.NoModifier)
    move.setAccepted(True)  # as Qt does: a move keeps the answer to the enter unless told
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():  # the pointer shows a drop is not possible here
        QApplication.sendEvent(widget, QDragLeaveEvent())
        return False
    drop = QDropEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop.isAccepted()
