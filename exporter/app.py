"""The Flask application factory, in the shape of Flask's tutorial: configuration, resources
attached with `init_app`, then the blueprints.

Blueprints find what they need through the helpers in `exporter.context` instead of globals, so
tests can hand the
app another store, configuration or clock:
`plan_store()` (the PlanStore), `coach_config()` (the Config) and `utc_now()` (the time).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import RequestRedirect

from exporter import errors
from exporter.headers import security_headers_of
from plans.config import Config
from plans.store import PlanStore, StoreUnavailable

logger = logging.getLogger("exporter")

MAX_BODY_BYTES = 64 * 1024
# Settings that come from the environment; a test may pass them in test_config instead.
ENVIRONMENT_KEYS = frozenset({
    "COACH_DATABASE_URL", "COACH_BASE_URL", "COACH_ALEXA_SKILL_ID", "COACH_ALEXA_VERIFY", "PORT",
    "COACH_SECRET_KEY", "COACH_RETENTION_DAYS", "COACH_BIND_HOST", "COACH_TRUSTED_PROXIES",
    "COACH_ALEXA_CLIENT_ID", "COACH_ALEXA_CLIENT_SECRET",
})
ALL_BLUEPRINTS = ("api", "pages", "skill")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app.

    `test_config` may hold any Flask setting, any of the environment variables above (they win
    over the real environment), and:
    - `COACH_CONFIG`: a ready `Config` (then the environment is not read at all);
    - `PLAN_STORE`: a `PlanStore` to use instead of opening one from the configuration;
    - `CLOCK`: a function returning the current aware datetime;
    - `BLUEPRINTS`: which of "api", "pages", "skill" to register (all by default).
    """
    overrides = dict(test_config or {})
    config = overrides.pop("COACH_CONFIG", None)
    if config is None:
        environ = dict(os.environ)
        environ.update({key: str(overrides.pop(key)) for key in list(overrides) if key in ENVIRONMENT_KEYS})
        config = Config.from_env(environ)
    store = overrides.pop("PLAN_STORE", None)

    app = Flask(__name__)
    # Werkzeug answers "/plans//<token>" (merge_slashes) and a rule's missing trailing slash
    # (strict_slashes) with a redirect it builds from the request's Host header: an open redirect
    # that carries the plan token to whichever host the request named. No route needs one; slashes
    # are not merged, and any routing redirect left is answered 404 (_no_routing_redirects).
    app.url_map.merge_slashes = False
    app.url_map.redirect_defaults = False
    app.before_request(_no_routing_redirects)
    # No SECRET_KEY: the service keeps no Flask session and sets no cookie (the privacy notice says
    # so), and without a key Flask skips building a cookie signer on every request.
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        COACH=config,
        CLOCK=_utc_clock,
        BLUEPRINTS=ALL_BLUEPRINTS,
    )
    app.config.update(overrides)
    unknown = set(app.config["BLUEPRINTS"]) - set(ALL_BLUEPRINTS)
    if unknown:
        raise ValueError(f"unknown blueprints {sorted(unknown)}; choose from {ALL_BLUEPRINTS}")

    if config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the client address: links are built from COACH_BASE_URL, never from forwarded
        # host or scheme headers. The nth address from the right is the one our own proxy saw.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies, x_proto=0, x_host=0,
                                x_port=0, x_prefix=0)
    if "pages" in app.config["BLUEPRINTS"] and app.config.get("CALENDAR_FEED_FAST_PATH", True):
        from exporter.feed import CalendarFeed

        # The calendar polls, before Flask (exporter.feed); it needs no client address.
        app.wsgi_app = CalendarFeed(app, app.wsgi_app)
    init_store(app, store or PlanStore(config.database_url, config.secret_key))
    errors.init_app(app)
    _add_security_headers(app, config)
    _register_blueprints(app, app.config["BLUEPRINTS"])
    _register_commands(app)
    return app


def init_store(app: Flask, store: PlanStore) -> None:
    """Attach the store and bring its schema up to date. A database that is down at start does
    not stop the app: /healthz says so and the store tries again on the next request."""
    app.extensions["plan_store"] = store
    try:
        store.migrate()
    except StoreUnavailable as error:
        logger.warning("starting without the database (%s); /healthz will report it", error)


def _add_security_headers(app: Flask, config: Config) -> None:
    headers = security_headers_of(config)

    @app.after_request
    def security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response


def _no_routing_redirects() -> None:
    # Flask hands a routing redirect straight to the client, past every error handler; before
    # the view runs, it can still be turned into a plain 404.
    if isinstance(request.routing_exception, RequestRedirect):
        abort(404)


def _utc_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _register_blueprints(app: Flask, names) -> None:
    if "api" in names:
        from exporter.api import bp as api_bp

        app.register_blueprint(api_bp)
    if "pages" in names:
        from exporter.pages import bp as pages_bp

        app.register_blueprint(pages_bp)
    if "skill" in names:
        from exporter.alexa import bp as skill_bp

        app.register_blueprint(skill_bp)


def _register_commands(app: Flask) -> None:
    import click

    @app.cli.command("purge")
    @click.option("--days", type=int, default=None, help="retention in days (default COACH_RETENTION_DAYS)")
    def purge(days: int | None) -> None:
        """Delete plans older than the retention period."""
        from exporter.cli import purge_command

        raise SystemExit(purge_command(days))
