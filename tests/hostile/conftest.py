"""Fixtures for hostile input: the whole app (API, pages and POST /alexa), with Alexa request
verification off on loopback so fuzzed envelopes reach the skill itself.

One database is enough here (the default `database_url`, a fresh SQLite file): what is under test
is how requests are parsed and answered, which does not depend on it.
"""

from __future__ import annotations

import pytest


def device_zone(handler_input) -> str:
    # Stands in for the Alexa Settings API: no test reaches the network.
    return "Europe/London"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "COACH_ALEXA_VERIFY": "0", "COACH_BIND_HOST": "127.0.0.1",
            "SKILL_TIMEZONE_LOOKUP": device_zone}
