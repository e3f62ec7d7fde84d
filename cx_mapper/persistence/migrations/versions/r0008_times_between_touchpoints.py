"""Schema version 8: the times an event log measured, on stages and transitions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))
#: The median and 90th percentile, in seconds: between two touchpoints, and in a stage.
_COLUMNS = ("time_median", "time_p90")
_TABLES = ("stages", "transitions")


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def upgrade() -> None:
    # NULL: not measured, as every older stage and transition is.
    for table in _TABLES:
        for column in _COLUMNS:
            op.add_column(table, sa.Column(column, sa.Float, nullable=True))
    _set_schema_version(8)


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            for column in _COLUMNS:
                batch.drop_column(column)
    _set_schema_version(7)
