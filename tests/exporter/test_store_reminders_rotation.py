"""After a key rotation the skill's owner key changes (a keyed hash of the Alexa user id). The
reminders a runner's plan keeps must still be found under the key the plan was filed with: "stop
my reminders" or "delete my data" may be the first thing they say after the rotation, before any
look-up has moved the plan to the new key, and the reminders must be deleted through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from plans import keys, service
from plans.store import PlanStore
from tests.samples import LONDON_MWF, TIGHTNESS

pytestmark = pytest.mark.each_database

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
OLD_SECRET = b"test-secret-key-for-hashes-0123456789-abcdefghij"
NEW_SECRET = b"Rotated-Key-7d1e4a9c2b8f3e6d0c5a9b2e7f1d4c8a3e6b9d2f"
USER = "amzn1.ask.account.rotated-runner"
KEPT = {"revision": 1, "reminders": {"sessions": {"alert_token": "alert-1"}}}


def test_reminders_filed_under_the_old_owner_key_are_found_under_the_new_one(database_url):
    old_store = PlanStore(database_url, OLD_SECRET)
    try:
        filed = service.file_plan(old_store, TIGHTNESS, LONDON_MWF,
                                  owner_key=keys.owner_key(OLD_SECRET, USER), now=NOW)
        assert old_store.keep_reminders(filed.plan.plan_id, KEPT)
    finally:
        old_store.close()

    keys.register_keys(NEW_SECRET, (OLD_SECRET,))
    new_store = PlanStore(database_url, NEW_SECRET, old_secret_keys=(OLD_SECRET,))
    try:
        runner = keys.owner_keys(NEW_SECRET, USER)
        assert str(runner) != keys.owner_key(OLD_SECRET, USER)
        found = new_store.reminders_for_owner(runner)
        assert [(kept.plan_id, kept.reminders) for kept in found] == [(filed.plan.plan_id, KEPT)]
        # A key that carries no former keys finds nothing: the old key is what finds it.
        assert new_store.reminders_for_owner(str(runner)) == []
    finally:
        new_store.close()
