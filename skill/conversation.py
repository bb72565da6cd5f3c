"""The triage conversation as a pure state machine: what has been said, what to ask next, and
what to say back. No Alexa SDK, no I/O, no words: every reply is a list of `Line`s (a prompt key
and its parameters) that `skill.prompts` turns into speech for the runner's locale.

The questions, their order and what makes an answer legal all come from `rehab.questions`; this
module only remembers the answers, in the order given, so "go back" can undo the last one.
After the last question come two preference questions (which days, what time), each with a
default the runner can keep by saying yes; then the handler files the plan (`Turn.action`).

A runner with a plan checks in by voice ("I did my session"): how it went, the pain during it, the
next morning's pain when that morning has come, and, when the plan's move-on check is due, its
yes/no criteria. What they have said so far is a `check_in` draft that lives in the session (not
between visits) until `plans.service` has logged it; a failed save keeps it, so "try again" works.
A referred runner's clearance ("my physio cleared me") is asked through the same draft.

The state travels in Alexa's session attributes during a visit and is kept between visits by the
persistence adapter, so everything here must round-trip through JSON: `State.to_attributes()` and
`State.from_attributes()`, which never trusts what it reads (a tampered or stale record loses the
bad parts, never crashes).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rehab import clock
from rehab.questions import QUESTIONS, Question, next_question, question, reachable_answers, record_answer

STATE_VERSION = 1

# The preference defaults the runner is offered. They equal rehab.models.Preferences' defaults
# (a test keeps them equal); repeated here so the first turns need not import pydantic.
DEFAULT_WEEKDAYS: tuple[str, ...] = ("MO", "WE", "FR")
DEFAULT_TIME = "07:00"
# How far ahead a start date may be: the same year as the models allow.
MAX_START_DAYS_AHEAD = 366

# Steps that are not triage questions.
WEEKDAYS = "weekdays"
TIME = "time"
START_DATE = "start_date"
FILE = "file"
PREFERENCE_STEPS = (WEEKDAYS, TIME)
# The outcome, told in short turns before the plan: the headline and running advice first, then
# "want to hear why, what to do today, or shall I make your plan?". What has been told is kept
# under this preference key ({"told": [...], "more": [sentences still to say]}); "plan" ends it.
OUTCOME = "outcome"
OUTCOME_MORE = "outcome_more"  # "Shall I go on?": sentences are waiting in the queue
OUTCOME_TOLD = frozenset({"why", "today", "safety", "plan"})
# Words a turn of told outcome may hold before the rest waits for "shall I go on?".
OUTCOME_WORD_BUDGET = 32

# Modes: a question that stands in front of the triage.
RESUME = "resume"  # "Welcome back. Shall we carry on where we left off?"
HOME = "home"  # a runner with a plan and nothing in progress
CONFIRM_DELETE = "confirm_delete"
CHECK_IN = "check_in"  # asking how a session went (and the move-on check's criteria)
CHECK_IN_OFFER = "check_in_offer"  # "Your session on Friday isn't logged yet. Shall we log it now?"
RETRY_SAVE = "retry_save"  # the plan store was away: "Shall I try again?"
CLEARANCE = "clearance"  # which programme the clinician cleared a referred runner for
START_OFFER = "start_offer"  # no plan yet: "Shall we check your hamstring now?"
CODE_OFFER = "code_offer"  # the plan is filed: "Shall I read you the code that opens it?"
CODE_REPEAT = "code_repeat"  # the code was said: "Want me to repeat it?"
GUIDING = "guiding"  # "start my session": exercise by exercise (skill.guided); the place is `State.guided`
MODES = (RESUME, HOME, CONFIRM_DELETE, CHECK_IN, CHECK_IN_OFFER, RETRY_SAVE, CLEARANCE, START_OFFER,
         CODE_OFFER, CODE_REPEAT, GUIDING)
CODE_MODES = (CODE_OFFER, CODE_REPEAT)
# After the code (skill.handlers.reminders): "Shall I set that reminder?" for the sessions, then
# "Shall I set that one too?" for the morning after each session.
REMINDER_OFFER = "reminder_offer"
CHECK_IN_REMINDER_OFFER = "check_in_reminder_offer"
REMINDER_MODES = (REMINDER_OFFER, CHECK_IN_REMINDER_OFFER)
MODES = (*MODES, *REMINDER_MODES)
# A plan code as plans.codes.CODE_LENGTH makes them, repeated so the first turns need not import
# plans.codes (a test keeps them equal).
_CODE = re.compile(r"^[A-Z0-9]{10}$")
# The modes that carry a check-in (or clearance) draft.
DRAFT_MODES = (CHECK_IN, CHECK_IN_OFFER, RETRY_SAVE, CLEARANCE)

# Actions the handler performs (they need I/O) before asking the conversation what to say.
ACTION_FILE = "file_plan"
ACTION_DELETE = "delete_data"
ACTION_READ_SESSION = "read_session"
ACTION_OPEN_CHECK_IN = "open_check_in"  # read the plan: which day, whether the move-on check is due
ACTION_LOG_CHECK_IN = "log_check_in"
ACTION_OPEN_CLEARANCE = "open_clearance"  # read the plan: is it a referral?
ACTION_LOG_CLEARANCE = "log_clearance"
ACTION_READ_PROGRESS = "read_progress"
ACTION_READ_CODE = "read_code"  # "what's my code": re-issue the newest plan's code
ACTION_OFFER_REMINDERS = "offer_reminders"  # read the plan: what the reminders would be
ACTION_SET_REMINDERS = "set_reminders"  # the sessions' reminders (asking for permission first)
ACTION_SET_CHECK_IN_REMINDER = "set_check_in_reminder"

# Check-in steps.
SESSION_OUTCOME = "session_outcome"  # done, partly, missed
PAIN_DURING = "pain_during"
PAIN_NEXT_MORNING = "pain_next_morning"
CRITERION = "criterion"  # one of the move-on check's yes/no questions
LOG_CHECK_IN = "log_check_in"  # everything asked: log it
GATE_OFFER = "gate_offer"  # CHECK_IN_OFFER for a move-on check on its own
SESSION_OUTCOMES = ("done", "partial", "missed")
# The programmes a clinician may clear a referred runner for (rehab.models.Category but "refer").
CLEARED_CATEGORIES = ("tightness", "tendinopathy", "strain_low_grade", "strain")
PAIN_MIN, PAIN_MAX = 0, 10

# "Not sure" how long ago: a default said aloud (and undone by "go back"). A sudden injury is
# taken as recent, which keeps its early care and any referral's urgency; a gradual one as two
# weeks, neither brand new nor long-standing.
UNSURE_DAYS = {"sudden": 3, "gradual": 14}

# The at-home tests: "explain the test" walks through these.
TEST_QUESTIONS = frozenset({"shoe_test", "hinge_test", "heel_press_test"})
_QUESTION_IDS = frozenset(q.id for q in QUESTIONS)
_HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$")
# AMAZON.TIME's words for parts of the day, as the hour a runner most likely means.
_PART_OF_DAY = {"MO": "07:00", "AF": "14:00", "EV": "18:00", "NI": "20:00"}
# AMAZON.DayOfWeek's words ("monday") -> weekday codes, from the core's one weekday table.
_DAY_CODES = {name.lower(): code for code, name in clock.WEEKDAY_NAMES.items()}


@dataclass(frozen=True)
class Line:
    """One thing to say: a prompt key and its parameters (rendered by skill.prompts)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def say(key: str, **params: Any) -> Line:
    return Line(key, params)


@dataclass(frozen=True)
class Turn:
    """The reply to one request. `ask` is what the runner is being asked (its reprompt is what
    Alexa says after silence); None with `end` closes the session. `action`, when set, must be
    carried out by the handler before replying (filing the plan, deleting data, reading a
    session); the handler then asks the conversation for the follow-up turn."""

    say: tuple[Line, ...] = ()
    ask: Step | None = None
    end: bool = False
    action: str | None = None
    # Ask in the short form (the reprompt's words): after guidance the full question is too long.
    brief: bool = False


@dataclass(frozen=True)
class Step:
    """What the runner is being asked: a triage question, a preference, or a mode's yes/no."""

    kind: str  # "question" | WEEKDAYS | TIME | FILE | one of MODES | a check-in step
    question_id: str | None = None  # a triage question's id, or a move-on criterion's
    text: str | None = None  # a move-on criterion's spoken question (it lives in the plan)
    date: str | None = None  # the session day a check-in step is about (ISO)

    @property
    def question(self) -> Question | None:
        return question(self.question_id) if self.question_id else None


@dataclass(frozen=True)
class State:
    answers: Mapping[str, Any] = field(default_factory=dict)
    # The answers and preferences in the order given: "go back" undoes the last one.
    history: tuple[str, ...] = ()
    preferences: Mapping[str, Any] = field(default_factory=dict)
    mode: str | None = None
    # The mode to return to when the runner decides not to delete after all.
    mode_before: str | None = None
    plan_on_file: bool = False
    # What the runner has said in a check-in or a clearance not yet logged (see `Draft`); kept in
    # the session only, while a draft mode is current (or waits behind "delete my data").
    check_in: Mapping[str, Any] | None = None
    # The plan code just said, so "repeat it" needs no store: kept in the session only, while a
    # code mode is current (never between visits).
    code: str | None = None
    # The code was re-issued by "what's my code" with a new link (a plan kept before its token
    # was, plans.store): the old link no longer works (said at the end).
    code_reissued: bool = False
    # Where a guided session stands (see `guided_from`). Kept between visits, unlike the mode, so a
    # paused session carries on where it stopped.
    guided: Mapping[str, Any] | None = None

    # ---- reading ---------------------------------------------------------------------------

    @property
    def in_progress(self) -> bool:
        return bool(self.answers) or bool(self.preferences)

    def step(self) -> Step:
        if self.mode is not None:
            if self.mode in DRAFT_MODES:
                return draft_step(self)
            return Step(self.mode)
        return self.triage_step()

    def triage_step(self) -> Step:
        q = next_question(self.answers)
        if q is not None:
            return Step("question", q.id)
        told = self.preferences.get(OUTCOME) or {}
        if told.get("more"):
            return Step(OUTCOME_MORE)
        if "plan" not in (told.get("told") or ()):
            return Step(OUTCOME)
        if WEEKDAYS not in self.preferences:
            return Step(WEEKDAYS)
        if TIME not in self.preferences:
            return Step(TIME)
        return Step(FILE)

    @property
    def triage_finished(self) -> bool:
        return next_question(self.answers) is None

    def resolved_preferences(self) -> dict[str, Any]:
        """The preferences to file: the runner's choices, the defaults for the rest."""
        chosen = dict(self.preferences)
        result: dict[str, Any] = {
            "weekdays": list(chosen.get(WEEKDAYS) or DEFAULT_WEEKDAYS),
            "time": chosen.get(TIME) or DEFAULT_TIME,
        }
        if chosen.get(START_DATE):
            result["start_date"] = chosen[START_DATE]
        return result

    # ---- JSON ------------------------------------------------------------------------------

    def to_attributes(self, *, with_mode: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "v": STATE_VERSION,
            "answers": dict(self.answers),
            "history": list(self.history),
            "preferences": {k: list(v) if isinstance(v, tuple) else v for k, v in self.preferences.items()},
            "plan_on_file": self.plan_on_file,
        }
        if self.guided is not None:
            data["guided"] = dict(self.guided)
        if with_mode:
            data["mode"] = self.mode
            data["mode_before"] = self.mode_before
            if self.check_in is not None and (self.mode in DRAFT_MODES or self.mode_before in DRAFT_MODES):
                data["check_in"] = dict(self.check_in)
            if self.code is not None and self.mode in CODE_MODES:
                data["code"] = self.code
                data["code_reissued"] = self.code_reissued
        return data

    @classmethod
    def from_attributes(cls, data: object) -> State:
        """Rebuild a state from stored attributes, keeping only what is still legal: answers
        that rehab.questions accepts, known preference values and a history that matches them."""
        if not isinstance(data, Mapping):
            return cls()
        answers: dict[str, Any] = {}
        raw_answers = data.get("answers")
        if isinstance(raw_answers, Mapping):
            for key, value in raw_answers.items():
                if key in _QUESTION_IDS and value is not None and not isinstance(value, (dict, list)):
                    try:
                        answers = record_answer(answers, key, value)
                    except ValueError:
                        continue
        preferences: dict[str, Any] = {}
        raw_preferences = data.get("preferences")
        if isinstance(raw_preferences, Mapping):
            days = raw_preferences.get(WEEKDAYS)
            if isinstance(days, list | tuple) and days and all(d in clock.WEEKDAYS for d in days):
                preferences[WEEKDAYS] = [d for d in clock.WEEKDAYS if d in days]
            time = raw_preferences.get(TIME)
            if isinstance(time, str) and _HH_MM.match(time):
                preferences[TIME] = time[:5]
            told = raw_preferences.get(OUTCOME)
            if isinstance(told, Mapping):
                flags = [f for f in told.get("told") or () if isinstance(f, str) and f in OUTCOME_TOLD]
                more = [m for m in told.get("more") or () if isinstance(m, str) and len(m) <= 600][:12]
                preferences[OUTCOME] = {"told": flags, "more": more}
            start = raw_preferences.get(START_DATE)
            if isinstance(start, str) and _iso_date(start) is not None:
                preferences[START_DATE] = start
        answers = reachable_answers(answers)
        known = set(answers) | set(preferences)
        history: list[str] = []
        raw_history = data.get("history")
        if isinstance(raw_history, list):
            for item in raw_history:
                if isinstance(item, str) and item in known and item not in history:
                    history.append(item)
        # Anything answered but missing from the history goes first, so it can still be undone.
        history = [k for k in (*answers, *preferences) if k not in history] + history
        mode = data.get("mode") if data.get("mode") in MODES else None
        mode_before = data.get("mode_before") if data.get("mode_before") in MODES else None
        draft = None
        if mode in DRAFT_MODES or mode_before in DRAFT_MODES:
            draft = draft_from(data.get("check_in"))
            if draft is None:  # a draft mode without a usable draft: as if it had never started
                mode = None if mode in DRAFT_MODES else mode
                mode_before = None if mode_before in DRAFT_MODES else mode_before
        guided = guided_from(data.get("guided"))
        if guided is None:  # guiding with no place to guide from: as if it had never started
            mode = None if mode == GUIDING else mode
            mode_before = None if mode_before == GUIDING else mode_before
        return cls(answers=answers, history=tuple(history), preferences=preferences, mode=mode,
                   mode_before=mode_before, plan_on_file=data.get("plan_on_file") is True, check_in=draft,
                   guided=guided, **_code_from(data, mode))


_EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
MAX_GUIDED_STEPS = 1000


def guided_from(data: object) -> dict[str, Any] | None:
    """A guided session's place read back, keeping only what is legal; None when it is not one:
    `date` (the session's day, ISO), `step` (the step reached, skill.guided), `exercise_id` (the
    exercise that step belongs to, so a plan revised since is caught), `skipped` (an exercise was
    skipped: the session is reported as partly done)."""
    if not isinstance(data, Mapping):
        return None
    day, step, exercise_id = data.get("date"), data.get("step"), data.get("exercise_id")
    if not (isinstance(day, str) and _iso_date(day) is not None):
        return None
    if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step < MAX_GUIDED_STEPS:
        return None
    if not (isinstance(exercise_id, str) and _EXERCISE_ID.match(exercise_id)):
        return None
    return {"date": day, "step": step, "exercise_id": exercise_id, "skipped": data.get("skipped") is True}


def _code_from(data: Mapping[str, Any], mode: str | None) -> dict[str, Any]:
    code = data.get("code")
    if mode in CODE_MODES and isinstance(code, str) and _CODE.match(code):
        return {"code": code, "code_reissued": data.get("code_reissued") is True}
    return {}


# ---- transitions --------------------------------------------------------------------------
# Each takes the state and what the runner said and returns (new state, turn).


def ask_current(state: State, *lead: Line, fresh: bool = True) -> Turn:
    """Say `lead`, then ask whatever is current. `fresh` asks the preference question with the
    triage outcome in front of it (the outcome is what the days question follows)."""
    step = state.step()
    lines = list(lead)
    if step.kind == OUTCOME and fresh and OUTCOME not in state.preferences:
        lines.extend(outcome_lines(state.answers))
    if step.kind == FILE:
        return Turn(say=tuple(lines), action=ACTION_FILE)
    return Turn(say=tuple(lines), ask=step)


def new_visit(state: State) -> State:
    """The state as a new session finds it: an unfinished check is offered to resume before
    anything else, whatever the first request is."""
    if state.in_progress:
        return replace(state, mode=RESUME, mode_before=None, check_in=None, code=None, code_reissued=False)
    return replace(state, mode=None, mode_before=None, check_in=None, code=None, code_reissued=False)


def launch(state: State) -> tuple[State, Turn]:
    """'Alexa, open hamstring coach'."""
    if state.mode == RESUME or state.in_progress:
        resumed = replace(state, mode=RESUME, mode_before=None)
        return resumed, Turn(ask=Step(RESUME))
    if state.plan_on_file:
        home = replace(state, mode=HOME, mode_before=None)
        return home, Turn(ask=Step(HOME))
    fresh = replace(state, mode=None, mode_before=None)
    return fresh, ask_current(fresh, say("welcome"), say("disclaimer"))


def check_hamstring(state: State) -> tuple[State, Turn]:
    """'Check my hamstring' (also the one-shot start): carry on an unfinished check if there is
    one to offer, else begin."""
    if state.mode == CONFIRM_DELETE:
        return cancel_delete(state)
    if state.mode == RESUME:
        return state, Turn(ask=Step(RESUME))
    state = leave_draft(state)
    if state.mode in (HOME, START_OFFER) or not state.in_progress:
        begun = replace(state, mode=None, mode_before=None)
        return begun, ask_current(begun, say("lets_check"), say("disclaimer"))
    return state, ask_current(state, say("carry_on"))


def answer(state: State, kind: str, value: object) -> tuple[State, Turn]:
    """An answer to the current question. `kind` says what the runner gave: "location",
    "onset", "number", "days" (a duration or a named day, already counted in days), "yes", "no",
    or "unsure"; `value` is the slot's value (None when the slot was empty or not understood)."""
    if state.mode in DRAFT_MODES or state.mode == START_OFFER:
        return draft_answer(state, kind, value)
    if state.mode == RESUME:
        if kind in ("yes", "no"):
            return resume(state, kind == "yes")
        return state, Turn(ask=Step(RESUME), brief=True)
    if state.mode == HOME:
        if kind == "yes":
            return state, Turn(action=ACTION_READ_SESSION)
        if kind == "no":
            return replace(state, mode=None), Turn(say=(say("home_no"),), end=True)
        return state, Turn(ask=Step(HOME), brief=True)
    if state.mode in CODE_MODES:
        return code_answer(state, kind)
    if state.mode in REMINDER_MODES:
        return reminder_answer(state, kind)
    if state.mode == CONFIRM_DELETE:
        if kind == "yes":
            return state, Turn(action=ACTION_DELETE)
        if kind == "no":
            return cancel_delete(state)
        return state, Turn(ask=Step(CONFIRM_DELETE), brief=True)

    step = state.step()
    if step.kind in (OUTCOME, OUTCOME_MORE):
        return outcome_choice(state, kind)
    if step.kind in PREFERENCE_STEPS:
        return _preference_answer(state, step, kind)
    if step.kind == FILE:
        return state, Turn(action=ACTION_FILE)

    q = step.question
    recorded = _record(state, q, kind, value)
    if recorded is None:
        return state, Turn(say=(say("guide", question_id=q.id, heard=kind),), ask=step, brief=True)
    return _after_answer(state, recorded, q.id)


def unsure(state: State) -> tuple[State, Turn]:
    """'I'm not sure' / 'I didn't try it'."""
    if state.mode is not None:
        return answer(state, "unsure", None)
    step = state.step()
    if step.kind == WEEKDAYS:
        return choose_days(state, list(DEFAULT_WEEKDAYS), lead=say("unsure_keep_default_days"))
    if step.kind == TIME:
        return choose_time(state, DEFAULT_TIME, lead=say("unsure_keep_default_time"))
    if step.kind == "question" and step.question_id == "days_since":
        onset = "gradual" if state.answers.get("onset") == "gradual" else "sudden"
        updated, turn = answer(state, "days", UNSURE_DAYS[onset])
        if "days_since" not in updated.answers:
            return updated, turn
        lead = say(f"unsure_days_{onset}")
        return updated, replace(turn, say=(lead, *(line for line in turn.say if line.key != "ack")))
    return answer(state, "unsure", None)


def at_question(state: State, question_id: str) -> bool:
    step = state.step()
    return state.mode is None and step.kind == "question" and step.question_id == question_id


def resume(state: State, carry_on: bool) -> tuple[State, Turn]:
    if carry_on:
        resumed = replace(state, mode=None, mode_before=None)
        return resumed, ask_current(resumed, say("carry_on"))
    return start_over(state)


def start_over(state: State) -> tuple[State, Turn]:
    if state.mode == CHECK_IN and state.check_in is not None:
        draft = Draft(state.check_in)
        again = replace(state, check_in=draft.with_(said={}, order=[]).data)
        return again, draft_turn(again, say("check_in_from_the_start"))
    fresh = State(plan_on_file=state.plan_on_file)
    return fresh, ask_current(fresh, say("starting_over"))


def go_back(state: State) -> tuple[State, Turn]:
    """'Go back': undo the last answer and ask its question again."""
    if state.mode == CONFIRM_DELETE:
        return cancel_delete(state)
    if state.mode == CHECK_IN and state.check_in is not None and Draft(state.check_in).order:
        draft = Draft(state.check_in)
        last = draft.order[-1]
        said = dict(draft.said)
        criteria = dict(said.get("criteria") or {})
        if last.startswith("criteria."):
            criteria.pop(last.removeprefix("criteria."), None)
            said["criteria"] = criteria
        else:
            said.pop(last, None)
        undone = replace(state, check_in=draft.with_(said=said, order=draft.order[:-1]).data)
        return undone, draft_turn(undone, say("going_back"))
    if state.mode is not None:
        return state, draft_turn(state, say("nothing_to_undo_here"))
    if not state.history:
        return state, ask_current(state, say("nothing_to_undo"), fresh=False)
    last = state.history[-1]
    answers = dict(state.answers)
    preferences = dict(state.preferences)
    answers.pop(last, None)
    preferences.pop(last, None)
    undone = replace(state, answers=answers, preferences=preferences, history=state.history[:-1])
    return undone, ask_current(undone, say("going_back"), fresh=False)


def repeat(state: State) -> tuple[State, Turn]:
    if state.mode is not None:
        return state, draft_turn(state)
    return state, ask_current(state, fresh=True)


def help_(state: State) -> tuple[State, Turn]:
    step = state.step()
    if step.kind == LOG_CHECK_IN:
        return state, draft_turn(state)
    if step.kind == "question":
        return state, Turn(say=(say("question_help", question_id=step.question_id), say("help_commands")),
                           ask=step)
    if step.kind == FILE:
        return state, Turn(say=(say("help_file"),), action=ACTION_FILE)
    return state, Turn(say=(say(f"help_{step.kind}"),), ask=step)


def explain_test(state: State) -> tuple[State, Turn]:
    """'How do I do the test?': the step-by-step for the test being asked; elsewhere, say there
    is no test right now and carry on."""
    step = state.step()
    if step.kind == "question" and step.question_id in TEST_QUESTIONS:
        # The steps one at a time, a pause after each to do it, then the short question.
        return state, Turn(say=(say("test_steps", question_id=step.question_id),), ask=step, brief=True)
    if step.kind == "question":
        return state, Turn(say=(say("no_test_now"), say("question_help", question_id=step.question_id)),
                           ask=step)
    if step.kind == FILE:
        return state, Turn(say=(say("no_test_now"),), action=ACTION_FILE)
    if step.kind == LOG_CHECK_IN:
        return state, draft_turn(state)
    return state, Turn(say=(say("no_test_now"),), ask=step)


def wait(state: State) -> tuple[State, Turn]:
    """'Wait', 'not yet': more time before the question is asked again (at a test, a long pause
    to do it; Alexa listens only after the words end)."""
    step = state.step()
    if step.kind == FILE:
        return state, Turn(action=ACTION_FILE)
    if step.kind == LOG_CHECK_IN:
        return state, draft_turn(state)
    pause = "test" if step.kind == "question" and step.question_id in TEST_QUESTIONS else "short"
    return state, Turn(say=(say("take_your_time", pause=pause),), ask=step, brief=True)


def fallback(state: State) -> tuple[State, Turn]:
    """Something we did not understand: never a dead end, always the question again with examples."""
    step = state.step()
    if step.kind == FILE:
        return state, Turn(action=ACTION_FILE)
    if step.kind == LOG_CHECK_IN:
        return state, draft_turn(state)
    if step.kind == "question":
        guide = say("guide", question_id=step.question_id, heard="other")
        return state, Turn(say=(say("not_understood"), guide), ask=step, brief=True)
    return state, Turn(say=(say("not_understood"),), ask=step, brief=True)


def stop(state: State) -> tuple[State, Turn]:
    """Stop or Cancel: end politely; progress is kept by the caller saving the state. A check-in
    not yet logged is not kept, and the runner is told so."""
    unlogged = state.mode in (CHECK_IN, RETRY_SAVE) and state.check_in is not None \
        and Draft(state.check_in).kind == "check_in"
    kept = replace(state, mode=None, mode_before=None, check_in=None)
    key = "goodbye_progress_kept" if kept.in_progress else "goodbye_nothing_logged" if unlogged else "goodbye"
    return kept, Turn(say=(say(key),), end=True)


def ask_delete(state: State) -> tuple[State, Turn]:
    if state.mode == CONFIRM_DELETE:
        return state, Turn(ask=Step(CONFIRM_DELETE))
    confirming = replace(state, mode=CONFIRM_DELETE, mode_before=state.mode)
    return confirming, Turn(ask=Step(CONFIRM_DELETE))


def cancel_delete(state: State) -> tuple[State, Turn]:
    back = replace(state, mode=state.mode_before, mode_before=None)
    if back.mode is not None:
        return back, draft_turn(back, say("nothing_deleted"))
    return back, ask_current(back, say("nothing_deleted"), fresh=False)


def data_deleted(plans: int) -> tuple[State, Turn]:
    return State(), Turn(say=(say("data_deleted", plans=plans),), end=True)


def delete_failed(state: State) -> tuple[State, Turn]:
    back = replace(state, mode=state.mode_before, mode_before=None)
    if back.mode is not None:
        return back, draft_turn(back, say("delete_failed"))
    goodbye = say("goodbye_progress_kept" if back.in_progress else "goodbye")
    return back, Turn(say=(say("delete_failed"), goodbye), end=True)


# ---- preferences -------------------------------------------------------------------------


def choose_days(state: State, days: Sequence[str], *, lead: Line | None = None,
                today: dt.date | None = None) -> tuple[State, Turn]:
    """Which weekdays to train on (codes MO..SU; an empty list was not understood). At "how many
    days ago?", a day named ("on Monday") is when it started: counted back from `today`."""
    if at_question(state, "days_since") and today is not None and len(days) == 1:
        from rehab.clock import weekday_code

        back = next(n for n in range(7) if weekday_code(today - dt.timedelta(days=n)) == days[0])
        updated, turn = answer(state, "days", back)
        heard = say("heard_days_ago", days=back)
        return updated, replace(turn, say=(heard, *(line for line in turn.say if line.key != "ack")))
    blocked = _not_choosing_now(state)
    if blocked is not None:
        return blocked
    chosen = [d for d in clock.WEEKDAYS if d in set(days)]
    if not chosen:
        return state, Turn(say=(say("days_not_understood"),), ask=Step(WEEKDAYS), brief=True)
    updated = _set_preference(state, WEEKDAYS, chosen)
    if at_outcome(state):  # days named at the outcome: the runner wants the plan
        return _plan_chosen(updated, lead or say("days_chosen", days=chosen))
    return updated, ask_current(updated, lead or say("days_chosen", days=chosen), fresh=False)


def choose_time(state: State, time: str | None, *, lead: Line | None = None,
                spoken: str | None = None) -> tuple[State, Turn]:
    """What time of day (HH:MM, 24 h); None was not understood. At a number question, "at seven"
    is most likely "a seven" misheard: taken as the number, and said back so it can be undone."""
    step = state.step()
    clock_time = isinstance(spoken, str) and _HH_MM.match(spoken.strip()) is not None  # not "this morning"
    if state.mode is None and step.kind == "question" and step.question_id == "pain_score" and clock_time \
            and time:
        hours, minutes = (int(part) for part in time.split(":")[:2])
        number = hours % 12 or 12
        if minutes == 0 and step.question.minimum <= number <= step.question.maximum:
            updated, turn = answer(state, "number", number)
            if step.question_id in updated.answers:
                heard = say("heard_number", number=number)
                return updated, replace(turn, say=(heard, *(line for line in turn.say if line.key != "ack")))
    blocked = _not_choosing_now(state)
    if blocked is not None:
        return blocked
    if time is None:
        return state, Turn(say=(say("time_not_understood"),), ask=Step(TIME), brief=True)
    updated = _set_preference(state, TIME, time)
    if at_outcome(state):
        return _plan_chosen(updated, lead or say("time_chosen", time=time))
    return updated, ask_current(updated, lead or say("time_chosen", time=time), fresh=False)


def choose_start_date(state: State, start: dt.date | None, today: dt.date) -> tuple[State, Turn]:
    """When to start (defaults to tomorrow); must be from today to a year ahead."""
    blocked = _not_choosing_now(state)
    if blocked is not None:
        return blocked
    if start is None or not today <= start <= today + dt.timedelta(days=MAX_START_DAYS_AHEAD):
        return state, Turn(say=(say("start_date_not_understood"),), ask=state.step(), brief=True)
    updated = _set_preference(state, START_DATE, start.isoformat())
    if at_outcome(state):
        return _plan_chosen(updated, say("start_date_chosen", date=start.isoformat()))
    return updated, ask_current(updated, say("start_date_chosen", date=start.isoformat()), fresh=False)


def _not_choosing_now(state: State) -> tuple[State, Turn] | None:
    if state.mode is not None:
        return answer(state, "other", None)
    if not state.triage_finished:
        step = state.step()
        # Not a lecture about choosing later: what this question needs.
        guide = say("guide", question_id=step.question_id, heard="other")
        return state, Turn(say=(guide,), ask=step, brief=True)
    return None


def _set_preference(state: State, key: str, value: Any) -> State:
    preferences = dict(state.preferences)
    preferences[key] = value
    history = tuple(k for k in state.history if k != key) + (key,)
    return replace(state, preferences=preferences, history=history)


def _preference_answer(state: State, step: Step, kind: str) -> tuple[State, Turn]:
    if kind == "yes":
        if step.kind == WEEKDAYS:
            # The days question offers the days and the time together: yes keeps both.
            kept = _set_preference(state, WEEKDAYS, list(DEFAULT_WEEKDAYS))
            if TIME not in kept.preferences:
                kept = _set_preference(kept, TIME, DEFAULT_TIME)
                return kept, ask_current(kept, say("keeping_defaults"), fresh=False)
            return kept, ask_current(kept, say("keeping_default_days"), fresh=False)
        return choose_time(state, DEFAULT_TIME, lead=say("keeping_default_time"))
    if kind == "no":
        return state, Turn(say=(say("okay"),), ask=step, brief=True)
    if kind == "unsure":
        return unsure(state)
    return state, Turn(say=(say(f"need_{step.kind}"),), ask=step, brief=True)


# ---- answers -----------------------------------------------------------------------------


def _record(state: State, q: Question, kind: str, value: object) -> dict[str, Any] | None:
    """The answers with this one recorded, or None when it does not fit the question."""
    if kind in ("yes", "no"):
        if q.kind != "choice" or kind not in q.choices:
            return None
        raw: object = kind
    elif kind == "unsure":
        raw = "unsure"
    elif kind == "number":
        if q.kind != "number":
            return None
        raw = _whole_number(value)
        if raw is None:
            return None
    elif kind == "days":  # a duration or a day named ("two weeks ago", "yesterday"), in days
        if q.id != "days_since" or isinstance(value, bool) or not isinstance(value, int):
            return None
        # "Twenty years ago" is past the question's maximum but plainly long-standing, which is
        # all triage asks of it: hold it at the maximum rather than refuse it. A bare number past
        # the maximum ("five thousand") is still refused: more likely misheard than meant.
        raw = min(value, q.maximum)
    elif kind in ("location", "onset"):
        if q.id != kind or not isinstance(value, str):
            return None
        raw = value
    else:
        return None
    try:
        return record_answer(state.answers, q.id, raw)
    except ValueError:
        return None


def _after_answer(state: State, answers: dict[str, Any], question_id: str) -> tuple[State, Turn]:
    history = tuple(k for k in state.history if k != question_id) + (question_id,)
    # An answer that changes the path can leave later answers behind; they no longer count.
    answers = reachable_answers(answers)
    history = tuple(k for k in history if k in answers or k in state.preferences)
    updated = replace(state, answers=answers, history=history)
    was_finished = state.triage_finished
    # The outcome opens with its own thanks ("Thanks, that's all my questions."): an ack in front
    # of it said "Thanks. Thanks, ..." one answer in four.
    outcome_follows = not was_finished and updated.step().kind == OUTCOME
    lead = () if outcome_follows else (say("ack", count=len(updated.history)),)
    return updated, ask_current(updated, *lead, fresh=not was_finished)


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return None


# ---- reading slot values -----------------------------------------------------------------


def weekdays_from(values: Iterable[str | None]) -> list[str]:
    """Weekday codes from AMAZON.DayOfWeek values ("monday", "Wednesdays"); unknown words dropped."""
    codes = []
    for value in values:
        if not isinstance(value, str):
            continue
        word = value.strip().lower()
        code = _DAY_CODES.get(word) or _DAY_CODES.get(word.rstrip("s"))
        if code is None and len(word) >= 3:
            code = next((c for name, c in _DAY_CODES.items() if name.startswith(word[:3])), None)
        if code is not None and code not in codes:
            codes.append(code)
    return codes


# RELATIVE_DAY_TYPE's value ids, as days ago.
RELATIVE_DAYS = {"today": 0, "yesterday": 1, "day_before_yesterday": 2}
# PART_OF_DAY_TYPE's value ids, as days ago. A separate table: "tonight" reaching the bare
# "{relativeDay}" slot unresolved must not count as a day, since said alone it is a time.
PARTS_OF_DAY_AGO = {"this_morning": 0, "this_afternoon": 0, "this_evening": 0, "tonight": 0,
                    "last_night": 1, "yesterday_morning": 1, "yesterday_afternoon": 1, "yesterday_evening": 1}
# ISO 8601: a "T" must have a time after it ("P1DT" and "PT" are malformed, not zero hours).
_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?")
# Runners say "a month ago" loosely and the question asks for a rough number: a month is 30 days.
_DAYS_PER = (365, 30, 7, 1)


def days_from_relative_day(value_id: str | None) -> int | None:
    """Days ago for "today", "yesterday", "the day before yesterday" (their value ids)."""
    return RELATIVE_DAYS.get(value_id) if isinstance(value_id, str) else None


def days_from_part_of_day(value_id: str | None) -> int | None:
    """Days ago for "this morning", "last night" and the like (their value ids)."""
    return PARTS_OF_DAY_AGO.get(value_id) if isinstance(value_id, str) else None


def days_from_duration(value: str | None) -> int | None:
    """Whole days in an AMAZON.DURATION value: "P2W" -> 14, "P1D" -> 1, "PT5H" -> 0 (it started
    today), "P1M" -> 30. None for anything else ("?", "P1.5W", "")."""
    if not isinstance(value, str):
        return None
    match = _DURATION.fullmatch(value.strip().upper())
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
    whole_days = sum(count * per for count, per in zip((years, months, weeks, days), _DAYS_PER, strict=True))
    return whole_days + (hours * 3600 + minutes * 60 + seconds) // 86400


def time_from(value: str | None) -> str | None:
    """HH:MM from an AMAZON.TIME value ("07:00", "19:30", or "MO"/"AF"/"EV"/"NI")."""
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    if text in _PART_OF_DAY:
        return _PART_OF_DAY[text]
    if _HH_MM.match(text):
        return text[:5]
    return None


def date_from(value: str | None) -> dt.date | None:
    """A calendar day from an AMAZON.DATE value; weeks, months and "PRESENT_REF" are not days."""
    return _iso_date(value) if isinstance(value, str) else None


def _iso_date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


# ---- the outcome -------------------------------------------------------------------------


def assessment_for(answers: Mapping[str, Any]):
    """The triage of these answers (rehab.triage; imported here, on the turn that needs it)."""
    from rehab.models import Answers
    from rehab.triage import assess

    return assess(Answers.model_validate(dict(answers)))


def outcome_lines(answers: Mapping[str, Any]) -> list[Line]:
    """The outcome's first short turn, in the order that keeps the runner safe: a referral first
    and plainly, else what it most likely is; then running in one sentence. The rest (why, today's
    care, the same-day warning) waits for the runner to ask, or comes before the plan. The clinical
    words are the core's (rehab.programme's category and running sentences)."""
    from rehab.programme import CATEGORY_WORDS, RUNNING_WORDS

    assessment = assessment_for(answers)
    lines: list[Line] = [say("outcome_intro")]
    if assessment.red_flags or assessment.category == "refer":
        lines.append(say("see_clinician_promptly"))
    else:
        lines.append(say("most_likely", what=CATEGORY_WORDS[assessment.category]))
    lines.append(say("text", text=RUNNING_WORDS[assessment.running]))
    return lines


def safety_net_relevant(answers: Mapping[str, Any]) -> bool:
    """The same-day warning (calf swelling, breathlessness) is spoken after a sudden injury (or one
    that may have been) and with any referral: the card prints it always."""
    if answers.get("onset") in ("sudden", "unsure"):
        return True
    assessment = assessment_for(answers)
    return bool(assessment.red_flags) or assessment.category == "refer"


def _safety_net_text() -> str:
    from rehab.programme import CARE

    return next(item.text for item in CARE if item.id == "care-safety-net")


def why_sentences(answers: Mapping[str, Any]) -> list[str]:
    """Why: the first sentence of each of the triage's reasons (red flags first), then the rest
    of them; "shall I go on?" between turns keeps each one short."""
    from rehab.triage import rule

    assessment = assessment_for(answers)
    order = {"red_flag": 0, "category": 1, "see_professional": 2}
    reasons = sorted(assessment.reasons, key=lambda r: order.get(rule(r.rule_id).sets, 3))
    firsts, rests = [], []
    for reason in reasons:
        if rule(reason.rule_id).sets not in order:
            continue
        parts = sentences(reason.text)
        if parts and parts[0] not in firsts:
            firsts.append(parts[0])
            rests.extend(p for p in parts[1:] if p not in rests)
    if answers.get("training_change") == "yes":  # the likely cause, as the runner said it
        rests.extend(sentences(rule("cause-training-change").reason))
    return firsts + rests


def today_sentences(answers: Mapping[str, Any], *, with_safety_net: bool = True) -> list[str]:
    """What to do today: the core's one piece of today's care, then the same-day warning when it
    is relevant (and not yet said)."""
    assessment = assessment_for(answers)
    texts = list(_care_today(answers, assessment))
    if with_safety_net and safety_net_relevant(answers):
        texts.append(_safety_net_text())
    return [part for text in texts for part in sentences(text)]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def word_count(text: str) -> int:
    return len(text.split())


def _told(state: State) -> tuple[list[str], list[str]]:
    told = state.preferences.get(OUTCOME) or {}
    return list(told.get("told") or ()), list(told.get("more") or ())


def _with_told(state: State, told: Sequence[str], more: Sequence[str]) -> State:
    return _set_preference(state, OUTCOME, {"told": list(dict.fromkeys(told)), "more": list(more)})


def _tell(state: State, told: list[str], queue: Sequence[str], *lead: Line) -> tuple[State, Turn]:
    """Say the queue's first sentences within the word budget; the rest wait for "go on"."""
    spoken: list[str] = []
    words = 0
    rest = list(queue)
    while rest and (not spoken or words + word_count(rest[0]) <= OUTCOME_WORD_BUDGET):
        words += word_count(rest[0])
        spoken.append(rest.pop(0))
    if set(spoken) & set(sentences(_safety_net_text())):
        told = [*told, "safety"]
    updated = _with_told(state, told, rest)
    return updated, Turn(say=(*lead, *(say("text", text=t) for t in spoken)), ask=updated.step(), brief=True)


def at_outcome(state: State) -> bool:
    """Whether the outcome is being told (its menu, or "shall I go on?")."""
    return state.mode is None and state.step().kind in (OUTCOME, OUTCOME_MORE)


def outcome_said(state: State, kind: str) -> tuple[State, Turn]:
    """'Why', 'what to do today', 'make my plan' said anywhere: at the outcome they choose; before
    it, "make my plan" carries on the check; elsewhere they were not meant for this question."""
    if at_outcome(state):
        return outcome_choice(state, kind)
    if kind == "plan" and (state.mode is None or state.mode == RESUME):
        return check_hamstring(state)
    if state.mode is not None:
        return answer(state, "other", None)
    return fallback(state)


def _plan_chosen(state: State, lead: Line) -> tuple[State, Turn]:
    """On to the plan; the same-day warning, when relevant, is never skipped on the way."""
    told, _ = _told(state)
    if safety_net_relevant(state.answers) and "safety" not in told:
        return _tell(state, told, sentences(_safety_net_text()), say("before_plan"))
    planned = _with_told(state, told + ["plan"], [])
    return planned, ask_current(planned, lead, fresh=False)


def outcome_choice(state: State, kind: str) -> tuple[State, Turn]:
    """An answer at the outcome: "why", "today", "plan" (yes), "no", or (after a long piece)
    yes / no to "shall I go on?"."""
    told, more = _told(state)
    answers = state.answers
    if more:
        if kind == "yes":
            return _tell(state, told, more)
        if kind in ("no", "plan"):
            state = _with_told(state, told, [])
            more = []
            if kind == "no":
                return state, Turn(say=(say("okay"),), ask=state.step(), brief=True)
    if kind == "why":
        return _tell(state, told + ["why"], why_sentences(answers))
    if kind == "today":
        return _tell(state, told + ["today"], today_sentences(answers, with_safety_net="safety" not in told))
    if kind in ("yes", "plan"):
        return _plan_chosen(state, say("okay"))
    if kind == "no":
        return stop(state)
    lead = say("guide_outcome")
    return state, Turn(say=(lead,), ask=state.step(), brief=True)


def _care_today(answers: Mapping[str, Any], assessment) -> list[str]:
    """The one piece of today's care the voice says (rehab.advice.TODAYS_CARE chooses it)."""
    from rehab.advice import care_to_say
    from rehab.models import Answers
    from rehab.programme import CARE

    model = Answers.model_validate(dict(answers))
    applicable = {item.id: item.text for item in CARE if item.applies(model, assessment)}
    chosen = care_to_say(applicable)
    return [applicable[chosen]] if chosen is not None else []


def summary_lines(answers: Mapping[str, Any]) -> list[Line]:
    """The safety advice repeated when a plan could not be saved: red flags, running, care."""
    from rehab.programme import RUNNING_WORDS

    assessment = assessment_for(answers)
    lines: list[Line] = []
    if assessment.red_flags:
        lines.append(say("see_clinician_promptly"))
    lines.append(say("text", text=RUNNING_WORDS[assessment.running]))
    lines.extend(say("text", text=text) for text in _care_today(answers, assessment))
    return lines


# ---- filing ------------------------------------------------------------------------------


def plan_filed(state: State, *, code: str, start_date: str, weekdays: Sequence[str], time: str,
               site: str) -> tuple[State, Turn]:
    """The plan is kept: say when it starts, then offer its code as a turn of its own. The
    answers now live in the plan, so the conversation starts afresh next time."""
    done = State(plan_on_file=True, mode=CODE_OFFER, code=code)
    return done, Turn(say=(
        say("plan_ready", start_date=start_date, weekdays=list(weekdays), time=time),
        say("plan_site", site=site),
    ), ask=Step(CODE_OFFER))


def code_read(state: State, code: str, *, reissued: bool = False) -> tuple[State, Turn]:
    """'What's my code': the code (a fresh one, when re-issued), then "want me to repeat it?"."""
    reading = replace(state, mode=CODE_REPEAT, mode_before=None, check_in=None, code=code,
                      code_reissued=reissued)
    return reading, Turn(say=(say("code", code=code),), ask=Step(CODE_REPEAT))


def code_asked(state: State) -> tuple[State, Turn]:
    """'What's my code' said: the code of this session if there is one, else ask the store."""
    if state.mode == CONFIRM_DELETE:
        return state, Turn(ask=Step(CONFIRM_DELETE), brief=True)
    if state.code is not None and state.mode in CODE_MODES:
        return code_read(state, state.code, reissued=state.code_reissued)
    return state, Turn(action=ACTION_READ_CODE)


def no_code(state: State, key: str) -> tuple[State, Turn]:
    """No code to say: no plan yet ("no_plan_yet"), or the store is away ("plan_unreachable")."""
    return after_reading(state, [say(key)])


def code_answer(state: State, kind: str) -> tuple[State, Turn]:
    """Yes: the code (again, letter by letter); no: the goodbye, or back to the check."""
    if kind == "yes" and state.code is not None:
        if state.mode == CODE_OFFER:
            return code_read(state, state.code, reissued=state.code_reissued)
        return state, Turn(say=(say("code_spelled", code=state.code),), ask=Step(CODE_REPEAT))
    if kind == "no" or state.code is None:
        lines = [say("code_new_link" if state.code_reissued else "card_sent")]
        done = replace(state, mode=None, mode_before=None, code=None, code_reissued=False)
        if done.in_progress:
            return done, ask_current(done, *lines, say("then_carry_on"), fresh=False)
        if not state.code_reissued:  # the plan was just filed: offer its reminders
            return done, Turn(say=tuple(lines), action=ACTION_OFFER_REMINDERS)
        return done, Turn(say=(*lines, say("goodbye_plan")), end=True)
    return state, Turn(ask=Step(state.mode), brief=True)


def reminders_offered(state: State, mode: str, *lines: Line) -> tuple[State, Turn]:
    """Offer a reminder (`lines` say when it would ring, as Alexa's rules ask)."""
    offering = replace(state, mode=mode, mode_before=None, check_in=None)
    return offering, Turn(say=lines, ask=Step(mode))


def reminder_answer(state: State, kind: str) -> tuple[State, Turn]:
    """Yes: set it (the handler asks for permission first when needed); no: goodbye."""
    done = replace(state, mode=None, mode_before=None)
    if kind == "yes":
        return done, Turn(action=ACTION_SET_REMINDERS if state.mode == REMINDER_OFFER
                          else ACTION_SET_CHECK_IN_REMINDER)
    if kind == "no":
        if state.mode == REMINDER_OFFER:
            return done, Turn(say=(say("reminders_declined"), say("goodbye_plan")), end=True)
        return done, Turn(say=(say("check_in_reminder_declined"),), end=True)
    return state, Turn(ask=Step(state.mode or REMINDER_OFFER), brief=True)


def plan_not_saved(state: State) -> tuple[State, Turn]:
    """The database is away: the advice still stands, the answers are kept for next time."""
    kept = replace(state, mode=None, mode_before=None)
    return kept, Turn(say=(*summary_lines(state.answers), say("plan_not_saved")), end=True)


# ---- check-ins, the move-on check and clearance ---------------------------------------------


class Draft:
    """A check-in (or a clearance) not yet logged, over its JSON-ready data:

    - `kind`: "check_in" or "clearance".
    - `ready`: the plan has been read, so `date`, `ask_morning`, `gate_only` and `criteria` are
      known (before that, only what the runner said in one go is).
    - `date`: the session day it is about (ISO); `days_ago`: the day the runner named, if any.
    - `ask_morning`: whether that session's next morning has come (it was before today).
    - `gate_only`: a move-on check on its own, with no session to report.
    - `criteria`: the move-on check's [id, spoken question] pairs when it is due on `date`.
    - `said`: the answers: `session`, `pain_during`, `pain_next_morning` (None: doesn't know
      yet), `criteria` {id: yes}; `order`: the same in the order given, for "go back".
    - `carry_on`: a triage was under way in this session: go back to it afterwards.
    - `category`: the programme a clinician cleared a referred runner for.
    - `misheard_pain`: a pain score said in one go that was not 0-10: ask it with guidance.
    """

    def __init__(self, data: Mapping[str, Any]):
        self.data = dict(data)

    def with_(self, **changes: Any) -> Draft:
        return Draft({**self.data, **changes})

    kind = property(lambda self: self.data.get("kind", "check_in"))
    ready = property(lambda self: self.data.get("ready") is True)
    date = property(lambda self: self.data.get("date"))
    days_ago = property(lambda self: self.data.get("days_ago"))
    ask_morning = property(lambda self: self.data.get("ask_morning") is True)
    gate_only = property(lambda self: self.data.get("gate_only") is True)
    carry_on = property(lambda self: self.data.get("carry_on") is True)
    category = property(lambda self: self.data.get("category"))
    misheard_pain = property(lambda self: self.data.get("misheard_pain") is True)

    @property
    def criteria(self) -> list[tuple[str, str]]:
        return [(c[0], c[1]) for c in self.data.get("criteria") or ()]

    @property
    def said(self) -> dict[str, Any]:
        return dict(self.data.get("said") or {})

    @property
    def order(self) -> list[str]:
        return list(self.data.get("order") or ())

    def report(self) -> dict[str, Any]:
        """The public check-in fields (design.md §3) for plans.service.check_in."""
        said = self.said
        report: dict[str, Any] = {"date": self.date}
        if not self.gate_only:
            report["session"] = said.get("session")
            for key in (PAIN_DURING, PAIN_NEXT_MORNING):
                if said.get(key) is not None:
                    report[key] = said[key]
        answered = said.get("criteria") or {}
        if answered:
            report["criteria"] = {cid: answered[cid] for cid, _ in self.criteria if cid in answered}
        return report


def draft_from(data: object) -> dict[str, Any] | None:
    """A draft read back from session attributes, keeping only what is legal; None when it is not
    a draft at all. Like `State.from_attributes`, it never trusts what it reads."""
    if not isinstance(data, Mapping) or data.get("kind") not in ("check_in", "clearance"):
        return None
    draft: dict[str, Any] = {"kind": data["kind"]}
    for key in ("ready", "ask_morning", "gate_only", "carry_on", "misheard_pain"):
        draft[key] = data.get(key) is True
    day = data.get("date")
    draft["date"] = day if isinstance(day, str) and _iso_date(day) is not None else None
    if draft["ready"] and draft["kind"] == "check_in" and draft["date"] is None:
        draft["ready"] = False
    days_ago = data.get("days_ago")
    draft["days_ago"] = days_ago if days_ago in RELATIVE_DAYS.values() and not isinstance(days_ago, bool) \
        else None
    draft["category"] = data.get("category") if data.get("category") in CLEARED_CATEGORIES else None
    criteria = []
    raw_criteria = data.get("criteria")
    if isinstance(raw_criteria, list):
        for item in raw_criteria[:20]:
            if (isinstance(item, list | tuple) and len(item) == 2 and all(isinstance(x, str) for x in item)
                    and item[0] and item[1] and len(item[1]) <= 300):
                criteria.append([item[0], item[1]])
    draft["criteria"] = criteria
    ids = {c[0] for c in criteria}
    said: dict[str, Any] = {}
    raw_said = data.get("said")
    if isinstance(raw_said, Mapping):
        if raw_said.get("session") in SESSION_OUTCOMES:
            said["session"] = raw_said["session"]
        if _pain(raw_said.get(PAIN_DURING)) is not None:
            said[PAIN_DURING] = raw_said[PAIN_DURING]
        # The next morning may be None: the runner doesn't know yet.
        if PAIN_NEXT_MORNING in raw_said and (raw_said[PAIN_NEXT_MORNING] is None
                                              or _pain(raw_said[PAIN_NEXT_MORNING]) is not None):
            said[PAIN_NEXT_MORNING] = raw_said[PAIN_NEXT_MORNING]
        answered = raw_said.get("criteria")
        if isinstance(answered, Mapping):
            kept = {k: v for k, v in answered.items() if k in ids and isinstance(v, bool)}
            if kept:
                said["criteria"] = kept
    draft["said"] = said
    order = []
    raw_order = data.get("order")
    if isinstance(raw_order, list):
        for key in raw_order:
            known = key in said if key in ("session", PAIN_DURING, PAIN_NEXT_MORNING) else (
                isinstance(key, str) and key.removeprefix("criteria.") in (said.get("criteria") or {}))
            if isinstance(key, str) and known and key not in order:
                order.append(key)
    draft["order"] = order
    return draft


def _pain(value: object) -> int | None:
    """A pain score from what was heard: a whole number from 0 to 10, else None ("?", 11, "")."""
    number = _whole_number(value)
    return number if number is not None and PAIN_MIN <= number <= PAIN_MAX else None


def draft_step(state: State) -> Step:
    """What a draft mode asks next. LOG_CHECK_IN stands for "nothing to ask: act" (read the plan,
    or log what was said); `pending_action` says which."""
    draft = Draft(state.check_in or {})
    if state.mode == RETRY_SAVE:
        return Step(RETRY_SAVE)
    if pending_action(state) is not None:
        return Step(LOG_CHECK_IN)
    if state.mode == CLEARANCE:
        return Step(CLEARANCE)
    if state.mode == CHECK_IN_OFFER:
        return Step(GATE_OFFER if draft.gate_only else CHECK_IN_OFFER, date=draft.date)
    return _check_in_question(draft) or Step(LOG_CHECK_IN)


def _check_in_question(draft: Draft) -> Step | None:
    said = draft.said
    if not draft.gate_only:
        if "session" not in said:
            return Step(SESSION_OUTCOME, date=draft.date)
        if said["session"] != "missed":
            if PAIN_DURING not in said:
                return Step(PAIN_DURING)
            if draft.ask_morning and PAIN_NEXT_MORNING not in said:
                return Step(PAIN_NEXT_MORNING)
    answered = said.get("criteria") or {}
    for cid, spoken in draft.criteria:
        if cid not in answered:
            return Step(CRITERION, question_id=cid, text=spoken)
    return None


def pending_action(state: State) -> str | None:
    """The action a draft mode needs before it can ask anything, if any."""
    if state.mode not in (CHECK_IN, CLEARANCE) or state.check_in is None:
        return None
    draft = Draft(state.check_in)
    if state.mode == CLEARANCE:
        if not draft.ready:
            return ACTION_OPEN_CLEARANCE
        return ACTION_LOG_CLEARANCE if draft.category else None
    if not draft.ready:
        return ACTION_OPEN_CHECK_IN
    return ACTION_LOG_CHECK_IN if _check_in_question(draft) is None else None


def draft_turn(state: State, *lead: Line, brief: bool = False) -> Turn:
    """Say `lead`, then ask what is current (or act, when a draft has nothing left to ask). The
    move-on check is introduced before its first question."""
    if state.mode is None:
        return ask_current(state, *lead, fresh=False)
    action = pending_action(state)
    if action is not None:
        return Turn(say=tuple(lead), action=action)
    step = state.step()
    lines = list(lead)
    if step.kind == CRITERION and not (Draft(state.check_in or {}).said.get("criteria")):
        lines.append(say("gate_intro"))
    return Turn(say=tuple(lines), ask=step, brief=brief)


def leave_draft(state: State) -> State:
    """The state without its draft (and out of a draft mode)."""
    if state.mode in DRAFT_MODES or state.mode == START_OFFER:
        state = replace(state, mode=None, mode_before=None)
    return replace(state, check_in=None)


def finish_draft(state: State, *lines: Line) -> tuple[State, Turn]:
    """Close a check-in or clearance: back to the triage when one was under way, else goodbye."""
    carry_on = Draft(state.check_in).carry_on if state.check_in is not None else False
    done = leave_draft(state)
    if carry_on and done.in_progress:
        return done, ask_current(done, *lines, say("then_carry_on"), fresh=False)
    return done, Turn(say=tuple(lines), end=True)


def check_in_said(state: State, *, outcome: str | None = None, pain: object = None,
                  days_ago: int | None = None) -> tuple[State, Turn]:
    """'I did my session', 'log yesterday's session', 'how my hamstring feels', with whatever the
    runner said in one go ("I did my session and it hurt a 4"). Mid check-in, the words answer
    what is being asked."""
    outcome = outcome if outcome in SESSION_OUTCOMES else None
    if state.mode == CONFIRM_DELETE:
        return state, Turn(ask=Step(CONFIRM_DELETE), brief=True)
    if state.mode == RETRY_SAVE:
        return draft_answer(state, "yes", None)
    if state.mode == CHECK_IN_OFFER and state.check_in is not None and Draft(state.check_in).ready:
        if Draft(state.check_in).gate_only and days_ago is None:
            return draft_answer(state, "yes", None)
        if days_ago is None:
            state = replace(state, mode=CHECK_IN)
            return _apply_said(state, outcome, pain)
    in_check_in = state.mode == CHECK_IN and state.check_in is not None and Draft(state.check_in).ready
    if in_check_in and days_ago is None:
        return _apply_said(state, outcome, pain)
    carry_on = state.mode is None and state.in_progress
    said: dict[str, Any] = {}
    order: list[str] = []
    if outcome is not None:
        said["session"] = outcome
        order.append("session")
    heard_pain = _pain(pain)
    if heard_pain is not None and outcome != "missed":
        said[PAIN_DURING] = heard_pain
        order.append(PAIN_DURING)
    misheard = pain is not None and heard_pain is None and outcome != "missed"
    draft = {"kind": "check_in", "ready": False, "days_ago": days_ago, "said": said, "order": order,
             "carry_on": carry_on, "misheard_pain": misheard}
    opening = replace(state, mode=CHECK_IN, mode_before=None, check_in=draft_from(draft))
    return opening, Turn(action=ACTION_OPEN_CHECK_IN)


def _apply_said(state: State, outcome: str | None, pain: object) -> tuple[State, Turn]:
    """A one-go sentence inside a check-in: the outcome answers the outcome question, a pain score
    the pain question; anything else asks the current question again."""
    step = state.step()
    if step.kind == SESSION_OUTCOME and outcome is not None:
        state, turn = draft_answer(state, "outcome", outcome)
        if pain is not None and state.mode == CHECK_IN and state.step().kind == PAIN_DURING:
            return draft_answer(state, "number", pain)
        return state, turn
    if step.kind in (PAIN_DURING, PAIN_NEXT_MORNING) and pain is not None:
        return draft_answer(state, "number", pain)
    return state, draft_turn(state, brief=True)


def check_in_opened(state: State, *, day: dt.date, today: dt.date, criteria: Sequence[tuple[str, str]],
                    gate_only: bool = False) -> tuple[State, Turn]:
    """The plan is read: the check-in is about `day` (on or before `today`), with the move-on
    check's `criteria` when it is due by then."""
    draft = Draft(state.check_in or {"kind": "check_in"})
    ready = draft.with_(ready=True, date=day.isoformat(), ask_morning=day < today, gate_only=gate_only,
                        criteria=[[cid, spoken] for cid, spoken in criteria], misheard_pain=False)
    opened = replace(state, mode=CHECK_IN, check_in=draft_from(ready.data))
    lead: list[Line] = []
    if day != today:
        lead.append(say("check_in_for_day", date=day.isoformat()))
    misheard = draft.misheard_pain and opened.step().kind == PAIN_DURING
    if misheard:
        lead.append(say("guide_pain"))
    return opened, draft_turn(opened, *lead, brief=misheard)


def offer_check_in(state: State, lines: Sequence[Line], *, day: dt.date, today: dt.date,
                   criteria: Sequence[tuple[str, str]], gate_only: bool) -> tuple[State, Turn]:
    """After reading today's session: offer to log the last session (or the due move-on check)."""
    draft = {"kind": "check_in", "ready": True, "date": day.isoformat(), "ask_morning": day < today,
             "gate_only": gate_only, "criteria": [[cid, spoken] for cid, spoken in criteria]}
    offering = replace(state, mode=CHECK_IN_OFFER, mode_before=None, check_in=draft_from(draft))
    return offering, Turn(say=tuple(lines), ask=offering.step())


def check_in_logged(state: State, *, says: str, gate_due: Sequence[tuple[str, str]] = (),
                    today: dt.date | None = None) -> tuple[State, Turn]:
    """Logged: say what happens next (the core's words). When the move-on check is still due and
    was not part of this check-in, offer it."""
    lines = (say("check_in_logged"), say("text", text=says))
    if gate_due and today is not None:
        carry_on = Draft(state.check_in or {}).carry_on
        gate = {"kind": "check_in", "ready": True, "date": today.isoformat(), "gate_only": True,
                "criteria": [[cid, spoken] for cid, spoken in gate_due], "carry_on": carry_on}
        offering = replace(state, mode=CHECK_IN_OFFER, mode_before=None, check_in=draft_from(gate))
        # Brief: the verdict came first, and the whole reply stays within about 40 words.
        return offering, Turn(say=lines, ask=offering.step(), brief=True)
    return finish_draft(state, *lines)


def draft_not_saved(state: State) -> tuple[State, Turn]:
    """The plan store is away: nothing is logged, what was said is kept for "try again"."""
    key = "clearance_not_saved" if Draft(state.check_in or {}).kind == "clearance" else "check_in_not_saved"
    waiting = replace(state, mode=RETRY_SAVE, mode_before=None)
    return waiting, Turn(say=(say(key),), ask=Step(RETRY_SAVE))


def check_in_refused(state: State, reason: str) -> tuple[State, Turn]:
    """The plan cannot take it (plans.service.CheckInRefused): say why; nothing was logged."""
    return finish_draft(state, say("check_in_refused", reason=reason))


def no_plan_for_draft(state: State) -> tuple[State, Turn]:
    """A check-in, clearance or progress question from a runner without a plan: offer the check
    that makes one (or, mid-check, carry on with it)."""
    carry_on = (Draft(state.check_in).carry_on if state.check_in is not None
                else state.mode is None and state.in_progress)
    if carry_on:
        done = leave_draft(state)
        return done, ask_current(done, say("no_plan_finish_check"), fresh=False)
    offering = replace(leave_draft(state), mode=START_OFFER)
    return offering, Turn(ask=Step(START_OFFER))


def plan_not_started(state: State, start: dt.date) -> tuple[State, Turn]:
    return finish_draft(state, say("plan_not_started", date=start.isoformat()))


def clearance_said(state: State, category: str | None) -> tuple[State, Turn]:
    """'My physio cleared me' (maybe with what for); at the clearance question, the answer."""
    category = category if category in CLEARED_CATEGORIES else None
    if state.mode == CLEARANCE and state.check_in is not None and Draft(state.check_in).ready:
        return draft_answer(state, "category", category)
    if state.mode == CONFIRM_DELETE:
        return state, Turn(ask=Step(CONFIRM_DELETE), brief=True)
    carry_on = state.mode is None and state.in_progress
    draft = {"kind": "clearance", "ready": False, "category": category, "carry_on": carry_on}
    opening = replace(state, mode=CLEARANCE, mode_before=None, check_in=draft_from(draft))
    return opening, Turn(action=ACTION_OPEN_CLEARANCE)


def clearance_opened(state: State) -> tuple[State, Turn]:
    """The plan is a referral: ask what the clinician cleared (unless the runner said)."""
    opened = replace(state, check_in=Draft(state.check_in or {"kind": "clearance"}).with_(ready=True).data)
    return opened, draft_turn(opened)


def not_a_referral(state: State) -> tuple[State, Turn]:
    return finish_draft(state, say("not_a_referral"))


def clearance_logged(state: State, *, says: str) -> tuple[State, Turn]:
    return finish_draft(state, say("text", text=says))


def after_reading(state: State, lines: Sequence[Line]) -> tuple[State, Turn]:
    """Something read out (progress): then carry on with whatever was being asked, or close."""
    if state.mode not in (None, HOME) or (state.mode is None and state.in_progress):
        if state.mode is None:
            return state, ask_current(state, *lines, say("then_carry_on"), fresh=False)
        return state, draft_turn(state, *lines)
    return replace(state, mode=None), Turn(say=tuple(lines), end=True)


def draft_answer(state: State, kind: str, value: object) -> tuple[State, Turn]:
    """An answer while a draft mode (or the offer to start a check) is current. `kind` as for
    `answer`, plus "outcome" (done / partial / missed) and "category" (a cleared programme)."""
    mode = state.mode
    if mode == START_OFFER:
        if kind == "yes":
            return check_hamstring(replace(state, mode=None))
        if kind == "no":
            return replace(state, mode=None), Turn(say=(say("home_no"),), end=True)
        return state, Turn(ask=Step(START_OFFER), brief=True)
    draft = Draft(state.check_in or {})
    if mode == CHECK_IN_OFFER:
        if kind == "yes":
            opened = replace(state, mode=CHECK_IN)
            return opened, draft_turn(opened)
        if kind == "no":
            return finish_draft(state, say("check_in_later"))
        return state, Turn(ask=state.step(), brief=True)
    if mode == RETRY_SAVE:
        if kind == "yes":
            again = replace(state, mode=CLEARANCE if draft.kind == "clearance" else CHECK_IN)
            return again, draft_turn(again)
        if kind == "no":
            return finish_draft(state, say("nothing_logged" if draft.kind == "check_in"
                                           else "nothing_changed"))
        return state, Turn(ask=Step(RETRY_SAVE), brief=True)
    if mode == CLEARANCE:
        if not draft.ready:
            return state, draft_turn(state)
        if kind == "category" and value in CLEARED_CATEGORIES:
            chosen = replace(state, check_in=draft.with_(category=value).data)
            return chosen, draft_turn(chosen)
        if kind in ("unsure", "no"):
            return finish_draft(state, say("clearance_ask_them"))
        return state, Turn(say=(say("guide_clearance"),), ask=Step(CLEARANCE), brief=True)

    step = state.step()
    if step.kind == SESSION_OUTCOME:
        if kind == "outcome" and value in SESSION_OUTCOMES:
            return _said(state, "session", value)
        return state, Turn(say=(say("guide_session_outcome"),), ask=step, brief=True)
    if step.kind in (PAIN_DURING, PAIN_NEXT_MORNING):
        score = _pain(value) if kind == "number" else None
        if score is not None:
            return _said(state, step.kind, score)
        if step.kind == PAIN_NEXT_MORNING and kind in ("unsure", "no"):
            return _said(state, step.kind, None, lead=say("morning_skipped"))
        lead = [say("rough_answer_will_do")] if kind == "unsure" else []
        return state, Turn(say=(*lead, say("guide_pain")), ask=step, brief=True)
    if step.kind == CRITERION:
        if kind in ("yes", "no", "unsure"):
            # Not sure is the cautious answer: not yet (the check is asked again in a week).
            lead = say("unsure_is_not_yet") if kind == "unsure" else None
            return _said(state, "criteria." + (step.question_id or ""), kind == "yes", lead=lead)
        return state, Turn(say=(say("guide_criterion"),), ask=step, brief=True)
    return state, draft_turn(state)


def _said(state: State, key: str, value: Any, *, lead: Line | None = None) -> tuple[State, Turn]:
    draft = Draft(state.check_in or {})
    said = draft.said
    if key.startswith("criteria."):
        said["criteria"] = {**(said.get("criteria") or {}), key.removeprefix("criteria."): value}
    else:
        said[key] = value
        if key == "session" and value == "missed":
            for dropped in (PAIN_DURING, PAIN_NEXT_MORNING):
                said.pop(dropped, None)
    order = [k for k in draft.order if k != key and (k in said or k.startswith("criteria."))] + [key]
    updated = replace(state, check_in=draft.with_(said=said, order=order).data)
    if lead is not None:
        lines = [lead]
    else:  # no "got it" in front of the verdict: "That's logged" says it
        lines = [] if pending_action(updated) is not None else [say("ack", count=len(order))]
    return updated, draft_turn(updated, *lines)
