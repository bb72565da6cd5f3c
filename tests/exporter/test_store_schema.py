"""The store's schema, its behaviour under several processes at once, and its failures: an
unreachable database and a full disk give a clear StoreUnavailable and leave nothing half-written."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from plans.service import file_plan
from plans.store import MIGRATIONS_DIR, SCHEMA_REVISION, PlanStore, StoreUnavailable
from rehab.models import Answers
from tests import samples

pytestmark = pytest.mark.each_database

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
SECRET = "test-secret-key-for-hashes-0123456789-abcdefghij"
ROOT = Path(__file__).resolve().parents[2]
TIGHTNESS = Answers(**samples.TIGHTNESS)


def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _in_processes(target, args_per_process):
    """Run target(queue, *args) in forked processes started together; return what each put."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    barrier = context.Barrier(len(args_per_process))
    processes = [context.Process(target=target, args=(queue, barrier, *args)) for args in args_per_process]
    for process in processes:
        process.start()
    results = [queue.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    return results


def _migrate(queue, barrier, database_url):
    store = PlanStore(database_url, SECRET)
    barrier.wait()
    try:
        store.migrate()
        queue.put("ok")
    except Exception as error:  # reported to the test, which shows it
        queue.put(f"{type(error).__name__}: {error}")


def _file_plans(queue, barrier, database_url, count):
    store = PlanStore(database_url, SECRET)
    store.migrate()
    barrier.wait()
    tokens, failures = [], []
    for _ in range(count):
        try:
            tokens.append(file_plan(store, TIGHTNESS, None, now=NOW).token)
        except Exception as error:
            failures.append(f"{type(error).__name__}: {error}")
    queue.put((tokens, failures))


def _alembic(conn=None):
    """Alembic's configuration for the store's migrations, on `conn` when given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def test_the_store_knows_the_newest_migration():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(_alembic()).get_current_head() == SCHEMA_REVISION


def test_the_migrated_schema_is_exactly_what_the_store_queries(store, database_url):
    import sqlalchemy
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from plans.store import _tables, sqlalchemy_url

    store.migrate()
    engine = sqlalchemy.create_engine(sqlalchemy_url(database_url))
    try:
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), _tables().metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_migrating_twice_changes_nothing(store, sql):
    store.migrate()
    PlanStore(store.database_url, SECRET).migrate()
    assert sql("SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]


@pytest.mark.system
def test_workers_starting_together_on_a_new_database_all_start(database_url, sql):
    results = _in_processes(_migrate, [(database_url,)] * 4)
    assert results == ["ok"] * 4
    assert sql("SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]


@pytest.mark.system
def test_two_processes_filing_at_once_lose_no_plan_and_never_see_a_locked_database(database_url, sql):
    PlanStore(database_url, SECRET).migrate()
    results = _in_processes(_file_plans, [(database_url, 15), (database_url, 15)])
    failures = [failure for _, process_failures in results for failure in process_failures]
    tokens = [token for process_tokens, _ in results for token in process_tokens]
    assert failures == []
    assert len(set(tokens)) == 30
    assert sql("SELECT COUNT(*) FROM plans") == [(30,)]
    assert sql("SELECT COUNT(*) FROM short_codes") == [(30,)]


def test_threads_sharing_one_store_file_and_read_at_once(store):
    store.migrate()
    failures: list[str] = []
    tokens: list[str] = []

    def work():
        try:
            for _ in range(5):
                token = file_plan(store, TIGHTNESS, None, now=NOW).token
                assert store.get_plan(token) is not None
                tokens.append(token)
        except Exception as error:
            failures.append(f"{type(error).__name__}: {error}")

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(set(tokens)) == 30


def test_sqlite_runs_in_wal_mode_so_readers_never_wait_for_a_writer(tmp_path):
    import sqlite3

    path = tmp_path / "coach.sqlite3"
    PlanStore(f"sqlite:///{path}", SECRET).migrate()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_the_sqlite_file_and_its_directory_are_created_on_first_use(tmp_path):
    path = tmp_path / "var" / "nested" / "coach.sqlite3"
    store = PlanStore(f"sqlite:///{path}", SECRET)
    assert store.ping() is True
    assert path.exists()


@pytest.mark.postgres
def test_an_unreachable_postgres_makes_the_store_unavailable_with_a_clear_message():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    store = PlanStore(f"postgresql://coach:hunter2@127.0.0.1:{port}/coach", SECRET)
    assert store.ping() is False
    with pytest.raises(StoreUnavailable) as raised:
        file_plan(store, TIGHTNESS, None, now=NOW)
    message = str(raised.value)
    assert "database is unavailable" in message
    assert "hunter2" not in message
    with pytest.raises(StoreUnavailable):
        store.get_plan("some-token-that-would-be-looked-up")


def test_a_sqlite_path_that_cannot_be_a_database_makes_the_store_unavailable(tmp_path):
    store = PlanStore(f"sqlite:///{tmp_path}", SECRET)  # a directory, not a file
    assert store.ping() is False
    with pytest.raises(StoreUnavailable, match="unable to open database file"):
        store.token_for_code("ACDEFHJKMN", NOW)


def test_a_store_that_was_down_recovers_when_the_database_comes_back(tmp_path):
    blocker = tmp_path / "var"
    blocker.write_text("a file where the database's directory should be")
    store = PlanStore(f"sqlite:///{blocker}/coach.sqlite3", SECRET)
    assert store.ping() is False
    blocker.unlink()
    assert store.ping() is True
    assert store.get_plan(file_plan(store, TIGHTNESS, None, now=NOW).token) is not None


@pytest.mark.system
def test_a_full_disk_refuses_the_plan_clearly_and_leaves_nothing_half_written(tmp_path):
    # The file-size limit makes the kernel refuse writes past it, as a full disk would.
    path = tmp_path / "coach.sqlite3"
    script = textwrap.dedent(f"""
        import datetime as dt, os, resource, signal, sys
        from plans.service import file_plan
        from plans.store import PlanStore, StoreUnavailable
        from rehab.models import Answers
        store = PlanStore("sqlite:///{path}", {SECRET!r})
        store.migrate()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        sizes = [os.path.getsize(p) for p in ({str(path)!r}, {str(path) + "-wal"!r}) if os.path.exists(p)]
        limit = max(sizes) + 512 * 1024
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        answers = Answers.model_validate_json({TIGHTNESS.model_dump_json()!r})
        now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
        for n in range(10000):
            try:
                file_plan(store, answers, None, now=now)
            except StoreUnavailable as error:
                print("refused", n, error)
                sys.exit(0)
        print("never full")
    """)
    result = run_python(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("refused"), result.stdout
    assert "full" in result.stdout or "disk" in result.stdout or "I/O" in result.stdout, result.stdout

    import sqlite3

    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        filed = int(result.stdout.split()[1])
        assert filed >= 1, "plans filed before the disk filled up are kept"
        assert conn.execute("SELECT COUNT(*) FROM plans").fetchone() == (filed,)
        orphans = conn.execute(
            "SELECT COUNT(*) FROM plans WHERE plan_id NOT IN (SELECT plan_id FROM short_codes)"
        ).fetchone()
        assert orphans == (0,)
    reopened = PlanStore(f"sqlite:///{path}", SECRET)
    assert reopened.ping() is True


@pytest.mark.system
def test_importing_the_store_costs_no_sqlalchemy_pydantic_or_flask_until_it_is_used():
    # The skill on AWS Lambda imports the store on a cold start (the web adapter, exporter, is not in
    # the Lambda package); heavy imports wait for first use.
    code = textwrap.dedent("""
        import sys
        import plans.store, plans.config, plans.state, plans.keys, plans.codes
        heavy = ("sqlalchemy", "alembic", "flask", "pydantic", "cryptography")
        heavy = [name for name in heavy if name in sys.modules]
        print(heavy)
    """)
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.system
def test_a_store_on_a_current_schema_starts_without_importing_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    PlanStore(url, SECRET).migrate()
    code = textwrap.dedent(f"""
        import sys
        from plans.store import PlanStore
        assert PlanStore({url!r}, {SECRET!r}).ping()
        print("alembic" in sys.modules)
    """)
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.postgres
def test_connections_the_postgres_server_dropped_are_replaced_without_an_error(postgres_url):
    from bench.pgcluster import create_database as create_postgres_database
    from bench.pgcluster import drop_database as drop_postgres_database

    url = create_postgres_database(postgres_url)
    store = PlanStore(url, SECRET)
    try:
        token = file_plan(store, TIGHTNESS, None, now=NOW).token
        assert store.get_plan(token) is not None
        import psycopg

        with psycopg.connect(url, autocommit=True) as admin:  # as a server restart would
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert store.get_plan(token) is not None
        assert store.ping() is True
    finally:
        store.close()
        drop_postgres_database(postgres_url, url)


@pytest.mark.postgres
def test_a_database_that_vanishes_after_start_makes_reads_unavailable_not_crash(postgres_url):
    from bench.pgcluster import create_database as create_postgres_database
    from bench.pgcluster import drop_database as drop_postgres_database

    url = create_postgres_database(postgres_url)
    store = PlanStore(url, SECRET)
    try:
        filed = file_plan(store, TIGHTNESS, None, now=NOW)
        drop_postgres_database(postgres_url, url)  # drops the connections too; reconnecting fails
        with pytest.raises(StoreUnavailable, match="database is unavailable"):
            store.get_plan(filed.token)
        with pytest.raises(StoreUnavailable):
            store.token_for_code(filed.code, NOW)
        assert store.ping() is False
    finally:
        store.close()


def test_a_database_from_the_first_schema_upgrades_and_keeps_its_plans(store, database_url, sql):
    """A service upgraded in place: plans filed under revision 0001 (no code kept with the plan)
    still open after 0002 is applied at start, and simply print without a short code."""
    import sqlalchemy
    from alembic import command

    from plans.store import sqlalchemy_url

    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    store.close()
    engine = sqlalchemy.create_engine(sqlalchemy_url(database_url))
    try:
        with engine.connect() as conn:
            config = _alembic(conn)
            config.attributes["keyring"] = store._keys  # 0005 opens the sealed columns again
            command.downgrade(config, "0001")
            conn.commit()
    finally:
        engine.dispose()
    assert sql("SELECT version_num FROM alembic_version") == [("0001",)]
    assert sql("SELECT answers FROM plans")[0][0].startswith("{")  # plain JSON, as 0001 kept it

    upgraded = PlanStore(database_url, SECRET)
    try:
        assert upgraded.get_plan(filed.token) == filed.plan
        # 0005 sealed what 0001 kept in clear, and retired the codes of the old length: the link
        # opens the plan, the old code does not.
        assert all(value.startswith("v1.") for value in sql("SELECT answers, programme FROM plans")[0])
        assert upgraded.token_for_code(filed.code, NOW) is None
        assert upgraded.short_code_for(filed.token) is None
        assert upgraded.short_code_for(file_plan(upgraded, TIGHTNESS, None, now=NOW).token) is not None
    finally:
        upgraded.close()
    assert sql("SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]


def test_migration_0007_retires_the_eight_character_codes_and_plans_keep_their_link(
        store, database_url, sql, monkeypatch):
    """Build 1: with 1,000 wrong guesses a second allowed in total, an eight-character code would
    fall in hours. 0007 retires the codes still live, as 0005 retired the six-character ones: the
    plan opens by its link as before, and 'what's my code' gives a ten-character code for it."""
    import sqlalchemy
    from alembic import command

    from plans import service
    from plans.codes import CODE_LENGTH
    from plans.store import sqlalchemy_url

    now = dt.datetime.now(dt.UTC)
    with monkeypatch.context() as patched:
        patched.setattr("plans.store.new_code", lambda: "ACDEFHJK")  # a code as 0006 issued them
        filed = file_plan(store, TIGHTNESS, None, owner_key="runner-key", now=now)
    store.close()
    engine = sqlalchemy.create_engine(sqlalchemy_url(database_url))
    try:
        with engine.connect() as conn:
            config = _alembic(conn)
            command.downgrade(config, "0006")
            conn.commit()
    finally:
        engine.dispose()
    assert sql("SELECT COUNT(*) FROM short_codes") == [(1,)]

    upgraded = PlanStore(database_url, SECRET)
    try:
        assert upgraded.get_plan(filed.token) == filed.plan
        assert sql("SELECT COUNT(*) FROM short_codes") == [(0,)]
        printed = upgraded.short_code_for(filed.token)
        assert printed.code == "ACDEFHJK" and printed.expires_at <= dt.datetime.now(dt.UTC)
        asked = service.reissue_code_for_owner(upgraded, "runner-key", now=now)
        assert len(asked.code) == CODE_LENGTH and asked.token == filed.token and not asked.new_link
        assert upgraded.token_for_code(asked.code, now) == filed.token
    finally:
        upgraded.close()
    assert sql("SELECT version_num FROM alembic_version") == [(SCHEMA_REVISION,)]
