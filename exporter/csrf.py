"""Refusing forms posted from other sites (cross-site request forgery).

A plan's page holds forms that change the plan (delete it; record a check-in). Another site can
make a visitor's browser post to them: the browser sends the form, and the plan's token is in the
address, so nothing else would tell the two apart. The browser does say where a request comes
from, and that is what is checked, by `cross_site_refusal()`:

1. `Sec-Fetch-Site` (every current browser sends it): only `same-origin` and `none` (typed or
   bookmarked by the visitor) pass; `same-site` and `cross-site` are refused. A sibling subdomain
   is another site's code too.
2. `Origin`, when it names an origin: it must be ours (COACH_BASE_URL's scheme, host and port).
   `Origin: null` is what a browser sends for a same-origin form on a page whose referrer policy
   is no-referrer, as ours are; it passes only when `Sec-Fetch-Site` said same-origin, and is
   refused from a browser too old to send that header (an opaque origin could be anyone's).
3. Without either, a `Referer` naming another site is refused.

A request with none of these headers is not from a browser (curl, a script): it passes, since it
could not have been forged by another site.

Use `@same_origin_only` on a view, or call `refuse_cross_site()` at its top.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from flask import Response, render_template, request

from exporter.context import coach_config
from exporter.errors import error_response

logger = logging.getLogger("exporter")

SAFE_FETCH_SITES = frozenset({"same-origin", "none"})
REFUSED_MESSAGE = ("This form was sent from another website, so it was refused. "
                   "Use the form on your plan's own page.")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """`scheme://host[:port]` of a URL, lower-cased and without the scheme's default port; None
    when it is not an http(s) URL with a host."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if port in (None, _DEFAULT_PORTS[scheme]) else f"{scheme}://{host}:{port}"


def cross_site_refusal(headers: Mapping[str, str] | None = None, base_url: str | None = None) -> str | None:
    """Why this request must be refused as posted from another site, or None. Reads the current
    request and COACH_BASE_URL unless given others. The reason is fit to log (it never holds a
    header's value)."""
    headers = request.headers if headers is None else headers
    ours = origin_of(coach_config().base_url if base_url is None else base_url)
    site = headers.get("Sec-Fetch-Site")
    if site is not None:
        site = site.strip().lower()
        if site not in SAFE_FETCH_SITES:
            return "Sec-Fetch-Site is not same-origin"
    origin = headers.get("Origin")
    if origin is not None:
        if origin.strip().lower() == "null":
            if site is None:
                return "Origin is opaque and the browser sent no Sec-Fetch-Site"
        elif origin_of(origin) != ours:
            return "Origin is another site"
    elif site is None:
        referer = headers.get("Referer")
        if referer and origin_of(referer) != ours:
            return "Referer is another site"
    return None


def refuse_cross_site() -> Response | None:
    """A 403 (an HTML page for a browser, JSON otherwise) when the request was posted from
    another site; None when it may go ahead."""
    reason = cross_site_refusal()
    if reason is None:
        return None
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    logger.warning("refused a cross-site %s %s: %s", request.method, rule, reason)
    if request.accept_mimetypes.best_match(["text/html", "application/json"]) == "text/html":
        from exporter import wording

        body = render_template("cross_site.html", message=REFUSED_MESSAGE, disclaimer=wording.DISCLAIMER,
                               product=wording.PRODUCT_NAME)
        response = Response(body, status=403, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; style-src 'self'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'"
        )
        return response
    return error_response(403, REFUSED_MESSAGE, code="cross_site_request")


def same_origin_only(view: Callable[..., Response]) -> Callable[..., Response]:
    """Decorate a view that changes something on a form post: cross-site posts get a 403."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        refusal = refuse_cross_site()
        return refusal if refusal is not None else view(*args, **kwargs)

    return checked
