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
    page.locator("#phone > summary").click()  # folded on the phone, under "Everything else"
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
    # The calendar buttons are reached by Tab, past the skip link, the page's navigation, the next
    # session's how-to links and the check-in form.
    labels = []
    for _ in range(60):
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
    page.fill("#code", "ACDEF HJKMN")  # code-shaped (two groups of five), but no plan has it
    with page.expect_navigation():
        page.get_by_role("button", name="Open my plan").click()
    assert page.locator("h1").inner_text() == "We could not find that code"
    assert page.locator("#code").input_value() == "ACDEFHJKMN"
    page.close()


# ---- issue 12: the page on a phone, error pages, and axe-core ---------------------------------------

PHONES = [(390, 844), (320, 568)]


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when nothing scrolls sideways)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def axe_violations(page) -> list[dict]:
    """axe-core (the axe-core-python package's bundled copy) run in the page; the page's own CSP
    allows no script, so the test injects it through the browser's devtools protocol."""
    from axe_core_python.sync_playwright import Axe

    results = Axe().run(page)
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
            for v in results["violations"]]


@pytest.mark.parametrize("width,height", PHONES, ids=["390px", "320px"])
def test_on_a_phone_the_next_session_with_its_doses_and_pictures_comes_first(served, browser, width, height):
    base_url, filed = served
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{base_url}/plans/{filed.token}")
    assert overflow(page) <= 0, "the plan page scrolls sideways"
    heading = page.locator("#next-heading")
    assert heading.is_visible()
    box = heading.bounding_box()
    assert box["y"] + box["height"] <= height, "the next session's heading is in the first screen"
    if width == 390:
        dose = page.locator("#next .dose").first
        dose_box = dose.bounding_box()
        assert dose_box["y"] + dose_box["height"] <= height, "its first dose is in the first screen"
        first_picture = page.locator("#next svg.figure-svg").first
        assert first_picture.get_attribute("aria-label")
    # Check-in and calendar follow; everything else folds, closed, behind its heading.
    order = page.evaluate("""() => ['next', 'check-in', 'calendar', 'more'].map(
        id => document.getElementById(id).getBoundingClientRect().top)""")
    assert order == sorted(order)
    folds = page.locator("#more details")
    assert folds.count() >= 6
    assert all(not folds.nth(i).evaluate("d => d.open") for i in range(folds.count()))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"plan-page-phone-{width}.png"), full_page=False)
    assert axe_violations(page) == []
    page.locator("#programme > summary").click()
    assert page.locator("#programme .phase").first.is_visible()
    page.close()


def test_a_calendar_link_to_an_exercise_opens_its_folded_how_to(served, browser):
    base_url, filed = served
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{base_url}/plans/{filed.token}")
    link = page.locator("#next .how a").first
    target = link.get_attribute("href")
    assert target.startswith("#how-")
    link.click()
    assert page.locator(target).is_visible(), f"{target}: the how-to opens from its link"
    page.close()


@pytest.mark.parametrize("path", ["/privacy", "/terms", "/"])
def test_the_privacy_terms_and_front_pages_reflow_at_320_px(served, browser, path):
    base_url, _ = served
    page = browser.new_page(viewport={"width": 320, "height": 568})
    page.goto(base_url + path)
    assert overflow(page) <= 0, f"{path} scrolls sideways at 320 px"
    assert axe_violations(page) == []
    page.close()


def test_browsers_get_error_pages_with_a_way_back_and_programs_get_json(served, browser):
    base_url, filed = served
    page = browser.new_page(viewport={"width": 320, "height": 568})
    seen = {}
    for path, status in (("/no/such/page", 404), (f"/plans/{filed.token}.pdf?size=b5", 400),
                         ("/plans/not-a-plan-token-at-all-0000", 404)):
        response = page.goto(base_url + path)
        assert response.status == status, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert page.locator("h1").is_visible()
        back = page.get_by_role("link", name="Back to the start")
        assert back.count() == 1 or page.get_by_role("link", name="Enter your plan code instead").count() == 1
        assert overflow(page) <= 0, path
        assert axe_violations(page) == [], path
        seen[status] = page.locator("h1").inner_text()
    assert seen[400] == "That address is not quite right"
    # Too many wrong codes: the browser gets a page, not JSON.
    for attempt in range(40):
        response = page.goto(f"{base_url}/c/ACDEFHJKM{'KMNPRT'[attempt % 6]}")
        if response.status == 429:
            break
    assert response.status == 429 and response.headers["content-type"].startswith("text/html")
    assert response.headers["retry-after"]
    assert page.get_by_role("link").filter(has_text="start").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "error-page-phone-320.png"))
    # A program asking for JSON still gets the service's JSON error.
    api = page.context.request.get(base_url + "/no/such/page", headers={"Accept": "application/json"})
    assert api.status == 404 and api.json()["error"]["code"] == "not_found"
    page.close()
