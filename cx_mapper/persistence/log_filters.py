"""Import filters for event logs: which events an import uses (README, "Import filters").

Applied before anything is estimated, in this order:
1. a column's values (`--where market=DE,FR`): rows whose column, trimmed, is one of
   the values; any column of the log, not only those the journey uses. This one
   runs on the source rows, so rows it leaves out are not checked for bad values;
2. the date range: `since` and `until` are both inclusive: a date as `until` takes
   that whole day, a date and time is the last instant taken;
3. the minimum path frequency: customers whose path variant (log_variants: with a
   goal, the path up to the goal) is taken by fewer than `min_path_customers`
   customers, after 1 and 2, are left out with all their events.

Everything is standard SQL (DuckDB and PostgreSQL), over the source and over the
`events(customer, ts, touchpoint, score, public, revenue, stage, channel, seq)`
view the aggregation reads.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cx_mapper.persistence.csv_source import Execute
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.log_variants import paths_sql
from cx_mapper.persistence.sql_text import column_list, quote_name, quote_text


@dataclass(frozen=True)
class LogFilters:
    """Which events an import uses; the defaults take every event."""

    since: date | None = None  # inclusive; a datetime is a date with a time
    until: date | None = None  # inclusive; a plain date takes its whole day
    #: (column, values): a row is kept when the column is one of the values (each
    #: column a condition of its own, all of them must hold).
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    min_path_customers: int = 0

    @property
    def on_events(self) -> bool:
        """Whether any filter runs on the typed events (the date range, frequency)."""
        return self.since is not None or self.until is not None or self.min_path_customers > 1

    def __bool__(self) -> bool:
        return self.on_events or bool(self.values)

    def describe(self) -> str:
        """The filters in words, for the command line and the status bar."""
        parts = [f"{column} is {' or '.join(values)}" for column, values in self.values]
        if self.since is not None:
            parts.append(f"from {_shown(self.since)}")
        if self.until is not None:
            parts.append(f"to {_shown(self.until)}")
        if self.min_path_customers > 1:
            parts.append(f"paths of at least {self.min_path_customers:,} customers")
        return ", ".join(parts)


def _shown(moment: date) -> str:
    return moment.isoformat(sep=" ") if isinstance(moment, datetime) else moment.isoformat()


def check_filter_columns(filters: LogFilters | None, available: Sequence[str],
                         where: str) -> None:
    """ProjectFileError naming the column when a filtered column is not in `available`."""
    for column, _ in (filters.values if filters else ()):
        if column not in available:
            raise ProjectFileError(
                f"there is no column '{column}' to filter on (columns: "
                f"{column_list(list(available))})", path=where, field=column)


def filtered_source(source: str, filters: LogFilters | None) -> str:
    """`source` (a FROM item with its alias, rows already numbered) with only the rows
    whose columns hold the chosen values; unchanged without such a filter."""
    if not filters or not filters.values:
        return source
    conditions = " AND ".join(
        f"NULLIF(TRIM(CAST({quote_name(column)} AS VARCHAR)), '') IN "
        f"({', '.join(quote_text(v) for v in values)})"
        for column, values in filters.values)
    return f"(SELECT * FROM {source} WHERE {conditions}) src"


def dated_sql(events: str, filters: LogFilters) -> str:
    """The events of `events` (a query) within the date range."""
    conditions = []
    if filters.since is not None:
        conditions.append(f"ts >= {_timestamp(filters.since)}")
    if filters.until is not None:
        if isinstance(filters.until, datetime):
            conditions.append(f"ts <= {_timestamp(filters.until)}")
        else:  # the whole day
            conditions.append(f"ts < {_timestamp(filters.until + timedelta(days=1))}")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT * FROM ({events}) d{where}"


def _timestamp(moment: date) -> str:
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return f"TIMESTAMP {quote_text(moment.replace(tzinfo=None).isoformat(sep=' '))}"


def filtered_events(execute: Execute, usable: str, filters: LogFilters,
                    goals: Collection[str] = ()) -> str:
    """The query of the events `usable` (a query) that the date range and the minimum
    path frequency keep. The customers kept are worked out once, into a temporary
    table, as every query of the aggregation reads them."""
    dated = dated_sql(usable, filters)
    if filters.min_path_customers <= 1:
        return dated
    paths = paths_sql(f"({dated}) u", goals)
    execute("CREATE TEMP TABLE cx_mapper_kept AS SELECT customer FROM (SELECT customer, "
            f"COUNT(*) OVER (PARTITION BY path) AS k FROM ({paths}) p) q "
            f"WHERE k >= {int(filters.min_path_customers)}")
    return (f"SELECT * FROM ({dated}) f WHERE customer IN "
            "(SELECT customer FROM cx_mapper_kept)")


# -- reading the filters from text (the command line) -------------------------------------
_WHERE = re.compile(r"^\s*([^=]+?)\s*=(.*)$", re.DOTALL)


def parse_where(text: str) -> tuple[str, tuple[str, ...]]:
    """`COLUMN=VALUE[,VALUE...]` as (column, values); ValueError saying what is wrong."""
    match = _WHERE.match(text)
    if match is None:
        raise ValueError(f"--where {text!r} is not COLUMN=VALUE[,VALUE...]")
    values = tuple(v.strip() for v in match.group(2).split(",") if v.strip())
    if not values:
        raise ValueError(f"--where {text!r} gives no value for {match.group(1)!r}")
    return match.group(1), values


def parse_moment(text: str, option: str) -> date:
    """A date (2026-03-01) or a date and time (2026-03-01 14:30 or 2026-03-01T14:30:00);
    ValueError naming the option otherwise."""
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        return datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{option} {text!r} is not a date (2026-03-01) or a date and time "
                         "(2026-03-01 14:30)") from None


def merged_values(pairs: Sequence[tuple[str, tuple[str, ...]]]
                  ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Conditions on the same column merged (either value is taken), in order given."""
    merged: dict[str, list[str]] = {}
    for column, values in pairs:
        merged.setdefault(column, []).extend(v for v in values
                                             if v not in merged.get(column, []))
    return tuple((column, tuple(values)) for column, values in merged.items())
