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
(removed afterwards) beyond it, as event logs are read. The file is read and parsed
in one pass that also marks each row's faults, and the journey's counts come from one
streaming aggregate over the paths' steps, with no sort: a global sort and a pass per
kind of fault took most of the time on a million paths.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cx_mapper.domain.evidence import COUNT_LIMIT, NO_EVIDENCE, Evidence, EvidenceSet
from cx_mapper.domain.journey import Journey, Touchpoint, Transition, unique_id
from cx_mapper.domain.ranges import VALUE_LIMIT
from cx_mapper.persistence.csv_source import (
    DEFAULT_MEMORY_LIMIT,
    MAX_LINE_BYTES,
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

    try:
        columns, totals, problems = read_checked(conn, name, header, skip_bad_rows=skip_bad_rows)
        rows, conversions, nulls, value = totals[:4]
        journey = _journey(conn, journey_id, journey_name, float(conversions), float(value))
        return ImportedPaths(journey, int(rows), float(conversions), float(nulls),
                             float(value or 0.0), tuple(bad for bad, _ in problems),
                             columns[VALUE] is not None)
    except duckdb.Error as error:
        raise ProjectFileError(f"cannot read the paths: {first_line(error)}",
                               path=name) from None
    finally:
        conn.close()


Problems = list[tuple[BadRows, str | None]]


def read_checked(conn: Any, name: str, header: CsvHeader, *, skip_bad_rows: bool
                 ) -> tuple[dict[str, str | None], tuple[Any, ...], Problems]:
    """The file read, parsed and checked in one pass into the table `parsed` (a column
    per kind of fault; lines with other than the header's fields set aside and numbered
    as bad rows): its columns, the totals (_totals) and the bad rows. ProjectFileError
    for bad rows unless skipped, for no path used, and for a value beyond any figure."""
    def fetch(sql: str) -> list[Any]:
        found: list[Any] = conn.execute(sql).fetchall()
        return found

    def execute(sql: str) -> None:
        conn.execute(sql)

    columns = _columns(list(header.names), name)
    source = read_csv_sql(name, header, ", null_padding = true, store_rejects = true")
    execute(_parsed_sql(source, columns, header.delimiter))
    malformed = malformed_rows(fetch, execute, list(header.names), name,
                               reasons={"TOO MANY COLUMNS": "more fields than the header has"})
    table = "cx_mapper_renumbered" if malformed else "cx_mapper_rows"
    check_line_breaks(fetch, table, ["path_text"], name, file=name)
    if malformed:  # rare: the rows take their numbers in the file once
        execute("CREATE TEMP TABLE parsed AS SELECT * FROM cx_mapper_renumbered")
    else:
        execute("ALTER TABLE cx_mapper_rows RENAME TO parsed")
    totals = _totals(conn)
    problems: Problems = [(bad, None) for bad in malformed] + _bad_rows(conn, columns, totals)
    if problems and not skip_bad_rows:
        raise ProjectFileError(
            describe_bad_rows([bad for bad, _ in problems])
            + ". Fix those rows, or skip them (--skip-bad-rows).",
            path=name, field=next((c for _, c in problems if c), None))
    rows, conversions, _, value = totals[:4]
    if not rows:
        raise ProjectFileError("the file has no path with conversions or nulls above 0",
                               path=name)
    if conversions and abs(value / conversions) > VALUE_LIMIT:
        raise ProjectFileError(
            f"the value per conversion comes to {value / conversions:g}, beyond "
            f"±{VALUE_LIMIT:g}; check the values", path=name, field=columns[VALUE])
    return columns, totals, problems


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


def _flags(c: dict[str, str | None]) -> dict[str, tuple[str, str, str | None]]:
    """The kinds of bad row, in the order a message names them: the flag's SQL over the
    parsed row (path_text, conversions, nulls, value_number, value_text), the reason and
    the column at fault."""
    value = c[VALUE]

    def not_a_count(number: str) -> str:
        return f"({number} IS NULL OR NOT isfinite({number}) OR {number} < 0)"

    def huge(number: str, limit: str) -> str:
        # NULL (no number) is no fault of this kind; the other kinds say what is wrong.
        return f"COALESCE(isfinite({number}) AND abs({number}) > {limit}, FALSE)"

    return {
        "no_path": ("path_text IS NULL", f"an empty {c[PATH]}", c[PATH]),
        # An empty channel: '>' at either end, or two with only spaces between.
        "empty_channel": (f"(path_text IS NOT NULL AND regexp_matches(path_text, "
                          f"'(^\\s*{SEPARATOR})|({SEPARATOR}\\s*{SEPARATOR})|"
                          f"({SEPARATOR}\\s*$)'))",
                          f"a {c[PATH]} with an empty channel ('{SEPARATOR}' at an end or "
                          f"two in a row)", c[PATH]),
        "bad_conversions": (not_a_count("conversions"),
                            f"a {c[CONVERSIONS]} that is not a number of 0 or more",
                            c[CONVERSIONS]),
        "bad_nulls": (not_a_count("nulls"), f"a {c[NULLS]} that is not a number of 0 or more",
                      c[NULLS]),
        "bad_value": ("(value_text IS NOT NULL AND (value_number IS NULL OR NOT "
                      "isfinite(value_number)))" if value else "FALSE",
                      f"a {value} that is not a number", value),
        # Counts of people beyond any market, or a value per conversion no figure holds.
        "huge_conversions": (huge("conversions", repr(VALUE_LIMIT)),
                             f"a {c[CONVERSIONS]} above {VALUE_LIMIT:g}", c[CONVERSIONS]),
        "huge_nulls": (huge("nulls", repr(VALUE_LIMIT)), f"a {c[NULLS]} above {VALUE_LIMIT:g}",
                       c[NULLS]),
        "huge_value": (huge("value_number", f"{VALUE_LIMIT!r} * GREATEST(1, "
                            "COALESCE(conversions, 0))") if value else "FALSE",
                       f"a {value} beyond ±{VALUE_LIMIT:g} per conversion", value),
    }


def _parsed_sql(source: str, c: dict[str, str | None], delimiter: str) -> str:
    """The table cx_mapper_rows: each row's path and numbers, read once from the file,
    with a column per kind of fault, `bad` for any of them, and its number `seq`."""
    def text(column: str | None) -> str:
        return f"NULLIF(TRIM({quote_name(column)}), '')" if column else "NULL"

    def number(column: str | None) -> str:
        raw = text(column)
        if delimiter == ";":  # a semicolon file may come from a decimal-comma locale
            raw = f"REPLACE({raw}, ',', '.')"
        return f"TRY_CAST({raw} AS DOUBLE)"

    flags = {flag: sql for flag, (sql, _, _) in _flags(c).items()}
    return (
        "CREATE TEMP TABLE cx_mapper_rows AS SELECT path_text, conversions, nulls, "
        "COALESCE(value_number, 0.0) AS value, "
        + "".join(f"{expr} AS {flag}, " for flag, expr in flags.items())
        + f"({' OR '.join(flags.values())}) AS bad, ROW_NUMBER() OVER () AS seq "
        f"FROM (SELECT {text(c[PATH])} AS path_text, {number(c[CONVERSIONS])} AS "
        f"conversions, {number(c[NULLS])} AS nulls, {number(c[VALUE])} AS value_number, "
        f"{text(c[VALUE])} AS value_text FROM {source}) s"
    )


#: A used row: no fault, and someone took the path.
USED = "NOT bad AND conversions + nulls > 0"
FLAG_NAMES = tuple(_flags(dict.fromkeys((*REQUIRED, VALUE), "x")))


def _totals(conn: Any) -> tuple[Any, ...]:
    """The used rows' count and sums, then how many rows have each fault: one scan."""
    counts = ", ".join(f"COUNT(*) FILTER (WHERE {flag})" for flag in FLAG_NAMES)
    row = conn.execute(
        f"SELECT COUNT(*) FILTER (WHERE {USED}), SUM(conversions) FILTER (WHERE {USED}), "
        f"SUM(nulls) FILTER (WHERE {USED}), SUM(value) FILTER (WHERE {USED}), {counts} "
        "FROM parsed").fetchone()
    return tuple(row)


def _bad_rows(conn: Any, c: dict[str, str | None],
              totals: tuple[Any, ...]) -> list[tuple[BadRows, str | None]]:
    """Each kind of bad row with the column at fault (row numbers count data rows from 1);
    rows are looked up only for the kinds there are."""
    found: list[tuple[BadRows, str | None]] = []
    for (flag, (_, reason, column)), count in zip(_flags(c).items(), totals[4:], strict=True):
        if count:
            rows = [int(r[0]) for r in conn.execute(
                f"SELECT seq FROM parsed WHERE {flag} ORDER BY seq LIMIT 10").fetchall()]
            found.append((BadRows(reason, tuple(rows), int(count)), column))
    return found


# -- the journey -----------------------------------------------------------------------
#: Rows far enough apart in the steps' order key (row * stride + step) that no path
#: reaches the next row's: a line holds at most MAX_LINE_BYTES, so fewer channels.
_ROW_STRIDE = 1 << MAX_LINE_BYTES.bit_length()

#: Every step of every used path in one streaming aggregate, no sort and no window: per
#: channel and the channel after it (NULL after the last), the weighted visits, the
#: weight of paths starting there, the conversions of paths ending there, and the
#: first place it is seen (row, then step) so channels keep the file's order. Names
#: are trimmed after grouping, on a few hundred groups rather than on every step.
STEPS_SQL = f"""
SELECT TRIM(channel), TRIM(next_channel), SUM(weight), SUM(entries), SUM(won), MIN(seen)
FROM (SELECT channel, next_channel, SUM(weight) AS weight,
             SUM(weight) FILTER (WHERE k = 1) AS entries,
             SUM(conversions) FILTER (WHERE k = n AND conversions > 0) AS won,
             MIN(seq * {_ROW_STRIDE} + k) AS seen
      FROM (SELECT seq, weight, conversions, n, UNNEST(range(1, n + 1)) AS k,
                   UNNEST(parts) AS channel, UNNEST(parts[2:]) AS next_channel
            FROM (SELECT seq, conversions + nulls AS weight, conversions, parts,
                         len(parts) AS n
                  FROM (SELECT *, string_split(path_text, '{SEPARATOR}') AS parts
                        FROM parsed WHERE {USED}) u) s) steps
      GROUP BY channel, next_channel) raw
GROUP BY ALL
"""


def _journey(conn: Any, journey_id: str, name: str, conversions: float,
             value: float) -> Journey:
    visits: dict[str, float] = {}
    first: dict[str, int] = {}
    entries: dict[str, float] = {}
    moves: list[tuple[str, str, float]] = []
    converted: list[tuple[str, float]] = []
    for label, after, weight, entry, won, seen in conn.execute(STEPS_SQL).fetchall():
        visits[label] = visits.get(label, 0.0) + float(weight)
        first[label] = min(first.get(label, seen), seen)
        if entry is not None:
            entries[label] = entries.get(label, 0.0) + float(entry)
        if after is not None:
            moves.append((label, after, float(weight)))
        elif won is not None:
            converted.append((label, float(won)))

    journey = Journey(id=journey_id, name=name, conversions=conversions)
    ids: dict[str, str] = {}
    for label in sorted(visits, key=first.__getitem__):  # as they first appear
        ids[label] = unique_id(slug(label, "channel"), set(ids.values()))
        # Measured rows (MODEL.md §2): paths carry no scores, so sigma0 is the 0 drawn.
        journey.add_touchpoint(Touchpoint(ids[label], name=label, measured_satisfaction=0.0,
                                          evidence=_departures(visits[label])))
    goal = unique_id("conversion", set(ids.values()))
    journey.add_touchpoint(Touchpoint(
        goal, name=CONVERSION_NAME, conversion=True,
        value=value / conversions if conversions > 0 else 0.0))

    weight = sum(entries.values())  # every used path starts once
    for label, count in entries.items():
        journey.update_touchpoint(ids[label], entry=count / weight)
    for source, target, count in sorted(moves):
        journey.add_transition(Transition(ids[source], ids[target],
                                          _share(count, visits[source]), evidence=_counted(count)))
    for source, count in sorted(converted):
        journey.add_transition(Transition(ids[source], goal, _share(count, visits[source]),
                                          evidence=_counted(count)))
    return journey


def _counted(count: float) -> Evidence | None:
    """The evidence of a count of customers' moves; None when the file's counts are not
    whole (weighted paths), which no number of observations is."""
    if float(count).is_integer() and 0 <= count <= COUNT_LIMIT:
        return Evidence("data", n=float(count))
    return None


def _departures(visits: float) -> EvidenceSet:
    """A channel's moves out: every visit goes on, converts or leaves (the goal's are not
    followed: path data stops there)."""
    counted = _counted(visits)
    return NO_EVIDENCE if counted is None else EvidenceSet((("departures", counted),))


def _share(count: float, total: float) -> float:
    # A touchpoint's shares sum to at most 1 in exact arithmetic; rounding must not go over.
    return min(1.0, count / total)


# -- small helpers ---------------------------------------------------------------------
def _amount(number: float) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,.2f}"


def _count(number: float, noun: str) -> str:
    return f"{_amount(number)} {noun}{'' if number == 1 else 's'}"
