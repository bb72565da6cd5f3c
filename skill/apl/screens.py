"""Where the screens meet the conversation.

- `ScreenInterceptor` (a response interceptor) adds a screen to a turn that already answered by
  voice: the first exercise of the session "what's my session today" read out, and the outcome
  screen (QR code and code) on the turn that filed a plan. Nothing in the voice handlers changes.
- `ScreenEventHandler` takes the buttons' `Alexa.Presentation.APL.UserEvent` requests: Next shows
  the next exercise; Done and It hurts open the voice check-in exactly as "I did my session" and
  "I did part of it" do (skill.conversation.check_in_said, then the handlers' `respond`, whose
  actions are skill.handlers.coaching's), for today's session.

Both add a RenderDocument directive only when the request's device lists
`Alexa.Presentation.APL` among its supported interfaces; a screen that cannot be built (the plan
store away, an odd card) leaves the spoken turn as it was.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor

from rehab.clock import today_in
from skill import conversation as talk
from skill.apl import documents
from skill.handlers.base import (
    SESSION_STATE,
    ConversationHandler,
    Services,
    intent_name,
    request_of,
    respond,
    visit_of,
)
from skill.prompts import Prompts, escape

logger = logging.getLogger("skill")

USER_EVENT = "Alexa.Presentation.APL.UserEvent"
MAX_EXERCISES = 50  # a session never holds more; an event naming a later one is not ours


def supports_apl(handler_input) -> bool:
    """Whether the device this request came from renders APL (it says so in every request)."""
    system = getattr(getattr(handler_input.request_envelope, "context", None), "system", None)
    interfaces = getattr(getattr(system, "device", None), "supported_interfaces", None)
    return getattr(interfaces, "alexa_presentation_apl", None) is not None


def _directive(token: str, document: dict[str, Any]):
    # Imported on the turn that shows a screen: the SDK's APL models are a tenth of a cold start.
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(token=token, document=document)


# ---- the session screen -------------------------------------------------------------------------


def session_document(prompts: Prompts, session, today: dt.date, index: int) -> dict[str, Any] | None:
    """Exercise `index` of `session` as a screen, or None when the session has no such exercise.
    Done and It hurts are offered for today's session only: a later one cannot be logged yet."""
    prescriptions = session.prescriptions
    if not 0 <= index < len(prescriptions):
        return None
    shown = prescriptions[index]
    day = session.date.isoformat()
    if session.date == today:
        heading = prompts.say("screen_session_today", time=prompts.time(session.start_time),
                              title=session.title)
    else:
        heading = prompts.say("screen_session_next", date=prompts.date(session.date),
                              time=prompts.time(session.start_time), title=session.title)
    buttons: list[tuple[str, list[Any], str]] = []
    if index + 1 < len(prescriptions):
        buttons.append((prompts.say("screen_button_next"), [documents.NEXT, day, index], documents.ACCENT))
    if session.date == today:
        buttons.append((prompts.say("screen_button_done"), [documents.DONE, day], documents.INK))
        buttons.append((prompts.say("screen_button_hurts"), [documents.HURTS, day], documents.WARN))
    from rehab.figures import CREDIT, DRAWINGS  # the pictures' data: only on a turn that shows one

    drawing = DRAWINGS.get(shown.exercise_id)
    return documents.exercise_document(
        heading=heading,
        progress=prompts.say("screen_progress", index=index + 1, count=len(prescriptions)),
        name=shown.name,
        dose=prompts.dosage(shown.dosage),
        cues=shown.cues,
        exercise_id=shown.exercise_id if drawing is not None else None,
        credit=CREDIT,
        picture_label=drawing.shows if drawing is not None else "",
        buttons=buttons,
    )


def _plan(services: Services, owner_key: str | None):
    return services.store().latest_plan_for_owner(owner_key) if owner_key is not None else None


def _asked_for_session(handler_input) -> bool:
    """'What's my session today', or yes to "Would you like to hear your next session?"."""
    name = intent_name(handler_input)
    if name == "TodaysSessionIntent":
        return True
    if name != "AMAZON.YesIntent":
        return False
    carried = getattr(handler_input.request_envelope.session, "attributes", None)
    state = carried.get(SESSION_STATE) if isinstance(carried, dict) else None
    return isinstance(state, dict) and state.get("mode") == talk.HOME


# ---- the outcome screen -------------------------------------------------------------------------


def _field(template: str, text: str, name: str) -> str | None:
    """The value a prompt template put in place of `{name}` in one line of `text` (the card the
    filing turn sends carries the plan's code and link in the locale's own words)."""
    pattern = re.escape(template)
    for key in re.findall(r"\{(\w+)\}", template):
        group = f"(?P<{key}>.+?)" if key == name else ".+?"  # a code is shown in its groups
        pattern = pattern.replace(re.escape("{" + key + "}"), group, 1)
    for line in text.splitlines():
        found = re.fullmatch(pattern, line.strip())
        if found:
            return found[name]
    return None


def outcome_document(prompts: Prompts, card, base_url: str) -> dict[str, Any] | None:
    """The plan's QR code and code, from the filing turn's card; None for any other card."""
    from plans.codes import grouped, normalize_code

    if getattr(card, "title", None) != prompts.say("card_title") or not isinstance(card.content, str):
        return None
    code = _field(prompts.text["card_code"], card.content, "code")
    url = _field(prompts.text["card_link"], card.content, "url")
    code = normalize_code(code) if code else None
    if code is None:
        return None
    site = urlsplit(base_url).netloc or base_url
    plan_url = url if url and url.startswith(base_url.rstrip("/") + "/") else None
    return documents.outcome_document(
        title=prompts.say("card_title"),
        code_label=prompts.say("screen_code_label"),
        code=grouped(code),
        scan=prompts.say("screen_scan" if plan_url else "screen_enter_code", site=site),
        link=site,
        qr_url=plan_url,
    )


class ScreenInterceptor(AbstractResponseInterceptor):
    """Adds the screen to a spoken turn on an APL device. Never raises: the turn stands as spoken."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input, response) -> None:
        if response is None or not supports_apl(handler_input):
            return
        if any(getattr(d, "object_type", None) == documents.RENDER_DOCUMENT
               for d in response.directives or ()):
            return
        try:
            self._add_screen(handler_input, response)
        except Exception as error:  # the plan store away, or a plan we cannot show: voice only
            logger.warning("no screen for this turn (%s)", type(error).__name__)

    def _add_screen(self, handler_input, response) -> None:
        visit = visit_of(handler_input)
        prompts = visit.prompts
        card = response.card
        outcome = outcome_document(prompts, card, self.services.base_url()) if card is not None else None
        if outcome is not None:
            response.directives = [*(response.directives or ()), _directive(documents.OUTCOME_TOKEN, outcome)]
            return
        if not _asked_for_session(handler_input) or visit.forget:
            return
        from rehab.programme import next_session

        plan = _plan(self.services, visit.owner_key)
        if plan is None:
            return
        today = today_in(plan.programme.timezone, self.services.clock())
        session = next_session(plan.programme, today)
        document = session_document(prompts, session, today, 0) if session is not None else None
        if document is None:
            return
        response.directives = [*(response.directives or ()), _directive(documents.SESSION_TOKEN, document)]
        if response.should_end_session:
            # Undefined, not true: on a screen the session stays open, microphone closed, so the
            # buttons still reach the skill.
            response.should_end_session = None


# ---- the buttons --------------------------------------------------------------------------------


def screen_event(request) -> tuple[str, str, int] | None:
    """A button's event, checked: (what, session date, index shown); None for anything else."""
    if getattr(request, "object_type", None) != USER_EVENT:
        return None
    arguments = getattr(request, "arguments", None)
    if not isinstance(arguments, list) or len(arguments) < 2:
        return None
    what, day = arguments[0], arguments[1]
    if what not in (documents.NEXT, documents.DONE, documents.HURTS) or not isinstance(day, str):
        return None
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        return None
    index = arguments[2] if len(arguments) > 2 else 0
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < MAX_EXERCISES:
        return None
    return what, day, index


class ScreenEventHandler(ConversationHandler):
    """Next, Done and It hurts, pressed on the session screen."""

    def can_handle(self, handler_input) -> bool:
        return screen_event(request_of(handler_input)) is not None

    def handle(self, handler_input):
        what, day, index = screen_event(request_of(handler_input))
        visit = visit_of(handler_input)
        if what == documents.NEXT:
            return self._next(handler_input, day, index)
        # As if the runner had said it, about today's session (the screen offers these only then).
        outcome = "done" if what == documents.DONE else "partial"
        state, turn = talk.check_in_said(visit.state, outcome=outcome, days_ago=0)
        return respond(handler_input, self.services, state, turn)

    def _next(self, handler_input, day: str, index: int):
        visit = visit_of(handler_input)
        prompts = visit.prompts
        builder = handler_input.response_builder
        try:
            plan = _plan(self.services, visit.owner_key)
        except Exception as error:
            logger.warning("plan not read for the next exercise (%s)", type(error).__name__)
            builder.speak(escape(prompts.say("plan_unreachable")))
            return builder.response
        if plan is None:
            builder.speak(escape(prompts.say("no_plan_yet")))
            return builder.response
        session = next((s for s in plan.programme.sessions
                        if s.kind == "session" and s.date.isoformat() == day), None)
        today = today_in(plan.programme.timezone, self.services.clock())
        document = session_document(prompts, session, today, index + 1) if session is not None else None
        if document is None:
            builder.speak(escape(prompts.say("screen_last_exercise")))
            return builder.response
        shown = session.prescriptions[index + 1]
        builder.speak(escape(prompts.say("screen_exercise_spoken", index=index + 2,
                                         count=len(session.prescriptions), name=shown.name,
                                         dosage=prompts.dosage(shown.dosage))))
        if supports_apl(handler_input):
            builder.add_directive(_directive(documents.SESSION_TOKEN, document))
        return builder.response
