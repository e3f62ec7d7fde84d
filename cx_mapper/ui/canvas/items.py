"""The drawn items of the canvas: stage lanes, touchpoint cards and transition arrows.

Drawing only. Items are built from plain domain objects and repainted with
`update_from`; they never change the model. The scene places them and wires edits
through the document's undo stack.

Everything that depends only on the data (elided text, paths, colours) is worked
out in `update_from`/`update_geometry`, so `paint` stays cheap on maps with
thousands of cards.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsObject,
    QGraphicsProxyWidget,
    QLineEdit,
    QStyleOptionGraphicsItem,
    QWidget,
)

from cx_mapper.domain.journey import Stage, Touchpoint, Transition
from cx_mapper.ui.canvas import style
from cx_mapper.ui.canvas.style import CanvasPalette

Z_LANE = -100.0
Z_ARROW = -10.0
Z_CARD = 0.0
Z_CONNECT = 50.0
Z_EDITOR = 100.0

_ELLIPSIS = "…"


_METRICS: dict[int, tuple[QFont, QFontMetricsF]] = {}


def metrics(font: QFont) -> QFontMetricsF:
    """Font metrics, kept per font object: cards measure the same shared fonts often."""
    found = _METRICS.get(id(font))
    if found is None or found[0] is not font:
        if len(_METRICS) > 64:
            _METRICS.clear()
        found = _METRICS[id(font)] = (font, QFontMetricsF(font))  # keeps the id taken
    return found[1]


def elide_lines(text: str, font: QFont, width: float, max_lines: int = 2) -> list[str]:
    """Wrap text to `width` in at most `max_lines` lines; the last is elided if it overflows."""
    text = " ".join(text.split())
    if not text:
        return []
    font_metrics = metrics(font)
    if font_metrics.horizontalAdvance(text) <= width:
        return [text]  # the common case: it fits on one line
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines: list[str] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        start, length = line.textStart(), line.textLength()
        if len(lines) == max_lines - 1:
            rest = text[start:]
            lines.append(font_metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            break
        lines.append(text[start : start + length].rstrip())
    layout.endLayout()
    return lines


def level_of_detail(painter: QPainter) -> float:
    """How many device pixels one scene unit covers now (1 at 100 % zoom)."""
    return QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())


def format_percent(value: float) -> str:
    """12 %, 0.5 %, 100 %: whole numbers, one decimal below 10 %."""
    percent = value * 100.0
    if 0 < abs(percent) < 10 and abs(percent - round(percent)) >= 0.05:
        return f"{percent:.1f}%"
    return f"{percent:.0f}%"


# -- stage lanes -----------------------------------------------------------------------


class StageLane(QGraphicsObject):
    """A vertical swimlane: a header band with the stage name over a lightly filled body."""

    def __init__(
        self,
        stage: Stage,
        rect: QRectF,
        index: int = 0,
        palette: CanvasPalette | None = None,
    ) -> None:
        super().__init__()
        self._palette = palette or style.current_palette()
        self._rect = QRectF(rect)
        self._index = index
        self._name = ""
        self._subtitle = ""
        self.stage_id = stage.id
        self._header_font = style.font(style.HEADER_POINT_SIZE, QFont.Weight.DemiBold)
        self._number_font = style.font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
        self.setZValue(Z_LANE)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.update_from(stage, index)

    # -- data
    def update_from(self, stage: Stage, index: int | None = None) -> None:
        self.stage_id = stage.id
        if index is not None:
            self._index = index
        self._name = stage.name or stage.id
        self.setToolTip(f"Stage {self._index + 1}: {self._name}")
        self.update()

    def set_rect(self, rect: QRectF) -> None:
        if rect == self._rect:
            return
        self.prepareGeometryChange()
        self._rect = QRectF(rect)

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.update()

    @property
    def name(self) -> str:
        return self._name

    def rect(self) -> QRectF:
        return QRectF(self._rect)

    def header_rect(self) -> QRectF:
        """The header band, in item coordinates; the in-place editor goes here."""
        return QRectF(self._rect.left(), self._rect.top(), self._rect.width(),
                      style.LANE_HEADER_HEIGHT)

    def body_rect(self) -> QRectF:
        """Where the stage's touchpoints sit, below the header."""
        return self._rect.adjusted(0, style.LANE_HEADER_HEIGHT, 0, 0)

    def name_rect(self) -> QRectF:
        """Where the name is drawn inside the header (the editor can match it)."""
        header = self.header_rect()
        return header.adjusted(16 + style.BADGE_SIZE + 8, 0, -12, 0)

    # -- Qt
    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        p = self._palette
        odd = self._index % 2
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.lane_fill[odd])
        painter.drawRect(self._rect)

        header = self.header_rect()
        painter.setBrush(p.lane_header[odd])
        painter.drawRect(header)

        border = QPen(p.lane_border, 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.drawLine(QLineF(header.bottomLeft(), header.bottomRight()))
        right = self._rect.right() - 0.5
        painter.drawLine(QLineF(right, self._rect.top(), right, self._rect.bottom()))

        if level_of_detail(painter) < style.LOD_DETAIL:
            return  # the name would be a smudge; the lanes' colours still show the stages
        # stage number in a small circle, then the name
        circle = QRectF(header.left() + 16, header.center().y() - style.BADGE_SIZE / 2,
                        style.BADGE_SIZE, style.BADGE_SIZE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.lane_muted)
        painter.drawEllipse(circle)
        painter.setFont(self._number_font)
        painter.setPen(p.lane_fill[0])
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(self._index + 1))

        painter.setFont(self._header_font)
        painter.setPen(p.lane_text)
        name_rect = self.name_rect()
        metrics = QFontMetricsF(self._header_font)
        text = metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         text)


# -- touchpoint cards --------------------------------------------------------------------


class TouchpointCard(QGraphicsItem):
    """A touchpoint as a rounded card. Its position is the touchpoint's x, y (top-left).

    A plain QGraphicsItem, not a QObject, with shared fonts: a big map has thousands,
    and a QObject costs more to make than everything else on the card.
    """

    def __init__(
        self,
        touchpoint: Touchpoint,
        channel_name: str = "",
        palette: CanvasPalette | None = None,
    ) -> None:
        super().__init__()
        self._palette = palette or style.current_palette()
        self._channel_font = style.shared_font(style.CHANNEL_POINT_SIZE)
        self._name_font = style.shared_font(style.NAME_POINT_SIZE, QFont.Weight.DemiBold)
        self._detail_font = style.shared_font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
        self._badge_font = style.shared_font(style.MIN_POINT_SIZE, QFont.Weight.Bold)
        self._csat_font = style.shared_font(style.CSAT_POINT_SIZE, QFont.Weight.Bold)
        self._caption_font = style.shared_font(style.MIN_POINT_SIZE)
        self._visits: float | None = None
        self._hovered = False
        self.touchpoint = touchpoint
        self.channel_name = channel_name
        self.name_lines: list[str] = []
        self.channel_text = ""
        self.setZValue(Z_CARD)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.update_from(touchpoint, channel_name)

    # -- data
    def update_from(self, touchpoint: Touchpoint, channel_name: str = "") -> None:
        """Show this touchpoint; the card never writes back to it."""
        self.touchpoint = touchpoint
        self.channel_name = channel_name
        self.setPos(touchpoint.x, touchpoint.y)
        content = self._content_rect()
        self.name_lines = elide_lines(touchpoint.name or touchpoint.id, self._name_font,
                                      content.width(), 2)
        self._visibility_text = (format_percent(touchpoint.visibility)
                                 if touchpoint.visibility > 0 else "")
        channel_width = content.width() - self._badge_rect(content).width() - 6
        self.channel_text = metrics(self._channel_font).elidedText(channel_name or "No channel",
                                               Qt.TextElideMode.ElideRight,
                                               max(0.0, channel_width))
        self.setToolTip(self._tooltip())
        self.update()

    def set_visits(self, fraction: float | None) -> None:
        """Show a visits bar (0-1 of the busiest touchpoint), or hide it with None."""
        self._visits = None if fraction is None else max(0.0, min(1.0, float(fraction)))
        self.update()

    def visits(self) -> float | None:
        return self._visits

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.update()

    # -- geometry (item coordinates)
    def card_rect(self) -> QRectF:
        return QRectF(0.0, 0.0, style.CARD_WIDTH, style.CARD_HEIGHT)

    def scene_card_rect(self) -> QRectF:
        """The card body in scene coordinates: what transition arrows route around."""
        return self.mapRectToScene(self.card_rect())

    def handle_rect(self) -> QRectF:
        """The connection handle on the right edge, where a drag to connect starts."""
        size = style.HANDLE_SIZE
        return QRectF(style.CARD_WIDTH - size / 2, style.CARD_HEIGHT / 2 - size / 2, size, size)

    def entry_rect(self) -> QRectF:
        size = style.MARKER_SIZE
        return QRectF(-size / 2, style.MARKER_Y - size / 2, size, size)

    def conversion_rect(self) -> QRectF:
        size = style.MARKER_SIZE
        return QRectF(style.CARD_WIDTH - size / 2, style.MARKER_Y - size / 2, size, size)

    def name_rect(self) -> QRectF:
        """Where the name is drawn (the F2 editor can sit here)."""
        content = self._content_rect()
        top = content.top() + style.BADGE_SIZE + 4
        line = metrics(self._name_font).lineSpacing()
        return QRectF(content.left(), top, content.width(), 2 * line)

    def satisfaction_color(self) -> QColor:
        return style.satisfaction_color(self.touchpoint.satisfaction, self._palette)

    def satisfaction_rect(self) -> QRectF:
        """The satisfaction colour bar down the card's left, holding the CSAT figure."""
        return QRectF(0.0, 0.0, style.SATISFACTION_BAND, style.CARD_HEIGHT)

    def _content_rect(self) -> QRectF:
        """Badge row plus two name lines, centred vertically right of the colour bar."""
        left = style.SATISFACTION_BAND + style.CARD_PADDING
        height = style.BADGE_SIZE + 4 + 2 * metrics(self._name_font).lineSpacing()
        top = max(6.0, (style.CARD_HEIGHT - height) / 2)
        return QRectF(left, top, style.CARD_WIDTH - left - style.CARD_PADDING, height)

    def _badge_rect(self, content: QRectF) -> QRectF:
        """The channel badge: square for one letter, wider for two."""
        advance = metrics(self._badge_font).horizontalAdvance(self._initials())
        width = max(style.BADGE_SIZE, advance + 8)
        return QRectF(content.left(), content.top(), width, style.BADGE_SIZE)

    def _initials(self) -> str:
        return style.channel_initials(self.channel_name) if self.channel_name else "–"

    def visibility_rect(self) -> QRectF:
        """The social-visibility tag (megaphone and %), straddling the bottom edge."""
        if not self._visibility_text:
            return QRectF()
        detail = metrics(self._detail_font)
        width = 8 + 12 + 4 + detail.horizontalAdvance(self._visibility_text) + 8
        height = detail.height() + 2
        right = style.CARD_WIDTH - style.CARD_PADDING - style.HANDLE_SIZE / 2
        return QRectF(right - width, style.CARD_HEIGHT - height / 2, width, height)

    def _tooltip(self) -> str:
        t = self.touchpoint
        parts = [f"<b>{_escape(t.name or t.id)}</b>",
                 f"Channel: {_escape(self.channel_name or 'none')}",
                 f"Satisfaction: CSAT {style.csat(t.satisfaction):.1f} (σ {t.satisfaction:+.2f})",
                 f"Social visibility: {format_percent(t.visibility)}"]
        if t.entry > 0:
            parts.append(f"Entry: {format_percent(t.entry)} of new customers start here")
        if t.conversion:
            parts.append("Conversion: counts as a purchase")
        return "<br>".join(parts)

    # -- Qt
    def boundingRect(self) -> QRectF:
        m = style.CARD_MARGIN
        return self.card_rect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.card_rect(), style.CARD_RADIUS, style.CARD_RADIUS)
        path.addEllipse(self.handle_rect())
        return path

    def hoverEnterEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self._hovered = True
        self.update()

    def hoverLeaveEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        self._hovered = False
        self.update()

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        p = self._palette
        t = self.touchpoint
        card = self.card_rect()
        radius = style.CARD_RADIUS
        lod = level_of_detail(painter)
        if lod < style.LOD_DETAIL:
            self._paint_plain(painter, card)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)

        # visibility halo: stronger the more of the talk is public
        if t.visibility > 0:
            self._paint_halo(painter, card, t.visibility)

        # shadow and body
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.card_shadow)
        painter.drawRoundedRect(card.translated(0, 2), radius, radius)
        body = QPainterPath()
        body.addRoundedRect(card, radius, radius)
        painter.setBrush(p.card_fill)
        painter.drawPath(body)

        # satisfaction colour bar on the left, and the visits bar along the top
        sat_colour = self.satisfaction_color()
        painter.save()
        painter.setClipPath(body)
        painter.setBrush(sat_colour)
        painter.drawRect(self.satisfaction_rect())
        if self._visits is not None:
            bar = QRectF(style.SATISFACTION_BAND, card.top(),
                         card.width() - style.SATISFACTION_BAND, 4)
            painter.setBrush(p.track)
            painter.drawRect(bar)
            painter.setBrush(p.visits)
            painter.drawRect(QRectF(bar.left(), bar.top(), bar.width() * self._visits,
                                    bar.height()))
        painter.restore()

        # border, or the selection outline
        selected = self.isSelected()
        if selected:
            pen = QPen(p.selection, 2.0)
        else:
            pen = QPen(p.selection if self._hovered else p.card_border, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(card, radius, radius)
        if selected:
            glow = QColor(p.selection)
            glow.setAlpha(60)
            glow_pen = QPen(glow, 4.0)
            painter.setPen(glow_pen)
            painter.drawRoundedRect(card.adjusted(-3, -3, 3, 3), radius + 3, radius + 3)

        if lod < style.LOD_TEXT:
            return  # text, markers and the handle would be too small to read or hit
        content = self._content_rect()
        self._paint_header_row(painter, content)
        self._paint_name(painter)
        self._paint_csat(painter, sat_colour)

        # markers on the edges
        if t.entry > 0 or t.referral_entry > 0:
            self._paint_entry(painter)
        if t.conversion:
            self._paint_conversion(painter)
        if self._visibility_text:
            self._paint_visibility(painter)
        self._paint_handle(painter, selected or self._hovered)

    # -- paint helpers
    def _paint_plain(self, painter: QPainter, card: QRectF) -> None:
        """Far out: the card as a filled block with its satisfaction colour, and selection."""
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.card_fill)
        painter.drawRect(card)
        painter.setBrush(self.satisfaction_color())
        painter.drawRect(self.satisfaction_rect())
        if self.isSelected():
            pen = QPen(p.selection, 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(card.adjusted(-6, -6, 6, 6))

    def _paint_halo(self, painter: QPainter, card: QRectF, visibility: float) -> None:
        colour = QColor(self._palette.visibility)
        strength = max(0.15, min(1.0, visibility))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        steps = 4
        for step in range(steps):
            grow = style.HALO_WIDTH * (step + 1) / steps
            colour.setAlphaF(0.55 * strength * (1 - step / steps))
            pen = QPen(colour, style.HALO_WIDTH / steps + 0.5)
            painter.setPen(pen)
            r = style.CARD_RADIUS + grow
            painter.drawRoundedRect(card.adjusted(-grow + 1, -grow + 1, grow - 1, grow - 1), r, r)

    def _paint_header_row(self, painter: QPainter, content: QRectF) -> None:
        p = self._palette
        badge = self._badge_rect(content)
        colour = style.channel_color(self.channel_name)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(badge, 5, 5)
        painter.setFont(self._badge_font)
        painter.setPen(style.readable_on(colour))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self._initials())

        row = QRectF(badge.right() + 6, badge.top(), content.right() - badge.right() - 6,
                     badge.height())
        painter.setFont(self._channel_font)
        painter.setPen(p.card_muted)
        painter.drawText(row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self.channel_text)

    def _paint_visibility(self, painter: QPainter) -> None:
        p = self._palette
        tag = self.visibility_rect()
        radius = tag.height() / 2
        pen = QPen(p.visibility, 1.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(p.card_fill)
        painter.drawRoundedRect(tag, radius, radius)
        glyph = QRectF(tag.left() + 8, tag.center().y() - 5, 12, 10)
        _paint_megaphone(painter, glyph, p.visibility)
        text = QRectF(glyph.right() + 4, tag.top(), tag.right() - glyph.right() - 4, tag.height())
        painter.setFont(self._detail_font)
        painter.setPen(p.card_text)
        painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self._visibility_text)

    def _paint_name(self, painter: QPainter) -> None:
        rect = self.name_rect()
        metrics = QFontMetricsF(self._name_font)
        painter.setFont(self._name_font)
        painter.setPen(self._palette.card_text)
        y = rect.top() + metrics.ascent()
        for line in self.name_lines:
            painter.drawText(QPointF(rect.left(), y), line)
            y += metrics.lineSpacing()

    def _paint_csat(self, painter: QPainter, colour: QColor) -> None:
        """The CSAT figure (1-5) and its caption, centred in the colour bar."""
        band = self.satisfaction_rect()
        ink = style.readable_on(colour)
        value_metrics = QFontMetricsF(self._csat_font)
        caption_metrics = QFontMetricsF(self._caption_font)
        total = value_metrics.height() + caption_metrics.height() - 2
        top = band.center().y() - total / 2
        painter.setPen(ink)
        painter.setFont(self._csat_font)
        painter.drawText(QRectF(band.left(), top, band.width(), value_metrics.height()),
                         Qt.AlignmentFlag.AlignCenter,
                         f"{style.csat(self.touchpoint.satisfaction):.1f}")
        painter.setFont(self._caption_font)
        painter.drawText(QRectF(band.left(), top + value_metrics.height() - 2, band.width(),
                                caption_metrics.height()),
                         Qt.AlignmentFlag.AlignCenter, "CSAT")

    def _paint_entry(self, painter: QPainter) -> None:
        p = self._palette
        rect = self.entry_rect()
        _paint_chip(painter, rect, p.entry, p.card_fill)
        triangle = QPolygonF([
            QPointF(rect.center().x() - 3, rect.center().y() - 4.5),
            QPointF(rect.center().x() + 5, rect.center().y()),
            QPointF(rect.center().x() - 3, rect.center().y() + 4.5),
        ])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.on_accent)
        painter.drawPolygon(triangle)

    def _paint_conversion(self, painter: QPainter) -> None:
        p = self._palette
        rect = self.conversion_rect()
        _paint_chip(painter, rect, p.conversion, p.card_fill)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.on_accent)
        painter.drawPolygon(_star(rect.center(), 6.0, 2.6))

    def _paint_handle(self, painter: QPainter, strong: bool) -> None:
        p = self._palette
        rect = self.handle_rect()
        pen = QPen(p.handle if strong else p.card_border, 1.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(p.handle if strong else p.card_fill)
        painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
        if not strong:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(p.card_muted)
            painter.drawEllipse(rect.center(), 1.8, 1.8)


def _paint_chip(painter: QPainter, rect: QRectF, colour: QColor, ring: QColor) -> None:
    pen = QPen(ring, 2.0)
    painter.setPen(pen)
    painter.setBrush(colour)
    painter.drawEllipse(rect)


def _star(centre: QPointF, outer: float, inner: float) -> QPolygonF:
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(centre.x() + radius * math.cos(angle),
                              centre.y() + radius * math.sin(angle)))
    return QPolygonF(points)


def _paint_megaphone(painter: QPainter, rect: QRectF, colour: QColor) -> None:
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


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- transition arrows -------------------------------------------------------------------


#: Whether a scene rect (left, top, right, bottom) crosses a card other than the arrow's ends.
Blocked = Callable[[float, float, float, float], bool]

#: Where a label may sit, best first: centres (x, y) along the arrow.
LABEL_SPOTS = (0.5, 0.32, 0.68, 0.18, 0.82)


class Router(Protocol):
    """What an arrow asks the scene while routing: where the other cards and labels are."""

    def blocked(self, left: float, top: float, right: float, bottom: float,
                ends: tuple[str, str]) -> bool:
        """Whether the rect crosses a card other than `ends`."""
        ...

    def place_label(self, key: tuple[str, str], candidates: list[QRectF]) -> QRectF:
        """Pick (and reserve) the first candidate clear of other labels and cards."""
        ...


class TransitionArrow(QGraphicsItem):
    """A transition: a curve from the source card's handle to the target's left edge.

    Forward transitions are S-curves between the cards; when an S-curve would cross
    another card (it skips a lane, say), it runs along the gap between card rows
    instead. Anything that goes back (or sideways within a stage) is routed as a
    rounded arc around both cards, below them unless `set_route_above(True)` or
    unless that side is blocked. A self-loop is a loop on the card's top.
    Coordinates are scene coordinates; the item stays at (0, 0). A plain
    QGraphicsItem, not a QObject: maps have thousands and it needs no signals.
    """

    FORWARD = "forward"
    BACKWARD = "backward"
    SIDEWAYS = "sideways"
    SELF = "self"

    _label_sizes: dict[str, tuple[float, float]] = {}
    _label_sizes_font: list[QFont] = []  # the font _label_sizes were measured in

    def __init__(self, transition: Transition, palette: CanvasPalette | None = None) -> None:
        super().__init__()
        self._palette = palette or style.current_palette()
        self._label_font = style.shared_font(style.LABEL_POINT_SIZE, QFont.Weight.DemiBold)
        self._width = style.ARROW_WIDTH
        self._route_above = False
        self._router: Router | None = None
        self._source_rect = QRectF()
        self._target_rect = QRectF()
        self._path = QPainterPath()
        self._head = QPolygonF()
        self._label_rect = QRectF()
        self._label = ""
        self._label_size = (0.0, 0.0)
        self._bounds = QRectF()
        self._shape: QPainterPath | None = None
        self.kind = self.FORWARD
        self.transition = transition
        self.setZValue(Z_ARROW)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.update_from(transition)

    # -- data
    @property
    def key(self) -> tuple[str, str]:
        return self.transition.key

    def update_from(self, transition: Transition) -> None:
        self.transition = transition
        self._label = format_percent(transition.probability)
        self._label_size = self._measure(self._label)
        tip = f"{transition.source} → {transition.target}: {self._label}"
        self.setToolTip(f"{tip} ({transition.label})" if transition.label else tip)
        self._rebuild()

    def _measure(self, label: str) -> tuple[float, float]:
        """The label's pill size; a few dozen distinct labels serve thousands of arrows."""
        sizes, measured_in = TransitionArrow._label_sizes, TransitionArrow._label_sizes_font
        if not measured_in or measured_in[0] != self._label_font:
            sizes.clear()
            measured_in[:] = [QFont(self._label_font)]
        size = sizes.get(label)
        if size is None:
            metrics = QFontMetricsF(self._label_font)
            size = sizes[label] = (metrics.horizontalAdvance(label) + 12, metrics.height() + 4)
        return size

    def update_geometry(
        self, source_rect: QRectF, target_rect: QRectF, router: Router | None = None
    ) -> None:
        """Re-route between the two cards' body rects, in scene coordinates.

        With a `router`, routes that would cross other cards are avoided where an
        alternative is clear, and the label takes a spot clear of other labels.
        """
        self._source_rect = QRectF(source_rect)
        self._target_rect = QRectF(target_rect)
        self._router = router
        self._rebuild()

    def set_flow(self, width: float) -> None:
        """The stroke width, e.g. from the flow along this transition after analysis."""
        width = max(0.75, float(width))
        if width != self._width:
            self._width = width
            self._rebuild()

    def flow_width(self) -> float:
        return self._width

    def set_route_above(self, above: bool) -> None:
        """Route loop arcs above the cards rather than below them."""
        self._route_above = above
        self._rebuild()

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.update()

    def path(self) -> QPainterPath:
        """The curve, without the arrow head, in scene coordinates."""
        return QPainterPath(self._path)

    def head(self) -> QPolygonF:
        return QPolygonF(self._head)

    def label_rect(self) -> QRectF:
        return QRectF(self._label_rect)

    def label_text(self) -> str:
        return self._label

    # -- routing
    def _rebuild(self) -> None:
        src, tgt = self._source_rect, self._target_rect
        if src.isNull() or tgt.isNull():
            if not self._bounds.isNull():
                self.prepareGeometryChange()
                self._path, self._head = QPainterPath(), QPolygonF()
                self._label_rect, self._bounds, self._shape = QRectF(), QRectF(), None
            return
        self.prepareGeometryChange()
        head = style.ARROW_HEAD + self._width * 1.5
        router, key = self._router, self.key
        blocked: Blocked | None = None
        if router is not None:
            def blocked(left: float, top: float, right: float, bottom: float) -> bool:
                return router.blocked(left, top, right, bottom, key)

        if self.transition.source == self.transition.target or src == tgt:
            self.kind = self.SELF
            path = _self_loop(src, head)
            # beside the arch rather than on it: the row above is only a gap away
            spread, half = src.width() * 0.15, self._label_size[0] / 2
            level = src.top() - style.SELF_LOOP_HEIGHT * 0.6
            spots = [(src.center().x() + spread + 6 + half, level),
                     (src.center().x() - spread - 6 - half, level)]
            tip, direction = path.currentPosition(), (0.0, 1.0)
        else:
            start = (src.right() + style.HANDLE_SIZE / 2, src.center().y())
            end = (tgt.left() - head, tgt.center().y())
            if end[0] - start[0] >= 24:
                self.kind = self.FORWARD
                points = _forward_route(src, tgt, start, end, blocked, self._label_size[1] / 2)
            else:
                self.kind = self.BACKWARD if tgt.center().x() < src.center().x() else self.SIDEWAYS
                points = _around_route(src, tgt, start, end, self._route_above, blocked)
            if points is None:
                path = _s_curve(start, end)
                spots = [_s_curve_point(start, end, t) for t in LABEL_SPOTS]
            else:
                path = _rounded_polyline(points, style.ARROW_CORNER)
                (x1, y1), (x2, _) = _label_run(points)
                spots = [(x1 + t * (x2 - x1), y1) for t in LABEL_SPOTS]
            tip, direction = QPointF(*end), (1.0, 0.0)
        self._path = path
        self._head = _arrow_head(tip, direction, head)
        width, height = self._label_size
        candidates = [QRectF(x - width / 2, y - height / 2, width, height) for x, y in spots]
        self._label_rect = (router.place_label(key, candidates) if router is not None
                            else candidates[0])
        self._shape = None  # worked out when first asked: most arrows are never hit-tested
        margin = self._width / 2 + 4  # room for the selection glow
        self._bounds = (path.controlPointRect().united(self._head.boundingRect())
                        .united(self._label_rect).adjusted(-margin, -margin, margin, margin))
        self.update()

    # -- Qt
    def boundingRect(self) -> QRectF:
        return QRectF(self._bounds)

    def shape(self) -> QPainterPath:
        if self._shape is None:
            if self._path.isEmpty():
                return QPainterPath()
            stroker = QPainterPathStroker()
            stroker.setWidth(self._width + 8)
            shape = stroker.createStroke(self._path)
            shape.addPolygon(self._head)
            radius = self._label_rect.height() / 2
            shape.addRoundedRect(self._label_rect, radius, radius)
            self._shape = shape
        return QPainterPath(self._shape)

    def colour(self) -> QColor:
        """What it is drawn in: selection, loop-back or plain."""
        if self.isSelected():
            return self._palette.selection
        return self._palette.loop_arrow if self.kind == self.BACKWARD else self._palette.arrow

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if self._path.isEmpty():
            return
        p = self._palette
        selected = self.isSelected()
        colour = QColor(self.colour())
        lod = level_of_detail(painter)
        if lod < style.LOD_DETAIL:
            # Far out: a hairline (thicker when selected), no head, no label, no dashes.
            pen = QPen(colour, 2.0 if selected else 1.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if selected:
            glow = QColor(p.selection)
            glow.setAlpha(60)
            painter.setPen(QPen(glow, self._width + 6, Qt.PenStyle.SolidLine,
                                Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(self._path)
        pen = QPen(colour, self._width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if self.kind == self.BACKWARD and lod >= style.LOD_TEXT:
            pen.setDashPattern([6.0, 3.0])
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._path)

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawPolygon(self._head)
        if lod < style.LOD_TEXT:
            return

        radius = self._label_rect.height() / 2
        border = QPen(colour, 1.0)
        border.setCosmetic(True)
        painter.setPen(border)
        painter.setBrush(QBrush(p.label_fill))
        painter.drawRoundedRect(self._label_rect, radius, radius)
        painter.setFont(self._label_font)
        painter.setPen(p.label_text)
        painter.drawText(self._label_rect, Qt.AlignmentFlag.AlignCenter, self._label)


Point = tuple[float, float]


def _s_curve(start: Point, end: Point) -> QPainterPath:
    """A horizontal S-curve. Control points share the span, so x only ever increases
    and the curve stays between the two cards."""
    reach = (end[0] - start[0]) / 2
    path = QPainterPath(QPointF(*start))
    path.cubicTo(QPointF(start[0] + reach, start[1]), QPointF(end[0] - reach, end[1]),
                 QPointF(*end))
    return path


def _s_curve_point(start: Point, end: Point, t: float) -> Point:
    """The point at parameter t of `_s_curve(start, end)`."""
    u = 1 - t
    reach = (end[0] - start[0]) / 2
    x = (u**3 * start[0] + 3 * u * u * t * (start[0] + reach) + 3 * u * t * t * (end[0] - reach)
         + t**3 * end[0])
    y = (u**3 + 3 * u * u * t) * start[1] + (3 * u * t * t + t**3) * end[1]
    return x, y


def _clear(points: list[Point], blocked: Blocked | None, pad: float) -> bool:
    """Whether every run of a polyline keeps `pad` clear of other cards."""
    if blocked is None:
        return True
    for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
        if blocked(min(x1, x2) - pad, min(y1, y2) - pad, max(x1, x2) + pad, max(y1, y2) + pad):
            return False
    return True


def _forward_route(src: QRectF, tgt: QRectF, start: Point, end: Point,
                   blocked: Blocked | None, label_pad: float) -> list[Point] | None:
    """None for the plain S-curve; else a route along the gap between card rows.

    The S-curve is kept when the box it sweeps is clear of other cards. Otherwise the
    arrow drops (or rises) into the gap below or above the source's or the target's
    row, runs along it and turns into the target: the first of those that is clear,
    shortest detour first.
    """
    if blocked is None:
        return None
    if not blocked(start[0], min(start[1], end[1]) - 4, end[0], max(start[1], end[1]) + 4):
        return None
    channel = style.ARROW_CHANNEL
    x1 = min(src.right() + style.ARROW_CLEARANCE, (start[0] + end[0]) / 2)
    x2 = max(tgt.left() - style.ARROW_CLEARANCE, (start[0] + end[0]) / 2)
    levels = [src.bottom() + channel, src.top() - channel, tgt.bottom() + channel,
              tgt.top() - channel]
    levels.sort(key=lambda y: abs(y - start[1]) + abs(y - end[1]))
    for level in levels:
        points = [start, (x1, start[1]), (x1, level), (x2, level), (x2, end[1]), end]
        if _clear(points[1:-1], blocked, 3.0) and _clear(points[2:4], blocked, label_pad):
            return points
    return None


def _around_route(src: QRectF, tgt: QRectF, start: Point, end: Point, above: bool,
                  blocked: Blocked | None) -> list[Point]:
    """Out of the source's right, round both cards below (or above), into the target's left.

    The runs sit `ARROW_CLEARANCE` outside both cards, so the arc never enters them.
    The preferred side is taken unless it crosses another card and the other is clear.
    """
    gap = style.ARROW_CLEARANCE
    right = max(src.right(), tgt.right()) + gap
    left = min(src.left(), tgt.left()) - gap
    top, bottom = min(src.top(), tgt.top()), max(src.bottom(), tgt.bottom())
    routes = []
    for level in ((top - gap, bottom + gap) if above else (bottom + gap, top - gap)):
        routes.append([start, (right, start[1]), (right, level), (left, level),
                       (left, end[1]), end])
    for points in routes:
        if _clear(points[1:-1], blocked, 3.0):
            return points
    return routes[0]


def _label_run(points: list[Point]) -> tuple[Point, Point]:
    """The longest horizontal run of a route, where its label sits."""
    runs = [(a, b) for a, b in zip(points, points[1:], strict=False) if a[1] == b[1]]
    return max(runs or [(points[0], points[-1])], key=lambda run: abs(run[1][0] - run[0][0]))


def _rounded_polyline(points: list[Point], radius: float) -> QPainterPath:
    """A polyline whose corners are replaced by quarter-curves of up to `radius`."""
    path = QPainterPath(QPointF(*points[0]))
    k = 0.5523  # a cubic close to a circular quarter
    for i in range(1, len(points) - 1):
        (bx, by), (cx, cy), (ax, ay) = points[i - 1], points[i], points[i + 1]
        into = math.hypot(bx - cx, by - cy)
        out = math.hypot(ax - cx, ay - cy)
        r = min(radius, into / 2, out / 2)
        if r <= 0.01:
            path.lineTo(cx, cy)
            continue
        px, py = cx + (bx - cx) * r / into, cy + (by - cy) * r / into
        qx, qy = cx + (ax - cx) * r / out, cy + (ay - cy) * r / out
        path.lineTo(px, py)
        path.cubicTo(px + (cx - px) * k, py + (cy - py) * k,
                     qx + (cx - qx) * k, qy + (cy - qy) * k, qx, qy)
    path.lineTo(*points[-1])
    return path


def _self_loop(card: QRectF, head: float) -> QPainterPath:
    """An arch on the card's top: up from right of centre, down into left of centre."""
    spread = card.width() * 0.15
    cx, top = card.center().x(), card.top()
    rise = style.SELF_LOOP_HEIGHT * 4 / 3  # a cubic reaches 3/4 of its control height
    start = QPointF(cx + spread, top)
    end = QPointF(cx - spread, top - head)
    path = QPainterPath(start)
    # controls straight above the ends: it leaves and arrives vertically, no kink
    path.cubicTo(QPointF(start.x(), top - rise),
                 QPointF(end.x(), top - rise), QPointF(end.x(), top - head - 8))
    path.lineTo(end)
    return path


def _arrow_head(end: QPointF, direction: tuple[float, float], length: float) -> QPolygonF:
    """A head that continues the path from `end` by `length`, along `direction`."""
    dx, dy = direction
    half = length * 0.55
    return QPolygonF([
        QPointF(end.x() + dx * length, end.y() + dy * length),
        QPointF(end.x() - dy * half, end.y() + dx * half),
        QPointF(end.x() + dy * half, end.y() - dx * half),
    ])


# -- far out ---------------------------------------------------------------------------------


@dataclass
class _Overview:
    """The whole map as a few paths, for drawing it far out in a handful of calls."""

    arrows: dict[str, QPainterPath]  # "arrow", "loop", "selected"
    bodies: QPainterPath
    bands: dict[int, QPainterPath]  # satisfaction in tenths -> its cards' colour bands
    selected: QPainterPath


class OverviewLayer(QGraphicsItem):
    """Draws every card and arrow at once when the map is zoomed far out.

    Far out, thousands of items each painted from Python cost far more than the
    drawing. The scene then marks cards and arrows as having no contents and this
    layer draws them as a few cached paths: card blocks with their satisfaction
    colour, hairline arrows and the selection. Rendered closer than that (an export
    at a larger scale while the view is far out), it paints the items one by one
    instead, so a picture of the scene is always complete.
    """

    def __init__(
        self,
        items: Callable[[], tuple[Iterable[TouchpointCard], Iterable[TransitionArrow]]],
        palette: CanvasPalette | None = None,
    ) -> None:
        super().__init__()
        self._items = items
        self._palette = palette or style.current_palette()
        self._rect = QRectF()
        self._cache: _Overview | None = None
        self.setZValue(Z_ARROW)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    def set_rect(self, rect: QRectF) -> None:
        """The area it may draw in: the whole scene."""
        if rect != self._rect:
            self.prepareGeometryChange()
            self._rect = QRectF(rect)

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self.invalidate()

    def invalidate(self) -> None:
        """Something drawn changed; the paths are rebuilt at the next paint."""
        self._cache = None
        if self.isVisible():
            self.update()

    def boundingRect(self) -> QRectF:
        return QRectF(self._rect)

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never hit: the cards and arrows underneath take the clicks

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        if level_of_detail(painter) >= style.LOD_DETAIL:
            self._paint_items(painter, option, widget)
            return
        if self._cache is None:
            self._cache = self._build()
        cache, p = self._cache, self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for name, colour in (("arrow", p.arrow), ("loop", p.loop_arrow),
                             ("selected", p.selection)):
            pen = QPen(colour, 2.0 if name == "selected" else 1.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawPath(cache.arrows[name])
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.card_fill)
        painter.drawPath(cache.bodies)
        for tenths, band in cache.bands.items():
            painter.setBrush(style.satisfaction_color(tenths / 10, p))
            painter.drawPath(band)
        pen = QPen(p.selection, 2.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(cache.selected)

    def _build(self) -> _Overview:
        cards, arrows = self._items()
        paths = {"arrow": QPainterPath(), "loop": QPainterPath(), "selected": QPainterPath()}
        for arrow in arrows:
            if arrow.isSelected():
                name = "selected"
            else:
                name = "loop" if arrow.kind == TransitionArrow.BACKWARD else "arrow"
            paths[name].addPath(arrow.path())
        bodies, selected = QPainterPath(), QPainterPath()
        bands: dict[int, QPainterPath] = {}
        band_width = style.SATISFACTION_BAND
        for card in cards:
            x, y = card.x(), card.y()
            bodies.addRect(x, y, style.CARD_WIDTH, style.CARD_HEIGHT)
            tenths = round(max(-1.0, min(1.0, card.touchpoint.satisfaction)) * 10)
            bands.setdefault(tenths, QPainterPath()).addRect(x, y, band_width,
                                                             style.CARD_HEIGHT)
            if card.isSelected():
                selected.addRect(x - 6, y - 6, style.CARD_WIDTH + 12, style.CARD_HEIGHT + 12)
        return _Overview(paths, bodies, bands, selected)

    def _paint_items(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None
    ) -> None:
        """Close up: each card and arrow paints itself, lowest first."""
        scene = self.scene()
        if scene is None:
            return
        exposed = option.exposedRect if option is not None else self._rect
        for item in scene.items(exposed, Qt.ItemSelectionMode.IntersectsItemBoundingRect,
                                Qt.SortOrder.AscendingOrder):
            if isinstance(item, TouchpointCard | TransitionArrow) and item.isVisible():
                painter.save()
                painter.translate(item.pos())
                item.paint(painter, option, widget)
                painter.restore()


# -- gesture helpers -------------------------------------------------------------------------


class ConnectLine(QGraphicsItem):
    """The line drawn while dragging from a card's handle, with the card it would connect to.

    Its shape is empty, so it never hides the card under the cursor from hit tests.
    """

    def __init__(self, start: QPointF, palette: CanvasPalette | None = None) -> None:
        super().__init__()
        self._palette = palette or style.current_palette()
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


class _NameEdit(QLineEdit):
    """A line edit that reports Escape instead of ignoring it."""

    escaped = Signal()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class InPlaceEditor(QGraphicsProxyWidget):
    """A one-line editor laid over a name on the canvas (F2, double-click).

    Enter or clicking elsewhere commits, Escape cancels; either way it hides and
    emits once. It edits nothing itself: the scene turns `committed` into one
    document call.
    """

    committed = Signal(str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._edit = _NameEdit()
        self._edit.setObjectName("canvas_name_editor")
        self.setWidget(self._edit)
        self.setZValue(Z_EDITOR)
        self._active = False
        self._edit.editingFinished.connect(self.commit)
        self._edit.escaped.connect(self.cancel)
        self.hide()

    def line_edit(self) -> QLineEdit:
        return self._edit

    def is_editing(self) -> bool:
        return self._active

    def start(self, rect: QRectF, text: str, font: QFont) -> None:
        """Show over `rect` (scene coordinates) with `text` selected, and take the focus."""
        self._edit.setFont(font)
        self._edit.setText(text)
        self._edit.selectAll()
        height = max(rect.height(), float(self._edit.sizeHint().height()))
        self.setGeometry(QRectF(rect.left(), rect.center().y() - height / 2, rect.width(),
                                height))
        self._active = True
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self._edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def commit(self) -> None:
        if not self._active:
            return
        self._active = False
        text = self._edit.text()
        self.hide()
        self.committed.emit(text)

    def cancel(self) -> None:
        if not self._active:
            return
        self._active = False
        self.hide()
        self.cancelled.emit()
