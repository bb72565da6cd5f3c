"""'Start my session': today's session guided by voice, exercise by exercise (skill.guided cuts it
into steps and says each one). "Next" moves on, "repeat" says the step again, "skip" goes to the
next exercise, "pause" (or stop) keeps the place between visits, and "resume" or "start my session"
carries on from it. "That hurts" ends the set and goes straight into the voice check-in with the
pain question, as the end of the session does: the same check-in as "I did my session"
(skill.conversation.check_in_said, then skill.handlers.coaching's actions, plans.service.check_in).

While a session is guided (mode GUIDING), this handler answers everything but the requests that
mean the same anywhere (the check-in, "what's my session today", "what's my code", delete, a new
check): a yes, a number or words we did not get are met with a short "say next, repeat or pause",
and the place is kept. The screen follows the same place (skill.apl.guided_screen shows the
exercise of the step just said; its buttons call the functions below).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from rehab.clock import today_in
from skill import conversation as talk
from skill.conversation import GUIDING, Line, State, Step, Turn
from skill.handlers.base import (
    VISIT,
    ConversationHandler,
    Services,
    intent_name,
    request_of,
    respond,
    visit_of,
)
from skill.prompts import escape, render_line

if TYPE_CHECKING:  # the stepper itself is imported on the turn that guides (a cold start greets)
    from skill.guided import Guide

logger = logging.getLogger("skill")

# Request attribute: (session, today, prescription index) the screen should show after this turn.
SCREEN_SHOWS = "coach_guided_screen"

# Always this handler's, guiding or not.
GUIDE_INTENTS = frozenset({"StartSessionIntent", "AMAZON.ResumeIntent", "AMAZON.NextIntent",
                           "AMAZON.PauseIntent", "SkipIntent", "HurtsIntent"})
# While guiding, these still do what they do anywhere (the guided place is kept for "resume").
ANYWHERE = frozenset({"TodaysSessionIntent", "CheckInIntent", "ProgressIntent", "ClearanceIntent",
                      "DeleteMyDataIntent", "WhatsMyCodeIntent", "CheckHamstringIntent",
                      "SetUpRemindersIntent", "StopRemindersIntent"})


def guiding(handler_input) -> bool:
    """Whether a session is being guided in this visit (safe before the conversation is loaded)."""
    manager = getattr(handler_input, "attributes_manager", None)
    visit = getattr(manager, "request_attributes", {}).get(VISIT) if manager is not None else None
    return visit is not None and visit.state.mode == GUIDING


class GuidedSessionHandler(ConversationHandler):
    def can_handle(self, handler_input) -> bool:
        name = intent_name(handler_input)
        if name in GUIDE_INTENTS:
            return True
        kind = getattr(request_of(handler_input), "object_type", None)
        return kind == "IntentRequest" and name not in ANYWHERE and guiding(handler_input)

    def handle(self, handler_input):
        name = intent_name(handler_input)
        state = visit_of(handler_input).state
        if state.mode != GUIDING:
            return self._not_guiding(handler_input, name, state)
        if name == "AMAZON.NextIntent":
            return guided_next(handler_input, self.services)
        if name == "AMAZON.YesIntent":  # "yes", but also "it hurts" and "it's sore": never taken as next
            return _stay(handler_input, self.services, "guided_yes_unclear")
        if name in ("StartSessionIntent", "AMAZON.ResumeIntent", "AMAZON.RepeatIntent"):
            return say_again(handler_input, self.services)
        if name == "SkipIntent":
            return guided_skip(handler_input, self.services)
        if name == "HurtsIntent":
            return guided_hurts(handler_input, self.services)
        if name in ("AMAZON.PauseIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
                    "AMAZON.NavigateHomeIntent"):
            return guided_pause(handler_input, self.services)
        if name == "AMAZON.PreviousIntent":
            return _move(handler_input, self.services, lambda guide, at: max(0, at - 1), [Line("going_back")])
        if name == "AMAZON.StartOverIntent":
            return _move(handler_input, self.services, lambda guide, at: 0, [Line("starting_over")])
        if name == "AMAZON.HelpIntent":
            return _stay(handler_input, self.services, "help_guiding")
        if name in ("WaitIntent", "AMAZON.NoIntent"):
            return _stay(handler_input, self.services, "guided_take_your_time")
        return _stay(handler_input, self.services, "not_understood")

    def _not_guiding(self, handler_input, name, state: State):
        if state.mode == talk.CONFIRM_DELETE:
            asked = Turn(ask=Step(talk.CONFIRM_DELETE), brief=True)
            return respond(handler_input, self.services, state, asked)
        if name == "AMAZON.ResumeIntent" and state.mode == talk.RESUME:  # "resume" the unfinished check
            return respond(handler_input, self.services, *talk.answer(state, "yes", None))
        if name in ("StartSessionIntent", "AMAZON.ResumeIntent") or (
                name == "AMAZON.NextIntent" and state.guided is not None and state.mode in (None, talk.HOME)
                and not state.in_progress):
            return start_guiding(handler_input, self.services)
        if name == "AMAZON.PauseIntent":
            return respond(handler_input, self.services, *talk.wait(state))
        return respond(handler_input, self.services, *talk.fallback(state))


# ---- the plan and the session -----------------------------------------------------------------


class _NoGuide(Exception):
    """No session to guide today: `turn` says why (from `state`)."""

    def __init__(self, state: State, turn: Turn):
        super().__init__("no session to guide")
        self.state, self.turn = state, turn


def _todays_guide(services: Services, visit) -> tuple[object, object, Guide]:
    """(today, today's session, its guide), or _NoGuide with what to say instead."""
    from rehab.programme import next_session

    state = visit.state
    try:
        plan = services.store().latest_plan_for_owner(visit.owner_key) if visit.owner_key else None
    except Exception as error:  # the plan store is away
        logger.warning("plan not read for a guided session (%s)", type(error).__name__)
        raise _NoGuide(*talk.after_reading(_leave(state), [talk.say("plan_unreachable")])) from None
    if plan is None:
        raise _NoGuide(*talk.no_plan_for_draft(_leave(state)))
    if not state.plan_on_file:
        state = replace(state, plan_on_file=True)
    programme = plan.programme
    today = today_in(programme.timezone, services.clock())
    session = next_session(programme, today)
    gate = programme.pending_gate
    if session is None or session.date != today:
        if gate is not None and gate.date <= today:
            lines = [talk.say("session_gate_due")]
        elif session is not None:
            lines = [talk.say("guided_no_session_today", date=session.date.isoformat(),
                              time=session.start_time)]
        else:
            lines = [talk.say("session_plan_over")]
        raise _NoGuide(*talk.after_reading(_leave(state), lines))
    from skill.guided import guide_for

    guide = guide_for(visit.prompts, session)
    if not guide.steps:
        raise _NoGuide(*talk.after_reading(_leave(state), [talk.say("guided_nothing_to_count")]))
    return today, session, guide


def _leave(state: State) -> State:
    """Out of guiding (the place stays, for "resume")."""
    return replace(state, mode=None, mode_before=None) if state.mode == GUIDING else state


def _place(state: State, guide: Guide, day: str) -> tuple[int, bool]:
    """The step to carry on from (0 for a fresh start) and whether an exercise was skipped."""
    place = state.guided
    if place is None or place["date"] != day:
        return 0, False
    at = place["step"]
    if at < len(guide.steps) and guide.steps[at].exercise_id == place["exercise_id"]:
        return at, place["skipped"]
    # The plan changed since: the same exercise from its start, else the session from its start.
    first = guide.first_of_exercise(place["exercise_id"])
    return (first, place["skipped"]) if first is not None else (0, False)


# ---- the turns --------------------------------------------------------------------------------


def start_guiding(handler_input, services: Services):
    """'Start my session' or 'resume': today's session from its start, or from where it paused."""
    visit = visit_of(handler_input)
    try:
        today, session, guide = _todays_guide(services, visit)
    except _NoGuide as none:
        return respond(handler_input, services, none.state, none.turn)
    day = session.date.isoformat()
    at, skipped = _place(visit.state, guide, day)
    state = talk.leave_draft(visit.state)
    state = replace(state, mode=GUIDING, mode_before=None, code=None, code_reissued=False, plan_on_file=True)
    lead = [Line("guided_welcome_back")] if at > 0 else []
    return _speak_step(handler_input, state, guide, session, today, at, skipped, lead)


def _current(handler_input, services: Services):
    """(today, session, guide, step, skipped) for a turn while guiding; _NoGuide when the session
    can no longer be guided (the plan gone, the day over)."""
    visit = visit_of(handler_input)
    today, session, guide = _todays_guide(services, visit)
    at, skipped = _place(visit.state, guide, session.date.isoformat())
    return today, session, guide, at, skipped


def _guarded(turn_function):
    """Run a guided turn; when there is no session to guide any more, say why instead."""

    def run(handler_input, services: Services, *args):
        try:
            current = _current(handler_input, services)
        except _NoGuide as none:
            return respond(handler_input, services, none.state, none.turn)
        return turn_function(handler_input, services, *current, *args)

    return run


@_guarded
def guided_next(handler_input, services, today, session, guide, at, skipped):
    """'Next': the next step; after the last one, the check-in."""
    if at + 1 >= len(guide.steps):
        outcome = "partial" if skipped else "done"
        return guided_finish(handler_input, services, outcome, [Line("guided_finished")])
    return _speak_step(handler_input, visit_of(handler_input).state, guide, session, today, at + 1, skipped)


@_guarded
def guided_skip(handler_input, services, today, session, guide, at, skipped):
    """'Skip this one': the next exercise (the session is then reported as partly done)."""
    following = guide.next_exercise(at)
    if at == 0 and guide.steps[0].kind == "opening":  # nothing begun yet: skipping the intro is "next"
        following, lead, skipping = 1, [], False
    else:
        lead, skipping = [Line("guided_skipping")], True
    if following is None:
        return guided_finish(handler_input, services, "partial", [Line("guided_skipping"),
                                                                  Line("guided_finished")])
    return _speak_step(handler_input, visit_of(handler_input).state, guide, session, today, following,
                       skipped or skipping, lead)


@_guarded
def screen_next(handler_input, services, today, session, guide, at, skipped):
    """The screen's Next: on to the next exercise; a skip unless this exercise's last step was said."""
    following = guide.next_exercise(at)
    step = guide.steps[at]
    last_of_exercise = at + 1 >= len(guide.steps) or guide.steps[at + 1].exercise != step.exercise \
        or step.kind == "opening"
    if guide.steps[at].kind == "opening":
        following = 1
    if following is None:
        outcome = "partial" if skipped or not last_of_exercise else "done"
        return guided_finish(handler_input, services, outcome, [Line("guided_finished")])
    return _speak_step(handler_input, visit_of(handler_input).state, guide, session, today, following,
                       skipped or not last_of_exercise)


def say_again(handler_input, services: Services):
    """'Repeat' (or "start my session" again while guiding): the step said again."""
    return _move(handler_input, services, lambda guide, at: at, [Line("guided_again")])


def _move(handler_input, services: Services, where, lead: list[Line]):
    @_guarded
    def moved(handler_input, services, today, session, guide, at, skipped):
        return _speak_step(handler_input, visit_of(handler_input).state, guide, session, today,
                           where(guide, at), skipped, lead)

    return moved(handler_input, services)


def _stay(handler_input, services: Services, key: str):
    """A word of help (or "sorry, I didn't get that"), then the short ask; the place is kept."""
    @_guarded
    def stay(handler_input, services, today, session, guide, at, skipped):
        visit = visit_of(handler_input)
        prompts = visit.prompts
        speech = f"{escape(prompts.say(key))} {escape(prompts.say('ask_brief_guiding'))}"
        return _reply(handler_input, visit.state, speech, session, today, guide.steps[at].exercise)

    return stay(handler_input, services)


@_guarded
def guided_pause(handler_input, services, today, session, guide, at, skipped):
    """'Pause' (and stop): the place is kept between visits; "resume" carries on from it."""
    visit = visit_of(handler_input)
    step = guide.steps[at]
    state = replace(visit.state, mode=None, mode_before=None, guided=_place_of(session, guide, at, skipped))
    visit.state = state
    builder = handler_input.response_builder
    builder.speak(escape(visit.prompts.say("guided_paused", number=max(step.number, 1), count=guide.count)))
    builder.response.reprompt = None
    builder.set_should_end_session(True)
    return builder.response


def guided_hurts(handler_input, services: Services):
    """'That hurts': the set ends here and the check-in asks about the pain."""
    state = visit_of(handler_input).state
    if state.mode != GUIDING:
        return respond(handler_input, services, *talk.fallback(state))
    return guided_finish(handler_input, services, "partial", [Line("guided_hurts")])


def guided_finish(handler_input, services: Services, outcome: str, lead: list[Line]):
    """The session is over (done, or partly): the voice check-in, about today, with the pain
    question next (plans.service decides the verdict when it is answered)."""
    visit = visit_of(handler_input)
    state = replace(visit.state, mode=None, mode_before=None, guided=None)
    state, turn = talk.check_in_said(state, outcome=outcome, days_ago=0)
    return respond(handler_input, services, state, replace(turn, say=(*lead, *turn.say)))


def _place_of(session, guide: Guide, at: int, skipped: bool) -> dict:
    return {"date": session.date.isoformat(), "step": at, "exercise_id": guide.steps[at].exercise_id,
            "skipped": skipped}


def _speak_step(handler_input, state: State, guide: Guide, session, today, at: int, skipped: bool,
                lead: list[Line] | None = None):
    visit = visit_of(handler_input)
    prompts = visit.prompts
    state = replace(state, mode=GUIDING, guided=_place_of(session, guide, at, skipped))
    from skill.guided import step_speech

    said, ask = step_speech(prompts, guide, at)
    parts = [render_line(prompts, line) for line in lead or ()]
    parts += [said, ask]
    speech = " ".join(p for p in parts if p)
    return _reply(handler_input, state, speech, session, today, guide.steps[at].exercise)


def _reply(handler_input, state: State, speech: str, session, today, exercise: int):
    visit = visit_of(handler_input)
    visit.state = state
    handler_input.attributes_manager.request_attributes[SCREEN_SHOWS] = (session, today, exercise)
    builder = handler_input.response_builder
    builder.speak(speech).ask(escape(visit.prompts.say("reprompt_guiding")))
    builder.set_should_end_session(False)
    return builder.response
