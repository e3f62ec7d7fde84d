"""The HTML report of a journey: one self-contained file that opens offline (Qt-free).

It holds what the deck holds (pptx_deck.py): the key figures as tiles with their
intervals, the map with each card's and arrow's details on hover, the summary's
charts as inline SVG, what to fix first, the plan and every table of the workbook,
written from tables.py's rows in the app's formats so the numbers are the workbook's.
The drawings come from the caller (ui/export/html_figures.py draws them with Qt);
without them the report is the tables alone. Nothing is fetched: no script, no web
font, no address; the styles are inline and print well.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from cx_mapper.domain.quoting import counted
from cx_mapper.engine.kpis import kpi_details
from cx_mapper.exports.figures import ExportFigures
from cx_mapper.exports.html_map import map_section
from cx_mapper.exports.html_style import CONTENT_WIDTH, CSS, GUTTER
from cx_mapper.exports.html_svg import Picture, ReportPictures
from cx_mapper.exports.tables import (
    Table,
    about_table,
    cell_text,
    fix_first_table,
    frontier_table,
    kpi_table,
    opportunity_table,
    plan_table,
    segment_table,
    touchpoint_table,
    transition_table,
)

#: The summary blocks shown as pictures, in the page's order; fix_first is the table.
CHART_ORDER = ("lanes", "personas", "loyalty", "over_time", "exposure", "fix_first",
               "removal", "fix_first_chart", "waits")
#: The opportunity table's columns the plan shows beside the first seven.
PLAN_COLUMNS = ("Funded", "P(gain > 0)", "P(in the best plan)", "Cannot apply because")
#: The fix-first table's share of a row beside its chart, in design units.
FIX_FIRST_WIDTH = 808.0


def html_report(figures: ExportFigures, pictures: ReportPictures | None = None) -> str:
    """The report as the text of one HTML file."""
    pictures = pictures or ReportPictures()
    project, journey = figures.project, figures.journey
    title = f"{project.name}: {journey.name or journey.id}"
    touchpoints, transitions = touchpoint_table(figures), transition_table(figures)
    css: list[str] = [CSS]
    parts = [_header(figures), _tiles(figures)]
    if pictures.sure is not None:
        parts.append(f'<div class="sure">{pictures.sure.svg}</div>')
    drawing = pictures.map
    caption = "Each card is a touchpoint, in its stage; arrows are the transitions. Hover " \
              "over or tab to a card or an arrow for its figures."
    body = ""
    if drawing is None and not journey.touchpoints:
        body = '<p class="empty">This journey has no touchpoints yet.</p>'
    elif drawing is not None:
        if drawing.laid_out:
            caption += " (Laid out by stage: the file has no positions.)"
        mapped, rules = map_section(journey, drawing, touchpoints, transitions)
        css.append(rules)
        key = f'<div class="key">{drawing.key_svg}</div>' if drawing.key_svg else ""
        body = f'<div class="map-row"><div class="map-frame">{mapped}</div>{key}</div>'
    if body:  # without drawings (the tables alone) there is no map to show
        parts.append(_section("map", "The journey as drawn", caption, body))
    parts.append(_charts(figures, pictures.charts))
    if figures.plan is not None:
        parts.append(_plan(figures, pictures.plan_charts))
    parts.append(_tables(figures, touchpoints, transitions))
    parts.append(_footer(figures))
    return ("<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="CX Mapper">\n'
            f"<title>{escape(title)}</title>\n<style>{''.join(css)}</style>\n</head>\n"
            f"<body>\n<main>\n{chr(10).join(parts)}\n</main>\n</body>\n</html>\n"
            ).replace("://", ":&#47;/")  # text that names an address stays text


# -- the top of the page ---------------------------------------------------------------
def _header(figures: ExportFigures) -> str:
    project, journey, analysis = figures.project, figures.journey, figures.analysis
    horizon = ("infinite horizon" if analysis.horizon is None
               else f"steps 0–{analysis.horizon}")
    size = counted(len(analysis.ids), "touchpoint")
    if journey.stages:
        size += f" in {counted(len(journey.stages), 'stage')}"
    date = figures.date
    return (f'<header class="top"><div><p class="eyebrow">{escape(project.name)}</p>'
            f"<h1>{escape(journey.name or journey.id)}</h1>"
            f'<p class="subtitle">Customer journey report · {escape(size)} · {horizon} · '
            "figures per entering customer</p></div>"
            f'<div class="dated"><strong>{date.day} {date:%B %Y}</strong>'
            '<span class="muted">CX Mapper</span></div></header>')


def _tiles(figures: ExportFigures) -> str:
    """The key figures as the summary's tiles: value, 90% interval, unit."""
    analysis, found = figures.analysis, figures.uncertainty
    tiles = []
    for kpi, value, detail in kpi_details(analysis):
        number = kpi.value(analysis)
        tone = ("" if not kpi.signed or not number else " good" if number > 0 else " bad")
        band = found.intervals.get(kpi.key) if found is not None else None
        interval = (f'<div class="interval">{escape(kpi.interval_text(band))}</div>'
                    if band is not None else "")
        tiles.append(f'<div class="tile" data-kpi="{kpi.key}"><div class="label">'
                     f'{escape(kpi.label)}</div><div class="value{tone}">{escape(value)}</div>'
                     f'{interval}<div class="detail">{escape(detail)}</div></div>')
    return f'<div class="tiles" aria-label="Key figures">{"".join(tiles)}</div>'


# -- sections ---------------------------------------------------------------------------
def _section(key: str, title: str, caption: str, body: str) -> str:
    return (f'<section id="{key}"><h2>{escape(title)}</h2>'
            f'<p class="caption">{escape(caption)}</p>{body}</section>')


def _figure(key: str, title: str, caption: str, body: str, width: float) -> str:
    share = min(1.0, (width + GUTTER / 2) / CONTENT_WIDTH)
    return (f'<figure class="fig" id="{key}" style="--p: {100 * share:.2f}%; '
            f'--g: {GUTTER * (1 - share) + 0.5:.1f}px">'
            f'<h2>{escape(title)}</h2><p class="caption">{escape(caption)}</p>{body}</figure>')


def _charts(figures: ExportFigures, charts: Iterable[Picture]) -> str:
    """The summary's pictures in its order, side by side where the page has them so,
    with the fix-first table beside its chart."""
    by_key = {picture.key: picture for picture in charts}
    items = []
    for key in CHART_ORDER:
        if key == "fix_first":
            table = fix_first_table(figures)
            body = (_table(table) if table.rows else '<p class="muted">Raising any '
                    "touchpoint's satisfaction does not lift loyalty.</p>")
            items.append(_figure("fix_first", "Top five touchpoints to fix",
                                 "Gain from raising satisfaction by 0.1 (half a CSAT point "
                                 "is 0.25)", body, FIX_FIRST_WIDTH))
        elif key in by_key:
            picture = by_key[key]
            items.append(_figure(key, picture.title, picture.caption, picture.svg,
                                 min(picture.width, CONTENT_WIDTH)))
    return f'<section class="row" id="charts">{"".join(items)}</section>'


def _plan(figures: ExportFigures, charts: Picture | None) -> str:
    parts = [charts.svg] if charts is not None else []
    table = opportunity_table(figures)
    labels = [column.label for column in table.columns]
    # The deck's columns and the odds: each figure's change is in the workbook.
    shown = [i for i, label in enumerate(labels)
             if (i in (0, 2, 3, 4, 5, 6) or label in PLAN_COLUMNS)
             and any(cell not in (None, "") for cell in table.column(label))]
    parts.append(f"<h3>What to fund</h3>{_table(table, shown)}")
    parts.append(f"<h3>What the plan gains</h3>{_table(plan_table(figures))}")
    parts.append(f"<h3>What more money would buy</h3>{_table(frontier_table(figures))}")
    caption = charts.caption if charts is not None else "The best bundle of opportunities " \
                                                        "for the budget"
    return _section("plan", "The plan: what to fund", caption, "".join(parts))


def _tables(figures: ExportFigures, touchpoints: Table, transitions: Table) -> str:
    """Every table of the workbook, as the sheets name them."""
    kpis = kpi_table(figures)
    shown = [i for i, column in enumerate(kpis.columns) if column.label != "Key"]
    parts = [
        _section("kpis", "Key figures", "Each total per entering customer, with its "
                 "definition; with evidence, the 5–95% interval of the draws",
                 _table(kpis, shown)),
        _section("touchpoints", "Touchpoints", "Each touchpoint's inputs and figures, "
                 "in map order", _table(touchpoints)),
        _section("transitions", "Transitions", "Each arrow's probability and the flow of "
                 "customers along it", _table(transitions)),
        _section("segments", "Segments", "Each segment's share and parameters, with where "
                 "the defaults come from", _table(segment_table(figures))),
        _section("about", "About these figures", "", _table(about_table(figures))),
    ]
    return f'<div class="tables">{"".join(parts)}</div>'


def _table(table: Table, columns: list[int] | None = None) -> str:
    """A table of tables.py in the app's formats; numbers right-aligned."""
    chosen = list(range(len(table.columns))) if columns is None else columns
    numeric = [bool(table.columns[c].spec) for c in chosen]
    head = "".join(f'<th scope="col"{_n(n)}>{escape(table.columns[c].label)}</th>'
                   for c, n in zip(chosen, numeric, strict=True))
    texts = [[cell_text(table, r, c) for c in chosen] for r in range(len(table.rows))]
    kinds = [_n(n) or _wide(max((len(row[i]) for row in texts), default=0))
             for i, n in enumerate(numeric)]
    rows = ["<tr>" + "".join(f"<td{kind}>{escape(text)}</td>"
                             for kind, text in zip(kinds, row, strict=True)) + "</tr>"
            for row in texts]
    return (f'<div class="scroll"><table data-table="{table.key}"><thead><tr>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table></div>')


def _n(numeric: bool) -> str:
    return ' class="n"' if numeric else ""


def _wide(longest: int) -> str:
    """A text column of long cells keeps room to read them, the table scrolling."""
    return ' class="ww"' if longest > 60 else ' class="w"' if longest > 20 else ""


def _footer(figures: ExportFigures) -> str:
    analysis, journey = figures.analysis, figures.journey
    horizon = ("an infinite horizon" if analysis.horizon is None
               else f"steps 0–{analysis.horizon}")
    lines = [f"Totals are per entering customer over {horizon}, each step discounted at "
             f"{journey.discount_rate:.1%}. Segments are mixed by share.",
             "Method: the journey is a Markov chain; loyalty, value (after Pfeifer & "
             "Carraway, 2000), word of mouth, referrals and removal effects as defined in "
             "the CX Mapper help, How the numbers are computed.",
             *analysis.notes,
             f"Made with CX Mapper on {figures.date.isoformat()}."]
    return "<footer>" + "".join(f"<p>{escape(line)}</p>" for line in lines) + "</footer>"
