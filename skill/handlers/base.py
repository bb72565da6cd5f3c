"""What every handler shares: the services the skill was built with, the visit (this request's
conversation state and prompts), and `respond`, which carries out a turn's action (file the
plan and delete the data here; read a session, check in and the rest through the actions the
skill was built with, `Services.actions`), renders its lines and builds the Alexa response.

Handlers stay thin: read the request, call one transition of `skill.conversation`, respond.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_model.ui import SimpleCard

from plans.codes import grouped, last_day
from plans.links import plan_url
from rehab.clock import WEEKDAYS, weekday_code
from skill import conversation as talk
from skill.conversation import Line, State, Step, Turn
from skill.prompts import Prompts, for_locale, render_ask, render_line

logger = logging.getLogger("skill")

VISIT = "coach_visit"
SESSION_STATE = "coach"
SESSION_UNSAVED = "coach_unsaved"
PERSISTED_STATE = "coach"
FALLBACK_ZONE = "UTC"


@dataclass
class Services:
    """What the skill needs from outside the conversation, built once per process.

    - `store()`: the plan store (plans.store.PlanStore), created on first use: importing it
      and SQLAlchemy waits until a plan is filed or read.
    - `state_store`: where unfinished checks wait between visits (skill.persistence).
    - `owner_key(user_id)`: the runner's keyed hash (plans.keys.owner_key); None for no id.
    - `timezone_lookup(handler_input)`: the device's IANA zone.
    - `clock()`: now, aware, UTC.
    - `base_url`: the public base of plan links.
    - `actions`: the other actions a turn may ask for (skill.conversation.ACTION_*), by name:
      `action(services, visit)` returns the conversation's next state and turn. Registered in
      skill.build with the handlers, so this module needs none of their modules.
    - `request_actions`: actions that need the request itself (the Alexa APIs its envelope
      opens, a directive or a card): `action(handler_input, services, visit)`. Tried first, so
      one may wrap a built-in ("delete my data" deletes the reminders first).
    """

    store: Callable[[], Any]
    state_store: Any
    owner_key: Callable[[str], str | None]
    timezone_lookup: Callable[[Any], str]
    clock: Callable[[], dt.datetime]
    base_url: Callable[[], str]
    actions: Mapping[str, Callable[[Services, Visit], tuple[State, Turn]]] = field(default_factory=dict)
    request_actions: Mapping[str, Callable[[Any, Services, Visit], tuple[State, Turn]]] = field(
        default_factory=dict)


@dataclass
class Visit:
    """This request's view of the conversation, kept in the request attributes."""

    prompts: Prompts
    state: State
    # The state as last saved (None when unknown): saving happens only when it changed.
    saved: dict[str, Any] | None
    unsaved: bool = False
    # Set by "delete my data": nothing of this runner may be written back.
    forget: bool = False
    owner_key: str | None = None


def visit_of(handler_input) -> Visit:
    return handler_input.attributes_manager.request_attributes[VISIT]


def request_of(handler_input):
    return handler_input.request_envelope.request


def intent_name(handler_input) -> str | None:
    request = request_of(handler_input)
    if getattr(request, "object_type", None) != "IntentRequest" or request.intent is None:
        return None
    return request.intent.name


def slot_value(handler_input, name: str) -> str | None:
    """The words Alexa heard for a slot, or None when it is missing or empty."""
    slot = _slot(handler_input, name)
    value = getattr(slot, "value", None)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip()


def resolved_id(handler_input, name: str) -> str | None:
    """The custom slot value id entity resolution matched (ER_SUCCESS_MATCH), if any."""
    slot = _slot(handler_input, name)
    resolutions = getattr(slot, "resolutions", None)
    for authority in getattr(resolutions, "resolutions_per_authority", None) or ():
        status = getattr(getattr(authority, "status", None), "code", None)
        if getattr(status, "value", status) != "ER_SUCCESS_MATCH":
            continue
        for match in authority.values or ():
            value_id = getattr(getattr(match, "value", None), "id", None)
            if isinstance(value_id, str) and value_id:
                return value_id
    return None


def _slot(handler_input, name: str):
    request = request_of(handler_input)
    intent = getattr(request, "intent", None)
    slots = getattr(intent, "slots", None)
    if not isinstance(slots, dict):
        return None
    return slots.get(name)


class ConversationHandler(AbstractRequestHandler):
    """A handler with the skill's services; `can_handle` only reads the request."""

    intents: tuple[str, ...] = ()

    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input) -> bool:
        return intent_name(handler_input) in self.intents


# ---- responding --------------------------------------------------------------------------


def respond(handler_input, services: Services, state: State, turn: Turn):
    """Carry out the turn's action if it has one, then speak its lines and ask its step."""
    visit = visit_of(handler_input)
    visit.state = state
    lines = list(turn.say)
    for _ in range(3):  # an action's follow-up never asks for another, but never loop regardless
        if turn.action is None:
            break
        state, turn = _perform(handler_input, services, visit, turn.action)
        visit.state = state
        lines.extend(turn.say)
    if (turn.end or turn.ask is None) and any(line.key in KEPT_CLAIMS for line in lines):
        lines = _claims_checked(handler_input, visit, lines)
    return speak(handler_input, visit.prompts, lines, turn.ask, end=turn.end or turn.ask is None,
                 brief=turn.brief)


# Closing words that say the answers were kept, and what to say instead when they were not.
KEPT_CLAIMS = {"goodbye_progress_kept": "goodbye_progress_lost", "plan_not_saved": "plan_not_saved_lost"}


def _claims_checked(handler_input, visit: Visit, lines: list[Line]) -> list[Line]:
    """Before a goodbye that says "I've kept your answers", keep them (the response interceptor
    would save only after the words are chosen); when that fails, or there is no runner to keep
    them for, say so instead."""
    save_visit(handler_input)
    if visit.owner_key is not None and not visit.unsaved:
        return lines
    return [Line(KEPT_CLAIMS[line.key], line.params) if line.key in KEPT_CLAIMS else line for line in lines]


def speak(handler_input, prompts: Prompts, lines: list[Line], ask: Step | None, *, end: bool,
          brief: bool = False):
    parts = [render_line(prompts, line) for line in lines]
    builder = handler_input.response_builder
    if ask is not None and not end:
        question, reprompt = render_ask(prompts, ask, brief=brief)
        parts.append(question)
        builder.speak(" ".join(p for p in parts if p)).ask(reprompt)
    else:
        builder.speak(" ".join(p for p in parts if p))
        builder.response.reprompt = None
    # Explicit either way: Alexa keeps a session open when shouldEndSession is missing on some devices.
    builder.set_should_end_session(bool(end or ask is None))
    return builder.response


def _perform(handler_input, services: Services, visit: Visit, action: str) -> tuple[State, Turn]:
    if action in services.request_actions:
        return services.request_actions[action](handler_input, services, visit)
    if action == talk.ACTION_FILE:
        return file_plan(handler_input, services, visit)
    if action == talk.ACTION_DELETE:
        return delete_data(services, visit)
    if action in services.actions:
        return services.actions[action](services, visit)
    raise ValueError(f"unknown action {action!r}")


# ---- filing and deleting ---------------------------------------------------------------------


def device_zone(handler_input, services: Services) -> str:
    """The device's time zone when a plan may use it (an IANA place or UTC: rehab's rule), else
    UTC (never raises). Only the filing turn asks, so rehab.models is imported here, not at start."""
    try:
        zone = services.timezone_lookup(handler_input)
        from rehab.models import place_zone

        place = place_zone(zone) if isinstance(zone, str) and zone else None
        if place is not None:
            ZoneInfo(place)
            return place
    except Exception as error:  # the Settings API may be down, or the device may not say
        logger.info("device time zone unavailable (%s); using UTC", type(error).__name__)
    return FALLBACK_ZONE


def file_plan(handler_input, services: Services, visit: Visit) -> tuple[State, Turn]:
    state = visit.state
    preferences = state.resolved_preferences()
    preferences["timezone"] = device_zone(handler_input, services)
    from plans.service import file_plan as file_with_service  # pydantic and the core: only on this turn

    try:
        filed = file_with_service(services.store(), dict(state.answers), preferences,
                                  owner_key=visit.owner_key, now=services.clock())
    except Exception as error:  # the database is down, full or locked: the advice still stands
        logger.warning("plan not filed (%s); answers kept for the next visit", type(error).__name__)
        return talk.plan_not_saved(state)

    programme = filed.plan.programme
    chosen = filed.plan.preferences
    sessions = programme.sessions
    start = sessions[0].date.isoformat() if sessions else chosen.start_date.isoformat()
    time = sessions[0].start_time if sessions else chosen.time
    # The programme may use fewer days than offered (rest days); say the ones it uses.
    used_days = {weekday_code(s.date) for s in sessions} or set(chosen.weekdays)
    weekdays = [d for d in WEEKDAYS if d in used_days]
    base_url = services.base_url()
    site = urlsplit(base_url).netloc
    state, turn = talk.plan_filed(state, code=filed.code, start_date=start, weekdays=weekdays, time=time,
                                  site=site)

    prompts = visit.prompts
    url = plan_url(base_url, filed.token)
    expires = prompts.date(last_day(filed.code_expires_at, programme.timezone))
    safety = [item.text for item in programme.care_advice if item.rule_id == "care-safety-net"]
    card = "\n\n".join([
        programme.summary,
        *safety,
        prompts.say("card_code", code=grouped(filed.code), expires=expires),
        prompts.say("card_link", url=url),
        prompts.say("card_disclaimer"),
    ])
    handler_input.response_builder.set_card(SimpleCard(title=prompts.say("card_title"), content=card))
    return state, turn


def delete_data(services: Services, visit: Visit) -> tuple[State, Turn]:
    plans = 0
    try:
        if visit.owner_key is not None:
            deleted = services.store().delete_owner_data(visit.owner_key)
            plans = deleted.plans
            # The store deletes the state row too when both share a database; the state store
            # may be elsewhere (in memory for the console), so it is asked as well.
            services.state_store.delete(visit.owner_key)
    except Exception as error:
        logger.warning("data not deleted (%s)", type(error).__name__)
        return talk.delete_failed(visit.state)
    visit.forget = True
    return talk.data_deleted(plans)


def locale_prompts(handler_input) -> Prompts:
    return for_locale(getattr(request_of(handler_input), "locale", None))


def save_visit(handler_input) -> None:
    """Write the conversation back. Never raises: a failed save is logged and retried next turn."""
    manager = handler_input.attributes_manager
    visit: Visit | None = manager.request_attributes.get(VISIT)
    if visit is None:
        return
    session = handler_input.request_envelope.session
    if visit.forget:
        if session is not None:
            manager.session_attributes = {}
        return
    form = visit.state.to_attributes(with_mode=False)
    unsaved = visit.unsaved
    if visit.owner_key is not None and (unsaved or form != visit.saved):
        try:
            manager.persistent_attributes = {PERSISTED_STATE: form}
            manager.save_persistent_attributes()
            unsaved = False
            visit.saved = form
        except Exception as error:  # the database is away; the session still carries everything
            logger.warning("progress not saved (%s); will retry next turn", type(error).__name__)
            unsaved = True
    visit.unsaved = unsaved
    if session is not None:
        attributes = manager.session_attributes
        if not isinstance(attributes, dict):
            attributes = {}
            manager.session_attributes = attributes
        attributes[SESSION_STATE] = visit.state.to_attributes()
        attributes[SESSION_UNSAVED] = unsaved
