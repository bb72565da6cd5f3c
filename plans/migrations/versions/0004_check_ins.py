"""Check-ins: what a runner reported after a session and what the coach decided, numbered within
their plan and deleted with it (ON DELETE CASCADE: deleting a plan, by link, by voice or by the
retention purge, leaves none behind). A plan's revision and programme already live on its row;
existing plans carry forward unchanged, with no check-ins.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "check_ins",
        sa.Column("plan_id", sa.String(32),
                  sa.ForeignKey("plans.plan_id", ondelete="CASCADE", name="fk_check_ins_plan_id"),
                  primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("check_ins")
