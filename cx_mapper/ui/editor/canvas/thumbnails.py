"""Small pictures on the cards: a touchpoint's image cut to a square, made once.

A card asks its scene for its thumbnail while it paints (zoomed in enough to see it);
the scaled pixmap is kept by the image's bytes, so painting never decodes or scales
again, and a map without images costs nothing.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPixmap

from cx_mapper.ui.editor.canvas import style

#: Thumbnails are made at this many device pixels per scene unit: sharp up to 250 %
#: zoom on a 1x screen, 125 % on a 2x one; past that a little soft, never big in memory
#: (a 40-unit thumbnail is 100 × 100 pixels, 40 KB).
THUMBNAIL_SCALE = 2.5
#: Thumbnails kept: every picture of a big workshop map, well under 10 MB.
THUMBNAILS_KEPT = 200

#: By the image bytes' hash and length: a key that keeps no bytes alive, and Python
#: keeps a bytes object's hash, so a lookup while painting costs nothing.
_MADE: OrderedDict[tuple[int, int], QPixmap | None] = OrderedDict()


def thumbnail(data: bytes) -> QPixmap | None:
    """The square thumbnail of an image's bytes (None if they do not decode)."""
    key = (hash(data), len(data))
    if key in _MADE:
        _MADE.move_to_end(key)
        return _MADE[key]
    picture = QPixmap()
    made: QPixmap | None = None
    if picture.loadFromData(data):
        side = round(style.THUMBNAIL_SIZE * THUMBNAIL_SCALE)
        scaled = picture.scaled(QSize(side, side),
                                Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                Qt.TransformationMode.SmoothTransformation)
        made = scaled.copy((scaled.width() - side) // 2, (scaled.height() - side) // 2,
                           side, side)
    _MADE[key] = made
    while len(_MADE) > THUMBNAILS_KEPT:
        _MADE.popitem(last=False)
    return made


def paint(painter: QPainter, rect: QRectF, pixmap: QPixmap, border: QColor) -> None:
    """A thumbnail in a card: rounded, with a hairline edge that shows on light photos."""
    path = QPainterPath()
    path.addRoundedRect(rect, 5, 5)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    painter.setClipPath(path, Qt.ClipOperation.IntersectClip)
    painter.drawPixmap(rect, pixmap, QRectF(pixmap.rect()))
    painter.restore()
    pen = QPen(border, 1.0)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
