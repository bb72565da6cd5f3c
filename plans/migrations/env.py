"""Alembic environment for the plan store.

The store runs migrations itself (`PlanStore.migrate()`), handing Alembic a connection that already
holds the migration lock; this file only uses that connection. Run by hand, e.g.
`alembic -c plans/migrations/alembic.ini upgrade head`, it connects to COACH_DATABASE_URL.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

config = context.config


def _run(connection) -> None:
    context.configure(
        connection=connection,
        # SQLite can change a table only by copying it; batch mode lets later migrations do so.
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from plans.store import sqlalchemy_url

    url = config.get_main_option("sqlalchemy.url") or os.environ.get(
        "COACH_DATABASE_URL", "sqlite:///var/coach.sqlite3"
    )
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
run_migrations_online()
