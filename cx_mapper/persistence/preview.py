"""The first rows of a data file, and a first guess at which column is which.

The import dialog shows these before anything is estimated, so a user can check
that the columns are the ones they meant. DuckDB reads only what the preview
needs, so even a multi-gigabyte log previews at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import SATISFACTION_NAMES, LogColumns, column_key
from cx_mapper.persistence.sql_text import first_line

EVENTS = "events"
PATHS = "paths"

#: Column names people use for each role, most telling first. Compared after
#: lower-casing and turning every run of non-letters into one underscore.
_NAMES: dict[str, tuple[str, ...]] = {
    "customer": ("customer_id", "customer", "client_id", "client", "user_id", "user",
                 "visitor_id", "case_id", "case_concept_name", "case", "account_id"),
    "timestamp": ("timestamp", "time_timestamp", "event_time", "datetime", "date_time",
                  "created_at", "occurred_at", "time", "ts", "date"),
    "touchpoint": ("touchpoint", "touch_point", "activity", "concept_name", "event_name",
                   "interaction", "event", "action", "step", "page"),
    "satisfaction": SATISFACTION_NAMES,
    "public": ("public", "is_public", "shared", "is_shared", "social", "visibility"),
    "revenue": ("revenue", "amount", "order_value", "spend", "value", "sales"),
    "stage": ("stage", "phase", "journey_stage"),
    "channel": ("channel", "medium", "touchpoint_channel"),
}


@dataclass(frozen=True)
class TablePreview:
    """The header and first rows of a CSV or Parquet file, every value as text."""

    path: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    kind: str  # EVENTS or PATHS


def preview_table(path: str | os.PathLike[str], limit: int = 50) -> TablePreview:
    """The first `limit` rows; ProjectFileError names the file when it cannot be read."""
    import duckdb  # a heavy import, only for those who import data

    from cx_mapper.persistence.event_log import table_source
    from cx_mapper.persistence.path_data import looks_like_path_data

    name = os.fspath(path)
    if not os.path.exists(name):
        raise ProjectFileError("file not found", path=name)
    conn = duckdb.connect()
    try:
        relation = conn.sql(f"SELECT * FROM {table_source(name)} LIMIT {int(limit)}")
        columns = tuple(relation.columns)
        rows = tuple(tuple(None if value is None else str(value) for value in row)
                     for row in relation.fetchall())
    except duckdb.Error as error:
        raise ProjectFileError(f"cannot read the file: {first_line(error)}",
                               path=name) from None
    finally:
        conn.close()
    kind = PATHS if looks_like_path_data(columns) else EVENTS
    return TablePreview(name, columns, rows, kind)


def guess_columns(columns: tuple[str, ...] | list[str]) -> LogColumns:
    """The column for each role, by name; required roles fall back to LogColumns' names."""
    normal = {column_key(column): column for column in reversed(columns)}
    chosen: dict[str, str | None] = {}
    taken: set[str] = set()
    for role, names in _NAMES.items():
        found = next((normal[n] for n in names if n in normal and normal[n] not in taken), None)
        if found is not None:
            taken.add(found)
        chosen[role] = found
    defaults = LogColumns()
    return LogColumns(
        customer=chosen["customer"] or defaults.customer,
        timestamp=chosen["timestamp"] or defaults.timestamp,
        touchpoint=chosen["touchpoint"] or defaults.touchpoint,
        satisfaction=chosen["satisfaction"], public=chosen["public"],
        revenue=chosen["revenue"], stage=chosen["stage"], channel=chosen["channel"],
    )

