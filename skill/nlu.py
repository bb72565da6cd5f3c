"""Typed text -> intent and slots, the way Alexa would hear it, for `hamstring-coach chat`.

The understanding comes from the interaction model itself (interaction_models/<locale>.json): its
samples become patterns whose {slot} holes capture words, and custom slot values resolve through
the model's synonyms. So the console exercises the same voice model Alexa is built from, and a
phrase the console cannot understand is a phrase missing from the model.

This is a typed-text approximation of Alexa's NLU, not a copy of it. It is deterministic:
1. a sample without slots that matches the whole utterance wins;
2. otherwise the sample with the most literal words around its slots whose slot values all make
   sense (a known synonym, a number, a weekday, a time, a date);
   A bare number, weekday, time or duration ("six", "monday") has no sample of its own (a sample
   that is only a built-in slot would claim it for one intent, issue 11); Alexa's statistical
   model still hears it as an intent whose carrier phrases take that slot type ("it's {number}"),
   so it goes to the first such intent in the model's order, and the skill takes it from there
   whichever question is open;
3. otherwise a sample with literal words whose slot values do not make sense, sent the way Alexa
   sends them: a custom value with ER_SUCCESS_NO_MATCH, a number as "?", a date or time unfilled;
4. otherwise, words that open with a plain yes or no ("yes, I added hills") are that answer, as
   Alexa's statistical model hears a yes with a reason after it;
5. otherwise AMAZON.FallbackIntent.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from skill import envelopes

MODELS_DIR = Path(__file__).resolve().parent.parent / "interaction_models"
LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")
FALLBACK = "AMAZON.FallbackIntent"

# What Alexa's built-in intents understand without any sample in our model. Kept to the phrases
# Amazon documents for each, so the console does not understand more than a real speaker would.
BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yup", "sure", "ok", "okay"),
    "AMAZON.NoIntent": ("no", "nope", "nah"),
    "AMAZON.HelpIntent": ("help", "help me", "what can i say"),
    "AMAZON.StopIntent": ("stop", "quit", "exit", "off", "shut up"),
    "AMAZON.CancelIntent": ("cancel",),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say again", "again"),
    "AMAZON.PreviousIntent": ("go back", "back", "previous"),
    "AMAZON.StartOverIntent": ("start over", "restart"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
    "AMAZON.NextIntent": ("next",),
    "AMAZON.PauseIntent": ("pause",),
    "AMAZON.ResumeIntent": ("resume", "continue"),
}

# Words that answer a yes/no question on their own, even with a reason after them.
LEADING_ANSWERS: dict[str, tuple[str, ...]] = {
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "yup"),
    "AMAZON.NoIntent": ("no", "nope", "nah"),
}

# Custom slot types whose answers runners describe in their own longer words ("it's behind my
# right knee, I think"): typed text that contains exactly one value's synonym resolves to it.
DESCRIBED_TYPES = frozenset({"LOCATION_TYPE", "ONSET_TYPE"})

# The built-in types a runner says alone as an answer ("six", "two weeks", "monday", "7 am"):
# rule 2 in the docstring above.
BARE_VALUE_TYPES = ("AMAZON.NUMBER", "AMAZON.DURATION", "AMAZON.DayOfWeek", "AMAZON.TIME")

LAUNCH_VERBS = ("open", "launch", "start", "begin", "load", "run", "play", "use")
ASK_VERBS = ("ask", "tell")
# Words Alexa drops between "ask hamstring coach" and the request ("ask hamstring coach to check...").
CONNECTING_WORDS = ("to", "for", "about", "if", "whether", "that", "and")


@dataclass(frozen=True)
class Understood:
    """One utterance as the skill will receive it: the intent, every declared slot (None when not
    heard, as Alexa sends unfilled slots) and the custom-slot resolutions that matched."""

    intent: str
    slots: Mapping[str, str | None] = field(default_factory=dict)
    resolutions: Mapping[str, str] = field(default_factory=dict)

    def envelope(self, **request_fields: Any) -> dict[str, Any]:
        return envelopes.intent_request(self.intent, dict(self.slots), resolutions=dict(self.resolutions),
                                        **request_fields)


@dataclass(frozen=True)
class Invocation:
    """What remains once "Alexa, ask hamstring coach to" is taken off. `named` says whether the skill
    was addressed by name at all; `request` is empty for a plain "open hamstring coach"."""

    named: bool
    request: str


# ---------------------------------------------------------------------------------------------
# Text normalisation: the same for samples and for what the runner types.

# Letters said one by one ("p t", "a m"); not the "s" of "it's", or "it's a strain" reads "it'sa strain".
_SINGLE_LETTERS = re.compile(r"(?<!')\b([a-z])\b(?: ([a-z])\b)+")


def normalise(text: str) -> str:
    """Lowercase words separated by single spaces, as an Alexa transcript reads: "P.T." and "a.m."
    become "pt" and "am", punctuation other than apostrophes, colons in times and hyphens in dates
    goes, and "7am" splits into "7 am"."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"\b([a-z])\.", r"\1 ", text)  # a.m. -> a m ; p. t. -> p t
    text = _SINGLE_LETTERS.sub(lambda match: match.group(0).replace(" ", ""), text)  # a m -> am
    text = re.sub(r"[^a-z0-9':\- ]", " ", text)
    text = re.sub(r"(\d)(am|pm)\b", r"\1 \2", text)
    text = re.sub(r"(?<![a-z])'|'(?![a-z])", " ", text)  # quotes, not apostrophes
    return " ".join(text.split())


def split_invocation(text: str, invocation_name: str) -> Invocation:
    """Take off what Alexa itself consumes: the wake word and "open / ask <invocation name> to"."""
    words = normalise(text)
    words = re.sub(r"^alexa\b\s*", "", words)
    name = re.escape(invocation_name)
    launch = re.fullmatch(rf"(?:(?:{'|'.join(LAUNCH_VERBS)}) )?(?:the )?{name}", words)
    if launch:
        return Invocation(named=True, request="")
    connecting = "|".join(CONNECTING_WORDS)
    ask = re.fullmatch(rf"(?:{'|'.join(ASK_VERBS)}) (?:the )?{name}(?: (?:{connecting}))?(?: (.*))?", words)
    if ask:
        return Invocation(named=True, request=ask.group(1) or "")
    return Invocation(named=False, request=words)


# ---------------------------------------------------------------------------------------------
# Built-in slot types, read the way Alexa reports them.

_UNITS = {word: value for value, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))}
_TENS = {word: 10 * (index + 2) for index, word in enumerate((
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))}
_ORDINAL_UNITS = {word: value + 1 for value, word in enumerate((
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth"))}


def parse_number(text: str) -> int | None:
    """AMAZON.NUMBER: "6", "six", "twenty one", "a hundred and five" -> the integer; anything else
    None (Alexa then sends "?")."""
    text = text.strip().replace("-", " ")
    if re.fullmatch(r"\d+", text):
        return int(text)
    tokens = [token for token in text.split() if token != "and"]
    if not tokens:
        return None
    if tokens[0] == "a" and len(tokens) > 1 and tokens[1] in ("hundred", "thousand"):
        tokens[0] = "one"
    total, group, last = 0, 0, None
    for token in tokens:
        if token in _UNITS:
            if last in (None, "hundred", "thousand") or (last == "tens" and 0 < _UNITS[token] < 10):
                group += _UNITS[token]
                last = "unit" if last != "tens" else "tens_unit"
                continue
            return None
        if token in _TENS:
            if last in (None, "hundred", "thousand"):
                group += _TENS[token]
                last = "tens"
                continue
            return None
        if token == "hundred" and last == "unit" and 0 < group % 100 < 10 and group < 10:
            group *= 100
            last = "hundred"
            continue
        if token == "thousand" and last in ("unit", "tens", "tens_unit", "hundred") and total == 0:
            total, group, last = group * 1000, 0, "thousand"
            continue
        return None
    return total + group


_DAYS = {name.lower(): name.lower() for name in calendar.day_name}
_DAYS.update({name[:3].lower(): name.lower() for name in calendar.day_name})
_DAYS.update({"tues": "tuesday", "weds": "wednesday", "thur": "thursday", "thurs": "thursday"})


def parse_day_of_week(text: str) -> str | None:
    """AMAZON.DayOfWeek: the weekday's name, as Alexa transcribes it ("monday")."""
    text = text.strip()
    if text.endswith("s") and text[:-1] in _DAYS and text not in _DAYS:
        text = text[:-1]  # "mondays"
    return _DAYS.get(text)


_DURATION_UNITS = {"second": ("T", "S"), "minute": ("T", "M"), "hour": ("T", "H"), "day": ("", "D"),
                   "week": ("", "W"), "fortnight": ("", "W"), "month": ("", "M"), "year": ("", "Y")}


def parse_duration(text: str) -> str | None:
    """AMAZON.DURATION: "two weeks", "a day", "1 day", "a couple of weeks", "an hour" -> ISO 8601
    ("P2W", "P1D", "PT1H"), as Alexa reports a duration. A number without a unit is not one, nor
    a unit without a number ("days"), nor a span before now ("-2 weeks": no time has passed yet)."""
    text = text.strip()
    if text.startswith("-"):
        return None
    # The quantity may be hyphenated ("twenty-one days"): parse_number reads it.
    match = re.fullmatch(r"(a couple of|a|an|.+?)[ -](\w+?)s?", text)
    if not match or match.group(2) not in _DURATION_UNITS:
        return None
    amount_words, unit = match.group(1), match.group(2)
    if amount_words in ("a", "an"):
        amount = 1
    elif amount_words == "a couple of":
        amount = 2
    else:
        amount = parse_number(amount_words)
        if amount is None:
            return None
    if unit == "fortnight":  # Alexa counts a fortnight in weeks
        amount *= 2
    time_part, letter = _DURATION_UNITS[unit]
    return f"P{time_part}{amount}{letter}"


# "This morning" and "tonight" are times of day to AMAZON.TIME, whichever question is open.
_PARTS_OF_DAY = {"morning": "MO", "the morning": "MO", "in the morning": "MO", "this morning": "MO",
                 "afternoon": "AF", "the afternoon": "AF", "in the afternoon": "AF", "this afternoon": "AF",
                 "evening": "EV", "the evening": "EV", "in the evening": "EV", "this evening": "EV",
                 "night": "NI", "at night": "NI", "tonight": "NI"}
_MERIDIEM = (("in the morning", "am"), ("this morning", "am"), ("in the afternoon", "pm"),
             ("this afternoon", "pm"), ("in the evening", "pm"), ("this evening", "pm"),
             ("at night", "pm"), ("tonight", "pm"), ("am", "am"), ("pm", "pm"))


def _minutes(text: str) -> int | None:
    text = text.removesuffix(" minutes").removesuffix(" minute")
    if text.startswith("oh "):  # "seven oh five"
        value = parse_number(text[3:])
        return value if value is not None and value < 10 else None
    value = {"quarter": 15, "a quarter": 15, "half": 30}.get(text)
    return value if value is not None else parse_number(text)


def parse_time(text: str, *, bare_hour_is_time: bool = False) -> str | None:
    """AMAZON.TIME: "7 am", "seven in the morning", "six thirty in the evening", "half past six",
    "18:30" -> "HH:MM" (24 h); "in the morning" -> "MO" (Alexa's parts of the day). A number on its
    own ("seven") is a time only where the words around it say so ("at seven")."""
    text = text.strip().removeprefix("at ").strip()
    if text in _PARTS_OF_DAY:
        return _PARTS_OF_DAY[text]
    if text in ("noon", "midday", "twelve noon", "12 noon"):
        return "12:00"
    if text == "midnight":
        return "00:00"
    meridiem = None
    for suffix, value in _MERIDIEM:
        if text.endswith(" " + suffix):
            text, meridiem = text[: -len(suffix) - 1].strip(), value
            break
    oclock = text.endswith(" o'clock")
    text = text.removesuffix(" o'clock")
    hour = minute = None
    past_to = re.fullmatch(r"(.+) (past|to|after) (.+)", text)
    digital = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    half_hour = re.fullmatch(r"half (.+)", text)  # British "half six" = 6:30
    if digital:
        hour, minute = int(digital.group(1)), int(digital.group(2))
    elif past_to:
        offset, base = _minutes(past_to.group(1)), parse_number(past_to.group(3))
        if offset is None or base is None or not 0 < offset < 60:
            return None
        hour, minute = (base, offset) if past_to.group(2) != "to" else ((base - 1) % 24, 60 - offset)
    elif half_hour:
        base = parse_number(half_hour.group(1))
        if base is None:
            return None
        hour, minute = base, 30
    else:
        words = text.split()
        hour = parse_number(words[0]) if words else None
        rest = " ".join(words[1:])
        minute = _minutes(rest) if rest else None
        if rest and minute is None:
            return None
        if minute is None:
            if not (meridiem or oclock or bare_hour_is_time):
                return None
            minute = 0
    if hour is None or not 0 <= hour <= 23 or not 0 <= minute <= 59:
        return None
    if meridiem and hour > 12:
        return None
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


_MONTHS = {name.lower(): index for index, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): index for index, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


def _day_of_month(text: str) -> int | None:
    text = text.removeprefix("the ").strip()
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", text)
    if match:
        return int(match.group(1))
    if text in _ORDINAL_UNITS:
        return _ORDINAL_UNITS[text]
    tens = re.fullmatch(r"(twenty|thirty) (\w+)", text)
    if tens and tens.group(2) in _ORDINAL_UNITS:
        return _TENS[tens.group(1)] + _ORDINAL_UNITS[tens.group(2)]
    return {"twentieth": 20, "thirtieth": 30}.get(text) or parse_number(text)


def _month_and_day(text: str) -> tuple[int | None, int | None]:
    """"june first", "june the 1st", "the first of june", "1 june" -> (6, 1)."""
    month_first = re.fullmatch(r"(\w+) (?:the )?(.+)", text)
    if month_first and month_first.group(1) in _MONTHS:
        return _MONTHS[month_first.group(1)], _day_of_month(month_first.group(2))
    day_first = re.fullmatch(r"(?:the )?(.+?) (?:of )?(\w+)", text)
    if day_first and day_first.group(2) in _MONTHS:
        return _MONTHS[day_first.group(2)], _day_of_month(day_first.group(1))
    return None, None


def parse_date(text: str, *, today: date) -> str | None:
    """AMAZON.DATE: "today", "tomorrow", "monday" (the coming one), "june the first", "the first of
    june", "2025-06-01" -> "YYYY-MM-DD". A date without a year is the next one to come, as Alexa
    resolves it."""
    text = text.strip().removeprefix("on ").strip()
    relative = {"today": 0, "tomorrow": 1, "the day after tomorrow": 2, "day after tomorrow": 2}
    if text in relative:
        return (today + timedelta(days=relative[text])).isoformat()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if iso:
        try:
            return date(*map(int, iso.groups())).isoformat()
        except ValueError:
            return None
    weekday = parse_day_of_week(re.sub(r"^(this|next|on) ", "", text))
    if weekday:
        ahead = (list(_DAYS.values()).index(weekday) - today.weekday()) % 7 or 7
        return (today + timedelta(days=ahead)).isoformat()
    in_days = re.fullmatch(r"in (.+) days?", text)
    if in_days and parse_number(in_days.group(1)) is not None:
        return (today + timedelta(days=parse_number(in_days.group(1)))).isoformat()
    year = None
    with_year = re.fullmatch(r"(.+?),? (\d{4})", text)
    if with_year:
        text, year = with_year.group(1), int(with_year.group(2))
    month, day = _month_and_day(text)
    if month is None or day is None:
        return None
    for candidate_year in [year] if year else [today.year, today.year + 1]:
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            return None
        if year or candidate >= today:
            return candidate.isoformat()
    return None


# ---------------------------------------------------------------------------------------------
# The interaction model, compiled into patterns.

@cache
def load_interaction_model(locale: str = "en-US") -> dict[str, Any]:
    if locale not in LOCALES:
        raise ValueError(f"no interaction model for {locale!r}; choose one of {', '.join(LOCALES)}")
    return json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))


_SLOT = re.compile(r"\{(\w+)\}")


def _normalise_sample(sample: str) -> str:
    """Normalise a sample's words as typed text is normalised, leaving its {slotNames} as they are."""
    parts = _SLOT.split(sample)
    return " ".join(" ".join(normalise(part).split()) if index % 2 == 0 else "{" + part + "}"
                    for index, part in enumerate(parts) if part.strip()).strip()


@dataclass(frozen=True)
class _Pattern:
    intent: str
    sample: str
    regex: re.Pattern[str]
    slots: tuple[str, ...]
    literal_words: int
    # "at seven" is a time, but "seven" alone is a number: a bare value is a time only with its
    # minutes or "am" / "pm", and where a carrier exists for both ("around {number}", "around
    # {time}") the number sample is tried first, so only "7 am" or "seven thirty" reach the time.
    bare_hour_is_time: bool



class VoiceModel:
    """One locale's interaction model, ready to understand typed utterances."""

    def __init__(self, interaction_model: Mapping[str, Any]):
        language = interaction_model["interactionModel"]["languageModel"]
        self.invocation_name: str = language["invocationName"]
        self.slot_types: dict[str, dict[str, str]] = {}
        self.intent_slots: dict[str, dict[str, str]] = {}
        self._synonyms: dict[str, dict[str, str]] = {}
        for slot_type in language.get("types", []):
            table: dict[str, str] = {}
            for value in slot_type["values"]:
                for spoken in [value["name"]["value"], *value["name"].get("synonyms", [])]:
                    table[normalise(spoken)] = value["id"]
            self._synonyms[slot_type["name"]] = table
        self._literal: dict[str, str] = {}
        patterns: list[_Pattern] = []
        bare: list[_Pattern] = []
        bare_types: set[str] = set()
        for intent in language["intents"]:
            slots = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
            self.intent_slots[intent["name"]] = slots
            samples = [*intent.get("samples", []), *BUILT_IN_PHRASES.get(intent["name"], ())]
            for sample in samples:
                text = _normalise_sample(sample)
                if not _SLOT.search(text):
                    self._literal.setdefault(text, intent["name"])
                    continue
                patterns.append(self._compile(intent["name"], text, slots))
            # One bare pattern per built-in slot type, for the first intent whose samples take it
            # (rule 2 in the module's docstring); the model's own samples never are one.
            for name, slot_type in slots.items():
                if slot_type in BARE_VALUE_TYPES and slot_type not in bare_types and any(
                        "{" + name + "}" in sample for sample in samples):
                    bare_types.add(slot_type)
                    bare.append(self._compile(intent["name"], "{" + name + "}", slots))
        patterns += bare
        # Most literal context first: "it started {number} days ago" before "{number}". Among
        # equals, the model's intent order decides, so "about seven" stays a number.
        self._patterns = [pattern for _, pattern in sorted(
            ((-pattern.literal_words, order_index), pattern) for order_index, pattern in enumerate(patterns))]

    @classmethod
    def for_locale(cls, locale: str = "en-US") -> VoiceModel:
        return _compiled(locale)

    def _compile(self, intent: str, text: str, slots: Mapping[str, str]) -> _Pattern:
        parts = _SLOT.split(text)
        regex, names = "", []
        for index, part in enumerate(parts):
            if index % 2:
                if part not in slots:
                    raise ValueError(f"{intent} sample {text!r} uses undeclared slot {{{part}}}")
                names.append(part)
                # Weekdays are single words, so "monday wednesday and friday" splits one way only.
                capture = r"[a-z]+" if slots[part] == "AMAZON.DayOfWeek" else r".+?"
                regex += f"(?P<{part}>{capture})"
            else:
                regex += r"\s+".join(re.escape(word) for word in part.split(" ")) if part.strip() else part
        literal_words = len(_SLOT.sub(" ", text).split())
        return _Pattern(intent=intent, sample=text, regex=re.compile(rf"^{regex}$"), slots=tuple(names),
                        literal_words=literal_words, bare_hour_is_time=literal_words > 0)

    # -----------------------------------------------------------------------------------------

    def resolve(self, slot_type: str, spoken: str) -> str | None:
        """A custom slot value -> its id, through the model's synonyms. Typed text strays from the
        samples more than speech does, so "behind my right knee" and "slowly over a few weeks"
        resolve too: left/right and leading articles are dropped, and a phrase that contains
        synonyms of exactly one value resolves to it. That last step is only for the types that
        describe a place or a manner (DESCRIBED_TYPES): a bare "{relativeDay}" sample would
        otherwise take any sentence with "today" in it."""
        table = self._synonyms.get(slot_type, {})
        spoken = normalise(spoken)
        candidates = [spoken, " ".join(word for word in spoken.split() if word not in ("left", "right"))]
        candidates += [re.sub(r"^(my|the|a|an) ", "", candidate) for candidate in candidates]
        for candidate in candidates:
            if candidate in table:
                return table[candidate]
        if slot_type not in DESCRIBED_TYPES:
            return None
        contained = {value_id for synonym, value_id in table.items()
                     if re.search(rf"(?<![\w']){re.escape(synonym)}(?![\w'])", candidates[1])}
        return contained.pop() if len(contained) == 1 else None

    def _read_slot(self, pattern: _Pattern, name: str, spoken: str, today: date):
        """-> (value to send, resolution id or None, whether it made sense)."""
        slot_type = self.intent_slots[pattern.intent][name]
        if slot_type == "AMAZON.NUMBER":
            number = parse_number(spoken)
            return (str(number), None, True) if number is not None else ("?", None, False)
        if slot_type == "AMAZON.DayOfWeek":
            day = parse_day_of_week(spoken)
            return (day, None, True) if day else (None, None, False)
        if slot_type == "AMAZON.TIME":
            time = parse_time(spoken, bare_hour_is_time=pattern.bare_hour_is_time)
            return (time, None, True) if time else (None, None, False)
        if slot_type == "AMAZON.DATE":
            when = parse_date(spoken, today=today)
            return (when, None, True) if when else (None, None, False)
        if slot_type == "AMAZON.DURATION":
            duration = parse_duration(spoken)
            return (duration, None, True) if duration else (None, None, False)
        value_id = self.resolve(slot_type, spoken)
        return spoken, value_id, value_id is not None

    def _try(self, pattern: _Pattern, text: str, today: date, strict: bool) -> Understood | None:
        match = pattern.regex.match(text)
        if not match:
            return None
        slots: dict[str, str | None] = dict.fromkeys(self.intent_slots[pattern.intent])
        resolutions: dict[str, str] = {}
        for name in pattern.slots:
            value, value_id, sensible = self._read_slot(pattern, name, match.group(name), today)
            if strict and not sensible:
                return None
            slots[name] = value
            if value_id is not None:
                resolutions[name] = value_id
        return Understood(pattern.intent, slots, resolutions)

    def understand(self, text: str, *, today: date) -> Understood:
        """What Alexa would send for these words. `today` (in the runner's time zone) anchors dates."""
        words = normalise(text)
        if words in self._literal:
            intent = self._literal[words]
            return Understood(intent, dict.fromkeys(self.intent_slots.get(intent, {})), {})
        for strict in (True, False):
            for pattern in self._patterns:
                if not strict and pattern.literal_words == 0:
                    continue  # a bare "{location}" would swallow every sentence
                understood = self._try(pattern, words, today, strict)
                if understood is not None:
                    return understood
        leading = words.split(" ", 1)[0]
        for intent, openers in LEADING_ANSWERS.items():
            if leading in openers:
                return Understood(intent, {}, {})
        return Understood(FALLBACK, {}, {})


@cache
def _compiled(locale: str) -> VoiceModel:
    return VoiceModel(load_interaction_model(locale))
