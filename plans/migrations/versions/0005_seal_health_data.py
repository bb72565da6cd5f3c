"""Health data sealed at rest; eight-character codes; a time index for the global guess budget.

- Every plan's answers, preferences, assessment and programme, every check-in's body and every
  skill state's attributes are sealed (plans.keys.Keyring: AES-GCM under a key derived from
  COACH_SECRET_KEY, bound to the row and column, prefixed with the key's id). Existing plans
  carry forward: they open as before, through the store, which now opens what it reads.
- Short codes become eight characters: the six-character codes still live are retired (a runner
  asks for a new code by voice, and the plan's link keeps working); plans keep the code they were
  printed with, marked as having stopped now.
- `code_attempts.attempted_at` gets an index of its own: the global budget counts every client's
  guesses in the last minute.

The store passes its keyring in; run by hand (alembic upgrade), the key comes from the
environment as the service reads it (plans.config).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import context, op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PLAN_COLUMNS = ("answers", "preferences", "assessment", "programme")

plans = sa.table("plans", sa.column("plan_id", sa.String), *(sa.column(c, sa.Text) for c in PLAN_COLUMNS),
                 sa.column("code_expires_at", sa.DateTime(timezone=True)))
check_ins = sa.table("check_ins", sa.column("plan_id", sa.String), sa.column("number", sa.Integer),
                     sa.column("body", sa.Text))
skill_state = sa.table("skill_state", sa.column("owner_key", sa.Text), sa.column("attributes", sa.Text))
short_codes = sa.table("short_codes", sa.column("code_hash", sa.String))


def _keyring():
    from plans import keys

    keyring = context.config.attributes.get("keyring")
    if keyring is None:
        from plans.config import Config

        config = Config.from_env()
        keyring = keys.keyring_for(config.secret_key, config.old_secret_keys)
    return keyring


def upgrade() -> None:
    from plans.keys import is_sealed
    from plans.state import state_bound_to
    from plans.store import check_in_bound_to, sealed_bound_to

    keyring = _keyring()
    bind = op.get_bind()
    for row in bind.execute(sa.select(plans.c.plan_id, *(plans.c[c] for c in PLAN_COLUMNS))).all():
        values = {column: keyring.seal(getattr(row, column), bound_to=sealed_bound_to(row.plan_id, column))
                  for column in PLAN_COLUMNS if not is_sealed(getattr(row, column))}
        if values:
            bind.execute(plans.update().where(plans.c.plan_id == row.plan_id).values(**values))
    for row in bind.execute(sa.select(check_ins.c.plan_id, check_ins.c.number, check_ins.c.body)).all():
        if not is_sealed(row.body):
            bind.execute(check_ins.update()
                         .where(check_ins.c.plan_id == row.plan_id, check_ins.c.number == row.number)
                         .values(body=keyring.seal(row.body,
                                                   bound_to=check_in_bound_to(row.plan_id, row.number))))
    for row in bind.execute(sa.select(skill_state.c.owner_key, skill_state.c.attributes)).all():
        if not is_sealed(row.attributes):
            bind.execute(skill_state.update().where(skill_state.c.owner_key == row.owner_key).values(
                attributes=keyring.seal(row.attributes, bound_to=state_bound_to(row.owner_key))))
    # Six-character codes end here; the plans' printed codes are marked as stopped now.
    now = dt.datetime.now(dt.UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)
    bind.execute(short_codes.delete())
    bind.execute(plans.update().where(plans.c.code_expires_at > now).values(code_expires_at=now))
    op.create_index("ix_code_attempts_attempted_at", "code_attempts", ["attempted_at"])


def downgrade() -> None:
    from plans.state import state_bound_to
    from plans.store import check_in_bound_to, sealed_bound_to

    keyring = _keyring()
    bind = op.get_bind()
    op.drop_index("ix_code_attempts_attempted_at", "code_attempts")
    for row in bind.execute(sa.select(plans.c.plan_id, *(plans.c[c] for c in PLAN_COLUMNS))).all():
        bind.execute(plans.update().where(plans.c.plan_id == row.plan_id).values(**{
            column: keyring.open(getattr(row, column), bound_to=sealed_bound_to(row.plan_id, column))
            for column in PLAN_COLUMNS}))
    for row in bind.execute(sa.select(check_ins.c.plan_id, check_ins.c.number, check_ins.c.body)).all():
        bind.execute(check_ins.update()
                     .where(check_ins.c.plan_id == row.plan_id, check_ins.c.number == row.number)
                     .values(body=keyring.open(row.body,
                                               bound_to=check_in_bound_to(row.plan_id, row.number))))
    for row in bind.execute(sa.select(skill_state.c.owner_key, skill_state.c.attributes)).all():
        bind.execute(skill_state.update().where(skill_state.c.owner_key == row.owner_key).values(
            attributes=keyring.open(row.attributes, bound_to=state_bound_to(row.owner_key))))
