"""Every error the service answers to a program is JSON: `{"error": {"code", "message", "details"?}}`.
A browser (a request that prefers text/html to JSON, outside /api/) gets the same error as a page
with a way back (`error.html`): a mistyped address must not show raw JSON to a runner.

No handler ever puts a stack trace, a query or a request's content in a response, and the log line
for an unexpected error names only the exception's type and where it was raised: its message may
quote the runner's answers, which are health data.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from flask import Flask, Response, render_template, request
from werkzeug.exceptions import HTTPException

from exporter.headers import PAGE_HEADERS
from plans.store import StoreUnavailable

logger = logging.getLogger("exporter")

ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}
PLAIN_MESSAGES = {
    400: "the request could not be understood",
    403: "this request is not allowed",
    404: "there is nothing here; check the address",
    405: "this address does not accept that method",
    413: "the request body is too large (the limit is 64 KiB)",
    429: "too many attempts; wait a minute and try again",
    500: "something went wrong on our side; please try again",
    503: "the service is temporarily unavailable; please try again shortly",
}
# A browser's page for each status: a heading and what to do next.
PAGE_WORDS = {
    400: ("That address is not quite right", "Check the link, or start again from the start page."),
    403: ("This request is not allowed", "Open your plan from its link or its code instead."),
    404: ("Page not found", "The address may be mistyped or incomplete, or the plan may have been deleted."),
    405: ("This page cannot do that", "Go back and try again from the page itself."),
    410: ("This is gone", "The plan was deleted, so its pages and files are gone too."),
    413: ("That was too much to send", "Try again with less."),
    429: ("Too many attempts", "Wait a minute, then try again. Your plan is safe."),
    500: ("Something went wrong on our side", "Please try again in a moment."),
    503: ("Hamstring Coach is unavailable for a moment", "Please try again shortly."),
}
# How long a client should wait before retrying when the database is away.
RETRY_AFTER_SECONDS = 5


class ApiError(Exception):
    """Raised by a view to answer with a JSON error."""

    def __init__(self, status: int, message: str, *, code: str | None = None,
                 details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.message = message
        self.details = details


def wants_a_page() -> bool:
    """A browser asking for a page: it prefers text/html to JSON (curl's */* does not), and the
    address is not the API's."""
    if request.path.startswith("/api/"):
        return False
    accepted = request.accept_mimetypes
    return accepted["text/html"] > accepted["application/json"]


def error_page(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """The error as a page with a way back, under the plan pages' headers (CSP, no-store)."""
    from exporter.wording import DISCLAIMER, PRODUCT_NAME

    heading, advice = PAGE_WORDS.get(status, ("Something went wrong", "Go back and try again."))
    body = render_template("error.html", status=status, heading=heading, advice=advice,
                           message=message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."),
                           disclaimer=DISCLAIMER, product=PRODUCT_NAME)
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(PAGE_HEADERS)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_response(status: int, message: str | None = None, *, code: str | None = None,
                   details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    if wants_a_page():
        return error_page(status, message or PLAIN_MESSAGES.get(status, "the request failed"), headers)
    error: dict[str, Any] = {
        "code": code or ERROR_CODES.get(status, "error"),
        "message": message or PLAIN_MESSAGES.get(status, "the request failed"),
    }
    if details is not None:
        error["details"] = details
    response = Response(json.dumps({"error": error}), status=status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(StoreUnavailable, _store_unavailable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _api_error(error: ApiError) -> Response:
    return error_response(error.status, error.message, code=error.code, details=error.details)


def _store_unavailable(error: StoreUnavailable) -> Response:
    logger.warning("database unavailable on %s %s: %s", request.method, _route(), error)
    return error_response(503, "the plan store is unavailable; please try again shortly",
                          code="database_unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def _http_error(error: HTTPException) -> Response | HTTPException:
    if error.code is None or error.code < 400:
        return error  # routing redirects (e.g. a missing trailing slash) are not errors
    passed_on = {
        name: value for name, value in error.get_headers()
        if name.lower() in ("allow", "retry-after")
    }
    # A view's own description (abort(404, "no plan with that code")) wins over the plain default.
    custom = error.description if error.description != type(error).description else None
    message = custom or PLAIN_MESSAGES.get(error.code) or "the request failed"
    return error_response(error.code, message, headers=passed_on)


def _unexpected_error(error: Exception) -> Response:
    # File, line and function only: a source line may quote what the exception carried.
    frames = "\n".join(
        f"  {frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    )
    logger.error("unexpected %s on %s %s\n%s", type(error).__name__, request.method, _route(), frames)
    return error_response(500)


def _route() -> str:
    # The route's pattern, never the path itself: paths carry plan tokens.
    rule = request.url_rule
    return rule.rule if rule is not None else "(no route)"
