"""The Alexa Settings API (asked for the device's time zone when the plan is filed) may accept a
connection and then say nothing: a Lambda in a VPC without a way out, a network that drops
packets. Alexa waits 8 seconds for a whole turn; the skill must give up on the time zone in time,
file the plan in UTC, and answer."""

from __future__ import annotations

import socket
import threading

import pytest
from coach_server import Voice

from tests.samples import TIGHT

pytestmark = pytest.mark.system



@pytest.fixture
def silent_settings_api():
    """An HTTPS address that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stopping = threading.Event()

    def accept() -> None:
        while not stopping.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    stopping.set()
    listener.close()
    for connection in held:
        connection.close()


def test_a_settings_api_that_never_answers_does_not_cost_the_runner_their_plan(
        tmp_path, servers, silent_settings_api):
    # One worker, and gunicorn's own 30-second limit on a request: a lookup that waits for ever
    # gets the worker killed and the runner hears Alexa's error instead of their plan.
    server = servers(f"sqlite:///{tmp_path / 'coach.sqlite3'}", workers=1)
    voice = Voice(server, settings_api=silent_settings_api)
    voice.launch()
    filed = voice.answer_until_the_end(TIGHT)
    assert "Your plan is ready" in filed.speech
    plan = server.request("GET", "/api/plans/" + filed.card_text.split("/plans/")[1].split()[0]).json()
    assert plan["preferences"]["timezone"] == "UTC"
