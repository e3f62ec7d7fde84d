"""Schema version 5: a journey's opportunities and plan settings, the project's cost unit.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_meta = sa.table("meta", sa.column("key", sa.Text), sa.column("value", sa.Text))

#: A touchpoint's columns as version 3 left them (an added touchpoint has them all).
_TOUCHPOINT_COLUMNS: tuple[tuple[str, type[sa.types.TypeEngine[Any]], bool], ...] = (
    ("id", sa.Text, False), ("name", sa.Text, False), ("stage", sa.Text, True),
    ("channel", sa.Text, True), ("satisfaction", sa.Float, False),
    ("visibility", sa.Float, False), ("value", sa.Float, False), ("impact", sa.Float, False),
    ("entry", sa.Float, False), ("referral_entry", sa.Float, False),
    ("conversion", sa.Boolean, False), ("x", sa.Float, False), ("y", sa.Float, False),
    ("notes", sa.Text, False), ("image", sa.Text, True),
)


def _set_schema_version(version: int) -> None:
    op.execute(_meta.update().where(_meta.c.key == "schema_version")
               .values(value=str(version)))


def _part(name: str, *columns: sa.Column[object], key: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False),
        sa.Column("opportunity_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        *columns,
        sa.PrimaryKeyConstraint("project_id", "journey_id", "opportunity_id", *key,
                                name=f"pk_{name}"),
        sa.ForeignKeyConstraint(["project_id", "journey_id", "opportunity_id"],
                                ["opportunities.project_id", "opportunities.journey_id",
                                 "opportunities.id"],
                                ondelete="CASCADE", name=f"fk_{name}_opportunity"),
    )


def upgrade() -> None:
    # At the end with a default: SQLite adds it in place; older projects show bare costs.
    op.add_column("projects", sa.Column("cost_unit", sa.Text, nullable=False,
                                        server_default=""))
    op.add_column("journeys", sa.Column("plan_budget", sa.Float, nullable=True))
    op.create_table(
        "plan_objectives",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kpi", sa.Text, nullable=False),
        sa.Column("weight", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "kpi", name="pk_plan_objectives"),
        sa.ForeignKeyConstraint(["project_id", "journey_id"],
                                ["journeys.project_id", "journeys.id"], ondelete="CASCADE",
                                name="fk_plan_objectives_journey"),
    )
    op.create_table(
        "opportunities",
        sa.Column("project_id", sa.Integer, nullable=False),
        sa.Column("journey_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("id", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("cost", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("project_id", "journey_id", "id", name="pk_opportunities"),
        sa.ForeignKeyConstraint(["project_id", "journey_id"],
                                ["journeys.project_id", "journeys.id"], ondelete="CASCADE",
                                name="fk_opportunities_journey"),
    )
    _part("opportunity_touchpoints", sa.Column("touchpoint", sa.Text, nullable=False),
          key=("touchpoint",))
    _part("opportunity_fields", sa.Column("touchpoint", sa.Text, nullable=False),
          sa.Column("field", sa.Text, nullable=True), sa.Column("value", sa.Float, nullable=True),
          key=("position",))
    _part("opportunity_transitions", sa.Column("source", sa.Text, nullable=False),
          sa.Column("target", sa.Text, nullable=False),
          sa.Column("probability", sa.Float, nullable=False),
          sa.Column("label", sa.Text, nullable=False), key=("source", "target"))
    _part("opportunity_removed_transitions", sa.Column("source", sa.Text, nullable=False),
          sa.Column("target", sa.Text, nullable=False), key=("source", "target"))
    _part("opportunity_added_touchpoints",
          *(sa.Column(name, kind, nullable=optional)
            for name, kind, optional in _TOUCHPOINT_COLUMNS),
          key=("id",))
    _set_schema_version(5)


def downgrade() -> None:
    for name in ("opportunity_added_touchpoints", "opportunity_removed_transitions",
                 "opportunity_transitions", "opportunity_fields", "opportunity_touchpoints",
                 "opportunities", "plan_objectives"):
        op.drop_table(name)
    with op.batch_alter_table("journeys") as batch:
        batch.drop_column("plan_budget")
    with op.batch_alter_table("projects") as batch:
        batch.drop_column("cost_unit")
    _set_schema_version(4)
