"""The project tables (SQLAlchemy Core), shared by `.cxmap` files and the team store.

One schema serves SQLite and PostgreSQL. A `.cxmap` file holds one row in
`projects`; the team store holds many. Every child row carries its project's id,
and a `position` column keeps the order users see (lists, drawing order).

The functions here take any SQLAlchemy Connection and neither commit nor open
transactions: the caller owns the transaction. Tables are created and upgraded
only by the Alembic migrations in `persistence/migrations`; `metadata` mirrors
the head revision (a test checks that the two agree).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    insert,
    select,
)

from cx_mapper import __version__
from cx_mapper.domain.journey import TOUCHPOINT_FIELDS
from cx_mapper.domain.project import Project
from cx_mapper.persistence.building import gc_paused
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import (
    FORMAT,
    check_project,
    project_from_dict_with_warnings,
)

#: The version of the tables below. Files record theirs in `meta`.
SCHEMA_VERSION = 2

#: The Alembic revision that brings a database to each schema version.
REVISION_OF_VERSION: dict[int, str] = {1: "0001", 2: "0002"}
HEAD_REVISION = REVISION_OF_VERSION[SCHEMA_VERSION]

#: The `view_state` journey id of settings that belong to the whole project.
PROJECT_LEVEL = ""

#: View settings by (journey id or PROJECT_LEVEL, key), e.g. ("current", "zoom") -> "1.5".
ViewState = dict[tuple[str, str], str]

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

projects = Table(
    "projects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False),
    UniqueConstraint("name", name="uq_projects_name"),
)

#: Segment parameters in table order (after project_id, position).
SEGMENT_COLUMNS: tuple[str, ...] = (
    "id", "name", "share",
    "tell_positive", "tell_negative", "spend_uplift", "abandon_on_poor", "public_reach",
    "trust_private", "trust_public", "referral_conversion", "deterrence", "memory",
    "initial_loyalty",
)


def _project_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name=f"fk_{table}_project")


def _journey_fk(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["project_id", "journey_id"],
                                ["journeys.project_id", "journeys.id"], ondelete="CASCADE",
                                name=f"fk_{table}_journey")


segments = Table(
    "segments", metadata,
    Column("project_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("name", Text, nullable=False),
    *(Column(name, Float, nullable=False) for name in SEGMENT_COLUMNS[2:]),
    PrimaryKeyConstraint("project_id", "id", name="pk_segments"),
    _project_fk("segments"),
)

journeys = Table(
    "journeys", metadata,
    Column("project_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("discount_rate", Float, nullable=False),
    Column("horizon", Integer, nullable=False),
    Column("conversions", Float, nullable=True),
    # Version 2: optimistic concurrency in the team store.
    Column("revision", Integer, nullable=False, server_default="1"),
    Column("changed_at", Text, nullable=True),  # ISO 8601, UTC
    Column("changed_by", Text, nullable=True),
    PrimaryKeyConstraint("project_id", "id", name="pk_journeys"),
    _project_fk("journeys"),
)


def _named_table(name: str) -> Table:
    return Table(
        name, metadata,
        Column("project_id", Integer, nullable=False),
        Column("journey_id", Text, nullable=False),
        Column("position", Integer, nullable=False),
        Column("id", Text, nullable=False),
        Column("name", Text, nullable=False),
        PrimaryKeyConstraint("project_id", "journey_id", "id", name=f"pk_{name}"),
        _journey_fk(name),
    )


stages = _named_table("stages")
channels = _named_table("channels")

#: Touchpoint columns after project_id, journey_id and position: the domain's fields.
TOUCHPOINT_COLUMNS: tuple[str, ...] = TOUCHPOINT_FIELDS
_TOUCHPOINT_TYPES: dict[str, Any] = {"stage": Text, "channel": Text, "conversion": Boolean,
                                     "notes": Text, "id": Text, "name": Text}

touchpoints = Table(
    "touchpoints", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    *(Column(name, _TOUCHPOINT_TYPES.get(name, Float),
             nullable=name in ("stage", "channel"))
      for name in TOUCHPOINT_COLUMNS),
    PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_touchpoints"),
    _journey_fk("touchpoints"),
)

transitions = Table(
    "transitions", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("probability", Float, nullable=False),
    Column("label", Text, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "source", "target",
                         name="pk_transitions"),
    _journey_fk("transitions"),
)

# Version 2: what the GUI restores on opening (zoom, scroll, the selected tab).
view_state = Table(
    "view_state", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False, server_default=PROJECT_LEVEL),
    Column("key", Text, nullable=False),
    Column("value", Text, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "key", name="pk_view_state"),
    _project_fk("view_state"),
)

#: The tables of each schema version, to tell a damaged file from an old one.
TABLES_OF_VERSION: dict[int, frozenset[str]] = {
    1: frozenset({"meta", "projects", "segments", "journeys", "stages", "channels",
                  "touchpoints", "transitions"}),
    2: frozenset(metadata.tables),
}


@dataclass(frozen=True, slots=True)
class JourneyRevision:
    """A journey's revision in the team store, and who changed it when (ISO 8601 UTC)."""

    revision: int = 1
    changed_at: str | None = None
    changed_by: str | None = None


def shown_text(text: str, limit: int = 200) -> str:
    """Text read from a damaged file as one short line: controls escaped, length capped."""
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


#: Alembic's record of the migration a database is at, as Alembic creates it.
_alembic_version = Table(
    "alembic_version", MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def create_head_tables(conn: Connection) -> None:
    """The tables of the current schema with their version stamps: what the migrations
    leave in an empty database, made without running them."""
    metadata.create_all(conn)
    _alembic_version.create(conn)
    conn.execute(insert(_alembic_version).values(version_num=HEAD_REVISION))
    conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))


# -- projects ---------------------------------------------------------------------------
def project_row_id(conn: Connection, name: str) -> int | None:
    """The id of the project called `name`, or None."""
    found = conn.execute(select(projects.c.id).where(projects.c.name == name)).scalar()
    return None if found is None else int(found)


def insert_project_row(conn: Connection, name: str, project_id: int | None = None) -> int:
    """Add a `projects` row (the project's name lives there) and return its id."""
    values: dict[str, Any] = {"name": name}
    if project_id is not None:
        values["id"] = project_id
    result = conn.execute(insert(projects).values(values))
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def delete_project_rows(conn: Connection, project_id: int) -> None:
    """Remove a project's contents (not its `projects` row nor its view state)."""
    for table in (transitions, touchpoints, channels, stages, journeys, segments):
        conn.execute(delete(table).where(table.c.project_id == project_id))


# -- writing ----------------------------------------------------------------------------
def write_project_rows(
    conn: Connection,
    project: Project,
    project_id: int,
    *,
    revisions: Mapping[str, JourneyRevision | int] | None = None,
    source: str | None = None,
) -> None:
    """Insert the segments, journeys and their elements of `project` under `project_id`.

    The `projects` row must exist and the project must have no rows yet (see
    delete_project_rows). The project is checked first with the rules of the
    JSON reader, so nothing is written that could not be read back; the
    ProjectFileError names `source`. `revisions` gives journeys' revisions
    (default 1, never changed).
    """
    with gc_paused():
        check_project(project, source)
        for table, rows in project_rows(project, project_id, revisions).items():
            _insert_rows(conn, table, rows)


#: A row as a tuple, in its table's column order.
Row = tuple[Any, ...]

_first = itemgetter(0)
_segment_values = attrgetter(*SEGMENT_COLUMNS)
_touchpoint_values = attrgetter(*TOUCHPOINT_COLUMNS)


def project_rows(
    project: Project,
    project_id: int,
    revisions: Mapping[str, JourneyRevision | int] | None = None,
) -> dict[Table, list[Row]]:
    """The rows of each table for `project`, parents first, in column order."""
    segment_rows = [(project_id, position, *_segment_values(segment))
                    for position, segment in enumerate(project.segments)]
    journey_rows: list[Row] = []
    stage_rows: list[Row] = []
    channel_rows: list[Row] = []
    touchpoint_rows: list[Row] = []
    transition_rows: list[Row] = []
    for position, journey in enumerate(project.journeys):
        revision = (revisions or {}).get(journey.id, JourneyRevision())
        if isinstance(revision, int):
            revision = JourneyRevision(revision)
        journey_rows.append((
            project_id, position, journey.id, journey.name, journey.discount_rate,
            journey.horizon, journey.conversions,
            revision.revision, revision.changed_at, revision.changed_by,
        ))
        j = journey.id
        stage_rows += [(project_id, j, n, s.id, s.name) for n, s in enumerate(journey.stages)]
        channel_rows += [(project_id, j, n, c.id, c.name)
                         for n, c in enumerate(journey.channels)]
        touchpoint_rows += [(project_id, j, n, *_touchpoint_values(t))
                            for n, t in enumerate(journey.touchpoints.values())]
        transition_rows += [(project_id, j, n, t.source, t.target, t.probability, t.label)
                            for n, t in enumerate(journey.transitions.values())]
    return {segments: segment_rows, journeys: journey_rows, stages: stage_rows,
            channels: channel_rows, touchpoints: touchpoint_rows,
            transitions: transition_rows}


def _insert_rows(conn: Connection, table: Table, rows: list[Row]) -> None:
    """One bulk insert per table, straight to the driver's executemany.

    Connection.execute would process each parameter set in Python, which costs
    more than SQLite's own work at 50,000 rows. The values are plain str, float,
    int, bool and None, which every DB-API driver binds as they are.
    """
    if not rows:
        return
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        _copy_rows(conn, table, rows)
        return
    columns = [column.key for column in table.columns]
    compiled = insert(table).compile(dialect=conn.dialect)
    if not compiled.positional:  # e.g. psycopg's %(name)s
        conn.exec_driver_sql(compiled.string, [dict(zip(columns, row, strict=True))
                                               for row in rows])
        return
    names = list(compiled.positiontup or ())
    if names != columns:
        order = [columns.index(name) for name in names]
        rows = [tuple(row[i] for i in order) for row in rows]
    conn.exec_driver_sql(compiled.string, rows)


def _copy_rows(conn: Connection, table: Table, rows: list[Row]) -> None:
    """PostgreSQL's COPY: a few times faster than executemany for thousands of rows."""
    quote = conn.dialect.identifier_preparer.quote
    columns = ", ".join(quote(column.name) for column in table.columns)
    statement = f"COPY {quote(table.name)} ({columns}) FROM STDIN"
    driver = conn.connection.driver_connection  # a psycopg.Connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def write_view_state(conn: Connection, project_id: int, state: Mapping[tuple[str, str], str],
                     journey_ids: Iterable[str] | None = None) -> None:
    """Replace a project's view state; entries of journeys not in `journey_ids` are dropped."""
    conn.execute(delete(view_state).where(view_state.c.project_id == project_id))
    known = None if journey_ids is None else {PROJECT_LEVEL, *journey_ids}
    _insert_rows(conn, view_state, [
        (project_id, journey_id, key, value) for (journey_id, key), value in state.items()
        if known is None or journey_id in known
    ])


def write_meta(conn: Connection, *, saved_at: datetime | None = None) -> None:
    """Record the app version and the time of saving (the schema version is the migrations')."""
    when = (saved_at or datetime.now(UTC)).astimezone(UTC)
    values = {"app_version": __version__,
              "saved_at": when.isoformat(timespec="seconds").replace("+00:00", "Z")}
    conn.execute(delete(meta).where(meta.c.key.in_(list(values))))
    conn.execute(insert(meta), [{"key": k, "value": v} for k, v in values.items()])


# -- reading ----------------------------------------------------------------------------
def read_meta(conn: Connection) -> dict[str, str]:
    return {str(key): str(value) for key, value in conn.execute(select(meta.c.key, meta.c.value))}


def read_project_rows(conn: Connection, project_id: int, *, source: str | None = None) -> Project:
    """The project stored under `project_id`, checked by the rules of the JSON reader."""
    return read_project_rows_with_warnings(conn, project_id, source=source)[0]


def read_project_rows_with_warnings(
    conn: Connection, project_id: int, *, source: str | None = None
) -> tuple[Project, list[str]]:
    """Also return what was fixed on the way (e.g. shares scaled to sum to 1)."""
    with gc_paused():
        raw = read_project_dict(conn, project_id, source=source)
        return project_from_dict_with_warnings(raw, source)


def read_project_dict(
    conn: Connection, project_id: int, *, source: str | None = None
) -> dict[str, Any]:
    """The stored project in the cx-mapper/1 form, unchecked (values as the database has them)."""
    found = conn.execute(select(projects.c.name).where(projects.c.id == project_id)).first()
    if found is None:
        raise ProjectFileError(f"holds no project with id {project_id}.", path=source)
    name = found[0]

    def in_order(table: Table, columns: tuple[str, ...],
                 group: str | None = None) -> dict[Any, list[Row]]:
        """Rows by `group` column value, each list in position order.

        Sorting here rather than in SQL: the rows come in insertion order, which is
        already the position order, and Python's sort checks that in linear time.
        """
        keys = [table.c[group]] if group else []
        query = (select(*keys, table.c.position, *(table.c[c] for c in columns))
                 .where(table.c.project_id == project_id))
        groups: dict[Any, list[Row]] = {}
        start = 1 if group else 0
        for row in conn.execute(query):
            groups.setdefault(row[0] if group else None, []).append(tuple(row[start:]))
        for rows in groups.values():
            rows.sort(key=_first)
        return groups

    # The reader wants the export's key names; the table order differs from SEGMENT_KEYS.
    segment_list = [dict(zip(SEGMENT_COLUMNS, row[1:], strict=True))
                    for row in in_order(segments, SEGMENT_COLUMNS).get(None, [])]
    journey_columns = ("id", "name", "discount_rate", "horizon", "conversions")
    journey_list: list[dict[str, Any]] = []
    by_id: dict[Any, dict[str, Any]] = {}
    for row in in_order(journeys, journey_columns).get(None, []):
        journey = dict(zip(journey_columns, row[1:], strict=True))
        journey.update(stages=[], channels=[], touchpoints=[], transitions=[])
        journey_list.append(journey)
        by_id.setdefault(journey["id"], journey)

    def children(table: Table, key: str, columns: tuple[str, ...],
                 names: tuple[str, ...] | None = None) -> None:
        names = names or columns
        for journey_id, rows in in_order(table, columns, "journey_id").items():
            journey = by_id.get(journey_id)
            if journey is None:
                raise ProjectFileError(
                    f"is damaged: a {table.name[:-1]} belongs to journey "
                    f"'{shown_text(str(journey_id))}', which is not in it. Nothing was "
                    "changed. Open a backup copy.", path=source)
            journey[key] = [dict(zip(names, row[1:], strict=True)) for row in rows]

    children(stages, "stages", ("id", "name"))
    children(channels, "channels", ("id", "name"))
    children(touchpoints, "touchpoints", TOUCHPOINT_COLUMNS)
    children(transitions, "transitions", ("source", "target", "probability", "label"),
             ("from", "to", "probability", "label"))
    return {
        "format": FORMAT,
        "name": name,
        **({"segments": segment_list} if segment_list else {}),
        "journeys": journey_list,
    }


def read_journey_revisions(conn: Connection, project_id: int) -> dict[str, JourneyRevision]:
    """Each journey's revision, by journey id."""
    query = (select(journeys.c.id, journeys.c.revision, journeys.c.changed_at,
                    journeys.c.changed_by)
             .where(journeys.c.project_id == project_id))
    return {str(journey_id): JourneyRevision(int(revision), changed_at, changed_by)
            for journey_id, revision, changed_at, changed_by in conn.execute(query)}


def read_view_state(conn: Connection, project_id: int) -> ViewState:
    query = (select(view_state.c.journey_id, view_state.c.key, view_state.c.value)
             .where(view_state.c.project_id == project_id))
    return {(str(journey_id), str(key)): str(value)
            for journey_id, key, value in conn.execute(query)}
