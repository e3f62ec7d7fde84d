"""Stage lanes: the vertical swimlanes behind the cards, one per stage."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsObject, QStyleOptionGraphicsItem, QWidget

from cx_mapper.domain.journey import Stage
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.items import Z_LANE
from cx_mapper.ui.editor.canvas.text import LegibleText, level_of_detail
from cx_mapper.ui.look import fonts
from cx_mapper.ui.look.palette import CanvasPalette, current_palette


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
        self._palette = palette or current_palette()
        self._rect = QRectF(rect)
        self._index = index
        self._name = ""
        self._subtitle = ""
        self.stage_id = stage.id
        self._header_font = fonts.font(style.HEADER_POINT_SIZE, QFont.Weight.DemiBold)
        self._number_font = fonts.font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
        self._far_name = LegibleText(fonts.shared_font(style.FAR_NAME_POINT_SIZE,
                                                       QFont.Weight.DemiBold))
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
        self._far_name.text = " ".join(self._name.split())
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

    def far_name_rect(self) -> QRectF:
        """Where the name goes when zoomed out: the whole header, no stage number."""
        return self.header_rect().adjusted(10, 0, -6, 0)

    def name_shown(self, lod: float) -> list[str]:
        """The name's lines as drawn at level of detail `lod` (none far out)."""
        if lod < style.LOD_DETAIL:
            return []
        if style.HEADER_POINT_SIZE * lod < style.FAR_NAME_POINT_SIZE:
            return list(self._far_name.lines(self.far_name_rect(), lod))
        return [self._name]

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

        lod = level_of_detail(painter)
        if lod < style.LOD_DETAIL:
            return  # the name would be a smudge; the lanes' colours still show the stages
        painter.setPen(p.lane_text)
        if style.HEADER_POINT_SIZE * lod < style.FAR_NAME_POINT_SIZE:
            # far out: the name alone, at a size that stays legible, as on the cards
            self._far_name.paint(painter, self.far_name_rect(), lod)
            return
        # stage number in a small circle, then the name
        circle = QRectF(header.left() + 16, header.center().y() - style.BADGE_SIZE / 2,
                        style.BADGE_SIZE, style.BADGE_SIZE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(p.lane_muted)
        painter.drawEllipse(circle)
        painter.setFont(self._number_font)
        painter.setPen(p.lane_fill[0])
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(self._index + 1))

        painter.setPen(p.lane_text)
        name_rect = self.name_rect()
        painter.setFont(self._header_font)
        metrics = QFontMetricsF(self._header_font)
        text = metrics.elidedText(self._name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         text)
