"""Nothing a runner says, and nothing that opens their plan, is ever written to a log.

Everything is captured while a whole voice conversation files a plan and the plan is exported
every way there is (API, page, PDF, calendar, short code): every log record at DEBUG and above
from every logger, with its arguments and any traceback, plus whatever reached stdout and stderr;
and, in the second test, the output of the real server (`python -m exporter.serve` under
gunicorn, its root logger at DEBUG). Then it is searched for the leaks `conftest.leaks` defines.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from privacy_runner import (
    ANSWERS,
    RUNNER_ID,
    Conversation,
    leaks,
    over_test_client,
    spoken_code,
    token_on_card,
)

from bench.common import free_port, stop_process
from plans.keys import owner_key

ROOT = Path(__file__).resolve().parents[2]
SECRET = "privacy-test-secret-key-0123456789-abcdefghijkl"


@pytest.mark.parametrize("line", [
    f"turn for {RUNNER_ID}",
    "filed answers={'pain_score': 7}",
    'body {"answers": {"days_since": 23}}',
    "days_since=23 location=lower_buttock",
    '"slots": {"number": {"name": "number", "value": "7"}}',
    "validation failed at answers.pain_score",
    "heard 'sit bone' from the runner",
])
def test_the_leak_detector_finds_each_kind_of_leak(line):
    assert leaks(line)


def test_the_leak_detector_finds_tokens_and_codes_it_is_given():
    assert leaks("GET /plans/Abc_123-xyz.pdf 200", secrets=["Abc_123-xyz"])
    assert leaks("code 7KXH4R wrong", secrets=["7KXH4R"])
    assert not leaks("GET /plans/<token>.pdf 200 in 3 ms; 7 workers, 23 requests", secrets=["Abc_123-xyz"])


def _export_everything(client, token: str, code: str) -> None:
    for path in (f"/plans/{token}", f"/plans/{token}.pdf", f"/plans/{token}.ics", f"/api/plans/{token}",
                 f"/c/{code}", "/c/AAAAAA"):
        assert client.get(path).status_code in (200, 302, 400, 404), path
    etag = client.get(f"/plans/{token}.ics").headers["ETag"]
    assert client.get(f"/plans/{token}.ics", headers={"If-None-Match": etag}).status_code == 304


def _record_text(record: logging.LogRecord) -> str:
    text = f"{record.name} {record.levelname} {record.getMessage()} {record.args!r}"
    if record.exc_info:
        text += logging.Formatter().formatException(record.exc_info)
    return text + (record.stack_info or "")


def _converse_and_export(client) -> list[str]:
    """The whole conversation, then every export of its plan and of one made over the API.
    Returns the secrets it met: tokens and codes."""
    voice = Conversation(over_test_client(client))
    final = voice.file_a_plan()
    voice_token, voice_code = token_on_card(final), spoken_code(final)
    voice.say("TodaysSessionIntent")

    created = client.post("/api/plans", json={"answers": ANSWERS,
                                              "preferences": {"timezone": "Europe/London"}})
    assert created.status_code == 201
    api_token, api_code = created.get_json()["token"], created.get_json()["code"]
    refused = client.post("/api/plans", json={"answers": {**ANSWERS, "location": "kneecap"}})
    assert refused.status_code == 400
    for token, code in ((voice_token, voice_code), (api_token, api_code)):
        _export_everything(client, token, code)
    assert client.delete(f"/api/plans/{api_token}").status_code == 204
    return [voice_token, voice_code, api_token, api_code]


@pytest.mark.each_database
def test_a_conversation_and_every_export_log_no_answer_id_token_or_code(client, caplog, capfd):
    # The root logger at DEBUG, as an operator chasing a problem would set it. Libraries keep the
    # levels they set for themselves (SQLAlchemy's SQL echo stays off unless asked for); loggers
    # that do not pass their records up to the root are listened to directly.
    caplog.set_level(logging.DEBUG)
    detached = [logger for logger in logging.root.manager.loggerDict.values()
                if isinstance(logger, logging.Logger) and not logger.propagate]
    for logger in detached:
        logger.addHandler(caplog.handler)
    try:
        secrets = _converse_and_export(client)
    finally:
        for logger in detached:
            logger.removeHandler(caplog.handler)

    captured = "\n".join(_record_text(record) for record in caplog.records)
    out, err = capfd.readouterr()
    # The capture works: the time-zone fallback (no Settings API here) logs at INFO.
    assert "Settings API time zone unavailable" in captured
    secrets.append(owner_key(client.application.config["COACH"].secret_key, RUNNER_ID))
    assert leaks("\n".join([captured, out, err]), secrets=secrets) == [], captured[-3000:]


# ---- the real server -----------------------------------------------------------------------------

# The server as `make run` starts it, with every logger at DEBUG on stderr.
SERVE_WITH_DEBUG_LOGS = (
    "import logging, sys\n"
    "logging.basicConfig(level=logging.DEBUG, stream=sys.stderr,"
    " format='%(name)s %(levelname)s %(message)s')\n"
    "from exporter.serve import main\n"
    "sys.exit(main(['--workers', '2']))\n"
)


class Server:
    def __init__(self, base: str):
        self.base = base

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def send_envelope(self, envelope: dict) -> dict:
        status, _, body = self.request("POST", "/alexa", json.dumps(envelope).encode(),
                                       {"Content-Type": "application/json"})
        assert status == 200, body[:300]
        return json.loads(body)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def served(tmp_path):
    port = free_port()
    log_path = tmp_path / "server.log"
    environment = {
        **os.environ,
        "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.sqlite3'}",
        "COACH_SECRET_KEY": SECRET,
        "COACH_BASE_URL": f"http://127.0.0.1:{port}",
        "COACH_ALEXA_VERIFY": "0",
        "COACH_BIND_HOST": "127.0.0.1",
        "PORT": str(port),
    }
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-c", SERVE_WITH_DEBUG_LOGS], cwd=ROOT, env=environment,
                                   stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                assert process.poll() is None, log_path.read_text(errors="replace")
                assert time.monotonic() < deadline, "the server did not start in 30 s"
                time.sleep(0.1)
        yield Server(f"http://127.0.0.1:{port}"), log_path
    finally:
        stop_process(process, grace=15)


@pytest.mark.system
def test_the_real_server_logs_nothing_personal_at_debug(served):
    server, log_path = served
    voice = Conversation(server.send_envelope)
    final = voice.file_a_plan()
    token, code = token_on_card(final), spoken_code(final)

    status, _, body = server.request("POST", "/api/plans", json.dumps({"answers": ANSWERS}).encode(),
                                     {"Content-Type": "application/json"})
    assert status == 201
    api = json.loads(body)
    status, _, _ = server.request("POST", "/api/plans", b'{"answers": {"pain_score": "seven"}}',
                                  {"Content-Type": "application/json"})
    assert status == 400
    for plan_token, plan_code in ((token, code), (api["token"], api["code"])):
        for path in (f"/plans/{plan_token}", f"/plans/{plan_token}.pdf", f"/plans/{plan_token}.ics",
                     f"/api/plans/{plan_token}", f"/c/{plan_code}"):
            assert server.request("GET", path)[0] in (200, 302), path
    assert server.request("DELETE", f"/api/plans/{api['token']}")[0] == 204

    time.sleep(0.5)  # let the workers' last lines reach the file
    logged = log_path.read_text(errors="replace")
    assert "Booting worker" in logged and "Settings API time zone unavailable" in logged, logged[-2000:]
    secrets = [token, code, api["token"], api["code"], owner_key(SECRET.encode(), RUNNER_ID)]
    assert leaks(logged, secrets=secrets) == [], logged[-3000:]
