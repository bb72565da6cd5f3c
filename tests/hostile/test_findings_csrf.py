"""Issue 14, finding 5: another site cannot make a visitor's browser delete their plan. The
delete form refuses cross-site posts with a 403 page (exporter.csrf, which the check-in form uses
too); the plan's own page, and clients that are not browsers, still delete."""

from __future__ import annotations

import pytest

from exporter.csrf import cross_site_refusal, origin_of

COMPLETE_TRIAGE = {
    "location": "back_of_thigh", "onset": "gradual", "days_since": 10, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
    "hinge_test": "no", "heel_press_test": "no", "pain_score": 3, "training_change": "yes",
}
OURS = "https://coach.example"  # TEST_BASE_URL in tests/conftest.py
ATTACKER = "https://attacker.example"


@pytest.fixture
def token(client):
    response = client.post("/api/plans", json={"answers": COMPLETE_TRIAGE})
    assert response.status_code == 201
    return response.get_json()["token"]


def delete_form(client, token, **headers):
    return client.post(f"/plans/{token}/delete", headers={"Accept": "text/html", **headers})


def still_there(client, token) -> bool:
    return client.get(f"/api/plans/{token}").status_code == 200


CROSS_SITE = [
    pytest.param({"Sec-Fetch-Site": "cross-site", "Origin": ATTACKER}, id="a modern browser"),
    pytest.param({"Sec-Fetch-Site": "same-site", "Origin": "https://evil.coach.example"},
                 id="a sibling subdomain"),
    pytest.param({"Sec-Fetch-Site": "cross-site", "Origin": "null"}, id="a sandboxed frame"),
    pytest.param({"Sec-Fetch-Site": "cross-site"}, id="fetch metadata alone"),
    pytest.param({"Origin": "https://attacker.example"}, id="an older browser: Origin alone"),
    pytest.param({"Origin": "http://coach.example"}, id="our host over plain http"),
    pytest.param({"Origin": "https://coach.example:8443"}, id="our host on another port"),
    pytest.param({"Origin": "null"}, id="an opaque origin without fetch metadata"),
    pytest.param({"Referer": "https://attacker.example/page"}, id="a Referer alone"),
    pytest.param({"Sec-Fetch-Site": "same-origin", "Origin": "https://attacker.example"},
                 id="same-origin claimed with a foreign Origin"),
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_post_to_the_delete_form_is_refused_with_a_403_page(client, token, headers):
    response = delete_form(client, token, **headers)
    assert response.status_code == 403
    assert response.mimetype == "text/html"
    assert "another website" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    assert still_there(client, token)


def test_a_cross_site_post_from_a_script_gets_json(client, token):
    response = client.post(f"/plans/{token}/delete", headers={"Origin": "https://attacker.example",
                                                              "Accept": "application/json"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "cross_site_request"
    assert still_there(client, token)


SAME_SITE = [
    pytest.param({"Sec-Fetch-Site": "same-origin", "Origin": "null"},
                 id="our page (no-referrer: Origin null)"),
    pytest.param({"Sec-Fetch-Site": "same-origin", "Origin": OURS}, id="our page with its origin"),
    pytest.param({"Origin": OURS}, id="an older browser on our page"),
    pytest.param({"Origin": "HTTPS://Coach.Example:443"}, id="our origin spelt otherwise"),
    pytest.param({"Sec-Fetch-Site": "none"}, id="the visitor's own action"),
    pytest.param({"Referer": f"{OURS}/plans/x/delete"}, id="a Referer of ours"),
    pytest.param({}, id="not a browser"),
]


@pytest.mark.parametrize("headers", SAME_SITE)
def test_the_plan_page_itself_and_clients_that_are_not_browsers_still_delete(client, token, headers):
    response = delete_form(client, token, **headers)
    assert response.status_code == 200
    assert not still_there(client, token)


def test_the_check_is_one_reusable_helper(app):
    with app.test_request_context("/", method="POST", headers={"Sec-Fetch-Site": "cross-site"}):
        assert cross_site_refusal() is not None
    with app.test_request_context("/", method="POST", headers={"Sec-Fetch-Site": "same-origin"}):
        assert cross_site_refusal() is None
    assert cross_site_refusal({"Origin": "https://a.example"}, base_url="https://a.example/") is None
    assert origin_of("https://coach.example/plans/x") == origin_of("https://COACH.example:443") == OURS
    assert origin_of("javascript:alert(1)") is None
