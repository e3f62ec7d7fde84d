"""The project tables (SQLAlchemy Core), shared by `.cxmap` files and the team store.

One schema serves SQLite and PostgreSQL. A `.cxmap` file holds one row in
`projects`; the team store holds many. Every child row carries its project's id,
and a `position` column keeps the order users see (lists, drawing order).

Tables are created and upgraded only by the Alembic migrations in
`persistence/migrations`, or made at once by `create_head_tables` for a new file;
`metadata` mirrors the head revision (tests check that the two agree). Reading and
writing rows is schema.py's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
)

from cx_mapper.domain.journey import TOUCHPOINT_FIELDS

#: The version of the tables below. Files record theirs in `meta`.
SCHEMA_VERSION = 9

#: The Alembic revision that brings a database to each schema version.
REVISION_OF_VERSION: dict[int, str] = {1: "0001", 2: "0002", 3: "0003", 4: "0004", 5: "0005",
                                      6: "0006", 7: "0007", 8: "0008",
                                      9: "0009"}
HEAD_REVISION = REVISION_OF_VERSION[SCHEMA_VERSION]

#: The `view_state` journey id of settings that belong to the whole project.
PROJECT_LEVEL = ""

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
    # Version 5: what opportunities' costs count ("" shows bare numbers).
    Column("cost_unit", Text, nullable=False, server_default=""),
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
    # Version 4: how many of the journey's lanes are drawn above the touchpoint band.
    Column("lanes_above", Integer, nullable=False, server_default="0"),
    # Version 5: the budget of the plan the user last asked for (NULL: none yet); its
    # objective's weights are rows of plan_objectives.
    Column("plan_budget", Float, nullable=True),
    PrimaryKeyConstraint("project_id", "id", name="pk_journeys"),
    _project_fk("journeys"),
)


#: Version 7: the times an event log measured, in seconds (NULL: not measured), on
#: stages and transitions; the domain's field names.
TIME_COLUMNS: tuple[str, ...] = ("time_median", "time_p90")


def _named_table(name: str, *columns: Column[Any]) -> Table:
    return Table(
        name, metadata,
        Column("project_id", Integer, nullable=False),
        Column("journey_id", Text, nullable=False),
        Column("position", Integer, nullable=False),
        Column("id", Text, nullable=False),
        Column("name", Text, nullable=False),
        *columns,
        PrimaryKeyConstraint("project_id", "journey_id", "id", name=f"pk_{name}"),
        _journey_fk(name),
    )


stages = _named_table("stages", *(Column(name, Float, nullable=True) for name in TIME_COLUMNS))
channels = _named_table("channels")

#: Touchpoint columns after project_id, journey_id and position: the domain's fields.
TOUCHPOINT_COLUMNS: tuple[str, ...] = TOUCHPOINT_FIELDS
_TOUCHPOINT_TYPES: dict[str, Any] = {"stage": Text, "channel": Text, "conversion": Boolean,
                                     "notes": Text, "id": Text, "name": Text, "image": Text}
_TOUCHPOINT_OPTIONAL = ("stage", "channel", "image", "measured_satisfaction")

touchpoints = Table(
    "touchpoints", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    *(Column(name, _TOUCHPOINT_TYPES.get(name, Float),
             nullable=name in _TOUCHPOINT_OPTIONAL)
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
    *(Column(name, Float, nullable=True) for name in TIME_COLUMNS),
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

# Version 3: the journey map around the graph (FORMAT.md, "Additions to cx-mapper/1").
images = Table(
    "images", metadata,
    Column("project_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("media_type", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    PrimaryKeyConstraint("project_id", "id", name="pk_images"),
    _project_fk("images"),
)

personas = Table(
    "personas", metadata,
    Column("project_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("segment", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("quote", Text, nullable=False),
    Column("image", Text, nullable=True),
    PrimaryKeyConstraint("project_id", "id", name="pk_personas"),
    _project_fk("personas"),
)

#: A persona's goals, needs and frustrations: one row per item, `list` saying which.
persona_items = Table(
    "persona_items", metadata,
    Column("project_id", Integer, nullable=False),
    Column("persona_id", Text, nullable=False),
    Column("list", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("text", Text, nullable=False),
    PrimaryKeyConstraint("project_id", "persona_id", "list", "position",
                         name="pk_persona_items"),
    ForeignKeyConstraint(["project_id", "persona_id"], ["personas.project_id", "personas.id"],
                         ondelete="CASCADE", name="fk_persona_items_persona"),
)

lanes = Table(
    "lanes", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("colour", Text, nullable=True),
    PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_lanes"),
    _journey_fk("lanes"),
)

#: Note columns after project_id, journey_id and position; its touchpoints are rows of
#: note_touchpoints.
NOTE_COLUMNS: tuple[str, ...] = ("id", "lane", "stage", "text", "image", "x", "y")

notes = Table(
    "notes", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("lane", Text, nullable=False),
    Column("stage", Text, nullable=False),
    Column("text", Text, nullable=False),
    Column("image", Text, nullable=True),
    Column("x", Float, nullable=False),
    Column("y", Float, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_notes"),
    _journey_fk("notes"),
)

note_touchpoints = Table(
    "note_touchpoints", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("note_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("touchpoint", Text, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "note_id", "touchpoint",
                         name="pk_note_touchpoints"),
    ForeignKeyConstraint(["project_id", "journey_id", "note_id"],
                         ["notes.project_id", "notes.journey_id", "notes.id"],
                         ondelete="CASCADE", name="fk_note_touchpoints_note"),
)

# Version 5: a journey's opportunities (FORMAT.md "Additions"; the README's design notes).
#: Opportunity columns after project_id, journey_id and position; its touchpoints and
#: changes are rows of the tables after it.
OPPORTUNITY_COLUMNS: tuple[str, ...] = ("id", "title", "description", "owner", "status",
                                        "cost")

opportunities = Table(
    "opportunities", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("id", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    Column("owner", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("cost", Float, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_opportunities"),
    _journey_fk("opportunities"),
)


def _opportunity_part(name: str, *columns: Column[Any], key: tuple[str, ...]) -> Table:
    """A table of one part of an opportunity, in `position` order within it."""
    return Table(
        name, metadata,
        Column("project_id", Integer, nullable=False),
        Column("journey_id", Text, nullable=False),
        Column("opportunity_id", Text, nullable=False),
        Column("position", Integer, nullable=False),
        *columns,
        PrimaryKeyConstraint("project_id", "journey_id", "opportunity_id", *key,
                             name=f"pk_{name}"),
        ForeignKeyConstraint(["project_id", "journey_id", "opportunity_id"],
                             ["opportunities.project_id", "opportunities.journey_id",
                              "opportunities.id"],
                             ondelete="CASCADE", name=f"fk_{name}_opportunity"),
    )


#: The touchpoints an opportunity is about.
opportunity_touchpoints = _opportunity_part(
    "opportunity_touchpoints", Column("touchpoint", Text, nullable=False),
    key=("touchpoint",))
#: New touchpoint field values, one row each, in the order of the changes' map. A row
#: with no field names a touchpoint whose map is empty, so even that reads back.
opportunity_fields = _opportunity_part(
    "opportunity_fields", Column("touchpoint", Text, nullable=False),
    Column("field", Text, nullable=True), Column("value", Float, nullable=True),
    key=("position",))
#: Transitions an opportunity adds or gives a new probability.
opportunity_transitions = _opportunity_part(
    "opportunity_transitions", Column("source", Text, nullable=False),
    Column("target", Text, nullable=False), Column("probability", Float, nullable=False),
    Column("label", Text, nullable=False), key=("source", "target"))
opportunity_removed_transitions = _opportunity_part(
    "opportunity_removed_transitions", Column("source", Text, nullable=False),
    Column("target", Text, nullable=False), key=("source", "target"))
#: Touchpoints an opportunity adds, with every field of a journey's touchpoint.
opportunity_added_touchpoints = _opportunity_part(
    "opportunity_added_touchpoints",
    *(Column(name, _TOUCHPOINT_TYPES.get(name, Float), nullable=name in _TOUCHPOINT_OPTIONAL)
      for name in TOUCHPOINT_COLUMNS),
    key=("id",))

#: A journey's plan objective: a weight per KPI, in the order the user gave them.
plan_objectives = Table(
    "plan_objectives", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("kpi", Text, nullable=False),
    Column("weight", Float, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "kpi", name="pk_plan_objectives"),
    _journey_fk("plan_objectives"),
)

# Version 7: the most common paths of the event log a journey was last imported from
# (FORMAT.md addition "variants"); `path` is the JSON list of the steps' touchpoint ids.
journey_variants = Table(
    "journey_variants", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("path", Text, nullable=False),
    Column("customers", Integer, nullable=False),
    Column("share", Float, nullable=False),
    Column("conversion_rate", Float, nullable=True),
    PrimaryKeyConstraint("project_id", "journey_id", "position", name="pk_journey_variants"),
    _journey_fk("journey_variants"),
)

# Version 9: the evidence behind figures (FORMAT.md "evidence", MODEL.md §13), one row
# per entry: a segment's by parameter (journey_id ""), a touchpoint's by field, a
# transition's (field "probability", `target` its other end), and a touchpoint an
# opportunity adds (element_id the opportunity, `target` the touchpoint). The numbers
# a kind has no use for are NULL; `position` keeps each element's entries in order.
#: The columns of one entry, after the element's place: Evidence's fields.
EVIDENCE_COLUMNS: tuple[str, ...] = ("kind", "low", "high", "mode", "n", "sd", "scale",
                                     "source")

evidence = Table(
    "evidence", metadata,
    Column("project_id", Integer, nullable=False),
    Column("journey_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("element", Text, nullable=False),
    Column("element_id", Text, nullable=False),
    Column("target", Text, nullable=False),
    Column("field", Text, nullable=False),
    Column("kind", Text, nullable=False),
    *(Column(name, Float, nullable=True) for name in ("low", "high", "mode", "n", "sd")),
    Column("scale", Text, nullable=False),
    Column("source", Text, nullable=False),
    PrimaryKeyConstraint("project_id", "journey_id", "element", "element_id", "target",
                         "field", name="pk_evidence"),
    _project_fk("evidence"),
)

#: The tables of each schema version, to tell a damaged file from an old one.
TABLES_OF_VERSION: dict[int, frozenset[str]] = {
    1: frozenset({"meta", "projects", "segments", "journeys", "stages", "channels",
                  "touchpoints", "transitions"}),
    2: frozenset({"meta", "projects", "segments", "journeys", "stages", "channels",
                  "touchpoints", "transitions", "view_state"}),
    3: frozenset({"meta", "projects", "segments", "journeys", "stages", "channels",
                  "touchpoints", "transitions", "view_state", "images", "personas",
                  "persona_items", "lanes", "notes", "note_touchpoints"}),
}
TABLES_OF_VERSION[4] = TABLES_OF_VERSION[3]
TABLES_OF_VERSION[5] = frozenset(metadata.tables) - {"journey_variants", "evidence"}
TABLES_OF_VERSION[6] = TABLES_OF_VERSION[5]
TABLES_OF_VERSION[7] = frozenset(metadata.tables) - {"evidence"}
TABLES_OF_VERSION[8] = TABLES_OF_VERSION[7]
TABLES_OF_VERSION[9] = frozenset(metadata.tables)


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
