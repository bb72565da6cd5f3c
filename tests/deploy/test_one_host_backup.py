"""The one-host topology's backup and restore, exactly as docs/deploy.md gives them: an online
backup of the SQLite file taken while the service keeps filing plans (SQLite's backup API, which
is what `sqlite3 coach.sqlite3 ".backup ..."` runs), and a restore that puts it back with the
service stopped and the old write-ahead log removed."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import threading

import pytest
from coach_server import PLAN_REQUEST

pytestmark = pytest.mark.system

# docs/deploy.md, "Backups": the same online backup without the sqlite3 command-line tool.
BACKUP_COMMAND = [
    sys.executable, "-c",
    "import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))",
]


def test_an_online_backup_holds_every_plan_answered_before_it_and_restores_cleanly(tmp_path, servers):
    live = tmp_path / "coach.sqlite3"
    server = servers(f"sqlite:///{live}")
    answered: list[str] = []
    refused: list[int] = []
    stop = threading.Event()

    def keep_filing() -> None:
        client = server.client()
        while not stop.is_set() and not refused:
            answer = client.request("POST", "/api/plans", PLAN_REQUEST)
            if answer.status == 201:
                answered.append(answer.json()["token"])
            else:
                refused.append(answer.status)
        client.close()

    filer = threading.Thread(target=keep_filing)
    filer.start()
    try:
        while len(answered) < 5 and filer.is_alive():
            stop.wait(0.01)
        before_backup = list(answered)
        backup = tmp_path / "backup.sqlite3"
        subprocess.run([*BACKUP_COMMAND, str(live), str(backup)], check=True, timeout=60)
    finally:
        stop.set()
        filer.join(timeout=30)

    assert refused == [] and len(before_backup) >= 5
    with contextlib.closing(sqlite3.connect(backup)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        kept = conn.execute("SELECT count(*) FROM plans").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM short_codes").fetchone()[0] == kept
    assert len(before_backup) <= kept <= len(answered)

    # Restore: stop the service, put the copy in place, remove the old -wal and -shm (SQLite
    # would otherwise replay the old log onto the restored file), start again.
    server.stop()
    backup.replace(live)
    for leftover in (tmp_path / "coach.sqlite3-wal", tmp_path / "coach.sqlite3-shm"):
        leftover.unlink(missing_ok=True)
    server.start()
    for token in before_backup:
        assert server.request("GET", f"/api/plans/{token}").status == 200
    assert server.create_plan().status == 201
