"""Schema version 2: journey revisions for the team store, and the view state.

Revision ID: 0002
Revises: 0001
Create Date: 2024-06-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def upgrade() -> None:
    # SQLite adds NOT NULL columns in place when they have a constant default.
    op.add_column("journeys", sa.Column("revision", sa.Integer, nullable=False,
                                        server_default="1"))
    op.add_column("journeys", sa.Column("changed_at", sa.Text, nullable=True))
    op.add_column("journeys", sa.Column("changed_by", sa.Text, nullable=True))
    op.create_table(
        "view_state",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False, server_default=""),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "key", name="pk_view_state"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_view_state_project"),
    )
    _set_schema_version(2)


def downgrade() -> None:
    op.drop_table("view_state")
    with op.batch_alter_table("journeys") as batch:
        batch.drop_column("changed_by")
        batch.drop_column("changed_at")
        batch.drop_column("revision")
    _set_schema_version(1)
