"""Lanes, notes, personas and images in `.cxmap` files (schema version 3).

Images are BLOBs kept byte for byte; files of versions 1 and 2 open; and damage to the
new tables is refused by name like damage anywhere else.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from cx_mapper.persistence import migrations, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import dumps_project, read_project
from cx_mapper.persistence.project_file import (
    database_image,
    memory_database,
    open_project,
    save_project,
)
from tests.factories import graph_only, png_bytes, story_project
from tests.persistence.fixtures.make_old_fixtures import FIXTURE_V2, SOURCE, V2_VIEW_STATE

STORY = story_project()
RETAIL = read_project(SOURCE)


#: The retail sample as the version-2 fixture holds it (made before the sample's story).
RETAIL_V2 = graph_only(RETAIL)


@pytest.fixture
def story_file(tmp_path: Path) -> Path:
    path = tmp_path / "story.cxmap"
    save_project(STORY, path)
    return path


def edit_file(path: Path, *statements: str) -> None:
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def open_error(path: Path) -> ProjectFileError:
    with pytest.raises(ProjectFileError) as caught:
        open_project(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message
    return caught.value


# -- round trips ---------------------------------------------------------------------------
def test_the_journey_map_round_trips_with_images_as_blobs_byte_for_byte(
        story_file: Path) -> None:
    opened = open_project(story_file)

    assert opened.project == STORY
    assert dumps_project(opened.project) == dumps_project(STORY)
    connection = sqlite3.connect(story_file)
    try:
        stored = dict(connection.execute("SELECT id, data FROM images").fetchall())
        kinds = {row[0] for row in connection.execute("SELECT typeof(data) FROM images")}
    finally:
        connection.close()
    assert kinds == {"blob"}
    assert stored == {image_id: image.data for image_id, image in STORY.images.items()}


def test_json_to_cxmap_to_json_keeps_the_text(tmp_path: Path) -> None:
    text = dumps_project(STORY)
    path = tmp_path / "story.cxmap"
    save_project(read_project_text(text, tmp_path), path)
    assert dumps_project(open_project(path).project) == text


def read_project_text(text: str, folder: Path) -> object:
    path = folder / "story.json"
    path.write_text(text, encoding="utf-8")
    return read_project(path)


# -- older files ---------------------------------------------------------------------------
def test_the_committed_version_2_file_really_is_version_2() -> None:
    connection = sqlite3.connect(f"file:{FIXTURE_V2}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        stamp = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        version = connection.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        columns = {row[1] for row in connection.execute("PRAGMA table_info(touchpoints)")}
    finally:
        connection.close()

    assert stamp == ("0002",) and version == ("2",)
    assert "view_state" in tables
    assert not tables & {"lanes", "notes", "note_touchpoints", "personas", "persona_items",
                         "images"}
    assert "image" not in columns


def test_a_version_2_file_opens_upgraded_with_its_view_state(tmp_path: Path) -> None:
    path = tmp_path / "retail-v2.cxmap"
    shutil.copyfile(FIXTURE_V2, path)
    before = path.read_bytes()

    opened = open_project(path)

    assert opened.schema_version == 2 and opened.upgraded
    assert opened.project == RETAIL_V2
    assert opened.view_state == V2_VIEW_STATE
    assert path.read_bytes() == before  # upgraded in memory only

    opened.project.add_image(STORY.images["shelf"])
    opened.project.journey("current").update_touchpoint("store_visit", image="shelf")
    save_project(opened.project, path, view_state=opened.view_state,
                 expected=opened.fingerprint)
    again = open_project(path)
    assert again.schema_version == schema.SCHEMA_VERSION
    assert again.project.images["shelf"].data == STORY.images["shelf"].data
    assert again.view_state == V2_VIEW_STATE


@pytest.mark.parametrize("version", [1, 2])
def test_a_file_downgraded_to_an_older_version_upgrades_back(tmp_path: Path,
                                                            version: int) -> None:
    path = tmp_path / "retail.cxmap"
    save_project(RETAIL, path)
    with memory_database(path.read_bytes()) as conn:
        with conn.begin():
            migrations.downgrade(conn, schema.REVISION_OF_VERSION[version])
        path.write_bytes(database_image(conn))

    opened = open_project(path)

    assert opened.schema_version == version
    assert opened.project == RETAIL_V2  # the story needs version 3


# -- damage in the new tables ----------------------------------------------------------------
@pytest.mark.parametrize(("statements", "words", "place"), [
    (["UPDATE images SET data = CAST(data AS TEXT) WHERE id = 'shelf'"],
     ("images table", "column 'data'", "binary data"), ("image", "shelf", "data")),
    (["UPDATE images SET data = substr(data, 1, 10) WHERE id = 'shelf'"],
     ("is not a PNG image",), ("image", "shelf", "data")),
    (["UPDATE images SET media_type = 'image/gif' WHERE id = 'ana'"],
     ("must be one of image/png",), ("image", "ana", "media_type")),
    (["UPDATE notes SET stage = 'later' WHERE id = 'worry'"],
     ("no stage 'later'",), ("note", "worry", "stage")),
    (["UPDATE note_touchpoints SET touchpoint = 'ghost' WHERE note_id = 'sees'"],
     ("no touchpoint 'ghost'",), ("note", "sees", "touchpoints")),
    (["UPDATE notes SET x = 'left' WHERE id = 'worry'"],
     ("notes table", "column 'x'", "a number"), ("note", "worry", "x")),
    (["UPDATE lanes SET kind = 'feelings' WHERE id = 'do'"],
     ("must be one of actions",), ("lane", "do", "kind")),
    (["UPDATE personas SET segment = 'teens' WHERE id = 'sam'"],
     ("no segment 'teens'",), ("persona", "sam", "segment")),
    (["UPDATE touchpoints SET image = 'gone' WHERE id = 'reviews' AND journey_id = 'current'"],
     ("no image 'gone'",), ("touchpoint", "reviews", "image")),
    (["PRAGMA foreign_keys = OFF",
      "UPDATE note_touchpoints SET note_id = 'lost' WHERE note_id = 'sees'"],
     ("note_touchpoints table belongs to a note that is not in the file",),
     ("note", "lost", None)),
    (["PRAGMA foreign_keys = OFF", "DELETE FROM personas WHERE id = 'ana'"],
     ("persona_items table belongs to a persona that is not in the file",),
     ("persona", "ana", None)),
    (["UPDATE persona_items SET list = 'wishes' WHERE persona_id = 'ana' AND list = 'goals'"],
     ("a goal, need or frustration belongs to persona 'ana'",), (None, None, None)),
])
def test_damage_to_the_journey_map_is_refused_by_name(
        story_file: Path, statements: list[str], words: tuple[str, ...],
        place: tuple[str | None, str | None, str | None]) -> None:
    edit_file(story_file, *statements)

    error = open_error(story_file)

    for word in words:
        assert word in str(error), str(error)
    assert (error.element, error.element_id, error.field) == place


def test_an_oversized_image_in_a_file_is_refused_by_name(story_file: Path) -> None:
    connection = sqlite3.connect(story_file)
    try:
        connection.execute("UPDATE images SET data = ? WHERE id = 'shelf'",
                           (png_bytes(2, 2) + bytes(9_000_000),))
        connection.commit()
    finally:
        connection.close()

    error = open_error(story_file)

    assert (error.element, error.element_id, error.field) == ("image", "shelf", "data")
    assert "is 8.6 MB; an image may be at most 8 MB" in str(error)


def test_an_image_of_every_size_up_to_the_limit_opens(tmp_path: Path) -> None:
    project = story_project()
    project.images.clear()
    project.add_image(type(STORY.images["shelf"])("big", "image/png", png_bytes(4096, 4096)))
    project.journeys[0].notes.clear()
    project.personas.clear()
    project.journeys[0].update_touchpoint("store_visit", image="big")
    path = tmp_path / "big.cxmap"
    save_project(project, path)
    assert open_project(path).project.images["big"].data == project.images["big"].data
