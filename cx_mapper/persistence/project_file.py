"""Open and save `.cxmap` project files: SQLite databases in the schema of schema.py.

Opening reads the whole file into memory and works on that copy: the user's file
is never locked or changed, an older file is upgraded in memory (it is written
in the new schema only when saved), and the fingerprint describes exactly the
bytes that were read. Nothing in the file is trusted: SQLite's integrity and
foreign-key checks, every value's type and every row's project are checked before
the project is built, so a damaged file is refused by name instead of opening with
less than it holds. Saving builds the database in memory and replaces the file
atomically (atomic.py), so an error or a crash never damages the existing file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import (
    Connection,
    create_engine,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from cx_mapper.domain.project import Project
from cx_mapper.persistence import schema
from cx_mapper.persistence.atomic import write_atomically
from cx_mapper.persistence.cxmap_checks import BACKUP_ADVICE as _BACKUP_ADVICE
from cx_mapper.persistence.cxmap_checks import REPORT_CHARS as _REPORT_CHARS
from cx_mapper.persistence.cxmap_checks import check_columns as _check_columns
from cx_mapper.persistence.cxmap_checks import place
from cx_mapper.persistence.errors import ProjectFileError, reading_file
from cx_mapper.persistence.file_kinds import SQLITE_MAGIC, check_regular, refuse_unless_regular

# Fingerprints live where no SQL is imported; they stay part of this module's API.
from cx_mapper.persistence.fingerprints import FileChangedError as FileChangedError
from cx_mapper.persistence.fingerprints import FileFingerprint as FileFingerprint
from cx_mapper.persistence.fingerprints import check_unchanged as check_unchanged
from cx_mapper.persistence.fingerprints import fingerprint_of as fingerprint_of
from cx_mapper.persistence.sql_text import quote_name

StrPath = str | os.PathLike[str]

#: The one project of a .cxmap file has this id.
FILE_PROJECT_ID = 1

#: SQLite's reports are read up to this many rows.
_REPORT_ROWS = 5


@dataclass(slots=True)
class ProjectFile:
    """An opened `.cxmap` file.

    `schema_version` is the file's own; below schema.SCHEMA_VERSION the project
    was upgraded in memory and the file itself is upgraded when it is saved.
    `view_state` maps (journey id, or "" for the project, key) to a value.
    """

    project: Project
    path: str
    fingerprint: FileFingerprint
    view_state: schema.ViewState = field(default_factory=dict)
    schema_version: int = schema.SCHEMA_VERSION
    warnings: list[str] = field(default_factory=list)

    @property
    def upgraded(self) -> bool:
        return self.schema_version < schema.SCHEMA_VERSION


# -- opening ----------------------------------------------------------------------------
def open_project(path: StrPath) -> ProjectFile:
    """Read a `.cxmap` file; any problem is a ProjectFileError that says what to do."""
    name = os.fspath(path)
    data, mtime_ns = _read_bytes(name)
    fingerprint = FileFingerprint(mtime_ns, len(data), hashlib.sha256(data).hexdigest())
    _check_image(data, name)
    data = _without_wal(data, name)
    try:
        with memory_database(data) as conn, conn.begin():
            version = _check_database(conn, name)
            if version < schema.SCHEMA_VERSION:
                _upgrade(conn, version, name)
            _check_columns(conn, name)
            project_id = _the_project_id(conn, name)
            _check_foreign_keys(conn, name)
            _check_no_strays(conn, project_id, name)
            try:
                project, warnings = schema.read_project_rows_with_warnings(
                    conn, project_id, source=name)
            except ProjectFileError as error:  # ids from the file may hold line breaks
                raise _one_line(error) from None
            state = schema.read_view_state(conn, project_id)
    except (SQLAlchemyError, sqlite3.Error) as error:
        raise _damaged(name, error) from error
    except UnicodeDecodeError as error:  # SQLite's own message quotes the damaged bytes
        raise ProjectFileError("is damaged and cannot be read (SQLite's report of the "
                               "damage is not even readable text). " + _BACKUP_ADVICE,
                               path=name) from error
    return ProjectFile(project=project, path=name, fingerprint=fingerprint, view_state=state,
                       schema_version=version, warnings=warnings)


def _read_bytes(name: str) -> tuple[bytes, int]:
    refuse_unless_regular(name)
    # Non-blocking, so a file swapped for a FIFO since the check cannot hang the open.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    with reading_file(name), open(os.open(name, flags), "rb") as file:
        status = os.fstat(file.fileno())
        check_regular(status.st_mode, name)
        head = file.read(len(SQLITE_MAGIC))
        # Enough of anything else to say what it is, without reading a huge wrong file.
        rest = file.read() if head == SQLITE_MAGIC else file.read(4096)
        return head + rest, status.st_mtime_ns


def _check_image(data: bytes, name: str) -> None:
    """Catch what SQLite would only call "not a database": wrong kind, empty, cut short."""
    if not data:
        raise ProjectFileError("is empty (0 bytes), not a project; it may have been cut off "
                               "while being copied or saved. " + _BACKUP_ADVICE, path=name)
    if not data.startswith(SQLITE_MAGIC):
        if SQLITE_MAGIC.startswith(data):
            raise _truncated(name, len(data), None)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            raise ProjectFileError(
                "is JSON text, not a .cxmap project file; rename it to end in .json "
                "and open that.", path=name)
        raise ProjectFileError(
            "is not a CX Mapper project file (it is not an SQLite database). Choose a "
            ".cxmap file saved by CX Mapper, or import a .json project.", path=name)
    if len(data) < 100:
        raise _truncated(name, len(data), None)
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise ProjectFileError(f"is damaged: its header gives a page size of {page_size}. "
                               + _BACKUP_ADVICE, path=name)
    # The page count in the header is valid when its "version-valid-for" matches the
    # change counter (SQLite file format, section 1.3.8).
    pages = int.from_bytes(data[28:32], "big")
    expected = pages * page_size if data[24:28] == data[92:96] and pages else None
    if (expected is not None and len(data) < expected) or len(data) % page_size:
        raise _truncated(name, len(data), expected)


def _without_wal(data: bytes, name: str) -> bytes:
    """The image in rollback-journal mode: an in-memory copy cannot use write-ahead logging.

    Another SQLite program may have switched the file to WAL mode. Once it has
    closed the file, every change is back in the file and the header bytes 18-19
    can simply say "rollback journal" again (SQLite file format, section 1.3.4).
    """
    if data[18:20] == b"\x01\x01":
        return data
    try:
        pending = os.path.getsize(name + "-wal") > 0
    except OSError:
        pending = False
    if pending:
        raise ProjectFileError(
            f"is open in another program, and some changes are still only in "
            f"{os.path.basename(name)}-wal. Close that program and open the file again.",
            path=name)
    return data[:18] + b"\x01\x01" + data[20:]


def _truncated(name: str, size: int, expected: int | None) -> ProjectFileError:
    of = f" of its {expected:,}" if expected else ""
    return ProjectFileError(
        f"is truncated: it has only {size:,}{of} bytes. It was probably cut off by an "
        "interrupted copy or download; copy it again, or open a backup copy.", path=name)


#: Each connection is a new, private in-memory database; sharing the engine shares
#: its cache of compiled statements between files.
_MEMORY = create_engine("sqlite://", poolclass=NullPool)


@contextmanager
def memory_database(data: bytes | None = None) -> Iterator[Connection]:
    """A connection to a private in-memory database, loaded from a file image if given.

    `database_image(conn)` gives the file's bytes back. The database is gone when
    the connection closes.
    """
    with _MEMORY.connect() as conn:
        if data is not None:
            _driver_connection(conn).deserialize(data)
        yield conn


def database_image(conn: Connection) -> bytes:
    """The bytes of a `memory_database` as a file holds them (commit first)."""
    return _driver_connection(conn).serialize()


def _driver_connection(conn: Connection) -> sqlite3.Connection:
    raw = conn.connection.driver_connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _check_database(conn: Connection, name: str) -> int:
    """The file's schema version, after checking that it is a CX Mapper file we can read."""
    report = sqlite_report(conn, f"PRAGMA quick_check({_REPORT_ROWS})")
    if report != [("ok",)]:
        said = " ".join("; ".join(" ".join(row) for row in report).split()) or "nothing"
        raise ProjectFileError(f"is damaged (SQLite's check says: {_shown(said)}). "
                               + _BACKUP_ADVICE, path=name)
    tables = set(conn.execute(
        text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
    raw_version = None
    if "meta" in tables:
        try:
            raw_version = conn.execute(select(schema.meta.c.value).where(
                schema.meta.c.key == "schema_version")).scalar()
        except SQLAlchemyError:
            raw_version = None  # a "meta" table of some other program
    if raw_version is None:
        raise ProjectFileError(
            "is an SQLite database but not a CX Mapper project file (it has no CX Mapper "
            "schema version). Choose a .cxmap file saved by CX Mapper.", path=name)
    version = _whole_number(raw_version)
    if version is None:
        raise ProjectFileError(f"is damaged: its schema version {_shown(repr(raw_version))} "
                               "is not a number. " + _BACKUP_ADVICE, path=name)
    revision = _stamped_revision(conn, name) if "alembic_version" in tables else None
    if version > schema.SCHEMA_VERSION or (
            revision is not None and revision not in schema.REVISION_OF_VERSION.values()):
        shown = f"schema {_shown(str(version))}" if version > schema.SCHEMA_VERSION else (
            f"schema revision {_shown(str(revision))}")
        raise ProjectFileError(
            f"was made by a newer version of CX Mapper ({shown}); this version reads up "
            f"to schema {schema.SCHEMA_VERSION}. Update CX Mapper to open it.", path=name)
    if version not in schema.TABLES_OF_VERSION:
        raise ProjectFileError(f"is damaged: its schema version {version} does not exist. "
                               + _BACKUP_ADVICE, path=name)
    missing = sorted(schema.TABLES_OF_VERSION[version] - tables)
    if missing:
        which = ", ".join(missing)
        raise ProjectFileError(
            f"is damaged or incomplete: it has no {which} table{'s' * (len(missing) > 1)}. "
            + _BACKUP_ADVICE, path=name)
    return version


def _whole_number(value: object) -> int | None:
    """A stamp as stored ("2"), or None for anything else: text, a fraction, infinity."""
    if type(value) is int:
        return value
    try:
        return int(value) if isinstance(value, str) else None
    except ValueError:  # not digits, or more than Python converts
        return None


def _check_foreign_keys(conn: Connection, name: str) -> None:
    """Every row's journey and project are in the file (else it would be left out)."""
    dangling = sqlite_report(conn, "PRAGMA foreign_key_check")
    if dangling:
        table, rowid, parent = (dangling[0] + ("?", "?", "?"))[:3]
        more = f" (and {len(dangling) - 1:,} more)" if len(dangling) > 1 else ""
        owner = {"projects": "project", "journeys": "journey", "notes": "note",
                 "personas": "persona", "opportunities": "opportunity"}.get(
            parent, _shown(parent))
        known = schema.metadata.tables.get(table)
        row = None if known is None or not rowid.isdigit() else conn.exec_driver_sql(
            f"SELECT * FROM {quote_name(table)} WHERE rowid = {int(rowid)}").first()
        raise ProjectFileError(
            f"is damaged: row {_shown(rowid)} of the {_shown(table)} table belongs to "
            f"{'an' if owner[:1] in 'aeiou' else 'a'} {owner} that is not in the file"
            f"{more}. " + _BACKUP_ADVICE, path=name,
            **({} if known is None or row is None else place(known, row._mapping)))


def sqlite_report(conn: Connection, pragma: str) -> list[tuple[str, ...]]:
    """The rows of one of SQLite's checks, as text whatever bytes the damage left.

    A damaged page can put any bytes in the report, which the driver would refuse
    to decode; reading bytes and replacing what is not UTF-8 always works.
    """
    raw = _driver_connection(conn)
    text_factory = raw.text_factory
    raw.text_factory = bytes
    try:
        cursor = raw.execute(pragma)
        try:
            rows = cursor.fetchmany(100)
        finally:
            cursor.close()
    finally:
        raw.text_factory = text_factory
    return [tuple(_as_text(value) for value in row) for row in rows]


def _as_text(value: object) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return "" if value is None else str(value)


def _shown(text: str) -> str:
    return schema.shown_text(text, _REPORT_CHARS)


def _stamped_revision(conn: Connection, name: str) -> str | None:
    """The migration revision stamped in the file, read without Alembic's start-up.

    Alembic is imported only to upgrade an older file; opening a current one, the
    common case, spares its 0.35 s. The migrations' own revisions are the schema's
    REVISION_OF_VERSION (tests/persistence/test_project_file.py checks it).
    """
    stamps = list(conn.execute(text(
        f"SELECT version_num FROM alembic_version LIMIT {_REPORT_ROWS}")).scalars())
    if len(stamps) > 1:
        raise ProjectFileError("is damaged: it records more than one schema revision. "
                               + _BACKUP_ADVICE, path=name)
    return None if not stamps or stamps[0] is None else _as_text(stamps[0])


def _upgrade(conn: Connection, version: int, name: str) -> None:
    """Bring the in-memory copy of an older file to the current schema."""
    from alembic.util import CommandError

    from cx_mapper.persistence import migrations

    try:
        if migrations.current_revision(conn) is None:
            migrations.stamp(conn, schema.REVISION_OF_VERSION[version])
        migrations.upgrade(conn)
    except CommandError as error:
        raise ProjectFileError(f"could not be upgraded to the current schema "
                               f"({_shown(' '.join(str(error).split()))}). "
                               + _BACKUP_ADVICE, path=name) from error


def _the_project_id(conn: Connection, name: str) -> int:
    ids = list(conn.execute(select(schema.projects.c.id)).scalars())
    if len(ids) != 1:
        what = "no project" if not ids else f"{len(ids)} projects"
        raise ProjectFileError(f"holds {what}; a .cxmap file holds exactly one. "
                               + _BACKUP_ADVICE, path=name)
    if type(ids[0]) is not int:
        raise ProjectFileError(
            f"is damaged: the projects table, column 'id' holds {_shown(repr(ids[0]))} where "
            "a whole number belongs. " + _BACKUP_ADVICE, path=name)
    return ids[0]


def _check_no_strays(conn: Connection, project_id: int, name: str) -> None:
    """Every row belongs to the file's one project: none would be left out unseen.

    One query counts every table's strays: a query per table took 3 ms of the 15 ms
    that opening a 200-touchpoint file takes.
    """
    tables = [t for t in schema.metadata.sorted_tables if "project_id" in t.c]
    counts = conn.exec_driver_sql("SELECT " + ", ".join(
        f"(SELECT count(*) FROM {quote_name(t.name)} WHERE project_id IS NOT {int(project_id)})"
        for t in tables)).one()
    for table, stray in zip(tables, counts, strict=True):
        if stray:
            raise ProjectFileError(
                f"is damaged: {stray:,} row{'s' * (stray > 1)} of the {table.name} table "
                f"belong{'s' * (stray == 1)} to no project in it. " + _BACKUP_ADVICE,
                path=name)


def _one_line(error: ProjectFileError) -> ProjectFileError:
    def clean(text: str | None) -> str | None:
        return None if text is None else schema.shown_text(text, 2 * _REPORT_CHARS)

    return ProjectFileError(clean(error.reason) or "", path=error.path,
                            journey=clean(error.journey), element=error.element,
                            element_id=clean(error.element_id), field=clean(error.field))


def _damaged(name: str, error: Exception) -> ProjectFileError:
    cause = getattr(error, "orig", None) or error
    said = " ".join(str(cause).split()) or type(cause).__name__
    return ProjectFileError(f"is damaged and cannot be read (SQLite says: {_shown(said)}). "
                            + _BACKUP_ADVICE, path=name)


# -- saving -----------------------------------------------------------------------------
def save_project(
    project: Project,
    path: StrPath,
    *,
    view_state: Mapping[tuple[str, str], str] | None = None,
    expected: FileFingerprint | None = None,
    replace_read_only: bool = False,
) -> FileFingerprint:
    """Write `project` to a `.cxmap` file atomically; returns the new file's fingerprint.

    With `expected` (the fingerprint from opening or the last save), a file that
    changed on disk since raises FileChangedError and nothing is written; ask the
    user, then call again with expected=None to overwrite. A read-only file raises
    ReadOnlyFileError in the same way, until `replace_read_only`. A project that
    would not read back raises ProjectFileError, also before anything is written.
    A symbolic link is written through to its target.
    """
    name = os.fspath(path)
    if expected is not None:
        check_unchanged(name, expected)
    data = project_image(project, view_state, source=name)

    def still_unchanged() -> None:
        if expected is not None:  # again, just before the rename: the write took time
            check_unchanged(name, expected)

    write_atomically(name, data, before_replace=still_unchanged,
                     replace_read_only=replace_read_only)
    try:
        mtime_ns = os.stat(name).st_mtime_ns
    except OSError:
        mtime_ns = 0
    return FileFingerprint(mtime_ns, len(data), hashlib.sha256(data).hexdigest())


def project_image(
    project: Project,
    view_state: Mapping[tuple[str, str], str] | None = None,
    *,
    source: str | None = None,
) -> bytes:
    """The bytes of a `.cxmap` file holding `project`, built in memory."""
    with memory_database(_blank_image()) as conn:
        with conn.begin():
            schema.insert_project_row(conn, project.name, FILE_PROJECT_ID)
            schema.write_project_rows(conn, project, FILE_PROJECT_ID, source=source)
            schema.write_view_state(conn, FILE_PROJECT_ID, view_state or {},
                                    [journey.id for journey in project.journeys])
            schema.write_meta(conn)
        return database_image(conn)


@functools.cache
def _blank_image() -> bytes:
    """An empty database at the head revision: the schema's tables, stamped.

    The migrations make the same database (tests/persistence/test_project_file.py
    compares the two table by table); building it from the schema spares every save
    Alembic's start-up, which was a third of converting 10,000 touchpoints.
    """
    with memory_database() as conn:
        with conn.begin():
            schema.create_head_tables(conn)
        return database_image(conn)
