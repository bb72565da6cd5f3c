"""Issue 14, finding 9: with verification off (loopback only), a request that any proxy forwarded
is refused, whichever forwarding header the proxy adds: Caddy and Traefik add X-Forwarded-Host
and X-Forwarded-Proto, some tunnels only those."""

from __future__ import annotations

import json

import pytest

from skill import envelopes


@pytest.mark.parametrize("header", [
    {"X-Forwarded-Host": "coach.example.org"},
    {"X-Forwarded-Proto": "https"},
    {"X-Forwarded-Port": "443"},
    {"Via": "1.1 caddy"},
    {"True-Client-IP": "198.51.100.7"},
    {"CF-Connecting-IP": "198.51.100.7"},
])
def test_a_request_forwarded_by_any_proxy_is_refused_while_verification_is_off(client, header):
    response = client.post("/alexa", data=json.dumps(envelopes.launch_request()),
                           headers={"Content-Type": "application/json", **header})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "verification_failed"


def test_a_request_made_on_this_host_is_still_answered(client):
    response = client.post("/alexa", data=json.dumps(envelopes.launch_request()),
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 200
