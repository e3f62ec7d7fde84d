"""The PowerPoint deck (python-pptx, loaded here): a slide for the title, the map, the
key figures, each chart, what to fix first, the plan and the assumptions.

The tables are PowerPoint's own, with editable text, filled from tables.py's rows in
the app's formats; the map and the charts are the summary page's own drawing, cut
out of one high-resolution render (python-pptx cannot place vector pictures, and
the summary's drawing is the one the app shows). Each slide's speaker notes define
the figures on it, from kpis.py's declarations.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from cx_mapper.engine.kpis import KPI_BY_KEY, Kpi
from cx_mapper.engine.results import SENSITIVITY_TARGETS
from cx_mapper.exports.figures import ExportFigures
from cx_mapper.exports.tables import (
    Table,
    cell_text,
    fix_first_table,
    kpi_table,
    opportunity_table,
    plan_table,
    segment_table,
    shown_kpis,
)
from cx_mapper.ui.export.png import png_bytes
from cx_mapper.ui.export.summary_plan import CHARTS_HEIGHT

#: The summary is rendered this wide for the deck's pictures: the map is about 2,200
#: pixels wide, 165 dpi across a 16:9 slide. (3,200 took 0.5 s more to render and encode.)
RENDER_WIDTH = 2400
#: The pictures are compressed lightly: the deck is zipped anyway, and this took 0.2 s
#: off its 2.9 s export.
PICTURE_QUALITY = 80
#: The summary page's design width (summary.BASE_WIDTH), to find the plan's charts.
PAGE_WIDTH = 1600.0
#: 16:9, in inches.
SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5
MARGIN = 0.6
TABLE_TOP = 1.45
#: A table slide lists at most this many rows; the rest are counted under it.
ROWS_SHOWN = 12
#: The summary's pictures that get a slide each, in the page's order, with their titles.
CHART_SLIDES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("lanes", "The story, stage by stage", ()),
    ("personas", "Who the customers are", ()),
    ("loyalty", "Loyalty along the journey", ("loyalty_index",)),
    ("over_time", "Customers and word of mouth over time",
     ("exposure_positive", "exposure_negative", "referral_r")),
    ("exposure", "Who hears about it",
     ("exposure_positive", "exposure_negative", "exposure_net")),
    ("removal", "Removal effect", ("conversion_probability",)),
    ("fix_first_chart", "Where loyalty gains most", ("loyalty_index",)),
    ("waits", "Where customers wait", ()),
)


def pptx_bytes(figures: ExportFigures) -> bytes:
    """The deck of the journey, as .pptx bytes."""
    from pptx import Presentation
    from pptx.util import Inches

    project, journey = figures.project, figures.journey
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH), Inches(SLIDE_HEIGHT)
    deck.core_properties.title = f"{project.name}: {journey.name or journey.id}"
    deck.core_properties.author = "CX Mapper"
    pictures, map_svg = _pictures(figures)
    _title_slide(deck, figures)
    if "map" in pictures:
        _picture_slide(deck, "The journey as drawn", pictures["map"],
                       "Each card is a touchpoint, in its stage; arrows are the transitions. "
                       "Bars under the cards show the visits, arrow widths the flow of "
                       "customers along them.", svg=map_svg)
    table = kpi_table(figures)
    kpis = shown_kpis(figures.analysis)
    _table_slide(deck, "Key figures", table, _kpi_columns(table), _definitions(kpis),
                 widths=[3.0, 1.6, 3.4, *([1.3] * (len(_kpi_columns(table)) - 3))])
    for key, title, defined in CHART_SLIDES:
        if key in pictures:
            _picture_slide(deck, title, pictures[key],
                           _definitions([KPI_BY_KEY[k] for k in defined if k in KPI_BY_KEY]))
    fix = fix_first_table(figures)
    _table_slide(deck, "Top five touchpoints to fix", fix, list(range(len(fix.columns))),
                 "Gain from raising the touchpoint's satisfaction by 0.1 (half a CSAT point "
                 "is 0.25), exact derivatives of each figure.\n\n"
                 + _definitions([KPI_BY_KEY[k] for k in SENSITIVITY_TARGETS]),
                 widths=[0.5, 4.6, 2.0, 0.9, 1.5, 1.5, 1.5, 1.5])
    if figures.plan is not None:
        _plan_slides(deck, figures, pictures.get("plan_charts"))
    segments = segment_table(figures)
    notes = "\n".join(_assumption_lines(figures))
    _table_slide(deck, "Assumptions", segments, list(range(len(segments.columns) - 1)), notes,
                 widths=[2.8, *([1.4] * len(figures.project.segments)), 0.0], font=11)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


# -- pictures ---------------------------------------------------------------------------
def _pictures(figures: ExportFigures) -> tuple[dict[str, QImage], bytes | None]:
    """The summary's map and charts as PNGs, cut out of one render, by block key, and
    the map with its key as an SVG from the same laid-out page."""
    from cx_mapper.ui.export.summary import page_rects, render_page, summary_page
    from cx_mapper.ui.export.vector import part_svg_bytes

    page = summary_page(figures.project, figures.analysis, date=figures.date,
                        plan=figures.plan_figures)
    image = render_page(page, RENDER_WIDTH)
    rects = page_rects(page, RENDER_WIDTH)
    wanted = {"map", *(key for key, _, _ in CHART_SLIDES)}
    if "plan" in rects:  # the plan's two charts, above its tiles and table
        plan_rect = rects["plan"]
        height = round(CHARTS_HEIGHT * RENDER_WIDTH / PAGE_WIDTH)
        rects["plan_charts"] = QRect(plan_rect.left(), plan_rect.top(), plan_rect.width(),
                                     height)
        wanted.add("plan_charts")
    pictures = {key: image.copy(rect.adjusted(-8, -8, 8, 8))
                for key, rect in rects.items() if key in wanted and not rect.isEmpty()}
    return pictures, (part_svg_bytes(page, "map") if "map" in pictures else None)


# -- slides -------------------------------------------------------------------------------
def _title_slide(deck: Any, figures: ExportFigures) -> None:
    from pptx.util import Inches

    slide = deck.slides.add_slide(deck.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    for shape, top, height in ((title, 2.2, 1.5), (subtitle, 3.9, 1.4)):
        shape.left, shape.width = Inches(MARGIN), Inches(SLIDE_WIDTH - 2 * MARGIN)
        shape.top, shape.height = Inches(top), Inches(height)
    journey = figures.journey
    title.text = journey.name or journey.id
    subtitle.text = (f"{figures.project.name} · customer journey analysis\n"
                     f"{figures.date:%d %B %Y} · made with CX Mapper")
    _notes(slide, "Figures are per entering customer, mixed over the segments by share. "
                  "Each slide's notes define its figures.")


def _titled(deck: Any, title: str) -> Any:
    from pptx.util import Inches, Pt

    slide = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only"
    shape = slide.shapes.title
    shape.left, shape.top = Inches(MARGIN), Inches(0.35)
    shape.width, shape.height = Inches(SLIDE_WIDTH - 2 * MARGIN), Inches(0.95)
    shape.text = title
    for paragraph in shape.text_frame.paragraphs:
        paragraph.font.size = Pt(32)
    return slide


def _picture_slide(deck: Any, title: str, image: QImage, notes: str,
                   svg: bytes | None = None) -> None:
    from pptx.util import Inches

    slide = _titled(deck, title)
    box_width, box_height = SLIDE_WIDTH - 2 * MARGIN, SLIDE_HEIGHT - TABLE_TOP - 0.4
    fit = min(box_width / image.width(), box_height / image.height())
    width, height = image.width() * fit, image.height() * fit
    left = (SLIDE_WIDTH - width) / 2
    picture = io.BytesIO(png_bytes(image, PICTURE_QUALITY))
    shape = slide.shapes.add_picture(picture, Inches(left), Inches(TABLE_TOP), Inches(width),
                                     Inches(height))
    if svg is not None:
        _add_vector(slide, shape, svg)
    _notes(slide, notes)


#: PowerPoint's extension for an SVG drawn in place of a picture (Office 2016 and
#: later); older versions and other apps show the PNG it stands beside.
SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
SVG_NAMESPACE = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def _add_vector(slide: Any, shape: Any, svg: bytes) -> None:
    """Put the SVG beside the picture's PNG, as PowerPoint does for an inserted SVG."""
    from lxml import etree
    from pptx.opc.constants import RELATIONSHIP_TYPE
    from pptx.opc.package import Part
    from pptx.opc.packuri import PackURI
    from pptx.oxml.ns import qn

    package = slide.part.package
    used = {str(part.partname) for part in package.iter_parts()}
    number = 1
    while f"/ppt/media/vector{number}.svg" in used:
        number += 1
    part = Part(PackURI(f"/ppt/media/vector{number}.svg"), "image/svg+xml", package, svg)
    relation = slide.part.relate_to(part, RELATIONSHIP_TYPE.IMAGE)
    blip = shape._element.blipFill.find(qn("a:blip"))
    extensions = etree.SubElement(blip, qn("a:extLst"))
    extension = etree.SubElement(extensions, qn("a:ext"), uri=SVG_BLIP)
    vector = etree.SubElement(extension, f"{{{SVG_NAMESPACE}}}svgBlip",
                              nsmap={"asvg": SVG_NAMESPACE})
    vector.set(qn("r:embed"), relation)


def _table_slide(deck: Any, title: str, table: Table, columns: Sequence[int], notes: str,
                 *, widths: Sequence[float], font: int = 14, rows_shown: int = ROWS_SHOWN
                 ) -> Any:
    """A native table of `columns` of `table`; a width of 0 takes what is left."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    slide = _titled(deck, title)
    rows = min(len(table.rows), rows_shown)
    total = SLIDE_WIDTH - 2 * MARGIN
    sizes = list(widths[:len(columns)])
    sizes += [0.0] * (len(columns) - len(sizes))
    if 0.0 in sizes:
        share = max(total - sum(sizes), 1.0) / sizes.count(0.0)
        sizes = [share if size == 0.0 else size for size in sizes]
    scale = min(1.0, total / sum(sizes))
    shape = slide.shapes.add_table(rows + 1, len(columns), Inches(MARGIN), Inches(TABLE_TOP),
                                   Inches(sum(sizes) * scale), Inches(0.4 * (rows + 1)))
    grid = shape.table
    for i, size in enumerate(sizes):
        grid.columns[i].width = Inches(size * scale)
    for i, c in enumerate(columns):
        numeric = bool(table.columns[c].spec)
        _set_cell(grid.cell(0, i), table.columns[c].label, font, bold=True,
                  align=PP_ALIGN.RIGHT if numeric else None)
        for r in range(rows):
            _set_cell(grid.cell(r + 1, i), cell_text(table, r, c), font,
                      align=PP_ALIGN.RIGHT if numeric else None)
    if len(table.rows) > rows:
        box = slide.shapes.add_textbox(Inches(MARGIN), Inches(SLIDE_HEIGHT - 0.6),
                                       Inches(total), Inches(0.4))
        box.text_frame.text = f"+{len(table.rows) - rows} more, in the workbook"
        box.text_frame.paragraphs[0].font.size = Pt(12)
    _notes(slide, notes)
    return slide


def _set_cell(cell: Any, text: str, size: int, *, bold: bool = False, align: Any = None) -> None:
    from pptx.util import Pt

    cell.text = text
    for paragraph in cell.text_frame.paragraphs:
        paragraph.font.size = Pt(size)
        paragraph.font.bold = bold
        if align is not None:
            paragraph.alignment = align


def _plan_slides(deck: Any, figures: ExportFigures, charts: QImage | None) -> None:
    plan = figures.plan
    assert plan is not None
    if charts is not None:
        _picture_slide(deck, "Value against effort", charts,
                       "Left: each opportunity's cost against its exact gain on the plan's "
                       "objective; funded ones are filled. Right: the best gain each budget "
                       "buys (the frontier), with the plan's budget marked.")
    table = opportunity_table(figures)
    labels = [c.label for c in table.columns]
    wanted = [labels[i] for i in (0, 2, 3, 4, 5, 6)] + ["Funded"]
    columns = [labels.index(label) for label in wanted]
    _table_slide(deck, "The plan: what to fund", table, columns,
                 "Gains are exact: the journey analysed with each opportunity's changes. "
                 "The plan is the best bundle of opportunities for the budget"
                 + (" (proven best)." if plan.optimal else " found (not proven best)."),
                 widths=[0.5, 0.0, 1.8, 1.3, 1.4, 1.8, 1.0], font=12)
    gains = plan_table(figures)
    _table_slide(deck, "What the plan gains", gains, list(range(len(gains.columns))),
                 _definitions([KPI_BY_KEY[k] for k in plan.gains if k in KPI_BY_KEY]),
                 widths=[3.0, 1.8, 1.8, 1.8, 0.0])


# -- words --------------------------------------------------------------------------------
def _kpi_columns(table: Table) -> list[int]:
    """The key figure, its value, unit and interval (the definitions go to the notes)."""
    skip = {"What it is", "Source", "Key"}
    return [i for i, column in enumerate(table.columns) if column.label not in skip]


def _definitions(kpis: Sequence[Kpi]) -> str:
    """The figures' definitions for the speaker notes: formula and source of each."""
    return "\n\n".join(f"{kpi.label} ({kpi.unit}): {kpi.formula} Source: {kpi.source}"
                       for kpi in kpis)


def _assumption_lines(figures: ExportFigures) -> list[str]:
    analysis, journey = figures.analysis, figures.journey
    horizon = ("an infinite horizon" if analysis.horizon is None
               else f"steps 0–{analysis.horizon}")
    return [f"Totals are per entering customer over {horizon}, each step discounted at "
            f"{journey.discount_rate:.1%}. Segments are mixed by share.",
            "Method: the journey is a Markov chain; loyalty, value (after Pfeifer & "
            "Carraway, 2000), word of mouth, referrals and removal effects as defined in "
            "the CX Mapper help, How the numbers are computed.",
            "The table gives each segment's parameters and where the defaults come from.",
            *analysis.notes]


def _notes(slide: Any, text: str) -> None:
    slide.notes_slide.notes_text_frame.text = text
