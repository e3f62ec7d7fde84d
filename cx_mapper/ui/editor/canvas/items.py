"""The drawn items of the canvas: touchpoint cards (lanes: lanes.py, arrows: arrows.py).

Drawing only. Items are built from plain domain objects and repainted with
`update_from`; they never change the model. The scene places them and wires edits
through the document's undo stack.

Everything that depends only on the data (elided text, paths, colours) is worked
out in `update_from`/`update_geometry`, so `paint` stays cheap on maps with
thousands of cards.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from cx_mapper.domain.evidence import BADGE_WORDS, backing
from cx_mapper.domain.journey import Touchpoint
from cx_mapper.domain.satisfaction import csat
from cx_mapper.ui.editor.canvas import glyphs, overlay, style, thumbnails
from cx_mapper.ui.editor.canvas.text import (  # the card's text helpers, also for arrows
    LegibleText,
    elide_lines,
    escape,
    format_percent,
    level_of_detail,
    metrics,
)
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import CanvasPalette, current_palette

__all__ = ["Z_ARROW", "Z_CARD", "Z_LANE", "TouchpointCard", "elide_lines", "escape",
           "format_percent", "level_of_detail", "metrics"]

Z_LANE = -100.0
Z_ARROW = -10.0
Z_CARD = 0.0

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
        transition_kinds: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self._palette = palette or current_palette()
        self._channel_font = fonts.shared_font(style.CHANNEL_POINT_SIZE)
        self._name_font = fonts.shared_font(style.NAME_POINT_SIZE, QFont.Weight.DemiBold)
        self._detail_font = fonts.shared_font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
        self._badge_font = fonts.shared_font(fonts.MIN_POINT_SIZE, QFont.Weight.Bold)
        self._csat_font = fonts.shared_font(style.CSAT_POINT_SIZE, QFont.Weight.Bold)
        self._caption_font = fonts.shared_font(fonts.MIN_POINT_SIZE)
        self._visits: float | None = None
        self._visit_count: float | None = None  # v_i, for the tooltip
        self._loyalty: float | None = None  # None: no badge; NaN: unvisited
        self._loyalty_text = ""
        self._tinted = False  # satisfaction fill on
        self._stale = False  # the marks are of an older revision: drawn dimmed
        self._fill = self._palette.card_fill
        self._muted = self._palette.card_muted  # the channel name's ink, readable on the fill
        self._hovered = False
        self.touchpoint = touchpoint
        self.channel_name = channel_name
        self.name_lines: list[str] = []
        self._far_name = LegibleText(fonts.shared_font(style.FAR_NAME_POINT_SIZE,
                                                       QFont.Weight.DemiBold))
        self.channel_text = ""
        self._transition_kinds = transition_kinds  # evidence on its transitions out
        self._backing: str | None = None  # the badge's kind of evidence
        self._text_key: tuple[object, ...] | None = None  # what the texts came from
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
        self._update_fill()
        self._backing = backing([e.kind for _, e in touchpoint.evidence.entries]
                                + list(self._transition_kinds))
        text_key = (touchpoint.name or touchpoint.id, touchpoint.visibility, channel_name,
                    touchpoint.image is not None, self._backing)
        if text_key == self._text_key:
            self.update()  # moved, or a colour or mark changed: the texts stand
            return
        self._text_key = text_key
        content = self._content_rect()
        self.name_lines = elide_lines(touchpoint.name or touchpoint.id, self._name_font,
                                      content.width() - self._picture_room(), 2)
        self._far_name.text = " ".join((touchpoint.name or touchpoint.id).split())
        self._visibility_text = (format_percent(touchpoint.visibility)
                                 if touchpoint.visibility > 0 else "")
        evidence, initials = self.evidence_rect(), self._badge_rect(content)
        channel_width = (evidence.left() - 6 - initials.right() - 6 if evidence else
                         content.width() - initials.width() - 6 - self._picture_room())
        channel = channel_name or "No channel"
        self.channel_text = metrics(self._channel_font).elidedText(
            channel, Qt.TextElideMode.ElideRight, max(0.0, channel_width))
        if self.channel_text != channel and len(self.channel_text) < 5:
            self.channel_text = ""  # "St…" says nothing the initials do not
        self.update()

    def set_visits(self, fraction: float | None, count: float | None = None) -> None:
        """Show a visits bar (0-1 of the busiest touchpoint), or hide it with None.
        `count` is the expected visits per entering customer, for the tooltip."""
        visits = None if fraction is None else max(0.0, min(1.0, float(fraction)))
        self._visit_count = None if fraction is None or count is None else float(count)
        if visits != self._visits:
            self._visits = visits
            self.update()

    def set_transition_kinds(self, kinds: frozenset[str]) -> None:
        """The kinds of evidence on its transitions out, for the badge (the scene's)."""
        if kinds != self._transition_kinds:
            self._transition_kinds = kinds
            self.update_from(self.touchpoint, self.channel_name)

    def evidence_badge(self) -> str:
        """The badge's word: "Data", "Survey", "Workshop", "Assumed"; "" for none."""
        return BADGE_WORDS.get(self._backing or "", "")

    def evidence_rect(self) -> QRectF:
        """The evidence badge: a small pill at the right end of the channel row (a
        picture moves under it; the conversion chip sits on the card's corner)."""
        word = self.evidence_badge()
        if not word:
            return QRectF()
        content = self._content_rect()
        width = metrics(self._caption_font).horizontalAdvance(word) + 8
        right = content.right()
        if self.touchpoint.conversion:  # clear of the star on the corner
            right = min(right, self.conversion_rect().left() - 4)
        return QRectF(right - width, content.top() + 1, width, style.BADGE_SIZE - 2)

    def visits(self) -> float | None:
        return self._visits

    def set_loyalty(self, value: float | None) -> None:
        """Show the loyalty after this touchpoint, L_j in [-1, 1], as a badge ("L +12");
        NaN shows "L —" (nobody visits it), None hides the badge."""
        loyalty = None if value is None else float(value)
        text = "" if loyalty is None else overlay.loyalty_text(loyalty)
        if text != self._loyalty_text or overlay.loyalty_points(loyalty) != \
                overlay.loyalty_points(self._loyalty):
            self.update()
        self._loyalty, self._loyalty_text = loyalty, text

    def loyalty(self) -> float | None:
        return self._loyalty

    def loyalty_badge(self) -> str | None:
        """The loyalty badge's text, or None when none is shown."""
        return self._loyalty_text or None

    def loyalty_colour(self) -> QColor | None:
        """The badge's colour: green above zero, vermillion below, grey otherwise."""
        if self._loyalty is None:
            return None
        return overlay.loyalty_colour(self._loyalty, self._palette)

    def set_stale(self, stale: bool) -> None:
        """Dim the visits bar and loyalty badge: their result is of an older revision."""
        if stale != self._stale:
            self._stale = stale
            self.update()

    def is_stale(self) -> bool:
        return self._stale

    def set_satisfaction_fill(self, on: bool) -> None:
        """Tint the body by the satisfaction colour (the colour bar stays as it is)."""
        if on != self._tinted:
            self._tinted = on
            self._update_fill()
            self.update()

    def satisfaction_fill(self) -> bool:
        return self._tinted

    def fill_colour(self) -> QColor:
        """What the body is painted with: the card colour, or its satisfaction tint."""
        return QColor(self._fill)

    def _update_fill(self) -> None:
        p = self._palette
        if self._tinted:
            self._fill = overlay.fill_colour(self.touchpoint.satisfaction, p)
            self._muted = overlay.readable_ink(p.card_muted, self._fill, p.card_text)
        else:
            self._fill, self._muted = p.card_fill, p.card_muted

    def muted_colour(self) -> QColor:
        """The channel name's colour: muted, but readable on the (tinted) body."""
        return QColor(self._muted)

    def set_palette(self, palette: CanvasPalette) -> None:
        self._palette = palette
        self._update_fill()
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

    def handle_radius(self, lod: float) -> float:
        """The handle's drawn radius in item units at level of detail `lod`: never
        under a few pixels on screen (within the margin the bounding rect leaves)."""
        size = min(style.HANDLE_MIN_PIXELS / max(lod, 1e-6), 2 * style.CARD_MARGIN)
        return max(style.HANDLE_SIZE, size) / 2

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

    def far_name_rect(self) -> QRectF:
        """Where the name goes when zoomed out: the whole body right of the colour bar."""
        left = style.FAR_BAND + style.FAR_PADDING
        # nearly the full height: two solid lines at 9 pt fit from about 38 % up
        return QRectF(left, 1.0,
                      style.CARD_WIDTH - left - style.FAR_PADDING - style.HANDLE_SIZE / 2,
                      style.CARD_HEIGHT - 2.0)

    def name_shown(self, lod: float) -> list[str]:
        """The lines of the name drawn at level of detail `lod` (1 at 100 % zoom): the
        card's own, or far out the legible ones; none when drawn as a plain block."""
        if lod < style.LOD_DETAIL:
            return []
        if lod < style.LOD_TEXT:
            return list(self._far_name.lines(self.far_name_rect(), lod))
        return list(self.name_lines)

    def thumbnail_rect(self) -> QRectF:
        """Where the touchpoint's picture is drawn: a square at the right, level with the
        name, or under the evidence badge, a little smaller (empty without a picture)."""
        if self.touchpoint.image is None:
            return QRectF()
        content, badge = self._content_rect(), self.evidence_rect()
        size = style.THUMBNAIL_SIZE
        if badge.isEmpty():
            return QRectF(content.right() - size, content.center().y() - size / 2, size, size)
        top = badge.bottom() + 3  # and clear of the tags on the bottom edge
        size = min(size, style.CARD_HEIGHT - style.TAG_ROOM - top)
        return QRectF(content.right() - size, top, size, size)

    def _picture_room(self) -> float:
        return style.THUMBNAIL_SIZE + 6 if self.touchpoint.image is not None else 0.0

    def set_hovered(self, hovered: bool) -> None:
        """Drawn as under the pointer (also while a picture file is dragged over it)."""
        if hovered != self._hovered:
            self._hovered = hovered
            self.update()

    def satisfaction_color(self) -> QColor:
        return palette.satisfaction_color(self.touchpoint.satisfaction, self._palette)

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
        return palette.channel_initials(self.channel_name) if self.channel_name else "–"

    def loyalty_rect(self) -> QRectF:
        """The loyalty badge, straddling the bottom edge right of the colour bar (the
        visibility tag is on the right, so the two never meet)."""
        if not self._loyalty_text:
            return QRectF()
        font = metrics(self._detail_font)
        width = font.horizontalAdvance(self._loyalty_text) + 14
        height = font.height() + 2
        return QRectF(style.SATISFACTION_BAND + 6, style.CARD_HEIGHT - height / 2, width,
                      height)

    def visibility_rect(self) -> QRectF:
        """The social-visibility tag (megaphone and %), straddling the bottom edge."""
        if not self._visibility_text:
            return QRectF()
        detail = metrics(self._detail_font)
        width = 8 + 12 + 4 + detail.horizontalAdvance(self._visibility_text) + 8
        height = detail.height() + 2
        right = style.CARD_WIDTH - style.CARD_PADDING - style.HANDLE_SIZE / 2
        return QRectF(right - width, style.CARD_HEIGHT - height / 2, width, height)

    def tooltip(self) -> str:
        """The tooltip, worked out when shown (the scene asks): cheaper for big maps."""
        t = self.touchpoint
        parts = [f"<b>{escape(t.name or t.id)}</b>",
                 f"Channel: {escape(self.channel_name or 'none')}",
                 f"Satisfaction: CSAT {csat(t.satisfaction):.1f} (σ {t.satisfaction:+.2f})",
                 f"Social visibility: {format_percent(t.visibility)}"]
        if t.entry > 0:
            parts.append(f"Entry: {format_percent(t.entry)} of new customers start here")
        if t.conversion:
            parts.append("Conversion: counts as a purchase")
        if self._visit_count is not None:
            parts.append(f"Visits: {self._visit_count:.2f} per entering customer "
                         f"({format_percent(self._visits or 0.0)} of the busiest)")
        if self._loyalty is not None:
            points = overlay.loyalty_points(self._loyalty)
            parts.append("Loyalty after it: nobody visits it" if points is None else
                         f"Loyalty after it: {self._loyalty_text[2:]} (−100 to 100)")
        return "<br>".join(parts)

    # -- Qt
    def boundingRect(self) -> QRectF:
        m = style.CARD_MARGIN
        return self.card_rect().adjusted(-m, -m, m, m)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.WindingFill)  # the dot's inner half is the card's too
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
            glyphs.paint_halo(painter, card, t.visibility, p.visibility)

        # shadow and body
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.card_shadow)
        painter.drawRoundedRect(card.translated(0, 2), radius, radius)
        body = QPainterPath()
        body.addRoundedRect(card, radius, radius)
        painter.setBrush(self._fill)
        painter.drawPath(body)

        # satisfaction colour bar on the left, and the visits bar along the top
        sat_colour = self.satisfaction_color()
        painter.save()
        painter.setClipPath(body, Qt.ClipOperation.IntersectClip)  # inside any clip set
        painter.setBrush(sat_colour)
        far = lod < style.LOD_TEXT  # no CSAT figure in the bar: a narrower one leaves room
        painter.drawRect(QRectF(0, 0, style.FAR_BAND, style.CARD_HEIGHT) if far
                         else self.satisfaction_rect())
        if self._visits is not None:
            if self._stale:
                painter.setOpacity(painter.opacity() * style.STALE_OPACITY)
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

        if far:
            # The card's own text would be too small to read: its name alone, at a
            # size that stays legible, and the handle to connect from.
            painter.setPen(self._palette.card_text)
            self._far_name.paint(painter, self.far_name_rect(), lod)
            self._paint_handle(painter, selected or self._hovered, lod)
            return
        content = self._content_rect()
        self._paint_header_row(painter, content)
        if self._backing is not None:
            overlay.paint_badge(painter, self.evidence_rect(), self.evidence_badge(),
                                p.card_muted, p, self._caption_font)
        self._paint_name(painter)
        self._paint_csat(painter, sat_colour)
        if t.image is not None and lod >= style.LOD_IMAGE:
            self._paint_thumbnail(painter)

        # markers on the edges
        if t.entry > 0 or t.referral_entry > 0:
            glyphs.paint_entry(painter, self.entry_rect(), p.entry, p.on_accent, p.card_fill)
        if t.conversion:
            glyphs.paint_conversion(painter, self.conversion_rect(), p.conversion,
                                    p.on_accent, p.card_fill)
        if self._visibility_text:
            self._paint_visibility(painter)
        if self._loyalty_text:
            self._paint_loyalty(painter)
        self._paint_handle(painter, selected or self._hovered, lod)

    # -- paint helpers
    def _paint_plain(self, painter: QPainter, card: QRectF) -> None:
        """Far out: the card as a filled block with its satisfaction colour, and selection."""
        p = self._palette
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._fill)
        painter.drawRect(card)
        painter.setBrush(self.satisfaction_color())
        painter.drawRect(self.satisfaction_rect())
        if self.isSelected():
            pen = QPen(p.selection, 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(card.adjusted(-6, -6, 6, 6))

    def _paint_header_row(self, painter: QPainter, content: QRectF) -> None:
        badge = self._badge_rect(content)
        colour = palette.channel_color(self.channel_name)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(badge, 5, 5)
        painter.setFont(self._badge_font)
        painter.setPen(palette.readable_on(colour))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self._initials())

        row = QRectF(badge.right() + 6, badge.top(), content.right() - badge.right() - 6,
                     badge.height())
        painter.setFont(self._channel_font)
        painter.setPen(self._muted)
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
        glyphs.paint_megaphone(painter, glyph, p.visibility)
        text = QRectF(glyph.right() + 4, tag.top(), tag.right() - glyph.right() - 4, tag.height())
        painter.setFont(self._detail_font)
        painter.setPen(p.card_text)
        painter.drawText(text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         self._visibility_text)

    def _paint_loyalty(self, painter: QPainter) -> None:
        colour = overlay.loyalty_colour(self._loyalty, self._palette)
        painter.save()
        if self._stale:
            painter.setOpacity(painter.opacity() * style.STALE_OPACITY)
        overlay.paint_badge(painter, self.loyalty_rect(), self._loyalty_text, colour,
                            self._palette, self._detail_font)
        painter.restore()

    def _paint_name(self, painter: QPainter) -> None:
        rect = self.name_rect()
        metrics = QFontMetricsF(self._name_font)
        painter.setFont(self._name_font)
        painter.setPen(self._palette.card_text)
        y = rect.top() + metrics.ascent()
        for line in self.name_lines:
            painter.drawText(QPointF(rect.left(), y), line)
            y += metrics.lineSpacing()

    def _paint_thumbnail(self, painter: QPainter) -> None:
        """The picture, from the scene's cache (a scene without images draws none)."""
        find = getattr(self.scene(), "card_thumbnail", None)
        pixmap = find(self.touchpoint.image) if find is not None else None
        if pixmap is not None:
            thumbnails.paint(painter, self.thumbnail_rect(), pixmap, self._palette.card_border)

    def _paint_csat(self, painter: QPainter, colour: QColor) -> None:
        """The CSAT figure (1-5) and its caption, centred in the colour bar."""
        band = self.satisfaction_rect()
        ink = palette.readable_on(colour)
        value_metrics = QFontMetricsF(self._csat_font)
        caption_metrics = QFontMetricsF(self._caption_font)
        total = value_metrics.height() + caption_metrics.height() - 2
        top = band.center().y() - total / 2
        painter.setPen(ink)
        painter.setFont(self._csat_font)
        painter.drawText(QRectF(band.left(), top, band.width(), value_metrics.height()),
                         Qt.AlignmentFlag.AlignCenter,
                         f"{csat(self.touchpoint.satisfaction):.1f}")
        painter.setFont(self._caption_font)
        painter.drawText(QRectF(band.left(), top + value_metrics.height() - 2, band.width(),
                                caption_metrics.height()),
                         Qt.AlignmentFlag.AlignCenter, "CSAT")

    def _paint_handle(self, painter: QPainter, strong: bool, lod: float = 1.0) -> None:
        p = self._palette
        radius = self.handle_radius(lod)  # big enough on screen to see and aim at
        centre = self.handle_rect().center()
        rect = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        pen = QPen(p.handle if strong else p.card_border, 1.5)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(p.handle if strong else p.card_fill)
        painter.drawEllipse(rect.adjusted(1, 1, -1, -1))
        if not strong:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(p.card_muted)
            dot = rect.width() * 0.15
            painter.drawEllipse(rect.center(), dot, dot)
