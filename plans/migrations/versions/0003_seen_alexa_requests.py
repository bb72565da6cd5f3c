"""Verified Alexa requests are remembered for a few minutes, by a hash of their request id, so a
captured signed request cannot be answered twice (on any worker or host); and a one-row table
that /healthz writes to, so "healthy" means the service can still write.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_alexa_requests",
        sa.Column("request_hash", sa.String(64), primary_key=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_seen_alexa_requests_seen_at", "seen_alexa_requests", ["seen_at"])
    op.create_table(
        "health_probe",
        sa.Column("probe_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("health_probe")
    op.drop_index("ix_seen_alexa_requests_seen_at", table_name="seen_alexa_requests")
    op.drop_table("seen_alexa_requests")
