"""The calendar feed answered before Flask (exporter.feed): calendar apps poll it every few hours
for as long as a runner stays subscribed. Whatever it answers must be byte for byte what the Flask
route answers, and everything it does not answer (a query string, HEAD, an unknown plan, a store
that fails) must reach Flask."""

from __future__ import annotations

import pytest

from exporter import create_app
from plans.store import StoreUnavailable
from tests.exporter.test_api import create
from tests.samples import LONDON_MWF_FROM_MONDAY, SEVERE_TEAR


@pytest.fixture
def apps(app_config):
    """The service with the fast path (as it runs) and without it, on one database."""
    fast = create_app(app_config)
    flask_only = create_app({**app_config, "PLAN_STORE": fast.extensions["plan_store"],
                             "CALENDAR_FEED_FAST_PATH": False})
    yield fast, flask_only
    fast.extensions["plan_store"].close()


@pytest.fixture
def token(apps):
    fast, _ = apps
    return create(fast.test_client(), preferences=LONDON_MWF_FROM_MONDAY).get_json()["token"]


def answer(app, path: str, method: str = "GET", **headers):
    response = app.test_client().open(path, method=method, headers=headers)
    return response.status_code, sorted(response.headers.items()), response.get_data()


def flask_saw(app) -> list[str]:
    seen: list[str] = []
    app.before_request_funcs.setdefault(None, []).append(lambda: seen.append("flask"))
    return seen


def etag_of(app, path: str, **headers) -> str:
    return app.test_client().get(path, headers=headers).headers["ETag"]


REQUESTS = [
    {},
    {"Accept-Encoding": "gzip, deflate, br"},
    {"Accept-Encoding": "gzip;q=0, identity"},
    {"If-Modified-Since": "Sun, 01 Mar 2026 12:00:00 GMT"},
    {"If-Modified-Since": "Sat, 28 Feb 2026 12:00:00 GMT"},
    {"If-None-Match": '"an-older-revision"'},
    {"If-None-Match": "*"},
    {"Accept": "text/html"},
]


@pytest.mark.parametrize("headers", REQUESTS)
def test_the_fast_path_answers_exactly_what_the_route_answers(apps, token, headers):
    fast, flask_only = apps
    seen = flask_saw(fast)
    path = f"/plans/{token}.ics"
    assert answer(fast, path, **headers) == answer(flask_only, path, **headers)
    assert seen == [], "a plain poll of a plan that exists is answered before Flask"


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_matching_etag_gets_the_same_304_both_ways(apps, token, encoding):
    fast, flask_only = apps
    path = f"/plans/{token}.ics"
    etag = etag_of(fast, path, **{"Accept-Encoding": encoding})
    asked = {"If-None-Match": etag, "Accept-Encoding": encoding}
    status, _, _ = answered = answer(fast, path, **asked)
    assert status == 304
    assert answered == answer(flask_only, path, **asked)


def test_a_referral_feed_and_an_https_service_get_the_same_answer_both_ways(app_config):
    config = {**app_config, "COACH_BASE_URL": "https://coach.example"}
    fast = create_app(config)
    flask_only = create_app({**config, "PLAN_STORE": fast.extensions["plan_store"],
                             "CALENDAR_FEED_FAST_PATH": False})
    try:
        token = create(fast.test_client(), answers=SEVERE_TEAR).get_json()["token"]
        path = f"/plans/{token}.ics"
        status, headers, _ = fast_answer = answer(fast, path)
        assert status == 200 and dict(headers)["Strict-Transport-Security"]
        assert fast_answer == answer(flask_only, path)
    finally:
        fast.extensions["plan_store"].close()


@pytest.mark.parametrize("path, method", [
    ("/plans/{token}.ics?download=1", "GET"),
    ("/plans/{token}.ics", "HEAD"),
    ("/plans/{token}.ics", "POST"),
    ("/plans/NoSuchTokenAtAllNoSuchTokenAtAll.ics", "GET"),
    ("/plans/not a token.ics", "GET"),
    ("/plans/{token}.pdf", "GET"),
])
def test_what_the_fast_path_does_not_answer_reaches_flask_and_is_answered_the_same(apps, token, path, method):
    fast, flask_only = apps
    seen = flask_saw(fast)
    path = path.format(token=token)
    assert answer(fast, path, method) == answer(flask_only, path, method)
    assert seen == ["flask"]


def test_a_store_that_fails_is_answered_by_flask_as_its_errors_are(apps, token, monkeypatch):
    fast, flask_only = apps
    store = fast.extensions["plan_store"]

    def down(*args, **kwargs):
        raise StoreUnavailable("database is locked")

    monkeypatch.setattr(store, "get_plan", down)
    seen = flask_saw(fast)
    path = f"/plans/{token}.ics"
    status, _, _ = answered = answer(fast, path, Accept="application/json")
    assert status == 503
    assert answered == answer(flask_only, path, Accept="application/json")
    assert seen == ["flask"]


def test_without_the_pages_there_is_no_fast_path_either(app_config):
    api_only = create_app({**app_config, "BLUEPRINTS": ("api",)})
    try:
        token = create(api_only.test_client()).get_json()["token"]
        assert api_only.test_client().get(f"/plans/{token}.ics").status_code == 404
    finally:
        api_only.extensions["plan_store"].close()
