"""The response headers the pages, the files and the error pages share, in one place: the plan's
pages hold health information behind a secret URL, so no shared cache keeps them, no referrer
carries the token to another site, no other site frames them, and no script runs."""

from __future__ import annotations

PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}
FILE_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Robots-Tag": "noindex, nofollow",
}

# On every answer (the JSON API, errors, files and pages alike): no content sniffing, and no
# referrer that would carry a plan's token to another site.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
# A year; sent only when the public address is https (a plain-http local run must stay reachable).
HSTS_VALUE = "max-age=31536000"


def security_headers_of(config) -> dict[str, str]:
    """The security headers for this configuration (plans.config.Config): HSTS with https only."""
    headers = dict(SECURITY_HEADERS)
    if config.base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS_VALUE
    return headers
