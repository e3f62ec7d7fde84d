"""The HTML report's drawings, made with Qt: the map alone with where each card and
arrow lies, the map's key, and the summary page's charts, each as its own SVG.

The charts are the summary page's own blocks, painted one at a time into an SVG as
large as the block, so the report draws exactly what the PNG, PDF and SVG summaries
draw. exports/html_svg.py makes each SVG an inline element; exports/html_report.py
writes the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPainterPath

from cx_mapper.exports.figures import ExportFigures
from cx_mapper.exports.html_report import CHART_ORDER
from cx_mapper.exports.html_svg import MapDrawing, Picture, ReportPictures, inline_svg, path_data
from cx_mapper.ui.export.devices import svg_document
from cx_mapper.ui.export.drawing import paint_map_key
from cx_mapper.ui.export.map_picture import SVG_MARGIN, MapPicture, map_svg_bytes
from cx_mapper.ui.export.summary import LEGEND_MIN_HEIGHT, LEGEND_WIDTH, SummaryPage, summary_page
from cx_mapper.ui.export.summary_plan import CHARTS_HEIGHT

#: Room round each drawing for strokes and antialiasing at its edges.
PAD = 2.0
_STEPS = {QPainterPath.ElementType.MoveToElement: "M",
          QPainterPath.ElementType.LineToElement: "L",
          QPainterPath.ElementType.CurveToElement: "C",
          QPainterPath.ElementType.CurveToDataElement: ""}


def report_pictures(figures: ExportFigures) -> ReportPictures:
    """Every drawing of the report, from the summary page laid out once."""
    page = summary_page(figures.project, figures.analysis, date=figures.date,
                        plan=figures.plan_figures, uncertainty=figures.uncertainty)
    page.scale = 1.0  # the charts' fonts at the design size: the SVGs scale in the page
    picture = page.map_picture
    drawing = (map_drawing(picture, page.title)
               if picture is not None and not picture.empty else None)
    sure = None
    if page.sure_strip is not None:
        strip, rect = page.sure_strip, page.sure_rect
        sure = _picture("how_sure", "How sure these figures are", "", rect,
                        partial(_block, strip.paint, rect))
    charts = []
    for block in page.blocks:
        if block.key in CHART_ORDER and block.key != "fix_first":
            rect = block.rect
            if block.title_left is not None:  # the lanes' names, left of the stages
                rect = QRectF(block.title_left, rect.top(), rect.right() - block.title_left,
                              rect.height())
            paint = block.paint
            charts.append(_picture(block.key, block.title, block.caption, rect,
                                   partial(_block, paint, block.rect)))
    return ReportPictures(drawing, sure, tuple(charts), _plan_charts(page))


def _block(paint: Callable[[QPainter, QRectF], None], rect: QRectF,
           painter: QPainter) -> None:
    paint(painter, rect)


def map_drawing(picture: MapPicture, title: str) -> MapDrawing:
    """The map alone as an inline SVG, with each card's box and arrow's path on it."""
    data, size = map_svg_bytes(picture, title)
    dx, dy = SVG_MARGIN - picture.source.left(), SVG_MARGIN - picture.source.top()
    cards = {tid: (rect.left() + dx, rect.top() + dy, rect.width(), rect.height())
             for tid, rect in picture.cards().items()}
    arrows = {}
    for key, path in picture.arrows().items():
        steps = [(_STEPS.get(e.type, "L"), e.x + dx, e.y + dy)
                 for e in (path.elementAt(i) for i in range(path.elementCount()))]
        middle = path.pointAtPercent(0.5)
        arrows[key] = (path_data(steps), middle.x() + dx, middle.y() + dy)
    key_height = LEGEND_MIN_HEIGHT
    key_data = svg_document(QSize(round(LEGEND_WIDTH), round(key_height)), lambda painter:
                          paint_map_key(painter, QRectF(0, 0, LEGEND_WIDTH, key_height)))
    return MapDrawing(
        inline_svg(data, size.width(), size.height(), title, "drawing"),
        size.width(), size.height(), cards, arrows, picture.laid_out,
        inline_svg(key_data, LEGEND_WIDTH, key_height, "How to read the map"))


def _plan_charts(page: SummaryPage) -> Picture | None:
    section = page.plan_section
    block = next((b for b in page.blocks if b.key == "plan"), None)
    if section is None or block is None:
        return None
    rect = QRectF(block.rect.left(), block.rect.top(), block.rect.width(), CHARTS_HEIGHT)
    return _picture("plan_charts", "Value against effort", block.caption, rect,
                    lambda painter: section.paint_charts(painter, rect.top(), page.chart))


def _picture(key: str, title: str, caption: str, rect: QRectF,
             paint: Callable[[QPainter], None]) -> Picture:
    """One block of the page as an inline SVG of its own size."""
    area = rect.adjusted(-PAD, -PAD, PAD, PAD)
    size = QSize(math.ceil(area.width()), math.ceil(area.height()))

    def draw(painter: QPainter) -> None:
        painter.translate(-area.left(), -area.top())
        paint(painter)

    label = f"{title}: {caption}" if caption else title
    return Picture(key, title, caption,
                   inline_svg(svg_document(size, draw), size.width(), size.height(), label),
                   rect.width())
