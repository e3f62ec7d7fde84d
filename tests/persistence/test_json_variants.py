"""A journey's path variants in files: JSON and `.cxmap` round trips, the documented
shape, damage refused by name, and files of the schema before them."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cx_mapper.domain.variants import PathVariant
from cx_mapper.persistence import migrations, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import dumps_project, loads_project
from cx_mapper.persistence.project_file import memory_database, open_project, save_project
from tests.factories import story_project

VARIANTS = (PathVariant(("ad", "site"), 40, 0.4, 0.25),
            PathVariant(("gone-since",), 3, 0.03, None),  # a touchpoint removed later
            PathVariant((), 1, 0.01, 1.0))  # straight to the goal


def with_variants():  # type: ignore[no-untyped-def]
    project = story_project()
    project.journeys[0].variants = VARIANTS
    return project


def test_variants_round_trip_through_json_in_the_documented_shape() -> None:
    project = with_variants()
    text = dumps_project(project)
    written = json.loads(text)["journeys"][0]["variants"]
    assert written[0] == {"path": ["ad", "site"], "customers": 40, "share": 0.4,
                          "conversion_rate": 0.25}
    assert written[1]["conversion_rate"] is None
    assert loads_project(text) == project
    assert loads_project(text).journeys[0].variants == VARIANTS


def test_a_journey_without_variants_is_written_as_before() -> None:
    project = story_project()
    assert "variants" not in json.loads(dumps_project(project))["journeys"][0]


def test_variants_round_trip_through_a_cxmap_file(tmp_path: Path) -> None:
    project = with_variants()
    save_project(project, tmp_path / "p.cxmap")
    opened = open_project(tmp_path / "p.cxmap")
    assert opened.project == project
    assert opened.project.journeys[0].variants == VARIANTS


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"customers": 0}, "customers", "must be"),
    ({"share": 1.5}, "share", "must be"),
    ({"conversion_rate": "half"}, "conversion_rate", "must be a number"),
    ({"path": ["ad", 3]}, "path", "must list touchpoint ids"),
    ({"steps": []}, "steps", "is not a field of a variant"),
])
def test_a_bad_variant_is_refused_naming_journey_variant_and_field(
        change: dict[str, object], field: str, words: str) -> None:
    data = json.loads(dumps_project(with_variants()))
    journey_id = data["journeys"][0]["id"]
    data["journeys"][0]["variants"][1].update(change)
    with pytest.raises(ProjectFileError) as caught:
        loads_project(json.dumps(data), "p.json")
    error = caught.value
    assert (error.field, error.element, error.journey) == (field, "variant", journey_id)
    assert words in str(error) and "p.json" in str(error) and "\n" not in str(error)


def test_a_damaged_stored_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "p.cxmap"
    save_project(with_variants(), path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE journey_variants SET path = 'ad > site' WHERE position = 0")
    connection.commit()
    connection.close()
    with pytest.raises(ProjectFileError, match="a path variant's steps .* are not a JSON list"):
        open_project(path)


def tables(conn: object) -> set[str]:
    return {r[0] for r in conn.exec_driver_sql(  # type: ignore[attr-defined]
        "SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_the_schema_before_variants_upgrades_and_downgrades() -> None:
    project = with_variants()
    with memory_database() as conn, conn.begin():
        migrations.upgrade(conn, "0005")
        assert "journey_variants" not in tables(conn)
        migrations.upgrade(conn)
        project_id = schema.insert_project_row(conn, project.name)
        schema.write_project_rows(conn, project, project_id)
        assert schema.read_project_rows(conn, project_id).journeys[0].variants == VARIANTS
        migrations.downgrade(conn, "0005")
        assert "journey_variants" not in tables(conn)
        assert schema.read_meta(conn)["schema_version"] == "5"


def test_a_stored_variant_of_the_wrong_type_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "p.cxmap"
    save_project(with_variants(), path)
    connection = sqlite3.connect(path)
    connection.execute("UPDATE journey_variants SET customers = 'many' WHERE position = 1")
    connection.commit()
    connection.close()
    with pytest.raises(ProjectFileError) as caught:
        open_project(path)
    message = str(caught.value)
    assert "customers" in message and "a whole number" in message and "\n" not in message
