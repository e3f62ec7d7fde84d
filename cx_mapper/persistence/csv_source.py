"""How a data file is handed to DuckDB: checked first, then read with a fixed dialect.

The event log and the path readers share this. A file is looked at before it is
opened, so a folder, a named pipe or a device is refused at once instead of
hanging or failing deep in DuckDB. A CSV's header is read here and DuckDB is told
the columns, the delimiter and the quote, rather than left to guess them from a
sample: a guess made on a damaged sample read an unterminated quote as part of a
touchpoint's name, where a fixed dialect makes that line a bad row. A gzip file
(`.csv.gz`, or gzip content under any name) is read as the CSV inside it.
"""

from __future__ import annotations

import csv
import gzip
import os
import re
import stat
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.sql_text import printable, quote_text

#: How much of the file the header and the encoding checks read.
HEAD_BYTES = 65536
#: The longest line DuckDB reads (its own default); a longer one is a bad row.
MAX_LINE_BYTES = 2_000_000
#: DuckDB's memory limit for an import; past it, DuckDB spills to a temporary folder.
DEFAULT_MEMORY_LIMIT = "1GB"
_GZIP_MAGIC = b"\x1f\x8b"

Fetch = Callable[[str], list[Any]]
Execute = Callable[[str], None]


@dataclass(frozen=True)
class BadRows:
    """Rows that cannot be used, and why (row numbers count data rows from 1)."""

    reason: str
    rows: tuple[int, ...]
    count: int

    def describe(self, shown: int = 10) -> str:
        rows = self.rows[:shown]
        words = ", ".join(str(r) for r in rows)
        more = f" and {self.count - len(rows):,} more" if self.count > len(rows) else ""
        return f"{self.reason}: row{'s' if self.count > 1 else ''} {words}{more}"


#: The longest account of bad rows in a message, which is one line of a terminal.
_ACCOUNT_CHARACTERS = 320


def describe_bad_rows(problems: list[BadRows]) -> str:
    """Every kind of bad row with its first rows, in fewer rows each when there are
    many kinds, and past the length of a line, how many kinds more."""
    for shown in (10, 5, 3, 1):
        text = "; ".join(bad.describe(shown) for bad in problems)
        if len(text) <= _ACCOUNT_CHARACTERS:
            return text
    kept: list[str] = []
    for bad in problems:
        if len("; ".join([*kept, bad.describe(1)])) > _ACCOUNT_CHARACTERS - 30:
            break
        kept.append(bad.describe(1))
    return "; ".join(kept) + f"; and {len(problems) - len(kept)} more kinds of bad row"




@dataclass(frozen=True)
class CsvHeader:
    """What DuckDB is told about a CSV file instead of sniffing it."""

    delimiter: str
    names: tuple[str, ...]
    gzip: bool


def check_regular_file(name: str, what: str) -> None:
    """ProjectFileError unless `name` is a file that can be read to its end: checked by
    its type before it is opened, since opening a named pipe waits for a writer."""
    try:
        mode = os.stat(name).st_mode
    except FileNotFoundError:
        raise ProjectFileError("file not found", path=name) from None
    except OSError as error:
        raise ProjectFileError(f"cannot be read: {error.strerror or error}",
                               path=name) from None
    if stat.S_ISDIR(mode):
        raise ProjectFileError(f"is a folder, not {what}", path=name)
    if not stat.S_ISREG(mode):
        raise ProjectFileError("is not a regular file but a pipe, socket or device; copy "
                               "the data into a file and give that", path=name)


def is_gzip(name: str) -> bool:
    with open(name, "rb") as file:
        return file.read(2) == _GZIP_MAGIC


def read_head(name: str) -> tuple[bytes, bool]:
    """The first HEAD_BYTES of the text, unpacked when the file is gzip; and whether it was."""
    try:
        if is_gzip(name):
            with gzip.open(name, "rb") as packed:
                return packed.read(HEAD_BYTES), True
        with open(name, "rb") as file:
            return file.read(HEAD_BYTES), False
    except (OSError, EOFError, zlib.error) as error:
        raise ProjectFileError(f"is gzip but cannot be unpacked ({error}); check that the "
                               "file is complete", path=name) from None


def read_header(name: str) -> CsvHeader:
    """The header of a UTF-8 CSV file (plain or gzip); ProjectFileError when the file is
    empty or no UTF-8 text."""
    head, packed = read_head(name)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if len(head) < HEAD_BYTES or error.start < len(head) - 4:  # not a cut character
            raise ProjectFileError(
                f"the file is not UTF-8 text (byte {error.start + 1}); save it as UTF-8 CSV",
                path=name) from None
        text = head[:error.start].decode("utf-8")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ProjectFileError("the file is empty", path=name)
    line = re.split(r"\r\n|\r|\n", text, maxsplit=1)[0]  # the line ends DuckDB knows
    delimiter = _delimiter(line) or ","
    names = next(csv.reader([line], delimiter=delimiter), [])
    return CsvHeader(delimiter, _unique([n.strip() for n in names]), packed)


def read_csv_sql(name: str, header: CsvHeader, options: str = "") -> str:
    """The DuckDB read_csv call for the file: every column as text, no sniffing.

    A line with a quote that is not closed, with other than the header's number of
    fields, or longer than MAX_LINE_BYTES is an error DuckDB reports (or, with
    `store_rejects = true` in `options`, sets aside) instead of a row.
    """
    columns = ", ".join(f"{quote_text(n)}: 'VARCHAR'" for n in header.names)
    compression = "gzip" if header.gzip else "none"
    return (f"read_csv({quote_text(name)}, header = true, auto_detect = false, "
            f"columns = {{{columns}}}, delim = {quote_text(header.delimiter)}, "
            f"quote = '\"', escape = '\"', compression = '{compression}', "
            f"max_line_size = {MAX_LINE_BYTES}{options})")


def _delimiter(header: str) -> str | None:
    """The delimiter of a header line: the most common of , ; tab | outside quotes."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


def _unique(names: list[str]) -> tuple[str, ...]:
    """Column names as DuckDB would give them: a blank one is columnN, a repeat gets _1."""
    seen: set[str] = set()
    result: list[str] = []
    for index, name in enumerate(names):
        name = name or f"column{index}"
        candidate, suffix = name, 1
        while candidate.lower() in seen:
            candidate, suffix = f"{name}_{suffix}", suffix + 1
        seen.add(candidate.lower())
        result.append(candidate)
    return tuple(result)


#: DuckDB's reasons for setting a CSV line aside, as the message says them ({fields}:
#: how many the header has; {column}: " in column 'x'").
_REJECTED = {
    "MISSING COLUMNS": "a line without the header's {fields} fields",
    "TOO MANY COLUMNS": "a line without the header's {fields} fields",
    "INVALID UNICODE": "a line that is not UTF-8 text",
    "INVALID ENCODING": "a line that is not UTF-8 text",
    "LINE SIZE OVER MAXIMUM": f"a line longer than {MAX_LINE_BYTES:,} bytes",
    "UNQUOTED VALUE": "a stray quote{column} (quote the whole value, doubling the quotes in it)",
}


def malformed_rows(fetch: Fetch, execute: Execute, names: list[str], where: str, *,
                   reasons: Mapping[str, str] | None = None) -> list[BadRows]:
    """The CSV lines DuckDB set aside (its reject tables), by kind. When there are any,
    the view cx_mapper_renumbered gives the other rows of cx_mapper_rows (numbered in
    `seq`) their numbers in the file; `reasons` words some of DuckDB's kinds otherwise.

    A line set aside that runs on over the next lines is a quote never closed: it
    swallowed those lines, so skipping it would lose them; the file is refused."""
    runs_on = "strpos(rtrim(csv_line, chr(13) || chr(10)), chr(10)) > 0"
    rejected = fetch("SELECT line - 1 AS row, MIN(error_type), MIN(column_idx), "
                     f"bool_or({runs_on}) FROM reject_errors GROUP BY line ORDER BY row")
    if not rejected:
        return []
    kinds: dict[str, list[int]] = {}
    for row, error_type, column, runs_on in rejected:
        if runs_on and error_type in ("UNQUOTED VALUE", "LINE SIZE OVER MAXIMUM"):
            raise ProjectFileError(
                f"row {row}{_in_column(names, column)}: a quote is opened and not closed, so "
                "the lines after it would be read as one value. Close the quote; nothing "
                "was imported.", path=where)
        reason = {**_REJECTED, **(reasons or {})}.get(str(error_type),
                                                      "a line that cannot be read as CSV")
        reason = reason.format(fields=len(names), column=_in_column(names, column))
        kinds.setdefault(reason, []).append(int(row))
    # The k-th row read is row k + i of the file, i being the number of lines set
    # aside before it: the largest i with row_i - i + 1 <= k (rows sorted).
    execute("CREATE TABLE cx_mapper_shifts AS SELECT row - i + 1 AS k, MAX(i) AS i FROM "
            "(SELECT line - 1 AS row, ROW_NUMBER() OVER (ORDER BY line) AS i FROM "
            "(SELECT DISTINCT line FROM reject_errors) l) r GROUP BY row - i + 1")
    execute("CREATE VIEW cx_mapper_renumbered AS SELECT r.* REPLACE (r.seq + COALESCE(s.i, 0) "
            "AS seq) FROM cx_mapper_rows r ASOF LEFT JOIN cx_mapper_shifts s ON r.seq >= s.k")
    return [BadRows(reason, tuple(rows[:10]), len(rows)) for reason, rows in kinds.items()]


def _in_column(names: list[str], index: int | None) -> str:
    """", column 'x'" for DuckDB's 1-based column index, when it gives one."""
    if index is None or not 1 <= int(index) <= len(names):
        return ""
    return f" in column '{printable(names[int(index) - 1], 40)}'"


def check_line_breaks(fetch: Fetch, table: str, columns: list[str], where: str, *,
                      file: str | None = None) -> None:
    """Refuse a quoted value that runs over lines in one of `columns` of `table` (with
    its row numbers in `seq`): it is almost always a quote closed too late, which
    swallowed the lines between, so skipping the row would lose them.

    Only a quoted value holds a line break: when `file`, the plain CSV the table was
    read from, has no quote at all, the scan of the table is skipped."""
    if not columns or (file is not None and not _has_quote(file)):
        return
    found = fetch(f"SELECT MIN(seq) FROM {table} WHERE " + " OR ".join(
        f"strpos(CAST({column} AS VARCHAR), chr(10)) > 0" for column in columns))[0][0]
    if found is not None:
        raise ProjectFileError(
            f"row {found}: a quoted value runs over several lines, so a quote is probably "
            "closed too late and the lines between were read as one value. Fix the "
            "quotes; nothing was imported.", path=where)


def _has_quote(name: str) -> bool:
    """Whether a plain file has a '"' anywhere (a gzip file is taken to have one)."""
    try:
        with open(name, "rb") as data:
            if data.read(2) == _GZIP_MAGIC:
                return True
            data.seek(0)
            while chunk := data.read(1 << 22):
                if b'"' in chunk:
                    return True
    except OSError:
        return True  # let the scan decide
    return False
