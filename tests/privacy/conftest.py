"""Privacy tests run the whole app with Alexa verification off on loopback, so their voice
conversations go through POST /alexa as Alexa's would. Helpers: tests/privacy/privacy_runner.py."""

from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    # The real Settings API fallback runs (no lookup injected), as it does in production.
    return {**app_config, "COACH_ALEXA_VERIFY": "0", "COACH_BIND_HOST": "127.0.0.1"}
