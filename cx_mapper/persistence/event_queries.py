"""The event-log queries, written once in DuckDB's SQL, and the text each engine runs.

An event log is read in three steps, each a query defined here and nowhere else:
`parse_sql` types the raw columns and flags each kind of bad row, `check_sql`
counts and lists the bad rows, and `aggregation_sql` counts what directly
follows what, the entries, the visits and the means per touchpoint.

DuckDB, the embedded default, runs the text as written. PostgreSQL and Apache
Spark run it as sqlglot translates it (`for_engine`), with two rewrites of ours:
PostgreSQL has no TRY_CAST, so it calls the session's guarded casts
(event_store's pg_temp functions) instead, Spark has no "C" collation, so the
collation goes: its strings already compare byte by byte (UTF8_BINARY), as "C"
does in the others; and DuckDB's STRLEN, a text's length in bytes, is their
OCTET_LENGTH.

What counts as a number or a date and time is decided here too, by a pattern
that every engine matches before its own cast, since the engines' casts read
different things: Spark reads "3d" and "2026" where DuckDB does not, DuckDB reads
"1_000" and "2026/01/01" where Spark does not. Held to the same pattern, the
same log gives the same bad rows and the same counts on all three.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from cx_mapper.domain.ranges import VALUE_LIMIT
from cx_mapper.persistence.sql_text import quote_name

#: The engines the queries run on, by sqlglot's dialect names.
DUCKDB, POSTGRES, SPARK = "duckdb", "postgres", "spark"


@dataclass(frozen=True)
class LogColumns:
    """Which column holds what; the optional ones may be None."""

    customer: str = "customer_id"
    timestamp: str = "timestamp"
    touchpoint: str = "touchpoint"
    satisfaction: str | None = None
    public: str | None = None
    revenue: str | None = None
    stage: str | None = None
    channel: str | None = None


#: The typed events that the checks read: `parsed` in check_sql.
PARSED_COLUMNS = ("customer", "ts", "touchpoint", "score", "public", "revenue", "stage",
                  "channel", "seq")

#: Each kind of bad row: its flag column and the reason shown.
BAD = {
    "no_customer": "no customer id",
    "no_touchpoint": "no touchpoint",
    "bad_time": "a timestamp that is missing or not a date and time",
    "bad_score": "a satisfaction that is not a number",
    "bad_revenue": "a revenue that is not a number",
    "huge_score": f"a satisfaction beyond ±{VALUE_LIMIT:g}",
    "huge_revenue": f"a revenue beyond ±{VALUE_LIMIT:g}",
}
#: The column each kind of bad row is about (a LogColumns field).
BAD_COLUMN = {"no_customer": "customer", "no_touchpoint": "touchpoint", "bad_time": "timestamp",
              "bad_score": "satisfaction", "bad_revenue": "revenue",
              "huge_score": "satisfaction", "huge_revenue": "revenue"}
_MAX_DOUBLE = sys.float_info.max

#: The kinds of a source column, for how it is read: a text column is parsed, a
#: column already typed is taken as it is.
TEXT, NUMBER, TIMESTAMP, BOOLEAN = "text", "number", "timestamp", "boolean"

#: A number as text: decimal digits with an optional sign, point and exponent.
NUMBER_PATTERN = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
#: A date and time as text: ISO 8601's date, then optionally a time of day (to the
#: minute at least) and a zone, which all three engines read and then ignore.
TIMESTAMP_PATTERN = (r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
                     r"([T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?)?"
                     r"( ?(Z|UTC|[+-][0-9]{2}(:?[0-9]{2})?))?$")


def parse_sql(source: str, columns: LogColumns, kinds: Mapping[str, str], *,
              seq: str | None, trim: bool = True) -> str:
    """A SELECT of typed events with a flag per kind of bad row (check_sql), from `source`.

    `kinds` gives each named column's kind (TEXT for anything to parse from its
    text); text is a number or a date and time when it matches NUMBER_PATTERN or
    TIMESTAMP_PATTERN and the engine can cast it (a finite number; a real date).
    `seq` is the expression in `source` that numbers the data rows from 1; None leaves
    the column out, for a table whose rows are numbered by where they are stored.

    Every row goes through these expressions, so TRIM, which copies the text, runs
    only on text that starts or ends with a space or a character beyond ASCII (the
    only ones it removes, DuckDB's spaces beyond ASCII as well).

    `trim=False`, for DuckDB only, takes the text as it is, a quarter of the work of the parse
    (the choice of trimming or not is made row by row), and adds a column `padded`:
    whether a column kept as text (customer, touchpoint, stage, channel, public) has
    text TRIM would change. Such text in a number or timestamp column fails its pattern
    and flags the row bad instead. So when no row is padded or bad, the rows are those
    of trim=True exactly (TRIM changes nothing); otherwise they are to be parsed again
    with it (reparse_sql).
    """
    def needs_trim(raw: str) -> str:
        return f"({raw} LIKE ' %' OR {raw} LIKE '% ' OR LENGTH({raw}) <> STRLEN({raw}))"

    def text(column: str | None) -> str:
        if column is None:
            return "CAST(NULL AS VARCHAR)"
        raw = f"CAST({quote_name(column)} AS VARCHAR)"
        if not trim:
            return f"NULLIF({raw}, '')"
        return f"NULLIF(CASE WHEN {needs_trim(raw)} THEN TRIM({raw}) ELSE {raw} END, '')"

    def number(column: str | None) -> tuple[str, str, str]:  # (value, not one, too big)
        if column is None:
            return "CAST(NULL AS DOUBLE)", "FALSE", "FALSE"
        # NaN and the infinities compare above every number in all three engines.
        if kinds.get(column) == NUMBER:
            raw = f"CAST({quote_name(column)} AS DOUBLE)"
            finite = f"{raw} BETWEEN {-_MAX_DOUBLE!r} AND {_MAX_DOUBLE!r}"
            bad = f"({raw} IS NOT NULL AND NOT ({finite}))"
        else:
            cast = f"TRY_CAST({text(column)} AS DOUBLE)"
            # One character is a number when it is a digit: a score of CSAT or NPS,
            # mostly, read without the pattern (a tenth of DuckDB's parse). Only
            # there, where text compares byte by byte.
            digit = "" if trim else (
                f"WHEN STRLEN({text(column)}) = 1 THEN (CASE WHEN {text(column)} BETWEEN "
                f"'0' AND '9' THEN CAST({text(column)} AS DOUBLE) END) ")
            raw = (f"CASE {digit}WHEN regexp_matches({text(column)}, '{NUMBER_PATTERN}') "
                   f"AND {cast} BETWEEN {-_MAX_DOUBLE!r} AND {_MAX_DOUBLE!r} THEN {cast} END")
            bad = f"({text(column)} IS NOT NULL AND {raw} IS NULL)"
        # The touchpoint value range: a mean of values within it stays within it, so a
        # revenue of 1.7e308 is a bad row of the log, not a journey no file can hold.
        fits = f"{raw} BETWEEN {-VALUE_LIMIT!r} AND {VALUE_LIMIT!r}"
        huge = f"(NOT {bad} AND {raw} IS NOT NULL AND NOT ({fits}))"
        return f"CASE WHEN {fits} THEN {raw} END", bad, huge

    c = columns
    if kinds.get(c.timestamp) == TIMESTAMP:
        ts = f"CAST({quote_name(c.timestamp)} AS TIMESTAMP)"
    else:
        ts = (f"CASE WHEN regexp_matches({text(c.timestamp)}, '{TIMESTAMP_PATTERN}') "
              f"THEN TRY_CAST({text(c.timestamp)} AS TIMESTAMP) END")
    if c.public is None:
        public = "FALSE"
    elif kinds.get(c.public) == BOOLEAN:
        public = quote_name(c.public)
    else:
        # Equalities, not IN: DuckDB makes a list of IN a join, which does not keep the
        # rows in file order (see seq).
        public = "(" + " OR ".join(f"lower({text(c.public)}) = {word}" for word in (
            "'1'", "'true'", "'yes'", "'y'", "'public'", "'t'")) + ")"
    kept_text = [c.customer, c.touchpoint, c.stage, c.channel,
                 c.public if kinds.get(c.public or "") != BOOLEAN else None]
    padded = "" if trim else ", (" + " OR ".join(
        needs_trim(f"CAST({quote_name(column)} AS VARCHAR)")
        for column in kept_text if column is not None) + ") AS padded"
    score, bad_score, huge_score = number(c.satisfaction)
    revenue, bad_revenue, huge_revenue = number(c.revenue)
    inner = (
        f"SELECT {text(c.customer)} AS customer, {ts} AS ts, {text(c.touchpoint)} AS touchpoint, "
        f"{score} AS score, {public} AS public, {revenue} AS revenue, "
        f"{text(c.stage)} AS stage, {text(c.channel)} AS channel, "
        f"{'' if seq is None else f'{seq} AS seq, '}"
        f"{bad_score} AS bad_score, {bad_revenue} AS bad_revenue, {huge_score} AS huge_score, "
        f"{huge_revenue} AS huge_revenue{padded} FROM {source}")
    kept = [name for name in PARSED_COLUMNS if seq is not None or name != "seq"]
    return (
        f"SELECT {', '.join(kept)}, customer IS NULL AS no_customer, "
        "touchpoint IS NULL AS no_touchpoint, ts IS NULL AS bad_time, bad_score, bad_revenue, "
        f"huge_score, huge_revenue{'' if trim else ', padded'} FROM ({inner}) s")


def reparse_sql(parsed: str) -> str:
    """A query giving a row when a parse with trim=False (parse_sql) of `parsed` has a
    padded or a bad row: then the parse is to be done again, with trim=True."""
    return f"SELECT 1 FROM {parsed} WHERE padded OR {' OR '.join(BAD)} LIMIT 1"


def check_sql(parsed: str) -> dict[str, str]:
    """The checks over a table `parsed(customer, ts, touchpoint, score, public, revenue,
    stage, channel, seq)` plus a boolean column per kind of bad row (BAD).

    `summary` counts each kind in one pass, with the usable events and their score
    range; one query per kind lists its first rows; `usable` selects the rest.
    """
    good = "NOT (" + " OR ".join(BAD) + ")"
    summary = ", ".join(f"COUNT(*) FILTER (WHERE {flag})" for flag in BAD)
    return {
        "summary": (f"SELECT {summary}, COUNT(*) FILTER (WHERE {good}), "
                    f"MIN(score) FILTER (WHERE {good}), MAX(score) FILTER (WHERE {good}) "
                    f"FROM {parsed}"),
        **{flag: f"SELECT seq FROM {parsed} WHERE {flag} ORDER BY seq LIMIT 10"
           for flag in BAD},
        "usable": f"SELECT {', '.join(PARSED_COLUMNS)} FROM {parsed} WHERE {good}",
    }


def aggregation_sql(events: str, satisfaction_expr: str = "CAST(NULL AS DOUBLE)",
                    ordered: str | None = None) -> dict[str, str]:
    """The queries over a table or view `events(customer, ts, touchpoint, score, public,
    revenue, stage, channel, seq)`.

    `flows` counts pairs of a touchpoint and the one before it, where "before" is
    NULL for a first event: read from `ordered` (a table of ordered_sql's rows) when
    given, else ordering each customer's events itself.
    Everything else about the paths follows from it: `steps` (directly-follows
    counts), `entries` (first events) and `counts` (events and customers).
    `touchpoints` gives one row per touchpoint, in the order of first appearance;
    the least stage and channel are taken byte by byte, the same on every engine.
    """
    source = ordered or f"({ordered_sql(events)})"
    flows = (f"SELECT previous, touchpoint, COUNT(*) AS n FROM {source} o "
             "GROUP BY previous, touchpoint")
    # The means are of doubles: a decimal 1.0 would average to 6 places in Spark.
    return {
        "flows": flows,
        "steps": (f"SELECT previous AS touchpoint, touchpoint AS next_touchpoint, n "
                  f"FROM ({flows}) f WHERE previous IS NOT NULL"),
        "entries": f"SELECT touchpoint, n FROM ({flows}) f WHERE previous IS NULL",
        "touchpoints": (
            f"SELECT touchpoint, COUNT(*) AS visits, AVG({satisfaction_expr}) AS satisfaction, "
            "AVG(CASE WHEN public THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END) "
            'AS visibility, AVG(revenue) AS value, MIN(stage COLLATE "C") AS stage, '
            'MIN(channel COLLATE "C") AS channel, '
            f"MIN(seq) AS first_seen, COUNT({satisfaction_expr}) AS scored, "
            f"VAR_SAMP({satisfaction_expr}) AS satisfaction_variance "
            f"FROM {events} GROUP BY touchpoint ORDER BY first_seen"),
        "counts": f"SELECT COUNT(*), COUNT(DISTINCT customer) FROM {events}",
    }


#: The window every query orders a customer's events by: timestamp, then file order.
CUSTOMER_ORDER = "PARTITION BY customer ORDER BY ts, seq"


def ordered_sql(events: str) -> str:
    """Each event of `events` with its customer's event before it: `previous` (its
    touchpoint, NULL for a first event), `previous_ts`, and `rank` (1, 2, 3... in the
    customer's order). Sorting the events is most of the work of an estimate; made a
    table once, the transition counts, the times and the paths all read it unsorted.
    Only the columns they read: the window carries each along (a stage column, read by
    none, cost DuckDB 5-10% of the window's time)."""
    return (f"SELECT customer, ts, seq, touchpoint, LAG(touchpoint) OVER w AS previous, "
            f"LAG(ts) OVER w AS previous_ts, ROW_NUMBER() OVER w AS rank "
            f"FROM {events} WINDOW w AS ({CUSTOMER_ORDER})")


def satisfaction_sql(column: str, low: float, high: float) -> str:
    """The expression putting a score of the scale low..high on -1..1, in doubles."""
    return f"(CAST(2 AS DOUBLE) * ({column} - {low!r}) / {high - low!r} - CAST(1 AS DOUBLE))"


@lru_cache(maxsize=256)
def for_engine(sql: str, engine: str) -> str:
    """The text `engine` runs for a query written here in DuckDB's SQL."""
    if engine == DUCKDB:
        return sql
    import sqlglot  # only for the engines that need a translation
    from sqlglot import exp

    def rewrite(node: exp.Expression) -> exp.Expression:
        if engine == POSTGRES and isinstance(node, exp.TryCast):
            kind = "timestamp" if node.to.is_type(*exp.DataType.TEMPORAL_TYPES) else "double"
            # What it casts is rewritten too: transform does not go into a new node.
            call = exp.Anonymous(this=f"cx_mapper_try_{kind}",
                                 expressions=[node.this.transform(rewrite)])
            return exp.Dot(this=exp.to_identifier("pg_temp"), expression=call)
        if isinstance(node, exp.Anonymous) and str(node.this).upper() == "STRLEN":
            return exp.Anonymous(this="OCTET_LENGTH", expressions=node.expressions)  # bytes
        if engine == SPARK and isinstance(node, exp.Collate):
            inner: exp.Expression = node.this
            return inner
        return node

    tree = sqlglot.parse_one(sql, read=DUCKDB).transform(rewrite)
    return tree.sql(dialect=engine)
