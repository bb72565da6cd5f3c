"""Fixtures every test directory shares.

- `postgres_url`: a real, throwaway PostgreSQL server for the whole session (bench/pgcluster.py:
  initdb into a temporary directory, pg_ctl on a free port, its unix socket in that directory;
  stopped and removed at the end). Never a mock. As root it runs as the `postgres` user.
- `database_url`: each test twice, on a fresh SQLite file and on a fresh PostgreSQL database.
  A test directory that needs only one can override this fixture.
- `clock`: the time the app sees (`CLOCK`), fixed and movable.
- `app_config`, `app`, `client`, `runner`: the Flask app in the shape of Flask's tutorial;
  override `app_config` to change a setting.
- `store`: a PlanStore on `database_url`.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

# bench/ is not an installed package; `python -m pytest` finds it from the repository root, a
# bare `pytest` would not.
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from bench import pgcluster  # noqa: E402  (the server start/stop shared with `make load`)

TEST_SECRET_KEY = "test-secret-key-for-hashes-0123456789-abcdefghij"
TEST_BASE_URL = "https://coach.example"
# A Sunday at noon UTC: tomorrow is a Monday everywhere from London to Sydney.
TEST_NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


# ---- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_url():
    """URL of the throwaway server's maintenance database (`postgres`), as a plain
    `postgresql://` URL that psycopg, SQLAlchemy (through the store) and the skill all accept."""
    try:
        with pgcluster.throwaway_postgres() as url:
            yield url
    except pgcluster.PostgresUnavailable as error:
        pytest.fail(str(error), pytrace=False)


def create_postgres_database(postgres_url: str) -> str:
    """A new, empty database on the test server; returns its URL."""
    return pgcluster.create_database(postgres_url)


def drop_postgres_database(postgres_url: str, database_url: str) -> None:
    pgcluster.drop_database(postgres_url, database_url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'coach.sqlite3'}"
        return
    server = request.getfixturevalue("postgres_url")
    url = create_postgres_database(server)
    yield url
    drop_postgres_database(server, url)


# ---- the store and the app ----------------------------------------------------------------


class Clock:
    """The app's idea of now: fixed, so tests are repeatable, and movable (`advance`)."""

    def __init__(self, now: dt.datetime = TEST_NOW):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(database_url):
    from plans.store import PlanStore

    plan_store = PlanStore(database_url, TEST_SECRET_KEY)
    yield plan_store
    plan_store.close()


@pytest.fixture
def app_config(database_url, clock) -> dict:
    return {
        "TESTING": True,
        "COACH_DATABASE_URL": database_url,
        "COACH_SECRET_KEY": TEST_SECRET_KEY,
        "COACH_BASE_URL": TEST_BASE_URL,
        "CLOCK": clock,
    }


@pytest.fixture
def app(app_config):
    from exporter import create_app

    flask_app = create_app(app_config)
    yield flask_app
    flask_app.extensions["plan_store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def sql(database_url):
    """Run SQL on the test database over a connection of its own (not the store's), e.g. to see
    what is really kept: `sql("SELECT * FROM plans WHERE plan_id = :id", id=...)` → list of rows
    (or the row count of a statement that returns none)."""
    import sqlalchemy

    from plans.store import sqlalchemy_url

    engine = sqlalchemy.create_engine(sqlalchemy_url(database_url), poolclass=sqlalchemy.pool.NullPool)
    if database_url.startswith("sqlite"):
        # SQLite enforces foreign keys (and so cascades) per connection, as the store's do.
        def foreign_keys_on(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        sqlalchemy.event.listen(engine, "connect", foreign_keys_on)

    def run(statement: str, **params):
        with engine.begin() as conn:
            result = conn.execute(sqlalchemy.text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else result.rowcount

    yield run
    engine.dispose()
