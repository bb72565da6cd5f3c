"""Every error the service answers is JSON: `{"error": {"code", "message", "details"?}}`.

No handler ever puts a stack trace, a query or a request's content in a response, and the log line
for an unexpected error names only the exception's type and where it was raised: its message may
quote the runner's answers, which are health data.
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

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


def error_response(status: int, message: str | None = None, *, code: str | None = None,
                   details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
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
