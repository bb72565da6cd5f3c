"""Issue 14, data at rest: the database file alone reveals no health data, its files are private
to the service's user, a deleted plan's bytes do not stay in the file or its WAL, and the key
that seals the data can be rotated. Each test failed before sealing, file modes and scrubbing."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat

import pytest

from plans import keys
from plans.config import load_or_create_secret_key
from plans.service import file_plan
from plans.state import SqlStateStore
from plans.store import PlanStore, sealed_bound_to
from rehab.models import Answers, Preferences
from tests.samples import LONDON_MWF_FROM_MONDAY, SEVERE_TEAR

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
SECRET = b"test-secret-key-for-hashes-0123456789-abcdefghij"
NEW_SECRET = b"Rotated-Key-4f9c2e7a1b8d3f6e0a5c9b2d7e1f4a8c3b6d9e2f"
# Words that appear in a plan's health data in clear JSON and nowhere else in the schema.
HEALTH_WORDS = [b"bruising", b"pain_score", b"back_of_thigh", b"severe_strain", b"pain_during",
                b"red_flags", b"Nordic"]


def file_severe_tear(store: PlanStore):
    return file_plan(store, Answers(**SEVERE_TEAR), Preferences(**LONDON_MWF_FROM_MONDAY), now=NOW)


def files_of(path) -> dict[str, bytes]:
    return {suffix: (path.parent / (path.name + suffix)).read_bytes()
            for suffix in ("", "-wal") if (path.parent / (path.name + suffix)).exists()}


def test_the_sqlite_file_and_its_wal_hold_no_health_words(client, database_url, tmp_path):
    created = client.post("/api/plans", json={"answers": SEVERE_TEAR, "preferences": LONDON_MWF_FROM_MONDAY})
    assert created.status_code == 201
    path = tmp_path / "coach.sqlite3"
    contents = files_of(path)
    assert contents[""] or contents.get("-wal")
    for name, data in contents.items():
        found = [word for word in HEALTH_WORDS if word in data]
        assert not found, f"coach.sqlite3{name} holds {found}"
    # What `sqlite3 var/coach.sqlite3 "select answers from plans"` shows: ciphertext with its key id.
    with sqlite3.connect(path) as raw:
        (answers, programme), = raw.execute("SELECT answers, programme FROM plans").fetchall()
    assert answers.startswith(f"v1.{keys.key_id(client.application.config['COACH'].secret_key)}.")
    assert programme.startswith("v1.") and "{" not in answers + programme
    # ...and the service still reads it.
    assert client.get(f"/api/plans/{created.get_json()['token']}").get_json()["assessment"]["category"]


def test_check_ins_are_sealed_too(client, clock, tmp_path):
    token = client.post("/api/plans", json={"answers": SEVERE_TEAR,
                                            "preferences": LONDON_MWF_FROM_MONDAY}).get_json()["token"]
    clock.advance(days=2)
    report = {"date": "2026-03-02", "session": "done", "pain_during": 1, "pain_next_morning": 1}
    logged = client.post(f"/api/plans/{token}/checkins", json=report)
    assert logged.status_code == 201
    with sqlite3.connect(tmp_path / "coach.sqlite3") as raw:
        bodies = [body for (body,) in raw.execute("SELECT body FROM check_ins")]
    assert bodies and all(body.startswith("v1.") and "pain" not in body for body in bodies)
    assert client.get(f"/api/plans/{token}").get_json()["check_ins"][0]["pain_during"] == 1


@pytest.mark.each_database
def test_a_sealed_value_moved_to_another_row_does_not_open(store, sql):
    first, second = file_severe_tear(store), file_severe_tear(store)
    stolen = sql("SELECT answers FROM plans WHERE plan_id = :id", id=first.plan.plan_id)[0][0]
    sql("UPDATE plans SET answers = :a WHERE plan_id = :id", a=stolen, id=second.plan.plan_id)
    with pytest.raises(keys.SealError):
        store.get_plan(second.token)
    assert store.get_plan(first.token) == first.plan


@pytest.mark.each_database
def test_the_skill_state_row_is_sealed(database_url, store, sql):
    store.migrate()
    states = SqlStateStore(database_url, secret_key=SECRET)
    states.save("owner-key-1", {"answers": {"pain_score": 7, "bruising": "yes"}}, now=NOW)
    [(attributes,)] = sql("SELECT attributes FROM skill_state")
    assert attributes.startswith("v1.") and "pain" not in attributes and "bruising" not in attributes
    assert states.load("owner-key-1") == {"answers": {"pain_score": 7, "bruising": "yes"}}
    # Bound to its row: copied under another runner's key it opens as nothing.
    sql("INSERT INTO skill_state (owner_key, attributes, updated_at) VALUES ('owner-key-2', :a, 'x')",
        a=attributes)
    assert states.load("owner-key-2") is None


# ---- file modes ---------------------------------------------------------------------------------


@pytest.fixture
def loose_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_wal_and_shm_are_created_0600_in_a_0700_directory(tmp_path, loose_umask):
    path = tmp_path / "var" / "coach.sqlite3"
    store = PlanStore(f"sqlite:///{path}", SECRET)
    try:
        file_severe_tear(store)
        for each in (path, path.with_name("coach.sqlite3-wal"), path.with_name("coach.sqlite3-shm")):
            assert each.exists(), each
            assert mode(each) == 0o600, (each.name, oct(mode(each)))
        assert mode(path.parent) == 0o700
    finally:
        store.close()


def test_an_existing_world_readable_database_is_narrowed_to_its_owner(tmp_path, loose_umask):
    path = tmp_path / "coach.sqlite3"
    sqlite3.connect(path).close()
    os.chmod(path, 0o644)
    store = PlanStore(f"sqlite:///{path}", SECRET)
    try:
        store.migrate()
        assert mode(path) == 0o600
    finally:
        store.close()


def test_the_generated_key_file_is_0600_and_an_existing_loose_one_is_narrowed(tmp_path, loose_umask):
    made = tmp_path / "var" / "secret_key"
    load_or_create_secret_key(made)
    assert mode(made) == 0o600 and mode(made.parent) == 0o700
    copied = tmp_path / "copied_key"
    copied.write_text(NEW_SECRET.decode() + "\n")
    os.chmod(copied, 0o644)
    assert load_or_create_secret_key(copied) == NEW_SECRET
    assert mode(copied) == 0o600


# ---- deleted means gone from the files -----------------------------------------------------------


def test_a_deleted_plan_leaves_no_bytes_in_the_file_or_the_wal(tmp_path):
    path = tmp_path / "coach.sqlite3"
    store = PlanStore(f"sqlite:///{path}", SECRET)
    try:
        filed = file_severe_tear(store)
        with sqlite3.connect(path) as raw:
            (sealed_answers, token_hash), = raw.execute("SELECT answers, token_hash FROM plans").fetchall()
        markers = [sealed_answers.encode()[:60], token_hash.encode(), filed.plan.plan_id.encode()]
        assert any(marker in data for data in files_of(path).values() for marker in markers)

        assert store.delete_plan(filed.token)

        for name, data in files_of(path).items():
            assert not [marker for marker in markers if marker in data], f"coach.sqlite3{name} still holds it"
        assert path.with_name("coach.sqlite3-wal").stat().st_size == 0  # checkpointed and truncated
    finally:
        store.close()


def test_a_deleted_skill_state_leaves_no_bytes_either(tmp_path):
    path = tmp_path / "coach.sqlite3"
    store = PlanStore(f"sqlite:///{path}", SECRET)
    store.migrate()
    try:
        states = SqlStateStore(f"sqlite:///{path}", secret_key=SECRET)
        states.save("owner-key-1", {"answers": {"pain_score": 7}}, now=NOW)
        with sqlite3.connect(path) as raw:
            (sealed,), = raw.execute("SELECT attributes FROM skill_state").fetchall()
        assert states.delete("owner-key-1")
        for name, data in files_of(path).items():
            assert sealed.encode()[:60] not in data, f"coach.sqlite3{name} still holds it"
    finally:
        store.close()


# ---- rotation -----------------------------------------------------------------------------------


@pytest.mark.each_database
def test_after_a_rotation_old_plans_open_and_new_values_are_sealed_under_the_new_key(database_url, sql):
    before = PlanStore(database_url, SECRET)
    old = file_severe_tear(before)
    before.close()

    rotated = PlanStore(database_url, NEW_SECRET, old_secret_keys=(SECRET,))
    try:
        assert rotated.get_plan(old.token) == old.plan
        assert rotated.token_for_code(old.code, NOW) == old.token
        assert rotated.short_code_for(old.token).code == old.code
        new = file_severe_tear(rotated)
        ids = dict(sql("SELECT plan_id, substr(answers, 1, 11) FROM plans"))
        assert ids[old.plan.plan_id] == f"v1.{keys.key_id(SECRET)}"
        assert ids[new.plan.plan_id] == f"v1.{keys.key_id(NEW_SECRET)}"
        # A change moves the old plan to the new key, so the old key can later be dropped.
        rotated.change_plan(lambda plan: _no_change(), now=NOW, token=old.token)
        assert sql("SELECT substr(answers, 1, 11) FROM plans WHERE plan_id = :id",
                   id=old.plan.plan_id)[0][0] == f"v1.{keys.key_id(NEW_SECRET)}"
    finally:
        rotated.close()

    only_new = PlanStore(database_url, NEW_SECRET)
    try:
        assert only_new.get_plan(old.token) == old.plan  # re-keyed: opens without the old key
        assert only_new.get_plan(new.token) == new.plan
    finally:
        only_new.close()


def _no_change():
    from plans.records import PlanChange

    return PlanChange(programme=None, check_in=None)


def test_a_value_sealed_under_a_key_that_is_not_configured_does_not_open():
    sealed = keys.Keyring(SECRET).seal("{}", bound_to=sealed_bound_to("p", "answers"))
    with pytest.raises(keys.SealError, match="not configured"):
        keys.Keyring(NEW_SECRET).open(sealed, bound_to=sealed_bound_to("p", "answers"))
    assert keys.Keyring(NEW_SECRET, [SECRET]).open(sealed, bound_to=sealed_bound_to("p", "answers")) == "{}"


def test_retired_keys_are_read_from_coach_secret_key_old():
    from plans.config import Config, ConfigError

    config = Config.from_env({"COACH_SECRET_KEY": NEW_SECRET.decode(),
                              "COACH_SECRET_KEY_OLD": SECRET.decode(),
                              "COACH_DATABASE_URL": "sqlite:///unused.sqlite3"})
    assert config.old_secret_keys == (SECRET,)
    assert keys.keyring_for(NEW_SECRET).old == (SECRET,)
    with pytest.raises(ConfigError, match="COACH_SECRET_KEY_OLD"):
        Config.from_env({"COACH_SECRET_KEY": NEW_SECRET.decode(), "COACH_SECRET_KEY_OLD": "a" * 40})
