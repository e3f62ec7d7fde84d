"""File > Export…'s preview: the first page the chosen format and options make.

Drawn from the journey's current analysis, where it is cheap: a map of at most
PREVIEW_LIMIT touchpoints that has been analysed at the document's revision. The plan
and the intervals, which the export works out first, are left off the preview.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter

from cx_mapper.domain.project import Project
from cx_mapper.engine.results import Analysis
from cx_mapper.exports.paper import paper_points
from cx_mapper.ui.export.drawing import PAGE, RULE
from cx_mapper.ui.export.formats import ExportOptions
from cx_mapper.ui.export.map_picture import MapPicture
from cx_mapper.ui.export.summary import BASE_WIDTH, summary_page
from cx_mapper.ui.export.vector import sheets

#: Above this many touchpoints the preview would take too long to draw.
PREVIEW_LIMIT = 400
#: The preview's longer side, in pixels.
PREVIEW_SIZE = 320
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
    journey = project.journey(analysis.journey_id)
    if options.map_alone:
        return _map_preview(MapPicture(project, journey, analysis), extension, options,
                            ratio)
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


def _map_preview(picture: MapPicture, extension: str, options: ExportOptions,
                 ratio: float) -> QImage:
    """The map alone: on the poster's sheet (fitted), or as the SVG draws it."""
    if extension == ".pdf":
        width, height = paper_points(options.paper, options.landscape)
    else:
        width, height = picture.source.width() or 1.0, picture.source.height() or 1.0
    image, zoom = _blank(width, height, ratio)
    painter = QPainter(image)
    try:
        painter.setRenderHints(QPainter.RenderHint.Antialiasing
                               | QPainter.RenderHint.TextAntialiasing)
        area = QRectF(0, 0, width * zoom, height * zoom)
        if extension == ".pdf":  # the sheet's margins, 10 mm
            margin = 10 / 25.4 * 72 * zoom
            area.adjust(margin, margin, -margin, -margin)
        source = picture.source
        if not source.isEmpty():
            fit = min(area.width() / source.width(), area.height() / source.height())
            target = QRectF(0, 0, source.width() * fit, source.height() * fit)
            target.moveCenter(area.center())
            picture.paint(painter, target)
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
