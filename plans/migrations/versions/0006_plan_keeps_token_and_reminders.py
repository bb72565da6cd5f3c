"""Two sealed columns on a plan, both empty for the plans already kept:

- `sealed_token`: the plan's token, sealed at rest under the store's key (bound to the plan and
  column like the health data). Design §3 promises a runner one token, and so one link and one
  calendar feed, for the life of a plan; "what's my code" by voice finds the plan by owner key
  only, and must seal the same token under the fresh code it mints. A plan kept before this
  revision has none until its link is next opened.
- `sealed_reminders`: the Alexa reminders made for the plan (their alert tokens and the schedule
  each one carries), sealed the same way, so they are deleted with the plan and a revision can
  move or remove them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.add_column(sa.Column("sealed_token", sa.Text(), nullable=True))
        batch.add_column(sa.Column("sealed_reminders", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as batch:
        batch.drop_column("sealed_reminders")
        batch.drop_column("sealed_token")
