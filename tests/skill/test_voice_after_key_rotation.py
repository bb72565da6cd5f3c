"""Issue 14 (b): after a key rotation (COACH_SECRET_KEY new, COACH_SECRET_KEY_OLD the old one) the
runner's owner key changes, since it is a keyed hash of their Alexa user id. What was filed under
the old key is still found by voice (the newest plan, "what's my code", a check-in, the skill's
saved state), moved to the new key the first time it is found, and "delete my data" deletes under
every key. Checked in the database itself, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import secrets

import pytest
from voice_driver import Runner, in_process, spoken_code

from plans import keys, service
from plans.state import SqlStateStore
from plans.store import PlanStore
from skill import envelopes
from skill.build import build_skill
from tests.samples import LONDON_MWF, TIGHT, TIGHTNESS

pytestmark = pytest.mark.each_database

OLD_SECRET = b"test-secret-key-for-hashes-0123456789-abcdefghij"
BASE_URL = "https://coach.example"


@pytest.fixture
def new_secret() -> bytes:
    """A new key for each test, registered with the old one as the configuration does
    (plans.config registers COACH_SECRET_KEY_OLD for COACH_SECRET_KEY)."""
    secret = ("Rotated-" + secrets.token_hex(24)).encode()
    keys.register_keys(secret, (OLD_SECRET,))
    return secret


@pytest.fixture
def rotation(database_url):
    """Stores and a skill under a secret, closed at the end."""
    opened = []

    def under(secret: bytes, clock, device_zone):
        store = PlanStore(database_url, secret)
        opened.append(store)
        state = SqlStateStore(database_url, ensure_schema=store.migrate, secret_key=secret)
        skill = build_skill(store_factory=lambda: store, state_store=state, timezone_lookup=device_zone,
                            clock=clock, secret_key=secret, base_url=BASE_URL)
        return store, state, Runner(in_process(skill))

    yield under
    for store in opened:
        store.close()


def _key(secret: bytes, user_id: str = envelopes.DEFAULT_USER) -> str:
    return keys.owner_key(secret, user_id)


def _rows(sql, key: str) -> dict[str, int]:
    return {
        "plans": sql("SELECT count(*) FROM plans WHERE owner_key = :key", key=key)[0][0],
        "state": sql("SELECT count(*) FROM skill_state WHERE owner_key = :key", key=key)[0][0],
    }


def _file_by_voice(voice: Runner) -> str:
    """File a plan by voice, hear its code, decline a repeat; the card's token."""
    voice.launch()
    voice.answer_triage(TIGHT)
    voice.to_the_plan()
    filed = voice.say("AMAZON.YesIntent")
    voice.hear_the_code()
    voice.say("AMAZON.NoIntent")
    return re.search(r"/plans/(\S+)", filed.card["content"]).group(1)


def test_whats_my_code_after_a_rotation_finds_the_plan_and_moves_it_to_the_new_key(
        rotation, new_secret, sql, clock, device_zone):
    _, _, before = rotation(OLD_SECRET, clock, device_zone)
    token = _file_by_voice(before)
    assert _rows(sql, _key(OLD_SECRET))["plans"] == 1
    clock.advance(days=40)

    store, _, after = rotation(new_secret, clock, device_zone)
    asked = after.say("WhatsMyCodeIntent")

    code = spoken_code(asked)
    assert code, asked.speech
    assert re.search(r"/plans/(\S+)", asked.card["content"]).group(1) == token
    assert store.token_for_code(code, clock()) == token
    assert _rows(sql, _key(OLD_SECRET))["plans"] == 0
    assert _rows(sql, _key(new_secret))["plans"] == 1


def test_the_newest_plan_and_the_saved_state_are_found_under_the_old_key_once(
        rotation, new_secret, sql, clock, device_zone):
    _, _, before = rotation(OLD_SECRET, clock, device_zone)
    _file_by_voice(before)
    before.launch()
    before.say("CheckHamstringIntent")
    before.answer("back_of_thigh")  # an unfinished check waits in the skill's state
    assert _rows(sql, _key(OLD_SECRET)) == {"plans": 1, "state": 1}

    store, _, after = rotation(new_secret, clock, device_zone)
    today = after.say("TodaysSessionIntent")
    assert "don't have a plan" not in today.speech, today.speech
    assert _rows(sql, _key(OLD_SECRET)) == {"plans": 0, "state": 0}
    assert _rows(sql, _key(new_secret)) == {"plans": 1, "state": 1}
    # The old key can go now: the new key alone finds both.
    only_new = keys.OwnerKey(_key(new_secret))
    assert store.latest_plan_for_owner(only_new) is not None
    state = SqlStateStore(store.database_url, secret_key=new_secret).load(only_new)
    assert "back_of_thigh" in json.dumps(state)  # the unfinished check, re-sealed for its new row


def test_a_check_in_after_a_rotation_finds_the_plan_filed_before_it(database_url, new_secret, sql):
    import datetime as dt

    now = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    old_store = PlanStore(database_url, OLD_SECRET)
    filed = service.file_plan(old_store, TIGHTNESS, LONDON_MWF, owner_key=_key(OLD_SECRET), now=now)
    old_store.close()

    rotated = PlanStore(database_url, new_secret)
    try:
        runner = rotated.owner_key_for(envelopes.DEFAULT_USER)
        checked = service.check_in(rotated, None, {"session": "done", "pain_during": 1},
                                   now=now + dt.timedelta(days=2), owner_key=runner)
        assert checked is not None and checked.plan.plan_id == filed.plan.plan_id
        assert _rows(sql, _key(new_secret))["plans"] == 1
    finally:
        rotated.close()


def test_delete_my_data_after_a_rotation_deletes_under_every_key(
        rotation, new_secret, sql, clock, device_zone):
    _, _, before = rotation(OLD_SECRET, clock, device_zone)
    _file_by_voice(before)
    before.launch()
    before.say("CheckHamstringIntent")
    before.answer("back_of_thigh")
    store, _, after = rotation(new_secret, clock, device_zone)
    # A plan filed under the new key as well, before anything moved the old one.
    service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key=_key(new_secret), now=clock())

    after.say("DeleteMyDataIntent")
    done = after.say("AMAZON.YesIntent")

    assert "I've deleted" in done.speech
    assert _rows(sql, _key(OLD_SECRET)) == {"plans": 0, "state": 0}
    assert _rows(sql, _key(new_secret)) == {"plans": 0, "state": 0}
    assert sql("SELECT count(*) FROM short_codes")[0][0] == 0
