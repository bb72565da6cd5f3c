"""Where unfinished checks wait: the skill_state table through plain DB-API, on SQLite and
PostgreSQL, keyed by a keyed hash of the Alexa user id."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from plans.keys import owner_key
from plans.state import MemoryStateStore, SqlStateStore, StateUnavailable, state_store_for
from skill import envelopes
from skill.persistence import StatePersistenceAdapter

pytestmark = pytest.mark.each_database

NOW = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
SECRET = b"test-secret-key-for-hashes-0123456789-abcdefghij"


def test_the_owner_key_is_the_stores_keyed_hash_and_never_the_user_id(store):
    key = owner_key(SECRET, envelopes.DEFAULT_USER)
    assert key == store.owner_key_for(envelopes.DEFAULT_USER)
    assert len(key) == 64 and envelopes.DEFAULT_USER not in key
    assert owner_key(b"another-secret-key-of-enough-length-0123456789", envelopes.DEFAULT_USER) != key


def test_state_is_saved_loaded_replaced_and_deleted(database_url, store):
    store.migrate()
    states = SqlStateStore(database_url)
    key = owner_key(SECRET, "amzn1.ask.account.A")
    assert states.load(key) is None

    states.save(key, {"coach": {"answers": {"location": "behind_knee"}}}, now=NOW)
    assert states.load(key) == {"coach": {"answers": {"location": "behind_knee"}}}
    states.save(key, {"coach": {"answers": {}}}, now=NOW)
    assert states.load(key) == {"coach": {"answers": {}}}

    assert states.delete(key) is True
    assert states.load(key) is None
    assert states.delete(key) is False


def test_the_row_holds_the_hash_json_and_a_utc_timestamp(database_url, store):
    store.migrate()
    key = owner_key(SECRET, envelopes.DEFAULT_USER)
    SqlStateStore(database_url).save(key, {"coach": {"v": 1}}, now=NOW)
    import sqlalchemy as sa

    from plans.store import sqlalchemy_url

    engine = sa.create_engine(sqlalchemy_url(database_url))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT owner_key, attributes, updated_at FROM skill_state")).all()
    engine.dispose()
    # The attributes are sealed at rest (plans.keys.Keyring), bound to the row's owner key.
    [(stored_key, sealed, stamp)] = [tuple(row) for row in rows]
    assert (stored_key, stamp) == (key, "2026-03-01T12:30:00Z")
    assert sealed.startswith("v1.") and "coach" not in sealed
    assert SqlStateStore(database_url).load(key) == {"coach": {"v": 1}}


def test_a_state_row_is_purged_with_the_stores_retention(database_url, store):
    store.migrate()
    states = SqlStateStore(database_url)
    key = owner_key(SECRET, "amzn1.ask.account.OLD")
    states.save(key, {"coach": {}}, now=NOW - dt.timedelta(days=200))
    store.purge_expired(NOW, retention_days=180)
    assert states.load(key) is None


def test_before_the_schema_exists_loading_finds_nothing_and_the_first_save_creates_it(database_url, store):
    calls = []

    def migrate():
        calls.append(1)
        store.migrate()

    states = SqlStateStore(database_url, ensure_schema=migrate)
    key = owner_key(SECRET, "amzn1.ask.account.NEW")
    assert states.load(key) is None
    states.save(key, {"coach": {"answers": {"onset": "sudden"}}}, now=NOW)
    states.save(key, {"coach": {"answers": {"onset": "gradual"}}}, now=NOW)
    assert states.load(key) == {"coach": {"answers": {"onset": "gradual"}}}
    assert calls == [1]


def test_a_sqlite_database_file_that_does_not_exist_is_not_created_by_reading(tmp_path):
    path = tmp_path / "never.sqlite3"
    assert SqlStateStore(f"sqlite:///{path}").load("k") is None
    assert not path.exists()


@pytest.fixture
def postgres_database(postgres_url):
    """A fresh, migrated PostgreSQL database of its own."""
    import uuid

    import psycopg

    from plans.store import PlanStore

    name = f"coach_state_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    plan_store = PlanStore(url, SECRET)
    plan_store.migrate()
    plan_store.close()
    yield url
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_a_postgresql_connection_dropped_by_the_server_is_replaced_on_the_next_use(postgres_database):
    import psycopg

    states = SqlStateStore(postgres_database)
    states.save("k", {"a": 1}, now=NOW)
    with psycopg.connect(postgres_database, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    states.save("k", {"a": 2}, now=NOW)
    assert states.load("k") == {"a": 2}


@pytest.mark.parametrize("url", ["postgresql://coach@127.0.0.1:1/coach", "sqlite:////proc/no/such/dir/x.db"])
def test_an_unreachable_database_raises_state_unavailable_without_the_data(url):
    states = SqlStateStore(url)
    with pytest.raises(StateUnavailable) as raised:
        states.save("owner-key-123", {"coach": {"answers": {"pain_score": 9}}}, now=NOW)
    assert "pain_score" not in str(raised.value) and "owner-key-123" not in str(raised.value)
    if url.startswith("postgresql"):
        with pytest.raises(StateUnavailable):
            states.load("owner-key-123")


def test_an_in_memory_database_url_keeps_state_in_this_process():
    assert isinstance(state_store_for("sqlite://"), MemoryStateStore)
    assert isinstance(state_store_for("sqlite:///:memory:"), MemoryStateStore)
    states = state_store_for("sqlite://")
    states.save("k", {"x": [1]}, now=NOW)
    assert states.load("k") == {"x": [1]}


def test_other_database_urls_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="sqlite:// or postgresql://"):
        SqlStateStore("mysql://somewhere/db")


def test_the_adapter_starts_fresh_when_the_state_cannot_be_read_and_logs_no_identity(caplog):
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    envelope = DefaultSerializer().deserialize(json.dumps(envelopes.launch_request()), RequestEnvelope)
    adapter = StatePersistenceAdapter(SqlStateStore("postgresql://coach@127.0.0.1:1/coach"),
                                      lambda env: owner_key(SECRET, env.context.system.user.user_id),
                                      lambda: NOW)
    with caplog.at_level(logging.DEBUG):
        assert adapter.get_attributes(envelope) == {}
    assert "starting fresh" in caplog.text
    assert envelopes.DEFAULT_USER not in caplog.text
    assert owner_key(SECRET, envelopes.DEFAULT_USER) not in caplog.text
    with pytest.raises(StateUnavailable):
        adapter.save_attributes(envelope, {"coach": {}})
