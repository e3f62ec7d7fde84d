"""A touchpoint's `measured_satisfaction` (FORMAT.md, MODEL.md §2) in both file formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cx_mapper.cli import main
from cx_mapper.domain.project import Project
from cx_mapper.persistence import migrations, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import dumps_project, loads_project
from cx_mapper.persistence.project_file import (
    database_image,
    memory_database,
    open_project,
    save_project,
)
from tests.factories import sample_project


def measured_project() -> Project:
    project = sample_project()
    journey = project.journey("now")
    journey.update_touchpoint("ad", measured_satisfaction=-0.25)
    journey.update_touchpoint("site", measured_satisfaction=0.5)
    return project


def touchpoint_data(text: str, touchpoint_id: str) -> dict[str, object]:
    data = json.loads(text)
    journey = next(j for j in data["journeys"] if j["id"] == "now")
    return next(t for t in journey["touchpoints"] if t["id"] == touchpoint_id)


def test_json_writes_it_only_when_set_and_reads_it_back() -> None:
    project = measured_project()
    text = dumps_project(project)
    assert touchpoint_data(text, "ad")["measured_satisfaction"] == -0.25
    assert "measured_satisfaction" not in touchpoint_data(dumps_project(sample_project()), "ad")
    assert loads_project(text) == project


@pytest.mark.parametrize("quick", [True, False])
def test_null_or_absent_is_a_drawn_touchpoint(quick: bool) -> None:
    data = json.loads(dumps_project(measured_project()))
    journey = next(j for j in data["journeys"] if j["id"] == "now")
    journey["touchpoints"][0]["measured_satisfaction"] = None
    if not quick:  # an int where a float belongs sends the reader the careful way
        journey["touchpoints"][0]["entry"] = 1
    project = loads_project(json.dumps(data))
    assert project.journey("now").touchpoints["ad"].measured_satisfaction is None
    assert project.journey("now").touchpoints["site"].measured_satisfaction == 0.5


@pytest.mark.parametrize(("value", "words"), [
    (1.5, "must be between -1 and 1"), ("high", "must be a number"), (True, "must be a number"),
])
def test_a_bad_value_is_refused_naming_the_touchpoint_and_field(value: object,
                                                                words: str) -> None:
    data = json.loads(dumps_project(measured_project()))
    journey = next(j for j in data["journeys"] if j["id"] == "now")
    journey["touchpoints"][0]["measured_satisfaction"] = value
    with pytest.raises(ProjectFileError) as refused:
        loads_project(json.dumps(data), "map.json")
    error = refused.value
    assert (error.element, error.element_id, error.field) == (
        "touchpoint", "ad", "measured_satisfaction")
    assert words in error.reason and str(error).startswith("map.json: ")


def test_analyze_reads_it_the_same_from_columns_and_objects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`analyze --json` reads a journey as columns (json_columns): measured rows too."""
    project = measured_project()
    project.journey("now").update_touchpoint("ad", satisfaction=0.3)
    path = tmp_path / "map.json"
    path.write_text(dumps_project(project), encoding="utf-8")
    assert main(["analyze", str(path), "--journey", "now", "--json"]) == 0
    from_columns = json.loads(capsys.readouterr().out)
    assert main(["analyze", str(path), "--journey", "now", "--json", "--horizon", "1000"]) == 0
    from_objects = json.loads(capsys.readouterr().out)
    for key in ("interactions", "value", "loyalty_index"):
        assert from_columns["totals"][key] == pytest.approx(from_objects["totals"][key],
                                                            rel=1e-9)
    drawn = sample_project()
    drawn.journey("now").update_touchpoint("ad", satisfaction=0.3)
    path.write_text(dumps_project(drawn), encoding="utf-8")
    assert main(["analyze", str(path), "--journey", "now", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"] != from_columns["totals"]


def test_cxmap_round_trips_it(tmp_path: Path) -> None:
    path = tmp_path / "map.cxmap"
    save_project(measured_project(), path)
    opened = open_project(path)
    assert opened.project == measured_project()
    assert opened.schema_version == schema.SCHEMA_VERSION == 7


def test_a_version_5_file_opens_with_every_touchpoint_drawn(tmp_path: Path) -> None:
    path = tmp_path / "map.cxmap"
    save_project(measured_project(), path)
    with memory_database(path.read_bytes()) as conn:
        with conn.begin():
            migrations.downgrade(conn, schema.REVISION_OF_VERSION[5])
        path.write_bytes(database_image(conn))
    opened = open_project(path)
    assert opened.schema_version == 5 and opened.upgraded
    assert all(t.measured_satisfaction is None
               for j in opened.project.journeys for t in j.touchpoints.values())
    assert opened.project == sample_project()
