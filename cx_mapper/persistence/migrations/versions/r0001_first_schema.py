"""Schema version 1: a project with its segments, journeys and their elements.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None

# Frozen copies of the names at this revision: later schema changes get new revisions.
SEGMENT_PARAMETERS = (
    "share", "tell_positive", "tell_negative", "spend_uplift", "abandon_on_poor",
    "public_reach", "trust_private", "trust_public", "referral_conversion", "deterrence",
    "memory", "initial_loyalty",
)
TOUCHPOINT_NUMBERS = ("satisfaction", "visibility", "value", "impact", "entry",
                      "referral_entry")


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
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.UniqueConstraint("name", name="uq_projects_name"),
    )
    op.create_table(
        "segments",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        *(sa.Column(name, sa.Float, nullable=False) for name in SEGMENT_PARAMETERS),
        sa.PrimaryKeyConstraint("project_id", "id", name="pk_segments"),
        _project_fk("segments"),
    )
    op.create_table(
        "journeys",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("discount_rate", sa.Float, nullable=False),
        sa.Column("horizon", sa.Integer, nullable=False),
        sa.Column("conversions", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("project_id", "id", name="pk_journeys"),
        _project_fk("journeys"),
    )
    for name in ("stages", "channels"):
        op.create_table(
            name,
            *_journey_columns(),
            sa.Column("id", sa.Text, nullable=False),
            sa.Column("name", sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("project_id", "journey_id", "id", name=f"pk_{name}"),
            _journey_fk(name),
        )
    op.create_table(
        "touchpoints",
        *_journey_columns(),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("stage", sa.Text, nullable=True),
        sa.Column("channel", sa.Text, nullable=True),
        *(sa.Column(name, sa.Float, nullable=False) for name in TOUCHPOINT_NUMBERS),
        sa.Column("conversion", sa.Boolean, nullable=False),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_touchpoints"),
        _journey_fk("touchpoints"),
    )
    op.create_table(
        "transitions",
        *_journey_columns(),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("probability", sa.Float, nullable=False),
        sa.Column("label", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "source", "target",
                                name="pk_transitions"),
        _journey_fk("transitions"),
    )
    op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])


def downgrade() -> None:
    for name in ("transitions", "touchpoints", "channels", "stages", "journeys", "segments",
                 "projects", "meta"):
        op.drop_table(name)
