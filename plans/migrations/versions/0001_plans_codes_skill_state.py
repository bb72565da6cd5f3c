"""Plans, their short codes, the skill's per-runner state and wrong-code attempts.

Revision ID: 0001
Revises:
Create Date: 2026-03-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("plan_id", sa.String(32), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("owner_key", sa.String(128), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("preferences", sa.Text(), nullable=False),
        sa.Column("assessment", sa.Text(), nullable=False),
        sa.Column("programme", sa.Text(), nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_plans_token_hash"),
    )
    op.create_index("ix_plans_owner_key", "plans", ["owner_key"])
    op.create_index("ix_plans_updated_at", "plans", ["updated_at"])

    op.create_table(
        "short_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column(
            "plan_id", sa.String(32),
            sa.ForeignKey("plans.plan_id", ondelete="CASCADE", name="fk_short_codes_plan_id"),
            nullable=False,
        ),
        sa.Column("sealed_token", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_short_codes_plan_id", "short_codes", ["plan_id"])
    op.create_index("ix_short_codes_expires_at", "short_codes", ["expires_at"])

    # Read and written by the skill with plain DB-API (no SQLAlchemy on a Lambda cold start), so
    # every column is TEXT: attributes is JSON, updated_at ISO 8601 in UTC ("2026-03-01T12:00:00Z").
    op.create_table(
        "skill_state",
        sa.Column("owner_key", sa.Text(), primary_key=True),
        sa.Column("attributes", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
    )

    op.create_table(
        "code_attempts",
        sa.Column("attempt_id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_hash", sa.String(64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_code_attempts_client_time", "code_attempts", ["client_hash", "attempted_at"])


def downgrade() -> None:
    op.drop_table("code_attempts")
    op.drop_table("skill_state")
    op.drop_table("short_codes")
    op.drop_table("plans")
