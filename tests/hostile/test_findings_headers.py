"""Issue 14, findings 2-4: no redirect is ever built from the Host header; HSTS when the public
address is https; nosniff and no-referrer on every answer, not only on the pages."""

from __future__ import annotations

import pytest

from plans.keys import new_token

COMPLETE_TRIAGE = {
    "location": "back_of_thigh", "onset": "gradual", "days_since": 10, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
    "hinge_test": "no", "heel_press_test": "no", "pain_score": 3, "training_change": "yes",
}
HOSTILE_HOST = "attacker.example"


@pytest.fixture
def token(client):
    response = client.post("/api/plans", json={"answers": COMPLETE_TRIAGE})
    assert response.status_code == 201
    return response.get_json()["token"]


# ---- 2. no redirect from the Host header ---------------------------------------------------------


@pytest.mark.parametrize("path", [
    "/plans//{token}", "//plans/{token}", "/plans//{token}.ics", "/plans//{token}.pdf",
    "/plans/{token}//delete", "/api//plans/{token}", "/api/plans//{token}", "/c//ABCDEF",
    "/plans/{token}/", "/api/plans/{token}/", "/healthz/", "/openapi.json/", "/privacy/",
])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_no_path_is_answered_with_a_redirect_to_the_host_the_request_names(client, token, path, method):
    headers = {"Host": HOSTILE_HOST, "X-Forwarded-Host": HOSTILE_HOST, "Accept": "text/html"}
    response = client.open(path.format(token=token), method=method, headers=headers)
    assert not 300 <= response.status_code < 400, (response.status_code, response.headers.get("Location"))
    assert "Location" not in response.headers
    assert HOSTILE_HOST not in response.get_data(as_text=True)
    assert token not in response.headers.get("Location", "")


def test_over_real_http_a_double_slash_is_not_redirected_either(app, token):
    # The test client's URL parsing differs from a server's; run the app's WSGI callable with the
    # environ a server would build for "GET /plans//<token>" with a hostile Host.
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path="/", headers={"Host": HOSTILE_HOST}).get_environ()
    environ["PATH_INFO"] = f"/plans//{token}"
    environ["RAW_URI"] = environ["REQUEST_URI"] = f"/plans//{token}"
    environ["HTTP_HOST"] = HOSTILE_HOST
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    body = b"".join(app.wsgi_app(environ, start_response))
    assert captured["status"] == 404
    assert "Location" not in captured["headers"]
    assert token.encode() not in body


# ---- 3. HSTS when (and only when) the public address is https ------------------------------------


@pytest.mark.parametrize("path", ["/", "/healthz", "/api/plans/nope", "/openapi.json", "/no-such-page"])
def test_hsts_is_sent_when_the_public_address_is_https(client, path):
    response = client.get(path)
    assert response.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    max_age = int(response.headers["Strict-Transport-Security"].split("=", 1)[1].split(";")[0])
    assert max_age >= 180 * 24 * 3600


@pytest.fixture
def plain_http_app(app_config):
    from exporter import create_app

    flask_app = create_app({**app_config, "COACH_BASE_URL": "http://127.0.0.1:8000"})
    yield flask_app
    flask_app.extensions["plan_store"].close()


def test_no_hsts_on_a_plain_http_local_run(plain_http_app):
    client = plain_http_app.test_client()
    for path in ("/", "/healthz", "/openapi.json"):
        assert "Strict-Transport-Security" not in client.get(path).headers


# ---- 4. nosniff and no-referrer on every answer -------------------------------------------------


def every_kind_of_answer(client, token):
    yield "created", client.post("/api/plans", json={"answers": COMPLETE_TRIAGE})
    yield "read", client.get(f"/api/plans/{token}")
    yield "unknown plan", client.get(f"/api/plans/{new_token()}")
    yield "validation error", client.post("/api/plans", json={"answers": {"pain_score": 99}})
    yield "not JSON", client.post("/api/plans", data=b"{", content_type="application/json")
    yield "wrong method", client.put("/api/plans")
    yield "no route", client.get("/nothing/here")
    yield "too large", client.post("/api/plans", data=b"x" * 70_000, content_type="application/json")
    yield "openapi", client.get("/openapi.json")
    yield "healthz", client.get("/healthz")
    yield "alexa error", client.post("/alexa", data=b"not json", content_type="application/json")
    yield "calendar", client.get(f"/plans/{token}.ics")
    yield "deleted", client.delete(f"/api/plans/{token}")


def test_every_api_and_error_answer_forbids_sniffing_and_referrers(client, token):
    for name, response in every_kind_of_answer(client, token):
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name
        assert response.headers.get("Referrer-Policy") == "no-referrer", name


def test_an_unexpected_error_gets_them_too(app, client):
    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/explode-for-test", "explode_for_test", explode)
    response = client.get("/explode-for-test")
    assert response.status_code == 500
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") == "no-referrer"


def test_a_routing_redirect_of_any_kind_is_answered_404_not_followed_to_the_host(app):
    # No route of ours ends in a slash today; one that did would make Werkzeug redirect a request
    # without it to http://<Host>/...: that must stay impossible.
    app.add_url_rule("/with-slash-for-test/", "with_slash_for_test", lambda: "here")
    response = app.test_client().get("/with-slash-for-test", headers={"Host": HOSTILE_HOST})
    assert response.status_code == 404
    assert "Location" not in response.headers
    assert response.get_json()["error"]["code"] == "not_found"
