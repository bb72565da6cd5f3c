"""Fixtures every test directory shares.

- `postgres_url`: a real, throwaway PostgreSQL server for the whole session (initdb into a temporary
  directory, pg_ctl on a free port, its unix socket in that directory; stopped and removed at the
  end). Never a mock. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
- `database_url`: each test twice, on a fresh SQLite file and on a fresh PostgreSQL database.
  A test directory that needs only one can override this fixture.
- `clock`: the time the app sees (`CLOCK`), fixed and movable.
- `app_config`, `app`, `client`, `runner`: the Flask app in the shape of Flask's tutorial;
  override `app_config` to change a setting.
- `store`: a PlanStore on `database_url`.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

TEST_SECRET_KEY = "test-secret-key-for-hashes-0123456789-abcdefghij"
TEST_BASE_URL = "https://coach.example"
# A Sunday at noon UTC: tomorrow is a Monday everywhere from London to Sydney.
TEST_NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
POSTGRES_USER = "coach"


# ---- PostgreSQL ---------------------------------------------------------------------------


def _postgres_bindir() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if not candidates:
        pytest.fail(
            "PostgreSQL server binaries are missing (/usr/lib/postgresql/*/bin/initdb); "
            "`make test` installs them (Debian package postgresql)",
            pytrace=False,
        )
    return candidates[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    if shutil.which("runuser") is None:
        pytest.fail("running as root needs `runuser` to start PostgreSQL as the postgres user", pytrace=False)
    return ["runuser", "-u", "postgres", "--", *command]


@pytest.fixture(scope="session")
def postgres_url():
    """URL of the throwaway server's maintenance database (`postgres`), as a plain
    `postgresql://` URL that psycopg, SQLAlchemy (through the store) and the skill all accept."""
    bindir = _postgres_bindir()
    root = Path(tempfile.mkdtemp(prefix="coach-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        try:
            shutil.chown(root, user="postgres", group="postgres")
        except LookupError:
            pytest.fail("running as root needs a `postgres` system user (Debian's postgresql package "
                        "creates it)", pytrace=False)
    started = False
    try:
        subprocess.run(
            _as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", POSTGRES_USER, "--auth=trust",
                             "--encoding=UTF8", "--locale=C", "--no-sync"]),
            check=True, capture_output=True, text=True,
        )
        for _ in range(5):  # another process may grab the free port before the server does
            port = _free_port()
            options = (f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
                       "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
            result = subprocess.run(
                _as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
                                 "-w", "-t", "60", "-o", options, "start"]),
                capture_output=True, text=True,
            )
            if result.returncode == 0:
                started = True
                break
        if not started:
            log = (root / "server.log").read_text(errors="replace") if (root / "server.log").exists() else ""
            pytest.fail(f"PostgreSQL would not start:\n{result.stdout}{result.stderr}\n{log}", pytrace=False)
        yield f"postgresql://{POSTGRES_USER}@127.0.0.1:{port}/postgres"
    except subprocess.CalledProcessError as error:
        pytest.fail(f"initdb failed: {error.stdout}{error.stderr}", pytrace=False)
    finally:
        if started:
            stop = [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            subprocess.run(_as_server_user(stop), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def create_postgres_database(postgres_url: str) -> str:
    """A new, empty database on the test server; returns its URL."""
    import psycopg

    name = f"coach_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(postgres_url: str, database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    from exporter.store import PlanStore

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

    from exporter.store import sqlalchemy_url

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
