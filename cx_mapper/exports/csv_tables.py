"""CSV files: one per table of tables.py (Qt-free).

Numbers are written in full precision with a "." decimal point (Python's shortest
exact form), percentages as fractions, an undefined figure as an empty field, flags
as TRUE and FALSE. The text is UTF-8 with a byte-order mark, so Excel reads names in
any script right. A text that starts like a formula (=, +, -, @) gets a leading
apostrophe, as spreadsheets do, so opening the file never runs it.

From the command line, OUT.csv names the files: OUT-kpis.csv, OUT-touchpoints.csv
and so on, one per table key; the app writes kpis.csv, touchpoints.csv ... into the
folder the user picks.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Sequence

from cx_mapper.exports.tables import Cell, Table

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_bytes(table: Table) -> bytes:
    """One table as CSV: the header, then one line a row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_field(column.label) for column in table.columns])
    writer.writerows([_field(value) for value in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_files(tables: Sequence[Table]) -> dict[str, bytes]:
    """Each table's CSV, by its key ("kpis", "touchpoints" ...)."""
    return {table.key: csv_bytes(table) for table in tables}


def csv_path(out: str, key: str) -> str:
    """Where the command line writes one table of OUT.csv: OUT-KEY.csv."""
    stem, extension = os.path.splitext(out)
    return f"{stem}-{key}{extension or '.csv'}"


def _field(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, int):
        return str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value
