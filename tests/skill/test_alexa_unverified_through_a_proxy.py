"""Verification off is for a developer's own machine. A request that a proxy or tunnel forwarded
onto loopback may come from anyone, so it is refused even when no COACH_TRUSTED_PROXIES says a
proxy is there (the deploy guide's nginx would otherwise expose an unverified skill)."""

from __future__ import annotations

import json

import pytest

from skill import envelopes


@pytest.mark.parametrize("header", [
    {"X-Forwarded-For": "198.51.100.7"},
    {"Forwarded": "for=198.51.100.7;proto=https"},
    {"X-Real-IP": "198.51.100.7"},
])
def test_a_forwarded_request_is_refused_while_verification_is_off(skill_client, header):
    response = skill_client.post("/alexa", data=json.dumps(envelopes.launch_request()),
                                 headers={"Content-Type": "application/json", **header})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "verification_failed"
    assert "through a proxy" in response.get_json()["error"]["message"]


def test_a_request_made_on_this_host_is_still_answered(skill_client):
    response = skill_client.post("/alexa", data=json.dumps(envelopes.launch_request()),
                                 headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.get_json()["response"]["outputSpeech"]["ssml"]
