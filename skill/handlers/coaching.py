"""The coaching loop by voice: check-ins ("I did my session", "log yesterday's session", "how my
hamstring feels"), the move-on check, "how am I doing", and a referred runner's clearance ("my
physio cleared me").

The handlers read the slots and call one transition of `skill.conversation`; the actions below
do the I/O those transitions ask for (read the runner's plan, log through `plans.service`) and
hand plain facts back to the conversation. The clinical decisions, and the words for them
(`check_in.says`, the progress sentence), are the core's: nothing here decides a verdict.

Failures are told as they are: the plan store away means "nothing is logged yet" with what the
runner said kept in the session for "try again"; a check-in the plan cannot take is refused with
the service's reason. Neither ever claims a save.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from rehab.clock import today_in
from skill import conversation as talk
from skill.conversation import Draft, Line, State, Turn
from skill.handlers.base import (
    ConversationHandler,
    Services,
    Visit,
    resolved_id,
    respond,
    slot_value,
    visit_of,
)
from skill.handlers.sessions import gate_criteria, session_to_log

logger = logging.getLogger("skill")


def _value_id(handler_input, slot: str) -> str | None:
    """A custom slot's value id (entity resolution), else the words when they already are one."""
    value_id = resolved_id(handler_input, slot)
    if value_id is not None:
        return value_id
    words = slot_value(handler_input, slot)
    return words.lower().replace(" ", "_") if words else None


class CheckInHandler(ConversationHandler):
    """'I did my session (and it hurt a 4)', 'log yesterday's session', 'how my hamstring feels';
    inside a check-in, "part of it" or "I missed it" answers the outcome question."""

    intents = ("CheckInIntent",)

    def handle(self, handler_input):
        outcome = _value_id(handler_input, "sessionOutcome")
        day = talk.days_from_relative_day(_value_id(handler_input, "sessionDay"))
        pain = slot_value(handler_input, "painScore")
        state, turn = talk.check_in_said(visit_of(handler_input).state, outcome=outcome, pain=pain,
                                         days_ago=day)
        return respond(handler_input, self.services, state, turn)


class ProgressHandler(ConversationHandler):
    """'How am I doing?': the progress sentence (plans.progress), then whatever was under way."""

    intents = ("ProgressIntent",)

    def handle(self, handler_input):
        return respond(handler_input, self.services, visit_of(handler_input).state,
                       Turn(action=talk.ACTION_READ_PROGRESS))


class ClearanceHandler(ConversationHandler):
    """'My physio cleared me (for a mild strain)'; at the clearance question, which programme."""

    intents = ("ClearanceIntent",)

    def handle(self, handler_input):
        category = _value_id(handler_input, "category")
        state, turn = talk.clearance_said(visit_of(handler_input).state, category)
        return respond(handler_input, self.services, state, turn)


def _plan(services: Services, visit: Visit):
    if visit.owner_key is None:
        return None
    return services.store().latest_plan_for_owner(visit.owner_key)


def _on_file(state: State) -> State:
    return state if state.plan_on_file else replace(state, plan_on_file=True)


# ---- the actions ----------------------------------------------------------------------------


def open_check_in(services: Services, visit: Visit) -> tuple[State, Turn]:
    """Read the plan: which session day the check-in is about, and whether the move-on check
    is due by then."""
    state = visit.state
    draft = Draft(state.check_in or {})
    try:
        plan = _plan(services, visit)
    except Exception as error:  # the database is away: keep what was said for "try again"
        logger.warning("plan not read for a check-in (%s)", type(error).__name__)
        return talk.draft_not_saved(state)
    if plan is None:
        return talk.no_plan_for_draft(state)
    state = _on_file(state)
    programme = plan.programme
    today = today_in(programme.timezone, services.clock())
    start = programme.start_date or plan.created_at.date()
    if today < start:
        return talk.plan_not_started(state, start)
    if draft.days_ago is not None:
        day = today - dt.timedelta(days=draft.days_ago)
        if day < start:
            return talk.finish_draft(state, talk.say("before_plan_started", date=start.isoformat()))
    else:
        day = session_to_log(plan, today) or today
    criteria = gate_criteria(plan, day)
    # Nothing to report but a due move-on check ("do my move-on check" on a day without a
    # session): the check on its own, as a gate-only check-in.
    session_today = any(s.kind == "session" and s.date == today for s in programme.sessions)
    gate_only = bool(criteria) and day == today and not session_today and draft.days_ago is None \
        and "session" not in draft.said
    return talk.check_in_opened(state, day=day, today=today, criteria=criteria, gate_only=gate_only)


def log_check_in(services: Services, visit: Visit) -> tuple[State, Turn]:
    """Log it through plans.service.check_in (the core decides), then say what happens next."""
    from plans import service

    state = visit.state
    draft = Draft(state.check_in or {})
    if visit.owner_key is None:
        return talk.no_plan_for_draft(state)
    try:
        done = service.check_in(services.store(), None, draft.report(), now=services.clock(),
                                owner_key=visit.owner_key)
    except service.CheckInRefused as refusal:
        return talk.check_in_refused(state, refusal.message)
    except ValueError as error:  # pydantic's ValidationError: a report the models refuse
        logger.warning("check-in refused by the models (%s)", type(error).__name__)
        return talk.finish_draft(state, talk.say("check_in_invalid"))
    except Exception as error:  # StoreUnavailable and the like: nothing was written
        logger.warning("check-in not logged (%s); kept for a retry", type(error).__name__)
        return talk.draft_not_saved(state)
    if done is None:
        return talk.no_plan_for_draft(state)
    programme = done.plan.programme
    today = today_in(programme.timezone, services.clock())
    due: list[tuple[str, str]] = []
    if not draft.criteria and done.check_in.verdict in ("progress", "hold"):
        due = gate_criteria(done.plan, today)
    return talk.check_in_logged(_on_file(state), says=done.check_in.says, gate_due=due, today=today)


def open_clearance(services: Services, visit: Visit) -> tuple[State, Turn]:
    state = visit.state
    try:
        plan = _plan(services, visit)
    except Exception as error:
        logger.warning("plan not read for a clearance (%s)", type(error).__name__)
        return talk.draft_not_saved(state)
    if plan is None:
        return talk.no_plan_for_draft(state)
    state = _on_file(state)
    if plan.programme.category != "refer":
        return talk.not_a_referral(state)
    return talk.clearance_opened(state)


def log_clearance(services: Services, visit: Visit) -> tuple[State, Turn]:
    """The clinician's clearance through plans.service.clear: the same plan, the cleared
    programme as its next revision."""
    from plans import service
    from rehab.programme import next_session

    state = visit.state
    draft = Draft(state.check_in or {})
    if visit.owner_key is None:
        return talk.no_plan_for_draft(state)
    try:
        done = service.clear(services.store(), None, draft.category, now=services.clock(),
                             owner_key=visit.owner_key)
    except service.CheckInRefused as refusal:
        if refusal.field == "plan":
            return talk.not_a_referral(state)
        return talk.check_in_refused(state, refusal.message)
    except Exception as error:
        logger.warning("clearance not logged (%s); kept for a retry", type(error).__name__)
        return talk.draft_not_saved(state)
    if done is None:
        return talk.no_plan_for_draft(state)
    programme = done.plan.programme
    state, turn = talk.clearance_logged(_on_file(state), says=done.check_in.says)
    first = next_session(programme, today_in(programme.timezone, services.clock()))
    if first is not None:
        when = talk.say("clearance_first_session", date=first.date.isoformat(), time=first.start_time)
        turn = replace(turn, say=(*turn.say, when))
    return state, turn


def read_progress(services: Services, visit: Visit) -> tuple[State, Turn]:
    """'How am I doing?': the one progress sentence the page and the PDF show too."""
    from plans.progress import plan_progress

    state = visit.state
    lines: list[Line] = []
    try:
        plan = _plan(services, visit)
    except Exception as error:
        logger.warning("plan not read for progress (%s)", type(error).__name__)
        lines.append(talk.say("plan_unreachable"))
    else:
        if plan is None:
            return talk.no_plan_for_draft(state)
        state = _on_file(state)
        today = today_in(plan.programme.timezone, services.clock())
        lines.append(talk.say("text", text=plan_progress(plan, today).sentence()))
    return talk.after_reading(state, lines)


ACTIONS = {
    talk.ACTION_OPEN_CHECK_IN: open_check_in,
    talk.ACTION_LOG_CHECK_IN: log_check_in,
    talk.ACTION_OPEN_CLEARANCE: open_clearance,
    talk.ACTION_LOG_CLEARANCE: log_clearance,
    talk.ACTION_READ_PROGRESS: read_progress,
}
