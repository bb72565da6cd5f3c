"""A runner's visit in a real headless Chromium: type the spoken code on the front page with the
keyboard, land on the plan page, follow the PDF and calendar links and read what comes back.

The app is served over real HTTP on a free loopback port. Screenshots (phone and desktop widths)
are kept in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from pathlib import Path

import pypdf
import pytest
import vobject
from werkzeug.serving import make_server

from plans.service import file_plan
from tests.samples import TENDINOPATHY

pytestmark = [pytest.mark.browser, pytest.mark.system]

SECRET_KEY = "browser-test-secret-key-0123456789-abcdefghij"
CHROMIUM = Path(os.environ.get("COACH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


class _Late:
    """The WSGI app, handed to the server before it exists: the app's base URL needs the port the
    server has only just bound."""

    app = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)


@pytest.fixture
def served(tmp_path):
    from exporter import create_app

    late = _Late()
    server = make_server("127.0.0.1", 0, late, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    late.app = create_app({
        "COACH_DATABASE_URL": f"sqlite:///{tmp_path / 'coach.sqlite3'}",
        "COACH_SECRET_KEY": SECRET_KEY,
        "COACH_BASE_URL": base_url,
        "BLUEPRINTS": ("api", "pages"),
    })
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    store = late.app.extensions["plan_store"]
    filed = file_plan(store, TENDINOPATHY, {"timezone": "Europe/London", "weekdays": ["MO", "WE", "FR"]},
                            now=dt.datetime.now(dt.UTC))
    yield base_url, filed
    server.shutdown()
    thread.join(timeout=10)
    store.close()


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}; `make test` installs it (Debian package chromium)",
                    pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        return {tag: el.tagName.toLowerCase(), id: el.id, text: el.textContent.trim(),
                outline: style.outlineStyle, outlineWidth: style.outlineWidth};
    }""")


def test_a_runner_opens_their_plan_by_code_and_takes_the_pdf_and_calendar(served, browser):
    base_url, filed = served
    context = browser.new_context(viewport={"width": 390, "height": 844}, accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"

    # The keyboard alone gets there: the skip link comes first and shows its focus.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to content"
    assert first["outline"] != "none" and first["outlineWidth"] != "0px"
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "code":
            break
    assert focused(page)["id"] == "code", "the code field can be reached with Tab"
    spoken = f"{filed.code[:3].lower()} {filed.code[3:].lower()}"
    page.keyboard.type(spoken)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == f"{base_url}/plans/{filed.token}"
    assert page.locator("h1").inner_text() == "Your hamstring plan"
    assert page.get_by_role("heading", name="What it most likely is").is_visible()
    assert page.locator(".qr svg").is_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-page-phone.png"), full_page=True)

    # Print PDF: a real PDF with the plan in it.
    pdf_link = page.get_by_role("link", name="Print PDF")
    pdf_url = pdf_link.get_attribute("href")
    assert pdf_url == f"{base_url}/plans/{filed.token}.pdf"
    pdf_response = context.request.get(pdf_url)
    assert pdf_response.status == 200
    assert pdf_response.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(pdf_response.body()))
    assert "Your hamstring plan" in reader.pages[0].extract_text()
    assert reader.metadata.author == "Hamstring Coach"

    # Download .ics: the browser saves a calendar with every session in it.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    download = download_info.value
    assert download.suggested_filename == "hamstring-plan.ics"
    calendar = vobject.readOne(Path(download.path()).read_text(encoding="utf-8"))
    assert len(calendar.vevent_list) == len(filed.plan.programme.sessions)

    # Add to calendar: the same feed by webcal://, which the phone hands to its calendar app.
    webcal = page.get_by_role("link", name="Add to calendar").get_attribute("href")
    assert webcal == f"webcal://127.0.0.1:{base_url.rsplit(':', 1)[1]}/plans/{filed.token}.ics"
    feed = context.request.get(webcal.replace("webcal://", "http://", 1))
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    assert feed.headers["etag"]
    assert vobject.readOne(feed.text()).vevent.uid.value.endswith("@hamstring-coach")

    google = page.get_by_role("link", name="Google Calendar").get_attribute("href")
    assert google.startswith("https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F")
    context.close()


def test_the_plan_page_reads_well_on_a_desktop_screen(served, browser):
    base_url, filed = served
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/plans/{filed.token}")
    # Nothing on the page comes from elsewhere: every request went to our own server.
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.reload()
    assert requests and all(url.startswith(base_url) for url in requests)
    # The calendar buttons are reached by Tab, past the skip link and the page's navigation.
    labels = []
    for _ in range(15):
        page.keyboard.press("Tab")
        labels.append(focused(page)["text"])
        if labels[-1] == "Add to calendar":
            break
    assert labels[0] == "Skip to content" and labels[-1] == "Add to calendar", labels
    assert focused(page)["outline"] != "none"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-page-desktop.png"), full_page=False)
    page.close()


def test_a_wrong_code_in_the_browser_gets_the_form_again(served, browser):
    base_url, _ = served
    page = browser.new_page()
    page.goto(base_url + "/")
    page.fill("#code", "ACDEFH")
    with page.expect_navigation():
        page.get_by_role("button", name="Open my plan").click()
    assert page.locator("h1").inner_text() == "We could not find that code"
    assert page.locator("#code").input_value() == "ACDEFH"
    page.close()
