"""Every export format, by the extension that names it: one writer each.

A writer takes the journey's figures (figures.py) and returns the file's bytes, or for
CSV one file's bytes per table, with a word on what it made; the caller writes them
(`write_files`), each file replaced atomically, so a failed export leaves every old
file as it was. The app's File > Export… and `cx-mapper export` both go through this
table: adding a format is one entry in FORMATS. The writers load their libraries
(Qt, openpyxl, python-pptx) only when they run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cx_mapper.exports.figures import ExportFigures
from cx_mapper.persistence.atomic import write_atomically


@dataclass(frozen=True)
class ExportOptions:
    """What the user chose beside the format."""

    width: int = 2400  # the PNG summary's pixels
    #: The PDF summary's pages: "tall" (one page as tall as the summary) or a paper
    #: name of exports.paper.SUMMARY_PAGES, split between sections.
    page: str = "tall"
    landscape: bool = False  # the summary's pages, or the poster's, turned
    #: PDF and SVG: the map alone (the PDF is then a poster of the map).
    map_alone: bool = False
    paper: str = "A3"  # the poster's paper (exports.paper.PAPERS)
    across: int = 1  # the poster's pages across: 1 fits the map on one page
    overlap_mm: float = 10.0  # tiled poster pages repeat this much of their neighbours


@dataclass(frozen=True)
class Exported:
    """A writer's output: one file's bytes, or each table's by its key (CSV)."""

    data: bytes | Mapping[str, bytes]
    detail: str  # "2400 × 7533 px", "8 sheets", "14 slides"
    what: str | None = None  # what it is, when not the format's own ("the map")


@dataclass(frozen=True)
class ExportFormat:
    extension: str  # ".xlsx"
    name: str  # "Excel workbook", as the dialog lists it
    what: str  # "the workbook", as "Wrote OUT: the workbook of 'Journey'" says it
    write: Callable[[ExportFigures, ExportOptions], Exported]
    needs_qt: bool  # draws with Qt: the command line starts an offscreen application
    intervals: bool = True  # shows the KPI intervals when the journey has evidence
    about: str = ""  # what it holds, in a line, under the dialog's choice


def _png(figures: ExportFigures, options: ExportOptions) -> Exported:
    from cx_mapper.ui.export.png import png_bytes
    from cx_mapper.ui.export.summary import render_summary

    image = render_summary(figures.project, figures.analysis, width=options.width,
                           date=figures.date, plan=figures.plan_figures,
                           uncertainty=figures.uncertainty)
    return Exported(png_bytes(image), f"{image.width()} x {image.height()} px")


def _svg(figures: ExportFigures, options: ExportOptions) -> Exported:
    if options.map_alone:
        from cx_mapper.ui.export.map_picture import MapPicture, map_svg_bytes

        journey = figures.journey
        picture = MapPicture(figures.project, journey, figures.analysis)
        data, size = map_svg_bytes(picture, f"{figures.project.name}: "
                                   f"{journey.name or journey.id}")
        return Exported(data, f"{size.width()} x {size.height()} px, text as text",
                        "the map")
    from cx_mapper.ui.export.summary import summary_page
    from cx_mapper.ui.export.vector import svg_bytes

    data, size = svg_bytes(summary_page(figures.project, figures.analysis, date=figures.date,
                                         plan=figures.plan_figures,
                                         uncertainty=figures.uncertainty))
    return Exported(data, f"{size.width()} x {size.height()} px, text as text")


def _pdf(figures: ExportFigures, options: ExportOptions) -> Exported:
    if options.map_alone:
        from cx_mapper.ui.export.poster import poster_pdf

        data, detail = poster_pdf(figures, options.paper, landscape=options.landscape,
                                  across=options.across, overlap_mm=options.overlap_mm)
        return Exported(data, detail, "the poster")
    from cx_mapper.ui.export.summary import summary_page
    from cx_mapper.ui.export.vector import paged_pdf_bytes, pdf_bytes

    page = summary_page(figures.project, figures.analysis, date=figures.date,
                        plan=figures.plan_figures, uncertainty=figures.uncertainty)
    if options.page != "tall":
        data, count, _ = paged_pdf_bytes(page, options.page, options.landscape)
        turned = "landscape" if options.landscape else "portrait"
        return Exported(data, f"{count} {options.page} {turned} pages")
    data, points = pdf_bytes(page)
    return Exported(data, f"one page of {points.width():.0f} x {points.height():.0f} pt")


def _xlsx(figures: ExportFigures, _options: ExportOptions) -> Exported:
    from cx_mapper.exports.tables import export_tables
    from cx_mapper.exports.xlsx import xlsx_bytes

    tables = export_tables(figures)
    journey = figures.journey
    return Exported(xlsx_bytes(tables, title=f"{figures.project.name}: "
                               f"{journey.name or journey.id}"),
                    f"{len(tables)} sheets")


def _csv(figures: ExportFigures, _options: ExportOptions) -> Exported:
    from cx_mapper.exports.csv_tables import csv_files
    from cx_mapper.exports.tables import export_tables

    files = csv_files(export_tables(figures))
    return Exported(files, f"{len(files)} files")


def _pptx(figures: ExportFigures, _options: ExportOptions) -> Exported:
    from cx_mapper.ui.export.pptx_deck import pptx_bytes

    data = pptx_bytes(figures)
    return Exported(data, "a slide each for the map, the key figures, the charts, the plan "
                          "and the assumptions")


def _html(figures: ExportFigures, _options: ExportOptions) -> Exported:
    from cx_mapper.exports.html_report import html_report
    from cx_mapper.ui.export.html_figures import report_pictures

    pictures = report_pictures(figures)
    data = html_report(figures, pictures).encode("utf-8")
    return Exported(data, f"one self-contained page, {len(data) / 1e6:.1f} MB, opens "
                          "offline")


#: The formats by extension, in the order the app lists them.
FORMATS: dict[str, ExportFormat] = {f.extension: f for f in (
    ExportFormat(".png", "PNG summary (one page)", "the summary", _png, True,
                 about="One page: the map, the key figures, the charts, what to fix first, "
                 "the plan and the assumptions."),
    ExportFormat(".pdf", "PDF summary", "the summary", _pdf, True,
                 about="The PNG's page as vectors: real text you can select and search, "
                 "the map and charts sharp at any zoom; on one tall page, or on A4, A3 "
                 "or Letter pages split between sections."),
    ExportFormat(".svg", "SVG summary", "the summary", _svg, True,
                 about="The PNG's page as an SVG drawing, its text as text, to edit or "
                 "place in a web page."),
    ExportFormat(".xlsx", "Excel workbook", "the workbook", _xlsx, False,
                 about="A sheet each for the key figures, touchpoints, transitions, "
                 "segments, opportunities and the plan, as real numbers."),
    ExportFormat(".csv", "CSV files (one per table)", "the tables", _csv, False,
                 about="One file per table (kpis.csv, touchpoints.csv …) in the folder; a "
                 "folder that does not exist yet is made."),
    ExportFormat(".pptx", "PowerPoint deck", "the deck", _pptx, True,
                 about="A slide each for the map, the key figures, the charts, what to fix "
                 "first, the plan and the assumptions, with editable tables."),
    ExportFormat(".html", "HTML report (one self-contained file)", "the report", _html, True,
                 about="One web page that opens offline: the map with each card's and "
                 "arrow's figures on hover, the key figures, the charts, the plan and every "
                 "table; it prints well."),
)}


#: The map alone, beside the summary, for the formats that draw it: the dialog's name
#: and its line on what it holds (`cx-mapper export … --page poster`).
MAP_ALONE: dict[str, tuple[str, str]] = {
    ".pdf": ("PDF poster of the map", "The map alone, to print on a wall: fitted on one "
             "sheet, or tiled across sheets with overlaps, crop marks and page labels."),
    ".svg": ("SVG of the map alone", "The map as drawn, without the rest of the summary, "
             "its text as text."),
}


def format_for(path: str) -> ExportFormat | None:
    """The format a file name's extension names, or None."""
    return FORMATS.get(os.path.splitext(path)[1].lower())


def known_extensions() -> str:
    return ", ".join(FORMATS)


def output_files(exported: Exported, out: str, *, folder: bool = False) -> dict[str, bytes]:
    """Where each file of an export goes: OUT itself, or for each table of CSV files
    OUT-KEY.csv beside OUT, or KEY.csv inside the folder OUT (`folder`, as the app)."""
    if isinstance(exported.data, bytes):
        return {out: exported.data}
    from cx_mapper.exports.csv_tables import csv_path

    return {(os.path.join(out, f"{key}.csv") if folder else csv_path(out, key)): data
            for key, data in exported.data.items()}


def write_files(files: Mapping[str, bytes]) -> None:
    """Replace each file in one step; all the bytes are made before the first is written."""
    for path, data in files.items():
        write_atomically(path, data)
