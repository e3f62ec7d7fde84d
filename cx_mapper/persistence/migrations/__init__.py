"""Alembic migrations of the project schema, run from code: no alembic.ini, no CLI.

Revision "0001" is schema version 1, "0002" version 2, ... "0005" version 5
(tables.REVISION_OF_VERSION).
The scripts live inside the package so they ship with it. Every function takes
an open SQLAlchemy Connection and runs inside the caller's transaction.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

SCRIPT_LOCATION = str(Path(__file__).resolve().parent)


def alembic_config(connection: Connection | None = None) -> Config:
    """An in-memory Alembic config; env.py runs on `connection`."""
    config = Config()
    # ConfigParser interpolates "%"; a folder name may contain one.
    config.set_main_option("script_location", SCRIPT_LOCATION.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = script_directory().get_current_head()
    assert head is not None
    return head


def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in script_directory().walk_revisions())


def current_revision(connection: Connection) -> str | None:
    """The revision stamped in the database, or None if it has no `alembic_version`."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, revision: str = "head") -> None:
    """Bring the database up to `revision` (an empty one gets every table)."""
    command.upgrade(alembic_config(connection), revision)


def downgrade(connection: Connection, revision: str) -> None:
    command.downgrade(alembic_config(connection), revision)


def stamp(connection: Connection, revision: str) -> None:
    """Record `revision` without running anything (a file whose version table was lost)."""
    command.stamp(alembic_config(connection), revision)
