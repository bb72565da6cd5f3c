"""SQLite on a disk that refuses writes: a full disk and a read-only one, both real (a tiny tmpfs,
and a tmpfs remounted read-only; chmod would not do, since the tests run as root, as CI does).
The service answers with a clear JSON error, keeps nothing half-written (no plan without its
code, no code without its plan), and takes plans again once the disk does."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from coach_server import SECRET_KEY, Voice

from plans.service import file_plan
from plans.store import PlanStore
from tests.samples import LONDON_MWF, TIGHT, TIGHTNESS

pytestmark = pytest.mark.system

# Room for the schema and a handful of plans (each keeps tens of kilobytes of programme JSON).
TINY_DISK = "1m"
ROOMY_DISK = "16m"
MAX_PLANS_ON_A_TINY_DISK = 200


def _privileged(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", "-n", *command]


def _mount(*arguments: str) -> None:
    result = subprocess.run(_privileged(["mount", *arguments]), capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"mount {' '.join(arguments)} failed ({result.stderr.strip()}): these tests mount a "
                    "real tmpfs and need root (as CI runs) or password-less sudo", pytrace=False)


@contextlib.contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=1777", "tmpfs", str(path))
    try:
        yield path
    finally:
        # Lazy: a server killed a moment ago may still hold a file open for a few milliseconds.
        subprocess.run(_privileged(["umount", "-l", str(path)]), capture_output=True)


def what_is_kept(database_file: Path) -> dict[str, object]:
    # Read-only: this look must not change what it looks at.
    uri = f"file:{database_file}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchall(),
            "plans": conn.execute("SELECT count(*) FROM plans").fetchone()[0],
            "codes": conn.execute("SELECT count(*) FROM short_codes").fetchone()[0],
            "plans_without_code": conn.execute(
                "SELECT count(*) FROM plans WHERE plan_id NOT IN (SELECT plan_id FROM short_codes)"
            ).fetchone()[0],
            "codes_without_plan": conn.execute(
                "SELECT count(*) FROM short_codes WHERE plan_id NOT IN (SELECT plan_id FROM plans)"
            ).fetchone()[0],
        }


def assert_clear_json_error(answer) -> None:
    assert answer.status in (503, 507), (answer.status, answer.body[:300])
    assert answer.headers["content-type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["code"] == "database_unavailable"
    assert "try again" in error["message"]
    assert b"Traceback" not in answer.body


def test_a_full_disk_refuses_plans_with_a_json_error_keeps_nothing_half_written_and_recovers(
        tmp_path, servers):
    with tmpfs(tmp_path / "disk", TINY_DISK) as disk:
        database = disk / "coach.sqlite3"
        server = servers(f"sqlite:///{database}")
        created = []
        for _ in range(MAX_PLANS_ON_A_TINY_DISK):
            answer = server.create_plan()
            if answer.status != 201:
                break
            created.append(answer.json()["token"])
        else:
            pytest.fail(f"{MAX_PLANS_ON_A_TINY_DISK} plans fitted on a {TINY_DISK} disk")
        assert_clear_json_error(answer)
        assert created, "not even one plan fitted: the disk is too small to test anything"
        assert_clear_json_error(server.create_plan())  # and it stays a clean refusal
        assert "database or disk is full" in server.log()

        # The skill, filing on the same full disk, still gives its advice.
        voice = Voice(server, user_id="amzn1.ask.account.FULLDISK")
        voice.launch()
        final = voice.answer_until_the_end(TIGHT)
        assert "couldn't save your plan" in final.speech

        kept = what_is_kept(database)
        assert kept == {"integrity": [("ok",)], "plans": len(created), "codes": len(created),
                        "plans_without_code": 0, "codes_without_plan": 0}
        for token in created:
            assert server.request("GET", f"/api/plans/{token}").status == 200

        # Room again (as after an operator frees space): the running service takes plans at once.
        _mount("-o", f"remount,size={ROOMY_DISK}", str(disk))
        assert server.create_plan().status == 201
        server.kill()
        assert what_is_kept(database)["plans"] == len(created) + 1


@pytest.mark.parametrize("wal_files", ["left_by_a_running_service", "removed_by_a_clean_close"])
def test_a_read_only_disk_gives_a_json_error_and_changes_nothing(tmp_path, servers, wal_files):
    with tmpfs(tmp_path / "disk", ROOMY_DISK) as disk:
        database = disk / "coach.sqlite3"
        store = PlanStore(f"sqlite:///{database}", SECRET_KEY)
        filed = file_plan(store, TIGHTNESS, LONDON_MWF, now=dt.datetime.now(dt.UTC))
        store.close()
        before = what_is_kept(database)  # a read-only connection: it leaves the -wal and -shm files
        if wal_files == "removed_by_a_clean_close":
            # The last read-write connection to close removes them (it must read to open at all).
            with contextlib.closing(sqlite3.connect(database)) as conn:
                conn.execute("SELECT count(*) FROM plans").fetchone()
        wal = {"coach.sqlite3-wal", "coach.sqlite3-shm"}
        files_before = sorted(path.name for path in disk.iterdir())
        assert (wal <= set(files_before)) is (wal_files == "left_by_a_running_service")

        _mount("-o", "remount,ro", str(disk))
        server = servers(f"sqlite:///{database}")
        assert_clear_json_error(server.create_plan())
        assert_clear_json_error(server.request("DELETE", f"/api/plans/{filed.token}"))
        if wal_files == "left_by_a_running_service":
            # SQLite can read a WAL database it cannot write while the shared-memory file exists;
            # the health check says 503 all the same, since no plan can be filed (issue 14).
            assert server.request("GET", "/healthz").status == 503
            assert server.request("GET", f"/api/plans/{filed.token}").status == 200
        else:
            # Without it SQLite cannot open the database at all: the health check says so.
            assert server.request("GET", "/healthz").status == 503
            assert_clear_json_error(server.request("GET", f"/api/plans/{filed.token}"))
        server.kill()
        assert sorted(path.name for path in disk.iterdir()) == files_before

        # Writable again: nothing was changed, and a new service files plans on the same database.
        _mount("-o", "remount,rw", str(disk))
        assert what_is_kept(database) == before
        server = servers(f"sqlite:///{database}")
        assert server.request("GET", f"/api/plans/{filed.token}").status == 200
        assert server.create_plan().status == 201
