"""The Excel workbook: one sheet per table of tables.py (Qt-free; openpyxl, loaded here).

Numbers stay numbers, in the number format their KPI declares (kpis.py's "+.1f" is
Excel's +0.0;-0.0;0.0), so a spreadsheet sums and charts them; the header row is
frozen and filtered, and each column is as wide as what it holds.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from typing import Any

from cx_mapper.exports.tables import Cell, Table

#: Columns are at most this wide (characters); longer text wraps.
MAX_WIDTH = 60
#: Columns of long explanations: wrapped at this width.
PROSE_WIDTH = 70
_SPEC = re.compile(r"^(?P<sign>\+)?(?P<comma>,)?(?:\.(?P<digits>\d+))?(?P<kind>[fd%g])?$")
HEADER_FILL = "E8EAED"


def excel_format(spec: str) -> str:
    """kpis.py's format spec as an Excel number format: ",.2f" -> "#,##0.00",
    ".1%" -> "0.0%", "+.1f" -> "+0.0;-0.0;0.0"; "" or "g" -> General."""
    found = _SPEC.match(spec)
    if not spec or found is None or found["kind"] in (None, "g"):
        return "General"
    digits = int(found["digits"] or 0)
    fraction = "." + "0" * digits if digits else ""
    whole = "#,##0" if found["comma"] else "0"
    base = f"0{fraction}%" if found["kind"] == "%" else f"{whole}{fraction}"
    return f"+{base};-{base};{base}" if found["sign"] else base


def xlsx_bytes(tables: Sequence[Table], *, title: str = "") -> bytes:
    """The workbook with a sheet per table, in order, as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.creator = "CX Mapper"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=HEADER_FILL)
    wrap = Alignment(wrap_text=True, vertical="top")
    for table in tables:
        sheet = book.create_sheet(table.title[:31])
        sheet.append([column.label for column in table.columns])
        for cell in sheet[1]:
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
        formats = [[excel_format(table.spec(r, c)) for c in range(len(table.columns))]
                   for r in range(len(table.rows))]
        for r, row in enumerate(table.rows):
            sheet.append([_value(value) for value in row])
            for c, cell in enumerate(sheet[r + 2]):
                if isinstance(row[c], str):
                    cell.data_type = "s"  # a name such as "=1+1" is text, not a formula
                elif formats[r][c] != "General":
                    cell.number_format = formats[r][c]
        widths = _widths(table)
        for c, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(c)].width = width
            if width >= PROSE_WIDTH:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=c, max_col=c):
                    cell.alignment = wrap
        lines = max(math.ceil(len(col.label) / max(width - 1, 1))
                    for col, width in zip(table.columns, widths, strict=True))
        sheet.row_dimensions[1].height = 15 * lines
        # Wide tables keep their first column (the touchpoint, the KPI) in view too.
        sheet.freeze_panes = "B2" if len(table.columns) > 4 else "A2"
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        _print_setup(sheet, sum(widths))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


#: Columns wider than this (in Excel's character widths) print on a landscape page.
LANDSCAPE_WIDTH = 110


def _print_setup(sheet: Any, width: float) -> None:
    """Printed, each sheet is as wide as one page (landscape when it is wide) and as
    many pages long as it needs, its header row repeated on every page."""
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.orientation = "landscape" if width > LANDSCAPE_WIDTH else "portrait"
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = False


def _value(value: Cell) -> Cell:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _widths(table: Table) -> list[float]:
    """Each column as wide as its longest shown value or its header's longest word."""
    widths = []
    for c, column in enumerate(table.columns):
        longest = max((len(word) for word in column.label.split()), default=4)
        for r, row in enumerate(table.rows[:2000]):  # a big map's first rows tell enough
            value = row[c]
            if value is None:
                continue
            if isinstance(value, str):
                size = len(value)
            elif isinstance(value, bool):
                size = 5
            else:
                spec = table.spec(r, c)
                size = len(format(value, spec if spec and spec != "g" else "g"))
            longest = max(longest, size)
        widths.append(float(min(longest + 2, PROSE_WIDTH if longest > MAX_WIDTH else MAX_WIDTH)))
    return widths
