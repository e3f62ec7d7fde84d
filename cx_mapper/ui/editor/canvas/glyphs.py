"""Small glyphs painted on cards: the entry and conversion chips, the megaphone and
the visibility halo."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF

from cx_mapper.ui.editor.canvas import style


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


def paint_entry(painter: QPainter, rect: QRectF, colour: QColor, ink: QColor,
                ring: QColor) -> None:
    """The entry chip: a play triangle, where new customers start."""
    paint_chip(painter, rect, colour, ring)
    centre = rect.center()
    triangle = QPolygonF([
        QPointF(centre.x() - 3, centre.y() - 4.5),
        QPointF(centre.x() + 5, centre.y()),
        QPointF(centre.x() - 3, centre.y() + 4.5),
    ])
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawPolygon(triangle)


def paint_conversion(painter: QPainter, rect: QRectF, colour: QColor, ink: QColor,
                     ring: QColor) -> None:
    """The conversion chip: a star, a goal such as a purchase."""
    paint_chip(painter, rect, colour, ring)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    painter.drawPolygon(star(rect.center(), 6.0, 2.6))


def paint_halo(painter: QPainter, card: QRectF, visibility: float, colour: QColor) -> None:
    """The visibility halo round a card: stronger the more of the talk is public."""
    colour = QColor(colour)
    strength = max(0.15, min(1.0, visibility))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    steps = 4
    for step in range(steps):
        grow = style.HALO_WIDTH * (step + 1) / steps
        colour.setAlphaF(0.55 * strength * (1 - step / steps))
        painter.setPen(QPen(colour, style.HALO_WIDTH / steps + 0.5))
        r = style.CARD_RADIUS + grow
        painter.drawRoundedRect(card.adjusted(-grow + 1, -grow + 1, grow - 1, grow - 1), r, r)
