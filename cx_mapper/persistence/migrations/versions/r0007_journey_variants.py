"""Schema version 7: the most common paths of the event log a journey was imported from.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def upgrade() -> None:
    # A table of its own: older journeys have no variants, and no column changes.
    op.create_table(
        "journey_variants",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("path", sa.Text, nullable=False),  # JSON list of touchpoint ids
        sa.Column("customers", sa.Integer, nullable=False),
        sa.Column("share", sa.Float, nullable=False),
        sa.Column("conversion_rate", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "position",
                                name="pk_journey_variants"),
        sa.ForeignKeyConstraint(["project_id", "journey_id"],
                                ["journeys.project_id", "journeys.id"], ondelete="CASCADE",
                                name="fk_journey_variants_journey"),
    )
    _set_schema_version(7)


def downgrade() -> None:
    op.drop_table("journey_variants")
    _set_schema_version(6)
