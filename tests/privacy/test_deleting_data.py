"""Deleting means gone: the plan, the short code that opens it, and what the skill keeps about
the runner, whether the runner deletes with the plan's link (DELETE /api/plans/<token>) or by
voice ("delete my data"). Checked in the database itself, on SQLite and PostgreSQL, and through
every address that used to open the plan."""

from __future__ import annotations

import pytest
from privacy_runner import ANSWERS, RUNNER_ID, Conversation, over_test_client, spoken_code, token_on_card

from plans.keys import owner_key

pytestmark = pytest.mark.each_database

OTHER_RUNNER = "amzn1.ask.account.SOMEONEELSE000000000000000000000000000000000000000000000000"


@pytest.fixture
def runner_key(app):
    return owner_key(app.config["COACH"].secret_key, RUNNER_ID)


@pytest.fixture
def voice(client) -> Conversation:
    return Conversation(over_test_client(client))


def plan_addresses(token: str, code: str) -> list[str]:
    page = f"/plans/{token}"
    return [f"/api/plans/{token}", page, f"{page}.pdf", f"{page}.ics", f"/c/{code}"]


def assert_gone(client, store, clock, token: str, code: str) -> None:
    assert store.get_plan(token) is None
    assert store.token_for_code(code, clock()) is None
    for path in plan_addresses(token, code):
        assert client.get(path).status_code == 404, path


def rows_about(sql, key: str) -> dict[str, int]:
    return {
        "plans": sql("SELECT count(*) FROM plans WHERE owner_key = :key", key=key)[0][0],
        "codes": sql("SELECT count(*) FROM short_codes JOIN plans USING (plan_id) WHERE owner_key = :key",
                     key=key)[0][0],
        "state": sql("SELECT count(*) FROM skill_state WHERE owner_key = :key", key=key)[0][0],
    }


# ---- DELETE /api/plans/<token> ------------------------------------------------------------------


def test_deleting_a_plan_by_its_token_removes_the_plan_and_its_code(client, store, clock, sql):
    created = client.post("/api/plans", json={"answers": ANSWERS}).get_json()
    token, code = created["token"], created["code"]
    assert client.get(f"/c/{code}").status_code == 302

    assert client.delete(f"/api/plans/{token}").status_code == 204

    assert_gone(client, store, clock, token, code)
    assert sql("SELECT count(*) FROM plans")[0][0] == 0
    assert sql("SELECT count(*) FROM short_codes")[0][0] == 0
    assert client.delete(f"/api/plans/{token}").status_code == 404


def test_deleting_a_plan_filed_by_voice_also_removes_what_the_skill_keeps_about_the_runner(
        client, store, clock, sql, voice, runner_key):
    final = voice.file_a_plan()
    token, code = token_on_card(final), spoken_code(final)
    assert rows_about(sql, runner_key) == {"plans": 1, "codes": 1, "state": 1}

    assert client.delete(f"/api/plans/{token}").status_code == 204

    assert_gone(client, store, clock, token, code)
    assert rows_about(sql, runner_key) == {"plans": 0, "codes": 0, "state": 0}


def test_deleting_one_plan_leaves_other_runners_alone(client, store, sql, voice):
    final = voice.file_a_plan()
    someone_else = client.post("/api/plans", json={"answers": ANSWERS}).get_json()
    other_key = owner_key(client.application.config["COACH"].secret_key, OTHER_RUNNER)
    other_voice = Conversation(over_test_client(client), user_id=OTHER_RUNNER)
    other_voice.launch()
    other_voice.say("AnswerLocationIntent", {"location": "sit bone"},
                    resolutions={"location": "lower_buttock"})
    assert rows_about(sql, other_key)["state"] == 1  # their check is under way, and kept

    assert client.delete(f"/api/plans/{token_on_card(final)}").status_code == 204

    assert store.get_plan(someone_else["token"]) is not None
    assert rows_about(sql, other_key)["state"] == 1


# ---- "Alexa, tell hamstring coach to delete my data" ------------------------------------------------


def test_delete_my_data_asks_first_then_removes_every_plan_code_and_the_stored_state(
        client, store, clock, sql, voice, runner_key):
    first = voice.file_a_plan()
    second = voice.file_a_plan()
    plans = [(token_on_card(reply), spoken_code(reply)) for reply in (first, second)]
    voice.launch()
    voice.say("AMAZON.YesIntent")  # "shall we check it again?": leave an unfinished check behind
    assert rows_about(sql, runner_key) == {"plans": 2, "codes": 2, "state": 1}

    asked = voice.say("DeleteMyDataIntent")
    assert "Shall I delete everything I keep about you" in asked["response"]["outputSpeech"]["ssml"]
    assert rows_about(sql, runner_key) == {"plans": 2, "codes": 2, "state": 1}
    done = voice.say("AMAZON.YesIntent")

    assert "I've deleted" in done["response"]["outputSpeech"]["ssml"]
    assert done["response"]["shouldEndSession"] is True
    for token, code in plans:
        assert_gone(client, store, clock, token, code)
    assert rows_about(sql, runner_key) == {"plans": 0, "codes": 0, "state": 0}
    welcome = voice.launch()
    assert "Welcome to Hamstring Coach" in welcome["response"]["outputSpeech"]["ssml"]


def test_saying_no_to_delete_my_data_keeps_everything(client, store, clock, sql, voice, runner_key):
    final = voice.file_a_plan()
    voice.say("DeleteMyDataIntent")
    kept = voice.say("AMAZON.NoIntent")

    assert "haven't deleted anything" in kept["response"]["outputSpeech"]["ssml"]
    assert store.get_plan(token_on_card(final)) is not None
    assert rows_about(sql, runner_key)["plans"] == 1


def test_delete_my_data_leaves_other_runners_plans(client, store, voice):
    someone_else = client.post("/api/plans", json={"answers": ANSWERS}).get_json()
    voice.file_a_plan()
    voice.say("DeleteMyDataIntent")
    voice.say("AMAZON.YesIntent")
    assert store.get_plan(someone_else["token"]) is not None
