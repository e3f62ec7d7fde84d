"""Evidence in `.cxmap` files (schema 9) and the team store: a row per entry, read back
exactly; a file of the previous release opens and upgrades; damage is named."""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from cx_mapper.domain.evidence import Evidence
from cx_mapper.persistence import schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.project_file import open_project, save_project
from tests.factories import evidenced_project, sample_project

#: Written by the release before evidence (schema 8): a measured row and times included.
SCHEMA_8 = Path(__file__).parent / "fixtures" / "sample-v8.cxmap"
PG_URL = os.environ.get("CX_MAPPER_TEST_PG_URL")


def entries(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT journey_id, element, element_id, target, field, kind, n FROM evidence "
            "ORDER BY position").fetchall()
    finally:
        connection.close()


def edit(path: Path, statement: str) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def test_every_kind_on_every_element_round_trips_as_a_row_each(tmp_path: Path) -> None:
    project = evidenced_project()
    path = tmp_path / "map.cxmap"
    save_project(project, path)
    opened = open_project(path)
    assert opened.project == project and opened.schema_version == schema.SCHEMA_VERSION == 9
    rows = entries(path)
    assert len(rows) == 5 + 1 + 4 + 1 + 4  # ad, site, the transitions, the added card, all
    assert ("", "segment", "all", "", "referral_conversion", "assumption", None) in rows
    assert ("now", "transition", "ad", "site", "probability", "data", 1200) in rows
    assert ("now", "added touchpoint", "bot", "chat", "departures", "data", 5400) in rows
    # Saved again without evidence, the rows go.
    save_project(sample_project(), path)
    assert entries(path) == [] and open_project(path).project == sample_project()


def test_a_schema_8_file_opens_upgrades_and_then_keeps_evidence(tmp_path: Path) -> None:
    path = tmp_path / "old.cxmap"
    shutil.copyfile(SCHEMA_8, path)
    opened = open_project(path)
    assert opened.schema_version == 8 and opened.upgraded
    journey = opened.project.journeys[0]
    assert journey.transitions[("ad", "site")].time_median == 3600.0
    assert journey.touchpoints["site"].measured_satisfaction == 0.25
    assert not any(t.evidence for t in journey.touchpoints.values())

    journey.update_transition("ad", "site", evidence=Evidence("data", n=42))
    save_project(opened.project, path)
    again = open_project(path)
    assert again.schema_version == 9 and not again.upgraded
    assert again.project == opened.project
    assert again.project.journeys[0].transitions[("ad", "site")].evidence == Evidence(
        "data", n=42)


def test_evidence_of_an_element_that_is_not_in_the_file_is_damage(tmp_path: Path) -> None:
    path = tmp_path / "map.cxmap"
    save_project(evidenced_project(), path)
    edit(path, "UPDATE evidence SET element_id = 'gone' WHERE element = 'transition' "
               "AND target = 'site'")
    with pytest.raises(ProjectFileError) as refused:
        open_project(path)
    message = str(refused.value)
    assert "is damaged: evidence for the field 'probability' belongs to transition " \
           "'gone -> site', which is not in it" in message
    assert "\n" not in message


def test_a_wrong_value_in_a_row_is_named_by_the_element_it_is_for(tmp_path: Path) -> None:
    path = tmp_path / "map.cxmap"
    save_project(evidenced_project(), path)
    edit(path, "UPDATE evidence SET n = 'many' WHERE element = 'transition' AND target = 'site'")
    with pytest.raises(ProjectFileError) as refused:
        open_project(path)
    error = refused.value
    assert (error.journey, error.element, error.element_id, error.field) == (
        "now", "transition", "ad", "n")
    assert "holds text 'many' in column 'n'" in str(error)


def test_a_row_the_json_rules_refuse_is_refused_in_their_words(tmp_path: Path) -> None:
    path = tmp_path / "map.cxmap"
    save_project(evidenced_project(), path)
    edit(path, "UPDATE evidence SET sd = NULL WHERE element = 'touchpoint' "
               "AND field = 'satisfaction' AND element_id = 'ad'")
    with pytest.raises(ProjectFileError) as refused:
        open_project(path)
    assert str(refused.value).endswith(
        "journey 'now', touchpoint 'ad', field 'evidence': for 'satisfaction', survey "
        "evidence needs 'sd'.")


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_the_team_store_keeps_evidence() -> None:
    from cx_mapper.persistence.team_store import TeamStore

    assert PG_URL is not None
    store = TeamStore(PG_URL, user="alice")
    project = evidenced_project()
    project.name = f"evidence-{uuid.uuid4().hex[:10]}"
    store.save(project)
    assert store.load(project.name).project == project
    project.journeys[0].update_transition("ad", "site", evidence=None)
    stored = store.load(project.name)
    store.save(project, base=stored.revisions)
    assert store.load(project.name).project == project


@pytest.mark.skipif(PG_URL is None, reason="no PostgreSQL server (set CX_MAPPER_TEST_PG_URL)")
def test_the_team_store_refuses_a_nul_in_a_source_naming_it() -> None:
    from cx_mapper.persistence.team_store import TeamStore

    assert PG_URL is not None
    project = evidenced_project()
    project.name = f"evidence-{uuid.uuid4().hex[:10]}"
    project.journeys[0].update_transition("ad", "site",
                                          evidence=Evidence("data", n=3, source="a\x00b"))
    with pytest.raises(ProjectFileError) as refused:
        TeamStore(PG_URL).save(project)
    assert (refused.value.element, refused.value.field) == ("transition", "evidence")
