"""Fixtures for the fault tests: `servers` starts the real plan service in subprocesses
(tests/faults/coach_server.py)."""

from coach_server import servers  # noqa: F401 - a fixture, found by name
