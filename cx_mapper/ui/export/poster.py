"""The map alone as a poster PDF: fitted to one sheet, or tiled across sheets for a wall.

The poster is a title strip (project, journey, date, "CX Mapper"), the map as
`MapPicture` draws it, and the map's key, laid out in points. Its text (title, key,
labels) is sized for the paper, not the map, so it stays legible on a wall whatever
the map's size; the map takes the rest. The key goes beside or under the map,
whichever leaves the map bigger (tiled: whichever needs fewer sheets).

Tiled, each sheet paints only its window of the map (the scene renders the items
there, clipped), so a sheet's text is its own cards' names; the strips it shares with
its neighbours are shaded and dashed, crop marks stand at its own area's corners, and
its margins name it ("B3 of C4") and its neighbours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPdfWriter, QPen

from cx_mapper.domain.quoting import counted
from cx_mapper.exports.figures import ExportFigures
from cx_mapper.exports.poster_tiles import Box, Sheets, Tile, page_name
from cx_mapper.ui.export.devices import DPI, pdf_document
from cx_mapper.ui.export.drawing import (
    ACCENT,
    MUTED,
    PAGE,
    RULE,
    TEXT,
    draw_rule,
    draw_text,
    page_font,
    paint_map_key,
)
from cx_mapper.ui.export.map_picture import MapPicture

#: The title strip and the key in design units (as the summary's), before `unit`.
TITLE_HEIGHT = 104.0
KEY_SIZE = QSizeF(292.0, 440.0)
GAP = 24.0
#: Design units per point on an A4 sheet; bigger paper scales the text by the square
#: root of its size (A0: twice A4's), bounded so a wall of sheets keeps sane text.
A4_UNIT = 0.55
A4_SHORT = 595.28
MAX_TEXT_SCALE = 3.0
#: The empty journey's stand-in for the map, in scene units.
EMPTY_MAP = QSizeF(900.0, 480.0)
SHADE = QColor(0, 0, 0, 20)  # the strip a neighbour repeats
MARK = QColor("#000000")
MARK_LENGTH = 5.0 / (25.4 / 72)  # crop marks: 5 mm long, 2 mm off the image
MARK_GAP = 2.0 / (25.4 / 72)


@dataclass(frozen=True)
class PosterLayout:
    """Where the title, the map and the key lie on the poster, in points."""

    size: QSizeF
    unit: float  # points per design unit of the title and the key
    title: QRectF
    map: QRectF
    key: QRectF
    beside: bool  # the key right of the map, else under it

    def place(self, part: QRectF, source: QRectF) -> QRectF:
        """Where `part` of the map (scene units; the whole map is `source`) lies on the
        poster."""
        scale = self.map.width() / source.width()
        return QRectF(self.map.left() + (part.left() - source.left()) * scale,
                      self.map.top() + (part.top() - source.top()) * scale,
                      part.width() * scale, part.height() * scale)


def text_unit(short_side: float) -> float:
    """Points per design unit for text on paper whose short side is `short_side` points."""
    return A4_UNIT * min(MAX_TEXT_SCALE, math.sqrt(short_side / A4_SHORT))


def fit_layout(map_size: QSizeF, area: QSizeF, unit: float) -> PosterLayout:
    """The poster filling one sheet's printable `area`: the map as big as fits."""
    title_h, gap = TITLE_HEIGHT * unit, GAP * unit
    key = QSizeF(KEY_SIZE.width() * unit, KEY_SIZE.height() * unit)
    room = QSizeF(area.width(), area.height() - title_h - gap)

    def scale(width: float, height: float) -> float:
        return max(0.0, min(width / map_size.width(), height / map_size.height()))

    beside_scale = scale(room.width() - key.width() - gap, room.height())
    under_scale = scale(room.width(), room.height() - key.height() - gap)
    beside = beside_scale >= under_scale
    fit = beside_scale if beside else under_scale
    drawn = QSizeF(map_size.width() * fit, map_size.height() * fit)
    group = (QSizeF(drawn.width() + gap + key.width(), max(drawn.height(), key.height()))
             if beside else
             QSizeF(max(drawn.width(), key.width()), drawn.height() + gap + key.height()))
    left = (area.width() - group.width()) / 2
    top = title_h + gap
    map_rect = QRectF(left, top, drawn.width(), drawn.height())
    key_rect = (QRectF(map_rect.right() + gap, top, key.width(), key.height()) if beside
                else QRectF(left, map_rect.bottom() + gap, key.width(), key.height()))
    return PosterLayout(area, unit, QRectF(0, 0, area.width(), title_h), map_rect, key_rect,
                        beside)


def tiled_layout(map_size: QSizeF, sheets: Sheets, unit: float) -> PosterLayout:
    """The poster as wide as `sheets` across: the key beside or under the map, whichever
    needs fewer sheets (then whichever draws the map bigger)."""
    width = sheets.width
    title_h, gap = TITLE_HEIGHT * unit, GAP * unit
    key = QSizeF(KEY_SIZE.width() * unit, KEY_SIZE.height() * unit)
    top = title_h + gap
    choices = []
    for beside in (False, True):
        room = width - key.width() - gap if beside else width
        fit = max(0.0, room / map_size.width())
        drawn = QSizeF(map_size.width() * fit, map_size.height() * fit)
        map_rect = QRectF(0, top, drawn.width(), drawn.height())
        key_rect = (QRectF(width - key.width(), top, key.width(), key.height()) if beside
                    else QRectF(0, map_rect.bottom() + gap, key.width(), key.height()))
        height = max(map_rect.bottom(), key_rect.bottom())
        choices.append((sheets.rows(height), -fit, beside, map_rect, key_rect, height))
    _, _, beside, map_rect, key_rect, height = min(choices, key=lambda c: c[:2])
    return PosterLayout(QSizeF(width, height), unit, QRectF(0, 0, width, title_h), map_rect,
                        key_rect, beside)


class Poster:
    """The poster's parts and how to paint any window of it."""

    def __init__(self, figures: ExportFigures, picture: MapPicture, layout: PosterLayout):
        self.figures = figures
        self.picture = picture
        self.layout = layout
        journey = figures.journey
        self.name = f"{figures.project.name}: {journey.name or journey.id}"

    def paint(self, painter: QPainter, window: QRectF) -> None:
        """Paint the poster's `window` (poster points) at the painter's origin: only what
        lies in it, so a sheet's text is its own."""
        layout = self.layout
        painter.save()
        painter.translate(-window.left(), -window.top())
        painter.setClipRect(window)
        if layout.title.intersects(window):
            self._paint_title(painter, layout.title)
        self._paint_map(painter, window)
        if layout.key.intersects(window):
            painter.save()
            painter.translate(layout.key.topLeft())
            painter.scale(layout.unit, layout.unit)
            paint_map_key(painter, QRectF(QPointF(0, 0), KEY_SIZE))
            painter.restore()
        painter.restore()

    def _paint_title(self, painter: QPainter, rect: QRectF) -> None:
        figures, unit = self.figures, self.layout.unit
        journey = figures.journey
        painter.save()
        painter.translate(rect.topLeft())
        painter.scale(unit, unit)
        width = rect.width() / unit
        side = min(320.0, width / 3)
        words = width - side
        eyebrow = page_font(15, QFont.Weight.Bold)
        eyebrow.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.6)
        draw_text(painter, QRectF(0, 0, words, 22), figures.project.name.upper(), eyebrow,
                  ACCENT)
        draw_text(painter, QRectF(0, 24, words, 46), journey.name or journey.id,
                  page_font(36, QFont.Weight.Bold), TEXT)
        size = counted(len(journey.touchpoints), "touchpoint")
        if journey.stages:
            size += f" in {counted(len(journey.stages), 'stage')}"
        draw_text(painter, QRectF(0, 72, words, 22), f"Customer journey map · {size}",
                  page_font(16), MUTED)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        date = figures.date
        draw_text(painter, QRectF(width - side, 24, side, 46), f"{date.day} {date:%B %Y}",
                  page_font(18, QFont.Weight.DemiBold), TEXT, right)
        draw_text(painter, QRectF(width - side, 72, side, 22), "CX Mapper", page_font(15),
                  MUTED, right)
        draw_rule(painter, TITLE_HEIGHT - 2, 0, width, TEXT, 2.0)
        painter.restore()

    def _paint_map(self, painter: QPainter, window: QRectF) -> None:
        frame, picture = self.layout.map, self.picture
        part = frame.intersected(window)
        if part.isEmpty():
            return
        if not picture.empty:
            # The window's part of the frame, as scene units of the map.
            source, scale = picture.source, frame.width() / picture.source.width()
            picture.paint(painter, part, QRectF(
                source.left() + (part.left() - frame.left()) / scale,
                source.top() + (part.top() - frame.top()) / scale,
                part.width() / scale, part.height() / scale))
        if not picture.journey.touchpoints:  # the stages' lanes alone, if any
            unit = self.layout.unit
            painter.save()
            painter.translate(frame.topLeft())
            painter.scale(unit, unit)
            draw_text(painter, QRectF(0, 0, frame.width() / unit, frame.height() / unit),
                      "This journey has no touchpoints yet.", page_font(24), MUTED,
                      Qt.AlignmentFlag.AlignCenter)
            painter.restore()
        painter.setPen(QPen(RULE, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(frame)


def poster_pdf(figures: ExportFigures, paper: str, *, landscape: bool = False,
               across: int = 1, overlap_mm: float = 10.0,
               picture: MapPicture | None = None) -> tuple[bytes, str]:
    """The map alone as a PDF poster on `paper`, and a word on what it made: one sheet
    (`across` 1) or `across` sheets wide with rows as the map needs."""
    journey = figures.journey
    picture = picture or MapPicture(figures.project, journey, figures.analysis)
    map_size = EMPTY_MAP if picture.empty else picture.source.size()
    sheets = Sheets(paper, landscape, across, overlap_mm)
    layout, tiles = poster_plan(map_size, sheets)
    poster = Poster(figures, picture, layout)
    data = _write(poster, sheets, tiles)
    turned = "landscape" if landscape else "portrait"
    if across == 1:
        detail = f"one {paper} page, {turned}"
        other = Sheets(paper, not landscape).printable
        bigger = fit_layout(map_size, QSizeF(*other), layout.unit).map.width() / max(
            layout.map.width(), 1e-9)
        if bigger >= 1.25 and not picture.empty:  # worth a word: the map's shape wants it
            detail += (f"; {'portrait' if landscape else 'landscape'} would draw the map "
                       f"{bigger:.1f} times as big")
        return data, detail
    rows = tiles[-1].row + 1
    return data, (f"{counted(len(tiles), f'{paper} page')}, {turned}: {across} across and "
                  f"{rows} down, {overlap_mm:g} mm overlap, with crop marks")


def poster_plan(map_size: QSizeF, sheets: Sheets) -> tuple[PosterLayout, list[Tile]]:
    """The poster's layout for a map `map_size` scene units big, and its sheets: one
    (fitted) when `sheets.across` is 1."""
    if sheets.across == 1:
        width, height = sheets.printable
        layout = fit_layout(map_size, QSizeF(width, height), text_unit(min(sheets.page)))
        whole = Box(0, 0, width, height)
        return layout, [Tile(0, 0, whole, whole, "A1", "A1 of A1")]
    short = min(sheets.width, sheets.page[1])
    layout = tiled_layout(map_size, sheets, text_unit(short))
    return layout, sheets.tiles(layout.size.height())


def _write(poster: Poster, sheets: Sheets, tiles: list[Tile]) -> bytes:
    # At the screen's 96 dpi, as the summary PDF: the cards' fonts and their judgement
    # of how much text is legible at a size (a card name under ~4 pt gives way to its
    # short, bigger far name) hold on paper as on screen.
    width, height = sheets.page

    def paint(writer: QPdfWriter, painter: QPainter) -> None:
        painter.scale(DPI / 72, DPI / 72)  # then draw in points
        for index, tile in enumerate(tiles):
            if index:
                writer.newPage()
                painter.fillRect(QRectF(0, 0, width, height), PAGE)
            window = QRectF(tile.window.x, tile.window.y, tile.window.width,
                            tile.window.height)
            painter.save()
            painter.translate(sheets.margin, sheets.margin)
            poster.paint(painter, window)
            painter.restore()
            if len(tiles) > 1:
                _paint_sheet_marks(painter, poster, sheets, tile, tiles)

    return pdf_document(QSizeF(width, height), paint, title=poster.name, paper=sheets.paper)


def _paint_sheet_marks(painter: QPainter, poster: Poster, sheets: Sheets, tile: Tile,
                       tiles: list[Tile]) -> None:
    """The shaded strips the neighbours repeat, the crop marks, the sheet's name and
    its neighbours' names, in sheet points."""
    margin = sheets.margin
    page_w, page_h = sheets.page
    window, own = tile.window, tile.own
    # The own area on the sheet.
    left, top = margin, margin
    right = margin + own.width
    bottom = margin + own.height
    image_right, image_bottom = margin + window.width, margin + window.height
    painter.save()
    dashed = QPen(ACCENT, 0.8, Qt.PenStyle.DashLine)
    if right < image_right - 0.01:
        painter.fillRect(QRectF(right, top, image_right - right, window.height), SHADE)
        painter.setPen(dashed)
        painter.drawLine(QPointF(right, top), QPointF(right, image_bottom))
    if bottom < image_bottom - 0.01:
        painter.fillRect(QRectF(left, bottom, right - left, image_bottom - bottom), SHADE)
        painter.setPen(dashed)
        painter.drawLine(QPointF(left, bottom), QPointF(image_right, bottom))
    painter.setPen(QPen(MARK, 0.5))
    for x in (left, right):
        painter.drawLine(QPointF(x, top - MARK_GAP), QPointF(x, top - MARK_GAP - MARK_LENGTH))
        painter.drawLine(QPointF(x, image_bottom + MARK_GAP),
                         QPointF(x, image_bottom + MARK_GAP + MARK_LENGTH))
    for y in (top, bottom):
        painter.drawLine(QPointF(left - MARK_GAP, y), QPointF(left - MARK_GAP - MARK_LENGTH, y))
        painter.drawLine(QPointF(image_right + MARK_GAP, y),
                         QPointF(image_right + MARK_GAP + MARK_LENGTH, y))
    # The sheet's name, bottom left, and which sheet lies on each side.
    label_font, small = page_font(9, QFont.Weight.Bold), page_font(7)
    band = QRectF(left + 12 / (25.4 / 72), image_bottom + MARK_GAP, 0, margin - 2 * MARK_GAP)
    band.setRight(page_w / 2 - 30)  # clear of the name of the sheet below, centred
    painter.setFont(label_font)
    draw_text(painter, band, tile.label, label_font, TEXT)
    name_width = painter.fontMetrics().horizontalAdvance(tile.label) + 8
    draw_text(painter, band.adjusted(name_width, 0, 0, 0), poster.name, small, MUTED)
    names = {(t.column, t.row) for t in tiles}
    centre = QPointF(page_w / 2, page_h / 2)
    sides = (((0, -1), QRectF(centre.x() - 60, 0, 120, margin - MARK_GAP), "▲ {}"),
             ((0, 1), QRectF(centre.x() - 60, page_h - margin + MARK_GAP, 120,
                             margin - MARK_GAP), "▼ {}"),
             ((-1, 0), QRectF(0, centre.y() - 10, margin, 20), "◀ {}"),
             ((1, 0), QRectF(page_w - margin, centre.y() - 10, margin, 20), "{} ▶"))
    for (dx, dy), rect, words in sides:
        neighbour = (tile.column + dx, tile.row + dy)
        if neighbour in names:
            draw_text(painter, rect, words.format(page_name(*neighbour)), small, MUTED,
                      Qt.AlignmentFlag.AlignCenter, elide=False)
    painter.restore()
