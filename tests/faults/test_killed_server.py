"""A plan service killed with SIGKILL (master and both workers at once) in the middle of a stream of
plan creations loses no plan it answered 201 for, and its database opens cleanly afterwards;
on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import http.client
import sqlite3
import threading
import time

import pytest
from coach_server import SECRET_KEY, CoachServer, HttpClient

from plans.store import PlanStore, sqlalchemy_url

pytestmark = [pytest.mark.system, pytest.mark.each_database]

CLIENT_THREADS = 3
ANSWERED_BEFORE_THE_KILL = 24
STREAM_TIMEOUT_S = 60


class PlanStream:
    """Client threads posting complete plans back to back until the server stops answering.
    Records every 201 (token and code) and anything else that came back."""

    def __init__(self, port: int):
        self.port = port
        self.created: list[tuple[str, str]] = []
        self.other_answers: list[tuple[int, bytes]] = []
        self.broken_off = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._threads = [threading.Thread(target=self._post, daemon=True) for _ in range(CLIENT_THREADS)]

    def __enter__(self) -> PlanStream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _post(self) -> None:
        from coach_server import PLAN_REQUEST

        client = HttpClient(self.port, timeout=15)
        while not self._stopping.is_set():
            try:
                answer = client.request("POST", "/api/plans", PLAN_REQUEST)
            except (OSError, http.client.HTTPException):
                # The server died under this request (reset, refused, no reply at all, or a reply
                # cut short: http.client's IncompleteRead is not an OSError).
                with self._lock:
                    self.broken_off += 1
                return
            with self._lock:
                if answer.status == 201:
                    body = answer.json()
                    self.created.append((body["token"], body["code"]))
                else:
                    self.other_answers.append((answer.status, answer.body[:300]))

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + STREAM_TIMEOUT_S
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.created) >= count or self.other_answers:
                    return
            time.sleep(0.01)
        raise AssertionError(f"only {len(self.created)} plans were created in {STREAM_TIMEOUT_S} s")

    def answered(self) -> list[tuple[str, str]]:
        with self._lock:
            return list(self.created)


def kill_mid_stream(server: CoachServer) -> PlanStream:
    with PlanStream(server.port) as stream:
        stream.wait_for(ANSWERED_BEFORE_THE_KILL)
        server.kill()  # while the client threads are still posting
    return stream


def database_check(database_url: str) -> dict[str, object]:
    """Open the database with a plain connection of its own, as an operator would after a crash,
    before the service touches it again."""
    if database_url.startswith("sqlite"):
        path = database_url.split("sqlite:///", 1)[1]
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA foreign_keys = ON")
            return {
                "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
                "foreign_keys": conn.execute("PRAGMA foreign_key_check").fetchall(),
                "plans": conn.execute("SELECT count(*) FROM plans").fetchone()[0],
                "codes": conn.execute("SELECT count(*) FROM short_codes").fetchone()[0],
                "orphan_codes": conn.execute(
                    "SELECT count(*) FROM short_codes WHERE plan_id NOT IN (SELECT plan_id FROM plans)"
                ).fetchone()[0],
            }
    import psycopg

    with psycopg.connect(sqlalchemy_url(database_url).replace("+psycopg", ""), connect_timeout=5) as conn:
        return {
            "integrity": [("ok",)],  # PostgreSQL's WAL replay is its own integrity guarantee
            "foreign_keys": [],
            "plans": conn.execute("SELECT count(*) FROM plans").fetchone()[0],
            "codes": conn.execute("SELECT count(*) FROM short_codes").fetchone()[0],
            "orphan_codes": conn.execute(
                "SELECT count(*) FROM short_codes WHERE plan_id NOT IN (SELECT plan_id FROM plans)"
            ).fetchone()[0],
        }


def test_every_plan_answered_201_survives_a_sigkill_of_master_and_workers(database_url, servers):
    server = servers(database_url)
    stream = kill_mid_stream(server)

    answered = stream.answered()
    assert len(answered) >= ANSWERED_BEFORE_THE_KILL
    assert stream.other_answers == []
    assert server.process.returncode == -9

    check = database_check(database_url)
    assert check["integrity"] == [("ok",)]
    assert check["foreign_keys"] == []
    assert check["orphan_codes"] == 0
    # Requests in flight at the kill may have committed without an answer; none may be half-kept.
    assert check["plans"] >= len(answered)
    assert check["codes"] == check["plans"]

    store = PlanStore(database_url, SECRET_KEY)
    try:
        now = dt.datetime.now(dt.UTC)
        for token, code in answered:
            plan = store.get_plan(token)
            assert plan is not None
            assert plan.programme.sessions
            assert store.token_for_code(code, now) == token
    finally:
        store.close()

    # And the service started again on the same database serves them all and takes new ones.
    server.start()
    assert server.request("GET", "/healthz").json() == {"status": "ok", "database": "ok"}
    client = server.client()
    try:
        for token, code in answered:
            assert client.request("GET", f"/api/plans/{token}").status == 200
            opened = client.request("GET", f"/c/{code}")
            assert opened.status == 302
            assert opened.headers["location"].endswith(f"/plans/{token}")
    finally:
        client.close()
    assert server.create_plan().status == 201
