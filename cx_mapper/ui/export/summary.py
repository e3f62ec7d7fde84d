"""The one-page PNG summary of a journey, as a QImage (the caller writes the file).

The page is designed on a 1,600-unit-wide grid and painted through a scaled painter,
so every font, line and gap grows with the requested width and the page reads the
same at 1,200 or 4,000 pixels. Charts are pyqtgraph, laid out at their pixel size and
painted as vectors; the map is the canvas's own items drawn from the model alone
(map_picture.py), as the editor draws it. It needs a QApplication but no display:
`cx-mapper export` runs it on the offscreen platform.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
)
from PySide6.QtWidgets import QApplication

from cx_mapper.domain import satisfaction
from cx_mapper.domain.journey import Journey
from cx_mapper.domain.project import Project
from cx_mapper.domain.quoting import counted
from cx_mapper.engine.kpis import kpi_details
from cx_mapper.engine.layout import LANE_WIDTH
from cx_mapper.engine.results import Analysis
from cx_mapper.engine.uncertainty import Uncertainty
from cx_mapper.ui.analysis import charts
from cx_mapper.ui.analysis.chart_style import ChartStyle
from cx_mapper.ui.editor.canvas.picture import lane_left
from cx_mapper.ui.export.drawing import (
    ACCENT,
    MUTED,
    PAGE,
    PALETTE,
    RULE,
    TEXT,
    TILE_FILL,
    draw_rule,
    draw_text,
    page_font,
    paint_map_key,
    rounded_rect,
)
from cx_mapper.ui.export.map_picture import MapPicture
from cx_mapper.ui.export.summary_footer import Footer
from cx_mapper.ui.export.summary_plan import PlanFigures, PlanSection, plan_caption
from cx_mapper.ui.export.summary_story import LaneRows, PersonaCards, lanes_caption
from cx_mapper.ui.export.summary_sure import INTERVAL_ROW, SureStrip, fitted_font
from cx_mapper.ui.export.summary_waits import WaitsSection, has_times
from cx_mapper.ui.look.palette import sign_color

BASE_WIDTH = 1600.0
#: What every file of the summary says it is (PNG text chunk, PDF and SVG description).
DESCRIPTION = "Customer journey summary made with CX Mapper"
MARGIN = 64.0
GAP = 40.0  # between sections
GUTTER = 32.0  # between side-by-side blocks
MAP_MAX_HEIGHT = 660.0
MAP_MAX_ZOOM = 1.4  # a small map is not blown up beyond this (design units per scene unit)
LEGEND_WIDTH = 292.0  # the map's key, in a column on its right
LEGEND_MIN_HEIGHT = 420.0
FIX_FIRST_COUNT = 5
HEADER_ROW = 36.0  # the fix-first table's header
FIX_ROW = 54.0  # and each of its rows


def render_summary(project: Project, analysis: Analysis, *, width: int = 2400,
                   date: dt.date | None = None, plan: PlanFigures | None = None,
                   uncertainty: Uncertainty | None = None) -> QImage:
    """The summary page of the analysed journey at `width` pixels, its height following
    the content. The figures are the caller's: drawing never analyses. Given the
    journey's uncertainty analysis with uncertain inputs, the page says how sure its
    figures are. The image's title and description become PNG text chunks."""
    return render_page(_page(project, analysis, date, plan, uncertainty), width)


def render_page(page: SummaryPage, width: int) -> QImage:
    """A laid-out page as an image `width` pixels wide (render_summary's image)."""
    if width < 400:
        raise ValueError(f"A summary needs at least 400 pixels of width, got {width}")
    scale = width / BASE_WIDTH
    image = QImage(width, math.ceil(page.height * scale), QImage.Format.Format_RGB32)
    # 96 dpi whatever the screen: the map's point-size fonts come out the same everywhere.
    image.setDotsPerMeterX(3780)
    image.setDotsPerMeterY(3780)
    image.fill(PAGE)
    image.setText("Title", page.title)
    image.setText("Description", DESCRIPTION)
    painter = QPainter(image)
    try:
        paint_summary(painter, page, width)
    finally:
        painter.end()
    return image


def summary_page(project: Project, analysis: Analysis, *, date: dt.date | None = None,
                 plan: PlanFigures | None = None,
                 uncertainty: Uncertainty | None = None) -> SummaryPage:
    """The summary laid out once, to paint onto any device (`paint_summary`): the PNG's
    image, a PDF or an SVG show the same page."""
    return _page(project, analysis, date, plan, uncertainty)


def paint_summary(painter: QPainter, page: SummaryPage, width: float) -> None:
    """Paint the laid-out page `width` device pixels wide (its height is
    `page.height * width / BASE_WIDTH`); the device should be at 96 dpi, as the PNG is,
    so the map's point-size fonts come out the same on every device."""
    scale = width / BASE_WIDTH
    painter.setRenderHints(QPainter.RenderHint.Antialiasing
                           | QPainter.RenderHint.TextAntialiasing
                           | QPainter.RenderHint.SmoothPixmapTransform)
    painter.scale(scale, scale)
    page.paint(painter, scale)


def summary_layout(project: Project, analysis: Analysis, *, width: int = 2400,
                   plan: PlanFigures | None = None,
                   uncertainty: Uncertainty | None = None) -> dict[str, QRect]:
    """Where each part lies on the image `render_summary` makes, in its pixels.

    Keys: header, kpis, map, lanes and personas (when the journey has lanes and the
    project personas), how_sure (given an uncertainty analysis with uncertain inputs),
    loyalty, over_time, exposure, fix_first, removal (or
    fix_first_chart without a conversion), waits (when an event log gave the journey
    times), plan (given a plan) and footer; a block's
    rectangle excludes its title.
    """
    return page_rects(_page(project, analysis, None, plan, uncertainty), width)


def page_rects(page: SummaryPage, width: int) -> dict[str, QRect]:
    """Where each part of a laid-out page lies on its image `width` pixels wide."""
    scale = width / BASE_WIDTH
    rects = {"header": page.header_rect, "kpis": page.kpi_rect, "footer": page.footer_rect,
             **({"how_sure": page.sure_rect} if page.sure is not None else {}),
             **{block.key: block.rect for block in page.blocks}}
    return {key: QRectF(rect.topLeft() * scale, rect.size() * scale).toAlignedRect()
            for key, rect in rects.items()}


def summary_cells(project: Project, analysis: Analysis, *,
                  width: int = 2400) -> dict[tuple[str, str], QRect]:
    """Where each lane's cell of each stage lies on the image (its notes' area, under the
    lane's name), in its pixels, by (lane id, stage id); empty without lanes."""
    page = _page(project, analysis, None)
    rows = page.lane_rows
    block = next((b for b in page.blocks if b.key == "lanes"), None)
    if rows is None or block is None:
        return {}
    scale = width / BASE_WIDTH
    return {key: QRectF(rect.topLeft() * scale, rect.size() * scale).toAlignedRect()
            for key, rect in rows.cells(block.rect.top()).items()}


def _page(project: Project, analysis: Analysis, date: dt.date | None,
          plan: PlanFigures | None = None, uncertainty: Uncertainty | None = None) -> SummaryPage:
    if QApplication.instance() is None:
        raise RuntimeError("the summary needs a QApplication (offscreen is fine)")
    known = {journey.id: journey for journey in project.journeys}
    journey = known.get(analysis.journey_id)
    if journey is None:
        raise ValueError(f"The analysis is of journey '{analysis.journey_id}', "
                         "which the project does not have")
    page = SummaryPage(project, journey, analysis, date or dt.date.today())
    page.plan_figures = plan
    if uncertainty is not None and uncertainty.journey_id != journey.id:
        raise ValueError(f"The uncertainty analysis is of journey '{uncertainty.journey_id}', "
                         f"not of '{journey.id}'")
    # Intervals are of the infinite horizon: beside a finite horizon's figures they
    # would disagree, so such a page (and one without uncertain inputs) shows none.
    if uncertainty is not None and uncertainty.inputs and analysis.horizon is None:
        page.sure = uncertainty
    page.layout()
    return page


@dataclass
class _Block:
    """A titled area of the page."""

    key: str
    title: str
    caption: str
    rect: QRectF  # the content, below the title
    paint: Callable[[QPainter, QRectF], None]
    title_left: float | None = None  # where the title starts, if not at the rect's left

    TITLE_HEIGHT = 50.0


@dataclass(frozen=True)
class PagePart:
    """A part of the page that is painted whole: its key, its top and bottom in design
    units, and its painter (in the page's design units)."""

    key: str
    top: float
    bottom: float
    paint: Callable[[QPainter], None]


class SummaryPage:
    """Lays out and paints one summary page in design units."""

    def __init__(self, project: Project, journey: Journey, analysis: Analysis,
                 date: dt.date) -> None:
        self.project = project
        self.journey = journey
        self.analysis = analysis
        self.date = date
        self.left = MARGIN
        self.right = BASE_WIDTH - MARGIN
        self.content_width = self.right - self.left
        self.blocks: list[_Block] = []
        self.header_rect = QRectF()
        self.kpi_rect = QRectF()
        self.sure_rect = QRectF()
        self.sure: Uncertainty | None = None
        self.sure_strip: SureStrip | None = None
        self.footer_rect = QRectF()
        self.height = 0.0
        self.scale = 1.0
        self._picture: MapPicture | None = None
        self.laid_out = False  # True when the map had no positions and was laid out here
        self._map_source = QRectF()
        self.lane_rows: LaneRows | None = None
        self.persona_cards: PersonaCards | None = None
        self.plan_figures: PlanFigures | None = None
        self.footer: Footer | None = None
        self.plan_section: PlanSection | None = None

    @property
    def map_picture(self) -> MapPicture | None:
        """The map as laid out on the page (the HTML report inlines it)."""
        return self._picture

    @property
    def title(self) -> str:
        """The document's title: "Project: Journey"."""
        return f"{self.project.name}: {self.journey.name or self.journey.id}"

    # -- layout -----------------------------------------------------------------------
    def layout(self) -> float:
        """Place every section; returns the page height in design units."""
        y = 52.0
        self.header_rect = QRectF(self.left, y, self.content_width, 96)
        y = self.header_rect.bottom() + 30
        self.kpi_rect = QRectF(self.left, y, self.content_width,
                               124 + (INTERVAL_ROW if self.sure is not None else 0))
        y = self.kpi_rect.bottom()
        if self.sure is not None:
            strip = self.sure_strip = SureStrip(self.journey, self.sure, self.content_width)
            self.sure_rect = QRectF(self.left, y + 12, self.content_width, strip.height)
            y = self.sure_rect.bottom()
        y += GAP + _Block.TITLE_HEIGHT

        source = self._build_map()
        map_width = self.content_width - LEGEND_WIDTH - GUTTER
        map_height = MAP_MAX_HEIGHT
        if not source.isEmpty():
            fit = min(MAP_MAX_ZOOM, map_width / source.width())
            map_height = min(MAP_MAX_HEIGHT, fit * source.height())
        map_height = max(map_height, LEGEND_MIN_HEIGHT)
        caption = "Each card is a touchpoint, in its stage; arrows are the transitions"
        if self.laid_out:
            caption += " (laid out by stage: the file has no positions)"
        map_rect = QRectF(self.left, y, self.content_width, map_height)
        self.blocks.append(_Block("map", "The journey as drawn", caption, map_rect,
                                  self._paint_map))
        y += map_height + GAP + _Block.TITLE_HEIGHT
        y = self._layout_story(map_rect, y)

        a, j = self.analysis, self.journey
        self.blocks.append(_Block(
            "loyalty", "Loyalty along the journey",
            "Mean loyalty (−100 to +100) of customers after each touchpoint, by stage",
            QRectF(self.left, y, self.content_width, 300),
            self.chart(lambda w, st: charts.plot_loyalty_curve(w.addPlot(), a, j, st))))
        y += 300 + GAP + _Block.TITLE_HEIGHT

        wide = self.content_width * 0.56
        left = QRectF(self.left, y, wide - GUTTER / 2, 330)
        right = QRectF(self.left + wide + GUTTER / 2, y, self.content_width - wide - GUTTER / 2,
                       330)

        def over_time(widget: pg.GraphicsLayoutWidget, chart_style: ChartStyle) -> None:
            charts.plot_active(widget.addPlot(), a, chart_style)
            charts.plot_exposure_over_time(widget.addPlot(), a, chart_style)

        self.blocks.append(_Block(
            "over_time", "Customers and word of mouth over time",
            f"Per entering customer, steps 0–{int(a.series.step[-1])}, referrals included",
            left, self.chart(over_time)))
        self.blocks.append(_Block(
            "exposure", "Who hears about it",
            "People reached per customer: good word of mouth to the right, bad to the left",
            right, self.chart(lambda w, st: charts.plot_exposure_by_touchpoint(
                w.addPlot(), a, j, st, count=10), name_width=250)))
        y += 330 + GAP + _Block.TITLE_HEIGHT

        fix_height = HEADER_ROW + FIX_ROW * FIX_FIRST_COUNT
        self.blocks.append(_Block(
            "fix_first", "Top five touchpoints to fix",
            "Gain from raising satisfaction by 0.1 (half a CSAT point is 0.25)",
            QRectF(left.left(), y, left.width(), fix_height), self._paint_fix_first))
        right = QRectF(right.left(), y, right.width(), fix_height)
        if a.has_conversion:
            self.blocks.append(_Block(
                "removal", "Removal effect", "Share of conversions lost without the touchpoint",
                right, self.chart(lambda w, st: charts.plot_removal_effects(
                    w.addPlot(), a, j, st, count=6), name_width=250)))
        else:  # no conversion: the ranking as bars beside the table
            self.blocks.append(_Block(
                "fix_first_chart", "Where loyalty gains most",
                "Loyalty index gain per +0.1 satisfaction", right,
                self.chart(lambda w, st: charts.plot_fix_first(w.addPlot(), a, j, st, count=6),
                            name_width=250)))
        y += fix_height + GAP + 8
        if has_times(self.journey):
            waits = WaitsSection(self.journey, self.left, self.content_width)
            y += _Block.TITLE_HEIGHT - 8
            self.blocks.append(_Block(
                "waits", "Where customers wait",
                "Median time from the event log, and the time 90% of customers take at most",
                QRectF(self.left, y, self.content_width, waits.height),
                lambda painter, rect: waits.paint(painter, rect.top())))
            y += waits.height + GAP + 8
        if self.plan_figures is not None and self.journey.opportunities:
            plan, gains = self.plan_figures
            section = PlanSection(self.project, self.journey, a, plan, gains, self.left,
                                  self.content_width, self.sure)
            self.plan_section = section
            y += _Block.TITLE_HEIGHT - 8
            self.blocks.append(_Block(
                "plan", "The plan: what to fund", plan_caption(plan, self.project,
                                                         len(self.journey.opportunities)),
                QRectF(self.left, y, self.content_width, section.height),
                lambda painter, rect: section.paint(painter, rect.top(), self.chart)))
            y += section.height + GAP + 8

        footer = self.footer = Footer(self.project, self.journey, self.analysis,
                                           self.sure)
        self.footer_rect = QRectF(self.left, y, self.content_width,
                                  footer.height(self.content_width))
        self.height = self.footer_rect.bottom() + 44
        return self.height

    def _layout_story(self, map_rect: QRectF, y: float) -> float:
        """The lanes under the map, in its stage columns, then the personas (each only
        when there is one); returns where the next block's title starts."""
        journey = self.journey
        if journey.lanes and journey.stages and not self._map_source.isEmpty():
            frame, fit = self._map_frame(map_rect)
            source = self._map_source
            columns = [(frame.left() + (lane_left(k) - source.left()) * fit, LANE_WIDTH * fit)
                       for k in range(len(journey.stages))]
            rows = self.lane_rows = LaneRows(journey, columns)
            self.blocks.append(_Block(
                "lanes", "The story, stage by stage", lanes_caption(journey.lanes),
                QRectF(rows.left, y, rows.right - rows.left, rows.height),
                lambda painter, rect: rows.paint(painter, rect.top()), self.left))
            y += rows.height + GAP + _Block.TITLE_HEIGHT
        if self.project.personas:
            cards = self.persona_cards = PersonaCards(self.project, self.left,
                                                      self.content_width)
            self.blocks.append(_Block(
                "personas", "Who the customers are",
                "A persona for each segment: what they want, need and put up with",
                QRectF(self.left, y, self.content_width, cards.height),
                lambda painter, rect: cards.paint(painter, rect.top())))
            y += cards.height + GAP + _Block.TITLE_HEIGHT
        return y

    def _map_frame(self, rect: QRectF) -> tuple[QRectF, float]:
        """Where the map is drawn in its block, left of the key, and its zoom."""
        area = QRectF(rect.left(), rect.top(), rect.width() - LEGEND_WIDTH - GUTTER,
                      rect.height())
        source = self._map_source
        if source.isEmpty():
            return area, 1.0
        fit = min(area.width() / source.width(), area.height() / source.height(),
                  MAP_MAX_ZOOM)
        frame = QRectF(area.left(), area.top(), source.width() * fit, source.height() * fit)
        frame.moveCenter(QPointF(area.center().x(), frame.center().y()))
        return frame, fit

    def _build_map(self) -> QRectF:
        """The journey drawn from the model alone, with the analysis's marks, as the app
        draws it. Loyalty badges are left off: the loyalty chart below shows those
        figures."""
        picture = self._picture = MapPicture(self.project, self.journey, self.analysis)
        self.laid_out = picture.laid_out
        self._map_source = picture.source
        return self._map_source

    # -- painting ----------------------------------------------------------------------
    def paint(self, painter: QPainter, scale: float) -> None:
        self.scale = scale
        for part in self.parts():
            part.paint(painter)

    def parts(self) -> list[PagePart]:
        """The page's parts top to bottom, each painted whole: the paged PDF puts each
        on one page and never cuts a card, a chart or a table in two."""
        top = self.sure_rect if self.sure_strip is not None else self.kpi_rect
        parts = [PagePart("top", self.header_rect.top(), top.bottom() + 1, self._paint_top)]
        for block in self.blocks:
            parts.append(PagePart(block.key, block.rect.top() - _Block.TITLE_HEIGHT,
                                  block.rect.bottom(),
                                  partial(self._paint_block, block=block)))
        footer = self.footer
        if footer is not None:
            parts.append(PagePart("footer", self.footer_rect.top(), self.footer_rect.bottom(),
                                  lambda painter: footer.paint(painter, self.footer_rect)))
        return parts

    def _paint_top(self, painter: QPainter) -> None:
        self._paint_header(painter)
        self._paint_kpis(painter)
        if self.sure_strip is not None:
            self.sure_strip.paint(painter, self.sure_rect)

    def _paint_block(self, painter: QPainter, block: _Block) -> None:
        self._paint_block_title(painter, block)
        block.paint(painter, block.rect)

    def _paint_header(self, painter: QPainter) -> None:
        rect = self.header_rect
        analysis, journey = self.analysis, self.journey
        eyebrow = page_font(15, QFont.Weight.Bold)
        eyebrow.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 1.6)
        date_width = 300.0
        draw_text(painter, QRectF(rect.left(), rect.top(), rect.width() - date_width, 22),
              self.project.name.upper(), eyebrow, ACCENT)
        draw_text(painter, QRectF(rect.left(), rect.top() + 26, rect.width() - date_width, 50),
              journey.name or journey.id, page_font(40, QFont.Weight.Bold), TEXT)
        horizon = ("infinite horizon" if analysis.horizon is None
                   else f"steps 0–{analysis.horizon}")
        size = counted(len(analysis.ids), "touchpoint")
        if journey.stages:
            size += f" in {counted(len(journey.stages), 'stage')}"
        subtitle = (f"Customer journey summary · {size} · {horizon} · "
                    "figures per entering customer")
        draw_text(painter, QRectF(rect.left(), rect.top() + 78, rect.width() - date_width, 22),
              subtitle, page_font(16), MUTED)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        draw_text(painter, QRectF(rect.right() - date_width, rect.top() + 26, date_width, 50),
              f"{self.date.day} {self.date:%B %Y}", page_font(18, QFont.Weight.DemiBold), TEXT,
              right)
        draw_text(painter, QRectF(rect.right() - date_width, rect.top() + 78, date_width, 22),
              "CX Mapper", page_font(15), MUTED, right)
        draw_rule(painter, rect.bottom() + 12, self.left, self.right, TEXT, 2.0)

    def _paint_kpis(self, painter: QPainter) -> None:
        cells = kpi_details(self.analysis)
        gap = 12.0
        width = (self.kpi_rect.width() - gap * (len(cells) - 1)) / len(cells)
        intervals = {kpi.key: kpi.interval_text(band) for kpi, _, _ in cells
                     if self.sure is not None
                     and (band := self.sure.intervals.get(kpi.key)) is not None}
        interval_font = fitted_font(list(intervals.values()), width - 25)
        for i, (kpi, value, detail) in enumerate(cells):
            tile = QRectF(self.kpi_rect.left() + i * (width + gap), self.kpi_rect.top(),
                          width, self.kpi_rect.height())
            rounded_rect(painter, tile, 8, TILE_FILL, PALETTE.track)
            inner = tile.adjusted(15, 14, -10, -12)
            draw_text(painter, QRectF(inner.left(), inner.top(), inner.width(), 20), kpi.label,
                  page_font(13, QFont.Weight.DemiBold), MUTED)
            colour = (sign_color(kpi.value(self.analysis), PALETTE) if kpi.signed else None)
            draw_text(painter, QRectF(inner.left(), inner.top() + 24, inner.width(), 42), value,
                  page_font(34, QFont.Weight.Bold), colour or TEXT)
            top = inner.top() + 70
            if kpi.key in intervals:
                draw_text(painter, QRectF(inner.left(), top - 2, inner.width(), 20),
                          intervals[kpi.key], interval_font, TEXT)
            if self.sure is not None:
                top += INTERVAL_ROW
            painter.setFont(page_font(13))
            painter.setPen(MUTED)
            painter.drawText(QRectF(inner.left(), top, inner.width(), 36),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
                                 | Qt.TextFlag.TextWordWrap), detail)

    def _paint_block_title(self, painter: QPainter, block: _Block) -> None:
        top = block.rect.top() - _Block.TITLE_HEIGHT
        left = block.rect.left() if block.title_left is None else block.title_left
        width = block.rect.right() - left
        draw_text(painter, QRectF(left, top, width, 26), block.title,
              page_font(21, QFont.Weight.Bold), TEXT)
        draw_text(painter, QRectF(left, top + 26, width, 20),
              block.caption, page_font(14), MUTED)

    def _paint_map(self, painter: QPainter, rect: QRectF) -> None:
        """The scene fitted into the space left of the key, framed, with the key beside."""
        frame, _ = self._map_frame(rect)
        picture = self._picture
        if picture is not None and not picture.empty:
            clip = QPainterPath()
            clip.addRoundedRect(frame, 10, 10)
            painter.save()
            painter.setClipPath(clip)
            picture.paint(painter, frame)
            painter.restore()
        else:
            draw_text(painter, frame, "This journey has no touchpoints yet.", page_font(18), MUTED,
                  Qt.AlignmentFlag.AlignCenter)
        rounded_rect(painter, frame, 10, None, RULE)
        paint_map_key(painter, QRectF(rect.right() - LEGEND_WIDTH, rect.top(),
                                            LEGEND_WIDTH, rect.height()))

    def chart(self, build: Callable[[pg.GraphicsLayoutWidget, ChartStyle], object],
               name_width: float = 280.0) -> Callable[[QPainter, QRectF], None]:
        """A block painter that draws pyqtgraph charts at the page's scale."""
        def paint(painter: QPainter, rect: QRectF) -> None:
            chart_style = ChartStyle(palette=PALETTE, font_px=13.0 * self.scale, background=PAGE,
                                     name_width_px=name_width * self.scale)
            charts.draw_chart(painter, rect, chart_style, lambda w: build(w, chart_style))

        return paint

    def _paint_fix_first(self, painter: QPainter, rect: QRectF) -> None:
        """Rank, name and stage, satisfaction now, and the gains of +0.1 satisfaction."""
        ranking = self.analysis.fix_first("loyalty_index", FIX_FIRST_COUNT)
        stages = {s.id: s.name or s.id for s in self.journey.stages}
        columns = [("#", 34.0), ("Touchpoint", 0.0), ("CSAT", 58.0), ("Loyalty index", 196.0),
                   ("Value", 78.0), ("Net exposure", 118.0)]
        columns[1] = ("Touchpoint", rect.width() - sum(width for _, width in columns))
        lefts = [rect.left() + x for x in np.cumsum([0.0] + [w for _, w in columns])[:-1]]
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        numeric = {"#", "CSAT", "Value", "Net exposure"}
        header_font = page_font(13, QFont.Weight.DemiBold)
        for (name, width), x in zip(columns, lefts, strict=True):
            cell = QRectF(x + (12 if name == "Loyalty index" else 0), rect.top(), width - 12, 30)
            draw_text(painter, cell, name, header_font, MUTED, right if name in numeric else left)
        y = rect.top() + HEADER_ROW
        draw_rule(painter, y, rect.left(), rect.right(), TEXT, 1.5)
        if not ranking:
            draw_text(painter, QRectF(rect.left(), y + 10, rect.width(), 40),
                  "Raising any touchpoint's satisfaction does not lift loyalty.", page_font(16),
                  MUTED)
            return
        best = max(gain for _, gain in ranking)
        for rank, (tid, _) in enumerate(ranking, start=1):
            record = self.analysis.touchpoint(tid)
            touchpoint = self.journey.touchpoints[tid]
            gains = {key: charts.SATISFACTION_STEP * value
                     for key, value in record.sensitivity.items()}
            cells = {
                "#": str(rank),
                "CSAT": f"{satisfaction.csat(touchpoint.satisfaction):.1f}",
                "Value": _signed(gains["value"], 2),
                "Net exposure": _signed(gains["exposure_net"], 1),
            }
            for (name, width), x in zip(columns, lefts, strict=True):
                cell = QRectF(x, y, width - 12, FIX_ROW)
                if name == "Touchpoint":
                    draw_text(painter, QRectF(x, y + 8, width - 12, 22), touchpoint.name or tid,
                          page_font(16, QFont.Weight.DemiBold), TEXT)
                    draw_text(painter, QRectF(x, y + 30, width - 12, 18),
                          stages.get(touchpoint.stage or "", "No stage"), page_font(13), MUTED)
                elif name == "Loyalty index":
                    self._gain_bar(painter, cell.adjusted(12, 0, 0, 0),
                                   record.sensitivity["loyalty_index"] / best,
                                   f"+{100 * gains['loyalty_index']:.2f}")
                else:
                    draw_text(painter, cell, cells[name],
                          page_font(16, QFont.Weight.Bold if name == "#" else QFont.Weight.Normal),
                          MUTED if name == "#" else TEXT, right)
            y += FIX_ROW
            draw_rule(painter, y, rect.left(), rect.right(), PALETTE.track)

    def _gain_bar(self, painter: QPainter, cell: QRectF, fraction: float, text: str) -> None:
        font = page_font(15, QFont.Weight.DemiBold)
        label_width = QFontMetricsF(font).horizontalAdvance("+00.00") + 8
        track = QRectF(cell.left(), cell.center().y() - 7, cell.width() - label_width, 14)
        rounded_rect(painter, track, 3, PALETTE.track)
        bar = QRectF(track.left(), track.top(), max(2.0, track.width() * fraction),
                     track.height())
        rounded_rect(painter, bar, 3, PALETTE.satisfaction[2])
        draw_text(painter, QRectF(track.right() + 8, cell.top(), label_width, cell.height()),
              text, font, TEXT)


def _signed(value: float, digits: int) -> str:
    text = f"{value:+.{digits}f}"
    return "0" if float(text) == 0 else text.replace("-", "−")
