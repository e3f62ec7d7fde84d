"""The map alone, drawn once from the model for every export that shows it.

The summary page, the SVG of the map, the poster PDF and the HTML report all paint the
same `MapPicture`: the editor's own items in a plain scene (`draw_journey`), with the
analysis's marks. It also says where each card and arrow lies, so the HTML report can
put its hover details over them.
"""

from __future__ import annotations

import copy

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.engine.layout import layout_by_stage
from cx_mapper.engine.results import Analysis
from cx_mapper.ui.editor.canvas.arrows import TransitionArrow
from cx_mapper.ui.editor.canvas.items import TouchpointCard
from cx_mapper.ui.editor.canvas.overlay import Overlays
from cx_mapper.ui.editor.canvas.picture import card_body, draw_journey
from cx_mapper.ui.export.devices import svg_document
from cx_mapper.ui.export.drawing import PALETTE

#: The map's marks: visits bars and arrow widths; the loyalty chart shows loyalty.
MAP_OVERLAYS = Overlays(loyalty=False)
#: Space round the map in the SVG of the map alone, in scene units.
SVG_MARGIN = 24.0


class MapPicture:
    """The journey drawn from the model alone (no editing scene, no document, no undo
    stack), in scene units.

    A file without positions (cards on top of each other) is laid out by stage for the
    picture only; the project itself is not changed (`laid_out` says so).
    """

    def __init__(self, project: Project, journey: Journey, analysis: Analysis | None, *,
                 overlays: Overlays = MAP_OVERLAYS) -> None:
        self.journey = journey
        self.laid_out = False
        positions = {(t.x, t.y) for t in journey.touchpoints.values()}
        if len(positions) < len(journey.touchpoints):
            project = copy.deepcopy(project)
            journey = project.journey(journey.id)
            for tid, (x, y) in layout_by_stage(journey).items():
                journey.update_touchpoint(tid, x=x, y=y)
            self.laid_out = True
        self.scene = QGraphicsScene()
        #: The content (lanes, cards, arrows) in scene coordinates; empty without cards.
        self.source: QRectF = draw_journey(self.scene, project, journey, analysis,
                                           overlays=overlays, palette=PALETTE)
        # The editor caches cards as pixmaps; painted once here, they stay vectors, so
        # a PDF or SVG keeps their names as text.
        for item in self.scene.items():
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    @property
    def empty(self) -> bool:
        return self.source.isEmpty()

    def cards(self) -> dict[str, QRectF]:
        """Each touchpoint's card body, by touchpoint id, in scene coordinates."""
        return {item.touchpoint.id: card_body(item) for item in self.scene.items()
                if isinstance(item, TouchpointCard)}

    def arrows(self) -> dict[tuple[str, str], QPainterPath]:
        """Each transition's line, by (source, target), in scene coordinates."""
        return {item.key: item.mapToScene(item.path()) for item in self.scene.items()
                if isinstance(item, TransitionArrow)}

    def paint(self, painter: QPainter, target: QRectF, source: QRectF | None = None) -> None:
        """Paint `source` (default: the whole map) of the map into `target`, keeping its
        shape. No clip is set: clip paths do not reach an SVG."""
        if not self.empty:
            self.scene.render(painter, target, source if source is not None else self.source)


def map_svg_bytes(picture: MapPicture, title: str) -> tuple[bytes, QSize]:
    """The map alone as an SVG at one pixel per scene unit, text as text, and its size."""
    source = picture.source.adjusted(-SVG_MARGIN, -SVG_MARGIN, SVG_MARGIN, SVG_MARGIN)
    size = QSize(max(1, round(source.width())), max(1, round(source.height())))
    inner = QRectF(SVG_MARGIN, SVG_MARGIN, picture.source.width(), picture.source.height())
    data = svg_document(size, lambda painter: picture.paint(painter, inner), title=title,
                        description="Customer journey map made with CX Mapper")
    return data, size
