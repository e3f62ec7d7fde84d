"""Schema version 6: the satisfaction a touchpoint's measured flows were measured at.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))
#: Both tables hold touchpoints: the journey's, and those an opportunity would add.
_TABLES = ("touchpoints", "opportunity_added_touchpoints")


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def upgrade() -> None:
    # NULL: every older touchpoint is drawn, its abandonment applied on top (MODEL.md §2).
    for table in _TABLES:
        op.add_column(table, sa.Column("measured_satisfaction", sa.Float, nullable=True))
    _set_schema_version(6)


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("measured_satisfaction")
    _set_schema_version(5)
