"""The plan service as it runs in production, for tests that must hurt it: `python -m exporter.serve`
(gunicorn, 2 sync workers) in a process group of its own on a free loopback port, its log in a
file; killed with SIGKILL (master and workers at once), stopped, or restarted on the same database.

Also a runner's voice over real HTTP (`Voice`), and a PostgreSQL server of the test's own that can
be stopped and started again (`StoppablePostgres`): the session-wide one in tests/conftest.py is
shared with every other test and must stay up.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.common import free_port
from skill import envelopes
from skill.conversation import State
from tests import samples

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "fault-tests-secret-key-0123456789-abcdefghijkl"
BASE_URL = "https://coach.example"
START_TIMEOUT_S = 60
REQUEST_TIMEOUT_S = 30
# A port nothing listens on, for the Settings API the skill asks for the device's time zone:
# refused at once, so the skill falls back to UTC without waiting on the network.
NO_SETTINGS_API = "http://127.0.0.1:9"

# The sample request body (tests/samples.py), as the bytes POST /api/plans is sent.
PLAN_REQUEST = json.dumps(samples.PLAN_REQUEST).encode()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class HttpClient:
    """One keep-alive connection, as a client thread or a calendar app would hold."""

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT_S):
        self.port = port
        self.timeout = timeout
        self._connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Answer:
        if self._connection is None:
            self._connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        all_headers = dict(headers or {})
        if body is not None:
            all_headers.setdefault("Content-Type", "application/json")
        try:
            self._connection.request(method, path, body=body, headers=all_headers)
            response = self._connection.getresponse()
            return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class CoachServer:
    """`python -m exporter.serve --workers N` on `database_url`, in its own process group."""

    def __init__(self, database_url: str, workdir: Path, *, name: str = "server", workers: int = 2,
                 secret_key: str = SECRET_KEY, environment: Mapping[str, str] | None = None):
        self.database_url = database_url
        self.workdir = workdir
        self.name = name
        self.workers = workers
        self.secret_key = secret_key
        self.environment = dict(environment or {})
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self.log_path = workdir / f"{name}.log"
        self._log = None

    # ---- life --------------------------------------------------------------------------------

    def start(self) -> CoachServer:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
        env.update({
            "PYTHONPATH": str(ROOT),
            "PORT": str(self.port),
            "COACH_BIND_HOST": "127.0.0.1",
            "COACH_DATABASE_URL": self.database_url,
            "COACH_SECRET_KEY": self.secret_key,
            "COACH_BASE_URL": BASE_URL,
            "COACH_ALEXA_VERIFY": "0",
            **self.environment,
        })
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - kept open for the server's lifetime
        self.process = subprocess.Popen(
            [sys.executable, "-m", "exporter.serve", "--workers", str(self.workers)],
            cwd=self.workdir, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: one signal reaches master and workers
        )
        self._wait_until_answering()
        return self

    def _wait_until_answering(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        client = HttpClient(self.port, timeout=5)
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.log()}")
                try:
                    client.request("GET", "/healthz")  # 200 or 503: either way a worker answers
                    return
                except OSError:
                    time.sleep(0.05)
            raise AssertionError(f"{self.name} did not answer within {START_TIMEOUT_S} s:\n{self.log()}")
        finally:
            client.close()

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: nothing gets to clean up."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._reap_group()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            self._reap_group()
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill()
        self._reap_group()

    def _reap_group(self) -> None:
        # Workers outlive a master killed first; make sure none is left holding the database.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        if self._log is not None:
            self._log.close()
            self._log = None

    def restart(self) -> CoachServer:
        self.stop()
        return self.start()

    def __enter__(self) -> CoachServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # ---- talking to it ---------------------------------------------------------------------

    def client(self) -> HttpClient:
        return HttpClient(self.port)

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: Mapping[str, str] | None = None) -> Answer:
        client = self.client()
        try:
            return client.request(method, path, body, headers)
        finally:
            client.close()

    def alexa(self, envelope: dict[str, Any]) -> dict[str, Any]:
        """One turn through POST /alexa (verification is off: the server listens on loopback)."""
        answer = self.request("POST", "/alexa", json.dumps(envelope).encode())
        assert answer.status == 200, (answer.status, answer.body[:500])
        return answer.json()

    def create_plan(self) -> Answer:
        return self.request("POST", "/api/plans", PLAN_REQUEST)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@pytest.fixture
def servers(tmp_path):
    """`servers(database_url, **options)` → a started CoachServer. Every one still running is
    killed after the test (a graceful stop takes seconds and proves nothing more here). Their logs
    are printed then: pytest shows them only when the test failed."""
    started: list[CoachServer] = []

    def start(database_url: str, **options) -> CoachServer:
        name = options.pop("name", f"server{len(started) + 1}")
        server = CoachServer(database_url, tmp_path / name, name=name, **options)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        if server.process is not None and server.process.poll() is None:
            server.kill()
        print(f"---- {server.name} log ----\n{server.log()[-6000:]}")


# ---- a runner talking to POST /alexa ---------------------------------------------------------


@dataclass
class Reply:
    envelope: dict[str, Any]

    @property
    def speech(self) -> str:
        import re

        ssml = (self.envelope.get("response", {}).get("outputSpeech") or {}).get("ssml", "")
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", ssml)).strip()

    @property
    def ssml(self) -> str:
        return (self.envelope.get("response", {}).get("outputSpeech") or {}).get("ssml", "")

    @property
    def ended(self) -> bool:
        return self.envelope.get("response", {}).get("shouldEndSession") is True

    @property
    def card_text(self) -> str:
        return (self.envelope.get("response", {}).get("card") or {}).get("content", "")

    @property
    def attributes(self) -> dict[str, Any]:
        return self.envelope.get("sessionAttributes") or {}


@dataclass
class Voice:
    """One runner's Echo. Each turn goes to whichever skill `server` names at the time (anything
    with `alexa(envelope) -> response envelope`: a CoachServer, a Lambda process), carrying the
    session attributes the last reply gave, exactly as Alexa would."""

    server: Any
    user_id: str = envelopes.DEFAULT_USER
    # Where the skill asks for the device's time zone (the request's apiEndpoint).
    settings_api: str = NO_SETTINGS_API
    attributes: dict[str, Any] | None = None
    session: int = 0
    replies: list[Reply] = field(default_factory=list)

    def launch(self) -> Reply:
        self.session += 1
        self.attributes = None
        return self._send(envelopes.launch_request(user_id=self.user_id, session_id=self._session_id()))

    def say(self, intent: str, slots: Mapping[str, str] | None = None,
            resolutions: Mapping[str, str] | None = None) -> Reply:
        return self._send(envelopes.intent_request(
            intent, slots, resolutions=resolutions, user_id=self.user_id,
            session_attributes=self.attributes, new=False, session_id=self._session_id(),
        ))

    def step(self):
        return State.from_attributes((self.attributes or {}).get("coach")).step()

    def answer(self, answers: Mapping[str, object]) -> Reply:
        """Answer whatever is asked now from `answers` (unlisted questions "no"); yes to the
        offered days and time, yes to carrying on and to hearing the code, no to hearing it again."""
        step = self.step()
        if step.kind in ("code_repeat", "reminder_offer"):  # heard the code; no reminders, thanks
            return self.say("AMAZON.NoIntent")
        if step.kind != "question":
            return self.say("AMAZON.YesIntent")
        value = answers.get(step.question_id, "no")
        if step.question_id == "location":
            return self.say("AnswerLocationIntent", {"location": str(value)}, {"location": str(value)})
        if step.question_id == "onset":
            return self.say("AnswerOnsetIntent", {"onset": str(value)}, {"onset": str(value)})
        if isinstance(value, int):
            return self.say("AnswerNumberIntent", {"number": str(value)})
        if value in ("unsure", "not_done"):
            return self.say("UnsureIntent")
        return self.say("AMAZON.YesIntent" if value == "yes" else "AMAZON.NoIntent")

    def answer_until_the_end(self, answers: Mapping[str, object], limit: int = 25) -> Reply:
        """Answer until the session ends. Returns the turn that filed the plan (the one with the
        card: "Your plan is ready", the link and the code), or the last turn when none did."""
        start = len(self.replies)
        for _ in range(limit):
            reply = self.answer(answers)
            if reply.ended:
                return next((r for r in reversed(self.replies[start:]) if r.card_text), reply)
        raise AssertionError(f"the conversation did not end in {limit} turns: {self.replies[-1].speech}")

    def _session_id(self) -> str:
        return f"amzn1.echo-api.session.fault-test-{self.user_id[-8:]}-{self.session}"

    def _send(self, envelope: dict[str, Any]) -> Reply:
        envelope["context"]["System"]["apiEndpoint"] = self.settings_api
        reply = Reply(self.server.alexa(envelope))
        self.replies.append(reply)
        self.attributes = reply.attributes
        return reply


# ---- a PostgreSQL server this test may stop ----------------------------------------------------


def _postgres_bindir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0)
    if not found:
        raise AssertionError("PostgreSQL server binaries are missing; `make test` installs them")
    return found[-1].parent


def _as_server_user(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class StoppablePostgres:
    """initdb into a temporary directory; `start()` and `stop()` as often as a test likes, always
    on the same port, so a service configured with `url` sees the same server come back."""

    USER = "coach"

    def __init__(self) -> None:
        self.bindir = _postgres_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="coach-faults-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.root, user="postgres", group="postgres")
        subprocess.run(
            _as_server_user([str(self.bindir / "initdb"), "-D", str(self.data), "-U", self.USER,
                             "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]),
            check=True, capture_output=True,
        )

    @property
    def url(self) -> str:
        return f"postgresql://{self.USER}@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        result = subprocess.run(
            _as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l",
                             str(self.root / "server.log"), "-w", "-t", "60", "-o", options, "start"]),
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")
            raise AssertionError(f"PostgreSQL would not start: {result.stdout}{result.stderr}\n{log}")

    def stop(self) -> None:
        subprocess.run(_as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                                        "-w", "stop"]), capture_output=True)

    def remove(self) -> None:
        subprocess.run(_as_server_user([str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m",
                                        "immediate", "stop"]), capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)
