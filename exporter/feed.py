"""The calendar feed, answered before Flask for the requests calendar apps make most: a plain
`GET /plans/<token>.ics` of a plan that exists. Each subscribed phone or calendar service fetches
it every few hours for as long as the runner stays subscribed, so it is the route the service
answers most; Flask's request context, routing and hooks cost more than the answer itself.

The answer is the route's own (`exporter.pages.calendar_file`, the same validators, caches and
headers, with the security headers every answer gets); anything else (a query string, HEAD, an
unknown plan, a store that fails) goes on to Flask, which answers it as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from exporter.headers import security_headers_of
from exporter.pages import asked_in, calendar_file
from plans.keys import plausible_token

logger = logging.getLogger("exporter")

_PREFIX, _SUFFIX = "/plans/", ".ics"


class CalendarFeed:
    """WSGI middleware in front of the Flask app (`app.wsgi_app`)."""

    def __init__(self, app, next_app: Callable[..., Iterable[bytes]]):
        self.app = app
        self.next_app = next_app

    def __call__(self, environ: dict[str, Any], start_response) -> Iterable[bytes]:
        token = self._token(environ)
        if token is not None:
            response = self._answer(environ, token)
            if response is not None:
                return response(environ, start_response)
        return self.next_app(environ, start_response)

    @staticmethod
    def _token(environ: dict[str, Any]) -> str | None:
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        path = environ.get("PATH_INFO", "")
        if not (path.startswith(_PREFIX) and path.endswith(_SUFFIX)):
            return None
        token = path[len(_PREFIX):-len(_SUFFIX)]
        return token if plausible_token(token) else None

    def _answer(self, environ: dict[str, Any], token: str):
        try:
            plan = self.app.extensions["plan_store"].get_plan(token)
            if plan is None:
                return None  # Flask's page or JSON says there is no such plan
            config = self.app.config["COACH"]
            response = calendar_file(plan, token, config.base_url, asked_in(environ))
        except Exception as error:  # Flask tries again and answers it as its errors are answered
            logger.info("calendar fast path passed on (%s)", type(error).__name__)
            return None
        for name, value in security_headers_of(config).items():
            response.headers.setdefault(name, value)
        return response
