"""Plans keep their short code, sealed under a key only the plan's token opens, and its expiry,
so the printed plan can show the code beside the QR code.

Plans filed before this revision have neither (their codes cannot be recovered: only hashes were
kept), and print the plan's full address instead.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch_alter_table: SQLite adds the columns in place; PostgreSQL gets plain ALTER TABLEs.
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("sealed_code", sa.Text(), nullable=True))
        batch.add_column(sa.Column("code_expires_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("code_expires_at")
        batch.drop_column("sealed_code")
