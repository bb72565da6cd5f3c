"""Hostile or broken envelopes at POST /alexa: any key removed, any value replaced by any JSON.
The answer is always HTTP 400 with a JSON error, or 200 with a well-formed Alexa response;
never a 5xx, never an empty spoken reply for a request that expects one, and never a turn that
only the catch-all exception handler answered (its apology looks like any other reply)."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from skill import envelopes

scalars = (st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
           | st.text(max_size=30))
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
seeds = st.sampled_from([
    envelopes.launch_request(),
    envelopes.intent_request("AnswerNumberIntent", {"number": "6"}, session_attributes={"coach": {}}),
    envelopes.intent_request("AnswerLocationIntent", {"location": "sit bone"}, resolutions={"location": "x"}),
    envelopes.intent_request("ChooseDaysIntent", {"firstDay": "monday", "secondDay": None}),
    envelopes.session_ended_request("ERROR", error_type="INVALID_RESPONSE", error_message="bad"),
])


def paths(value, prefix=()):
    """Every key path in a JSON document."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield (*prefix, index)
            yield from paths(inner, (*prefix, index))


@st.composite
def broken_envelopes(draw):
    envelope = copy.deepcopy(draw(seeds))
    for _ in range(draw(st.integers(1, 3))):
        all_paths = list(paths(envelope))
        if not all_paths:
            break
        path = draw(st.sampled_from(all_paths))
        parent = envelope
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return envelope


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                    HealthCheck.too_slow])
@given(envelope=broken_envelopes())
def test_a_broken_envelope_gets_a_400_or_a_well_formed_reply(skill_client, turn_failures, envelope):
    turn_failures.clear()  # one watcher serves every example
    response = skill_client.post("/alexa", data=json.dumps(envelope), content_type="application/json")
    turn_failures.check(json.dumps(envelope)[:2000])
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    event(f"HTTP {response.status_code}")
    body = response.get_json()
    if response.status_code == 400:
        assert set(body["error"]) >= {"code", "message"}
        return
    assert body["version"] == "1.0"
    reply = body["response"]
    if envelope.get("request", {}).get("type") != "SessionEndedRequest":
        assert reply["outputSpeech"]["ssml"].startswith("<speak>") and len(reply["outputSpeech"]["ssml"]) > 20
        assert isinstance(reply["shouldEndSession"], bool)
