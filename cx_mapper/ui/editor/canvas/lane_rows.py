"""Content lanes as rows across the stage columns: where each row goes and how it looks.

The touchpoint band (the cards and their arrows) keeps its place; the journey's first
`lanes_above` lanes stack up from just above it, the rest (after the experience lane,
when it shows) down from just below it. A row is as tall as its fullest cell. Each row
has a header left of the first stage column, with its colour, name and kind; the line
of visibility runs between the frontstage and the backstage rows.

Rows are drawn by the scene under the cards, like the stage columns (drawBackground),
so a view keeps their pixels; there are no items for them. A journey without lanes
has no rows and costs nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from cx_mapper.domain.content import LANE_KINDS
from cx_mapper.domain.journey import Journey
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.ui.editor.canvas import style
from cx_mapper.ui.editor.canvas.picture import lane_left
from cx_mapper.ui.editor.canvas.text import (
    LegibleText,
    elide_lines,
    level_of_detail,
    metrics,
)
from cx_mapper.ui.look import fonts, palette
from cx_mapper.ui.look.palette import CanvasPalette

#: The row id of the experience lane (lanes' ids are the journey's own).
EXPERIENCE = ""
VISIBILITY_TEXT = "Line of visibility"
VISIBILITY_ROOM = 150.0  # right of the grid, for its label


@dataclass(frozen=True)
class Row:
    """One drawn row: a lane (or the experience lane, id EXPERIENCE) and its place."""

    lane_id: str
    kind: str
    name: str
    accent: QColor
    top: float
    height: float
    left: float  # the first stage column's left edge
    right: float  # the last one's right edge
    above: bool  # above the touchpoint band

    @property
    def bottom(self) -> float:
        return self.top + self.height

    def body(self) -> QRectF:
        return QRectF(self.left, self.top, self.right - self.left, self.height)

    def header(self) -> QRectF:
        return QRectF(self.left - style.ROW_HEADER_WIDTH, self.top, style.ROW_HEADER_WIDTH,
                      self.height)

    def whole(self) -> QRectF:
        return self.header().united(self.body())

    def cell(self, stage_index: int) -> QRectF:
        return QRectF(lane_left(stage_index), self.top, LANE_WIDTH, self.height)


def rows_room(journey: Journey, heights: Mapping[str, float], experience: float
              ) -> tuple[float, float]:
    """How tall the rows above and below the touchpoint band are together."""
    above = sum(heights[lane.id] for lane in journey.lanes[:journey.lanes_above])
    below = sum(heights[lane.id] for lane in journey.lanes[journey.lanes_above:])
    return (above + style.BAND_GAP if above else 0.0), below + experience


def arrange_rows(journey: Journey, heights: Mapping[str, float], band_top: float,
                 band_bottom: float, experience: float) -> list[Row]:
    """Every row, top to bottom, for a band running from band_top to band_bottom."""
    left, right = lane_left(0), lane_left(max(1, len(journey.stages)))
    above = journey.lanes[:journey.lanes_above]
    y = band_top - style.BAND_GAP - sum(heights[lane.id] for lane in above)
    rows: list[Row] = []
    for position, lane in enumerate(journey.lanes):
        if position == journey.lanes_above:
            y = band_bottom
            if experience:
                rows.append(Row(EXPERIENCE, "experience", "Experience",
                                QColor(palette.LANE_ACCENTS["actions"]), y, experience,
                                left, right, False))
                y += experience
        accent = palette.lane_accent(lane.kind, lane.colour)
        height = heights[lane.id]
        rows.append(Row(lane.id, lane.kind, lane.name or LANE_KINDS[lane.kind], accent, y,
                        height, left, right, position < journey.lanes_above))
        y += height
    if experience and journey.lanes_above == len(journey.lanes):
        rows.append(Row(EXPERIENCE, "experience", "Experience",
                        QColor(palette.LANE_ACCENTS["actions"]), band_bottom, experience,
                        left, right, False))
    return rows


def visibility_line(rows: list[Row]) -> QLineF | None:
    """Between the last frontstage row and the first backstage row, when both exist."""
    front = [row for row in rows if row.kind == "frontstage"]
    back = [row for row in rows if row.kind == "backstage"]
    if not front or not back:
        return None
    if front[-1].top <= back[0].top:  # frontstage above backstage, as a blueprint has it
        y = (front[-1].bottom + back[0].top) / 2
    else:
        y = (back[-1].bottom + front[0].top) / 2
    return QLineF(rows[0].left - style.ROW_HEADER_WIDTH, y, rows[0].right + 12, y)


def paint_rows(painter: QPainter, rows: list[Row], canvas_palette: CanvasPalette,
               exposed: QRectF) -> None:
    """The rows' washes, borders and headers, and the line of visibility."""
    p = canvas_palette
    lod = level_of_detail(painter)
    border = QPen(p.lane_border, 1.0)
    border.setCosmetic(True)
    for row in rows:
        if not row.whole().intersects(exposed):
            continue
        body = row.body()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.row_tint(row.accent, p))
        painter.drawRect(body)
        painter.setPen(border)
        painter.drawLine(QLineF(row.header().topLeft(), body.topRight()))
        painter.drawLine(QLineF(row.header().bottomLeft(), body.bottomRight()))
        paint_header(painter, row, p, lod)
    line = visibility_line(rows)
    if line is not None and exposed.intersects(QRectF(line.p1(), line.p2()).adjusted(
            0, -12, VISIBILITY_ROOM, 12)):
        paint_visibility(painter, line, p, lod)


def paint_header(painter: QPainter, row: Row, p: CanvasPalette, lod: float,
                 opacity: float = 1.0) -> None:
    """A row's header: its colour down the left, a grip to drag it by, name and kind."""
    header = row.header()
    painter.save()
    painter.setOpacity(opacity)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(p.lane_header[0])
    painter.drawRect(header)
    painter.setBrush(row.accent)
    painter.drawRect(QRectF(header.left(), header.top(), 6, header.height()))
    if lod >= style.LOD_DETAIL:
        if row.lane_id != EXPERIENCE:  # the grip: two columns of dots
            painter.setBrush(p.lane_muted)
            for column in (0, 1):
                for line in range(3):
                    painter.drawEllipse(QPointF(header.left() + 14 + 5 * column,
                                                header.top() + 16 + 5 * line), 1.3, 1.3)
        name_font = fonts.shared_font(style.HEADER_POINT_SIZE - 1, QFont.Weight.DemiBold)
        kind_font = fonts.shared_font(style.DETAIL_POINT_SIZE)
        text = header.adjusted(28, 8, -8, -6)
        if lod < style.LOD_TEXT:
            # far out: the name alone at a size that reads, as the stage headers do
            painter.setPen(p.lane_text)
            LegibleText(fonts.shared_font(style.FAR_NAME_POINT_SIZE, QFont.Weight.DemiBold),
                        row.name).paint(painter, header.adjusted(12, 2, -4, -2), lod)
            painter.restore()
            return
        spacing = metrics(name_font).lineSpacing()
        room = max(1, min(2, int(text.height() // spacing)))
        painter.setPen(p.lane_text)
        painter.setFont(name_font)
        lines = elide_lines(row.name, name_font, text.width(), room)
        for number, shown in enumerate(lines):
            painter.drawText(QRectF(text.left(), text.top() + number * spacing, text.width(),
                                    spacing), Qt.AlignmentFlag.AlignLeft, shown)
        kind = LANE_KINDS.get(row.kind, "") if row.kind in LANE_KINDS else ""
        below = text.top() + len(lines) * spacing + 2
        if kind and kind != row.name and below + metrics(kind_font).height() <= header.bottom():
            painter.setPen(p.card_muted)
            painter.setFont(kind_font)
            painter.drawText(QRectF(text.left(), below, text.width(), spacing),
                             Qt.AlignmentFlag.AlignLeft,
                             metrics(kind_font).elidedText(kind, Qt.TextElideMode.ElideRight,
                                                           text.width()))
    painter.restore()


def legible(painter: QPainter, anchor: QPointF, text: str, font: QFont, lod: float,
            background: QColor | None = None, side: int = 0) -> None:
    """`text` with its left end's middle at `anchor` (its bottom for side -1, its top for
    side 1); far out (where cards show their names alone), no smaller on screen than
    those names (FAR_NAME_POINT_SIZE)."""
    far = 0 < lod < style.LOD_TEXT  # nearer, it is drawn at its size, as the cards' text is
    grow = max(1.0, style.FAR_NAME_POINT_SIZE / (font.pointSizeF() * lod)) if far else 1.0
    font_metrics = metrics(font)
    height = font_metrics.height() + 4
    box = QRectF(0, -height / 2 + side * height / 2, font_metrics.horizontalAdvance(text) + 12,
                 height)
    painter.save()
    ink = painter.pen()
    painter.translate(anchor)
    painter.scale(grow, grow)
    if background is not None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(box, 4, 4)
    painter.setPen(ink)
    painter.setFont(font)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()


def paint_visibility(painter: QPainter, line: QLineF, p: CanvasPalette, lod: float) -> None:
    pen = QPen(p.lane_text, 1.5, Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.drawLine(line)
    if lod < style.LOD_DETAIL:
        return
    font = fonts.shared_font(style.DETAIL_POINT_SIZE, QFont.Weight.DemiBold)
    painter.setPen(p.lane_text)  # right of the grid
    legible(painter, QPointF(line.x2() + 8, line.y1()), VISIBILITY_TEXT, font, lod,
            p.background)


class HeaderGhost(QGraphicsItem):
    """A lane's header following the mouse while it is dragged to another row."""

    def __init__(self, row: Row, canvas_palette: CanvasPalette) -> None:
        super().__init__()
        self._row = row
        self._palette = canvas_palette
        self.setZValue(60.0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:
        return self._row.header().adjusted(-2, -2, 2, 2)

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        paint_header(painter, self._row, self._palette, level_of_detail(painter), 0.85)
        pen = QPen(self._palette.selection, 2.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self._row.header())
