"""Fixtures for the voice skill's tests.

- `device_zone`: the time zone the skill's Settings API lookup answers with (change `.name`).
- `voice_skill`: the skill built on the shared `store` (SQLite and PostgreSQL) with its state in
  the same database's skill_state table, the test clock and the device zone.
- `voice`: a runner talking to `voice_skill` in process (tests/skill/voice_driver.py).
- `skill_app`, `skill_client`, `http_voice`: the same through the Flask app's POST /alexa, with
  verification off on loopback.
- `turn_failures`: every turn the catch-all exception handler answered while the test ran.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from voice_driver import Runner, TurnFailures, in_process, over_http

from plans.state import SqlStateStore
from skill.build import build_skill


@dataclass
class DeviceZone:
    name: str = "UTC"
    asked: int = 0

    def __call__(self, handler_input) -> str:
        self.asked += 1
        return self.name


@pytest.fixture
def device_zone() -> DeviceZone:
    return DeviceZone()


@pytest.fixture
def state_store(database_url, store):
    return SqlStateStore(database_url, ensure_schema=store.migrate)


@pytest.fixture
def voice_skill(store, state_store, clock, device_zone, app_config):
    return build_skill(
        store_factory=lambda: store,
        state_store=state_store,
        timezone_lookup=device_zone,
        clock=clock,
        secret_key=app_config["COACH_SECRET_KEY"],
        base_url=app_config["COACH_BASE_URL"],
    )


@pytest.fixture
def voice(voice_skill) -> Runner:
    return Runner(in_process(voice_skill))


@pytest.fixture
def skill_app(app_config, device_zone):
    from exporter import create_app

    config = dict(app_config, COACH_ALEXA_VERIFY="0", COACH_BIND_HOST="127.0.0.1",
                  SKILL_TIMEZONE_LOOKUP=device_zone)
    flask_app = create_app(config)
    yield flask_app
    flask_app.extensions["plan_store"].close()


@pytest.fixture
def skill_client(skill_app):
    return skill_app.test_client()


@pytest.fixture
def http_voice(skill_client) -> Runner:
    return Runner(over_http(skill_client))


@pytest.fixture
def turn_failures():
    with TurnFailures() as watcher:
        yield watcher


@pytest.fixture
def dead_store(app_config):
    """A plan store whose database is away: nothing listens on port 1, so every query fails with
    "connection refused", as when the database server is down."""
    from plans.store import PlanStore

    plan_store = PlanStore("postgresql://coach@127.0.0.1:1/coach", app_config["COACH_SECRET_KEY"])
    yield plan_store
    plan_store.close()
