""".cxmap project files: round trips, upgrades, bad files and safe saving (FORMAT.md, issue 3)."""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, Table

from cx_mapper.domain.journey import Journey, Touchpoint
from cx_mapper.domain.project import Project
from cx_mapper.persistence import files, migrations, project_file, schema
from cx_mapper.persistence.errors import ProjectFileError
from cx_mapper.persistence.json_format import (
    SEGMENT_KEYS,
    dumps_project,
    loads_project,
    read_project,
)
from cx_mapper.persistence.project_file import (
    FileChangedError,
    FileFingerprint,
    database_image,
    memory_database,
    open_project,
    save_project,
)
from tests.factories import graph_only
from tests.persistence.fixtures.make_old_fixtures import FIXTURE, SOURCE, v1_image
from tests.strategies import projects

FILE_NAME = "retail.cxmap"
RETAIL = read_project(SOURCE)
#: The retail sample as a version-1 file holds it: no lanes, notes, personas or images.
RETAIL_V1 = graph_only(RETAIL)


# -- helpers ------------------------------------------------------------------------------
def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def saved(tmp_path: Path, project: Project = RETAIL, name: str = FILE_NAME) -> Path:
    path = tmp_path / name
    save_project(project, path)
    return path


@pytest.fixture
def retail_file(tmp_path: Path) -> Path:
    return saved(tmp_path)


def edit_file(path: Path, *statements: str) -> None:
    """Change a file behind CX Mapper's back, as another program could."""
    connection = sqlite3.connect(path)
    try:
        for statement in statements:
            connection.execute(statement)
        connection.commit()
    finally:
        connection.close()


def open_error(path: Path) -> ProjectFileError:
    before = digest(path) if path.is_file() else None
    with pytest.raises(ProjectFileError) as caught:
        open_project(path)
    if before is not None:
        assert digest(path) == before  # opening never changes the file
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    return caught.value


def assert_says(error: BaseException, *words: str) -> None:
    message = str(error)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def only_file(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# -- round trips --------------------------------------------------------------------------
def test_the_sample_project_round_trips(retail_file: Path) -> None:
    opened = open_project(retail_file)

    assert opened.project == RETAIL
    assert dumps_project(opened.project) == dumps_project(RETAIL)
    assert opened.path == str(retail_file)
    assert opened.schema_version == schema.SCHEMA_VERSION and not opened.upgraded
    assert opened.warnings == []
    assert opened.fingerprint.sha256 == digest(retail_file)
    assert opened.fingerprint.size == retail_file.stat().st_size


@settings(max_examples=60, deadline=None)
@given(projects())
def test_json_to_cxmap_to_json_gives_the_same_project(project: Project) -> None:
    text = dumps_project(project)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILE_NAME
        save_project(loads_project(text), path)

        again = open_project(path)

    assert again.project == project
    assert again.warnings == []
    assert dumps_project(again.project) == text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_view_state_round_trips(data: st.DataObject) -> None:
    project = data.draw(projects(max_touchpoints=3))
    owners = st.sampled_from([schema.PROJECT_LEVEL, *(j.id for j in project.journeys)])
    state = data.draw(st.dictionaries(st.tuples(owners, st.text(min_size=1, max_size=6)),
                                      st.text(max_size=10), max_size=6))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILE_NAME
        save_project(project, path, view_state=state)

        assert open_project(path).view_state == state


def test_view_state_of_a_removed_journey_is_not_kept(tmp_path: Path) -> None:
    state = {("", "tab"): "current", ("current", "zoom"): "1.5", ("gone", "zoom"): "2"}
    path = tmp_path / FILE_NAME

    save_project(RETAIL, path, view_state=state)

    assert open_project(path).view_state == {("", "tab"): "current", ("current", "zoom"): "1.5"}


def test_negative_zero_is_written_as_zero_in_every_format(tmp_path: Path) -> None:
    """SQLite cannot keep the sign of -0.0, so no format writes it: the texts stay equal."""
    touchpoint = Touchpoint("t", satisfaction=-0.0, value=-0.0, x=-0.0, y=-0.0)
    project = Project(journeys=[Journey("j", discount_rate=-0.0, touchpoints={"t": touchpoint})])
    text = dumps_project(project)

    assert "-0.0" not in text
    assert dumps_project(open_project(saved(tmp_path, project)).project) == text


def test_a_project_with_no_journeys_round_trips(tmp_path: Path) -> None:
    project = Project(name="Empty")
    assert open_project(saved(tmp_path, project)).project == project


# -- the schema and its migrations ------------------------------------------------------------
def test_a_new_file_is_at_the_head_revision_with_its_meta(retail_file: Path) -> None:
    connection = sqlite3.connect(retail_file)
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
        revisions = connection.execute("SELECT DISTINCT revision FROM journeys").fetchall()
    finally:
        connection.close()

    assert revision == [(schema.HEAD_REVISION,)]
    assert migrations.head_revision() == schema.HEAD_REVISION
    assert meta["schema_version"] == str(schema.SCHEMA_VERSION)
    assert meta["app_version"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", meta["saved_at"])
    assert revisions == [(1,)]


def test_the_tables_match_what_the_migrations_create() -> None:
    with memory_database() as conn, conn.begin():
        migrations.upgrade(conn)
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)

    assert differences == []


def test_every_schema_version_lists_its_tables() -> None:
    assert set(schema.REVISION_OF_VERSION) == set(schema.TABLES_OF_VERSION)
    assert set(schema.REVISION_OF_VERSION.values()) == migrations.known_revisions()
    assert set(schema.SEGMENT_COLUMNS) == set(SEGMENT_KEYS)


def test_one_database_holds_many_projects_with_revisions() -> None:
    """How the team store uses the row functions: many projects, journeys with revisions."""
    other = renamed(RETAIL, "Other")
    other.journeys.pop()
    changed = schema.JourneyRevision(7, "2024-06-01T12:00:00Z", "ana")
    with memory_database() as conn, conn.begin():
        migrations.upgrade(conn)
        first = schema.insert_project_row(conn, RETAIL.name)
        second = schema.insert_project_row(conn, other.name)
        schema.write_project_rows(conn, RETAIL, first)
        schema.write_project_rows(conn, other, second, revisions={"current": changed})

        assert schema.project_row_id(conn, "Other") == second
        assert schema.project_row_id(conn, "Nobody") is None
        assert schema.read_project_rows(conn, first) == RETAIL
        assert schema.read_project_rows(conn, second) == other
        assert schema.read_journey_revisions(conn, second) == {"current": changed}
        assert schema.read_journey_revisions(conn, first)["future"].revision == 1

        schema.delete_project_rows(conn, second)
        schema.write_project_rows(conn, RETAIL, second, revisions={"current": 8})

        assert schema.read_project_rows(conn, second).journeys == RETAIL.journeys
        assert schema.read_journey_revisions(conn, second)["current"].revision == 8
        assert schema.read_project_rows(conn, first) == RETAIL
        with pytest.raises(ProjectFileError, match="no project with id 99"):
            schema.read_project_rows(conn, 99, source="team store")


def test_a_file_downgraded_to_version_1_upgrades_back_to_the_same_project(
    retail_file: Path,
) -> None:
    with memory_database(retail_file.read_bytes()) as conn:
        with conn.begin():
            migrations.downgrade(conn, schema.REVISION_OF_VERSION[1])
        retail_file.write_bytes(database_image(conn))

    opened = open_project(retail_file)

    assert opened.schema_version == 1
    assert opened.project == RETAIL_V1


# -- files of schema version 1 --------------------------------------------------------------
def test_the_committed_version_1_file_really_is_version_1() -> None:
    connection = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        version = connection.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        journey_columns = {row[1] for row in connection.execute("PRAGMA table_info(journeys)")}
    finally:
        connection.close()

    assert revision == ("0001",) and version == ("1",)
    assert "view_state" not in tables
    assert "revision" not in journey_columns


def test_a_version_1_file_opens_upgraded_and_is_left_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "retail-v1.cxmap"
    shutil.copyfile(FIXTURE, path)
    before = digest(path)

    opened = open_project(path)

    assert opened.schema_version == 1 and opened.upgraded
    assert dumps_project(opened.project) == dumps_project(RETAIL_V1)
    assert opened.view_state == {}
    assert digest(path) == before  # upgraded on a copy in memory, not in place
    assert only_file(tmp_path) == ["retail-v1.cxmap"]


def test_saving_an_upgraded_file_writes_the_current_schema(tmp_path: Path) -> None:
    path = tmp_path / "retail-v1.cxmap"
    shutil.copyfile(FIXTURE, path)
    opened = open_project(path)

    save_project(opened.project, path, view_state={("", "tab"): "current"},
                 expected=opened.fingerprint)

    again = open_project(path)
    assert again.schema_version == schema.SCHEMA_VERSION and not again.upgraded
    assert again.project == RETAIL_V1
    assert again.view_state == {("", "tab"): "current"}


@settings(max_examples=30, deadline=None)
@given(projects(content=False))
def test_any_version_1_file_upgrades_to_the_same_project(project: Project) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / FILE_NAME
        path.write_bytes(v1_image(project))

        opened = open_project(path)

    assert opened.schema_version == 1
    assert dumps_project(opened.project) == dumps_project(project)


def test_a_version_1_file_without_its_alembic_stamp_still_upgrades(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    shutil.copyfile(FIXTURE, path)
    edit_file(path, "DROP TABLE alembic_version")

    assert open_project(path).project == RETAIL_V1


# -- bad files ------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n" + bytes(200),
    b"Kundenreise, nicht SQLite",
    bytes(range(256)) * 8,
])
def test_a_file_that_is_not_sqlite_says_so(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(content)

    assert_says(open_error(path), "not a CX Mapper project file", "not an SQLite database",
                "Choose a .cxmap file")


def test_json_saved_under_a_cxmap_name_says_to_rename_it(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(dumps_project(RETAIL), encoding="utf-8")

    assert_says(open_error(path), "is JSON text", "rename it to end in .json")


def test_an_empty_file_says_it_is_empty(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    path.write_bytes(b"")

    assert_says(open_error(path), "is empty", "backup")


@pytest.mark.parametrize("keep", [
    pytest.param(lambda size: 10, id="inside the magic"),
    pytest.param(lambda size: 60, id="inside the header"),
    pytest.param(lambda size: 4096, id="first page only"),
    pytest.param(lambda size: size // 2 + 100, id="half way"),
    pytest.param(lambda size: size - 1, id="one byte short"),
])
def test_a_truncated_file_says_it_was_cut_off(
    retail_file: Path, keep: Callable[[int], int]
) -> None:
    data = retail_file.read_bytes()
    retail_file.write_bytes(data[:keep(len(data))])

    assert_says(open_error(retail_file), "is truncated", "copy it again", "backup")


def test_a_damaged_page_says_the_file_is_damaged(retail_file: Path) -> None:
    data = bytearray(retail_file.read_bytes())
    data[4096:8192] = b"\xa5" * 4096  # the second page, somewhere in the tables
    retail_file.write_bytes(bytes(data))

    assert_says(open_error(retail_file), "is damaged", "backup")


def test_another_sqlite_database_says_it_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    edit_file(path, "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL)",
              "INSERT INTO orders VALUES (1, 9.5)")

    assert_says(open_error(path), "is an SQLite database but not a CX Mapper project file")


def test_another_database_with_a_meta_table_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    edit_file(path, "CREATE TABLE meta (name TEXT, data BLOB)")

    assert_says(open_error(path), "not a CX Mapper project file")


def test_a_newer_schema_says_to_update_cx_mapper(retail_file: Path) -> None:
    newer = schema.SCHEMA_VERSION + 1
    edit_file(retail_file, f"UPDATE meta SET value = '{newer}' WHERE key = 'schema_version'",
              f"UPDATE alembic_version SET version_num = '{newer:04d}'")

    assert_says(open_error(retail_file), f"made by a newer version of CX Mapper (schema {newer})",
                f"reads up to schema {schema.SCHEMA_VERSION}", "Update CX Mapper")


def test_an_unknown_migration_counts_as_newer(retail_file: Path) -> None:
    edit_file(retail_file, "UPDATE alembic_version SET version_num = 'f00dfeed'")

    assert_says(open_error(retail_file), "newer version of CX Mapper", "Update CX Mapper")


@pytest.mark.parametrize("table", ["touchpoints", "view_state", "projects"])
def test_a_missing_table_is_named(retail_file: Path, table: str) -> None:
    edit_file(retail_file, f"DROP TABLE {table}")

    assert_says(open_error(retail_file), "is damaged or incomplete", f"no {table} table",
                "backup")


def test_a_missing_column_is_damage(retail_file: Path) -> None:
    edit_file(retail_file, "ALTER TABLE touchpoints DROP COLUMN notes")

    assert_says(open_error(retail_file), "is damaged", "notes", "backup")


def test_a_schema_version_that_is_not_a_number_is_damage(retail_file: Path) -> None:
    edit_file(retail_file, "UPDATE meta SET value = 'two' WHERE key = 'schema_version'")

    assert_says(open_error(retail_file), "is damaged", "'two'")


@pytest.mark.parametrize(("statement", "words"), [
    ("DELETE FROM projects", ("holds no project",)),
    ("INSERT INTO projects (id, name) VALUES (2, 'Other')", ("holds 2 projects",)),
])
def test_a_file_holds_exactly_one_project(
    retail_file: Path, statement: str, words: tuple[str, ...]
) -> None:
    edit_file(retail_file, statement)

    assert_says(open_error(retail_file), *words)


BROWSE = "WHERE journey_id = 'future' AND id = 'browse_site'"


@pytest.mark.parametrize(("statement", "words"), [
    (f"UPDATE touchpoints SET satisfaction = 5 {BROWSE}",
     ("journey 'future'", "touchpoint 'browse_site'", "field 'satisfaction'",
      "between -1 and 1")),
    (f"UPDATE touchpoints SET value = 'lots' {BROWSE}",
     ("touchpoint 'browse_site'", "field 'value'", "must be a number")),
    (f"UPDATE touchpoints SET stage = 'nowhere' {BROWSE}",
     ("touchpoint 'browse_site'", "field 'stage'", "no stage 'nowhere'")),
    ("UPDATE transitions SET probability = 0.99",
     ("probabilities sum to", "above 1")),
    ("UPDATE segments SET share = 0", ("segment", "field 'share'")),
    ("UPDATE journeys SET horizon = 2.5", ("field 'horizon'", "whole number")),
    (f"UPDATE touchpoints SET journey_id = 'lost' {BROWSE}",
     ("is damaged", "journey 'lost'")),
])
def test_values_the_json_reader_refuses_are_refused_here_too(
    retail_file: Path, statement: str, words: tuple[str, ...]
) -> None:
    edit_file(retail_file, statement)

    assert_says(open_error(retail_file), *words)


def test_a_file_another_program_switched_to_wal_mode_opens(retail_file: Path) -> None:
    connection = sqlite3.connect(retail_file)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("UPDATE projects SET name = 'Edited elsewhere'")
    connection.commit()
    connection.close()  # the last connection folds the log back into the file

    assert open_project(retail_file).project.name == "Edited elsewhere"


def test_a_file_open_in_another_program_with_changes_in_its_log_says_so(
    retail_file: Path,
) -> None:
    connection = sqlite3.connect(retail_file)
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("UPDATE projects SET name = 'Not yet in the file'")
        connection.commit()

        assert_says(open_error(retail_file), "is open in another program",
                    f"{FILE_NAME}-wal", "Close that program")
    finally:
        connection.close()


def test_a_missing_file_and_a_folder_are_errors(tmp_path: Path) -> None:
    assert_says(open_error(tmp_path / FILE_NAME), "file not found")
    folder = tmp_path / "folder.cxmap"
    folder.mkdir()
    assert_says(open_error(folder), "is a folder")


# -- saving safely ------------------------------------------------------------------------
def renamed(project: Project, name: str = "Renamed") -> Project:
    clone = loads_project(dumps_project(project))
    clone.name = name
    return clone


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "shared"
    folder.mkdir()
    saved(folder)
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root writes into read-only folders")
def test_saving_into_a_read_only_folder_says_to_choose_another(read_only_folder: Path) -> None:
    path = read_only_folder / FILE_NAME
    before = digest(path)

    with pytest.raises(ProjectFileError) as caught:
        save_project(renamed(RETAIL), path)

    assert_says(caught.value, f"cannot save into {read_only_folder}: it is read-only",
                "choose Save As… another folder")
    assert digest(path) == before
    assert only_file(read_only_folder) == [FILE_NAME]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS])
def test_a_folder_that_refuses_new_files_says_to_choose_another(
    retail_file: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    before = digest(retail_file)
    real_open = os.open

    def refuse_temp_files(name: str, flags: int, mode: int = 0o777, **kw: object) -> int:
        if ".tmp-" in os.fspath(name):
            raise OSError(code, os.strerror(code), name)
        return real_open(name, flags, mode)

    monkeypatch.setattr(os, "open", refuse_temp_files)
    with pytest.raises(ProjectFileError) as caught:
        save_project(renamed(RETAIL), retail_file)
    monkeypatch.undo()

    assert_says(caught.value, f"cannot save into {retail_file.parent}: it is read-only",
                "Save As…")
    assert digest(retail_file) == before


def test_an_invalid_project_writes_nothing(retail_file: Path) -> None:
    before = digest(retail_file)
    project = renamed(RETAIL)
    project.journeys[0].update_touchpoint(next(iter(project.journeys[0].touchpoints)),
                                          satisfaction=7.0)

    with pytest.raises(ProjectFileError) as caught:
        save_project(project, retail_file)

    assert str(caught.value).startswith(str(retail_file))
    assert caught.value.field == "satisfaction"
    assert digest(retail_file) == before
    assert only_file(retail_file.parent) == [FILE_NAME]


def test_a_save_interrupted_half_way_through_the_rows_leaves_the_old_file(
    retail_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = digest(retail_file)
    real_insert = schema._insert_rows
    written: list[str] = []

    def fail_at_touchpoints(conn: Connection, table: Table, rows: list[schema.Row]) -> None:
        if table is schema.touchpoints:
            raise RuntimeError("the power went out")
        real_insert(conn, table, rows)
        written.append(table.name)

    monkeypatch.setattr(schema, "_insert_rows", fail_at_touchpoints)
    with pytest.raises(RuntimeError):
        save_project(renamed(RETAIL), retail_file)
    monkeypatch.undo()

    assert written[:2] == ["segments", "journeys"]  # it really was half way
    assert digest(retail_file) == before
    assert open_project(retail_file).project == RETAIL
    assert only_file(retail_file.parent) == [FILE_NAME]


@pytest.mark.parametrize("failing", ["fsync", "replace", "chmod"])
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    retail_file: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    before = digest(retail_file)

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(ProjectFileError) as caught:
        save_project(renamed(RETAIL), retail_file)
    monkeypatch.undo()

    assert_says(caught.value, "cannot be written", "No space left", "unchanged")
    assert digest(retail_file) == before
    assert open_project(retail_file).project == RETAIL
    assert only_file(retail_file.parent) == [FILE_NAME]


def test_a_crash_just_before_the_rename_leaves_the_old_file(retail_file: Path) -> None:
    before = digest(retail_file)
    script = (
        "import os, sys\n"
        "from cx_mapper.persistence.json_format import read_project\n"
        "from cx_mapper.persistence.project_file import save_project\n"
        "project = read_project(sys.argv[1])\n"
        "project.name = 'Renamed'\n"
        "os.replace = lambda *args: os._exit(9)  # the process dies here\n"
        "save_project(project, sys.argv[2])\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(SOURCE), str(retail_file)],
                          cwd=Path(__file__).parents[2], check=False, timeout=120)

    assert done.returncode == 9
    assert digest(retail_file) == before
    assert open_project(retail_file).project == RETAIL
    leftovers = [name for name in only_file(retail_file.parent) if name != FILE_NAME]
    assert len(leftovers) == 1 and re.fullmatch(rf"\.{FILE_NAME}\.tmp-[0-9a-f]{{8}}",
                                                leftovers[0])


def test_saving_over_a_file_keeps_its_permissions(retail_file: Path) -> None:
    retail_file.chmod(0o640)

    save_project(renamed(RETAIL), retail_file)

    assert retail_file.stat().st_mode & 0o777 == 0o640


# -- changed on disk ----------------------------------------------------------------------
def test_a_file_changed_since_opening_is_not_overwritten(retail_file: Path) -> None:
    opened = open_project(retail_file)
    time.sleep(0.01)
    save_project(renamed(RETAIL, "Someone else's"), retail_file)  # another window or person
    theirs = digest(retail_file)

    with pytest.raises(FileChangedError) as caught:
        save_project(renamed(RETAIL, "Mine"), retail_file, expected=opened.fingerprint)

    assert isinstance(caught.value, ProjectFileError)
    changed_at = caught.value.changed_at
    assert changed_at is not None
    assert abs(changed_at.timestamp() - retail_file.stat().st_mtime) < 1
    assert_says(caught.value, str(retail_file), "was changed on disk at",
                changed_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), "overwrite")
    assert digest(retail_file) == theirs
    assert only_file(retail_file.parent) == [FILE_NAME]

    save_project(renamed(RETAIL, "Mine"), retail_file)  # the user chose to overwrite

    assert open_project(retail_file).project.name == "Mine"


def test_a_file_that_was_only_touched_has_not_changed(retail_file: Path) -> None:
    opened = open_project(retail_file)
    os.utime(retail_file, ns=(0, opened.fingerprint.mtime_ns + 5_000_000_000))

    save_project(renamed(RETAIL), retail_file, expected=opened.fingerprint)

    assert open_project(retail_file).project.name == "Renamed"


def test_a_file_deleted_since_opening_is_reported(retail_file: Path) -> None:
    opened = open_project(retail_file)
    retail_file.unlink()

    with pytest.raises(FileChangedError) as caught:
        save_project(RETAIL, retail_file, expected=opened.fingerprint)

    assert caught.value.changed_at is None
    assert_says(caught.value, "moved or deleted")
    assert not retail_file.exists()


def test_each_save_gives_the_fingerprint_for_the_next(retail_file: Path) -> None:
    fingerprint = open_project(retail_file).fingerprint
    for name in ("First", "Second", "Third"):
        fingerprint = save_project(renamed(RETAIL, name), retail_file, expected=fingerprint)
        assert fingerprint == open_project(retail_file).fingerprint


def test_a_change_during_the_save_is_caught_before_the_rename(
    retail_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = open_project(retail_file)
    real_image = project_file.project_image

    def slow_image(project: Project, view_state: object = None, *, source: str) -> bytes:
        image = real_image(project, source=source)
        edit_file(retail_file, "UPDATE projects SET name = 'Edited meanwhile'")
        return image

    monkeypatch.setattr(project_file, "project_image", slow_image)
    with pytest.raises(FileChangedError):
        save_project(renamed(RETAIL), retail_file, expected=opened.fingerprint)
    monkeypatch.undo()

    assert open_project(retail_file).project.name == "Edited meanwhile"
    assert only_file(retail_file.parent) == [FILE_NAME]


def test_the_changed_error_survives_pickling(retail_file: Path) -> None:
    fingerprint = FileFingerprint(1_700_000_000_000_000_000, 10, "00")
    error = FileChangedError(str(retail_file), fingerprint)

    again = pickle.loads(pickle.dumps(error))

    assert isinstance(again, FileChangedError)
    assert str(again) == str(error) and again.current == fingerprint


# -- opening any project file -----------------------------------------------------------------
def test_files_read_and_write_by_extension(tmp_path: Path) -> None:
    for name in ("a.cxmap", "b.CXMAP", "c.json"):
        files.write_any_project(RETAIL, tmp_path / name)
        assert files.read_project(tmp_path / name) == RETAIL

    assert (tmp_path / "a.cxmap").read_bytes().startswith(b"SQLite format 3\x00")
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == dumps_project(RETAIL)


def test_a_renamed_project_file_still_opens(tmp_path: Path) -> None:
    path = saved(tmp_path, name="retail.json")

    assert files.read_project(path) == RETAIL


def test_writing_by_extension_refuses_an_invalid_project(tmp_path: Path) -> None:
    project = Project(journeys=[Journey("j", touchpoints={"t": Touchpoint("t", impact=2.0)})])
    for name in ("bad.cxmap", "bad.json"):
        with pytest.raises(ProjectFileError):
            files.write_any_project(project, tmp_path / name)
    assert only_file(tmp_path) == []


def _structure(conn: Connection) -> dict[str, object]:
    """Every table's columns, keys and indexes, and the version stamps: what the app reads."""
    raw = project_file._driver_connection(conn)
    tables = [row[0] for row in raw.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    found: dict[str, object] = {
        "stamps": (raw.execute("SELECT * FROM alembic_version").fetchall(),
                   raw.execute("SELECT * FROM meta ORDER BY key").fetchall())}
    for table in tables:
        indexes = raw.execute(f"PRAGMA index_list('{table}')").fetchall()
        found[table] = (
            raw.execute(f"PRAGMA table_info('{table}')").fetchall(),
            raw.execute(f"PRAGMA foreign_key_list('{table}')").fetchall(),
            [(index[2], index[3], raw.execute(f"PRAGMA index_info('{index[1]}')").fetchall())
             for index in indexes])
    return found


def test_a_new_file_has_exactly_the_tables_the_migrations_make() -> None:
    """Saving builds the empty database from the schema, not by running the migrations
    (Alembic's start-up was a third of a 10,000-touchpoint convert): the same database."""
    with memory_database() as conn, conn.begin():
        migrations.upgrade(conn)
        by_migrations = _structure(conn)
    with memory_database() as conn, conn.begin():
        schema.create_head_tables(conn)
        by_schema = _structure(conn)

    assert by_schema == by_migrations
    assert set(by_schema) == {"stamps", "alembic_version", *schema.metadata.tables}
