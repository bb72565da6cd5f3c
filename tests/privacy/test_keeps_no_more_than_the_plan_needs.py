"""Issue 14 (5): the service keeps no more than the plan needs. After a whole voice conversation
that stops part-way, and another that files a plan, everything the database holds, opened with
the service's own key, names no Alexa user id, no device id and none of the words the runner
said: only the structured answers, keyed by a keyed hash."""

from __future__ import annotations

import pytest
from privacy_runner import ANSWERS, DEVICE_ID, RUNNER_ID, Conversation, over_test_client

from plans.keys import owner_key
from plans.state import SqlStateStore

pytestmark = pytest.mark.each_database

# What the runner said, as Alexa heard it, before it was resolved to a value.
RAW_WORDS = "that bony bit quizzically under my bum"


def everything_kept(sql, app) -> str:
    """Every row of every table the service writes, with its sealed values opened."""
    store = app.extensions["plan_store"]
    config = app.config["COACH"]
    states = SqlStateStore(config.database_url, secret_key=config.secret_key)
    rows = []
    for table in ("plans", "short_codes", "skill_state", "check_ins", "code_attempts"):
        rows += [repr(tuple(row)) for row in sql(f"SELECT * FROM {table}")]
    for (key,) in sql("SELECT owner_key FROM skill_state"):
        rows.append(repr(states.load(key)))
    for (plan_id,) in sql("SELECT plan_id FROM plans"):
        rows.append(repr(_opened_plan(store, sql, plan_id)))
    return "\n".join(rows)


def _opened_plan(store, sql, plan_id):
    from plans.store import SEALED_PLAN_COLUMNS, sealed_bound_to

    values = sql(f"SELECT {', '.join(SEALED_PLAN_COLUMNS)} FROM plans WHERE plan_id = :id", id=plan_id)[0]
    return [store._keys.open(value, bound_to=sealed_bound_to(plan_id, column))
            for column, value in zip(SEALED_PLAN_COLUMNS, values, strict=True)]


def test_no_alexa_ids_and_no_raw_utterances_are_kept(app, client, sql):
    unfinished = Conversation(over_test_client(client))
    unfinished.launch()
    assert unfinished.step().question_id == "location"
    unfinished.say("AnswerLocationIntent", {"location": RAW_WORDS}, resolutions={"location": "lower_buttock"})
    kept = everything_kept(sql, app)
    assert sql("SELECT count(*) FROM skill_state")[0][0] == 1

    filed = Conversation(over_test_client(client), user_id=RUNNER_ID + "2")
    filed.file_a_plan()
    kept += everything_kept(sql, app)
    assert sql("SELECT count(*) FROM plans")[0][0] == 1

    for never in (RUNNER_ID, DEVICE_ID, "amzn1.ask", RAW_WORDS):
        assert never not in kept, never
    # The runner is known only by the keyed hash of their id.
    assert owner_key(app.config["COACH"].secret_key, RUNNER_ID) in kept
    assert "lower_buttock" in kept  # the structured answer, which the plan needs


def test_a_check_in_is_kept_only_with_its_plan(client, clock, sql):
    created = client.post("/api/plans", json={"answers": ANSWERS}).get_json()
    clock.advance(days=1)
    assert client.post(f"/api/plans/{created['token']}/checkins",
                       json={"date": clock().date().isoformat(), "session": "done", "pain_during": 1,
                             "pain_next_morning": 1}).status_code in (201, 409)
    assert client.delete(f"/api/plans/{created['token']}").status_code == 204
    assert sql("SELECT count(*) FROM check_ins")[0][0] == 0
