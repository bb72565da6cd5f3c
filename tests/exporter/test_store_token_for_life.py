"""A plan keeps its token, and so its link and calendar feed, for life (design.md §3), also when
"what's my code" by voice re-issues its code by owner key alone: the store keeps the token sealed
at rest (`plans.sealed_token`, migration 0006). A plan kept before 0006 has none until its token is
presented again; only such a plan, never presented since, gets a new token on a re-issue."""

from __future__ import annotations

import datetime as dt

import pytest

from plans import keys, service
from plans.store import PlanStore, sealed_bound_to
from tests.samples import LONDON_MWF, TIGHTNESS

pytestmark = pytest.mark.each_database

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=40)  # the filed code has expired
SECRET = b"test-secret-key-for-hashes-0123456789-abcdefghij"
NEW_SECRET = b"Rotated-Key-4f9c2e7a1b8d3f6e0a5c9b2d7e1f4a8c3b6d9e2f"


def _file(store):
    return service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="runner-key", now=NOW)


def _as_before_0006(sql, plan_id: str) -> None:
    sql("UPDATE plans SET sealed_token = NULL WHERE plan_id = :id", id=plan_id)


def _sealed_token(sql, plan_id: str):
    return sql("SELECT sealed_token FROM plans WHERE plan_id = :id", id=plan_id)[0][0]


def test_a_filed_plan_keeps_its_token_sealed_under_the_current_key(store, sql):
    filed = _file(store)
    sealed = _sealed_token(sql, filed.plan.plan_id)
    assert sealed.startswith(f"v1.{keys.key_id(SECRET)}.") and filed.token not in sealed


def test_a_plan_kept_before_0006_gets_its_token_kept_when_its_link_is_opened(store, sql):
    filed = _file(store)
    _as_before_0006(sql, filed.plan.plan_id)

    assert store.get_plan(filed.token).plan_id == filed.plan.plan_id  # the page or the feed
    assert _sealed_token(sql, filed.plan.plan_id) is not None

    issued = service.reissue_code_for_owner(store, "runner-key", now=LATER)
    assert issued.token == filed.token and not issued.new_link


def test_a_plan_kept_before_0006_gets_its_token_kept_by_a_check_in(store, sql):
    filed = _file(store)
    _as_before_0006(sql, filed.plan.plan_id)

    service.check_in(store, filed.token, {"session": "done", "pain_during": 1},
                     now=NOW + dt.timedelta(days=1))

    assert service.reissue_code_for_owner(store, "runner-key", now=LATER).token == filed.token


def test_a_plan_kept_before_0006_gets_its_token_kept_by_a_code_reissued_from_its_page(store, sql):
    filed = _file(store)
    _as_before_0006(sql, filed.plan.plan_id)

    store.reissue_code(filed.token, NOW)

    assert service.reissue_code_for_owner(store, "runner-key", now=LATER).token == filed.token


def test_only_a_plan_kept_before_0006_and_never_presented_since_gets_a_new_token(store, sql):
    filed = _file(store)
    _as_before_0006(sql, filed.plan.plan_id)

    issued = service.reissue_code_for_owner(store, "runner-key", now=LATER)

    assert issued.new_link and issued.token != filed.token
    assert store.get_plan(filed.token) is None
    assert store.get_plan(issued.token).plan_id == filed.plan.plan_id
    # From now on the new token is kept too: the next re-issue keeps it.
    again = service.reissue_code_for_owner(store, "runner-key", now=LATER + dt.timedelta(days=40))
    assert again.token == issued.token and not again.new_link


def test_after_a_key_rotation_the_token_opens_under_the_old_key_and_moves_to_the_new(database_url, sql):
    before = PlanStore(database_url, SECRET)
    filed = _file(before)
    before.close()

    rotated = PlanStore(database_url, NEW_SECRET, old_secret_keys=(SECRET,))
    try:
        issued = service.reissue_code_for_owner(rotated, "runner-key", now=LATER)
        assert issued.token == filed.token and not issued.new_link
        assert rotated.token_for_code(issued.code, LATER) == filed.token
        assert _sealed_token(sql, filed.plan.plan_id).startswith(f"v1.{keys.key_id(NEW_SECRET)}.")
    finally:
        rotated.close()

    # The old key can be dropped as far as the token goes: the new key alone opens it.
    sealed = _sealed_token(sql, filed.plan.plan_id)
    assert keys.Keyring(NEW_SECRET).open(sealed, bound_to=sealed_bound_to(filed.plan.plan_id, "sealed_token")
                                         ) == filed.token
