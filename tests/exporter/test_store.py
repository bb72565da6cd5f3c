"""The plan store against real databases (a SQLite file and a throwaway PostgreSQL server): what
is kept, what is never kept, how short codes behave, and who can delete what."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from plans import store as store_module
from plans.codes import CODE_ALPHABET, normalize_code
from plans.service import file_plan
from plans.store import PlanStore, StoreUnavailable, sealed_bound_to
from rehab.models import Answers, Preferences
from tests import samples

pytestmark = pytest.mark.each_database

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
SECRET = "test-secret-key-for-hashes-0123456789-abcdefghij"

# The shared samples as the core's models: the form the store is given and gives back.
TIGHTNESS = Answers(**samples.TIGHTNESS)
STRAIN = Answers(**samples.STRAIN)
LONDON_MWF = Preferences(**samples.LONDON_MWF)


def every_stored_text(sql) -> str:
    """Every value in every column of every table, as text."""
    tables = ["plans", "short_codes", "skill_state", "code_attempts", "alembic_version"]
    return "\n".join(repr(row) for table in tables for row in sql(f"SELECT * FROM {table}"))


def test_a_filed_plan_reads_back_as_equal_models(store):
    filed = file_plan(store, STRAIN, LONDON_MWF, now=NOW)
    plan = store.get_plan(filed.token)
    assert plan == filed.plan
    assert plan.answers == STRAIN
    assert plan.revision == 1 == plan.programme.revision
    assert plan.created_at == plan.updated_at == NOW
    assert plan.programme.sessions, "a filed plan has dated sessions"
    assert plan.assessment.category == plan.programme.category


def test_a_plan_without_a_start_date_starts_tomorrow_in_the_runners_zone(store):
    late_evening_in_sydney = dt.datetime(2026, 3, 1, 14, 0, tzinfo=dt.UTC)  # already 2 March, 01:00 there
    sydney = Preferences(timezone="Australia/Sydney")
    filed = file_plan(store, TIGHTNESS, sydney, now=late_evening_in_sydney)
    assert store.get_plan(filed.token).preferences.start_date == dt.date(2026, 3, 3)


def test_plans_accept_plain_mappings_as_the_skill_keeps_them(store):
    as_the_skill_keeps_them = TIGHTNESS.model_dump(exclude_none=True)
    filed = file_plan(store, as_the_skill_keeps_them, {"timezone": "Europe/Paris"}, now=NOW)
    assert store.get_plan(filed.token).answers == TIGHTNESS


def test_tokens_carry_at_least_128_random_bits_and_differ_every_time(store):
    tokens = {file_plan(store, TIGHTNESS, None, now=NOW).token for _ in range(5)}
    assert len(tokens) == 5
    for token in tokens:
        assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 >= 128


def test_the_database_keeps_neither_the_token_nor_the_code_in_clear(store, sql):
    filed = file_plan(store, STRAIN, LONDON_MWF, owner_key="owner-hash", now=NOW)
    assert store.claim_code_guess("203.0.113.7", NOW).admitted
    stored = every_stored_text(sql)
    assert filed.plan.plan_id in stored  # the dump really holds the rows
    assert filed.token not in stored
    assert filed.code not in stored
    assert "203.0.113.7" not in stored  # the client's address is hashed too


def test_short_codes_are_ten_characters_without_look_alikes(store):
    for _ in range(10):
        code = file_plan(store, TIGHTNESS, None, now=NOW).code
        assert len(code) == 10
        assert set(code) <= set(CODE_ALPHABET)
    assert not set("0O1IL2Z5S8B") & set(CODE_ALPHABET)


def test_a_code_opens_its_plan_however_the_runner_types_it(store):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    spaced = f" {filed.code[:3].lower()}-{filed.code[3:]} "
    assert store.token_for_code(filed.code, NOW) == filed.token
    assert store.token_for_code(spaced, NOW) == filed.token


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFG", "00OO11", "ÄÖÜÄÖÜ", "A" * 500])
def test_text_that_cannot_be_a_code_opens_nothing(store, typed):
    file_plan(store, TIGHTNESS, None, now=NOW)
    assert normalize_code(typed) is None
    assert store.token_for_code(typed, NOW) is None


def test_an_unknown_code_opens_nothing(store):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    other = next(c * 8 for c in CODE_ALPHABET if c * 8 != filed.code)
    assert store.token_for_code(other, NOW) is None


def test_a_code_expires_after_30_days(store):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    assert filed.code_expires_at == NOW + dt.timedelta(days=30)
    assert store.token_for_code(filed.code, NOW + dt.timedelta(days=30, seconds=-1)) == filed.token
    assert store.token_for_code(filed.code, NOW + dt.timedelta(days=30)) is None
    assert store.get_plan(filed.token) is not None, "the plan outlives its code"


def test_a_code_cannot_be_opened_with_another_secret_key(store, database_url):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    other = PlanStore(database_url, "another-secret-key-for-hashes-0123456789")
    try:
        assert other.token_for_code(filed.code, NOW) is None
        assert other.get_plan(filed.token) is None
    finally:
        other.close()


def test_the_plans_link_reads_its_code_for_printing_even_after_it_has_expired(store):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    printed = store.short_code_for(filed.token)
    assert (printed.code, printed.expires_at) == (filed.code, filed.code_expires_at)
    store.purge_expired(NOW + dt.timedelta(days=31), retention_days=180)  # the code row is gone
    assert store.token_for_code(filed.code, NOW + dt.timedelta(days=31)) is None
    assert store.short_code_for(filed.token) == printed, "the same revision must print the same"


def test_only_the_plans_own_link_and_secret_key_read_its_code(store, database_url):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    other_plan = file_plan(store, TIGHTNESS, None, now=NOW)
    assert store.short_code_for(other_plan.token).code == other_plan.code != filed.code
    assert store.short_code_for(filed.token[:-1] + ("A" if filed.token[-1] != "A" else "B")) is None
    assert store.short_code_for("") is None and store.short_code_for("x" * 500) is None
    other = PlanStore(database_url, "another-secret-key-for-hashes-0123456789")
    try:
        assert other.short_code_for(filed.token) is None
    finally:
        other.close()


def test_a_plan_stored_with_a_zone_the_core_now_refuses_still_opens(store, sql):
    filed = file_plan(store, TIGHTNESS, LONDON_MWF, now=NOW)
    stored = LONDON_MWF.model_copy(update={"timezone": "EST5EDT"}).model_dump_json()
    sql("UPDATE plans SET preferences = :p",
        p=store._keys.seal(stored, bound_to=sealed_bound_to(filed.plan.plan_id, "preferences")))
    assert store.get_plan(filed.token).preferences.timezone == "EST5EDT"


def test_a_plan_filed_before_plans_kept_their_code_prints_without_one(store, sql):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    sql("UPDATE plans SET sealed_code = NULL, code_expires_at = NULL")
    assert store.short_code_for(filed.token) is None
    assert store.get_plan(filed.token) is not None


def test_a_taken_code_is_drawn_again(store, monkeypatch):
    first = file_plan(store, TIGHTNESS, None, now=NOW)
    draws = iter([first.code, first.code, "AAAAAAAAAA" if first.code != "AAAAAAAAAA" else "CCCCCCCCCC"])
    monkeypatch.setattr(store_module, "new_code", lambda: next(draws))
    second = file_plan(store, TIGHTNESS, None, now=NOW)
    assert second.code != first.code
    assert store.token_for_code(second.code, NOW) == second.token
    assert store.token_for_code(first.code, NOW) == first.token


def test_when_no_free_code_can_be_drawn_nothing_is_half_written(store, sql, monkeypatch):
    first = file_plan(store, TIGHTNESS, None, now=NOW)
    monkeypatch.setattr(store_module, "new_code", lambda: first.code)
    with pytest.raises(StoreUnavailable, match="short code"):
        file_plan(store, TIGHTNESS, None, now=NOW)
    assert sql("SELECT COUNT(*) FROM plans") == [(1,)]
    assert sql("SELECT COUNT(*) FROM short_codes") == [(1,)]


def test_deleting_a_plan_deletes_its_code_too(store, sql):
    kept = file_plan(store, TIGHTNESS, None, now=NOW)
    gone = file_plan(store, STRAIN, None, now=NOW)
    assert store.delete_plan(gone.token) is True
    assert store.get_plan(gone.token) is None
    assert store.token_for_code(gone.code, NOW) is None
    assert sql("SELECT COUNT(*) FROM short_codes WHERE plan_id = :id", id=gone.plan.plan_id) == [(0,)]
    assert store.get_plan(kept.token) == kept.plan
    assert store.delete_plan(gone.token) is False


def test_the_database_cascades_a_deleted_plan_to_its_codes(store, sql):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    sql("DELETE FROM plans WHERE plan_id = :id", id=filed.plan.plan_id)
    assert sql("SELECT COUNT(*) FROM short_codes") == [(0,)]


@pytest.mark.parametrize("token", ["", "x", "not-a-real-token-at-all-but-long-enough", "t" * 5000])
def test_an_unknown_token_finds_and_deletes_nothing(store, token):
    file_plan(store, TIGHTNESS, None, now=NOW)
    assert store.get_plan(token) is None
    assert store.delete_plan(token) is False


def test_the_latest_plan_of_a_runner_is_found_by_their_keyed_id(store):
    file_plan(store, TIGHTNESS, None, owner_key="runner-a", now=NOW)
    newer = file_plan(store, STRAIN, None, owner_key="runner-a", now=NOW + dt.timedelta(days=2))
    file_plan(store, TIGHTNESS, None, owner_key="runner-b", now=NOW + dt.timedelta(days=3))
    assert store.latest_plan_for_owner("runner-a") == newer.plan
    assert store.latest_plan_for_owner("runner-c") is None


def test_the_owner_key_of_an_alexa_user_is_a_keyed_hash_not_the_id(store):
    user_id = "amzn1.ask.account.AEXAMPLE"
    key = store.owner_key_for(user_id)
    assert user_id not in key
    assert key == store.owner_key_for(user_id)
    other = PlanStore("sqlite://", "another-secret-key-for-hashes-0123456789")
    assert other.owner_key_for(user_id) != key


def test_deleting_a_runners_data_removes_their_plans_codes_and_skill_state(store, sql):
    first = file_plan(store, TIGHTNESS, None, owner_key="runner-a", now=NOW)
    second = file_plan(store, STRAIN, None, owner_key="runner-a", now=NOW)
    someone_else = file_plan(store, TIGHTNESS, None, owner_key="runner-b", now=NOW)
    # The skill writes its state with plain DB-API, as it does on Lambda.
    for owner in ("runner-a", "runner-b"):
        sql("INSERT INTO skill_state (owner_key, attributes, updated_at) VALUES (:o, :a, :t)",
            o=owner, a='{"answers": {"pain_score": 4}}', t="2026-03-01T12:00:00Z")

    deleted = store.delete_owner_data("runner-a")

    assert (deleted.plans, deleted.codes, deleted.state) == (2, 2, 1)
    assert store.get_plan(first.token) is None and store.get_plan(second.token) is None
    assert store.token_for_code(first.code, NOW) is None
    assert sql("SELECT owner_key FROM skill_state") == [("runner-b",)]
    assert store.get_plan(someone_else.token) == someone_else.plan
    assert store.delete_owner_data("runner-a") == store_module.OwnerDataDeleted(0, 0, 0)


def test_purging_deletes_what_is_older_than_the_retention_and_keeps_the_rest(store, sql):
    old = file_plan(store, TIGHTNESS, None, owner_key="runner-old", now=NOW - dt.timedelta(days=200))
    recent = file_plan(store, STRAIN, None, now=NOW - dt.timedelta(days=10))
    sql("INSERT INTO skill_state (owner_key, attributes, updated_at) VALUES ('runner-old', '{}', :t)",
        t="2025-08-01T09:00:00Z")
    sql("INSERT INTO skill_state (owner_key, attributes, updated_at) VALUES ('runner-new', '{}', :t)",
        t="2026-02-28T09:00:00Z")

    assert store.purge_expired(NOW, retention_days=180) == 1

    assert store.get_plan(old.token) is None
    assert store.get_plan(recent.token) == recent.plan
    assert sql("SELECT owner_key FROM skill_state") == [("runner-new",)]
    assert sql("SELECT COUNT(*) FROM short_codes WHERE plan_id = :id", id=old.plan.plan_id) == [(0,)]


def test_purging_also_clears_expired_codes_but_not_their_plans(store, sql):
    filed = file_plan(store, TIGHTNESS, None, now=NOW - dt.timedelta(days=40))
    assert store.purge_expired(NOW, retention_days=180) == 0
    assert sql("SELECT COUNT(*) FROM short_codes") == [(0,)]
    assert store.get_plan(filed.token) is not None


def test_purging_refuses_a_retention_shorter_than_a_day(store):
    with pytest.raises(ValueError, match="at least 1"):
        store.purge_expired(NOW, retention_days=0)


def test_wrong_codes_are_counted_per_network_within_the_window(store):
    def guess(network: str, seconds: int):
        return store.claim_code_guess(network, NOW + dt.timedelta(seconds=seconds), per_client=3)

    assert all(guess("198.51.100.1", seconds).admitted for seconds in (0, 20, 40))
    assert guess("198.51.100.2", 0).admitted
    # Three counted within the minute: the fourth is refused, another network's is not, and the
    # network may guess again once its first guess has left the minute.
    assert guess("198.51.100.1", 45).refused_by == "client"
    assert guess("198.51.100.2", 45).admitted
    assert guess("198.51.100.1", 61).admitted


def test_every_worker_sees_the_same_wrong_code_count(store, database_url):
    other_worker = PlanStore(database_url, SECRET)
    try:
        assert store.claim_code_guess("198.51.100.1", NOW, per_client=2).admitted
        assert other_worker.claim_code_guess("198.51.100.1", NOW, per_client=2).admitted
        # Two counted between them: each worker refuses the third.
        assert store.claim_code_guess("198.51.100.1", NOW, per_client=2).refused_by == "client"
        assert other_worker.claim_code_guess("198.51.100.1", NOW, per_client=2).refused_by == "client"
    finally:
        other_worker.close()


def test_times_without_a_zone_are_refused_rather_than_guessed(store):
    with pytest.raises(ValueError, match="timezone-aware"):
        file_plan(store, TIGHTNESS, None, now=dt.datetime(2026, 3, 1, 12, 0))


def test_a_healthy_database_answers_ping(store):
    assert store.ping() is True


def test_a_plan_changed_in_the_database_is_not_served_from_the_parse_cache(store, sql):
    filed = file_plan(store, TIGHTNESS, None, now=NOW)
    assert store.get_plan(filed.token).revision == 1
    sql("UPDATE plans SET revision = 2 WHERE plan_id = :id", id=filed.plan.plan_id)
    assert store.get_plan(filed.token).revision == 2
