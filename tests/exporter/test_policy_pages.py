"""The privacy notice and terms of use that the skill's manifest links to (`<COACH_BASE_URL>/privacy`
and `/terms`): served as pages like the others, with the retention period read from the running
configuration, and each checkable claim they make held against what the code does."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from exporter import create_app, wording
from plans.codes import CODE_LIFETIME
from plans.config import DEFAULT_RETENTION_DAYS
from plans.service import file_plan
from tests.samples import LONDON_MWF_FROM_MONDAY, TENDINOPATHY

ROOT = Path(__file__).resolve().parents[2]
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
# Not the default, so a page that printed a hard-coded 180 would fail.
RETENTION_DAYS = 47
PRIVACY_HEADINGS = [
    "Privacy",
    "What is kept, and why",
    "How it is stored",
    "What is never kept",
    "Who can see your plan",
    "How long it is kept",
    "How to delete your data",
    "Health information and who runs this service",
    "Amazon and other companies",
    "Cookies and this website",
]
TERMS_HEADINGS = [
    "Terms of use",
    "Not medical advice",
    "When to see a clinician instead",
    "At your own risk",
    "Your plan and its link",
    "Changes",
]


@pytest.fixture
def app_config(app_config):
    assert RETENTION_DAYS != DEFAULT_RETENTION_DAYS
    return {**app_config, "COACH_RETENTION_DAYS": RETENTION_DAYS}


class Page(HTMLParser):
    """Headings, links, inline code, tags, and the text of the page and of its footer."""

    def __init__(self, html: str):
        super().__init__()
        self.headings: list[str] = []
        self.urls: list[str] = []
        self.footer_urls: list[str] = []
        self.codes: list[str] = []
        self.tags: list[str] = []
        self._open: list[str] = []
        self._heading: list[str] | None = None
        self._code: list[str] | None = None
        self._text: list[str] = []
        self.feed(html)
        self.text = " ".join("".join(self._text).split())

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append(tag)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        if tag == "code":
            self._code = []
        for name in ("href", "src", "action"):
            if attributes.get(name):
                self.urls.append(attributes[name])
                if "footer" in self._open:
                    self.footer_urls.append(attributes[name])
        if tag not in ("meta", "link", "input", "br", "img"):
            self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if tag == "code" and self._code is not None:
            self.codes.append(" ".join("".join(self._code).split()))
            self._code = None
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        self._text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._code is not None:
            self._code.append(data)


def get_page(client, path: str) -> Page:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return Page(response.get_data(as_text=True))


# ---- the privacy notice -----------------------------------------------------------------------


def test_the_privacy_page_is_html_with_its_sections(client):
    page = get_page(client, "/privacy")
    assert page.headings == PRIVACY_HEADINGS
    assert {"header", "main", "footer"} <= set(page.tags)


def test_the_privacy_page_gives_the_configured_retention_not_the_default(client):
    text = get_page(client, "/privacy").text
    assert f"plans that have not changed for {RETENTION_DAYS} days, with their codes" in text
    assert f"unfinished checks that have not changed for {RETENTION_DAYS} days" in text
    assert str(DEFAULT_RETENTION_DAYS) not in text


def test_a_one_day_retention_reads_as_one_day(app_config):
    app = create_app({**app_config, "COACH_RETENTION_DAYS": 1})
    try:
        text = Page(app.test_client().get("/privacy").get_data(as_text=True)).text
    finally:
        app.extensions["plan_store"].close()
    assert "have not changed for 1 day," in text
    assert "1 days" not in text


def test_the_privacy_page_says_what_is_never_kept_and_who_sees_a_plan(client):
    text = get_page(client, "/privacy").text
    assert "Your Alexa user id as it is: only the keyed hash above." in text
    assert "Your plan's link or its code as they are" in text
    assert "Anyone who has your plan's link, or its ten-character code while the code works" in text
    assert f"{CODE_LIFETIME.days} days" in text
    assert "This website sets no cookies." in text
    assert "Nothing is shared with, or sold to, anyone else." in text


def test_the_delete_request_the_privacy_page_shows_deletes_the_plan(client, app, clock):
    filed = file_plan(app.extensions["plan_store"], TENDINOPATHY, LONDON_MWF_FROM_MONDAY, now=clock())
    commands = [code for code in get_page(client, "/privacy").codes if code.startswith("curl -X DELETE ")]
    assert commands == ["curl -X DELETE https://coach.example/api/plans/<token>"]
    address = commands[0].removeprefix("curl -X DELETE ").replace("<token>", filed.token)
    assert client.get(f"/plans/{filed.token}").status_code == 200
    assert client.delete(urlsplit(address).path).status_code == 204
    assert client.get(f"/plans/{filed.token}", headers=HTML).status_code == 404


@pytest.mark.parametrize("model", sorted((ROOT / "interaction_models").glob("*.json")), ids=lambda p: p.stem)
def test_the_spoken_delete_the_privacy_page_quotes_is_understood_in_every_locale(client, model):
    assert "Alexa, ask hamstring coach to delete my data" in get_page(client, "/privacy").text
    language = json.loads(model.read_text(encoding="utf-8"))["interactionModel"]["languageModel"]
    assert language["invocationName"] == "hamstring coach"
    delete = next(intent for intent in language["intents"] if intent["name"] == "DeleteMyDataIntent")
    assert "delete my data" in delete["samples"]


def test_the_skill_asks_only_for_reminders_as_the_privacy_page_says(client):
    text = get_page(client, "/privacy").text
    assert "The skill asks for one Alexa permission: to set the reminders you agree to." in text
    manifest = json.loads((ROOT / "skill.json").read_text(encoding="utf-8"))["manifest"]
    assert manifest["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]


# ---- the terms of use ---------------------------------------------------------------------------


def test_the_terms_page_is_html_with_its_sections(client):
    page = get_page(client, "/terms")
    assert page.headings == TERMS_HEADINGS
    assert {"header", "main", "footer"} <= set(page.tags)


def test_the_terms_say_it_is_not_advice_nor_a_diagnosis_and_is_used_at_own_risk(client):
    text = get_page(client, "/terms").text
    assert "is not a substitute for professional medical advice, diagnosis or treatment" in text
    assert "it does not diagnose" in text
    assert "You use Hamstring Coach at your own risk." in text
    assert "The service is provided as is" in text


def test_the_terms_send_every_red_flag_to_a_clinician(client):
    text = get_page(client, "/terms").text
    assert "see a physiotherapist or doctor promptly, if you have any of these:" in text
    for flag in wording.RED_FLAG_NAMES.values():
        assert flag in text


def test_the_terms_give_the_configured_retention(client):
    text = get_page(client, "/terms").text
    assert f"Plans are deleted once they have not changed for {RETENTION_DAYS} days." in text
    assert str(DEFAULT_RETENTION_DAYS) not in text


# ---- what every page shares -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/privacy", "/terms", "/plans/NoSuchTokenAtAllNoSuchTokenAtAll"])
def test_every_page_links_to_privacy_and_terms_in_its_footer(client, path):
    response = client.get(path, headers=HTML)
    assert response.mimetype == "text/html"
    footer = Page(response.get_data(as_text=True)).footer_urls
    assert "/privacy" in footer and "/terms" in footer
    for url in ("/privacy", "/terms"):
        assert client.get(url, headers=HTML).status_code == 200


@pytest.mark.parametrize("path", ["/", "/privacy", "/terms"])
def test_the_pages_set_no_cookie_run_no_script_and_load_nothing_from_elsewhere(client, path):
    response = client.get(path, headers=HTML)
    assert "Set-Cookie" not in response.headers
    assert "script-src 'none'" in response.headers["Content-Security-Policy"]
    page = Page(response.get_data(as_text=True))
    assert "script" not in page.tags and "iframe" not in page.tags
    foreign = [url for url in page.urls if urlsplit(url).netloc not in ("", "coach.example")]
    assert foreign == []


def test_the_stylesheet_pulls_in_no_fonts_or_styles_from_elsewhere(client):
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "@import" not in css and "@font-face" not in css
    assert "url(http" not in css.replace(" ", "").replace("'", "").replace('"', "")


NEIGHBOURS = ["/privacy/", "/privacy.json", "/privacy.html", "/terms/extra", "/terms.txt"]


@pytest.mark.parametrize("path", NEIGHBOURS)
def test_addresses_next_to_the_pages_are_not_found_as_json_for_a_program(client, path):
    response = client.get(path, headers=JSON)
    assert response.status_code == 404
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", NEIGHBOURS)
def test_addresses_next_to_the_pages_are_a_not_found_page_with_a_way_back_for_a_browser(client, path):
    response = client.get(path, headers=HTML)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in html and 'href="/"' in html
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("path", ["/privacy", "/terms"])
def test_the_pages_only_answer_get(client, path):
    response = client.post(path, headers=JSON)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    page = client.post(path, headers=HTML)
    assert page.status_code == 405 and page.mimetype == "text/html"
    assert "GET" in page.headers["Allow"]
