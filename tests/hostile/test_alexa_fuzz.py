"""POST /alexa under malformed and unexpected requests: real envelopes with parts removed, retyped
or nulled, request types this skill never asked for, random intents and slots, garbage session
state, non-JSON, wrong content types and bodies over the 64 KiB limit.

Whatever arrives, the answer is either a JSON error in the service's shape (400; 413 only for a
body over the limit) or a valid Alexa response: version "1.0", a `response` that speaks
well-formed SSML or ends the session. Never a 5xx, never a traceback, and never a turn that only
the skill's catch-all exception handler answered: its apology is a valid Alexa response too, so
every post here also listens for the handler's log record. Verification is off on
loopback (tests/hostile/conftest.py) so that fuzzed envelopes reach the skill itself; with it on,
unsigned requests never get that far.
"""

from __future__ import annotations

import copy
import json
import logging
import xml.etree.ElementTree as ElementTree
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.app import MAX_BODY_BYTES
from skill import envelopes
from skill.handlers import errors

FUZZ = settings(max_examples=150, derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

CONTRACT_INTENTS = (
    "AnswerLocationIntent", "AnswerOnsetIntent", "AnswerNumberIntent", "UnsureIntent", "ChooseDaysIntent",
    "ChooseTimeIntent", "ChooseStartDateIntent", "ExplainTestIntent", "TodaysSessionIntent",
    "CheckHamstringIntent", "DeleteMyDataIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.RepeatIntent", "AMAZON.StartOverIntent", "AMAZON.PreviousIntent",
)
SLOT_NAMES = ("location", "onset", "number", "duration", "relativeDay", "partOfDay", "firstDay", "secondDay",
              "thirdDay", "fourthDay", "time", "startDate")
# Request types Alexa sends to skills that declare other interfaces; ours declares none of them.
FOREIGN_REQUEST_TYPES = (
    "Alexa.Presentation.APL.UserEvent", "Alexa.Presentation.APLA.UserEvent", "Connections.Response",
    "Connections.Request", "CanFulfillIntentRequest", "AudioPlayer.PlaybackStarted",
    "AudioPlayer.PlaybackFinished", "AudioPlayer.PlaybackFailed", "PlaybackController.PlayCommandIssued",
    "Display.ElementSelected", "Messaging.MessageReceived", "System.ExceptionEncountered",
    "Dialog.API.Invoked", "AlexaSkillEvent.SkillDisabled", "AlexaSkillEvent.SkillPermissionAccepted",
    "Reminders.ReminderCreated", "GameEngine.InputHandlerEvent", "SessionResumedRequest",
)
REQUEST_TYPES = ("LaunchRequest", "IntentRequest", "SessionEndedRequest", *FOREIGN_REQUEST_TYPES)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children,
                                                                      max_size=4),
    max_leaves=12,
)
# What a runner might be heard saying, including what would break SSML if echoed unescaped.
spoken = st.text(max_size=40) | st.sampled_from(["six", "6", "-3", "11", "1e9", "?", "", "<speak>", "a & b",
                                                 "back of my knee", "monday", "T07:00", "2026-W10", "P2W",
                                                 "PT5H", "P1.5W", "yesterday"])


@st.composite
def real_envelopes(draw) -> dict[str, Any]:
    """An envelope as Alexa would send it, for any contract intent or request type."""
    user_id = draw(st.sampled_from([envelopes.DEFAULT_USER, "amzn1.ask.account.FUZZ", ""]))
    kind = draw(st.sampled_from(["launch", "intent", "intent", "intent", "ended"]))
    if kind == "launch":
        envelope = envelopes.launch_request(user_id=user_id)
    elif kind == "ended":
        envelope = envelopes.session_ended_request(user_id=user_id)
    else:
        intent = draw(st.sampled_from(CONTRACT_INTENTS) | st.text(max_size=30))
        slots = draw(st.dictionaries(st.sampled_from(SLOT_NAMES) | st.text(max_size=10),
                                     spoken | st.none(), max_size=3))
        resolved = {name: draw(st.text(max_size=15)) for name in slots
                    if slots[name] is not None and draw(st.booleans())}
        envelope = envelopes.intent_request(intent, slots, resolutions=resolved, user_id=user_id,
                                            new=draw(st.booleans()))
    if draw(st.booleans()):
        envelope["request"]["type"] = draw(st.sampled_from(REQUEST_TYPES))
    if draw(st.booleans()):
        envelope["session"]["attributes"] = draw(st.dictionaries(
            st.sampled_from(["coach", "coach_unsaved"]) | st.text(max_size=8), json_values, max_size=3))
    return envelope


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(_paths(value, (*prefix, index)))
    return found


@st.composite
def malformed_envelopes(draw) -> dict[str, Any]:
    """A real envelope with one to three parts removed, nulled or replaced by any JSON value."""
    envelope = copy.deepcopy(draw(real_envelopes()))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(envelope)
        if not paths:
            break
        *parents, last = draw(st.sampled_from(paths))
        node = envelope
        for step in parents:
            node = node[step]
        if draw(st.booleans()) and isinstance(node, dict):
            del node[last]
        else:
            node[last] = draw(st.none() | json_values)
    return envelope


CONTENT_TYPES = ("application/json", "application/json; charset=utf-8", "text/plain", None,
                 "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml")


class TurnFailures(logging.Handler):
    """The catch-all's records (skill.handlers.errors), heard on the skill's own logger whatever
    the root logger and propagation are set to."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg in (errors.TURN_FAILED, errors.APOLOGY_FAILED):
            self.failures.append(record.getMessage())


TURN_FAILURES = TurnFailures()


@pytest.fixture(autouse=True)
def listen_for_the_catch_all():
    logger = logging.getLogger(errors.logger.name)
    assert not logger.disabled and logger.isEnabledFor(logging.ERROR), "the skill's errors go unlogged"
    logger.addHandler(TURN_FAILURES)
    yield
    logger.removeHandler(TURN_FAILURES)


def post(client, body: bytes, content_type: str | None = "application/json"):
    """POST /alexa; fails the test when the skill answered only through its catch-all."""
    headers = {"Content-Type": content_type} if content_type else {}
    TURN_FAILURES.failures.clear()
    response = client.post("/alexa", data=body, headers=headers)
    assert not TURN_FAILURES.failures, f"the catch-all answered {body[:2000]!r}: {TURN_FAILURES.failures}"
    return response


def assert_answered_properly(response, sent: bytes, request_type: Any = None) -> None:
    """400 JSON (413 for a body over the limit) or a valid Alexa response; never anything else."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/json", response.mimetype
    body = json.loads(response.get_data())
    if response.status_code != 200:
        assert response.status_code == (413 if len(sent) > MAX_BODY_BYTES else 400), response.status_code
        assert set(body) == {"error"} and isinstance(body["error"]["message"], str), body
        assert "Traceback" not in body["error"]["message"]
        return
    assert body["version"] == "1.0", body
    answer = body["response"]
    assert isinstance(answer, dict), body
    speech = answer.get("outputSpeech")
    if speech is not None:
        assert speech["type"] == "SSML", speech
        ElementTree.fromstring(speech["ssml"])  # Alexa refuses a response whose SSML is not well-formed
        assert speech["ssml"].startswith("<speak>") and len(speech["ssml"]) > len("<speak></speak>")
    reprompt = (answer.get("reprompt") or {}).get("outputSpeech")
    if reprompt is not None:
        ElementTree.fromstring(reprompt["ssml"])
    if request_type == "SessionEndedRequest":
        return  # Alexa ignores the answer to a session that has ended; an empty one is right
    assert speech is not None or answer.get("shouldEndSession") is True, body


def request_type_of(envelope: Any) -> Any:
    request = envelope.get("request") if isinstance(envelope, dict) else None
    return request.get("type") if isinstance(request, dict) else None


# ---- envelopes --------------------------------------------------------------------------------


@FUZZ
@given(envelope=real_envelopes())
def test_any_request_type_intent_or_slot_gets_a_spoken_answer_or_a_400(client, envelope):
    sent = json.dumps(envelope).encode()
    assert_answered_properly(post(client, sent), sent, request_type_of(envelope))


@FUZZ
@given(envelope=malformed_envelopes())
def test_an_envelope_with_parts_missing_nulled_or_of_the_wrong_type_gets_a_spoken_answer_or_a_400(
        client, envelope):
    sent = json.dumps(envelope).encode()
    assert_answered_properly(post(client, sent), sent, request_type_of(envelope))


@pytest.mark.parametrize("request_type", FOREIGN_REQUEST_TYPES)
def test_a_request_type_the_skill_never_asked_for_is_answered_without_an_error(client, request_type):
    envelope = envelopes.launch_request()
    envelope["request"]["type"] = request_type
    sent = json.dumps(envelope).encode()
    response = post(client, sent)
    assert_answered_properly(response, sent, request_type)
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("part", ["request", "context", "session", "version"])
def test_an_envelope_missing_a_part_alexa_always_sends_is_answered_without_an_error(client, part):
    envelope = envelopes.intent_request("AnswerNumberIntent", {"number": "6"})
    del envelope[part]
    sent = json.dumps(envelope).encode()
    assert_answered_properly(post(client, sent), sent, request_type_of(envelope))


def test_an_envelope_without_a_request_is_a_400(client):
    envelope = envelopes.launch_request()
    del envelope["request"]
    response = post(client, json.dumps(envelope).encode())
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == "the envelope has no request"


@pytest.mark.parametrize("depth", [200, 600, 2000, 20000])
def test_json_nested_hundreds_of_levels_deep_is_a_400_not_a_crash(client, depth):
    # Found by this suite: json.loads and the SDK's deepcopy of session attributes both ran out of
    # stack, and the service answered 500.
    attributes = '{"a":' * depth + "1" + "}" * depth
    envelope = json.dumps(envelopes.intent_request("AMAZON.HelpIntent"))
    sent = envelope.replace('"attributes": {}', f'"attributes": {{"coach": {attributes}}}').encode()
    assert_answered_properly(post(client, sent), sent)


# ---- bodies -----------------------------------------------------------------------------------


@FUZZ
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode)
       | json_values.map(lambda value: json.dumps(value).encode()),
       content_type=st.sampled_from(CONTENT_TYPES))
def test_a_body_that_is_not_an_envelope_is_a_400(client, body, content_type):
    response = post(client, body, content_type)
    assert_answered_properly(response, body)
    assert response.status_code == 400


@FUZZ
@given(content_type=st.sampled_from(CONTENT_TYPES))
def test_a_real_envelope_is_answered_whatever_content_type_it_claims(client, content_type):
    sent = json.dumps(envelopes.launch_request()).encode()
    response = post(client, sent, content_type)
    assert_answered_properly(response, sent, "LaunchRequest")
    assert response.status_code == 200


def envelope_of_size(size: int) -> bytes:
    """A real envelope whose number slot holds enough digits to make it exactly `size` bytes."""
    text = json.dumps(envelopes.intent_request("AnswerNumberIntent", {"number": "6"}))
    sent = text.replace('"value": "6"', '"value": "' + "6" * (size - len(text) + 1) + '"', 1).encode()
    assert len(sent) == size
    return sent


@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, 4 * MAX_BODY_BYTES, 64 * MAX_BODY_BYTES])
def test_a_body_over_64_kib_is_refused_with_413_json(client, size):
    sent = envelope_of_size(size)
    response = post(client, sent)
    assert_answered_properly(response, sent)
    assert response.status_code == 413


def test_an_envelope_of_exactly_64_kib_is_still_answered(client):
    sent = envelope_of_size(MAX_BODY_BYTES)
    assert_answered_properly(post(client, sent), sent, "IntentRequest")


def test_a_chunked_body_over_the_limit_is_refused_with_json_too(app):
    # A chunked upload states no length up front. Werkzeug then reads at most 64 KiB of it (a 413
    # when it reads past that, else the cut-off JSON no longer parses: a 400); either way the
    # skill never sees it.
    sent = b'{"version": "1.0", "pad": "' + b"x" * (2 * MAX_BODY_BYTES) + b'"}'
    with app.test_client() as client:
        response = client.post("/alexa", data=sent, headers={"Content-Type": "application/json",
                                                             "Transfer-Encoding": "chunked"},
                               environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code in (400, 413)
    assert response.get_json()["error"]["code"] in ("bad_request", "payload_too_large")


# ---- verification on ----------------------------------------------------------------------------


@pytest.fixture
def verifying_client(app_config):
    from exporter import create_app

    flask_app = create_app({**app_config, "COACH_ALEXA_VERIFY": "1",
                            "ALEXA_CERT_FETCH": _no_network})
    yield flask_app.test_client()
    flask_app.extensions["plan_store"].close()


def _no_network(url: str) -> bytes:
    raise AssertionError(f"verification tried to fetch {url} while fuzzed headers were invalid")


SIGNATURE_HEADERS = st.fixed_dictionaries({}, optional={
    "SignatureCertChainUrl": st.sampled_from([
        "", "http://s3.amazonaws.com/echo.api/echo-api-cert.pem", "https://evil.example/echo.api/cert.pem",
        "https://s3.amazonaws.com/not-echo.api/cert.pem", "https://s3.amazonaws.com:8443/echo.api/c.pem",
    ]) | st.text(max_size=60),
    "Signature-256": st.text(max_size=60) | st.just("bm90IGEgc2lnbmF0dXJl"),
    "Signature": st.text(max_size=60),
})


@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(envelope=real_envelopes() | malformed_envelopes(), headers=SIGNATURE_HEADERS)
def test_with_verification_on_an_unsigned_or_badly_signed_request_is_a_400(verifying_client, envelope,
                                                                           headers):
    headers = {name: value for name, value in headers.items() if "\n" not in value and "\r" not in value}
    response = verifying_client.post("/alexa", data=json.dumps(envelope).encode(),
                                     headers={"Content-Type": "application/json", **headers})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["code"] == "verification_failed"
