"""The envelopes the tests and the console send must be what Alexa sends: the SDK's own
deserialiser reads them back into the same intent, slots and resolutions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import IntentRequest, LaunchRequest, RequestEnvelope, SessionEndedRequest
from ask_sdk_model.slu.entityresolution import StatusCode

from skill import envelopes
from skill.envelopes import intent_request, launch_request, session_ended_request


def read_back(envelope: dict) -> RequestEnvelope:
    # Through JSON text, exactly as an HTTP body or a Lambda event would arrive.
    return DefaultSerializer().deserialize(json.dumps(envelope), "ask_sdk_model.RequestEnvelope")


def test_a_launch_request_reads_back_as_a_new_session_for_the_default_runner_and_speaker():
    parsed = read_back(launch_request())

    assert isinstance(parsed.request, LaunchRequest)
    assert parsed.version == "1.0"
    assert parsed.session.new is True
    assert parsed.session.user.user_id == envelopes.DEFAULT_USER
    assert parsed.context.system.user.user_id == envelopes.DEFAULT_USER
    assert parsed.context.system.device.device_id == envelopes.DEFAULT_DEVICE
    assert parsed.context.system.application.application_id == envelopes.DEFAULT_APP_ID
    assert parsed.session.application.application_id == envelopes.DEFAULT_APP_ID
    assert parsed.context.system.api_endpoint == "https://api.amazonalexa.com"
    assert parsed.context.system.api_access_token
    assert parsed.request.locale == "en-US"
    assert parsed.request.request_id.startswith("amzn1.echo-api.request.")


def test_each_request_gets_its_own_request_id_but_keeps_the_session_id():
    first, second = launch_request(), intent_request("AMAZON.HelpIntent")

    assert first["request"]["requestId"] != second["request"]["requestId"]
    assert first["session"]["sessionId"] == second["session"]["sessionId"]


def test_session_attributes_locale_user_and_device_are_carried_as_given():
    attributes = {"answers": {"onset": "sudden"}}
    parsed = read_back(intent_request("AMAZON.RepeatIntent", session_attributes=attributes, locale="en-GB",
                                      user_id="amzn1.ask.account.OTHER",
                                      device_id="amzn1.ask.device.KITCHEN", session_id="s-42"))

    assert parsed.session.attributes == {"answers": {"onset": "sudden"}}
    assert parsed.session.new is False
    assert parsed.session.session_id == "s-42"
    assert parsed.request.locale == "en-GB"
    assert parsed.session.user.user_id == "amzn1.ask.account.OTHER"
    assert parsed.context.system.device.device_id == "amzn1.ask.device.KITCHEN"


def test_the_timestamp_is_iso_8601_utc_with_a_z_and_reads_back_as_the_same_instant():
    when = datetime(2025, 3, 30, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    envelope = launch_request(timestamp=when)

    assert envelope["request"]["timestamp"] == "2025-03-29T23:30:00Z"
    assert read_back(envelope).request.timestamp.replace(tzinfo=UTC) == when


def test_a_naive_timestamp_is_refused_rather_than_guessed():
    with pytest.raises(ValueError):
        launch_request(timestamp=datetime(2025, 1, 1, 9, 0))


def test_an_intent_request_reads_back_with_its_name_and_the_spoken_slot_values():
    parsed = read_back(intent_request("ChooseDaysIntent", {"firstDay": "monday", "secondDay": "wednesday",
                                                           "thirdDay": "friday", "fourthDay": None}))

    assert isinstance(parsed.request, IntentRequest)
    intent = parsed.request.intent
    assert intent.name == "ChooseDaysIntent"
    assert {name: slot.value for name, slot in intent.slots.items()} == {
        "firstDay": "monday", "secondDay": "wednesday", "thirdDay": "friday", "fourthDay": None}
    assert intent.slots["firstDay"].name == "firstDay"


def test_a_slot_sent_without_a_value_has_no_value_key_like_an_unfilled_alexa_slot():
    envelope = intent_request("AnswerLocationIntent", {"location": None})

    unfilled = {"name": "location", "confirmationStatus": "NONE"}
    assert envelope["request"]["intent"]["slots"]["location"] == unfilled
    assert read_back(envelope).request.intent.slots["location"].value is None


def test_a_resolved_custom_slot_carries_er_success_match_with_the_canonical_id_and_name():
    parsed = read_back(intent_request("AnswerLocationIntent", {"location": "back of my knee"},
                                      resolutions={"location": "behind_knee"}))

    slot = parsed.request.intent.slots["location"]
    assert slot.value == "back of my knee"
    authority = slot.resolutions.resolutions_per_authority[0]
    assert authority.status.code == StatusCode.ER_SUCCESS_MATCH
    assert authority.values[0].value.id == "behind_knee"
    assert authority.values[0].value.name == "behind knee"
    assert authority.authority.endswith(".LOCATION_TYPE")


def test_a_custom_slot_value_alexa_could_not_match_arrives_as_er_success_no_match():
    parsed = read_back(intent_request("AnswerOnsetIntent", {"onset": "on a tuesday"}))

    slot = parsed.request.intent.slots["onset"]
    assert slot.value == "on a tuesday"
    authority = slot.resolutions.resolutions_per_authority[0]
    assert authority.status.code == StatusCode.ER_SUCCESS_NO_MATCH
    assert not authority.values
    assert authority.authority.endswith(".ONSET_TYPE")


def test_an_unrecognised_number_passes_through_as_a_question_mark_like_alexa_sends_it():
    parsed = read_back(intent_request("AnswerNumberIntent", {"number": "?"}))

    slot = parsed.request.intent.slots["number"]
    assert slot.value == "?"
    assert slot.resolutions is None


def test_built_in_slots_carry_no_entity_resolution():
    envelope = intent_request("ChooseTimeIntent", {"time": "07:00"})

    assert "resolutions" not in envelope["request"]["intent"]["slots"]["time"]
    assert read_back(envelope).request.intent.slots["time"].value == "07:00"


def test_a_resolution_for_a_slot_that_was_not_sent_is_a_mistake_in_the_test_not_a_silent_drop():
    with pytest.raises(ValueError):
        intent_request("AnswerLocationIntent", {}, resolutions={"location": "behind_knee"})


def test_an_intent_without_slots_reads_back_with_an_empty_slot_map():
    parsed = read_back(intent_request("UnsureIntent"))

    assert parsed.request.intent.name == "UnsureIntent"
    assert not parsed.request.intent.slots


@pytest.mark.parametrize("reason", ["USER_INITIATED", "EXCEEDED_MAX_REPROMPTS", "ERROR"])
def test_a_session_ended_request_reads_back_with_its_reason(reason):
    parsed = read_back(session_ended_request(reason))

    assert isinstance(parsed.request, SessionEndedRequest)
    assert parsed.request.reason.value == reason


def test_a_session_ended_by_an_error_carries_the_error_type_and_message():
    envelope = session_ended_request("ERROR", error_type="INVALID_RESPONSE", error_message="bad ssml")
    parsed = read_back(envelope)

    assert parsed.request.error.object_type.value == "INVALID_RESPONSE"
    assert parsed.request.error.message == "bad ssml"


def test_an_unknown_session_end_reason_is_refused():
    with pytest.raises(ValueError):
        session_ended_request("BORED")
