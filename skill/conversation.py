"""The triage conversation as a pure state machine: what has been said, what to ask next, and
what to say back. No Alexa SDK, no I/O, no words: every reply is a list of `Line`s (a prompt key
and its parameters) that `skill.prompts` turns into speech for the runner's locale.

The questions, their order and what makes an answer legal all come from `rehab.questions`; this
module only remembers the answers, in the order given, so "go back" can undo the last one.
After the last question come two preference questions (which days, what time), each with a
default the runner can keep by saying yes; then the handler files the plan (`Turn.action`).

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
from rehab.questions import QUESTIONS, Question, next_question, question, record_answer

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

# Modes: a yes/no question that stands in front of the triage.
RESUME = "resume"  # "Welcome back. Shall we carry on where we left off?"
HOME = "home"  # a runner with a plan and nothing in progress
CONFIRM_DELETE = "confirm_delete"
MODES = (RESUME, HOME, CONFIRM_DELETE)

# Actions the handler performs (they need I/O) before asking the conversation what to say.
ACTION_FILE = "file_plan"
ACTION_DELETE = "delete_data"
ACTION_READ_SESSION = "read_session"

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

    kind: str  # "question" | WEEKDAYS | TIME | FILE | one of MODES
    question_id: str | None = None

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

    # ---- reading ---------------------------------------------------------------------------

    @property
    def in_progress(self) -> bool:
        return bool(self.answers) or bool(self.preferences)

    def step(self) -> Step:
        if self.mode is not None:
            return Step(self.mode)
        return self.triage_step()

    def triage_step(self) -> Step:
        q = next_question(self.answers)
        if q is not None:
            return Step("question", q.id)
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
        if with_mode:
            data["mode"] = self.mode
            data["mode_before"] = self.mode_before
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
            start = raw_preferences.get(START_DATE)
            if isinstance(start, str) and _iso_date(start) is not None:
                preferences[START_DATE] = start
        answers = _reachable(answers)
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
        return cls(answers=answers, history=tuple(history), preferences=preferences, mode=mode,
                   mode_before=mode_before, plan_on_file=data.get("plan_on_file") is True)


# ---- transitions --------------------------------------------------------------------------
# Each takes the state and what the runner said and returns (new state, turn).


def ask_current(state: State, *lead: Line, fresh: bool = True) -> Turn:
    """Say `lead`, then ask whatever is current. `fresh` asks the preference question with the
    triage outcome in front of it (the outcome is what the days question follows)."""
    step = state.step()
    lines = list(lead)
    if step.kind == WEEKDAYS and fresh:
        lines.extend(outcome_lines(state.answers))
    if step.kind == FILE:
        return Turn(say=tuple(lines), action=ACTION_FILE)
    return Turn(say=tuple(lines), ask=step)


def new_visit(state: State) -> State:
    """The state as a new session finds it: an unfinished check is offered to resume before
    anything else, whatever the first request is."""
    if state.in_progress:
        return replace(state, mode=RESUME, mode_before=None)
    return replace(state, mode=None, mode_before=None)


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
    if state.mode == HOME or not state.in_progress:
        begun = replace(state, mode=None, mode_before=None)
        return begun, ask_current(begun, say("lets_check"), say("disclaimer"))
    return state, ask_current(state, say("carry_on"))


def answer(state: State, kind: str, value: object) -> tuple[State, Turn]:
    """An answer to the current question. `kind` says what the runner gave: "location",
    "onset", "number", "days" (a duration or a named day, already counted in days), "yes", "no",
    or "unsure"; `value` is the slot's value (None when the slot was empty or not understood)."""
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
    if state.mode == CONFIRM_DELETE:
        if kind == "yes":
            return state, Turn(action=ACTION_DELETE)
        if kind == "no":
            return cancel_delete(state)
        return state, Turn(ask=Step(CONFIRM_DELETE), brief=True)

    step = state.step()
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
    return answer(state, "unsure", None)


def resume(state: State, carry_on: bool) -> tuple[State, Turn]:
    if carry_on:
        resumed = replace(state, mode=None, mode_before=None)
        return resumed, ask_current(resumed, say("carry_on"))
    return start_over(state)


def start_over(state: State) -> tuple[State, Turn]:
    fresh = State(plan_on_file=state.plan_on_file)
    return fresh, ask_current(fresh, say("starting_over"))


def go_back(state: State) -> tuple[State, Turn]:
    """'Go back': undo the last answer and ask its question again."""
    if state.mode == CONFIRM_DELETE:
        return cancel_delete(state)
    if state.mode is not None:
        return state, Turn(say=(say("nothing_to_undo_here"),), ask=state.step())
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
        return state, Turn(ask=state.step())
    return state, ask_current(state, fresh=True)


def help_(state: State) -> tuple[State, Turn]:
    step = state.step()
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
        return state, Turn(say=(say("question_help", question_id=step.question_id),), ask=step)
    if step.kind == "question":
        return state, Turn(say=(say("no_test_now"), say("question_help", question_id=step.question_id)),
                           ask=step)
    if step.kind == FILE:
        return state, Turn(say=(say("no_test_now"),), action=ACTION_FILE)
    return state, Turn(say=(say("no_test_now"),), ask=step)


def fallback(state: State) -> tuple[State, Turn]:
    """Something we did not understand: never a dead end, always the question again with examples."""
    step = state.step()
    if step.kind == FILE:
        return state, Turn(action=ACTION_FILE)
    if step.kind == "question":
        guide = say("guide", question_id=step.question_id, heard="other")
        return state, Turn(say=(say("not_understood"), guide), ask=step, brief=True)
    return state, Turn(say=(say("not_understood"),), ask=step, brief=True)


def stop(state: State) -> tuple[State, Turn]:
    """Stop or Cancel: end politely; progress is kept by the caller saving the state."""
    kept = replace(state, mode=None, mode_before=None)
    key = "goodbye_progress_kept" if kept.in_progress else "goodbye"
    return kept, Turn(say=(say(key),), end=True)


def ask_delete(state: State) -> tuple[State, Turn]:
    if state.mode == CONFIRM_DELETE:
        return state, Turn(ask=Step(CONFIRM_DELETE))
    confirming = replace(state, mode=CONFIRM_DELETE, mode_before=state.mode)
    return confirming, Turn(ask=Step(CONFIRM_DELETE))


def cancel_delete(state: State) -> tuple[State, Turn]:
    back = replace(state, mode=state.mode_before, mode_before=None)
    if back.mode is not None:
        return back, Turn(say=(say("nothing_deleted"),), ask=back.step())
    return back, ask_current(back, say("nothing_deleted"), fresh=False)


def data_deleted(plans: int) -> tuple[State, Turn]:
    return State(), Turn(say=(say("data_deleted", plans=plans),), end=True)


def delete_failed(state: State) -> tuple[State, Turn]:
    back = replace(state, mode=state.mode_before, mode_before=None)
    if back.mode is not None:
        return back, Turn(say=(say("delete_failed"),), ask=back.step())
    goodbye = say("goodbye_progress_kept" if back.in_progress else "goodbye")
    return back, Turn(say=(say("delete_failed"), goodbye), end=True)


# ---- preferences -------------------------------------------------------------------------


def choose_days(state: State, days: Sequence[str], *, lead: Line | None = None) -> tuple[State, Turn]:
    """Which weekdays to train on (codes MO..SU; an empty list was not understood)."""
    blocked = _not_choosing_now(state)
    if blocked is not None:
        return blocked
    chosen = [d for d in clock.WEEKDAYS if d in set(days)]
    if not chosen:
        return state, Turn(say=(say("days_not_understood"),), ask=Step(WEEKDAYS), brief=True)
    updated = _set_preference(state, WEEKDAYS, chosen)
    return updated, ask_current(updated, lead or say("days_chosen", days=chosen), fresh=False)


def choose_time(state: State, time: str | None, *, lead: Line | None = None) -> tuple[State, Turn]:
    """What time of day (HH:MM, 24 h); None was not understood."""
    blocked = _not_choosing_now(state)
    if blocked is not None:
        return blocked
    if time is None:
        return state, Turn(say=(say("time_not_understood"),), ask=Step(TIME), brief=True)
    updated = _set_preference(state, TIME, time)
    return updated, ask_current(updated, lead or say("time_chosen", time=time), fresh=False)


def choose_start_date(state: State, start: dt.date | None, today: dt.date) -> tuple[State, Turn]:
    """When to start (defaults to tomorrow); must be from today to a year ahead."""
    blocked = _not_choosing_now(state)
    if blocked is not None:
        return blocked
    if start is None or not today <= start <= today + dt.timedelta(days=MAX_START_DAYS_AHEAD):
        return state, Turn(say=(say("start_date_not_understood"),), ask=state.step(), brief=True)
    updated = _set_preference(state, START_DATE, start.isoformat())
    return updated, ask_current(updated, say("start_date_chosen", date=start.isoformat()), fresh=False)


def _not_choosing_now(state: State) -> tuple[State, Turn] | None:
    if state.mode is not None:
        return answer(state, "other", None)
    if not state.triage_finished:
        step = state.step()
        return state, Turn(say=(say("preferences_later"),), ask=step)
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
    answers = _reachable(answers)
    history = tuple(k for k in history if k in answers or k in state.preferences)
    updated = replace(state, answers=answers, history=history)
    was_finished = state.triage_finished
    # The outcome opens with its own thanks ("Thanks, that's all my questions."): an ack in front
    # of it said "Thanks. Thanks, ..." one answer in four.
    outcome_follows = not was_finished and updated.step().kind == WEEKDAYS
    lead = () if outcome_follows else (say("ack", count=len(updated.history)),)
    return updated, ask_current(updated, *lead, fresh=not was_finished)


def _reachable(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers the question path would ask for, replayed in asking order."""
    kept: dict[str, Any] = {}
    while True:
        q = next_question(kept)
        if q is None or q.id not in answers:
            return kept
        kept[q.id] = answers[q.id]


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
    """What the runner hears when the questions are done, in the order that keeps them safe:
    red flags first and plainly, then what it most likely is, running in one sentence, today's
    care, and anyone else worth seeing. The clinical words are the core's (rehab.triage reasons,
    rehab.programme's running sentence and care table, rehab.advice's choice of today's care),
    each with its source there."""
    from rehab.programme import RUNNING_WORDS
    from rehab.triage import rule

    assessment = assessment_for(answers)
    by_kind: dict[str, list[str]] = {}
    for reason in assessment.reasons:
        by_kind.setdefault(rule(reason.rule_id).sets, []).append(reason.text)

    lines: list[Line] = [say("outcome_intro")]
    if assessment.red_flags:
        lines.append(say("see_clinician_promptly"))
        lines.extend(say("text", text=text) for text in by_kind.get("red_flag", ()))
    lines.extend(say("text", text=text) for text in by_kind.get("category", ()))
    lines.append(say("text", text=RUNNING_WORDS[assessment.running]))
    lines.extend(say("text", text=text) for text in _care_today(answers, assessment))
    if assessment.see_professional and not assessment.red_flags:
        lines.extend(say("text", text=text) for text in by_kind.get("see_professional", ()))
    if answers.get("training_change") == "yes":
        lines.append(say("text", text=rule("cause-training-change").reason))
    return lines


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
    """The plan is kept: speak its code and close. The answers now live in the plan, so the
    conversation starts afresh next time, offering today's session."""
    done = State(plan_on_file=True)
    return done, Turn(say=(
        say("plan_ready", start_date=start_date, weekdays=list(weekdays), time=time),
        say("code", code=code, site=site),
        say("card_sent"),
        say("goodbye_plan"),
    ), end=True)


def plan_not_saved(state: State) -> tuple[State, Turn]:
    """The database is away: the advice still stands, the answers are kept for next time."""
    kept = replace(state, mode=None, mode_before=None)
    return kept, Turn(say=(*summary_lines(state.answers), say("plan_not_saved")), end=True)
