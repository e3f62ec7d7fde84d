"""File > Export…'s preview: the first page the chosen format and options make.

Drawn from the journey's current analysis, where it is cheap: a map of at most
PREVIEW_LIMIT touchpoints that has been analysed at the document's revision. The plan
and the intervals, which the export works out first, are left off the preview.
"""

from __future__ import annotations

import datetime as dt
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPen

from cx_mapper.domain.project import Project
from cx_mapper.engine.results import Analysis
from cx_mapper.exports.figures import ExportFigures
from cx_mapper.exports.poster_tiles import Sheets
from cx_mapper.ui.export.drawing import ACCENT, PAGE, RULE, page_font
from cx_mapper.ui.export.export_dialog import PREVIEW_SIZE
from cx_mapper.ui.export.formats import ExportOptions
from cx_mapper.ui.export.map_picture import MapPicture
from cx_mapper.ui.export.poster import EMPTY_MAP, Poster, poster_plan
from cx_mapper.ui.export.summary import BASE_WIDTH, summary_page
from cx_mapper.ui.export.vector import sheets

#: Above this many touchpoints the preview would take too long to draw.
PREVIEW_LIMIT = 400
#: Formats with a page to show first: the summary's and the map's.
PAGED = (".png", ".pdf", ".svg")
#: A page-shaped first look at a one-tall-page summary: A4's shape.
TALL_SHAPE = math.sqrt(2)


def preview_image(project: Project, analysis: Analysis, extension: str,
                  options: ExportOptions, ratio: float = 1.0) -> QImage | None:
    """The first page of the export, PREVIEW_SIZE pixels on its longer side (times the
    screen's `ratio`); None for formats without a page to show (tables, decks)."""
    if extension not in PAGED:
        return None
    if options.map_alone:
        return _map_preview(project, analysis, extension, options, ratio)
    page = summary_page(project, analysis)
    if extension == ".pdf" and options.page != "tall":
        split = sheets(page, options.page, options.landscape)
        width, height = BASE_WIDTH * split.scale, split.height * split.scale
        image, zoom = _blank(width, height, ratio)
        painter = QPainter(image)
        try:
            painter.scale(zoom, zoom)
            split.paint(painter, 1)
        finally:
            painter.end()
        return _framed(image)
    height = min(page.height, BASE_WIDTH * TALL_SHAPE)
    image, zoom = _blank(BASE_WIDTH, height, ratio)
    painter = QPainter(image)
    try:
        painter.scale(zoom, zoom)
        painter.setClipRect(QRectF(0, 0, BASE_WIDTH, height))
        page.paint(painter, zoom)
    finally:
        painter.end()
    return _framed(image)


def _map_preview(project: Project, analysis: Analysis, extension: str,
                 options: ExportOptions, ratio: float) -> QImage:
    """The map alone: the poster's sheet when fitted, the whole poster with its sheets
    outlined and named when tiled, or the map as the SVG draws it."""
    journey = project.journey(analysis.journey_id)
    picture = MapPicture(project, journey, analysis)
    if extension != ".pdf":
        width, height = picture.source.width() or 1.0, picture.source.height() or 1.0
        image, zoom = _blank(width, height, ratio)
        painter = QPainter(image)
        try:
            picture.paint(painter, QRectF(0, 0, width * zoom, height * zoom))
        finally:
            painter.end()
        return _framed(image)
    figures = ExportFigures(project, analysis, dt.date.today())
    sheets = Sheets(options.paper, options.landscape, options.across, options.overlap_mm)
    layout, tiles = poster_plan(EMPTY_MAP if picture.empty else picture.source.size(), sheets)
    poster = Poster(figures, picture, layout)
    if len(tiles) == 1:
        width, height = sheets.page
        image, zoom = _blank(width, height, ratio)
        painter = QPainter(image)
        try:
            painter.scale(zoom, zoom)
            painter.translate(sheets.margin, sheets.margin)
            poster.paint(painter, QRectF(QPointF(0, 0), layout.size))
        finally:
            painter.end()
        return _framed(image)
    size = layout.size
    bottom = max(tile.window.bottom for tile in tiles)
    image, zoom = _blank(size.width(), bottom, ratio)
    painter = QPainter(image)
    try:
        painter.scale(zoom, zoom)
        poster.paint(painter, QRectF(0, 0, size.width(), bottom))
        painter.setPen(QPen(ACCENT, 1.5 / zoom, Qt.PenStyle.DashLine))
        painter.setFont(page_font(11 / zoom, QFont.Weight.Bold))
        for tile in tiles:
            own = QRectF(tile.own.x, tile.own.y, tile.own.width, tile.own.height)
            painter.drawRect(own)
            painter.drawText(own.adjusted(4 / zoom, 2 / zoom, 0, 0),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                             tile.name)
    finally:
        painter.end()
    return _framed(image)


def _blank(width: float, height: float, ratio: float) -> tuple[QImage, float]:
    """A white image of the page's shape, and its pixels per page unit."""
    zoom = PREVIEW_SIZE / max(width, height)
    image = QImage(max(1, round(width * zoom * ratio)), max(1, round(height * zoom * ratio)),
                   QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(ratio)
    image.fill(PAGE)
    return image, zoom


def _framed(image: QImage) -> QImage:
    """A hairline round the page, so white reads as paper on a light dialog."""
    painter = QPainter(image)
    try:
        painter.setPen(RULE)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        ratio = image.devicePixelRatio()
        painter.drawRect(QRectF(0, 0, image.width() / ratio - 1, image.height() / ratio - 1))
    finally:
        painter.end()
    return image
