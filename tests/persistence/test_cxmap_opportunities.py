"""Opportunities and the cost unit in `.cxmap` files (schema version 5).

They round trip exactly, files of version 4 and earlier open with none and an empty
unit, and damage to the new tables is refused by name like damage anywhere else.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cx_mapper.domain.opportunities import Changes, Opportunity
from cx_mapper.persistence import migrations, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import dumps_project
from cx_mapper.persistence.project_file import (
    database_image,
    memory_database,
    open_project,
    save_project,
)
from tests.factories import story_project
from tests.persistence.opportunity_files import planned_project

PLANNED = planned_project()


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.cxmap"
    save_project(PLANNED, path)
    return path


def edit_file(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def rows(path: Path, query: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


# -- round trips ---------------------------------------------------------------------------
def test_opportunities_and_the_cost_unit_round_trip_exactly(plan_file: Path) -> None:
    opened = open_project(plan_file)

    assert opened.project == PLANNED and opened.project.cost_unit == "k€"
    assert dumps_project(opened.project) == dumps_project(PLANNED)
    assert opened.schema_version == schema.SCHEMA_VERSION == 7 and not opened.upgraded
    # Each part in a table of its own, in order.
    assert rows(plan_file, "SELECT cost_unit FROM projects") == [("k€",)]
    assert rows(plan_file, "SELECT id, status, cost FROM opportunities ORDER BY position") == [
        ("stock", "planned", 40.0), ("callback", "idea", 25.0), ("chat", "in_progress", 0)]
    assert rows(plan_file, "SELECT touchpoint, field, value FROM opportunity_fields "
                           "ORDER BY position") == [("store_visit", "satisfaction", 0.6),
                                                    ("store_visit", "visibility", 0.8),
                                                    ("browse_site", "value", 12.5)]
    assert rows(plan_file, "SELECT source, target FROM opportunity_removed_transitions") == [
        ("friend_post", "store_visit")]
    assert rows(plan_file, "SELECT id, image FROM opportunity_added_touchpoints") == [
        ("chat", "shelf")]
    assert rows(plan_file, "SELECT id, plan_budget FROM journeys ORDER BY position") == [
        ("current", 60.0), ("future", None)]
    assert rows(plan_file, "SELECT kpi, weight FROM plan_objectives ORDER BY position") == [
        ("referral_r", 50.0), ("value", 1.0)]


def test_a_touchpoint_named_with_no_field_and_an_empty_unit_round_trip(tmp_path: Path) -> None:
    project = planned_project()
    project.cost_unit = ""
    project.journey("future").add_opportunity(
        Opportunity("later", changes=Changes(touchpoints={"reviews": {}})))
    path = tmp_path / "plan.cxmap"
    save_project(project, path)

    opened = open_project(path).project

    assert opened == project
    assert opened.journey("future").opportunity("later").changes.touchpoints == {"reviews": {}}
    assert '"cost_unit"' not in dumps_project(opened)


def test_removing_an_opportunity_s_journey_leaves_no_rows_behind(tmp_path: Path) -> None:
    project = planned_project()
    project.remove_journey("current")
    path = tmp_path / "plan.cxmap"
    save_project(project, path)
    for table in ("opportunities", *(t.name for t in schema.OPPORTUNITY_PARTS)):
        assert rows(path, f"SELECT count(*) FROM {table}") == [(0,)]


# -- older files ---------------------------------------------------------------------------
def downgraded(path: Path, version: int) -> None:
    with memory_database(path.read_bytes()) as conn:
        with conn.begin():
            migrations.downgrade(conn, schema.REVISION_OF_VERSION[version])
        path.write_bytes(database_image(conn))


def test_a_version_4_file_opens_with_no_opportunities_and_no_unit(plan_file: Path) -> None:
    downgraded(plan_file, 4)
    before = plan_file.read_bytes()
    tables = {row[0] for row in rows(plan_file, "SELECT name FROM sqlite_master")}
    assert not tables & {"opportunities", "opportunity_fields"}
    assert "cost_unit" not in {row[1] for row in rows(plan_file, "PRAGMA table_info(projects)")}

    opened = open_project(plan_file)

    assert opened.schema_version == 4 and opened.upgraded
    assert opened.project.cost_unit == ""
    assert all(not journey.opportunities for journey in opened.project.journeys)
    expected = planned_project()
    expected.cost_unit = ""
    for journey in expected.journeys:
        journey.opportunities.clear()
        journey.plan = None
    assert opened.project == expected  # everything else as it was
    assert plan_file.read_bytes() == before  # upgraded in memory only

    save_project(PLANNED, plan_file, expected=opened.fingerprint)
    again = open_project(plan_file)
    assert again.schema_version == schema.SCHEMA_VERSION and again.project == PLANNED


def test_a_file_downgraded_to_version_4_and_upgraded_again_takes_opportunities(
        tmp_path: Path) -> None:
    path = tmp_path / "story.cxmap"
    save_project(story_project(), path)
    with memory_database(path.read_bytes()) as conn:
        with conn.begin():
            migrations.downgrade(conn, schema.REVISION_OF_VERSION[4])
            migrations.upgrade(conn)
        path.write_bytes(database_image(conn))
    opened = open_project(path)
    assert opened.project == story_project()
    assert opened.schema_version == schema.SCHEMA_VERSION


# -- damage in the new tables ----------------------------------------------------------------
@pytest.mark.parametrize(("statements", "words", "place"), [
    (["UPDATE opportunities SET cost = 'lots' WHERE id = 'stock'"],
     ("opportunities table", "column 'cost'", "a number"), ("opportunity", "stock", "cost")),
    (["UPDATE opportunities SET cost = -5 WHERE id = 'stock'"],
     ("must be between 0 and",), ("opportunity", "stock", "cost")),
    (["UPDATE opportunities SET status = 'funded' WHERE id = 'callback'"],
     ("'funded' is no status",), ("opportunity", "callback", "status")),
    (["UPDATE opportunities SET title = x'4142' WHERE id = 'chat'"],
     ("column 'title'", "2 bytes of binary data", "must be text"),
     ("opportunity", "chat", "title")),
    (["UPDATE opportunity_touchpoints SET touchpoint = 'ghost' WHERE opportunity_id = 'callback'"],
     ("no touchpoint 'ghost'",), ("opportunity", "callback", "touchpoints")),
    (["UPDATE opportunity_fields SET value = 4.0 WHERE field = 'satisfaction'"],
     ("sets satisfaction of 'store_visit' to 4",), ("opportunity", "stock", "changes")),
    (["UPDATE opportunity_fields SET field = 'name' WHERE field = 'value'"],
     ("cannot change 'name'",), ("opportunity", "stock", "changes")),
    (["UPDATE opportunity_fields SET field = 'satisfaction' WHERE field = 'visibility'"],
     ("gives 'satisfaction' twice",), ("opportunity", "stock", "changes")),
    (["UPDATE opportunity_fields SET value = NULL WHERE field = 'value'"],
     ("'value' must be a number, got null",), ("opportunity", "stock", "changes")),
    (["UPDATE opportunity_fields SET field = NULL WHERE field = 'value'"],
     ("a new value (12.5) for touchpoint 'browse_site' names no field",),
     ("opportunity", "stock", "changes")),
    (["UPDATE opportunity_fields SET value = 'x' WHERE field = 'value'"],
     ("opportunity_fields table", "column 'value'"), ("opportunity", "stock", "value")),
    (["UPDATE opportunity_transitions SET probability = 2 WHERE opportunity_id = 'callback'"],
     ("it must be between 0 and 1",), ("opportunity", "callback", "changes")),
    (["UPDATE opportunity_removed_transitions SET source = 'ghost'"],
     ("'ghost', which is not in the journey",), ("opportunity", "callback", "changes")),
    (["UPDATE opportunity_added_touchpoints SET impact = 7"],
     ("touchpoint 'chat', field 'impact': must be between 0 and 1",),
     ("opportunity", "chat", "changes")),
    (["UPDATE opportunity_added_touchpoints SET conversion = 3"],
     ("column 'conversion'", "0 or 1"), ("opportunity", "chat", "conversion")),
    (["UPDATE plan_objectives SET kpi = 'nps' WHERE kpi = 'value'"],
     ("'nps' is no KPI",), ("journey", "current", "plan")),
    (["UPDATE plan_objectives SET weight = 'high' WHERE kpi = 'value'"],
     ("plan_objectives table", "column 'weight'"), ("journey", "current", "weight")),
    (["UPDATE journeys SET plan_budget = -3 WHERE id = 'current'"],
     ('"budget": must be between 0',), ("journey", "current", "plan")),
    (["UPDATE journeys SET plan_budget = NULL WHERE id = 'current'"],
     ('"budget" is missing',), ("journey", "current", "plan")),
    (["UPDATE projects SET cost_unit = 'a currency far too long to show'"],
     ("at most 20 fit",), ("project", None, "cost_unit")),
    (["PRAGMA foreign_keys = OFF",
      "UPDATE opportunity_fields SET opportunity_id = 'lost' WHERE field = 'value'"],
     ("opportunity_fields table belongs to an opportunity that is not in the file",),
     ("opportunity", "lost", None)),
    (["PRAGMA foreign_keys = OFF", "DELETE FROM opportunities WHERE id = 'chat'"],
     ("belongs to an opportunity that is not in the file",), ("opportunity", "chat", None)),
])
def test_damage_to_opportunities_is_refused_by_name(
        plan_file: Path, statements: list[str], words: tuple[str, ...],
        place: tuple[str | None, str | None, str | None]) -> None:
    edit_file(plan_file, *statements)

    with pytest.raises(ProjectFileError) as caught:
        open_project(plan_file)

    error = caught.value
    message = str(error)
    assert message.startswith(str(plan_file)) and "\n" not in message
    for word in words:
        assert word in message, message
    assert (error.element, error.element_id, error.field) == place
    if error.element == "opportunity":
        assert error.journey == "current"
