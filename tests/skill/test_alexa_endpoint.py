"""POST /alexa in the Flask app: whole conversations as Alexa would send them, what is refused
(unverified, other skills, malformed bodies) and how the verification switch is guarded."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from alexa_ca import SKILL_ID, AlexaSigner
from voice_driver import VIGNETTES, Runner, check_filed, filed_plan, over_http, spoken_code

from plans.codes import CODE_LENGTH
from plans.config import ConfigError
from skill import envelopes
from skill.verification import clear_certificate_cache
from tests.samples import SIT_BONE_ACHE, TIGHT


def plan_store_of(app):
    return app.extensions["plan_store"]


@pytest.mark.parametrize(("answers", "expected"), VIGNETTES)
def test_each_vignette_over_post_alexa_files_the_expected_plan(http_voice, skill_app, app_config, answers,
                                                                expected):
    http_voice.launch()
    http_voice.answer_triage(answers)
    http_voice.to_the_plan()
    filed = http_voice.say("AMAZON.YesIntent")
    assert filed.card is not None and not filed.ended
    assert len(spoken_code(http_voice.hear_the_code())) == CODE_LENGTH
    http_voice.say("AMAZON.NoIntent")
    assert http_voice.decline_reminders().ended
    check_filed(filed_plan(plan_store_of(skill_app), app_config), expected)


def test_go_back_and_repeat_over_post_alexa(http_voice):
    http_voice.launch()
    http_voice.answer("back_of_thigh")
    again = http_voice.say("AMAZON.RepeatIntent")
    assert "numbness, tingling" in again.speech
    back = http_voice.say("AMAZON.PreviousIntent")
    assert "Where is the pain" in back.speech
    assert dict(http_voice.last.state.answers) == {}


def test_resume_after_stop_over_post_alexa(http_voice):
    http_voice.launch()
    http_voice.answer("lower_buttock")
    http_voice.say("AMAZON.StopIntent")
    assert http_voice.launch().speech == "Welcome back. Shall we carry on where we left off?"
    http_voice.say("AMAZON.YesIntent")
    assert http_voice.current_step().question_id == "nerve_symptoms"


def test_a_daylight_saving_time_zone_over_post_alexa(http_voice, skill_app, app_config, device_zone):
    device_zone.name = "America/New_York"
    http_voice.launch()
    http_voice.answer_triage(SIT_BONE_ACHE)
    http_voice.to_the_plan()
    http_voice.say("ChooseDaysIntent", {"firstDay": "wednesday"})
    http_voice.say("ChooseTimeIntent", {"time": "EV"})

    plan = filed_plan(plan_store_of(skill_app), app_config)
    zone = ZoneInfo("America/New_York")
    offsets = {s.starts_at(zone).utcoffset() for s in plan.programme.sessions}
    assert {s.starts_at(zone).strftime("%a %H:%M") for s in plan.programme.sessions} == {"Wed 18:00"}
    assert len(offsets) == 2  # EST before 8 March, EDT after: same wall-clock time


def test_two_app_instances_on_one_database_carry_a_runner_between_them(app_config, device_zone):
    """Nothing the conversation needs lives in one process: a turn may land on any worker."""
    from exporter import create_app

    config = dict(app_config, COACH_ALEXA_VERIFY="0", SKILL_TIMEZONE_LOOKUP=device_zone)
    first, second = create_app(config), create_app(config)
    try:
        clients = [first.test_client(), second.test_client()]
        turn = 0

        def alternate(envelope):
            nonlocal turn
            turn += 1
            return over_http(clients[turn % 2])(envelope)

        runner = Runner(alternate)
        runner.launch()
        runner.answer_triage(TIGHT)
        runner.to_the_plan()
        runner.say("AMAZON.YesIntent")
        assert len(spoken_code(runner.hear_the_code())) == CODE_LENGTH
        assert filed_plan(plan_store_of(first), app_config).assessment.category == "tightness"
    finally:
        plan_store_of(first).close()
        plan_store_of(second).close()


# ---- what is refused ----------------------------------------------------------------------------


def post(client, body, **headers):
    return client.post("/alexa", data=body, headers={"Content-Type": "application/json", **headers})


MALFORMED = [
    pytest.param(b"this is not json", id="not JSON"),
    pytest.param(b"[1, 2, 3]", id="a list"),
    pytest.param(b"{}", id="no request"),
    pytest.param(json.dumps({"version": "1.0", "request": 5}).encode(), id="request of the wrong type"),
    pytest.param(json.dumps({"version": "1.0", "request": {"type": "Made.Up"}}).encode(), id="unknown type"),
    pytest.param(json.dumps({"request": {"type": "LaunchRequest", "timestamp": "yesterday"}}).encode(),
                 id="a timestamp that is not one"),
    pytest.param(json.dumps({"request": {"type": "LaunchRequest"}}).encode(), id="no context"),
    pytest.param(b"\xff\xfe\x00", id="not UTF-8"),
]


@pytest.mark.parametrize("body", MALFORMED)
def test_a_malformed_body_is_refused_with_a_json_400(skill_client, body):
    response = post(skill_client, body)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"


def test_a_body_over_the_size_limit_is_refused_with_413(skill_client):
    response = post(skill_client, b'{"pad": "' + b"x" * 70_000 + b'"}')
    assert response.status_code == 413
    assert "error" in response.get_json()


def test_a_known_request_type_the_skill_does_not_use_still_gets_a_valid_reply(skill_client):
    envelope = envelopes.launch_request()
    envelope["request"] = {"type": "Connections.Response", "requestId": "amzn1.echo-api.request.1",
                           "timestamp": envelope["request"]["timestamp"], "locale": "en-US",
                           "name": "Buy", "status": {"code": "200", "message": "OK"}, "token": "t"}
    response = post(skill_client, json.dumps(envelope))
    assert response.status_code == 200
    assert response.get_json()["response"]["outputSpeech"]["ssml"].startswith("<speak>")


@pytest.fixture
def skill_id_app(app_config, device_zone):
    from exporter import create_app

    flask_app = create_app(dict(app_config, COACH_ALEXA_VERIFY="0", COACH_ALEXA_SKILL_ID=SKILL_ID,
                                SKILL_TIMEZONE_LOOKUP=device_zone))
    yield flask_app
    plan_store_of(flask_app).close()


def test_with_verification_off_another_skills_request_is_still_refused(skill_id_app):
    client = skill_id_app.test_client()
    other = post(client, json.dumps(envelopes.launch_request()))
    ours = post(client, json.dumps(envelopes.launch_request(application_id=SKILL_ID)))
    assert other.status_code == 400
    assert ours.status_code == 200


def test_the_app_refuses_to_start_with_verification_off_beyond_loopback(app_config):
    from exporter import create_app

    with pytest.raises(ConfigError, match="loopback"):
        create_app(dict(app_config, COACH_ALEXA_VERIFY="0", COACH_BIND_HOST="0.0.0.0"))


def test_a_hand_made_configuration_with_verification_off_beyond_loopback_refuses_to_start(app_config):
    from exporter import create_app
    from plans.config import Config

    config = Config(database_url=app_config["COACH_DATABASE_URL"], secret_key=b"k" * 40, alexa_verify=False,
                    bind_host="0.0.0.0")
    with pytest.raises(ConfigError, match="loopback"):
        create_app({"COACH_CONFIG": config})


def test_verification_switched_off_beyond_loopback_after_start_refuses_every_request(skill_app, skill_client):
    skill_app.config["COACH"] = dataclasses.replace(skill_app.config["COACH"], bind_host="0.0.0.0")
    response = post(skill_client, json.dumps(envelopes.launch_request()))
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "verification_disabled"


# ---- with verification on ------------------------------------------------------------------------


@pytest.fixture
def signer(clock):
    clear_certificate_cache()
    yield AlexaSigner(now=clock())
    clear_certificate_cache()


@pytest.fixture
def verified_app(app_config, signer, device_zone):
    from exporter import create_app

    flask_app = create_app(dict(app_config, COACH_ALEXA_SKILL_ID=SKILL_ID, ALEXA_CERT_FETCH=signer.fetch,
                                ALEXA_TRUST_ROOTS=signer.trust_roots, SKILL_TIMEZONE_LOOKUP=device_zone))
    yield flask_app
    plan_store_of(flask_app).close()


def signed_launch(clock) -> bytes:
    return json.dumps(envelopes.launch_request(application_id=SKILL_ID, timestamp=clock())).encode()


def test_a_signed_request_from_alexa_is_answered(verified_app, signer, clock):
    body = signed_launch(clock)
    response = post(verified_app.test_client(), body, **signer.headers(body))
    assert response.status_code == 200
    assert "Welcome to Hamstring Coach" in response.get_json()["response"]["outputSpeech"]["ssml"]


def test_a_tampered_body_is_refused(verified_app, signer, clock):
    body = signed_launch(clock)
    headers = signer.headers(body)
    response = post(verified_app.test_client(), body.replace(b"LaunchRequest", b"LaunchRequesT"), **headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "verification_failed"


def test_an_unsigned_request_is_refused(verified_app, clock):
    response = post(verified_app.test_client(), signed_launch(clock))
    assert response.status_code == 400


def test_a_signed_request_for_another_skill_is_refused(verified_app, signer, clock):
    body = json.dumps(envelopes.launch_request(timestamp=clock())).encode()
    response = post(verified_app.test_client(), body, **signer.headers(body))
    assert response.status_code == 400


# ---- issue 14: what a refused caller learns, and replays ----------------------------------------


def test_a_refused_request_learns_only_that_it_was_refused_and_the_reason_is_logged(verified_app, signer,
                                                                                      clock, caplog):
    body = signed_launch(clock)
    headers = signer.headers(body)
    client = verified_app.test_client()
    tampered = post(client, body.replace(b"LaunchRequest", b"LaunchRequesT"), **headers)
    unsigned = post(client, body)
    foreign_cert = post(client, body, **{**headers, "SignatureCertChainUrl": "https://evil.example/echo.api/c"})

    messages = {response.get_json()["error"]["message"] for response in (tampered, unsigned, foreign_cert)}
    assert messages == {"the request could not be verified as coming from Alexa"}
    logged = " | ".join(record.getMessage() for record in caplog.records)
    for reason in ("signature does not match the body", "SignatureCertChainUrl header is missing",
                   "certificate URL host is not s3.amazonaws.com"):
        assert reason in logged
    assert "LaunchRequest" not in logged  # the reason, never the request


def test_a_replayed_signed_request_is_refused(verified_app, signer, clock):
    body = signed_launch(clock)
    headers = signer.headers(body)
    client = verified_app.test_client()
    assert post(client, body, **headers).status_code == 200
    clock.advance(seconds=20)
    replay = post(client, body, **headers)
    assert replay.status_code == 400
    assert replay.get_json()["error"]["code"] == "verification_failed"
    fresh = signed_launch(clock)  # a new request id
    assert post(client, fresh, **signer.headers(fresh)).status_code == 200


@pytest.mark.each_database
def test_a_replay_to_another_worker_on_the_same_database_is_refused_too(verified_app, app_config, signer,
                                                                        clock, device_zone):
    from exporter import create_app

    other = create_app(dict(app_config, COACH_ALEXA_SKILL_ID=SKILL_ID, ALEXA_CERT_FETCH=signer.fetch,
                            ALEXA_TRUST_ROOTS=signer.trust_roots, SKILL_TIMEZONE_LOOKUP=device_zone))
    try:
        body = signed_launch(clock)
        headers = signer.headers(body)
        assert post(verified_app.test_client(), body, **headers).status_code == 200
        assert post(other.test_client(), body, **headers).status_code == 400
    finally:
        plan_store_of(other).close()


def test_a_signed_request_without_a_request_id_is_refused(verified_app, signer, clock):
    envelope = envelopes.launch_request(application_id=SKILL_ID, timestamp=clock())
    del envelope["request"]["requestId"]
    body = json.dumps(envelope).encode()
    assert post(verified_app.test_client(), body, **signer.headers(body)).status_code == 400


@pytest.mark.each_database
def test_the_store_remembers_request_ids_for_the_tolerance_window_only(store, clock):
    from plans.store import SEEN_REQUEST_MEMORY

    first = clock()
    assert store.note_request_id("a" * 64, first) is True
    assert store.note_request_id("a" * 64, first + dt.timedelta(seconds=299)) is False
    assert store.note_request_id("b" * 64, first) is True
    assert dt.timedelta(seconds=300) <= SEEN_REQUEST_MEMORY  # 150 s either way of Alexa's timestamp
    later = first + SEEN_REQUEST_MEMORY + dt.timedelta(seconds=1)
    assert store.note_request_id("c" * 64, later) is True  # forgets the old ones on the way
    assert store.note_request_id("a" * 64, later) is True
