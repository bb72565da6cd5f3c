"""The JSON API end to end through Flask's test client, on SQLite and on PostgreSQL: what a
client sends, what it gets back, and every way a request can go wrong."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from plans.codes import CODE_ALPHABET, CODE_LENGTH
from plans.store import PlanStore
from tests.samples import LONDON_MWF, PLAN_REQUEST, TIGHTNESS

SECRET = "test-secret-key-for-hashes-0123456789-abcdefghij"
BASE = "https://coach.example"


@pytest.fixture
def app_config(app_config):
    # The API alone: the pages and the Alexa endpoint have tests of their own (test_app.py checks
    # that the real app serves all three).
    return {**app_config, "BLUEPRINTS": ("api",)}


def create(client, answers=None, preferences=None, **kwargs):
    body = {"answers": TIGHTNESS if answers is None else answers}
    if preferences is not None:
        body["preferences"] = preferences
    return client.post("/api/plans", json=body, **kwargs)


def error_of(response) -> dict:
    assert response.mimetype == "application/json", response.data[:200]
    body = response.get_json()
    assert set(body) == {"error"}
    assert {"code", "message"} <= set(body["error"])
    assert "Traceback" not in response.get_data(as_text=True)
    return body["error"]


def detail_at(error: dict, *loc) -> dict:
    matching = [detail for detail in error["details"] if tuple(detail["loc"]) == loc]
    assert matching, f"no detail at {loc}: {error['details']}"
    return matching[0]


# ---- creating, reading, deleting ----------------------------------------------------------


def test_creating_a_plan_answers_201_with_token_code_assessment_and_links(client, clock):
    response = create(client, preferences=LONDON_MWF)
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "code", "code_expires_at", "revision", "assessment", "links"}
    token = body["token"]
    assert len(body["code"]) == CODE_LENGTH and set(body["code"]) <= set(CODE_ALPHABET)
    assert dt.datetime.fromisoformat(body["code_expires_at"]) == clock.now + dt.timedelta(days=30)
    assert body["revision"] == 1
    categories = {"tightness", "tendinopathy", "strain_low_grade", "strain", "refer"}
    assert body["assessment"]["category"] in categories
    assert body["links"] == {
        "page": f"{BASE}/plans/{token}",
        "pdf": f"{BASE}/plans/{token}.pdf",
        "ics": f"{BASE}/plans/{token}.ics",
        "webcal": f"webcal://coach.example/plans/{token}.ics",
    }
    assert response.headers["Location"] == f"/api/plans/{token}"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_created_plan_reads_back_with_its_programme(client, app):
    created = create(client, preferences=LONDON_MWF).get_json()
    response = client.get(f"/api/plans/{created['token']}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    assert body["revision"] == 1
    assert body["assessment"] == created["assessment"]
    assert body["answers"] == TIGHTNESS
    assert body["preferences"]["timezone"] == "Europe/London"
    assert body["preferences"]["start_date"] == "2026-03-02"  # tomorrow, as the clock sees it
    assert body["programme"]["sessions"], "the programme has dated sessions"
    assert body["links"] == created["links"]
    stored = app.extensions["plan_store"].get_plan(created["token"])
    assert body["programme"] == json.loads(stored.programme.model_dump_json())


def test_preferences_may_be_left_out_entirely(client):
    response = create(client)
    assert response.status_code == 201
    plan = client.get(f"/api/plans/{response.get_json()['token']}").get_json()
    assert plan["preferences"]["timezone"] == "UTC"


def test_the_spoken_code_leads_to_the_same_plan(client, app, clock):
    created = create(client).get_json()
    assert app.extensions["plan_store"].token_for_code(created["code"].lower(), clock.now) == created["token"]


def test_deleting_a_plan_answers_204_and_it_is_gone_with_its_code(client, app, clock):
    created = create(client).get_json()
    response = client.delete(f"/api/plans/{created['token']}")
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(f"/api/plans/{created['token']}").status_code == 404
    assert app.extensions["plan_store"].token_for_code(created["code"], clock.now) is None
    assert error_of(client.delete(f"/api/plans/{created['token']}"))["code"] == "not_found"


@pytest.mark.parametrize("token", ["nope", "x" * 43, "x" * 500])
def test_an_unknown_token_is_404_json(client, token):
    create(client)
    for response in (client.get(f"/api/plans/{token}"), client.delete(f"/api/plans/{token}")):
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


# ---- validation: 400 with one detail per field --------------------------------------------


def test_a_pain_score_of_11_is_refused_at_that_field(client):
    response = create(client, answers={**TIGHTNESS, "pain_score": 11})
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert "less than or equal to 10" in detail_at(error, "answers", "pain_score")["msg"]


def test_an_unknown_place_on_the_leg_is_refused_at_that_field(client):
    error = error_of(create(client, answers={**TIGHTNESS, "location": "calf"}))
    assert detail_at(error, "answers", "location")["type"] == "literal_error"


def test_an_unknown_time_zone_is_refused_at_that_field(client):
    error = error_of(create(client, preferences={**LONDON_MWF, "timezone": "Mars/Olympus_Mons"}))
    assert "unknown time zone" in detail_at(error, "preferences", "timezone")["msg"]


def test_a_day_that_is_not_a_weekday_is_refused_at_that_field(client):
    error = error_of(create(client, preferences={**LONDON_MWF, "weekdays": ["MO", "XX"]}))
    assert "not weekdays" in detail_at(error, "preferences", "weekdays")["msg"]


def test_a_start_two_years_ahead_is_refused(client, clock):
    two_years = (clock.now + dt.timedelta(days=730)).date().isoformat()
    error = error_of(create(client, preferences={**LONDON_MWF, "start_date": two_years}))
    assert "more than a year away" in detail_at(error, "preferences")["msg"]


def test_a_start_within_the_year_is_accepted(client, clock):
    in_six_months = (clock.now + dt.timedelta(days=180)).date().isoformat()
    response = create(client, preferences={**LONDON_MWF, "start_date": in_six_months})
    assert response.status_code == 201


def test_several_mistakes_are_all_reported_at_once(client):
    error = error_of(create(client, answers={**TIGHTNESS, "pain_score": -1, "pop": "maybe"},
                            preferences={**LONDON_MWF, "time": "25:00"}))
    locations = {tuple(detail["loc"]) for detail in error["details"]}
    assert {("answers", "pain_score"), ("answers", "pop"), ("preferences", "time")} <= locations


def test_unknown_fields_are_refused_rather_than_ignored(client):
    body = {"answers": {**TIGHTNESS, "colour": "red"}, "extra": 1}
    error = error_of(client.post("/api/plans", json=body))
    locations = {tuple(detail["loc"]) for detail in error["details"]}
    assert {("answers", "colour"), ("extra",)} <= locations


def test_an_unfinished_triage_is_refused_naming_the_next_question(client):
    unfinished = {key: value for key, value in TIGHTNESS.items() if key != "nerve_symptoms"}
    response = create(client, answers=unfinished)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "triage_incomplete"
    assert detail_at(error, "answers", "nerve_symptoms")["type"] == "missing"


def test_an_unsure_answer_finishes_a_question(client):
    assert create(client, answers={**TIGHTNESS, "pop": "unsure", "bruising": "unsure"}).status_code == 201


def test_missing_answers_are_refused(client):
    error = error_of(client.post("/api/plans", json={"preferences": LONDON_MWF}))
    assert detail_at(error, "answers")["type"] == "missing"


def test_validation_errors_do_not_echo_the_submitted_answers(client):
    response = create(client, answers={**TIGHTNESS, "pain_score": 11, "days_since": "a long while"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "a long while" not in text
    assert '"input"' not in text


# ---- malformed requests -------------------------------------------------------------------


def test_a_body_that_is_not_json_is_400_json(client):
    response = client.post("/api/plans", data="answers=yes", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "application/json" in error_of(response)["message"]


@pytest.mark.parametrize("raw", [b"", b"{", b"{'answers': {}}", b"\xff\xfe", b"[" * 20000 + b"]" * 20000])
def test_broken_json_is_400_json(client, raw):
    response = client.post("/api/plans", data=raw, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"


@pytest.mark.parametrize("body", [[], "answers", 42, None])
def test_json_that_is_not_an_object_is_400_json(client, body):
    response = client.post("/api/plans", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"


def test_a_body_over_64_kib_is_413_json(client):
    padding = "x" * (65 * 1024)
    response = client.post("/api/plans", data=json.dumps({"answers": {}, "padding": padding}),
                           content_type="application/json")
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def post_chunked(client, body: bytes):
    # What gunicorn hands the app for a chunked upload: no Content-Length, a stream it ends itself.
    return client.post("/api/plans", data=body, headers={"Content-Type": "application/json",
                                                          "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


def test_a_chunked_body_over_64_kib_is_413_not_a_cut_off_400(client):
    body = json.dumps({"answers": {}, "padding": "x" * (70 * 1024)}).encode()
    response = post_chunked(client, body)
    assert response.status_code == 413
    assert error_of(response)["code"] == "payload_too_large"


def test_a_chunked_body_under_the_limit_is_read_whole(client):
    response = post_chunked(client, json.dumps(PLAN_REQUEST).encode())
    assert response.status_code == 201, response.get_json()


def test_a_wrong_method_is_405_json_with_the_allowed_ones(client):
    response = client.put("/api/plans", json={})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_an_unknown_address_is_404_json(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_an_unexpected_failure_is_500_json_without_a_traceback_or_its_message(app, caplog):
    def broken_view():
        raise RuntimeError("pain_score=7 leaked into an exception message")

    app.add_url_rule("/broken", view_func=broken_view)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert "pain_score" not in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text  # the log says what broke, and where
    assert "pain_score=7" not in caplog.text  # but not what the exception quoted


# ---- health and an unreachable database ---------------------------------------------------


@pytest.mark.each_database
def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.fixture
def app_without_database(app_config, tmp_path, database_url):
    """The app pointed at a database it cannot reach: a closed PostgreSQL port, or a SQLite path
    that is a directory."""
    from exporter import create_app

    if database_url.startswith("postgresql"):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        unreachable = f"postgresql://coach@127.0.0.1:{port}/coach"
    else:
        unreachable = f"sqlite:///{tmp_path}"
    app = create_app({**app_config, "COACH_DATABASE_URL": unreachable})
    yield app
    app.extensions["plan_store"].close()


@pytest.mark.each_database
def test_health_is_503_when_the_database_is_unreachable(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


@pytest.mark.each_database
def test_the_api_answers_503_json_when_the_database_is_unreachable(app_without_database):
    client = app_without_database.test_client()
    responses = (create(client), client.get("/api/plans/some-token"), client.delete("/api/plans/some-token"))
    for response in responses:
        assert response.status_code == 503
        assert error_of(response)["code"] == "database_unavailable"
        assert response.headers["Retry-After"] == "5"


def test_the_app_serves_again_once_the_database_is_back(app_config, tmp_path):
    from exporter import create_app

    blocker = tmp_path / "var"
    blocker.write_text("a file where the database's directory should be")
    app = create_app({**app_config, "COACH_DATABASE_URL": f"sqlite:///{blocker}/coach.sqlite3"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 503
    blocker.unlink()
    assert client.get("/healthz").status_code == 200
    assert create(client).status_code == 201
    app.extensions["plan_store"].close()


@pytest.mark.each_database
def test_plans_created_by_one_worker_are_read_by_another(app_config, database_url):
    from exporter import create_app

    first, second = create_app(app_config), create_app(app_config)
    created = create(first.test_client()).get_json()
    assert second.test_client().get(f"/api/plans/{created['token']}").status_code == 200
    for app in (first, second):
        app.extensions["plan_store"].close()


def test_a_store_given_to_the_app_is_the_one_it_uses(app_config, database_url):
    from exporter import create_app

    store = PlanStore(database_url, SECRET)
    app = create_app({**app_config, "PLAN_STORE": store})
    assert app.extensions["plan_store"] is store
    store.close()
