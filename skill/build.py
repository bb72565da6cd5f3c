"""The one place the skill is assembled: every handler, the interceptors, the exception handler,
the persistence adapter and the API client. `build_skill` is called once per process (Lambda
container, Flask app, console); `invoke_json` runs one turn from request JSON to response JSON.

Everything heavy waits for the turn that needs it: the plan store (and SQLAlchemy) for the turn
that files or reads a plan, pydantic for the turn that speaks the outcome, `requests` (behind
the SDK's DefaultApiClient) for the turn that asks the Settings API for the time zone.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_core.skill_builder import CustomSkillBuilder
from ask_sdk_model import RequestEnvelope
from ask_sdk_model.services import ApiClient

from plans.keys import owner_keys
from plans.state import state_store_for
from skill.apl.guided_screen import GuidedScreenEventHandler, GuidedScreenInterceptor
from skill.apl.screens import ScreenEventHandler, ScreenInterceptor
from skill.handlers import coaching, sessions
from skill.handlers.answers import (
    LocationAnswerHandler,
    NoHandler,
    NumberAnswerHandler,
    OnsetAnswerHandler,
    OutcomeChoiceHandler,
    UnsureHandler,
    YesHandler,
)
from skill.handlers.base import FALLBACK_ZONE, Services
from skill.handlers.coaching import CheckInHandler, ClearanceHandler, ProgressHandler
from skill.handlers.codes import WhatsMyCodeHandler
from skill.handlers.data import DeleteMyDataHandler
from skill.handlers.errors import CatchAllExceptionHandler
from skill.handlers.guided import GuidedSessionHandler
from skill.handlers.interceptors import LoadConversation, SaveConversation, user_id_of
from skill.handlers.lifecycle import CheckHamstringHandler, LaunchHandler, SessionEndedHandler, StopHandler
from skill.handlers.navigation import (
    ExplainTestHandler,
    FallbackHandler,
    GoBackHandler,
    HelpHandler,
    RepeatHandler,
    StartOverHandler,
    WaitHandler,
)
from skill.handlers.preferences import ChooseDaysHandler, ChooseStartDateHandler, ChooseTimeHandler
from skill.handlers.reminders import (
    REQUEST_ACTIONS,
    KeepRemindersInStep,
    PermissionAnsweredHandler,
    SetUpRemindersHandler,
    StopRemindersHandler,
)
from skill.handlers.sessions import TodaysSessionHandler
from skill.persistence import StatePersistenceAdapter

logger = logging.getLogger("skill")

# The actions a turn may ask for beyond filing and deleting (skill.handlers.base.Services.actions).
ACTIONS = {**sessions.ACTIONS, **coaching.ACTIONS}

# In the order they are tried; the fallback takes whatever is left, so it comes last.
HANDLERS = (
    LaunchHandler,
    # "Start my session", and while it is guided, most of what is said (skill.handlers.guided).
    GuidedSessionHandler,
    CheckHamstringHandler,
    LocationAnswerHandler,
    OnsetAnswerHandler,
    NumberAnswerHandler,
    YesHandler,
    NoHandler,
    UnsureHandler,
    OutcomeChoiceHandler,
    ChooseDaysHandler,
    ChooseTimeHandler,
    ChooseStartDateHandler,
    RepeatHandler,
    GoBackHandler,
    StartOverHandler,
    HelpHandler,
    ExplainTestHandler,
    WaitHandler,
    TodaysSessionHandler,
    CheckInHandler,
    ProgressHandler,
    ClearanceHandler,
    DeleteMyDataHandler,
    WhatsMyCodeHandler,
    SetUpRemindersHandler,
    StopRemindersHandler,
    PermissionAnsweredHandler,
    StopHandler,
    SessionEndedHandler,
    GuidedScreenEventHandler,
    ScreenEventHandler,
    FallbackHandler,
)

_SERIALIZER = DefaultSerializer()


class InvalidEnvelope(ValueError):
    """The request is not an Alexa request envelope we can answer (HTTP 400 on the web)."""


def build_skill(
    *,
    store_factory: Callable[[], Any],
    state_store: Any,
    secret_key: bytes | str,
    base_url: str,
    timezone_lookup: Callable[[Any], str] | None = None,
    clock: Callable[[], dt.datetime] | None = None,
):
    """The skill, wired to what its composition root hands it (the skill reads no configuration):

    - `store_factory()` returns the plan store (plans.store.PlanStore); called on the first turn
      that files or reads a plan, then kept, so a cold start that only greets pays nothing for it.
    - `state_store` keeps unfinished checks (plans.state).
    - `secret_key` keys the runner's owner key (COACH_SECRET_KEY); `base_url` starts plan links.
    - `timezone_lookup(handler_input)` gives the device's IANA zone. Default: the Alexa Settings
      API through the SDK's service client, UTC when unavailable.
    - `clock()` returns now (aware).
    """
    clock = clock or _utc_now
    secret = secret_key.encode() if isinstance(secret_key, str) else bytes(secret_key)
    store = _Once(store_factory)

    last: tuple[str, str] | None = None  # the last runner's (user id, key): a turn asks twice

    def owner_key_for(user_id: str | None) -> str | None:
        # With the runner's keys under retired secrets, so what was kept before a rotation is
        # found (plans.keys.OwnerKey). Kept for the one runner last seen, never longer; the pair
        # is read and replaced whole, so threads never mix one runner's id with another's key.
        nonlocal last
        if not user_id:
            return None
        remembered = last
        if remembered is not None and remembered[0] == user_id:
            return remembered[1]
        key = owner_keys(secret, user_id)
        last = (user_id, key)
        return key

    services = Services(
        store=store,
        state_store=state_store,
        owner_key=owner_key_for,
        timezone_lookup=timezone_lookup or alexa_time_zone,
        clock=clock,
        base_url=lambda: base_url.rstrip("/"),
        actions=ACTIONS,
        request_actions=REQUEST_ACTIONS,
    )
    adapter = StatePersistenceAdapter(
        state_store, lambda envelope: owner_key_for(user_id_of(envelope)), clock,
    )
    builder = CustomSkillBuilder(persistence_adapter=adapter, api_client=DeferredApiClient())
    for handler in HANDLERS:
        builder.add_request_handler(handler(services))
    builder.add_global_request_interceptor(LoadConversation(services))
    builder.add_global_response_interceptor(SaveConversation())
    # Echo Show screens (skill.apl), on devices that render APL only.
    builder.add_global_response_interceptor(GuidedScreenInterceptor(services))
    builder.add_global_response_interceptor(ScreenInterceptor(services))
    # Alexa reminders follow the plan's revisions (skill.handlers.reminders).
    builder.add_global_response_interceptor(KeepRemindersInStep(services))
    builder.add_exception_handler(CatchAllExceptionHandler(services))
    return builder.create()


def build_skill_for(config, *, store=None, **overrides):
    """The skill on a configuration (plans.config.Config) read by a composition root: its plan
    store (or the one given) and the skill state in the same database."""

    def open_store():
        if store is not None:
            return store
        from plans.store import PlanStore  # on the first turn that files or reads a plan

        return PlanStore(config.database_url, config.secret_key)

    made = _Once(open_store)
    wiring = dict(
        store_factory=made,
        state_store=state_store_for(config.database_url, ensure_schema=lambda: made().migrate()),
        secret_key=config.secret_key,
        base_url=config.base_url,
    )
    wiring.update(overrides)
    return build_skill(**wiring)


def invoke_json(skill, envelope: Mapping[str, Any] | str | bytes) -> dict[str, Any]:
    """One turn: an Alexa request envelope (a dict, or its JSON text) in, the response envelope
    (a dict) out. Raises InvalidEnvelope when the input is not a request we can answer."""
    try:
        if isinstance(envelope, bytes):
            envelope = envelope.decode("utf-8")
        text = envelope if isinstance(envelope, str) else json.dumps(envelope)
        request_envelope = _SERIALIZER.deserialize(text, RequestEnvelope)
    except Exception as error:  # the SDK's SerializationException, bad UTF-8, bad JSON, odd types
        raise InvalidEnvelope(f"not an Alexa request envelope ({type(error).__name__})") from None
    _check(request_envelope)
    try:
        response_envelope = skill.invoke(request_envelope, None)
    except RecursionError:
        # The SDK deep-copies the session attributes before any handler (or our exception handler)
        # runs, so attributes nested a few hundred levels deep end the turn there. Alexa never
        # sends such a thing: it is a malformed request, not a failed turn.
        raise InvalidEnvelope("the envelope is nested too deeply") from None
    return _SERIALIZER.serialize(response_envelope)


def _check(envelope) -> None:
    if not isinstance(envelope, RequestEnvelope):
        raise InvalidEnvelope("not an Alexa request envelope")
    if envelope.request is None or not getattr(envelope.request, "object_type", None):
        raise InvalidEnvelope("the envelope has no request")
    system = getattr(envelope.context, "system", None)
    if system is None:
        raise InvalidEnvelope("the envelope has no context.System")
    session = envelope.session
    if session is not None and session.attributes is not None and not isinstance(session.attributes, dict):
        raise InvalidEnvelope("session.attributes must be an object")


def application_id_of(envelope: Mapping[str, Any]) -> str | None:
    """The skill id a request is for (context.System.application, else session.application)."""
    for path in (("context", "System", "application", "applicationId"),
                 ("session", "application", "applicationId")):
        value: Any = envelope
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if isinstance(value, str):
            return value
    return None


def alexa_time_zone(handler_input) -> str:
    """The device's time zone from the Alexa Settings API; UTC when it cannot be had."""
    try:
        device_id = handler_input.request_envelope.context.system.device.device_id
        service = handler_input.service_client_factory.get_ups_service()
        zone = service.get_system_time_zone(device_id)
    except Exception as error:  # no permission, no network, an old device: the plan still works in UTC
        logger.info("Settings API time zone unavailable (%s)", type(error).__name__)
        return FALLBACK_ZONE
    return zone if isinstance(zone, str) and zone else FALLBACK_ZONE


# Alexa waits 8 seconds for a whole turn. The SDK's client sets no timeout at all, so a Settings
# API that accepts a connection and never answers (a VPC with no way out) would hold the turn
# until Alexa gives up. Seconds to connect, then to read; past them the plan is made in UTC.
SETTINGS_API_TIMEOUT_SECONDS = (2, 2)


class DeferredApiClient(ApiClient):
    """The SDK's DefaultApiClient, created on the first service call: it imports `requests`,
    which a cold start should not pay for when no turn asks for the time zone."""

    def __init__(self) -> None:
        self._client = None
        self._lock = threading.Lock()

    def invoke(self, request):
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = _timed_api_client()
        return self._client.invoke(request)


def _timed_api_client():
    import functools

    from ask_sdk_core.api_client import DefaultApiClient

    class TimedApiClient(DefaultApiClient):
        def _resolve_method(self, request):
            return functools.partial(super()._resolve_method(request), timeout=SETTINGS_API_TIMEOUT_SECONDS)

    return TimedApiClient()


class _Once:
    """Call a factory the first time it is needed, then keep its result (thread-safe)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self._factory = factory
        self._value: Any = None
        self._made = False
        self._lock = threading.Lock()

    def __call__(self) -> Any:
        if not self._made:
            with self._lock:
                if not self._made:
                    self._value = self._factory()
                    self._made = True
        return self._value


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
