"""Small glyphs painted on cards: marker chips, the conversion star and the megaphone."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF


def paint_chip(painter: QPainter, rect: QRectF, colour: QColor, ring: QColor) -> None:
    pen = QPen(ring, 2.0)
    painter.setPen(pen)
    painter.setBrush(colour)
    painter.drawEllipse(rect)


def star(centre: QPointF, outer: float, inner: float) -> QPolygonF:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(centre.x() + radius * math.cos(angle),
                              centre.y() + radius * math.sin(angle)))
    return QPolygonF(points)


def paint_megaphone(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """A small megaphone: a mouthpiece, a flaring cone and one sound wave."""
    x, y, w, h = rect.x(), rect.y(), rect.width(), rect.height()
    cone = QPolygonF([
        QPointF(x, y + h * 0.35), QPointF(x + w * 0.25, y + h * 0.35),
        QPointF(x + w * 0.72, y), QPointF(x + w * 0.72, y + h),
        QPointF(x + w * 0.25, y + h * 0.65), QPointF(x, y + h * 0.65),
    ])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawPolygon(cone)
    pen = QPen(colour, 1.2)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawArc(QRectF(x + w * 0.62, y + h * 0.15, w * 0.38, h * 0.7), -60 * 16, 120 * 16)
