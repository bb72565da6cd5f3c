"""Everything the skill says, per locale, and how a conversation's `Line`s become speech.

One module per locale (`en_US`, `en_GB`, `en_AU`, `en_CA`, `en_IN`), each exporting `PROMPTS`.
Other English locales start from en-US and override the words that differ (dates, "bum", ...).
The triage questions' own wording lives with the questions in `rehab.questions` (so a clinician
reviews it in one place); a locale may override a question's words by id.

Rendering escapes every piece of text for SSML and adds markup only where speech needs it:
the plan code, said once with a word for each letter ("C for Charlie"), because C, D, E, P, T,
V and 3 sound alike over a speaker, then once more letter by letter, with pauses.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rehab.clock import weekday_code
from rehab.questions import question

DEFAULT_LOCALE = "en-US"
# The at-home tests' pauses (SSML allows up to 10 s per break): time to get up and try each one.
TEST_PAUSES = {"shoe_test": "8s", "hinge_test": "10s", "heel_press_test": "8s", "wait": "10s"}
TEST_STEP_PAUSE = "3s"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]

# A pause between the characters of a spoken code, long enough to write each one down.
CODE_PAUSE = "400ms"
CODE_REPEAT_PAUSE = "800ms"
_LOCALE = re.compile(r"^[a-z]{2}-[A-Z]{2}$")


def escape(text: str) -> str:
    """Text made safe inside SSML. (xml.sax.saxutils would do the same, but importing it pulls in
    urllib.request and the email package: 50 ms of a Lambda cold start.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@dataclass(frozen=True)
class Prompts:
    locale: str
    text: Mapping[str, str]
    # Per-question overrides: {"location": {"spoken": "..."}}.
    questions: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    weekday_names: Mapping[str, str] = field(default_factory=dict)
    month_names: Sequence[str] = ()
    # "month_day" (Monday, March 2) or "day_month" (Monday 2 March).
    date_style: str = "month_day"
    # A word for each letter of a spoken code ("C" -> "Charlie").
    phonetic: Mapping[str, str] = field(default_factory=dict)

    def override(self, locale: str, *, text: Mapping[str, str] | None = None,
                 questions: Mapping[str, Mapping[str, str]] | None = None,
                 date_style: str | None = None) -> Prompts:
        merged_questions = {k: dict(v) for k, v in self.questions.items()}
        for qid, parts in (questions or {}).items():
            merged_questions.setdefault(qid, {}).update(parts)
        return replace(self, locale=locale, text={**self.text, **(text or {})}, questions=merged_questions,
                       date_style=date_style or self.date_style)

    # ---- words -----------------------------------------------------------------------------

    def say(self, key: str, **params: Any) -> str:
        return self.text[key].format(**params)

    def question_words(self, question_id: str, part: str) -> str:
        """`part` is "spoken", "reprompt" or "help"."""
        override = self.questions.get(question_id, {}).get(part)
        return override if override is not None else getattr(question(question_id), part)

    def join(self, items: Sequence[str], conjunction: str = "and") -> str:
        items = list(items)
        if not items:
            return ""
        if len(items) == 1:
            return items[0]
        return f"{', '.join(items[:-1])} {self.text['word_' + conjunction]} {items[-1]}"

    def weekdays(self, codes: Iterable[str]) -> str:
        return self.join([self.weekday_names[c] for c in codes])

    def time(self, hh_mm: str) -> str:
        """'7 in the morning', '6:30 in the evening', 'noon'."""
        hours, minutes = (int(part) for part in hh_mm.split(":")[:2])
        if (hours, minutes) == (12, 0):
            return self.text["time_noon"]
        if (hours, minutes) == (0, 0):
            return self.text["time_midnight"]
        clock = hours % 12 or 12
        spoken = f"{clock}" if minutes == 0 else f"{clock}:{minutes:02d}"
        if hours < 12:
            part = "time_morning" if hours >= 5 else "time_night"
        elif hours < 17:
            part = "time_afternoon"
        elif hours < 21:
            part = "time_evening"
        else:
            part = "time_night"
        return self.text[part].format(time=spoken)

    def date(self, day: dt.date | str) -> str:
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        weekday = self.weekday_names[weekday_code(day)]
        month = self.month_names[day.month - 1]
        if self.date_style == "day_month":
            return f"{weekday} {day.day} {month}"
        return f"{weekday}, {month} {day.day}"

    def choices(self, choices: Sequence[str]) -> str:
        return self.join([self.text["choice_" + c] for c in choices], "or")

    def dosage(self, dosage) -> str:
        """The prescription's own words, said aloud: "3 × 12, twice a day" becomes "3 sets of 12,
        twice a day"; "5 × 10-second presses at half effort" becomes "5 presses of 10 seconds each
        at half effort" (read as written it was "5 10-second presses": two numbers in a row, which
        a listener cannot split); "10–15" becomes "10 to 15"."""
        text = _TIMED.sub(lambda m: self.say("dose_timed", count=m[1], seconds=m[2], what=m[3]), dosage.text)
        text = _HOLDS.sub(lambda m: self.say("dose_seconds", count=m[1], seconds=m[2]), text)
        text = _DISTANCE.sub(lambda m: self.say("dose_times", count=m[1], what=m[2]), text)
        text = _SETS.sub(lambda m: self.say("dose_sets_reps", sets=m[1], reps=m[2]), text)
        text = text.replace("–", f" {self.text['word_to']} ").replace("×", f" {self.text['word_by']} ")
        return " ".join(text.split())


# "5 × 10-second presses at half effort": the count, the seconds, and what is held, up to a comma,
# an "at ..." or the end.
_TIMED = re.compile(r"(\d+) × (\d+)-second ([^,:]+?)(?=,|:| at |$)")
_HOLDS = re.compile(r"(\d+) × (\d+)-second")
_DISTANCE = re.compile(r"(\d+) × (\d+ metres)")
_SETS = re.compile(r"(\d+) × (\d+)")


def for_locale(locale: str | None) -> Prompts:
    """The prompts for an Alexa locale ("en-GB"); en-US for anything we do not speak."""
    if not isinstance(locale, str) or not _LOCALE.match(locale):
        locale = DEFAULT_LOCALE
    cached = _CACHE.get(locale)
    if cached is not None:
        return cached
    try:
        module = importlib.import_module(f"skill.prompts.{locale.replace('-', '_')}")
    except ModuleNotFoundError:
        prompts = for_locale(DEFAULT_LOCALE) if locale != DEFAULT_LOCALE else _missing_default()
    else:
        prompts = module.PROMPTS
    _CACHE[locale] = prompts
    return prompts


SUPPORTED_LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")
_CACHE: dict[str, Prompts] = {}


def _missing_default() -> Prompts:  # pragma: no cover - the package ships en_US
    raise RuntimeError("skill.prompts.en_US is missing")


# ---- rendering ---------------------------------------------------------------------------


def _spelled(ch: str) -> str:
    return f'<say-as interpret-as="spell-out">{escape(ch)}</say-as>'


def spell_code(code: str) -> str:
    """SSML that reads a code one character at a time with a pause after each, and a longer one
    between its groups (plans.codes.CODE_GROUP: a ten-character code is said as two groups of
    five, "ACDFH, 34797", as it is printed)."""
    from plans.codes import CODE_GROUP  # on the turn that says a code, not at the cold start

    pause = f'<break time="{CODE_PAUSE}"/>'
    group_pause = '<break time="700ms"/>'
    return "".join(
        _spelled(ch) + (group_pause if i % CODE_GROUP == CODE_GROUP - 1 and i < len(code) - 1 else pause)
        for i, ch in enumerate(code))


def phonetic_code(prompts: Prompts, code: str) -> str:
    """SSML that reads a code once with a word for each letter: "C for Charlie, 7, ...", in its
    groups (a longer pause between them, as `spell_code`). Three words a letter keep a ten-letter
    code's turn within about 40 words. Each character is still one spell-out, so the code reads
    the same to a machine."""
    from plans.codes import CODE_GROUP  # on the turn that says a code, not at the cold start

    pause, group_pause = f'<break time="{CODE_PAUSE}"/>', '<break time="700ms"/>'
    parts = []
    for ch in code:
        word = prompts.phonetic.get(ch.upper())
        if ch.isdigit():
            template = prompts.text["code_digit"]
        elif word:
            template = prompts.text["code_letter"]
        else:
            template = "{letter}"
        # The template is escaped as text; the character goes in afterwards as markup.
        words = escape(template.format(letter="\0", digit="\0", word=word or ""))
        parts.append(words.replace("\0", _spelled(ch)))
    return "".join(
        part + ("." if i == len(parts) - 1 else f",{group_pause} " if i % CODE_GROUP == CODE_GROUP - 1
                else f",{pause} ")
        for i, part in enumerate(parts))


def render_line(prompts: Prompts, line) -> str:
    """One `skill.conversation.Line` as SSML (without the <speak> wrapper)."""
    key, params = line.key, dict(line.params)
    if key == "text":
        return escape(params["text"])
    if key == "question_help":
        return escape(prompts.question_words(params["question_id"], "help"))
    if key == "test_steps":
        # One step at a time, each followed by a pause long enough to do it.
        steps = _sentences(prompts.question_words(params["question_id"], "help"))
        pause = f'<break time="{TEST_STEP_PAUSE}"/>'
        return " ".join(escape(step) + pause for step in steps)
    if key == "take_your_time":
        seconds = TEST_PAUSES.get("wait") if params.get("pause") == "test" else "3s"
        return f'{escape(prompts.say("take_your_time"))}<break time="{seconds}"/>'
    if key == "guide":
        return escape(_guide(prompts, params["question_id"], params.get("heard")))
    if key == "code":
        # A turn of its own, slowly, with a word for each letter to tell sound-alike ones apart.
        intro = escape(prompts.say("code_intro"))
        return f'{intro}<break time="{CODE_REPEAT_PAUSE}"/> {phonetic_code(prompts, params["code"])}'
    if key == "code_spelled":
        # Asked again: letter by letter, in its two groups (plans.codes.CODE_GROUP).
        again = escape(prompts.say("code_again"))
        return f'{again}<break time="{CODE_REPEAT_PAUSE}"/> {spell_code(params["code"])}'
    if key in ("days_chosen", "plan_ready") or "weekdays" in params:
        params["days"] = prompts.weekdays(params.pop("weekdays", params.get("days", ())))
    if "time" in params:
        params["time"] = prompts.time(params["time"])
    if "date" in params:
        params["date"] = prompts.date(params["date"])
    if "start_date" in params:
        params["start_date"] = prompts.date(params["start_date"])
    if key == "ack":
        # A few ways of saying "got it", in turn, so twelve answers do not sound like a machine.
        options = prompts.text["ack"].split("|")
        return escape(options[int(params.get("count", 0)) % len(options)])
    if key == "data_deleted":
        plans = params.get("plans", 0)
        key = "data_deleted_none" if not plans else "data_deleted_one" if plans == 1 else "data_deleted_many"
    return escape(prompts.say(key, **params))


def render_ask(prompts: Prompts, step, *, brief: bool = False) -> tuple[str, str]:
    """What to ask for a `skill.conversation.Step`, and its reprompt (after silence)."""
    if step.kind == "question" and step.question_id in TEST_PAUSES and not brief:
        # An at-home test: the instruction, a pause long enough to do it, then the yes/no question
        # (Alexa listens for about 8 seconds after the words end, too short to stand up and try).
        *instruction, asked = _sentences(prompts.question_words(step.question_id, "spoken"))
        pause = f'<break time="{TEST_PAUSES[step.question_id]}"/>'
        return (f"{escape(' '.join(instruction))}{pause} {escape(asked)}",
                escape(prompts.question_words(step.question_id, "reprompt")))
    if step.kind == "question":
        spoken = prompts.question_words(step.question_id, "reprompt" if brief else "spoken")
        return escape(spoken), escape(prompts.question_words(step.question_id, "reprompt"))
    if step.kind == "criterion":  # a move-on check's question, in the plan's own words
        spoken = step.text or ""
        return escape(spoken), escape(prompts.say("reprompt_criterion", question=spoken))
    params = {"date": prompts.date(step.date)} if getattr(step, "date", None) else {}
    asked = prompts.text.get(f"ask_brief_{step.kind}") if brief else None
    asked = asked.format(**params) if asked else prompts.say(f"ask_{step.kind}", **params)
    return escape(asked), escape(prompts.say(f"reprompt_{step.kind}", **params))


def _guide(prompts: Prompts, question_id: str, heard: str | None) -> str:
    q = question(question_id)
    specific = prompts.text.get(f"guide_{question_id}")
    if specific is not None:
        guide = specific
    elif q.kind == "number":
        guide = prompts.say("guide_number", minimum=q.minimum, maximum=q.maximum)
    else:
        guide = prompts.say("guide_choice", choices=prompts.choices(q.choices))
    if heard == "unsure" and q.if_unsure is None and "unsure" not in q.choices:
        return prompts.say("rough_answer_will_do") + " " + guide
    return guide
