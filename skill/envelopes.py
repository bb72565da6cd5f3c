"""Alexa request envelopes as plain dicts, shaped exactly like the JSON Alexa posts to a skill.

The tests and the typed console (`hamstring-coach chat`) speak to the skill through these, so the
skill is exercised through the same deserialisation path as a real Echo request, not through
hand-built SDK objects that could drift from what Alexa actually sends.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

DEFAULT_USER = "amzn1.ask.account.TESTRUNNER0000000000000000000000000000000000000000"
DEFAULT_DEVICE = "amzn1.ask.device.TESTSPEAKER000000000000000000000000000000000000000"
DEFAULT_APP_ID = "amzn1.ask.skill.00000000-0000-4000-8000-0000000c0ac4"
DEFAULT_SESSION = "amzn1.echo-api.session.00000000-0000-4000-8000-00000000c0de"
API_ENDPOINT = "https://api.amazonalexa.com"
# Not a real credential: Alexa sends a short-lived token per request; the skill only passes it
# to the Settings API, which tests replace with their own time-zone lookup.
API_ACCESS_TOKEN = "test-api-access-token"

# Custom slot types carry entity resolution (synonym -> canonical id) in real requests; built-in
# types such as AMAZON.NUMBER and AMAZON.DATE do not. Keep in step with interaction_models/*.json
# (tests/skill/test_envelopes.py checks that it is).
CUSTOM_SLOT_TYPES: dict[str, str] = {
    "location": "LOCATION_TYPE",
    "onset": "ONSET_TYPE",
    "relativeDay": "RELATIVE_DAY_TYPE",
    "partOfDay": "PART_OF_DAY_TYPE",
    "sessionOutcome": "SESSION_OUTCOME_TYPE",
    "sessionDay": "RELATIVE_DAY_TYPE",
    "category": "CLEARED_FOR_TYPE",
}

SESSION_END_REASONS = ("USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS")

# What an Echo Show lists in context.System.device.supportedInterfaces. Envelopes carry none by
# default (a speaker without a screen); pass this as `supported_interfaces` for a screen device.
APL_DEVICE: dict[str, Any] = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2023.3"}}}


def _timestamp(when: datetime | None) -> str:
    when = when or datetime.now(UTC)
    if when.tzinfo is None:
        raise ValueError("timestamp must be timezone-aware")
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _request_id() -> str:
    return f"amzn1.echo-api.request.{uuid.uuid4()}"


def _envelope(request: dict[str, Any], *, user_id: str, device_id: str, session_attributes: Mapping | None,
              new: bool, application_id: str, session_id: str,
              supported_interfaces: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "version": "1.0",
        "session": {
            "new": new,
            "sessionId": session_id,
            "application": {"applicationId": application_id},
            "attributes": dict(session_attributes or {}),
            "user": {"userId": user_id},
        },
        "context": {
            "System": {
                "application": {"applicationId": application_id},
                "user": {"userId": user_id},
                "device": {"deviceId": device_id, "supportedInterfaces": dict(supported_interfaces or {})},
                "apiEndpoint": API_ENDPOINT,
                "apiAccessToken": API_ACCESS_TOKEN,
            },
        },
        "request": request,
    }


def canonical_name(value_id: str) -> str:
    """The canonical slot value as the interaction model spells it: ids are names with underscores."""
    return value_id.replace("_", " ")


def _authority(application_id: str, slot_type: str) -> str:
    return f"amzn1.er-authority.echo-sdk.{application_id}.{slot_type}"


def _slot(name: str, value: str | None, resolved_id: str | None, application_id: str) -> dict[str, Any]:
    slot: dict[str, Any] = {"name": name, "confirmationStatus": "NONE"}
    if value is None:
        return slot
    slot["value"] = value
    slot["source"] = "USER"
    slot_type = CUSTOM_SLOT_TYPES.get(name)
    if slot_type is None and resolved_id is None:
        return slot
    authority: dict[str, Any] = {"authority": _authority(application_id, slot_type or f"{name.upper()}_TYPE")}
    if resolved_id is None:
        authority["status"] = {"code": "ER_SUCCESS_NO_MATCH"}
    else:
        authority["status"] = {"code": "ER_SUCCESS_MATCH"}
        authority["values"] = [{"value": {"name": canonical_name(resolved_id), "id": resolved_id}}]
    slot["resolutions"] = {"resolutionsPerAuthority": [authority]}
    return slot


def launch_request(*, user_id: str = DEFAULT_USER, device_id: str = DEFAULT_DEVICE, locale: str = "en-US",
                   session_attributes: Mapping | None = None, new: bool = True,
                   application_id: str = DEFAULT_APP_ID, timestamp: datetime | None = None,
                   session_id: str = DEFAULT_SESSION,
                   supported_interfaces: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """"Alexa, open hamstring coach"."""
    request = {"type": "LaunchRequest", "requestId": _request_id(), "timestamp": _timestamp(timestamp),
               "locale": locale}
    return _envelope(request, user_id=user_id, device_id=device_id, session_attributes=session_attributes,
                     new=new, application_id=application_id, session_id=session_id,
                     supported_interfaces=supported_interfaces)


def intent_request(intent_name: str, slots: Mapping[str, str | None] | None = None, *,
                   resolutions: Mapping[str, str] | None = None, user_id: str = DEFAULT_USER,
                   device_id: str = DEFAULT_DEVICE, locale: str = "en-US",
                   session_attributes: Mapping | None = None, new: bool = False,
                   application_id: str = DEFAULT_APP_ID, timestamp: datetime | None = None,
                   session_id: str = DEFAULT_SESSION,
                   supported_interfaces: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """One spoken turn. `slots` holds the words as heard ("back of my knee", "6", "?"); `resolutions`
    maps a custom slot to the canonical value id Alexa's entity resolution matched. A custom slot
    with a value but no resolution arrives as ER_SUCCESS_NO_MATCH, as Alexa sends words it heard but
    could not match to the slot type."""
    resolutions = dict(resolutions or {})
    unknown = set(resolutions) - set(slots or {})
    if unknown:
        raise ValueError(f"resolutions for slots that were not given: {sorted(unknown)}")
    intent = {
        "name": intent_name,
        "confirmationStatus": "NONE",
        "slots": {name: _slot(name, value, resolutions.get(name), application_id)
                  for name, value in (slots or {}).items()},
    }
    request = {"type": "IntentRequest", "requestId": _request_id(), "timestamp": _timestamp(timestamp),
               "locale": locale, "intent": intent}
    return _envelope(request, user_id=user_id, device_id=device_id, session_attributes=session_attributes,
                     new=new, application_id=application_id, session_id=session_id,
                     supported_interfaces=supported_interfaces)


def session_ended_request(reason: str = "USER_INITIATED", *, error_type: str | None = None,
                          error_message: str | None = None, user_id: str = DEFAULT_USER,
                          device_id: str = DEFAULT_DEVICE, locale: str = "en-US",
                          session_attributes: Mapping | None = None, application_id: str = DEFAULT_APP_ID,
                          timestamp: datetime | None = None,
                          session_id: str = DEFAULT_SESSION,
                          supported_interfaces: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The session closed: the runner said nothing after the reprompt, walked off, or the skill erred."""
    if reason not in SESSION_END_REASONS:
        raise ValueError(f"reason must be one of {SESSION_END_REASONS}, not {reason!r}")
    request: dict[str, Any] = {"type": "SessionEndedRequest", "requestId": _request_id(),
                               "timestamp": _timestamp(timestamp), "locale": locale, "reason": reason}
    if error_type is not None:
        request["error"] = {"type": error_type, "message": error_message or ""}
    return _envelope(request, user_id=user_id, device_id=device_id, session_attributes=session_attributes,
                     new=False, application_id=application_id, session_id=session_id,
                     supported_interfaces=supported_interfaces)
