"""Schema version 9: the evidence behind figures, a row per entry.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def upgrade() -> None:
    # A table of its own: older files have no evidence, and no column changes.
    op.create_table(
        "evidence",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False),  # "" for a segment's
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("element", sa.Text, nullable=False),
        sa.Column("element_id", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("field", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        *(sa.Column(name, sa.Float, nullable=True) for name in ("low", "high", "mode", "n",
                                                                  "sd")),
        sa.Column("scale", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "element", "element_id", "target",
                                "field", name="pk_evidence"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                name="fk_evidence_project"),
    )
    _set_schema_version(9)


def downgrade() -> None:
    op.drop_table("evidence")
    _set_schema_version(8)
