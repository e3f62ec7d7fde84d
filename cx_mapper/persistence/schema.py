"""Reading and writing a project's rows, shared by `.cxmap` files and the team store.

The tables are in tables.py (re-exported here). The functions take any SQLAlchemy
Connection and neither commit nor open transactions: the caller owns the
transaction. Every project read is checked by the rules of the JSON reader.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from operator import attrgetter, itemgetter
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from cx_mapper import __version__
from cx_mapper.domain.opportunities import Opportunity
from cx_mapper.domain.personas import PERSONA_LISTS
from cx_mapper.domain.project import Project
from cx_mapper.persistence.building import gc_paused
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.evidence_rows import READ_COLUMNS, attach_evidence, evidence_rows
from cx_mapper.persistence.json_checks import object_of_pairs
from cx_mapper.persistence.json_format import (
    FORMAT,
    check_project,
    project_from_dict_with_warnings,
)
from cx_mapper.persistence.tables import HEAD_REVISION as HEAD_REVISION
from cx_mapper.persistence.tables import NOTE_COLUMNS, OPPORTUNITY_COLUMNS, TIME_COLUMNS
from cx_mapper.persistence.tables import PROJECT_LEVEL as PROJECT_LEVEL
from cx_mapper.persistence.tables import REVISION_OF_VERSION as REVISION_OF_VERSION
from cx_mapper.persistence.tables import SCHEMA_VERSION as SCHEMA_VERSION
from cx_mapper.persistence.tables import SEGMENT_COLUMNS as SEGMENT_COLUMNS
from cx_mapper.persistence.tables import TABLES_OF_VERSION as TABLES_OF_VERSION
from cx_mapper.persistence.tables import TOUCHPOINT_COLUMNS as TOUCHPOINT_COLUMNS
from cx_mapper.persistence.tables import channels as channels
from cx_mapper.persistence.tables import create_head_tables as create_head_tables
from cx_mapper.persistence.tables import evidence as evidence
from cx_mapper.persistence.tables import images as images
from cx_mapper.persistence.tables import journey_variants as journey_variants
from cx_mapper.persistence.tables import journeys as journeys
from cx_mapper.persistence.tables import lanes as lanes
from cx_mapper.persistence.tables import meta as meta
from cx_mapper.persistence.tables import metadata as metadata
from cx_mapper.persistence.tables import note_touchpoints as note_touchpoints
from cx_mapper.persistence.tables import notes as notes
from cx_mapper.persistence.tables import opportunities as opportunities
from cx_mapper.persistence.tables import (
    opportunity_added_touchpoints as opportunity_added_touchpoints,
)
from cx_mapper.persistence.tables import opportunity_fields as opportunity_fields
from cx_mapper.persistence.tables import (
    opportunity_removed_transitions as opportunity_removed_transitions,
)
from cx_mapper.persistence.tables import opportunity_touchpoints as opportunity_touchpoints
from cx_mapper.persistence.tables import opportunity_transitions as opportunity_transitions
from cx_mapper.persistence.tables import persona_items as persona_items
from cx_mapper.persistence.tables import personas as personas
from cx_mapper.persistence.tables import plan_objectives as plan_objectives
from cx_mapper.persistence.tables import projects as projects
from cx_mapper.persistence.tables import segments as segments
from cx_mapper.persistence.tables import stages as stages
from cx_mapper.persistence.tables import touchpoints as touchpoints
from cx_mapper.persistence.tables import transitions as transitions
from cx_mapper.persistence.tables import view_state as view_state

#: The tables of an opportunity's touchpoints and changes, each row in its opportunity.
OPPORTUNITY_PARTS: tuple[Table, ...] = (opportunity_touchpoints, opportunity_fields,
                                        opportunity_transitions,
                                        opportunity_removed_transitions,
                                        opportunity_added_touchpoints)

#: View settings by (journey id or PROJECT_LEVEL, key), e.g. ("current", "zoom") -> "1.5".
ViewState = dict[tuple[str, str], str]


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
    for table in (evidence, *OPPORTUNITY_PARTS, opportunities, plan_objectives,
                  journey_variants, persona_items,
                  personas, images, note_touchpoints, notes, lanes, transitions, touchpoints,
                  channels, stages, journeys, segments):
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
        conn.execute(update(projects).where(projects.c.id == project_id)
                     .values(cost_unit=project.cost_unit))
        for table, rows in project_rows(project, project_id, revisions).items():
            _insert_rows(conn, table, rows)


#: A row as a tuple, in its table's column order.
Row = tuple[Any, ...]

_first = itemgetter(0)
_segment_values = attrgetter(*SEGMENT_COLUMNS)
_touchpoint_values = attrgetter(*TOUCHPOINT_COLUMNS)
_note_values = attrgetter(*NOTE_COLUMNS)
_opportunity_values = attrgetter(*OPPORTUNITY_COLUMNS)


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
    lane_rows: list[Row] = []
    note_rows: list[Row] = []
    link_rows: list[Row] = []
    objective_rows: list[Row] = []
    variant_rows: list[Row] = []
    opportunity_rows: dict[Table, list[Row]] = {table: [] for table in
                                                 (opportunities, *OPPORTUNITY_PARTS)}
    for position, journey in enumerate(project.journeys):
        revision = (revisions or {}).get(journey.id, JourneyRevision())
        if isinstance(revision, int):
            revision = JourneyRevision(revision)
        journey_rows.append((
            project_id, position, journey.id, journey.name, journey.discount_rate,
            journey.horizon, journey.conversions,
            revision.revision, revision.changed_at, revision.changed_by, journey.lanes_above,
            None if journey.plan is None else journey.plan.budget,
        ))
        if journey.plan is not None:
            objective_rows += [(project_id, journey.id, n, kpi, weight) for n, (kpi, weight)
                               in enumerate(journey.plan.objective.items())]
        j = journey.id
        variant_rows += [(project_id, j, n, json.dumps(list(v.path), ensure_ascii=False),
                          v.customers, v.share, v.conversion_rate)
                         for n, v in enumerate(journey.variants)]
        stage_rows += [(project_id, j, n, s.id, s.name, s.time_median, s.time_p90)
                       for n, s in enumerate(journey.stages)]
        channel_rows += [(project_id, j, n, c.id, c.name)
                         for n, c in enumerate(journey.channels)]
        touchpoint_rows += [(project_id, j, n, *_touchpoint_values(t))
                            for n, t in enumerate(journey.touchpoints.values())]
        transition_rows += [(project_id, j, n, t.source, t.target, t.probability, t.label,
                             t.time_median, t.time_p90)
                            for n, t in enumerate(journey.transitions.values())]
        lane_rows += [(project_id, j, n, lane.id, lane.kind, lane.name, lane.colour)
                      for n, lane in enumerate(journey.lanes)]
        note_rows += [(project_id, j, n, *_note_values(note))
                      for n, note in enumerate(journey.notes.values())]
        link_rows += [(project_id, j, note.id, n, touchpoint_id)
                      for note in journey.notes.values()
                      for n, touchpoint_id in enumerate(note.touchpoints)]
        _opportunity_rows(journey.id, journey.opportunities, project_id, opportunity_rows)
    return {segments: segment_rows, journeys: journey_rows, stages: stage_rows,
            channels: channel_rows, touchpoints: touchpoint_rows,
            transitions: transition_rows, lanes: lane_rows, notes: note_rows,
            note_touchpoints: link_rows, plan_objectives: objective_rows,
            journey_variants: variant_rows,
            images: [(project_id, n, image.id, image.media_type, image.data)
                     for n, image in enumerate(project.images.values())],
            personas: [(project_id, n, p.id, p.segment, p.name, p.quote, p.image)
                       for n, p in enumerate(project.personas)],
            persona_items: [(project_id, p.id, name, n, text) for p in project.personas
                            for name in PERSONA_LISTS
                            for n, text in enumerate(getattr(p, name))],
            **opportunity_rows, evidence: evidence_rows(project, project_id)}


def _opportunity_rows(j: str, found: list[Opportunity], project_id: int,
                      rows: dict[Table, list[Row]]) -> None:
    """The rows of a journey's opportunities, added to `rows`."""
    rows[opportunities] += [(project_id, j, n, *_opportunity_values(o))
                            for n, o in enumerate(found)]
    for o in found:
        key = (project_id, j, o.id)
        changes = o.changes
        rows[opportunity_touchpoints] += [(*key, n, t) for n, t in enumerate(o.touchpoints)]
        fields = [(touchpoint_id, name, value)
                  for touchpoint_id, values in changes.touchpoints.items()
                  for name, value in (values.items() if values else [(None, None)])]
        rows[opportunity_fields] += [(*key, n, *field) for n, field in enumerate(fields)]
        rows[opportunity_transitions] += [(*key, n, t.source, t.target, t.probability,
                                           t.label)
                                          for n, t in enumerate(changes.transitions)]
        rows[opportunity_removed_transitions] += [
            (*key, n, source, target)
            for n, (source, target) in enumerate(changes.remove_transitions)]
        rows[opportunity_added_touchpoints] += [
            (*key, n, *_touchpoint_values(t)) for n, t in enumerate(changes.add_touchpoints)]


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
    found = conn.execute(select(projects.c.name, projects.c.cost_unit)
                         .where(projects.c.id == project_id)).first()
    if found is None:
        raise ProjectFileError(f"holds no project with id {project_id}.", path=source)
    name, cost_unit = found

    def in_order(table: Table, columns: tuple[str, ...],
                 group: str | tuple[str, ...] | None = None) -> dict[Any, list[Row]]:
        """Rows by `group` column value (a tuple of values for columns), each list in
        position order.

        Sorting here rather than in SQL: the rows come in insertion order, which is
        already the position order, and Python's sort checks that in linear time.
        """
        names = (group,) if isinstance(group, str) else group or ()
        query = (select(*(table.c[name] for name in names), table.c.position,
                        *(table.c[c] for c in columns))
                 .where(table.c.project_id == project_id))
        groups: dict[Any, list[Row]] = {}
        start = len(names)
        for row in conn.execute(query):
            key = None if not names else row[0] if start == 1 else tuple(row[:start])
            groups.setdefault(key, []).append(tuple(row[start:]))
        for rows in groups.values():
            rows.sort(key=_first)
        return groups

    # The reader wants the export's key names; the table order differs from SEGMENT_KEYS.
    segment_list = [dict(zip(SEGMENT_COLUMNS, row[1:], strict=True))
                    for row in in_order(segments, SEGMENT_COLUMNS).get(None, [])]
    journey_columns = ("id", "name", "discount_rate", "horizon", "conversions", "lanes_above",
                       "plan_budget")
    journey_list: list[dict[str, Any]] = []
    by_id: dict[Any, dict[str, Any]] = {}
    for row in in_order(journeys, journey_columns).get(None, []):
        journey = dict(zip(journey_columns, row[1:], strict=True))
        budget = journey.pop("plan_budget")
        if budget is not None:
            journey["plan"] = {"budget": budget, "objective": {}}
        journey.update(stages=[], channels=[], touchpoints=[], transitions=[], lanes=[],
                       notes=[], opportunities=[])
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

    children(stages, "stages", ("id", "name", *TIME_COLUMNS))
    children(channels, "channels", ("id", "name"))
    children(touchpoints, "touchpoints", TOUCHPOINT_COLUMNS)
    children(transitions, "transitions",
             ("source", "target", "probability", "label", *TIME_COLUMNS),
             ("from", "to", "probability", "label", *TIME_COLUMNS))
    children(lanes, "lanes", ("id", "kind", "name", "colour"))
    children(notes, "notes", NOTE_COLUMNS)
    by_note: dict[Any, dict[str, Any]] = {}
    for journey in journey_list:
        for note in journey["notes"]:
            note["touchpoints"] = []
            by_note.setdefault((journey["id"], note["id"]), note)
    for key, rows in in_order(note_touchpoints, ("touchpoint",),
                              ("journey_id", "note_id")).items():
        if key not in by_note:
            raise _stray("a note's touchpoint", "note", key[1], source)
        by_note[key]["touchpoints"] = [row[1] for row in rows]
    children(opportunities, "opportunities", OPPORTUNITY_COLUMNS)
    for journey_id, rows in in_order(plan_objectives, ("kpi", "weight"), "journey_id").items():
        plan = by_id[journey_id].setdefault("plan", {}) if journey_id in by_id else None
        if plan is None:
            raise _stray("a plan's objective", "journey", journey_id, source)
        plan["objective"] = {kpi: weight for _, kpi, weight in rows}
    _opportunity_parts(journey_list, in_order, source)
    for journey_id, rows in in_order(journey_variants, ("path", "customers", "share",
                                                        "conversion_rate"), "journey_id").items():
        if journey_id not in by_id:
            raise _stray("a path variant", "journey", journey_id, source)
        by_id[journey_id]["variants"] = [
            {"path": _steps(path, source), "customers": customers, "share": share,
             "conversion_rate": rate} for _, path, customers, share, rate in rows]

    evidence_found = in_order(evidence, READ_COLUMNS, "journey_id")
    attach_evidence([(journey_id, *row) for journey_id, rows in evidence_found.items()
                     for row in rows], segment_list, journey_list, source)

    persona_list = [dict(zip(("id", "segment", "name", "quote", "image"), row[1:],
                             strict=True))
                    for row in in_order(personas, ("id", "segment", "name", "quote",
                                                   "image")).get(None, [])]
    by_persona = {persona["id"]: persona for persona in persona_list}
    for persona in persona_list:
        persona.update((name, []) for name in PERSONA_LISTS)
    for (persona_id, list_name), rows in in_order(persona_items, ("text",),
                                                  ("persona_id", "list")).items():
        owner = by_persona.get(persona_id)
        if owner is None or list_name not in PERSONA_LISTS:
            raise _stray("a goal, need or frustration", "persona", persona_id, source)
        owner[list_name] = [row[1] for row in rows]
    image_rows = in_order(images, ("id", "media_type", "data")).get(None, [])
    return {
        "format": FORMAT,
        "name": name,
        **({"cost_unit": cost_unit} if cost_unit != "" else {}),
        **({"segments": segment_list} if segment_list else {}),
        **({"personas": persona_list} if persona_list else {}),
        "journeys": journey_list,
        **({"images": {image_id: {"media_type": media_type, "data": data}
                       for _, image_id, media_type, data in image_rows}}
           if image_rows else {}),
    }


def _opportunity_parts(journey_list: list[dict[str, Any]],
                       in_order: Callable[..., dict[Any, list[Row]]],
                       source: str | None) -> None:
    """Each opportunity's touchpoints and changes, from their tables' rows."""
    by_opportunity: dict[Any, dict[str, Any]] = {}
    for journey in journey_list:
        for opportunity in journey["opportunities"]:
            opportunity.update(touchpoints=[], changes={})
            by_opportunity.setdefault((journey["id"], opportunity["id"]), opportunity)
    group = ("journey_id", "opportunity_id")

    def parts(table: Table, columns: tuple[str, ...]
              ) -> Iterator[tuple[dict[str, Any], list[Row], tuple[Any, Any]]]:
        for key, rows in in_order(table, columns, group).items():
            if key not in by_opportunity:
                raise _stray(f"a row of the {table.name} table", "opportunity", key[1], source)
            yield by_opportunity[key], rows, key

    for owner, rows, _ in parts(opportunity_touchpoints, ("touchpoint",)):
        owner["touchpoints"] = [row[1] for row in rows]
    for owner, rows, (journey_id, opportunity_id) in parts(
            opportunity_fields, ("touchpoint", "field", "value")):
        fields: dict[Any, list[tuple[Any, Any]]] = {}
        for _, touchpoint_id, name, value in rows:
            named = fields.setdefault(touchpoint_id, [])
            if name is None and value is not None:  # no field: a map left empty, no value
                raise ProjectFileError(
                    f"is damaged: a new value ({value!r}) for touchpoint "
                    f"'{shown_text(str(touchpoint_id))}' names no field. Nothing was "
                    "changed. Open a backup copy.", path=source, journey=str(journey_id),
                    element="opportunity", element_id=str(opportunity_id), field="changes")
            if name is not None:
                named.append((name, value))
        # A field given twice is refused by the JSON reader's words, as in a file.
        owner["changes"]["touchpoints"] = {t: object_of_pairs(values)
                                           for t, values in fields.items()}
    for owner, rows, _ in parts(opportunity_transitions,
                             ("source", "target", "probability", "label")):
        owner["changes"]["transitions"] = [
            {"from": source, "to": target, "probability": p, "label": label}
            for _, source, target, p, label in rows]
    for owner, rows, _ in parts(opportunity_removed_transitions, ("source", "target")):
        owner["changes"]["remove_transitions"] = [[row[1], row[2]] for row in rows]
    for owner, rows, _ in parts(opportunity_added_touchpoints, TOUCHPOINT_COLUMNS):
        owner["changes"]["add_touchpoints"] = [dict(zip(TOUCHPOINT_COLUMNS, row[1:],
                                                        strict=True)) for row in rows]


def _steps(path: Any, source: str | None) -> Any:
    """A variant's stored path, the JSON list of its steps."""
    try:
        return json.loads(path)
    except (TypeError, ValueError):
        raise ProjectFileError(f"is damaged: a path variant's steps "
                               f"({shown_text(str(path))}) are not a JSON list. Nothing was "
                               "changed. Open a backup copy.", path=source) from None


def _stray(what: str, owner: str, owner_id: object, source: str | None) -> ProjectFileError:
    return ProjectFileError(f"is damaged: {what} belongs to {owner} "
                            f"'{shown_text(str(owner_id))}', which is not in it. Nothing was "
                            "changed. Open a backup copy.", path=source)


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
