"""Aggregated conversion paths into a journey: the common multi-touch attribution format.

One row per distinct path, as attribution tools export them:

    path;total_conversions;total_conversion_value;total_null
    Search > Email > Search;12;840.50;30

`total_conversions` customers took the path and converted, `total_null` took it and
did not. The journey is the first-order Markov chain of MODEL.md §8: one touchpoint
per channel and a "Conversion" goal. Each row counts (total_conversions +
total_null) times, so the entry shares are where the weighted paths start, a
transition a -> b is how often a is directly followed by b per visit of a, the last
channel goes on to Conversion with the row's conversions, and the nulls leave (the
exit is what the probabilities leave over). A repeat `a > a` is a self-loop: the
model, the checks and the engine all allow loops, and it keeps a channel's visits
(and so its removal effect) as the data has them.

DuckDB does the splitting and counting, so files of millions of paths are read without
Python loops, in bounded memory: within `memory_limit`, spilling to a temporary folder
(removed afterwards) beyond it, as event logs are read.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cx_mapper.domain.journey import Journey, Touchpoint, Transition, unique_id
from cx_mapper.domain.ranges import VALUE_LIMIT
from cx_mapper.persistence.csv_source import (
    BadRows,
    CsvHeader,
    check_line_breaks,
    check_regular_file,
    describe_bad_rows,
    malformed_rows,
    read_csv_sql,
    read_header,
)
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import DEFAULT_MEMORY_LIMIT
from cx_mapper.persistence.sql_text import column_list, first_line, quote_name, slug

PATH, CONVERSIONS, NULLS = "path", "total_conversions", "total_null"
VALUE = "total_conversion_value"
#: Columns a path file must have; the conversion value is optional (0 without it).
REQUIRED = (PATH, CONVERSIONS, NULLS)
#: Between the channels of a path.
SEPARATOR = ">"
CONVERSION_NAME = "Conversion"


@dataclass(frozen=True)
class ImportedPaths:
    journey: Journey
    paths: int  # rows used
    conversions: float
    nulls: float
    value: float
    skipped: tuple[BadRows, ...] = field(default_factory=tuple)
    #: Whether the file has total_conversion_value; without it the goal's value is unknown.
    has_value_column: bool = False

    def measured_for(self) -> dict[str, tuple[str, ...]]:
        """What a refresh may take from the data, per touchpoint. Paths say nothing of
        satisfaction, visibility or a channel's value; only the goal's value per
        conversion is measured, and only when the file has the value column."""
        if not self.has_value_column:
            return {}
        return {t.id: ("value",) for t in self.journey.touchpoints.values() if t.conversion}


def looks_like_path_data(column_names: Iterable[str]) -> bool:
    """Whether a file with these columns is path data rather than an event log.

    A header read with the wrong separator arrives as one name; it is split on ';'.
    """
    names = {part.strip().strip('"').strip().lower()
             for name in column_names for part in name.split(";")}
    return set(REQUIRED) <= names


def read_path_data(
    path: str | os.PathLike[str],
    *,
    skip_bad_rows: bool = False,
    journey_id: str = "paths",
    journey_name: str = "Conversion paths",
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
) -> ImportedPaths:
    """A journey estimated from aggregated paths; ProjectFileError names the file, the
    rows and the column when the file cannot be used."""
    name = os.fspath(path)
    header = _header(name)
    with tempfile.TemporaryDirectory(prefix="cx-mapper-paths-") as spill:
        return _read(name, header, spill, memory_limit, skip_bad_rows=skip_bad_rows,
                     journey_id=journey_id, journey_name=journey_name)


def _read(name: str, header: CsvHeader, spill: str, memory_limit: str, *,
          skip_bad_rows: bool, journey_id: str, journey_name: str) -> ImportedPaths:
    import duckdb  # a heavy import, only for those who import paths

    try:
        conn = duckdb.connect(config={"memory_limit": memory_limit, "temp_directory": spill})
        conn.execute("SET enable_progress_bar = false")
    except duckdb.Error as error:
        raise ProjectFileError(f"cannot read the paths: {first_line(error)}",
                               path=name) from None

    def fetch(sql: str) -> list[Any]:
        return conn.execute(sql).fetchall()

    def execute(sql: str) -> None:
        conn.execute(sql)

    try:
        columns = _columns(list(header.names), name)
        # Lines with other than the header's fields are set aside and numbered as bad rows.
        source = read_csv_sql(name, header, ", null_padding = true, store_rejects = true")
        execute(f"CREATE TEMP TABLE cx_mapper_rows AS SELECT *, ROW_NUMBER() OVER () AS seq "
                f"FROM {source}")
        malformed = malformed_rows(fetch, execute, list(header.names), name,
                                   reasons={"TOO MANY COLUMNS": "more fields than the header has"})
        table = "cx_mapper_renumbered" if malformed else "cx_mapper_rows"
        check_line_breaks(fetch, table, [quote_name(str(columns[PATH]))], name)
        execute(_view_sql(table, columns, header.delimiter))
        problems = [(bad, None) for bad in malformed] + _bad_rows(conn, columns)
        if problems and not skip_bad_rows:
            raise ProjectFileError(
                describe_bad_rows([bad for bad, _ in problems])
                + ". Fix those rows, or skip them (--skip-bad-rows).",
                path=name, field=next((c for _, c in problems if c), None))
        conn.execute("CREATE TEMP TABLE used AS SELECT seq, path_text, conversions, nulls, "
                     "value, conversions + nulls AS weight FROM raw_paths "
                     "WHERE NOT bad AND conversions + nulls > 0")
        totals = conn.execute("SELECT COUNT(*), SUM(conversions), SUM(nulls), SUM(value) "
                              "FROM used").fetchone()
        rows, conversions, nulls, value = totals if totals is not None else (0, 0, 0, 0)
        if not rows:
            raise ProjectFileError("the file has no path with conversions or nulls above 0",
                                   path=name)
        if conversions and abs(value / conversions) > VALUE_LIMIT:
            raise ProjectFileError(
                f"the value per conversion comes to {value / conversions:g}, beyond "
                f"±{VALUE_LIMIT:g}; check the values", path=name, field=columns[VALUE])
        journey = _journey(conn, journey_id, journey_name, float(conversions), float(value))
        return ImportedPaths(journey, int(rows), float(conversions), float(nulls),
                             float(value or 0.0), tuple(bad for bad, _ in problems),
                             columns[VALUE] is not None)
    except duckdb.Error as error:
        raise ProjectFileError(f"cannot read the paths: {first_line(error)}",
                               path=name) from None
    finally:
        conn.close()


def describe(result: ImportedPaths) -> str:
    """One line for the command line and the status bar."""
    journey = result.journey
    channels = sum(not t.conversion for t in journey.touchpoints.values())
    parts = [_count(result.paths, "path"), _count(result.conversions, "conversion")]
    if result.value:
        parts[-1] += f" worth {result.value:,.2f}"
    parts += [f"{_amount(result.nulls)} without conversion", _count(channels, "channel"),
              _count(len(journey.transitions), "transition")]
    skipped = sum(b.count for b in result.skipped)
    if skipped:
        parts.append(f"{skipped:,} bad rows skipped")
    return ", ".join(parts)


# -- reading -------------------------------------------------------------------------
def _header(name: str) -> CsvHeader:
    """The header, after checking the file is a regular one (plain or gzip UTF-8 CSV)."""
    check_regular_file(name, "a file of paths")
    return read_header(name)


def _columns(available: list[str], name: str) -> dict[str, str | None]:
    """The file's name for each column we use, matched without regard to case or spaces."""
    by_key = {column.strip().lower(): column for column in available}
    found: dict[str, str | None] = {key: by_key.get(key) for key in (*REQUIRED, VALUE)}
    for key in REQUIRED:
        if found[key] is None:
            raise ProjectFileError(
                f"there is no column '{key}' (columns: {column_list(available)}). A path file "
                f"has the header {PATH};{CONVERSIONS};{VALUE};{NULLS}", path=name, field=key)
    return found


def _view_sql(table: str, c: dict[str, str | None], delimiter: str) -> str:
    def text(column: str | None) -> str:
        return f"NULLIF(TRIM({quote_name(column)}), '')" if column else "NULL"

    def number(column: str | None) -> str:
        raw = text(column)
        if delimiter == ";":  # a semicolon file may come from a decimal-comma locale
            raw = f"REPLACE({raw}, ',', '.')"
        return f"TRY_CAST({raw} AS DOUBLE)"

    def not_a_count(column: str | None) -> str:
        value = number(column)
        return f"({value} IS NULL OR NOT isfinite({value}) OR {value} < 0)"

    def huge(column: str | None, limit: str) -> str:
        value = number(column)
        return f"(isfinite({value}) AND abs({value}) > {limit})"

    value_column = c[VALUE]
    bad_value = (f"({text(value_column)} IS NOT NULL AND ({number(value_column)} IS NULL "
                 f"OR NOT isfinite({number(value_column)})))" if value_column else "FALSE")
    path = text(c[PATH])
    # An empty channel: '>' at either end, or two with only spaces between.
    empty_channel = (f"({path} IS NOT NULL AND regexp_matches({path}, "
                     f"'(^\\s*{SEPARATOR})|({SEPARATOR}\\s*{SEPARATOR})|({SEPARATOR}\\s*$)'))")
    flags = {
        "no_path": f"({path} IS NULL)",
        "empty_channel": empty_channel,
        "bad_conversions": not_a_count(c[CONVERSIONS]),
        "bad_nulls": not_a_count(c[NULLS]),
        "bad_value": bad_value,
        # Counts of people beyond any market, or a value per conversion no figure holds.
        "huge_conversions": huge(c[CONVERSIONS], repr(VALUE_LIMIT)),
        "huge_nulls": huge(c[NULLS], repr(VALUE_LIMIT)),
        "huge_value": (huge(value_column, f"{VALUE_LIMIT!r} * GREATEST(1, "
                                          f"COALESCE({number(c[CONVERSIONS])}, 0))")
                       if value_column else "FALSE"),
    }
    return (
        "CREATE TEMP VIEW raw_paths AS SELECT seq, "
        f"{path} AS path_text, {number(c[CONVERSIONS])} AS conversions, "
        f"{number(c[NULLS])} AS nulls, COALESCE({number(value_column)}, 0.0) AS value, "
        + "".join(f"{expr} AS {flag}, " for flag, expr in flags.items())
        + f"({' OR '.join(flags.values())}) AS bad "
        f"FROM {table} s"
    )


def _bad_rows(conn: Any, c: dict[str, str | None]) -> list[tuple[BadRows, str | None]]:
    """Each kind of bad row with the column at fault (row numbers count data rows from 1)."""
    reasons = {
        "no_path": (f"an empty {c[PATH]}", c[PATH]),
        "empty_channel": (f"a {c[PATH]} with an empty channel ('{SEPARATOR}' at an end or "
                          f"two in a row)", c[PATH]),
        "bad_conversions": (f"a {c[CONVERSIONS]} that is not a number of 0 or more",
                            c[CONVERSIONS]),
        "bad_nulls": (f"a {c[NULLS]} that is not a number of 0 or more", c[NULLS]),
        "bad_value": (f"a {c[VALUE]} that is not a number", c[VALUE]),
        "huge_conversions": (f"a {c[CONVERSIONS]} above {VALUE_LIMIT:g}", c[CONVERSIONS]),
        "huge_nulls": (f"a {c[NULLS]} above {VALUE_LIMIT:g}", c[NULLS]),
        "huge_value": (f"a {c[VALUE]} beyond ±{VALUE_LIMIT:g} per conversion", c[VALUE]),
    }
    found: list[tuple[BadRows, str | None]] = []
    for flag, (reason, column) in reasons.items():
        count = conn.execute(f"SELECT COUNT(*) FROM raw_paths WHERE {flag}").fetchone()[0]
        if count:
            rows = [int(r[0]) for r in conn.execute(
                f"SELECT seq FROM raw_paths WHERE {flag} ORDER BY seq LIMIT 10").fetchall()]
            found.append((BadRows(reason, tuple(rows), int(count)), column))
    return found


# -- the journey -----------------------------------------------------------------------
STEPS_SQL = f"""
CREATE TEMP TABLE steps AS
SELECT seq, weight, conversions, TRIM(channel) AS channel, k, n,
       ROW_NUMBER() OVER (ORDER BY seq, k) AS seen
FROM (SELECT seq, weight, conversions, len(parts) AS n, UNNEST(parts) AS channel,
             UNNEST(generate_series(1, len(parts))) AS k
      FROM (SELECT *, string_split(path_text, '{SEPARATOR}') AS parts FROM used) u) s
"""

QUERIES = {
    # Channels in the order they first appear, with their weighted visits.
    "channels": "SELECT channel, SUM(weight) AS visits FROM steps GROUP BY channel "
                "ORDER BY MIN(seen)",
    "entries": "SELECT channel, SUM(weight) FROM steps WHERE k = 1 GROUP BY channel",
    "moves": ("SELECT channel, next_channel, SUM(weight) FROM (SELECT channel, weight, "
              "LEAD(channel) OVER (PARTITION BY seq ORDER BY k) AS next_channel FROM steps) m "
              "WHERE next_channel IS NOT NULL GROUP BY channel, next_channel "
              "ORDER BY channel, next_channel"),
    "conversions": ("SELECT channel, SUM(conversions) FROM steps WHERE k = n AND conversions > 0 "
                    "GROUP BY channel ORDER BY channel"),
}


def _journey(conn: Any, journey_id: str, name: str, conversions: float,
             value: float) -> Journey:
    conn.execute(STEPS_SQL)
    journey = Journey(id=journey_id, name=name, conversions=conversions)
    ids: dict[str, str] = {}
    visits: dict[str, float] = {}
    for label, count in conn.execute(QUERIES["channels"]).fetchall():
        ids[label] = unique_id(slug(label, "channel"), set(ids.values()))
        visits[label] = float(count)
        # Measured rows (MODEL.md §2): paths carry no scores, so sigma0 is the 0 drawn.
        journey.add_touchpoint(Touchpoint(ids[label], name=label, measured_satisfaction=0.0))
    goal = unique_id("conversion", set(ids.values()))
    journey.add_touchpoint(Touchpoint(
        goal, name=CONVERSION_NAME, conversion=True,
        value=value / conversions if conversions > 0 else 0.0))

    entries = conn.execute(QUERIES["entries"]).fetchall()
    weight = sum(float(count) for _, count in entries)  # every used path starts once
    for label, count in entries:
        journey.update_touchpoint(ids[label], entry=float(count) / weight)
    for source, target, count in conn.execute(QUERIES["moves"]).fetchall():
        journey.add_transition(Transition(ids[source], ids[target],
                                          _share(float(count), visits[source])))
    for source, count in conn.execute(QUERIES["conversions"]).fetchall():
        journey.add_transition(Transition(ids[source], goal,
                                          _share(float(count), visits[source])))
    return journey


def _share(count: float, total: float) -> float:
    # A touchpoint's shares sum to at most 1 in exact arithmetic; rounding must not go over.
    return min(1.0, count / total)


# -- small helpers ---------------------------------------------------------------------
def _amount(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


def _count(number: float, noun: str) -> str:
    return f"{_amount(number)} {noun}{'' if number == 1 else 's'}"
