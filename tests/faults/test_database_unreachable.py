"""The database out of reach, with the real service in front of it (gunicorn, 2 workers): /healthz
says 503, the API answers 503 with its JSON error, and the skill still gives the runner its spoken
triage advice and says the plan could not be saved and to try again. When the database comes
back, the same running service recovers without a restart."""

from __future__ import annotations

import pytest
from coach_server import CoachServer, Voice, free_port

from rehab.models import Answers
from rehab.programme import RUNNING_WORDS
from rehab.triage import assess
from tests.samples import SPRINTER, TIGHT

pytestmark = pytest.mark.system

# A runner whose advice is clear-cut: see a clinician, stop running (a pop with bruising).


def running_advice(answers: dict) -> str:
    """The running sentence the clinical core gives for these answers (unlisted ones "no")."""
    from rehab.questions import next_question

    complete = dict(answers)
    while (question := next_question(complete)) is not None:
        complete[question.id] = "no"
    return RUNNING_WORDS[assess(Answers.model_validate(complete)).running]


def error_of(answer) -> dict:
    assert answer.headers["content-type"].startswith("application/json"), answer.body[:300]
    body = answer.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    assert b"Traceback" not in answer.body
    return body["error"]


def assert_unavailable(server: CoachServer, token: str = "x" * 32, code: str = "ACDEFHJKMN") -> None:
    health = server.request("GET", "/healthz")
    assert health.status == 503
    assert health.json() == {"status": "unavailable", "database": "unreachable"}

    created = server.create_plan()
    assert created.status == 503
    error = error_of(created)
    assert error["code"] == "database_unavailable"
    assert "try again" in error["message"]
    assert int(created.headers["retry-after"]) > 0

    for method, path in (("GET", f"/api/plans/{token}"), ("DELETE", f"/api/plans/{token}"),
                         ("GET", f"/plans/{token}.ics"), ("GET", f"/c/{code}")):
        answer = server.request(method, path)
        assert answer.status == 503, (method, path, answer.status)
        assert error_of(answer)["code"] == "database_unavailable"


def assert_advice_spoken_and_plan_not_saved(voice: Voice, answers: dict) -> None:
    assert "Welcome to Hamstring Coach" in voice.launch().speech
    final = voice.answer_until_the_end(answers)
    spoken = " ".join(reply.speech for reply in voice.replies)
    assert running_advice(answers) in spoken  # the outcome, when the questions are done
    assert running_advice(answers) in final.speech  # and again with the apology
    assert "couldn't save your plan" in final.speech
    assert "again later" in final.speech
    assert final.card_text == ""  # no link or code to a plan that does not exist


def test_with_postgresql_out_of_reach_from_the_start_health_and_api_answer_503_json(servers):
    server = servers(f"postgresql://coach@127.0.0.1:{free_port()}/coach")
    assert_unavailable(server)


def test_with_postgresql_out_of_reach_the_skill_still_speaks_its_advice_and_asks_to_try_again(servers):
    server = servers(f"postgresql://coach@127.0.0.1:{free_port()}/coach")
    voice = Voice(server)
    assert_advice_spoken_and_plan_not_saved(voice, SPRINTER)
    assert "please see a doctor or physiotherapist within the next few days" in voice.replies[-1].speech


# ---- a PostgreSQL server that goes away while the service runs ----------------------------


@pytest.fixture(scope="module")
def stoppable_postgres():
    from coach_server import StoppablePostgres

    server = StoppablePostgres()
    server.start()
    yield server
    server.remove()


def test_postgresql_stopping_under_a_running_service_gives_503s_then_it_recovers_by_itself(
        stoppable_postgres, servers):
    service = servers(stoppable_postgres.url)
    before = service.create_plan()
    assert before.status == 201
    token, code = before.json()["token"], before.json()["code"]

    stoppable_postgres.stop()
    try:
        assert_unavailable(service, token, code)
        assert_advice_spoken_and_plan_not_saved(Voice(service, user_id="amzn1.ask.account.OUTAGE1"), TIGHT)
    finally:
        stoppable_postgres.start()

    assert service.request("GET", "/healthz").status == 200
    assert service.request("GET", f"/api/plans/{token}").status == 200
    assert service.create_plan().status == 201
    voice = Voice(service, user_id="amzn1.ask.account.OUTAGE2")
    voice.launch()
    filed = voice.answer_until_the_end(TIGHT)
    assert "Your plan is ready" in filed.speech
