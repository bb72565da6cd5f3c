"""The scaled topology on one machine: two plan services (gunicorn, 2 workers each) on one
PostgreSQL database with the same COACH_SECRET_KEY, as two hosts behind a load balancer would run.
Nothing a runner needs may live in one process: a conversation moves between them mid-way, a
session stopped on one resumes on the other, and wrong plan codes count across both."""

from __future__ import annotations

import re

import pytest
from coach_server import Voice

from plans.codes import CODE_LENGTH
from tests.samples import TIGHT

pytestmark = [pytest.mark.postgres, pytest.mark.system]

SPELLED = re.compile(r'<say-as interpret-as="spell-out">(.)</say-as>')
WRONG_CODES_BEFORE_REFUSAL = 10


@pytest.fixture
def two_hosts(shared_postgres, servers):
    return servers(shared_postgres, name="A"), servers(shared_postgres, name="B")


def test_a_runner_moved_between_servers_mid_conversation_finishes_and_the_plan_opens_on_either(two_hosts):
    a, b = two_hosts
    voice = Voice(a)
    assert "Welcome to Hamstring Coach" in voice.launch().speech
    for _ in range(3):
        voice.answer(TIGHT)
    step_on_a = voice.step()

    voice.server = b  # the next turns of the same session reach the other host
    voice.answer(TIGHT)
    voice.answer(TIGHT)
    step_before_stop = voice.step()
    assert step_before_stop.kind == "question" and step_before_stop != step_on_a

    voice.server = a
    goodbye = voice.say("AMAZON.StopIntent")
    assert goodbye.ended and "kept your answers" in goodbye.speech

    voice.server = b  # a new session, on the other host: only the shared database remembers
    assert voice.launch().speech == "Welcome back. Shall we carry on where we left off?"
    voice.say("AMAZON.YesIntent")
    assert voice.step() == step_before_stop
    filed = voice.answer_until_the_end(TIGHT)
    assert "Your plan is ready" in filed.speech

    # The code is said in a turn of its own (spelled, letter by letter); the card carries it too.
    spoken = next(r for r in voice.replies if SPELLED.findall(r.ssml))
    code = "".join(SPELLED.findall(spoken.ssml)[:CODE_LENGTH])
    token = re.search(r"/plans/([A-Za-z0-9_-]+)", filed.card_text).group(1)
    assert code.replace(" ", "") in filed.card_text.replace(" ", "")

    plan = a.request("GET", f"/api/plans/{token}")
    assert plan.status == 200 and plan.json()["assessment"]["category"] == "tightness"
    opened = a.request("GET", f"/c/{code}")
    assert opened.status == 302 and opened.headers["location"].endswith(f"/plans/{token}")

    voice.server = a  # and the skill on the first host reads the plan filed on the second
    voice.launch()
    session = voice.say("TodaysSessionIntent")
    assert re.search(r"Today's session|Your next one is on", session.speech), session.speech


def test_wrong_plan_codes_are_counted_across_both_servers(two_hosts):
    a, b = two_hosts
    created = a.create_plan().json()
    wrong = "ACDEFHJKMN" if created["code"] != "ACDEFHJKMN" else "NMKJHFEDCA"
    for attempt in range(WRONG_CODES_BEFORE_REFUSAL):
        host = (a, b)[attempt % 2]
        assert host.request("GET", f"/c/{wrong}").status == 404
    for host in (a, b):
        refused = host.request("GET", f"/c/{wrong}")
        assert refused.status == 429
        assert int(refused.headers["retry-after"]) > 0
    # Refused for a while even with the right code: that is what keeps guessing out of reach.
    assert b.request("GET", f"/c/{created['code']}").status == 429
