"""Issue 14, findings 1 and 6: what `POST /api/plans` answers to preferences of the wrong shape,
and that no validation message hands back what was sent (it may be health data)."""

from __future__ import annotations

import json

import pytest

COMPLETE_TRIAGE = {
    "location": "back_of_thigh", "onset": "gradual", "days_since": 10, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
    "hinge_test": "no", "heel_press_test": "no", "pain_score": 3, "training_change": "yes",
}
LONDON = {"timezone": "Europe/London", "weekdays": ["MO", "WE", "FR"], "time": "07:00"}


def create(client, **preferences):
    body = {"answers": COMPLETE_TRIAGE, "preferences": {**LONDON, **preferences}}
    return client.post("/api/plans", json=body)


def detail_at(response, *loc) -> dict:
    assert response.mimetype == "application/json", response.data[:200]
    error = response.get_json()["error"]
    matching = [detail for detail in error.get("details", []) if tuple(detail["loc"]) == loc]
    assert matching, f"no detail at {loc}: {error}"
    return matching[0]


# ---- 1. weekdays that are not a list: 400 naming the field, never a 500 -------------------------


@pytest.mark.parametrize("weekdays", [18791, True, False, 1.5, 0, {"MO": 1}, None],
                         ids=["a number", "true", "false", "a fraction", "zero", "an object", "null"])
def test_weekdays_that_are_not_a_list_are_a_400_naming_the_field(client, weekdays):
    response = create(client, weekdays=weekdays)
    assert response.status_code == 400, response.data[:300]
    assert response.get_json()["error"]["code"] == "validation_error"
    assert detail_at(response, "preferences", "weekdays")["msg"]


def test_a_list_of_days_of_the_wrong_type_is_a_400_too(client):
    response = create(client, weekdays=[1, None, ["MO"], {"d": "MO"}])
    assert response.status_code == 400
    assert "not weekdays" in detail_at(response, "preferences", "weekdays")["msg"]


# ---- 6. no message repeats a submitted value -----------------------------------------------------

MARKER = "Torn-Hamstring-Grade-2"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", f"Europe/{MARKER}"),
        ("timezone", MARKER),
        ("time", f"07:00 {MARKER}"),
        ("weekdays", ["MO", MARKER]),
        ("weekdays", MARKER),
        ("session_minutes", MARKER),
        ("start_date", MARKER),
    ],
)
def test_a_refused_preference_is_not_repeated_in_the_answer(client, field, value):
    response = create(client, **{field: value})
    assert response.status_code == 400
    assert MARKER.lower() not in response.get_data(as_text=True).lower()
    assert detail_at(response, "preferences", field)["msg"]


def test_the_message_still_says_what_is_wrong_without_the_value(client):
    zone = detail_at(create(client, timezone="Mars/Olympus_Mons"), "preferences", "timezone")["msg"]
    time = detail_at(create(client, time="25:61"), "preferences", "time")["msg"]
    assert "unknown time zone" in zone and "Olympus" not in zone
    assert "is not a time of day" in time and "25:61" not in time


def test_a_refused_answer_is_not_repeated_either(client):
    body = {"answers": {**COMPLETE_TRIAGE, "location": MARKER, "pain_score": MARKER}, "preferences": LONDON}
    response = client.post("/api/plans", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert MARKER not in response.get_data(as_text=True)
