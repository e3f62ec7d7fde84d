"""The checks of a `.cxmap` file's values before a project is built from them.

SQLite lets any column hold any value, so a damaged or hand-edited file can have
text where a number belongs, NULL where a value is needed, or text where an image's
bytes belong. Every value is checked against its column, and the first wrong one
is named exactly: its table, row, column, and the journey and element it is in.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Float, Integer, LargeBinary, Table

from cx_mapper.persistence import schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.sql_text import quote_name

BACKUP_ADVICE = "Nothing was changed. Open a backup copy, or the JSON export if you have one."
#: SQLite's reports and the values from a file are shown up to this many characters.
REPORT_CHARS = 200


def _shown(text: str) -> str:
    return schema.shown_text(text, REPORT_CHARS)


#: What each column type may hold, as SQLite's typeof() names it, and what it is called.
_STORED: dict[type, tuple[tuple[str, ...], str]] = {
    Integer: (("integer",), "a whole number"), Boolean: (("integer",), "0 or 1 (no or yes)"),
    Float: (("integer", "real"), "a number (finite)"),
    LargeBinary: (("blob",), "binary data (an image's bytes)"),
}
_TEXT = (("text",), "text")
#: The element each table's rows are, to name them in a message.
_ELEMENT = {"segments": "segment", "journeys": "journey", "stages": "stage",
            "channels": "channel", "touchpoints": "touchpoint", "transitions": "transition",
            "lanes": "lane", "notes": "note", "note_touchpoints": "note",
            "personas": "persona", "persona_items": "persona", "images": "image",
            "opportunities": "opportunity", "plan_objectives": "journey",
            "journey_variants": "journey",
            **{table.name: "opportunity" for table in schema.OPPORTUNITY_PARTS}}
#: The column holding the id of the element a row is part of, where it is not "id".
_OWNER_ID = {"note_touchpoints": "note_id", "persona_items": "persona_id",
             "plan_objectives": "journey_id", "journey_variants": "journey_id",
             **{table.name: "opportunity_id" for table in schema.OPPORTUNITY_PARTS}}


def check_columns(conn: Connection, name: str) -> None:
    """Every value has its column's type: no text for a number, no NULL where one is needed.

    SQLite lets any column hold any value, so a damaged or hand-edited file can
    have them; one scan per table finds the first, which is then named exactly.
    """
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    text_factory = raw.text_factory
    # Text that is not UTF-8 (an image's bytes cast to text) is shown, not a decoding error.
    raw.text_factory = _lenient_text
    try:
        tables = schema.metadata.sorted_tables
        # One query finds the first wrong row of every table (a query per table cost
        # 2 ms of opening a small file); the row is read whole only when there is one.
        conditions = [" OR ".join(_wrong_value_sql(column) for column in table.c)
                      for table in tables]
        first_wrong = conn.exec_driver_sql("SELECT " + ", ".join(
            f"(SELECT rowid FROM {quote_name(table.name)} WHERE {condition} LIMIT 1)"
            for table, condition in zip(tables, conditions, strict=True))).one()
        for table, rowid in zip(tables, first_wrong, strict=True):
            if rowid is not None:
                found = conn.exec_driver_sql(
                    f"SELECT rowid, * FROM {quote_name(table.name)} WHERE rowid = {int(rowid)}"
                ).one()
                raise _wrong_value(table, found._mapping, name)
    finally:
        raw.text_factory = text_factory


def _lenient_text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _wrong_value_sql(column: Column[Any]) -> str:
    kinds, _ = _STORED.get(type(column.type), _TEXT)
    allowed = (*kinds, "null") if column.nullable else kinds
    quoted = quote_name(column.name)
    listed = ", ".join(f"'{kind}'" for kind in allowed)
    condition = f"typeof({quoted}) NOT IN ({listed})"
    if isinstance(column.type, Boolean):
        condition += f" OR {quoted} NOT IN (0, 1)"
    elif isinstance(column.type, Float):  # SQLite has no NaN; 9e999 reads as infinity
        condition += f" OR abs({quoted}) >= 9e999"
    return f"({condition})"


def _wrong_value(table: Table, row: Mapping[Any, Any], name: str) -> ProjectFileError:
    """The error for the first value in `row` that its column cannot hold."""
    column = next(c for c in table.c if _is_wrong(c, row[c.name]))
    value = row[column.name]
    _, belongs = _STORED.get(type(column.type), _TEXT)
    held = ("nothing (NULL)" if value is None else
            f"text {_shown(repr(value))}" if isinstance(value, str) else
            f"{len(value):,} bytes of binary data" if isinstance(value, bytes) else
            _shown(repr(value)))
    return ProjectFileError(
        f"is damaged: row {row['rowid']} of the {table.name} table holds {held} in column "
        f"'{column.name}'; it must be {belongs}. " + BACKUP_ADVICE, path=name,
        field=column.name, **place(table, row))


def place(table: Table, row: Mapping[Any, Any]) -> dict[str, str | None]:
    """The journey and element a row is, for the error's location, where they are text."""
    journey = row.get("journey_id") if table.name != "journeys" else row.get("id")
    element = _ELEMENT.get(table.name)
    element_id = (f"{row.get('source')} -> {row.get('target')}" if table.name == "transitions"
                  else row.get(_OWNER_ID.get(table.name, "id")))
    if table.name == "evidence":  # a row of any element's: it names the element
        element, element_id = row.get("element"), row.get("element_id")
        element = element if isinstance(element, str) else None
    return {"journey": _shown(journey) if isinstance(journey, str) else None,
            "element": element,
            "element_id": _shown(element_id) if element and isinstance(element_id, str)
            else None}


def _is_wrong(column: Column[Any], value: object) -> bool:
    if value is None:
        return not column.nullable
    if isinstance(column.type, Boolean):
        return type(value) is not int or value not in (0, 1)
    if isinstance(column.type, Integer):
        return type(value) is not int
    if isinstance(column.type, Float):
        return type(value) not in (int, float) or not math.isfinite(value)  # type: ignore[arg-type]
    if isinstance(column.type, LargeBinary):
        return type(value) is not bytes
    return type(value) is not str
