"""Event logs kept in a PostgreSQL table, such as the team store's database, into a journey.

The same queries as a file import (event_queries: `parse_sql`, `check_sql`,
`aggregation_sql`), translated to PostgreSQL's SQL, run in the database, so a log
of millions of rows never leaves it: only the counts and means per touchpoint
come back. The events are first copied, typed and numbered, into a temporary
table of the session, which PostgreSQL keeps on disk past its temp_buffers.

Columns may be typed (timestamp, numeric, boolean) or text; text is parsed the
way a CSV file's is, and a value that cannot be read is a bad row. Rows are
numbered, for messages and to order events with the same timestamp, in the
table's storage order (the load order of a table that was only appended to), or
by a column given as `row_order`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine, inspect
from sqlalchemy import types as sqltypes
from sqlalchemy.engine import Connection
from sqlalchemy.exc import NoSuchTableError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.event_log import (
    ImportedLog,
    _check_scale,
    check_columns,
    estimate,
    with_guessed_satisfaction,
)
from cx_mapper.persistence.event_queries import (
    BOOLEAN,
    NUMBER,
    POSTGRES,
    TEXT,
    TIMESTAMP,
    LogColumns,
    for_engine,
    parse_sql,
)
from cx_mapper.persistence.log_filters import LogFilters, check_filter_columns, filtered_source
from cx_mapper.persistence.log_variants import DEFAULT_TOP, Goals
from cx_mapper.persistence.sql_text import column_list, first_line, quote_name
from cx_mapper.persistence.team_store import parse_store_url

#: TRY_CAST for PostgreSQL, which has none (event_queries.for_engine calls these):
#: NULL where the text is no finite number, or no date and time starting with a
#: digit (PostgreSQL also reads words such as 'yesterday' and 'infinity').
_TRY_FUNCTIONS = """
CREATE FUNCTION pg_temp.cx_mapper_try_double(value text) RETURNS double precision
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    number double precision;
BEGIN
    number := value::double precision;
    IF number IN ('NaN', 'Infinity', '-Infinity') THEN
        RETURN NULL;
    END IF;
    RETURN number;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;
CREATE FUNCTION pg_temp.cx_mapper_try_timestamp(value text) RETURNS timestamp
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF value !~ '^[0-9]' THEN
        RETURN NULL;
    END IF;
    RETURN value::timestamp;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;
"""


def read_event_table(
    url: str,
    table: str,
    columns: LogColumns | None = None,
    *,
    scale: str = "auto",
    skip_bad_rows: bool = False,
    journey_id: str = "imported",
    journey_name: str = "Imported journey",
    row_order: str | None = None,
    guess_satisfaction: bool = False,
    filters: LogFilters | None = None,
    goals: Goals | None = None,
    top_variants: int = DEFAULT_TOP,
) -> ImportedLog:
    """A journey estimated from a PostgreSQL table (or view) of events, one row per
    customer interaction, named `table` or `schema.table`, at the SQLAlchemy `url`
    (postgresql+psycopg://user@host/database). Nothing in the database is changed.

    The same checks as for a file: ProjectFileError names the database, the table,
    the rows and the column when the events cannot be used.
    """
    columns = columns or LogColumns()
    parsed_url, shown = parse_store_url(url)
    where = f"{shown}, table {table}"
    _check_scale(scale, where)
    engine = create_engine(parsed_url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            try:
                return _read(conn, table, columns, scale=scale, skip_bad_rows=skip_bad_rows,
                             journey_id=journey_id, journey_name=journey_name,
                             row_order=row_order, where=where,
                             guess_satisfaction=guess_satisfaction, filters=filters,
                             goals=goals, top_variants=top_variants)
            finally:
                conn.rollback()  # the temporary table and functions go with the session
    except SQLAlchemyError as error:
        cause = getattr(error, "orig", None) or error
        raise ProjectFileError(f"cannot read the events: {first_line(cause)}",
                               path=where) from None
    finally:
        engine.dispose()


def _read(conn: Connection, table: str, columns: LogColumns, *, scale: str,
          skip_bad_rows: bool, journey_id: str, journey_name: str, row_order: str | None,
          where: str, guess_satisfaction: bool, filters: LogFilters | None,
          goals: Goals | None, top_variants: int) -> ImportedLog:
    schema, _, name = table.rpartition(".")
    inspector = inspect(conn)
    try:
        described = inspector.get_columns(name, schema=schema or None)
    except NoSuchTableError:
        tables = sorted(inspector.get_table_names(schema=schema or None)
                        + inspector.get_view_names(schema=schema or None))
        raise ProjectFileError(f"there is no table or view '{table}' (there are: "
                               f"{', '.join(tables) or 'none'})", path=where) from None
    kinds = {str(c["name"]): _kind(c["type"]) for c in described}
    if guess_satisfaction:
        columns = with_guessed_satisfaction(columns, list(kinds))
    check_columns(columns, list(kinds), where)
    check_filter_columns(filters, list(kinds), where)
    if row_order is not None and row_order not in kinds:
        raise ProjectFileError(f"there is no column '{row_order}' for the row order "
                               f"(columns: {column_list(list(kinds))})", path=where,
                               field=row_order)
    is_table = name in inspector.get_table_names(schema=schema or None)
    order = (f"ORDER BY {quote_name(row_order)}" if row_order is not None
             else "ORDER BY ctid" if is_table else "")
    relation = f"{quote_name(schema)}.{quote_name(name)}" if schema else quote_name(name)
    source = f"(SELECT *, ROW_NUMBER() OVER ({order}) AS cx_mapper_seq FROM {relation}) src"
    source = filtered_source(source, filters)  # a column's values (log_filters)

    # The driver reads % as the start of a placeholder: a literal one is doubled (LIKE
    # patterns, a filtered value).
    def fetch(sql: str) -> list[Any]:
        return [tuple(row) for row in conn.exec_driver_sql(sql.replace("%", "%%")).fetchall()]

    def execute(sql: str) -> None:
        conn.exec_driver_sql(sql.replace("%", "%%"))

    execute("SET LOCAL TIME ZONE 'UTC'")  # timestamps with a time zone are read in UTC
    execute("SET LOCAL work_mem = '64MB'")
    execute(_TRY_FUNCTIONS)
    execute("CREATE TEMP TABLE cx_mapper_rows AS " + for_engine(
        parse_sql(source, columns, kinds, seq="cx_mapper_seq"), POSTGRES))
    execute("ANALYZE cx_mapper_rows")
    return estimate(fetch, execute, "cx_mapper_rows", columns, scale=scale,
                    skip_bad_rows=skip_bad_rows, journey_id=journey_id,
                    journey_name=journey_name, where=where, engine=POSTGRES, filters=filters,
                    goals=goals, top_variants=top_variants)


def _kind(column_type: Any) -> str:
    """How a column of this type is read (a timestamp with a time zone, in UTC)."""
    if isinstance(column_type, sqltypes.Boolean):
        return BOOLEAN
    if isinstance(column_type, sqltypes.Integer | sqltypes.Numeric):
        return NUMBER  # NUMERIC to double precision rounds as the text would be read
    if isinstance(column_type, sqltypes.DateTime | sqltypes.Date):
        return TIMESTAMP
    return TEXT
