"""The application factory: one app with the JSON API, the pages and the Alexa endpoint, its
store attached the Flask way, and the settings a test may override."""

from __future__ import annotations

import pytest

from plans.config import Config


def test_the_app_serves_the_api_the_pages_and_the_alexa_endpoint(app):
    routes = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/api/plans", "/api/plans/<token>", "/openapi.json", "/healthz"} <= routes
    assert "/" in routes
    assert "/alexa" in routes
    assert set(app.blueprints) >= {"api", "pages"}


def test_the_store_is_attached_as_an_extension_and_reachable_from_views(app):
    from exporter.context import coach_config, plan_store, utc_now

    with app.app_context():
        assert plan_store() is app.extensions["plan_store"]
        assert isinstance(coach_config(), Config)
        assert coach_config().base_url == "https://coach.example"
        assert utc_now() == app.config["CLOCK"]()


def test_request_bodies_are_limited_to_64_kib(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 64 * 1024


def test_a_bad_setting_stops_the_app_from_being_built(app_config):
    from exporter import create_app
    from plans.config import ConfigError

    with pytest.raises(ConfigError, match="COACH_BASE_URL"):
        create_app({**app_config, "COACH_BASE_URL": "not a url"})


def test_an_unknown_blueprint_name_is_refused(app_config):
    from exporter import create_app

    with pytest.raises(ValueError, match="unknown blueprints"):
        create_app({**app_config, "BLUEPRINTS": ("api", "admin")})


@pytest.mark.system
def test_importing_the_store_and_the_skill_state_loads_no_database_layer_nor_web_framework():
    # The Lambda skill imports these on a cold start; SQLAlchemy and pydantic arrive with the turn
    # that files a plan, Flask never.
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, plans.store, plans.state, plans.config, plans.keys, plans.codes; "
            "print(sorted(m for m in ('flask', 'sqlalchemy', 'pydantic', 'alembic') if m in sys.modules))")
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
