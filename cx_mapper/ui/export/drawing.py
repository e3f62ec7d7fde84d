"""How the summary page draws: its colours, its fonts, text, rules and the map's key.

The page is designed in units of a 1,600-wide grid; these helpers take design units
and the painter scales them to the requested width.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPen
from PySide6.QtWidgets import QApplication

from cx_mapper.ui.look import palette

PALETTE = palette.LIGHT
TEXT = PALETTE.card_text
MUTED = PALETTE.card_muted
RULE = PALETTE.lane_border
ACCENT = PALETTE.selection
TILE_FILL = QColor("#f6f7f9")
PAGE = QColor("#ffffff")


def page_font(size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    """The app font at a size in design units (the painter scales it to the page)."""
    font = QFont(QApplication.font())
    font.setPixelSize(max(1, round(size)))
    font.setWeight(weight)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    # No "ﬁ" ligature glyphs: a PDF's text then copies and searches as typed.
    font.setFeature(QFont.Tag("liga"), 0)
    return font


def draw_text(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor,
          flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
          elide: bool = True) -> None:
    painter.setFont(font)
    painter.setPen(colour)
    if elide:
        text = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, int(flags), text)


def wrapped_height(text: str, font: QFont, width: float) -> float:
    metrics = QFontMetricsF(font)
    bound = metrics.boundingRect(QRectF(0, 0, width, 10_000),
                                 int(Qt.TextFlag.TextWordWrap), text)
    return bound.height()


def rounded_rect(painter: QPainter, rect: QRectF, radius: float, fill: QColor | None,
             border: QColor | None = None, width: float = 1.0) -> None:
    painter.save()
    painter.setBrush(fill if fill is not None else Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(border, width) if border is not None else Qt.PenStyle.NoPen)
    painter.drawRoundedRect(rect, radius, radius)
    painter.restore()


def draw_rule(painter: QPainter, y: float, left: float, right: float,
          colour: QColor = RULE, width: float = 1.0) -> None:
    painter.save()
    painter.setPen(QPen(colour, width))
    painter.drawLine(QPointF(left, y), QPointF(right, y))
    painter.restore()


def paint_map_key(painter: QPainter, rect: QRectF) -> None:
    """What the marks on the map mean, one row each: a sample, then words."""
    rounded_rect(painter, rect, 8, TILE_FILL, PALETTE.track)
    draw_text(painter, QRectF(rect.left() + 18, rect.top() + 14, rect.width() - 36, 22),
          "How to read the map", page_font(15, QFont.Weight.Bold), TEXT)

    def satisfaction(box: QRectF) -> None:
        gradient = QLinearGradient(box.topLeft(), box.topRight())
        for stop in np.linspace(0, 1, 9):
            gradient.setColorAt(float(stop), palette.satisfaction_color(2 * stop - 1,
                                                                      PALETTE))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawRoundedRect(box.adjusted(0, 6, 0, -6), 3, 3)

    def visits(box: QRectF) -> None:
        rounded_rect(painter, QRectF(box.left(), box.center().y() - 3, box.width() * 0.7, 6),
                 2, PALETTE.visits)

    def flow(box: QRectF) -> None:
        for width, y in ((1.5, box.top() + 5), (6.0, box.bottom() - 6)):
            painter.setPen(QPen(PALETTE.arrow, width, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap))
            painter.drawLine(QPointF(box.left() + 2, y), QPointF(box.right() - 2, y))

    def public(box: QRectF) -> None:
        painter.setPen(QPen(PALETTE.visibility, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box.adjusted(4, 2, -4, -2), 4, 4)

    def loop(box: QRectF) -> None:
        painter.setPen(QPen(PALETTE.loop_arrow, 2, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(box.left(), box.center().y()),
                         QPointF(box.right(), box.center().y()))

    def marker(colour: QColor, glyph: str) -> Callable[[QRectF], None]:
        def draw(box: QRectF) -> None:
            chip = QRectF(0, 0, 20, 20)
            chip.moveCenter(box.center())
            rounded_rect(painter, chip, 10, colour)
            draw_text(painter, chip, glyph, page_font(12, QFont.Weight.Bold), PALETTE.on_accent,
                  Qt.AlignmentFlag.AlignCenter, elide=False)
        return draw

    rows: list[tuple[Callable[[QRectF], None], str]] = [
        (satisfaction, "Card colour and number: satisfaction, from CSAT 1 (poor) to 5 (great)"),
        (visits, "Blue bar: visits, as a share of the busiest touchpoint"),
        (flow, "Arrow width: customers flowing; its label is the probability"),
        (public, "Pink halo and megaphone: share of talk said in public"),
        (loop, "Dashed purple: back to an earlier stage, the repeating journey"),
        (marker(PALETTE.entry, "▶"), "Where customers enter"),
        (marker(PALETTE.conversion, "★"), "A conversion, the journey's goal"),
    ]
    font = page_font(13)
    y, pitch = rect.top() + 50, (rect.height() - 62) / len(rows)
    for draw, words in rows:
        painter.save()
        draw(QRectF(rect.left() + 18, y + pitch / 2 - 10, 44, 20))
        painter.restore()
        text = QRectF(rect.left() + 76, y, rect.width() - 92, pitch)
        painter.setFont(font)
        painter.setPen(MUTED)
        painter.drawText(text, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                                   | Qt.TextFlag.TextWordWrap), words)
        y += pitch

