"""Fixtures every test directory shares.

- `postgres_url`: a real, throwaway PostgreSQL server for the whole session (bench/pgcluster.py:
  initdb into a temporary directory, pg_ctl on a free port, its unix socket in that directory;
  stopped and removed at the end). Never a mock. As root it runs as the `postgres` user.
- `sqlite_url`: a fresh SQLite file in the test's temporary directory.
- `database_url`: the database the store, the app and the skill use. Storage-independent
  behaviour (a conversation, a page, an API answer) is tested once, on `sqlite_url`. A test about
  storage itself is marked `@pytest.mark.each_database` (or its module, with `pytestmark`) and
  runs twice: on a fresh SQLite file and on a fresh PostgreSQL database.
- `clock`: the time the app sees (`CLOCK`), fixed and movable.
- `app_config`, `app`, `client`, `runner`: the Flask app in the shape of Flask's tutorial;
  override `app_config` to change a setting.
- `store`: a PlanStore on `database_url`.

Markers (pyproject.toml): `system` marks the process-level tests (real servers, subprocesses,
the PostgreSQL server, Chromium, Lambda zip builds, fault injection), so that
`pytest -m "not system"` is the fast lane; every test that needs the PostgreSQL server is a
system test without being marked by hand (`pytest_collection_modifyitems` below).

The checkout's var/ (where `make run` keeps its database and key) must come out of a test run as
it went in: `_checkout_var_is_left_alone` fails the run otherwise. Tests use tmp_path.

Sample answers, preferences and request bodies: tests/samples.py.
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


# The databases a storage test runs on; needing the server makes a test a system test.
DATABASES = ("sqlite", pytest.param("postgresql", marks=pytest.mark.postgres))


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("each_database"):
        metafunc.parametrize("database_url", DATABASES, indirect=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("postgres") or "postgres_url" in item.fixturenames:
            item.add_marker(pytest.mark.system)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'coach.sqlite3'}"


@pytest.fixture
def database_url(request, sqlite_url):
    """`sqlite_url`, or for an `each_database` test each of DATABASES in turn."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield sqlite_url
        return
    server = request.getfixturevalue("postgres_url")
    url = create_postgres_database(server)
    yield url
    drop_postgres_database(server, url)


# ---- the checkout stays clean -------------------------------------------------------------

_CHECKOUT_VAR = Path(_ROOT) / "var"


def _files_in_checkout_var() -> set[str]:
    if not _CHECKOUT_VAR.exists():
        return set()
    return {"var/"} | {f"var/{path.relative_to(_CHECKOUT_VAR)}" for path in _CHECKOUT_VAR.rglob("*")}


@pytest.fixture(scope="session", autouse=True)
def _checkout_var_is_left_alone():
    """A test that falls back to the default database (sqlite:///var/coach.sqlite3) or key file
    writes into the developer's own var/; fail the run if any did, naming what appeared."""
    before = _files_in_checkout_var()
    yield
    appeared = sorted(_files_in_checkout_var() - before)
    if appeared:
        pytest.fail(f"the tests left files in the checkout's var/: {appeared}; use tmp_path", pytrace=False)


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
