"""Conversion paths row by row, for the attribution models (`cx-mapper attribution`).

path_data.py turns a path file into a journey; the attribution models need the
paths themselves: each distinct path as its channels in order, with its conversions,
conversion value and nulls. The file is checked as path_data checks it (the same
columns, bad rows and messages); DuckDB splits the paths, trims the channels, numbers
them in the order they first appear and adds up rows with the same path, so a file of
millions of rows arrives as its distinct paths.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Any

from cx_mapper.persistence.csv_source import (
    DEFAULT_MEMORY_LIMIT,
    BadRows,
)
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.path_data import (
    SEPARATOR,
    USED,
    VALUE,
    _header,
    read_checked,
)
from cx_mapper.persistence.sql_text import first_line


@dataclass(frozen=True)
class PathRows:
    """Distinct paths in the order they first appear; a path is channel numbers."""

    channels: tuple[str, ...]
    paths: tuple[tuple[int, ...], ...]
    conversions: tuple[float, ...]
    values: tuple[float, ...]
    nulls: tuple[float, ...]
    rows: int  # rows of the file used (before rows with the same path were added up)
    has_value_column: bool = False
    skipped: tuple[BadRows, ...] = field(default_factory=tuple)


def read_path_rows(path: str | os.PathLike[str], *, skip_bad_rows: bool = False,
                   memory_limit: str = DEFAULT_MEMORY_LIMIT) -> PathRows:
    """The file's paths; ProjectFileError names the file, the rows and the column when it
    cannot be used."""
    name = os.fspath(path)
    header = _header(name)
    with tempfile.TemporaryDirectory(prefix="cx-mapper-paths-") as spill:
        import duckdb  # a heavy import, only for those who read paths

        try:
            conn = duckdb.connect(config={"memory_limit": memory_limit,
                                          "temp_directory": spill})
            conn.execute("SET enable_progress_bar = false")
        except duckdb.Error as error:
            raise ProjectFileError(f"cannot read the paths: {first_line(error)}",
                                   path=name) from None
        try:
            return _read(conn, name, header, skip_bad_rows)
        except duckdb.Error as error:
            raise ProjectFileError(f"cannot read the paths: {first_line(error)}",
                                   path=name) from None
        finally:
            conn.close()


def _read(conn: Any, name: str, header: Any, skip_bad_rows: bool) -> PathRows:
    def fetch(sql: str) -> list[Any]:
        found: list[Any] = conn.execute(sql).fetchall()
        return found

    def execute(sql: str) -> None:
        conn.execute(sql)

    # The file read and checked as import-paths reads it, with the same messages.
    columns, totals, problems = read_checked(conn, name, header, skip_bad_rows=skip_bad_rows)
    rows = totals[0]
    execute("CREATE TEMP TABLE used AS SELECT seq, path_text, conversions, nulls, value "
            f"FROM parsed WHERE {USED}")
    execute(_STEPS_SQL)
    channels = [str(c) for (c,) in fetch(
        "SELECT channel FROM steps GROUP BY channel ORDER BY MIN(seen)")]
    execute("CREATE TEMP TABLE numbers AS SELECT channel, ROW_NUMBER() OVER "
            "(ORDER BY MIN(seen)) - 1 AS number FROM steps GROUP BY channel")
    found = fetch(
        "SELECT touches, SUM(conversions), SUM(value), SUM(nulls) FROM ("
        "SELECT s.seq, list(n.number ORDER BY s.k) AS touches, ANY_VALUE(s.conversions) "
        "AS conversions, ANY_VALUE(s.value) AS value, ANY_VALUE(s.nulls) AS nulls "
        "FROM steps s JOIN numbers n USING (channel) GROUP BY s.seq) p "
        "GROUP BY touches ORDER BY MIN(seq)")
    return PathRows(
        channels=tuple(channels),
        paths=tuple(tuple(int(c) for c in touches) for touches, *_ in found),
        conversions=tuple(float(row[1]) for row in found),
        values=tuple(float(row[2]) for row in found),
        nulls=tuple(float(row[3]) for row in found),
        rows=int(rows),
        has_value_column=columns[VALUE] is not None,
        skipped=tuple(bad for bad, _ in problems),
    )


# Channels trimmed as path_data trims them, numbered within a row by k.
_STEPS_SQL = f"""
CREATE TEMP TABLE steps AS
SELECT seq, conversions, value, nulls, TRIM(channel) AS channel, k,
       ROW_NUMBER() OVER (ORDER BY seq, k) AS seen
FROM (SELECT seq, conversions, value, nulls, UNNEST(parts) AS channel,
             UNNEST(generate_series(1, len(parts))) AS k
      FROM (SELECT *, string_split(path_text, '{SEPARATOR}') AS parts FROM used) u) s
"""
