"""Alexa reminders by voice (issue 13): offered after the plan's code, set with consent, moved by a
revision, stopped on request and deleted with the runner's data.

The Reminders API is a local HTTPS fake standing at the envelope's apiEndpoint (the SDK's client
refuses anything but HTTPS): it records every call and answers as the API documents it (201 with
an alertToken; 401 when the bearer token carries no permission; 400 for a trigger with an offset
or without timeZoneId; 404 for an unknown alert token). The tests assert the exact JSON sent.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import re
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from voice_driver import Reply, Runner, filed_plan, in_process

from plans import service
from plans.keys import owner_key
from skill import build, envelopes
from skill import reminders as rules
from skill.prompts import SUPPORTED_LOCALES, for_locale
from tests.samples import TIGHT

GRANTED = "test-token-with-reminders-permission"
# Out of session: the skill's LWA client credentials, and the token the fake LWA hands for them.
CLIENT_ID, CLIENT_SECRET = "amzn1.application-oa2-client.test", "test-client-secret"
LWA_TOKEN = "test-lwa-token-for-the-reminders-scope"
NOT_GRANTED = "test-token-without-permission"
LWA_PATH = "/auth/o2/token"
LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$")  # no offset, no Z


# ---- the fake Reminders API -----------------------------------------------------------------------


@dataclass
class Call:
    method: str
    path: str
    authorization: str | None
    body: Any


@dataclass
class FakeRemindersApi:
    """What the fake was sent, and what it holds (alert token -> the reminder's request)."""

    url: str = ""
    calls: list[Call] = field(default_factory=list)
    reminders: dict[str, Any] = field(default_factory=dict)
    hang: bool = False
    released: threading.Event = field(default_factory=threading.Event)

    def sent(self, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if method is None or c.method == method]

    def clear(self) -> None:
        self.calls.clear()


def _bad_trigger(body: Any) -> str | None:
    trigger = body.get("trigger") if isinstance(body, dict) else None
    if not isinstance(trigger, dict) or trigger.get("type") != "SCHEDULED_ABSOLUTE":
        return "INVALID_TRIGGER_TYPE"
    if not trigger.get("timeZoneId"):
        return "INVALID_TIMEZONE_ID"
    recurrence = trigger.get("recurrence") or {}
    moments = (trigger.get("scheduledTime"), recurrence.get("startDateTime"), recurrence.get("endDateTime"))
    for moment in moments:
        if moment is not None and not LOCAL_TIME.match(moment):
            return "INVALID_TRIGGER_SCHEDULED_TIME_FORMAT"
    rules_sent = recurrence.get("recurrenceRules")
    if not rules_sent or not all(isinstance(r, str) and r.startswith("FREQ=") for r in rules_sent):
        return "INVALID_RECURRENCE_RULES"
    return None


def _handler(api: FakeRemindersApi):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, status: int, body: Any = None) -> None:
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            form = "form-urlencoded" in (self.headers.get("Content-Type") or "")
            body = (dict(parse_qsl(raw.decode())) if form else json.loads(raw)) if raw else None
            api.calls.append(Call(self.command, self.path, self.headers.get("Authorization"), body))
            if api.hang:
                api.released.wait(10)
                return
            if self.path == LWA_PATH:  # Login with Amazon, client credentials
                if body != {"grant_type": "client_credentials", "client_id": CLIENT_ID,
                            "client_secret": CLIENT_SECRET, "scope": rules.SCOPE}:
                    return self._answer(401, {"error": "invalid_client"})
                return self._answer(200, {"access_token": LWA_TOKEN, "token_type": "bearer",
                                          "expires_in": 3600, "scope": rules.SCOPE})
            bearer = self.headers.get("Authorization")
            # An out-of-session token may update and delete, never create (the API's own rule).
            out_of_session = bearer == f"Bearer {LWA_TOKEN}" and self.command != "POST"
            if bearer != f"Bearer {GRANTED}" and not out_of_session:
                return self._answer(401, {"code": "UNAUTHORIZED", "message": "Request is not authorized."})
            base = rules.PATH
            if self.command == "POST" and self.path == base:
                problem = _bad_trigger(body)
                if problem:
                    return self._answer(400, {"code": problem, "message": "Invalid trigger."})
                token = str(uuid.uuid4())
                api.reminders[token] = body
                return self._answer(201, {"alertToken": token, "createdTime": "2026-03-01T12:00:00.000",
                                          "updatedTime": "2026-03-01T12:00:00.000", "status": "ON",
                                          "version": "1", "href": f"{base}/{token}"})
            token = self.path.removeprefix(base + "/")
            if not self.path.startswith(base + "/") or token not in api.reminders:
                return self._answer(404, {"code": "NOT_FOUND", "message": "Reminder not found."})
            if self.command == "PUT":
                problem = _bad_trigger(body)
                if problem:
                    return self._answer(400, {"code": problem, "message": "Invalid trigger."})
                api.reminders[token] = body
                return self._answer(200, {"alertToken": token, "status": "ON", "version": "2"})
            if self.command == "DELETE":
                del api.reminders[token]
                return self._answer(200, {})
            return self._answer(405, {"code": "METHOD_NOT_ALLOWED"})

        do_POST = do_PUT = do_DELETE = do_GET = _serve

    return Handler


def _self_signed(tmp_path) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "api-cert.pem", tmp_path / "api-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def reminders_api(tmp_path, monkeypatch):
    api = FakeRemindersApi()
    cert, key = _self_signed(tmp_path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    api.url = f"https://127.0.0.1:{server.server_address[1]}"
    # The SDK's client is `requests`: trust the fake's certificate, and reach it without a proxy.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", cert)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield api
    api.released.set()
    server.shutdown()
    server.server_close()


# ---- a device that may or may not have granted the permission ----------------------------------------


@dataclass
class Device:
    """What Alexa puts in context.System: the API endpoint, and whether the runner allowed
    reminders (a consent token, and an access token the API accepts)."""

    api: FakeRemindersApi
    granted: bool = False

    def dress(self, envelope: dict) -> dict:
        system = envelope["context"]["System"]
        system["apiEndpoint"] = self.api.url
        system["apiAccessToken"] = GRANTED if self.granted else NOT_GRANTED
        if self.granted:
            system["user"]["permissions"] = {"consentToken": GRANTED}
        return envelope


@pytest.fixture
def device(reminders_api) -> Device:
    return Device(reminders_api)


@pytest.fixture
def runner(voice_skill, device, device_zone) -> Runner:
    device_zone.name = "Europe/London"
    send = in_process(voice_skill)
    return Runner(lambda envelope: send(device.dress(envelope)))


def permission_answered(runner: Runner, status: str, *, code: str = "200") -> Reply:
    """Alexa's Connections.Response to the AskFor request, in the new session it opens."""
    envelope = envelopes.launch_request(user_id=runner.user_id, locale=runner.locale,
                                        session_id=f"amzn1.echo-api.session.permission-{status}")
    envelope["request"] = {
        "type": "Connections.Response", "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": envelope["request"]["timestamp"], "locale": runner.locale, "name": "AskFor",
        "status": {"code": code, "message": "OK" if code == "200" else "Bad Request"},
        "token": "reminders",
        "payload": {"permissionScope": rules.SCOPE, "status": status},
    }
    reply = Reply(runner.send(envelope))
    runner.replies.append(reply)
    runner.attributes = reply.envelope.get("sessionAttributes") or {}
    runner.new_session = reply.ended
    return reply


def file_a_plan(runner: Runner) -> Reply:
    """TIGHT by voice (Monday, Wednesday and Friday at 7), the code heard, no repeat: the offer."""
    runner.launch()
    runner.answer_triage(TIGHT)
    runner.to_the_plan()
    runner.say("AMAZON.YesIntent")  # keep Monday, Wednesday and Friday at 7: the plan is filed
    runner.hear_the_code()
    return runner.say("AMAZON.NoIntent")


def kept_reminders(store, app_config, user_id=envelopes.DEFAULT_USER):
    return store.reminders_for_owner(owner_key(app_config["COACH_SECRET_KEY"].encode(), user_id))


# The plan TIGHT files on Sunday 1 March 2026 (London): sessions from Monday 2 March on Mondays,
# Wednesdays and Fridays at 07:00; its first phase is dated up to Friday 13 March.
SESSIONS_REMINDER = {
    "requestTime": "2026-03-01T12:00:00.000",
    "trigger": {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-03-02T07:00:00.000",
        "timeZoneId": "Europe/London",
        "recurrence": {
            "startDateTime": "2026-03-02T07:00:00.000",
            "endDateTime": "2026-03-13T23:59:00.000",
            "recurrenceRules": ["FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
        },
    },
    "alertInfo": {"spokenInfo": {"content": [{
        "locale": "en-US",
        "text": "Time for your hamstring session. Say: Alexa, ask Hamstring Coach to start my session.",
    }]}},
    "pushNotification": {"status": "ENABLED"},
}
CHECK_IN_REMINDER = {
    **SESSIONS_REMINDER,
    "trigger": {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-03-03T08:00:00.000",
        "timeZoneId": "Europe/London",
        "recurrence": {
            "startDateTime": "2026-03-03T08:00:00.000",
            "endDateTime": "2026-03-14T23:59:00.000",
            "recurrenceRules": ["FREQ=WEEKLY;BYDAY=TU,TH,SA;BYHOUR=8;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
        },
    },
    "alertInfo": {"spokenInfo": {"content": [{
        "locale": "en-US",
        "text": "How did your hamstring session go? Say: Alexa, tell Hamstring Coach I did my session.",
    }]}},
}


def test_the_expected_reminder_is_the_plans_own_schedule(runner, store, app_config):
    """The fixture above, read from the filed plan: first and last dated sessions, their days."""
    file_a_plan(runner)
    plan = filed_plan(store, app_config)
    sessions = [s for s in plan.programme.sessions if s.kind == "session"]
    recurrence = SESSIONS_REMINDER["trigger"]["recurrence"]
    assert recurrence["startDateTime"] == f"{sessions[0].date.isoformat()}T{sessions[0].start_time}:00.000"
    assert recurrence["endDateTime"] == f"{sessions[-1].date.isoformat()}T23:59:00.000"
    assert {s.date.strftime("%a")[:2].upper() for s in sessions} == {"MO", "WE", "FR"}


# ---- the consent conversation ---------------------------------------------------------------------


def test_after_the_code_reminders_are_offered_saying_when_they_ring(runner):
    offer = file_a_plan(runner)

    assert not offer.ended
    assert "every Monday, Wednesday and Friday at 7 in the morning" in offer.speech
    assert offer.speech.endswith("Shall I set that reminder?")
    assert len(offer.speech.split()) <= 40, offer.speech
    assert runner.current_step().kind == "reminder_offer"


def test_yes_without_the_permission_asks_alexa_to_ask_for_it(runner, reminders_api):
    file_a_plan(runner)

    asked = runner.say("AMAZON.YesIntent")

    assert asked.response["directives"] == [{
        "type": "Connections.SendRequest",
        "name": "AskFor",
        "payload": {"@type": "AskForPermissionsConsentRequest", "@version": "1",
                    "permissionScope": "alexa::alerts:reminders:skill:readwrite"},
        "token": "reminders",
    }]
    assert asked.response["shouldEndSession"] is True
    assert reminders_api.calls == [], "nothing is sent before the runner allows it"


def test_consent_accepted_creates_one_recurring_reminder_with_the_plans_rule_zone_and_local_time(
        runner, device, reminders_api, store, app_config):
    file_a_plan(runner)
    runner.say("AMAZON.YesIntent")
    device.granted = True  # the runner said yes to Alexa's own question

    done = permission_answered(runner, "ACCEPTED")

    [call] = reminders_api.calls
    assert (call.method, call.path) == ("POST", "/v1/alerts/reminders")
    assert call.authorization == f"Bearer {GRANTED}"
    assert call.body == SESSIONS_REMINDER
    assert "Done: reminders every Monday, Wednesday and Friday at 7 in the morning." \
        in done.speech
    assert done.speech.endswith("Shall I set that one too?") and not done.ended
    assert "remind you the day after each session, at 8 in the morning" in done.speech
    [kept] = kept_reminders(store, app_config)
    assert kept.plan_id == filed_plan(store, app_config).plan_id
    assert kept.reminders["reminders"]["sessions"]["alert_token"] in reminders_api.reminders

    # The morning after each session, too.
    set_too = runner.say("AMAZON.YesIntent")

    assert [c.method for c in reminders_api.calls] == ["POST", "POST"]
    assert reminders_api.calls[1].body == CHECK_IN_REMINDER
    assert set_too.ended and "the day after each session, at 8 in the morning" in set_too.speech
    assert len(reminders_api.reminders) == 2


def test_with_the_permission_already_given_yes_sets_the_reminder_at_once(runner, device, reminders_api):
    device.granted = True
    file_a_plan(runner)

    done = runner.say("AMAZON.YesIntent")

    assert "directives" not in done.response or not done.response["directives"]
    assert [c.body for c in reminders_api.sent("POST")] == [SESSIONS_REMINDER]
    no_thanks = runner.say("AMAZON.NoIntent")
    assert no_thanks.ended and len(reminders_api.calls) == 1


@pytest.mark.parametrize("status", ["DENIED", "NOT_ANSWERED"])
def test_consent_refused_sends_the_permissions_card_says_so_plainly_and_keeps_the_plan(
        runner, reminders_api, store, app_config, status):
    file_a_plan(runner)
    runner.say("AMAZON.YesIntent")

    refused = permission_answered(runner, status)

    assert refused.card == {"type": "AskForPermissionsConsent",
                            "permissions": ["alexa::alerts:reminders:skill:readwrite"]}
    assert "no reminders" in refused.speech and "Your plan is saved" in refused.speech
    assert "set up my reminders" in refused.speech and refused.ended
    assert reminders_api.calls == []
    assert filed_plan(store, app_config) is not None and kept_reminders(store, app_config) == []


def test_a_device_that_cannot_ask_by_voice_gets_the_card(runner, reminders_api):
    file_a_plan(runner)
    runner.say("AMAZON.YesIntent")

    refused = permission_answered(runner, "NOT_ANSWERED", code="400")

    assert refused.card["type"] == "AskForPermissionsConsent" and refused.ended
    assert reminders_api.calls == []


def test_no_to_the_offer_says_how_to_ask_later_and_sends_nothing(runner, reminders_api):
    file_a_plan(runner)

    declined = runner.say("AMAZON.NoIntent")

    assert declined.ended and "set up my reminders" in declined.speech
    assert reminders_api.calls == []


@pytest.mark.parametrize("days", [("MO", "WE", "FR"), ("MO", "TU", "TH", "SA")])
def test_every_turn_of_the_consent_conversation_is_within_about_40_words(runner, device, store, app_config,
                                                                        days):
    runner.launch()
    runner.answer_triage(TIGHT)
    runner.to_the_plan()
    names = {"MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday",
             "SA": "saturday"}
    runner.say("ChooseDaysIntent", dict(zip(("firstDay", "secondDay", "thirdDay", "fourthDay"),
                                            (names[d] for d in days), strict=False)))
    runner.say("ChooseTimeIntent", {"time": "18:30"})
    runner.hear_the_code()
    turns = [runner.say("AMAZON.NoIntent"), runner.say("AMAZON.YesIntent")]
    device.granted = True
    turns += [permission_answered(runner, "ACCEPTED"), runner.say("AMAZON.YesIntent")]
    assert turns[-1].ended
    for reply in turns:
        assert len(reply.speech.split()) <= 40, reply.speech  # design.md §5


# ---- errors: said plainly, the plan kept ------------------------------------------------------------


def test_a_401_from_the_api_is_said_plainly_with_the_card_and_the_plan_kept(
        runner, device, reminders_api, store, app_config):
    file_a_plan(runner)
    runner.say("AMAZON.YesIntent")
    # Alexa said it was accepted, but the token the API gets carries no permission (withdrawn since).
    refused = permission_answered(runner, "ACCEPTED")

    assert [c.authorization for c in reminders_api.calls] == [f"Bearer {NOT_GRANTED}"]
    assert "doesn't have your permission" in refused.speech and "Your plan is saved" in refused.speech
    assert refused.card["type"] == "AskForPermissionsConsent" and refused.ended
    assert filed_plan(store, app_config) is not None and kept_reminders(store, app_config) == []


def test_an_api_that_hangs_is_given_up_on_in_time_and_said_plainly(
        runner, device, reminders_api, store, app_config, monkeypatch):
    monkeypatch.setattr(build, "SETTINGS_API_TIMEOUT_SECONDS", (0.5, 0.5))
    device.granted = True
    file_a_plan(runner)
    reminders_api.hang = True

    started = dt.datetime.now(dt.UTC)
    reply = runner.say("AMAZON.YesIntent")
    waited = (dt.datetime.now(dt.UTC) - started).total_seconds()

    assert waited < 3, waited
    assert "couldn't reach Alexa reminders" in reply.speech and "Your plan is saved" in reply.speech
    assert reply.ended and len(reminders_api.calls) == 1
    assert filed_plan(store, app_config) is not None and kept_reminders(store, app_config) == []


def test_a_trigger_the_api_refuses_is_said_plainly(runner, device, reminders_api, monkeypatch):
    device.granted = True
    file_a_plan(runner)
    real = rules.reminder_request

    def with_an_offset(*args, **kwargs):
        body = real(*args, **kwargs)
        body["trigger"]["scheduledTime"] += "+00:00"
        body["trigger"]["recurrence"]["startDateTime"] += "+00:00"
        return body

    monkeypatch.setattr(rules, "reminder_request", with_an_offset)
    reply = runner.say("AMAZON.YesIntent")

    assert "wouldn't take that reminder" in reply.speech and "Your plan is saved" in reply.speech
    assert reply.ended and reminders_api.reminders == {}


# ---- a revision moves them; stop; delete my data -------------------------------------------------------


def _with_reminders(runner, device) -> None:
    device.granted = True
    file_a_plan(runner)
    runner.say("AMAZON.YesIntent")
    runner.say("AMAZON.YesIntent")  # the morning after, too


def test_a_revision_moves_the_reminders_on_the_next_visit(runner, device, reminders_api, store, app_config,
                                                         clock):
    _with_reminders(runner, device)
    plan = filed_plan(store, app_config)
    [kept] = kept_reminders(store, app_config)
    tokens = {rule: made["alert_token"] for rule, made in kept.reminders["reminders"].items()}
    reminders_api.clear()
    # Monday's session hurt (a red day) on the plan page: the plan steps back and is re-dated.
    clock.advance(days=1, hours=2)  # Monday 2 March, 14:00
    checked = service.check_in(store, None, {"session": "done", "pain_during": 7}, now=clock(),
                               owner_key=kept_owner(app_config))
    assert checked.changed and checked.plan.revision > plan.revision
    revised = checked.plan

    runner.launch()  # the next visit brings them in step

    moved = {c.path.rsplit("/", 1)[-1]: c for c in reminders_api.calls}
    assert all(c.method in ("PUT", "DELETE") for c in reminders_api.calls), reminders_api.calls
    assert set(moved) <= set(tokens.values()) and moved
    for rule_id, token in tokens.items():
        call = moved.get(token)
        if call is None or call.method == "DELETE":
            continue
        rule = rules.RULES_BY_ID[rule_id]
        expected = rules.schedule_for(revised.programme, rule, dt.datetime(2026, 3, 2, 14, 0))
        recurrence = call.body["trigger"]["recurrence"]
        assert recurrence["startDateTime"] == f"{expected.first.isoformat()}T{expected.time}:00.000"
        assert recurrence["endDateTime"] == f"{expected.last.isoformat()}T23:59:00.000"
        assert recurrence["recurrenceRules"] == [rules.recurrence_rule(expected)]
        assert call.body["trigger"]["timeZoneId"] == "Europe/London"
        assert call.body["requestTime"] == "2026-03-02T14:00:00.000"
    [kept_after] = kept_reminders(store, app_config)
    assert kept_after.reminders["revision"] == revised.revision
    # Said once: the same revision on the next turn sends nothing more.
    reminders_api.clear()
    runner.say("AMAZON.NoIntent")
    assert reminders_api.calls == []


def test_passing_the_move_on_check_on_the_page_moves_both_reminders_to_the_next_phase(
        runner, device, reminders_api, store, app_config, clock):
    _with_reminders(runner, device)
    [kept] = kept_reminders(store, app_config)
    tokens = {rule: made["alert_token"] for rule, made in kept.reminders["reminders"].items()}
    reminders_api.clear()
    clock.advance(days=14, hours=21)  # Monday 16 March, 09:00 in London: the move-on check is due
    gate = filed_plan(store, app_config).programme.pending_gate
    moved_on = service.check_in(store, None, {"criteria": {c.id: True for c in gate.criteria}}, now=clock(),
                                owner_key=kept_owner(app_config))
    assert moved_on.check_in.verdict == "progress" and moved_on.changed

    runner.launch()

    assert [(c.method, c.path) for c in reminders_api.calls] == [
        ("PUT", f"/v1/alerts/reminders/{tokens['sessions']}"),
        ("PUT", f"/v1/alerts/reminders/{tokens['check_in']}"),
    ]
    sessions, check_in = (c.body for c in reminders_api.calls)
    assert sessions == {**SESSIONS_REMINDER, "requestTime": "2026-03-16T09:00:00.000", "trigger": {
        "type": "SCHEDULED_ABSOLUTE",
        "scheduledTime": "2026-03-18T07:00:00.000",
        "timeZoneId": "Europe/London",
        "recurrence": {
            "startDateTime": "2026-03-18T07:00:00.000",
            "endDateTime": "2026-03-30T23:59:00.000",
            "recurrenceRules": ["FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
        },
    }}
    assert check_in["trigger"]["recurrence"] == {
        "startDateTime": "2026-03-19T08:00:00.000",
        "endDateTime": "2026-03-31T23:59:00.000",
        "recurrenceRules": ["FREQ=WEEKLY;BYDAY=TU,TH,SA;BYHOUR=8;BYMINUTE=0;BYSECOND=0;INTERVAL=1"],
    }
    assert set(reminders_api.reminders) == set(tokens.values()), "moved, not made again"


def kept_owner(app_config, user_id=envelopes.DEFAULT_USER) -> str:
    return owner_key(app_config["COACH_SECRET_KEY"].encode(), user_id)


def test_stop_my_reminders_deletes_them_and_leaves_the_plan(runner, device, reminders_api, store, app_config):
    _with_reminders(runner, device)
    tokens = set(reminders_api.reminders)
    reminders_api.clear()

    stopped = runner.say("StopRemindersIntent")

    assert sorted((c.method, c.path) for c in reminders_api.calls) == sorted(
        ("DELETE", f"/v1/alerts/reminders/{token}") for token in tokens)
    assert reminders_api.reminders == {} and kept_reminders(store, app_config) == []
    assert "deleted your Hamstring Coach reminders" in stopped.speech and stopped.ended
    assert filed_plan(store, app_config) is not None
    again = runner.say("StopRemindersIntent")
    assert "don't have any reminders" in again.speech


def test_stop_my_reminders_when_the_api_is_away_says_they_are_still_set(
        runner, device, reminders_api, store, app_config, monkeypatch):
    monkeypatch.setattr(build, "SETTINGS_API_TIMEOUT_SECONDS", (0.5, 0.5))
    _with_reminders(runner, device)
    reminders_api.hang = True

    reply = runner.say("StopRemindersIntent")

    assert "they're still set" in reply.speech and "Alexa app" in reply.speech
    assert len(kept_reminders(store, app_config)) == 1, "what could not be deleted is still known"


def test_delete_my_data_deletes_the_reminders_first(runner, device, reminders_api, store, app_config):
    _with_reminders(runner, device)
    tokens = set(reminders_api.reminders)
    reminders_api.clear()

    runner.say("DeleteMyDataIntent")
    deleted = runner.say("AMAZON.YesIntent")

    assert sorted(c.path for c in reminders_api.sent("DELETE")) == sorted(
        f"/v1/alerts/reminders/{token}" for token in tokens)
    assert reminders_api.reminders == {}
    assert "deleted your plan" in deleted.speech and deleted.ended
    assert filed_plan(store, app_config) is None


def test_delete_my_data_still_deletes_the_data_when_the_reminders_cannot_be_reached(
        runner, device, reminders_api, store, app_config, monkeypatch):
    monkeypatch.setattr(build, "SETTINGS_API_TIMEOUT_SECONDS", (0.5, 0.5))
    _with_reminders(runner, device)
    reminders_api.hang = True

    runner.say("DeleteMyDataIntent")
    deleted = runner.say("AMAZON.YesIntent")

    assert "may need deleting in the Alexa app" in deleted.speech
    assert "deleted your plan" in deleted.speech
    assert filed_plan(store, app_config) is None


def test_set_up_my_reminders_later_sets_them_and_again_says_they_are_set(runner, device, reminders_api):
    file_a_plan(runner)
    runner.say("AMAZON.NoIntent")
    device.granted = True

    first = runner.say("SetUpRemindersIntent")
    assert [c.body for c in reminders_api.calls] == [SESSIONS_REMINDER]
    assert "Shall I set that one too?" in first.speech
    runner.say("AMAZON.NoIntent")

    again = runner.say("SetUpRemindersIntent")
    assert "Your reminders are set: every Monday, Wednesday and Friday at 7 in the morning" in again.speech
    assert len(reminders_api.sent("POST")) == 1


def test_set_up_my_reminders_without_a_plan_says_there_is_none(runner, device, reminders_api):
    device.granted = True
    reply = runner.say("SetUpRemindersIntent")
    assert "don't have a plan yet" in reply.speech and reminders_api.calls == []


# ---- the rules and the record -------------------------------------------------------------------------


def test_alert_tokens_are_sealed_at_rest_and_never_logged(runner, device, reminders_api, store, caplog,
                                                          sqlite_url):
    import logging
    import sqlite3

    caplog.set_level(logging.DEBUG)
    _with_reminders(runner, device)
    tokens = set(reminders_api.reminders)
    assert tokens
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        [(sealed,)] = db.execute("SELECT sealed_reminders FROM plans").fetchall()
    assert sealed and not any(token in sealed for token in tokens)
    assert not any(token in record.getMessage() for record in caplog.records for token in tokens)


def test_a_plan_with_nothing_dated_ahead_has_no_reminder_schedule(store, clock):
    from tests.samples import LONDON_MWF, TIGHTNESS

    filed = service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="runner", now=clock())
    last = max(s.date for s in filed.plan.programme.sessions if s.kind == "session")
    after = dt.datetime.combine(last + dt.timedelta(days=2), dt.time(12))
    assert rules.schedule_for(filed.plan.programme, rules.SESSIONS, after) is None


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_reminder_turn_that_says_what_to_say_names_the_skill(locale):
    """After the session ends Alexa hears only "Alexa, ...": so do the reminders' closing words."""
    text = for_locale(locale).text
    closing = [key for key in text if key.startswith(("reminders_", "check_in_reminder_"))]
    assert len(closing) >= 10
    unnamed = [key for key in closing
               if re.search(r"\bsay\b", text[key], re.I) and "Hamstring Coach" not in text[key]]
    assert not unnamed


# ---- out of session: a check-in on the plan page moves them at once ------------------------------


def plan_token(runner: Runner) -> str:
    """The plan's token, from the link on the filing turn's card."""
    card = next(r.card["content"] for r in runner.replies
                if r.card and "/plans/" in r.card.get("content", ""))
    return re.search(r"/plans/(\S+)", card).group(1)


def test_a_check_in_on_the_plan_page_moves_them_at_once_with_the_skills_lwa_token(
        runner, device, reminders_api, store, app_config, clock):
    from exporter import create_app

    _with_reminders(runner, device)
    token = plan_token(runner)
    [kept] = kept_reminders(store, app_config)
    tokens = {rule: made["alert_token"] for rule, made in kept.reminders["reminders"].items()}
    reminders_api.clear()
    clock.advance(days=14, hours=21)  # Monday 16 March, 09:00 in London: the move-on check is due
    gate = filed_plan(store, app_config).programme.pending_gate
    web = create_app({**app_config, "PLAN_STORE": store, "COACH_ALEXA_CLIENT_ID": CLIENT_ID,
                      "COACH_ALEXA_CLIENT_SECRET": CLIENT_SECRET,
                      "ALEXA_LWA_URL": reminders_api.url + LWA_PATH})

    answer = web.test_client().post(f"/api/plans/{token}/checkins",
                                    json={"criteria": {c.id: True for c in gate.criteria}})

    assert answer.status_code == 201 and answer.get_json()["changed"] is True
    lwa, *moved = reminders_api.calls
    assert (lwa.method, lwa.path, lwa.body["scope"]) == ("POST", LWA_PATH, rules.SCOPE)
    assert [(c.method, c.path, c.authorization) for c in moved] == [
        ("PUT", f"/v1/alerts/reminders/{tokens['sessions']}", f"Bearer {LWA_TOKEN}"),
        ("PUT", f"/v1/alerts/reminders/{tokens['check_in']}", f"Bearer {LWA_TOKEN}"),
    ]
    assert moved[0].body["trigger"]["recurrence"]["startDateTime"] == "2026-03-18T07:00:00.000"
    assert moved[0].body["trigger"]["recurrence"]["endDateTime"] == "2026-03-30T23:59:00.000"
    assert moved[0].body["requestTime"] == "2026-03-16T09:00:00.000"
    assert moved[1].body["trigger"]["recurrence"]["startDateTime"] == "2026-03-19T08:00:00.000"
    # Already in step: the next voice visit sends nothing.
    reminders_api.clear()
    runner.launch()
    assert reminders_api.calls == []


def test_deleting_the_plan_over_the_api_deletes_its_reminders_with_the_skills_lwa_token(
        runner, device, reminders_api, store, app_config):
    from exporter import create_app

    _with_reminders(runner, device)
    tokens = set(reminders_api.reminders)
    reminders_api.clear()
    web = create_app({**app_config, "PLAN_STORE": store, "COACH_ALEXA_CLIENT_ID": CLIENT_ID,
                      "COACH_ALEXA_CLIENT_SECRET": CLIENT_SECRET,
                      "ALEXA_LWA_URL": reminders_api.url + LWA_PATH})

    assert web.test_client().delete(f"/api/plans/{plan_token(runner)}").status_code == 204

    deletes = reminders_api.sent("DELETE")
    assert sorted(c.path for c in deletes) == sorted(f"/v1/alerts/reminders/{token}" for token in tokens)
    assert all(c.authorization == f"Bearer {LWA_TOKEN}" for c in deletes)
    assert reminders_api.reminders == {} and filed_plan(store, app_config) is None


def test_without_lwa_credentials_the_plan_page_leaves_them_for_the_next_visit(
        runner, device, reminders_api, store, app_config, clock):
    from exporter import create_app

    _with_reminders(runner, device)
    reminders_api.clear()
    clock.advance(days=14, hours=21)
    plan = filed_plan(store, app_config)
    web = create_app({**app_config, "PLAN_STORE": store})
    criteria = {c.id: True for c in plan.programme.pending_gate.criteria}

    answer = web.test_client().post(f"/api/plans/{plan_token(runner)}/checkins", json={"criteria": criteria})

    assert answer.status_code == 201 and reminders_api.calls == []
    runner.launch()
    assert [c.method for c in reminders_api.calls] == ["PUT", "PUT"]
    assert all(c.authorization == f"Bearer {GRANTED}" for c in reminders_api.calls)
