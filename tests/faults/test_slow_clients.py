"""Issue 14, finding 13: `make run` (python -m exporter.serve, no proxy in front) must keep
answering while clients trickle their requests in. With two sync workers, two clients sending a
header line a second held both workers, and /healthz waited for them. The real server here, with
slow clients on real sockets, all on 127.0.0.1."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

SLOW_CLIENTS = 4  # two would stall two sync workers; twice that leaves no doubt
TRICKLE_EVERY_S = 0.5
TRICKLE_FOR_S = 12.0
ANSWER_WITHIN_S = 2.0

pytestmark = pytest.mark.system  # the real server, in processes of its own


class SlowClient:
    """Sends a request line, then one header line every TRICKLE_EVERY_S, never the blank line
    that ends the headers, for TRICKLE_FOR_S at most."""

    def __init__(self, port: int, stop: threading.Event):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        self.stop = stop
        self.thread = threading.Thread(target=self._trickle, daemon=True)
        self.thread.start()

    def _trickle(self) -> None:
        end = time.monotonic() + TRICKLE_FOR_S
        line = 0
        with contextlib.suppress(OSError):
            while time.monotonic() < end and not self.stop.wait(TRICKLE_EVERY_S):
                line += 1
                self.sock.sendall(f"X-Slow-{line}: {'x' * 10}\r\n".encode())

    def close(self) -> None:
        self.thread.join(timeout=TRICKLE_FOR_S + 5)
        self.sock.close()


@pytest.fixture
def sqlite_database(tmp_path):
    return f"sqlite:///{tmp_path / 'coach.sqlite3'}"


def test_slow_clients_trickling_headers_do_not_stall_healthz(servers, sqlite_database):
    server = servers(sqlite_database)
    stop = threading.Event()
    slow = [SlowClient(server.port, stop) for _ in range(SLOW_CLIENTS)]
    try:
        time.sleep(2 * TRICKLE_EVERY_S)  # every slow client is inside a worker by now
        took = []
        for _ in range(6):
            started = time.monotonic()
            client = server.client()
            client.timeout = ANSWER_WITHIN_S + 1
            try:
                answer = client.request("GET", "/healthz")
            except TimeoutError:
                pytest.fail(f"/healthz did not answer within {ANSWER_WITHIN_S + 1} s while "
                            f"{SLOW_CLIENTS} clients trickled their headers")
            finally:
                client.close()
            took.append(time.monotonic() - started)
            assert answer.status == 200
        assert max(took) < ANSWER_WITHIN_S, took
        # and the API, not only the health check
        started = time.monotonic()
        assert server.create_plan().status == 201
        assert time.monotonic() - started < ANSWER_WITHIN_S
    finally:
        stop.set()
        for client in slow:
            client.close()
