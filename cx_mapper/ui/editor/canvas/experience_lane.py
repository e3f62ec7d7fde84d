"""The experience lane: the loyalty curve drawn across the stage columns.

The classic journey map's emotion curve, computed: loyalty (-100..100) of the customers
at each stage (`engine/experience.py`), one point at the middle of each stage column,
for all customers together or one line per segment. The figures come with the scene's
analysis (the service's `analysis_ready`, through the journey tabs); a stale result is
greyed until the next one arrives.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from cx_mapper.engine.experience import ExperienceCurve
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.lane_rows import legible
from cx_mapper.ui.editor.canvas.picture import lane_left
from cx_mapper.ui.editor.canvas.text import level_of_detail, metrics
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import CanvasPalette

MARGIN = 18.0  # above +100 and below -100, for the figures beside the points
WAITING = "The curve shows once the journey is analysed"


class ExperienceLane(QGraphicsItem):
    """The loyalty curve in the experience row; the header is drawn with the rows."""

    def __init__(self, canvas_palette: CanvasPalette) -> None:
        super().__init__()
        self._palette = canvas_palette
        self._rect = QRectF()
        self._curves: list[ExperienceCurve] = []
        self._stale = False
        self._scale = 1.0  # loyalty at the top of the row (and its negative at the bottom)
        self.setZValue(-6.0)  # under the connectors, over the stage columns
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_rect(self, rect: QRectF) -> None:
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def set_curves(self, curves: list[ExperienceCurve], stale: bool = False) -> None:
        self._curves = list(curves)
        highest = max((abs(v) for c in curves for v in c.loyalty if v is not None), default=0)
        # the scale: ±25, ±50, ±75 or ±100, whichever holds every point
        self._scale = min(1.0, max(0.25, math.ceil(highest * 4 - 1e-9) / 4))
        self._stale = stale
        self.update()

    def set_stale(self, stale: bool) -> None:
        if stale != self._stale:
            self._stale = stale
            self.update()

    def set_palette(self, canvas_palette: CanvasPalette) -> None:
        self._palette = canvas_palette
        self.update()

    def curves(self) -> list[ExperienceCurve]:
        return list(self._curves)

    def is_stale(self) -> bool:
        return self._stale

    def colour(self, number: int) -> QColor:
        if len(self._curves) == 1:
            return QColor(self._palette.selection)
        colours = palette.SERIES_COLOURS[self._palette.dark]
        return QColor(colours[number % len(colours)])

    def y_of(self, loyalty: float) -> float:
        """Scene y of a loyalty (-1..1) in the row."""
        top, bottom = self._rect.top() + MARGIN, self._rect.bottom() - MARGIN
        share = max(-1.0, min(1.0, loyalty / self._scale))
        return bottom - (share + 1) / 2 * (bottom - top)

    def points(self, curve: ExperienceCurve) -> list[QPointF | None]:
        return [None if value is None else
                QPointF(lane_left(k) + LANE_WIDTH / 2, self.y_of(value))
                for k, value in enumerate(curve.loyalty)]

    # -- Qt
    def boundingRect(self) -> QRectF:
        return self._rect.adjusted(-style.ROW_HEADER_WIDTH, 0, 0, 0)

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        lod = level_of_detail(painter)
        zero = QPen(p.lane_muted, 1.0, Qt.PenStyle.DashLine)
        zero.setCosmetic(True)
        painter.setPen(zero)
        painter.drawLine(QLineF(self._rect.left(), self.y_of(0), self._rect.right(),
                                self.y_of(0)))
        font = fonts.shared_font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
        if lod >= style.LOD_TEXT:
            self._paint_key(painter)  # (far out the header shows the name alone)
        painter.setFont(font)
        if not self._curves:
            if lod >= style.LOD_DETAIL:
                painter.setPen(p.card_muted)
                painter.drawText(self._rect.adjusted(12, 4, -12, -4),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, WAITING)
            return
        if lod >= style.LOD_DETAIL:  # the scale, at the row's left
            painter.setPen(p.card_muted)
            bound = f"{100 * self._scale:.0f}"
            for value, text in ((self._scale, f"+{bound}"), (-self._scale, f"−{bound}"),
                                (0.0, "0")):
                painter.drawText(QRectF(self._rect.left() + 4, self.y_of(value) - 8, 40, 16),
                                 Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 text)
        if self._stale:
            painter.setOpacity(style.STALE_OPACITY)
        for number, curve in enumerate(self._curves):
            colour = self.colour(number) if not self._stale else QColor(p.lane_muted)
            pen = QPen(colour, 2.5)
            pen.setCosmetic(True)
            points = self.points(curve)
            painter.setPen(pen)
            for a, b in zip(points, points[1:], strict=False):
                if a is not None and b is not None:
                    painter.drawLine(a, b)
            painter.setBrush(colour)
            painter.setPen(QPen(p.card_fill, 1.5))
            for point in points:
                if point is not None:
                    painter.drawEllipse(point, 4.5, 4.5)
            if lod < style.LOD_DETAIL or len(self._curves) > 1:
                continue  # one line's figures read; several lines' would crowd
            painter.setPen(p.lane_text)
            for point, figure in zip(points, curve.loyalty, strict=True):
                if point is None or figure is None:
                    continue
                text = f"{100 * figure:+.0f}".replace("-", "−")
                below = figure > 0.6 * self._scale  # near the top: the figure goes under the point
                legible(painter, QPointF(point.x() - 2, point.y() + (3 if below else -3)),
                        text, font, lod, side=1 if below else -1)

    def _paint_key(self, painter: QPainter) -> None:
        """Under the row's name in its header: what the curve is, and each line's name."""
        p = self._palette
        font = fonts.shared_font(style.DETAIL_POINT_SIZE)
        spacing = metrics(font).lineSpacing()
        left = self._rect.left() - style.ROW_HEADER_WIDTH + 28
        width = style.ROW_HEADER_WIDTH - 36
        y = self._rect.top() + 8 + spacing + 6
        painter.setFont(font)
        painter.setPen(p.card_muted)
        painter.drawText(QRectF(left, y, width, spacing), Qt.AlignmentFlag.AlignLeft,
                         "Loyalty at each stage")
        for number, curve in enumerate(self._curves if len(self._curves) > 1 else []):
            y += spacing + 2
            if y + spacing > self._rect.bottom():
                break
            painter.setPen(QPen(self.colour(number), 3.0))
            painter.drawLine(QLineF(left, y + spacing / 2, left + 14, y + spacing / 2))
            painter.setPen(p.lane_text)
            painter.drawText(QRectF(left + 20, y, width - 20, spacing), Qt.AlignmentFlag.AlignLeft,
                             metrics(font).elidedText(curve.name, Qt.TextElideMode.ElideRight,
                                                      width - 20))
