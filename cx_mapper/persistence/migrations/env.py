"""Alembic's entry point. CX Mapper runs migrations only from code, on a given connection."""

from __future__ import annotations

from alembic import context

_connection = context.config.attributes.get("connection")
if _connection is None or context.is_offline_mode():
    raise RuntimeError("CX Mapper's migrations run from code on an open connection; "
                       "use cx_mapper.persistence.migrations.upgrade(connection).")

# Batch mode lets ALTERs that SQLite lacks (drop column) work by copying the table.
context.configure(connection=_connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
