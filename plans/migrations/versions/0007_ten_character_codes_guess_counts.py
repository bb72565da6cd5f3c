"""Ten-character codes; wrong guesses counted in one-second buckets.

- `guess_counts`: one row per (counter, second) with the number of wrong code guesses counted in
  that second; the counter is a network's keyed hash, or "*" for all networks together. The
  global budget is 1,000 guesses a second (plans.codes), too many to count as one row each and
  COUNT(*) over the last minute: a guess now costs one upsert of two counters and one sum over at
  most a minute of buckets, and buckets older than the window are deleted as the clock moves on.
- Short codes become ten characters: with a budget of 1,000 a second an eight-character code
  (22⁸) would fall in hours, so the eight-character codes still live are retired exactly as 0005
  retired the six-character ones. Plans keep their link (and their token, sealed since 0006); a
  runner asks Alexa "what's my code" for a new one; plans keep the code they were printed with,
  marked as having stopped now.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

plans = sa.table("plans", sa.column("code_expires_at", sa.DateTime(timezone=True)))
short_codes = sa.table("short_codes", sa.column("code_hash", sa.String))


def upgrade() -> None:
    op.create_table(
        "guess_counts",
        sa.Column("counter", sa.String(64), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
        sa.Column("guesses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("counter", "bucket", name="pk_guess_counts"),
    )
    op.create_index("ix_guess_counts_bucket", "guess_counts", ["bucket"])
    # Eight-character codes end here; the plans' printed codes are marked as stopped now.
    bind = op.get_bind()
    now = dt.datetime.now(dt.UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    bind.execute(short_codes.delete())
    bind.execute(plans.update().where(plans.c.code_expires_at > now).values(code_expires_at=now))


def downgrade() -> None:
    op.drop_index("ix_guess_counts_bucket", "guess_counts")
    op.drop_table("guess_counts")
