"""The samples' pictures, drawn with QPainter: flat-style persona portraits and
screenshot-like illustrations for touchpoints. Drawn, not photographed, so the samples
carry no one's likeness and no one's copyright.

Used by tests/sample_story.py, which puts them into the sample projects.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

from cx_mapper.ui.export.png import png_bytes

PORTRAIT_SIZE = 192
SCREEN_SIZE = (360, 240)


@dataclass(frozen=True)
class Face:
    """What makes one portrait: colours and a few features."""

    background: str
    skin: str
    hair: str
    shirt: str
    hair_style: str  # "short", "long", "bun", "curly", "bald", "side"
    glasses: bool = False
    beard: bool = False
    earrings: bool = False


def portrait(face: Face) -> bytes:
    """A friendly flat-style head and shoulders, as PNG bytes."""
    size = PORTRAIT_SIZE
    image = QImage(size, size, QImage.Format.Format_RGB32)
    image.fill(QColor(face.background))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    cx = size / 2
    skin, hair = QColor(face.skin), QColor(face.hair)
    # a soft disc behind the head
    p.setBrush(QColor(face.background).lighter(115))
    p.drawEllipse(QPointF(cx, size * 0.46), size * 0.40, size * 0.40)
    if face.hair_style == "long":  # hair falling behind the shoulders
        p.setBrush(hair)
        p.drawRoundedRect(QRectF(cx - 50, 52, 100, 104), 40, 40)
    # shoulders and neck
    p.setBrush(QColor(face.shirt))
    p.drawRoundedRect(QRectF(cx - 70, 142, 140, 90), 48, 48)
    p.setBrush(skin.darker(112))
    p.drawRoundedRect(QRectF(cx - 15, 112, 30, 38), 10, 10)
    p.setBrush(QColor(face.shirt).darker(115))  # the collar's V
    collar = QPainterPath()
    collar.moveTo(cx - 20, 142)
    collar.lineTo(cx, 164)
    collar.lineTo(cx + 20, 142)
    collar.closeSubpath()
    p.drawPath(collar)
    # ears, then the head
    p.setBrush(skin)
    p.drawEllipse(QPointF(cx - 40, 92), 9, 12)
    p.drawEllipse(QPointF(cx + 40, 92), 9, 12)
    if face.earrings:
        p.setBrush(QColor("#f2c14e"))
        p.drawEllipse(QPointF(cx - 41, 106), 4, 4)
        p.drawEllipse(QPointF(cx + 41, 106), 4, 4)
        p.setBrush(skin)
    p.drawEllipse(QRectF(cx - 40, 46, 80, 94))
    _hair(p, face, cx, hair)
    if face.beard:
        p.setBrush(hair)
        beard = QPainterPath()
        beard.moveTo(cx - 38, 96)
        beard.cubicTo(cx - 36, 150, cx + 36, 150, cx + 38, 96)
        beard.cubicTo(cx + 20, 118, cx - 20, 118, cx - 38, 96)
        p.drawPath(beard)
    # eyes, brows, cheeks and a smile
    ink = QColor("#2b2118")
    p.setBrush(ink)
    p.drawEllipse(QPointF(cx - 15, 92), 4, 4.5)
    p.drawEllipse(QPointF(cx + 15, 92), 4, 4.5)
    p.setPen(QPen(hair.darker(120), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawLine(QPointF(cx - 21, 81), QPointF(cx - 9, 79))
    p.drawLine(QPointF(cx + 9, 79), QPointF(cx + 21, 81))
    p.setPen(Qt.PenStyle.NoPen)
    blush = QColor("#e8786b")
    blush.setAlpha(70)
    p.setBrush(blush)
    p.drawEllipse(QPointF(cx - 24, 106), 7, 4.5)
    p.drawEllipse(QPointF(cx + 24, 106), 7, 4.5)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(QPen(QColor("#7a3b2e"), 3, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    p.drawArc(QRectF(cx - 13, 100, 26, 18), 200 * 16, 140 * 16)
    if face.glasses:
        p.setPen(QPen(QColor("#2b2b33"), 2.6))
        p.drawRoundedRect(QRectF(cx - 27, 84, 22, 17), 6, 6)
        p.drawRoundedRect(QRectF(cx + 5, 84, 22, 17), 6, 6)
        p.drawLine(QPointF(cx - 5, 90), QPointF(cx + 5, 90))
    p.end()
    return png_bytes(image)


def _hair(p: QPainter, face: Face, cx: float, hair: QColor) -> None:
    p.setBrush(hair)
    style = face.hair_style
    if style == "bald":
        p.drawChord(QRectF(cx - 40, 46, 80, 40), 20 * 16, 140 * 16)
        return
    if style == "curly":
        for x, y, r in ((-30, 58, 16), (-12, 48, 18), (10, 47, 18), (30, 57, 16),
                        (-40, 76, 12), (40, 76, 12), (0, 44, 14)):
            p.drawEllipse(QPointF(cx + x, y), r, r)
        return
    cap = QPainterPath()  # the crown and a fringe over the forehead
    cap.moveTo(cx - 42, 90)
    cap.cubicTo(cx - 46, 36, cx + 46, 36, cx + 42, 90)
    if style == "side":
        cap.cubicTo(cx + 30, 64, cx - 10, 70, cx - 30, 62)
        cap.cubicTo(cx - 36, 70, cx - 40, 80, cx - 42, 90)
    else:
        cap.cubicTo(cx + 24, 66, cx - 24, 66, cx - 42, 90)
    p.drawPath(cap)
    if style == "bun":
        p.drawEllipse(QPointF(cx, 36), 17, 15)
    if style == "long":
        p.drawRoundedRect(QRectF(cx - 46, 64, 14, 62), 7, 7)
        p.drawRoundedRect(QRectF(cx + 32, 64, 14, 62), 7, 7)


# -- screens --------------------------------------------------------------------------
def _font(size: float, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(round(size))
    font.setBold(bold)
    return font


def _screen(title: str, accent: str) -> tuple[QImage, QPainter, QRectF]:
    """A phone-app screen on a desk: the image, a painter, and the screen's body."""
    width, height = SCREEN_SIZE
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#e9edf2"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    phone = QRectF(width / 2 - 78, 10, 156, height + 30)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f2630"))
    p.drawRoundedRect(phone, 22, 22)
    screen = phone.adjusted(7, 7, -7, -7)
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(screen, 16, 16)
    bar = QRectF(screen.left(), screen.top(), screen.width(), 34)
    path = QPainterPath()
    path.addRoundedRect(bar.adjusted(0, 0, 0, 16), 16, 16)
    p.save()
    p.setClipRect(bar)
    p.fillPath(path, QColor(accent))
    p.restore()
    p.setPen(QColor("#ffffff"))
    p.setFont(_font(13, True))
    p.drawText(bar, int(Qt.AlignmentFlag.AlignCenter), title)
    body = QRectF(screen.left() + 10, bar.bottom() + 8, screen.width() - 20,
                  height - bar.bottom() - 8)
    return image, p, body


def _button(p: QPainter, rect: QRectF, text: str, fill: str) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(fill))
    p.drawRoundedRect(rect, 8, 8)
    p.setPen(QColor("#ffffff"))
    p.setFont(_font(12, True))
    p.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)


def _text(p: QPainter, x: float, y: float, text: str, size: float = 11,
          colour: str = "#1f2630", bold: bool = False) -> None:
    p.setPen(QColor(colour))
    p.setFont(_font(size, bold))
    p.drawText(QPointF(x, y), text)


def app_checkout_screen() -> bytes:
    """The retail app's one-tap checkout: the basket, the saved card and the pay button."""
    image, p, body = _screen("Checkout", "#0072b2")
    x, y = body.left(), body.top()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#cfe3f1"))
    p.drawRoundedRect(QRectF(x, y, 40, 40), 6, 6)
    p.setBrush(QColor("#0072b2"))  # a jacket on the product tile
    jacket = QPainterPath()
    jacket.moveTo(x + 12, y + 10)
    jacket.lineTo(x + 28, y + 10)
    jacket.lineTo(x + 34, y + 32)
    jacket.lineTo(x + 6, y + 32)
    jacket.closeSubpath()
    p.drawPath(jacket)
    _text(p, x + 48, y + 16, "Rain jacket", 11, bold=True)
    _text(p, x + 48, y + 32, "Size M · in stock", 10, "#5d6673")
    y += 52
    for label, value in (("Delivery", "Free · Tue"), ("Points", "+64"), ("Total", "£64.00")):
        _text(p, x, y + 12, label, 11, "#5d6673")
        p.setFont(_font(11, label == "Total"))
        p.setPen(QColor("#1f2630"))
        p.drawText(QRectF(x, y, body.width(), 16),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), value)
        y += 20
    p.setPen(QPen(QColor("#c9ced6"), 1))
    p.setBrush(QColor("#f6f7f9"))
    p.drawRoundedRect(QRectF(x, y + 4, body.width(), 26), 6, 6)
    _text(p, x + 8, y + 21, "VISA •••• 4821", 10, "#2b3340", True)
    _button(p, QRectF(x, y + 40, body.width(), 30), "Pay with one tap", "#009e73")
    p.end()
    return png_bytes(image)


def hotel_checkout_screen() -> bytes:
    """The hotel app's check-out: the room, the bill and the invoice."""
    image, p, body = _screen("Check out", "#8a4f9e")
    x, y = body.left(), body.top()
    _text(p, x, y + 12, "Room 412 · 2 nights", 11, bold=True)
    _text(p, x, y + 28, "Fri 14 – Sun 16 March", 10, "#5d6673")
    y += 42
    for label, value in (("Room", "€300.00"), ("Breakfast", "€36.00"), ("Total", "€336.00")):
        _text(p, x, y + 12, label, 11, "#5d6673")
        p.setFont(_font(11, label == "Total"))
        p.setPen(QColor("#1f2630"))
        p.drawText(QRectF(x, y, body.width(), 16),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), value)
        y += 20
    _button(p, QRectF(x, y + 8, body.width(), 30), "Check out now", "#8a4f9e")
    _text(p, x + 10, y + 60, "Invoice by email", 10, "#0072b2")
    p.end()
    return png_bytes(image)


def sync_failed_screen() -> bytes:
    """The team app after the update: the red sync banner over the board."""
    image, p, body = _screen("Team board", "#2b3340")
    x, y = body.left(), body.top()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#fbe3d6"))
    p.drawRoundedRect(QRectF(x, y, body.width(), 38), 6, 6)
    p.setBrush(QColor("#d55e00"))
    p.drawEllipse(QPointF(x + 14, y + 19), 8, 8)
    _text(p, x + 11, y + 24, "!", 12, "#ffffff", True)
    _text(p, x + 28, y + 16, "Sync failed", 11, "#ad4600", True)
    _text(p, x + 28, y + 31, "Changes not saved", 10, "#ad4600")
    y += 48
    for n, (colour, width) in enumerate((("#0072b2", 0.8), ("#009e73", 0.6),
                                         ("#cc79a7", 0.7), ("#e69f00", 0.5))):
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#f6f7f9"))
        p.drawRoundedRect(QRectF(x, y + n * 30, body.width(), 24), 5, 5)
        p.setBrush(QColor(colour))
        p.drawRoundedRect(QRectF(x + 6, y + n * 30 + 9, (body.width() - 12) * width, 6), 3, 3)
    p.end()
    return png_bytes(image)
