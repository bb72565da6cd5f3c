"""The runner's pages through Flask's test client: the code form and its rate limit, the plan page,
and the PDF and calendar as a browser or a calendar app fetches them."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import pypdf
import pytest
import vobject
from plan_samples import full_plan

from exporter import ics, pages, pdf, wording
from plans import service
from tests.samples import LONDON_MWF_FROM_MONDAY, SEVERE_TEAR, TENDINOPATHY

HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
# The base URL tests/conftest.py gives the app (not imported: another directory's conftest.py may
# be the module named "conftest" when the whole suite runs).
BASE_URL = "https://coach.example"


@pytest.fixture(autouse=True)
def _base_url_is_the_shared_one(app):
    assert app.config["COACH"].base_url == BASE_URL


@pytest.fixture
def file_plan(app, clock):
    def file(answers=TENDINOPATHY, preferences=LONDON_MWF_FROM_MONDAY):
        return service.file_plan(app.extensions["plan_store"], answers, preferences, now=clock())

    return file


@pytest.fixture
def filed(file_plan):
    return file_plan()


class Page(HTMLParser):
    """What a test needs to know about a page: links, headings, landmarks, labels and text."""

    def __init__(self, html: str):
        super().__init__()
        self.urls: list[str] = []
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.labels: set[str] = set()
        self.inputs: list[str] = []
        self.html_lang = None
        self.text_parts: list[str] = []
        self.feed(html)
        self.text = " ".join("".join(self.text_parts).split())

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        for name in ("href", "src", "action"):
            if attributes.get(name):
                self.urls.append(attributes[name])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "label":
            self.labels.add(attributes.get("for"))
        if tag == "input" and attributes.get("type") != "hidden":
            self.inputs.append(attributes.get("id"))
        if tag == "html":
            self.html_lang = attributes.get("lang")

    def handle_data(self, data):
        self.text_parts.append(data)


def external_urls(page: Page) -> list[str]:
    own_host = urlsplit(BASE_URL).netloc
    found = []
    for url in page.urls:
        parts = urlsplit(url)
        ours = parts.scheme in ("http", "https", "webcal") and parts.netloc == own_host
        if parts.scheme in ("", "data") or ours:
            continue
        found.append(url)
    return found


def assert_accessible_structure(page: Page) -> None:
    assert page.html_lang == "en"
    assert {"header", "main", "footer"} <= set(page.tags)
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"
    assert all(field in page.labels for field in page.inputs), "every field has a label"


# ---- the front page and codes -----------------------------------------------------------------


def test_the_front_page_says_what_this_is_and_offers_the_code_form(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = Page(response.get_data(as_text=True))
    assert_accessible_structure(page)
    assert "Alexa skill for runners" in page.text
    assert "Not a substitute for professional medical advice." in page.text
    assert "code" in page.inputs and "/c" in page.urls
    assert external_urls(page) == []


def test_a_spoken_code_redirects_to_the_plan_page(client, filed):
    response = client.get(f"/c/{filed.code}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{filed.token}"
    assert response.headers["Cache-Control"] == "no-store"


def test_case_spaces_and_dashes_in_a_code_do_not_matter(client, filed):
    typed = f"{filed.code[:3].lower()} -{filed.code[3:].lower()}"
    response = client.get(f"/c/{quote(typed)}")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/plans/{filed.token}"


def test_the_form_posts_the_code_and_is_sent_on_with_see_other(client, filed):
    response = client.post("/c", data={"code": filed.code.lower()})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/plans/{filed.token}"


def test_an_unknown_code_gets_a_friendly_page_with_the_form_again(client, filed):
    response = client.get("/c/ACDEFHJKMN", headers=HTML)
    assert response.status_code == 404
    page = Page(response.get_data(as_text=True))
    assert_accessible_structure(page)
    assert "We could not find that code" in page.text
    assert "code" in page.inputs
    assert 'value="ACDEFHJKMN"' in response.get_data(as_text=True)


def test_something_that_cannot_be_a_code_is_a_400_page_that_says_what_a_code_looks_like(client):
    response = client.get("/c/hello", headers=HTML)
    assert response.status_code == 400
    page = Page(response.get_data(as_text=True))
    assert_accessible_structure(page)
    assert "That is not a plan code" in page.text
    assert "code" in page.inputs  # the form again, and a way back
    assert client.get("/c/hello", headers=JSON).get_json()["error"]["code"] == "bad_request"


def test_an_unknown_code_is_a_json_error_for_a_program(client):
    response = client.get("/c/ACDEFHJKMN", headers=JSON)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_an_expired_code_no_longer_opens_the_plan(client, filed, clock):
    clock.advance(days=31)
    assert client.get(f"/c/{filed.code}", headers=HTML).status_code == 404


def test_after_ten_wrong_codes_in_a_minute_even_the_right_code_is_refused(client, filed, clock):
    for attempt in range(10):
        assert client.get(f"/c/ACDEFHJKM{'KMNPRT'[attempt % 6]}", headers=HTML).status_code == 404
        clock.advance(seconds=1)
    refused = client.get(f"/c/{filed.code}", headers=HTML)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60  # until the oldest wrong code is a minute old
    assert "Too many attempts" in Page(refused.get_data(as_text=True)).text
    as_json = client.post("/c", data={"code": filed.code}, headers=JSON)
    assert as_json.status_code == 429
    assert as_json.get_json()["error"]["code"] == "too_many_requests"
    clock.advance(seconds=60)
    assert client.get(f"/c/{filed.code}").status_code == 302


def test_nine_wrong_codes_do_not_lock_anyone_out(client, filed):
    for _ in range(9):
        client.get("/c/ACDEFHJKMN")
    assert client.get(f"/c/{filed.code}").status_code == 302


def type_wrong_codes(client, count: int, **headers) -> None:
    for attempt in range(count):
        assert client.get(f"/c/ACDEFHJKM{'KMNPRT'[attempt % 6]}", headers=headers).status_code == 404


def test_behind_a_trusted_proxy_each_visitor_has_their_own_wrong_code_allowance(app_config, filed):
    from exporter import create_app

    proxied = create_app({**app_config, "COACH_TRUSTED_PROXIES": "1"})
    try:
        client = proxied.test_client()  # every request comes from the proxy, 127.0.0.1
        # The proxy appends the address it saw; what the visitor wrote before it is not believed.
        type_wrong_codes(client, 10, **{"X-Forwarded-For": "10.9.9.9, 198.51.100.7"})
        assert client.get(f"/c/{filed.code}", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 302
        blocked = {"X-Forwarded-For": "10.1.1.1, 198.51.100.7"}  # a new forged prefix changes nothing
        assert client.get(f"/c/{filed.code}", headers=blocked).status_code == 429
    finally:
        proxied.extensions["plan_store"].close()


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(client, filed):
    type_wrong_codes(client, 10, **{"X-Forwarded-For": "198.51.100.7"})
    assert client.get(f"/c/{filed.code}", headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429


# ---- the plan page ------------------------------------------------------------------------------


def test_the_plan_page_shows_the_summary_sessions_and_programme(client, filed, clock):
    clock.now = dt.datetime(2026, 3, 4, 5, 0, tzinfo=dt.UTC)  # a Wednesday, before the 07:00 session
    response = client.get(f"/plans/{filed.token}")
    assert response.status_code == 200
    page = Page(response.get_data(as_text=True))
    assert_accessible_structure(page)
    plan = filed.plan
    for text in ("What it most likely is", "Running:", "Today's care", "Coming up", "Your programme",
                 "Red flags: when to see a clinician", "Put it in your calendar", "References"):
        assert text in page.text
    assert plan.programme.care_advice[0].text in page.text
    # Today's session comes first, with its doses, before the check-in and the calendar.
    first = page.text.split("Your hamstring plan", 2)[-1].split("How did it go?")[0]
    today = next(s for s in plan.programme.sessions if s.date == dt.date(2026, 3, 4))
    assert f"Today: {wording.short_title(today)} Wednesday 4 March 2026, 07:00" in first
    for prescription in today.prescriptions:
        assert f"{prescription.name} {prescription.dosage.text}" in first
    assert "Monday 2 March 2026" not in first  # past sessions are not "next"
    for phase in plan.programme.phases:
        assert phase.name in page.text
        assert phase.prescriptions[0].dosage.text in page.text


def test_the_plan_page_offers_webcal_google_download_and_pdf_links(client, filed):
    html = client.get(f"/plans/{filed.token}").get_data(as_text=True)
    page = Page(html)
    feed = f"coach.example/plans/{filed.token}.ics"
    assert f"webcal://{feed}" in page.urls
    assert "https://calendar.google.com/calendar/r?cid=" + quote(f"webcal://{feed}", safe="") in page.urls
    assert f"https://{feed}?download=1" in page.urls
    assert f"https://coach.example/plans/{filed.token}.pdf" in page.urls
    assert "Google Calendar and Outlook ignore the reminders in a subscribed calendar" in page.text
    for label in ("Add to calendar", "Google Calendar", "Download .ics", "Print PDF"):
        assert label in page.text


def test_the_plan_page_has_no_external_resources_but_the_google_and_licence_links(client, filed):
    page = Page(client.get(f"/plans/{filed.token}").get_data(as_text=True))
    hosts = [urlsplit(url).netloc for url in external_urls(page)]
    assert hosts == ["calendar.google.com", "creativecommons.org"]


def test_the_qr_code_is_inline_svg_for_the_plan_page(client, filed):
    html = client.get(f"/plans/{filed.token}").get_data(as_text=True)
    assert "<svg" in html and 'class="qr"' in html
    assert f"https://coach.example/plans/{filed.token}" in Page(html).text


def test_the_plan_page_is_private_and_keeps_the_token_out_of_referrers(client, filed):
    response = client.get(f"/plans/{filed.token}")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_a_red_flag_is_called_out_on_the_plan_page(client, file_plan):
    severe = file_plan(SEVERE_TEAR)
    page = Page(client.get(f"/plans/{severe.token}").get_data(as_text=True))
    assert "See a clinician first" in page.text
    assert "Stop and see a clinician" in page.text


@pytest.mark.parametrize("suffix", ["", ".pdf", ".ics"])
def test_an_unknown_token_is_not_found(client, suffix):
    assert client.get(f"/plans/NoSuchTokenAtAllNoSuchTokenAtAll{suffix}", headers=HTML).status_code == 404
    assert client.get(f"/plans/{'x' * 300}{suffix}", headers=JSON).status_code == 404


def test_an_unknown_plan_page_is_friendly_html(client):
    response = client.get("/plans/NoSuchTokenAtAllNoSuchTokenAtAll", headers=HTML)
    assert "Plan not found" in Page(response.get_data(as_text=True)).text


# ---- the calendar feed --------------------------------------------------------------------------


def test_the_calendar_is_served_as_text_calendar_with_an_etag(client, filed):
    response = client.get(f"/plans/{filed.token}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "Content-Encoding" not in response.headers
    assert response.headers["Vary"] == "Accept-Encoding"
    etag = response.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert response.headers["Last-Modified"] == "Sun, 01 Mar 2026 12:00:00 GMT"
    assert "private" in response.headers["Cache-Control"]
    assert response.headers["Content-Disposition"].startswith("inline")
    calendar = vobject.readOne(response.get_data(as_text=True))
    assert len(calendar.vevent_list) == len(filed.plan.programme.sessions)
    assert calendar.vevent.url.value == f"{BASE_URL}/plans/{filed.token}"


def test_a_calendar_app_that_accepts_gzip_gets_the_same_calendar_gzipped_with_its_own_etag(client, filed):
    feed = f"/plans/{filed.token}.ics"
    plain = client.get(feed)
    zipped = client.get(feed, headers={"Accept-Encoding": "gzip, deflate"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.get_data()) == plain.get_data()
    assert len(zipped.get_data()) * 4 < len(plain.get_data())
    # Two representations, two strong validators; each answers 304 to its own.
    assert zipped.headers["ETag"] != plain.headers["ETag"]
    again = client.get(feed, headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == zipped.headers["ETag"]
    assert client.get(feed, headers={"If-None-Match": zipped.headers["ETag"]}).status_code == 200
    # The same bytes every time (no timestamp in the gzip header), so the ETag names them.
    assert client.get(feed, headers={"Accept-Encoding": "gzip"}).get_data() == zipped.get_data()


@pytest.mark.parametrize("accepted", ["identity", "gzip;q=0", "br"])
def test_a_client_that_does_not_accept_gzip_gets_the_calendar_as_it_is(client, filed, accepted):
    response = client.get(f"/plans/{filed.token}.ics", headers={"Accept-Encoding": accepted})
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(b"BEGIN:VCALENDAR")


def test_the_pdf_is_never_gzipped(client, filed):
    response = client.get(f"/plans/{filed.token}.pdf", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers and "Vary" not in response.headers


def test_a_matching_if_none_match_gets_304_without_rendering(client, filed, monkeypatch):
    etag = client.get(f"/plans/{filed.token}.ics").headers["ETag"]

    def must_not_render(*args, **kwargs):
        raise AssertionError("a 304 must not render the calendar")

    monkeypatch.setattr(ics, "render_ics", must_not_render)
    response = client.get(f"/plans/{filed.token}.ics", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag


def test_a_stale_etag_gets_the_calendar_again(client, filed):
    response = client.get(f"/plans/{filed.token}.ics", headers={"If-None-Match": '"an-older-revision"'})
    assert response.status_code == 200
    assert response.get_data().startswith(b"BEGIN:VCALENDAR")


def test_if_modified_since_the_last_change_gets_304(client, filed):
    feed = f"/plans/{filed.token}.ics"
    response = client.get(feed, headers={"If-Modified-Since": "Sun, 01 Mar 2026 12:00:00 GMT"})
    assert response.status_code == 304
    earlier = client.get(feed, headers={"If-Modified-Since": "Sat, 28 Feb 2026 12:00:00 GMT"})
    assert earlier.status_code == 200


def test_a_repeat_poll_is_served_from_the_rendered_bytes(client, filed, monkeypatch):
    renders = []
    real_render = ics.render_ics
    monkeypatch.setattr(ics, "render_ics", lambda *a, **k: renders.append(1) or real_render(*a, **k))
    first = client.get(f"/plans/{filed.token}.ics").get_data()
    second = client.get(f"/plans/{filed.token}.ics").get_data()
    assert first == second and len(renders) == 1


def test_download_asks_the_browser_to_save_a_file(client, filed):
    response = client.get(f"/plans/{filed.token}.ics?download=1")
    assert response.headers["Content-Disposition"] == 'attachment; filename="hamstring-plan.ics"'


def test_head_answers_the_headers_without_a_body(client, filed):
    response = client.head(f"/plans/{filed.token}.ics")
    assert response.status_code == 200 and response.get_data() == b""
    assert response.headers["ETag"]


def test_the_etag_changes_with_the_revision_the_renderer_and_the_address():
    plan, revised = full_plan(), full_plan(revision=2)
    url = f"{BASE_URL}/plans/t"
    first = pages.etag_for(plan, renderer_version="ics-1", plan_url=url)
    assert first == pages.etag_for(full_plan(), renderer_version="ics-1", plan_url=url)
    assert first != pages.etag_for(revised, renderer_version="ics-1", plan_url=url)
    assert first != pages.etag_for(plan, renderer_version="ics-2", plan_url=url)
    assert first != pages.etag_for(plan, renderer_version="ics-1", plan_url="https://elsewhere.example/plans/t")


# ---- deleting from the page -----------------------------------------------------------------------


def test_the_plan_page_leads_to_a_confirmation_and_a_get_never_deletes(client, filed):
    page = Page(client.get(f"/plans/{filed.token}", headers=HTML).get_data(as_text=True))
    assert f"/plans/{filed.token}/delete" in page.urls
    confirm = client.get(f"/plans/{filed.token}/delete", headers=HTML)
    assert confirm.status_code == 200
    assert confirm.headers["Cache-Control"] == "no-store"
    asked = Page(confirm.get_data(as_text=True))
    assert_accessible_structure(asked)
    assert "cannot be undone" in asked.text
    assert f"/plans/{filed.token}/delete" in asked.urls and f"/plans/{filed.token}" in asked.urls
    assert client.get(f"/plans/{filed.token}").status_code == 200, "looking at the question deletes nothing"


def test_confirming_deletes_the_plan_its_code_and_its_calendar(client, filed):
    done = client.post(f"/plans/{filed.token}/delete", headers=HTML)
    assert done.status_code == 200
    assert "Your plan is deleted" in Page(done.get_data(as_text=True)).text
    for gone in (f"/plans/{filed.token}", f"/plans/{filed.token}.ics", f"/plans/{filed.token}.pdf",
                 f"/c/{filed.code}", f"/plans/{filed.token}/delete"):
        assert client.get(gone).status_code == 404, gone
    assert client.post(f"/plans/{filed.token}/delete", headers=HTML).status_code == 404


def test_deleting_an_unknown_plan_is_a_404(client):
    assert client.post("/plans/not-a-real-token/delete", headers=JSON).status_code == 404
    assert client.post(f"/plans/{'x' * 100}/delete", headers=JSON).status_code == 404


# ---- the PDF ------------------------------------------------------------------------------------


def media_box(body: bytes) -> tuple[int, int]:
    box = pypdf.PdfReader(io.BytesIO(body)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_the_pdf_is_a4_for_a_london_plan_and_letter_on_request(client, filed):
    response = client.get(f"/plans/{filed.token}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert media_box(response.get_data()) == (595, 842)
    assert media_box(client.get(f"/plans/{filed.token}.pdf?size=letter").get_data()) == (612, 792)
    assert response.headers["ETag"] != client.get(f"/plans/{filed.token}.pdf?size=letter").headers["ETag"]


def test_the_pdf_is_letter_by_default_for_a_new_york_plan(client, file_plan):
    new_york = file_plan(preferences={**LONDON_MWF_FROM_MONDAY, "timezone": "America/New_York"})
    assert media_box(client.get(f"/plans/{new_york.token}.pdf").get_data()) == (612, 792)
    assert media_box(client.get(f"/plans/{new_york.token}.pdf?size=a4").get_data()) == (595, 842)


def test_an_unknown_paper_size_is_a_clear_400(client, filed):
    response = client.get(f"/plans/{filed.token}.pdf?size=a3")
    assert response.status_code == 400
    assert "a4 or letter" in response.get_json()["error"]["message"]


def first_page_text(body: bytes) -> str:
    return " ".join(pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text().split())


def test_the_pdf_prints_the_short_code_address_and_until_when_it_works(client, filed):
    text = first_page_text(client.get(f"/plans/{filed.token}.pdf").get_data())
    # https:// is left off: it is the address to type, and browsers add it themselves.
    assert f"coach.example/c/{filed.code}" in text and "https://coach.example/c/" not in text
    # Filed mid-day, the code stops mid-day on its 30th day: the last whole day is the one before.
    expires = filed.code_expires_at.astimezone(ZoneInfo("Europe/London"))
    assert expires.time() != dt.time(0, 0)
    assert f"works until {wording.day_and_date(expires.date() - dt.timedelta(days=1))}" in text
    assert client.get(f"/c/{filed.code}").headers["Location"].endswith(f"/plans/{filed.token}")


def test_a_plan_without_a_kept_code_prints_its_own_address(client, filed, sql):
    sql("UPDATE plans SET sealed_code = NULL, code_expires_at = NULL")
    text = first_page_text(client.get(f"/plans/{filed.token}.pdf").get_data())
    assert f"{BASE_URL}/plans/{filed.token}" in text.replace(" ", "")
    assert "/c/" not in text and "works until" not in text


def test_the_pdf_is_the_same_bytes_each_time_and_answers_304(client, filed, monkeypatch):
    first = client.get(f"/plans/{filed.token}.pdf")
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: pytest.fail("304 must not render"))
    again = client.get(f"/plans/{filed.token}.pdf", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert "Page 1 of" in pypdf.PdfReader(io.BytesIO(first.get_data())).pages[0].extract_text()
