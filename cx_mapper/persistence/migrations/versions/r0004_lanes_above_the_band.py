"""Schema version 4: where the touchpoint band sits among a journey's lanes.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def upgrade() -> None:
    # At the end with a default: SQLite adds it in place; every older journey has all
    # its lanes below the band, as version 3 drew them.
    op.add_column("journeys", sa.Column("lanes_above", sa.Integer, nullable=False,
                                        server_default="0"))
    _set_schema_version(4)


def downgrade() -> None:
    with op.batch_alter_table("journeys") as batch:
        batch.drop_column("lanes_above")
    _set_schema_version(3)
