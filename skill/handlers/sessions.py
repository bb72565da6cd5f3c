"""Later visits: "what's my session today" reads today's (or the next) session of the runner's
latest plan. A gated programme (issue 10) also has its move-on check dated among the sessions:
when that is next it is said so, and when a session went unlogged or the check is due, the
runner is offered to log it there and then (skill.handlers.coaching carries that on).

Also here, what the plan says about checking in (which session is unlogged, whether the move-on
check is due), which the check-in actions read too."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace

from rehab.clock import today_in
from skill import conversation as talk
from skill.conversation import Line, State, Turn
from skill.handlers.base import ConversationHandler, Services, Visit, respond, visit_of
from skill.prompts import Prompts

logger = logging.getLogger("skill")

# Check-ins that report a session (not a move-on check alone, nor a clearance).
SESSION_REPORTS = talk.SESSION_OUTCOMES


class TodaysSessionHandler(ConversationHandler):
    intents = ("TodaysSessionIntent",)

    def handle(self, handler_input):
        state = visit_of(handler_input).state
        if talk.at_outcome(state):  # "what should I do today?" when told the outcome: today's care
            state, turn = talk.outcome_choice(state, "today")
            return respond(handler_input, self.services, state, turn)
        return respond(handler_input, self.services, state, Turn(action=talk.ACTION_READ_SESSION))


# ---- what the plan says about checking in ---------------------------------------------------


def session_to_log(plan, today: dt.date) -> dt.date | None:
    """The last session dated up to `today`, when it has no check-in yet."""
    last = max((s.date for s in plan.programme.sessions if s.kind == "session" and s.date <= today),
               default=None)
    logged = {c.date for c in plan.check_ins if c.session in SESSION_REPORTS}
    return last if last is not None and last not in logged else None


def gate_criteria(plan, by: dt.date) -> list[tuple[str, str]]:
    """The move-on check's (id, spoken question) pairs when it is due on or before `by`."""
    gate = plan.programme.pending_gate
    if gate is None or gate.date > by:
        return []
    return [(c.id, c.question) for c in gate.criteria]


def offer_for(plan, today: dt.date) -> tuple[dt.date, list[tuple[str, str]], bool] | None:
    """What "what's my session today" offers to log: the last session before today when it has
    no check-in, else a move-on check that is due. (day, criteria, gate only), or None."""
    last = session_to_log(plan, today - dt.timedelta(days=1))
    if last is not None:
        return last, gate_criteria(plan, last), False
    criteria = gate_criteria(plan, today)
    if criteria:
        return today, criteria, True
    return None


# ---- reading the session ---------------------------------------------------------------------


def read_session(services: Services, visit: Visit) -> tuple[State, Turn]:
    """Today's session of the runner's latest plan, or the next one; then, when nothing else is
    under way, the offer to log the last session or to do the due move-on check."""
    from rehab.programme import next_session

    prompts = visit.prompts
    state = visit.state
    lines: list[Line] = []
    plan = offer = None
    busy = state.mode not in (None, talk.HOME) or (state.mode is None and state.in_progress)
    try:
        if visit.owner_key is not None:
            plan = services.store().latest_plan_for_owner(visit.owner_key)
    except Exception as error:
        logger.warning("plan not read (%s)", type(error).__name__)
        lines.append(talk.say("plan_unreachable"))
    else:
        if plan is None:
            lines.append(talk.say("no_plan_yet"))
        else:
            if not state.plan_on_file:
                state = replace(state, plan_on_file=True)
            programme = plan.programme
            today = today_in(programme.timezone, services.clock())
            session = next_session(programme, today)
            lines.extend(_session_lines(prompts, session, today, programme.pending_gate))
            offer = None if busy else offer_for(plan, today)

    if busy:
        # In the middle of something: read it, then carry on where we were.
        if state.mode is None:
            lines.append(talk.say("then_carry_on"))
            return state, Turn(say=tuple(lines), ask=state.step())
        return state, talk.draft_turn(state, *lines)
    if state.mode == talk.HOME:
        state = replace(state, mode=None)
    if offer is not None:
        day, criteria, gate_only = offer
        return talk.offer_check_in(state, lines, day=day, today=today, criteria=criteria, gate_only=gate_only)
    return state, Turn(say=tuple(lines), end=True)


def _session_lines(prompts: Prompts, session, today: dt.date, gate=None) -> list[Line]:
    """The session read out; a move-on check dated before it (or instead of any) comes first."""
    lines: list[Line] = []
    if gate is not None and gate.date <= today and (session is None or session.date != today):
        return [talk.say("session_gate_due")]
    if gate is not None and today < gate.date and (session is None or gate.date <= session.date):
        return [talk.say("session_gate_next", date=gate.date.isoformat())]
    if session is None:
        return [] if gate is not None else [talk.say("session_plan_over")]
    if session.date == today:
        lines.append(talk.say("session_today", time=session.start_time, title=session.title))
    else:
        lines.append(talk.say("session_next", date=session.date.isoformat(), time=session.start_time,
                              title=session.title))
    if session.running_note:
        lines.append(talk.say("text", text=session.running_note))
    exercises = [prompts.say("session_exercise", name=p.name, dosage=prompts.dosage(p.dosage))
                 for p in session.prescriptions]
    if exercises:
        lines.append(talk.say("text", text=prompts.say("session_exercises", exercises="; ".join(exercises))))
    lines.append(talk.say("session_length", minutes=session.duration_minutes))
    if session.date == today and exercises:  # issue 13: the same session, guided exercise by exercise
        lines.append(talk.say("session_guide_offer"))
    return lines


ACTIONS = {talk.ACTION_READ_SESSION: read_session}
