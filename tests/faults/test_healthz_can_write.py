"""Issue 14, finding 14: `/healthz` said ok when nothing worked. It answers 200 only when the
service can write a plan now (design.md §4): the SQLite file it opened is still at its path, the
plans table is there, and a one-row write commits; else 503, the reason in the log only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from coach_server import BASE_URL, PLAN_REQUEST, SECRET_KEY

# Storage behaviour: on both databases (tests/conftest.py's each_database).
pytestmark = pytest.mark.each_database


def healthz(client):
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def test_a_healthy_service_says_ok_and_keeps_saying_it(client):
    for _ in range(3):
        assert healthz(client) == (200, {"status": "ok", "database": "ok"})
    assert client.post("/api/plans", data=PLAN_REQUEST, content_type="application/json").status_code == 201


@pytest.mark.parametrize("table", ["plans", "health_probe"])
def test_a_dropped_table_is_unhealthy(client, sql, database_url, table, caplog):
    assert healthz(client)[0] == 200
    sql(f"DROP TABLE {table}" + (" CASCADE" if database_url.startswith("postgresql") else ""))
    status, body = healthz(client)
    assert status == 503
    assert body == {"status": "unavailable", "database": "unreachable"}
    assert any("/healthz" in record.getMessage() for record in caplog.records)


# A database file is SQLite's: these run once, on a file of their own.


@pytest.fixture
def sqlite_file(tmp_path) -> Path:
    return tmp_path / "file" / "coach.sqlite3"


@pytest.fixture
def file_client(sqlite_file, clock):
    from exporter import create_app

    app = create_app({"TESTING": True, "COACH_DATABASE_URL": f"sqlite:///{sqlite_file}",
                      "COACH_SECRET_KEY": SECRET_KEY, "COACH_BASE_URL": BASE_URL, "CLOCK": clock})
    yield app.test_client()
    app.extensions["plan_store"].close()


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def test_a_database_file_deleted_under_the_running_app_is_unhealthy(file_client, sqlite_file):
    client = file_client
    assert client.post("/api/plans", data=PLAN_REQUEST, content_type="application/json").status_code == 201
    assert healthz(client)[0] == 200
    remove_database(sqlite_file)
    # The open connections still write happily into the deleted file: a read or a write alone
    # would say all is well.
    assert healthz(client)[0] == 503
    assert healthz(client)[0] == 503


def test_a_database_file_replaced_under_the_running_app_is_unhealthy(file_client, sqlite_file, tmp_path):
    client = file_client
    assert healthz(client)[0] == 200
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(sqlite_file, copy)
    remove_database(sqlite_file)
    shutil.move(copy, sqlite_file)
    assert healthz(client)[0] == 503


@pytest.mark.system
def test_the_real_service_says_503_once_its_database_file_is_deleted(tmp_path, servers):
    database = tmp_path / "db" / "coach.sqlite3"
    server = servers(f"sqlite:///{database}")
    assert server.create_plan().status == 201
    assert server.request("GET", "/healthz").status == 200
    remove_database(database)
    # Both workers (each with its own connections) must notice: ask more often than there are.
    assert {server.request("GET", "/healthz").status for _ in range(6)} == {503}
