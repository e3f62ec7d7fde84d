"""Schema version 3: the journey map around the graph (lanes, notes, personas, images).

Revision ID: 0003
Revises: 0002
Create Date: 2025-01-15
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def _project_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE",
                                   name=f"fk_{table}_project")


def _journey_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["project_id", "journey_id"],
                                   ["journeys.project_id", "journeys.id"],
                                   ondelete="CASCADE", name=f"fk_{table}_journey")


def _journey_columns() -> list[sa.Column[object]]:
    return [sa.Column("project_id", sa.Integer, nullable=False),
            sa.Column("journey_id", sa.Text, nullable=False),
            sa.Column("position", sa.Integer, nullable=False)]


def upgrade() -> None:
    # A new column at the end, nullable: SQLite adds it in place, older rows show no image.
    op.add_column("touchpoints", sa.Column("image", sa.Text, nullable=True))
    op.create_table(
        "images",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("media_type", sa.Text, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "id", name="pk_images"),
        _project_fk("images"),
    )
    op.create_table(
        "personas",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("segment", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("image", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("project_id", "id", name="pk_personas"),
        _project_fk("personas"),
    )
    op.create_table(
        "persona_items",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("persona_id", sa.Text, nullable=False),
        sa.Column("list", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "persona_id", "list", "position",
                                name="pk_persona_items"),
        sa.ForeignKeyConstraint(["project_id", "persona_id"],
                                ["personas.project_id", "personas.id"], ondelete="CASCADE",
                                name="fk_persona_items_persona"),
    )
    op.create_table(
        "lanes",
        *_journey_columns(),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("colour", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_lanes"),
        _journey_fk("lanes"),
    )
    op.create_table(
        "notes",
        *_journey_columns(),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("lane", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("image", sa.Text, nullable=True),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_notes"),
        _journey_fk("notes"),
    )
    op.create_table(
        "note_touchpoints",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False),
        sa.Column("note_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("touchpoint", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "note_id", "touchpoint",
                                name="pk_note_touchpoints"),
        sa.ForeignKeyConstraint(["project_id", "journey_id", "note_id"],
                                ["notes.project_id", "notes.journey_id", "notes.id"],
                                ondelete="CASCADE", name="fk_note_touchpoints_note"),
    )
    _set_schema_version(3)


def downgrade() -> None:
    for name in ("note_touchpoints", "notes", "lanes", "persona_items", "personas", "images"):
        op.drop_table(name)
    with op.batch_alter_table("touchpoints") as batch:
        batch.drop_column("image")
    _set_schema_version(2)
