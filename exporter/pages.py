"""The runner's pages: the front page with the code form, the short-code redirect, the plan page,
the plan as a printable PDF and as a calendar feed, and the privacy notice and terms of use.

The feed is polled by calendar apps for as long as the runner stays subscribed, so it is built
for the repeat visit: a strong ETag from the plan's id and revision (and the renderer's version
and the URL printed inside), answered 304 without rendering, and the rendered bytes of recent
revisions kept by ETag (the same revision always renders the same bytes).
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote

from flask import Blueprint, Response, redirect, render_template, request, url_for
from markupsafe import Markup
from pydantic import ValidationError
from werkzeug.datastructures import ETags
from werkzeug.http import http_date, parse_accept_header, parse_date, parse_etags

from exporter import figures, ics, pdf, qr, wording
from exporter.charts import progress_chart, progress_svg
from exporter.context import coach_config, plan_store, reminders_follow, utc_now
from exporter.csrf import same_origin_only
from exporter.errors import error_response
from exporter.headers import FILE_HEADERS, PAGE_HEADERS
from plans import links as plan_links_of
from plans import service
from plans.codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_LIFETIME,
    GUESSES_PER_CLIENT_PER_WINDOW,
    grouped,
    guesser_group,
    last_day,
    normalize_code,
)
from plans.keys import plausible_token
from plans.progress import plan_progress
from plans.records import PlanRecord
from plans.store import ATTEMPT_MEMORY, WRONG_CODE_WINDOW
from rehab.clock import as_utc, today_in
from rehab.models import Prescription, Programme, Session
from rehab.programme import next_session
from rehab.references import Citations

bp = Blueprint("pages", __name__, template_folder="templates")

WRONG_CODES_PER_MINUTE = GUESSES_PER_CLIENT_PER_WINDOW
MAX_CODE_LENGTH = 32
# How the code form and the privacy page describe a code (plans.codes decides its shape).
CODE_LENGTH_WORDS = {8: "eight", 9: "nine", 10: "ten", 12: "twelve"}.get(CODE_LENGTH, str(CODE_LENGTH))
CODE_EXAMPLE = grouped(("KXTHN7M4RW" * 2)[:CODE_LENGTH])
NEXT_SESSIONS_SHOWN = 4
# How far back the page's check-in form offers a day: a session a week ago is still worth logging.
CHECK_IN_DAYS_BACK = 6
RENDER_CACHE_SIZE = {"ics": 256, "pdf": 16}  # a calendar twice: as it is and gzipped
GOOGLE_CALENDAR_ADD_BY_URL = "https://calendar.google.com/calendar/r?cid="
# ---- the front page and short codes --------------------------------------------------------------


@bp.app_context_processor
def _code_shape() -> dict[str, str]:
    # The code form is on the home page and on the pages that answer a typed code.
    return {"code_length_words": CODE_LENGTH_WORDS, "code_example": CODE_EXAMPLE}


@bp.get("/")
def home() -> Response:
    return _page("index.html", code="")


@bp.post("/c")
def open_code_from_form() -> Response:
    return _open_code(request.form.get("code", ""), redirect_status=303)


@bp.get("/c/<code>")
def open_code(code: str) -> Response:
    return _open_code(code, redirect_status=302)


def _open_code(typed: str, *, redirect_status: int) -> Response:
    """Redirect to the plan page for a spoken code. A string that cannot be a code is answered
    at once, without touching the database. A code-shaped one is a guess: counted per network
    (an IPv4 address or an IPv6 /64) and against the global budget (plans.codes, in the store,
    so every worker and host sees them) before it is looked up, and taken back if it is right.
    Over either limit the answer is 429 with a Retry-After of at most a minute."""
    typed = typed[:MAX_CODE_LENGTH]
    code = normalize_code(typed)
    if code is None:
        return _not_a_code(typed.strip())
    store = plan_store()
    now = utc_now()
    # Counted before the look-up and in one step with the check, so that guesses sent at once
    # cannot all pass a count none of them has added to yet.
    claim = store.claim_code_guess(guesser_group(request.remote_addr), now)
    if not claim.admitted:
        return _too_many_codes(claim)
    token = store.token_for_code(code, now)
    if token is None:
        return _unknown_code(code)
    store.release_code_guess(claim)
    response = redirect(url_for("pages.plan_page", token=token), code=redirect_status)
    response.headers.update(PAGE_HEADERS)
    return response


def _unknown_code(shown: str) -> Response:
    message = (f"No plan has this code. Codes have {CODE_LENGTH} characters and last "
               f"{CODE_LIFETIME.days} days; check the letters and try again.")
    return _error(404, message, "unknown_code.html", code=shown)


def _not_a_code(shown: str) -> Response:
    """A 400: what was typed cannot be a code at all (wrong length, or letters codes never use),
    so there is nothing to look up; the page says what a code looks like."""
    message = (f"A plan code has {CODE_LENGTH} letters and numbers, from {CODE_ALPHABET}; "
               "check what you typed and try again.")
    return _error(400, message, "unknown_code.html", code=shown, not_a_code=True)


def _too_many_codes(claim) -> Response:
    if claim.refused_by == "client":
        message = "Too many wrong codes from here. Wait a minute, then try again."
    else:
        message = ("Too many wrong codes are being tried on this site just now. "
                   f"Wait {claim.retry_after} seconds, then try again.")
    return _error(429, message, "too_many_codes.html", headers={"Retry-After": str(claim.retry_after)},
                  retry_after=claim.retry_after)


# ---- the plan ---------------------------------------------------------------------------------


@bp.get("/plans/<token>")
def plan_page(token: str) -> Response:
    plan = _plan_or_none(token)
    if plan is None:
        return _unknown_plan()
    programme = plan.programme
    today = today_in(programme.timezone, utc_now())
    upcoming = [session for session in programme.sessions if session.date >= today][:NEXT_SESSIONS_SHOWN]
    links = plan_links(token)
    summary = plan_progress(plan, today)
    start = programme.start_date or plan.created_at.date()
    coming = next_session(programme, today)
    cite = Citations()
    return _page(
        "plan.html",
        plan=plan,
        next=coming,
        library=_library(programme, coming),
        anchor=figures.anchor,
        figure_svg=lambda exercise_id: Markup(figures.svg(exercise_id)),
        credit=figures.CREDIT,
        credit_url=figures.CREDIT_URL,
        cite=cite.marker,
        cite_all=cite.markers,
        references=cite.listed,
        days_note=wording.days_not_used(plan.preferences.weekdays, programme),
        latest_change=next((c for c in reversed(plan.check_ins) if c.changes and c.revision == plan.revision),
                           None),
        gate=programme.pending_gate,
        checkin_days=[today - dt.timedelta(days=n) for n in range(CHECK_IN_DAYS_BACK + 1)
                      if today - dt.timedelta(days=n) >= start],
        calendar_delay_note=wording.CALENDAR_DELAY_NOTE,
        progress_sentence=summary.sentence(),
        progress_svg=Markup(progress_svg(progress_chart(summary), id_prefix="plan-progress")),
        programme=programme,
        assessment=plan.assessment,
        wording=wording,
        today=today,
        upcoming=upcoming,
        finished=bool(programme.sessions) and not upcoming,
        links=links,
        qr_svg=qr.svg(links["page"]),
        phase_names={phase.id: phase.name for phase in programme.phases},
        week_of_phase=_first_weeks(programme),
        token=token,
    )


@bp.post("/plans/<token>/checkins")
@same_origin_only
def check_in(token: str) -> Response:
    """The plan page's check-in form (no script needed): the same service call as the API's.
    Only from our own pages (exporter.csrf): another site must not log sessions for a visitor."""
    form = request.form
    report: dict[str, object] = {
        "date": form.get("date") or None,
        "session": form.get("session") or None,
        "pain_during": _form_number(form.get("pain_during")),
        "pain_next_morning": _form_number(form.get("pain_next_morning")),
        "limp": True if form.get("limp") == "yes" else None,
        "swelling": True if form.get("swelling") == "yes" else None,
        "criteria": {key.removeprefix("criterion-"): value == "yes" for key, value in form.items()
                     if key.startswith("criterion-") and value in ("yes", "no")},
    }
    try:
        done = service.check_in(plan_store(), token, report, now=utc_now())
    except ValidationError as error:
        fields = sorted({str(item["loc"][0]) for item in error.errors(include_input=False) if item["loc"]})
        named = ", ".join(FORM_FIELD_NAMES.get(field, field) for field in fields)
        return _error(400, f"That check-in could not be saved: please check {named}.", "checkin_refused.html",
                      token=token)
    except service.CheckInRefused as refused:
        return _error(400, f"That check-in could not be saved: {refused.message}.",
                      "checkin_refused.html", token=token)
    if done is None:
        return _unknown_plan()
    if done.changed:
        reminders_follow(done.plan)
    programme = done.plan.programme
    return _page(
        "checkin_done.html", check_in=done.check_in, changed=done.changed, revision=done.plan.revision,
        next_session=next_session(programme, today_in(programme.timezone, utc_now())),
        wording=wording, token=token, calendar_delay_note=wording.CALENDAR_DELAY_NOTE,
    )


FORM_FIELD_NAMES = {"date": "the day", "session": "whether you did the session",
                    "pain_during": "the pain during", "pain_next_morning": "the pain the next morning"}


def _form_number(value: str | None) -> int | str | None:
    if value is None or not value.strip():
        return None
    return int(value) if value.strip().isdigit() else value


@bp.get("/plans/<token>/delete")
def confirm_delete(token: str) -> Response:
    """Ask first: deleting cannot be undone, and a GET (a link preview, a prefetch) must never delete."""
    plan = _plan_or_none(token)
    if plan is None:
        return _unknown_plan()
    return _page("confirm_delete.html", programme=plan.programme, token=token)


@bp.post("/plans/<token>/delete")
@same_origin_only
def delete_plan(token: str) -> Response:
    """The form's answer; the JSON API's DELETE does the same for programs. Whoever holds the link
    may delete the plan, as the privacy notice says; a form posted from another site is refused
    (exporter.csrf), since it would act with the visitor's link without the visitor."""
    if not plan_store().delete_plan(token):
        return _unknown_plan()
    return _page("plan_deleted.html")


@bp.get("/plans/<token>.pdf")
def plan_pdf(token: str) -> Response:
    size = request.args.get("size", "").strip().lower()
    if size and size not in ("a4", "letter"):
        return error_response(400, "size must be a4 or letter", code="bad_page_size")
    plan = _plan_or_none(token)
    if plan is None:
        return _unknown_plan()
    page_size = size.upper() if size else pdf.page_size_for(plan.programme.timezone)
    page = _page_url(token)
    return plan_file(
        plan, kind="pdf", variant=page_size, mimetype="application/pdf",
        filename=f"hamstring-plan-{page_size.lower()}.pdf",
        render=lambda: _render_pdf(plan, token, page, page_size),
        renderer_version=pdf.RENDERER_VERSION, plan_url=page, compressible=False,
        asked=asked_in(request.environ),
    )


def _render_pdf(plan: PlanRecord, token: str, page_url: str, page_size: str) -> bytes:
    """The code is looked up only on a render: a plan's code never changes, so the ETag (and the
    render cache behind it) need not include it."""
    short = plan_store().short_code_for(token)
    if short is None:
        return pdf.render_pdf(plan, plan_url=page_url, page_size=page_size)
    # The last whole day it works: a code filed at 09:00 stops at 09:00 on its 30th day.
    valid_until = last_day(short.expires_at, plan.programme.timezone)
    return pdf.render_pdf(plan, plan_url=page_url, short_url=short_code_url(short.code),
                          code_valid_until=valid_until, page_size=page_size)


def short_code_url(code: str) -> str:
    """The address to type for a code: without "https://", which browsers add themselves."""
    return plan_links_of.short_code_url(coach_config().base_url, code).removeprefix("https://")


@bp.get("/plans/<token>.ics")
def plan_calendar(token: str) -> Response:
    plan = _plan_or_none(token)
    if plan is None:
        return _unknown_plan()
    return calendar_file(plan, token, coach_config().base_url, asked_in(request.environ))


def plan_links(token: str) -> dict[str, str]:
    """Every address the page offers. Absolute, from COACH_BASE_URL: they are opened from other
    apps (a calendar, a phone camera), never relative to this page."""
    addresses = plan_links_of.plan_addresses(coach_config().base_url, token)
    return {
        "page": addresses.page,
        "pdf": addresses.pdf,
        "ics": addresses.ics,
        "download": f"{addresses.ics}?download=1",
        "webcal": addresses.webcal,
        "google": GOOGLE_CALENDAR_ADD_BY_URL + quote(addresses.webcal, safe=""),
    }


def _page_url(token: str) -> str:
    return plan_links_of.plan_url(coach_config().base_url, token)


def etag_for(plan: PlanRecord, *, renderer_version: str, plan_url: str, variant: str = "") -> str:
    """Strong, because the bytes are identical for the same inputs; everything that changes the
    bytes is in it, and nothing else (no clock). The update time is in it as well as the revision:
    a check-in that changes nothing scheduled still moves the progress chart and the stamps."""
    stamp = as_utc(plan.updated_at).isoformat()
    key = f"{plan.plan_id}:{plan.revision}:{stamp}:{renderer_version}:{variant}:{plan_url}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


# ---- privacy and terms -------------------------------------------------------------------------


@bp.get("/privacy")
def privacy() -> Response:
    """The privacy notice the skill's manifest links to. The periods it promises come from the
    configuration and the store's constants, so the page cannot drift from what the code does."""
    return _page(
        "privacy.html",
        retention_days=coach_config().retention_days,
        code_days=CODE_LIFETIME.days,
        code_length_words=CODE_LENGTH_WORDS,
        wrong_code_minutes=int(WRONG_CODE_WINDOW.total_seconds() // 60),
        attempt_hours=int(ATTEMPT_MEMORY.total_seconds() // 3600),
        delete_address=f"{coach_config().base_url}/api/plans/",
    )


@bp.get("/terms")
def terms() -> Response:
    return _page(
        "terms.html",
        retention_days=coach_config().retention_days,
        red_flags=wording.RED_FLAG_NAMES.values(),
    )


# ---- helpers --------------------------------------------------------------------------------


class _RenderCache:
    """The bytes of recently served files by ETag. Safe because an ETag names exactly one output;
    it spares a calendar app that polls without If-None-Match a render per poll."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, etag: str, render: Callable[[], bytes]) -> bytes:
        with self._lock:
            body = self._items.get(etag)
            if body is not None:
                self._items.move_to_end(etag)
                return body
        body = render()
        with self._lock:
            self._items[etag] = body
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return body


_render_caches = {kind: _RenderCache(size) for kind, size in RENDER_CACHE_SIZE.items()}


@dataclass(frozen=True)
class FileAsked:
    """What a request says that decides a plan file's answer (read by `asked_in`)."""

    gzip: bool
    if_none_match: ETags | None
    if_modified_since: dt.datetime | None
    download: bool


def asked_in(environ) -> FileAsked:
    """The request's validators and preferences, parsed as Flask's request object parses them,
    from the WSGI environ alone (exporter.feed answers calendar polls without Flask)."""
    accepted = parse_accept_header(environ.get("HTTP_ACCEPT_ENCODING"))
    none_match = environ.get("HTTP_IF_NONE_MATCH")
    return FileAsked(
        gzip=accepted["gzip"] > 0,
        if_none_match=parse_etags(none_match) if none_match else None,
        if_modified_since=parse_date(environ.get("HTTP_IF_MODIFIED_SINCE")),
        download=(parse_qs(environ.get("QUERY_STRING", "")).get("download") or [None])[0] == "1",
    )


def plan_file(plan: PlanRecord, *, kind: str, variant: str, mimetype: str, filename: str,
              render: Callable[[], bytes], renderer_version: str, plan_url: str,
              compressible: bool, asked: FileAsked) -> Response:
    """A plan file with its validators. `compressible` (the calendar: text a tenth its size in
    gzip, fetched again and again by calendar apps, which ask for gzip): sent gzipped to a client
    that accepts it, as its own representation with its own ETag, compressed once per ETag."""
    etag = etag_for(plan, renderer_version=renderer_version, plan_url=plan_url, variant=variant)
    gzipped = compressible and asked.gzip
    sent_etag = f"{etag}-gzip" if gzipped else etag
    updated_at = as_utc(plan.updated_at)
    headers = {
        **FILE_HEADERS,
        "ETag": f'"{sent_etag}"',
        "Last-Modified": http_date(updated_at),
        # no-transform: a proxy must not compress or rewrite a calendar some clients read raw.
        "Cache-Control": "private, no-cache, no-transform",
    }
    if compressible:
        headers["Vary"] = "Accept-Encoding"
    if _not_modified(asked, sent_etag, updated_at):
        return Response(status=304, headers=headers)
    cache = _render_caches[kind]
    body = cache.get_or_render(etag, render)
    if gzipped:
        body = cache.get_or_render(sent_etag, lambda: gzip.compress(body, mtime=0))
        headers["Content-Encoding"] = "gzip"
    disposition = "attachment" if asked.download else "inline"
    headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return Response(body, mimetype=mimetype, headers=headers)


def _not_modified(asked: FileAsked, etag: str, updated_at: dt.datetime) -> bool:
    # RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only without it.
    if asked.if_none_match:
        return asked.if_none_match.contains_weak(etag)
    since = asked.if_modified_since
    return since is not None and updated_at.replace(microsecond=0) <= since


def calendar_file(plan: PlanRecord, token: str, base_url: str, asked: FileAsked) -> Response:
    """The plan's calendar feed as the route serves it (and exporter.feed, without Flask)."""
    page = plan_links_of.plan_url(base_url, token)  # the one link the feed needs
    return plan_file(
        plan, kind="ics", variant="", mimetype="text/calendar", filename="hamstring-plan.ics",
        render=lambda: ics.render_ics(plan, plan_url=page),
        renderer_version=ics.RENDERER_VERSION, plan_url=page, compressible=True, asked=asked,
    )


def _plan_or_none(token: str) -> PlanRecord | None:
    if not plausible_token(token):
        return None
    return plan_store().get_plan(token)


def _unknown_plan() -> Response:
    return _error(404, "There is no plan at this address. It may have been deleted, or the link is "
                  "incomplete.", "unknown_plan.html")


def _error(status: int, message: str, template: str, *, headers: dict[str, str] | None = None,
           **context) -> Response:
    """An HTML page for a browser, the service's JSON error for anything else."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    if best == "text/html":
        response = _page(template, status=status, message=message, **context)
    else:
        response = error_response(status, message)
    response.headers.update(headers or {})
    return response


def _page(template: str, *, status: int = 200, **context) -> Response:
    body = render_template(template, disclaimer=wording.DISCLAIMER, product=wording.PRODUCT_NAME, **context)
    response = Response(body, status=status, mimetype="text/html")
    response.headers.update(PAGE_HEADERS)
    return response


def _library(programme: Programme, coming: Session | None) -> list[Prescription]:
    """Each exercise the page shows once, for its how-to: the next session's first (a step back
    may use an earlier phase's), then the phases' in order."""
    seen: dict[str, Prescription] = {}
    for p in (*(coming.prescriptions if coming else ()), *(p for phase in programme.phases
                                                          for p in phase.prescriptions)):
        seen.setdefault(p.exercise_id, p)
    return list(seen.values())


def _first_weeks(programme) -> dict[str, int]:
    first: dict[str, int] = {}
    for session in programme.sessions:
        first.setdefault(session.phase_id, session.week)
    return first
