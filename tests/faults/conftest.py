"""Fixtures for the fault tests: real servers in subprocesses (tests/faults/coach_server.py), always
stopped at the end, their logs shown when a test fails."""

from __future__ import annotations

import pytest
from coach_server import CoachServer


@pytest.fixture
def servers(tmp_path, request):
    """`servers(database_url, **options)` → a started CoachServer; every one still running is
    killed after the test (a graceful stop takes seconds and proves nothing more here), and a
    failing test prints their logs."""
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
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for server in started:
            print(f"---- {server.name} log ----\n{server.log()[-6000:]}")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
