"""`make run` (`python -m exporter.serve`): gunicorn with two workers on loopback, SQLite under
var/ by default, the URLs a newcomer needs, and plans any worker can serve."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.common import free_port, stop_process
from exporter.serve import bind_address, newcomer_urls
from plans.config import Config
from tests.samples import TIGHTNESS

ROOT = Path(__file__).resolve().parents[2]


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def _request(method: str, url: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def served(tmp_path):
    """The service as `make run` starts it, from a fresh directory, without COACH_SECRET_KEY."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("COACH_")}
    env.update(PORT=str(port), PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-m", "exporter.serve"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.communicate()[1]
            try:
                if _request("GET", f"{base}/healthz")[0] == 200 and len(_children(process.pid)) == 2:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "the service did not come up within a minute"
            time.sleep(0.2)
        yield process, base, tmp_path
    finally:
        stop_process(process, grace=30)


@pytest.mark.system
def test_make_run_serves_with_two_workers_and_any_worker_serves_any_plan(served):
    process, base, workdir = served
    assert len(_children(process.pid)) == 2
    created = [_request("POST", f"{base}/api/plans", {"answers": TIGHTNESS}) for _ in range(6)]
    assert [status for status, _ in created] == [201] * 6
    assert created[0][1]["links"]["page"].startswith(f"{base}/plans/"), "links work on any PORT"
    # Many reads spread over both workers: every one finds every plan (one shared secret key).
    for _ in range(5):
        for _, body in created:
            status, plan = _request("GET", f"{base}/api/plans/{body['token']}")
            assert status == 200
            assert plan["assessment"] == body["assessment"]
    assert (workdir / "var" / "coach.sqlite3").exists()
    assert (workdir / "var" / "secret_key").exists()


@pytest.mark.system
def test_make_run_prints_the_urls_a_newcomer_needs(served):
    process, base, _ = served
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=30)
    for line in (f"{base}/", f"{base}/healthz", f"{base}/api/plans", f"{base}/openapi.json", f"{base}/alexa"):
        assert line in out
    assert process.returncode == 0


def test_the_urls_name_the_public_base_when_it_differs():
    config = Config(base_url="https://coach.example", secret_key=b"k" * 32)
    text = newcomer_urls(config)
    assert "http://127.0.0.1:8000/healthz" in text
    assert "public links and QR codes use https://coach.example" in text


def test_ipv6_hosts_are_bracketed_for_gunicorn():
    assert bind_address("::1", 8000) == "[::1]:8000"
    assert bind_address("127.0.0.1", 8000) == "127.0.0.1:8000"


@pytest.mark.system
def test_a_bad_configuration_stops_the_start_with_a_message(tmp_path):
    env = {**os.environ, "PORT": "not-a-port", "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "exporter.serve"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "configuration error: PORT must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr
