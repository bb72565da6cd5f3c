"""Fixtures for the deployment tests. The real-server harness lives with the fault tests
(tests/faults/coach_server.py); these tests run the same servers in another topology."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "faults"))

from coach_server import servers  # noqa: E402, F401 - a fixture, found by name


@pytest.fixture
def shared_postgres(postgres_url):
    """A fresh database on the session's PostgreSQL server (tests/conftest.py), as the one
    database every host of a scaled deployment shares."""
    import psycopg

    name = f"coach_shared_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
