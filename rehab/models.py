"""The public shapes of the clinical core: what the runner answers, what they prefer, what we
conclude and what we prescribe.

Field names and enumerated values are public API (design.md §3): the JSON API, the stored plans
and the skill's session state all use them. Add fields freely; never rename one.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)

from rehab.questions import DISCLAIMER

Location = Literal["lower_buttock", "back_of_thigh", "behind_knee"]
# "unsure" wherever a runner can say "not sure": rehab.rules reads it as the cautious answer for every
# decision, and what the runner hears says they were not sure (design.md §3). Older stored plans,
# which recorded a cautious "yes" or "sudden" instead, still load.
Onset = Literal["sudden", "gradual", "unsure"]
YesNo = Literal["yes", "no"]
YesNoUnsure = Literal["yes", "no", "unsure"]
TestResult = Literal["yes", "no", "not_done"]

Category = Literal["tightness", "tendinopathy", "strain_low_grade", "strain", "refer"]
Site = Literal["proximal", "mid", "distal"]
RunningAdvice = Literal["keep_running", "easy_only", "rest", "stop_and_see_clinician"]
RedFlag = Literal["suspected_severe_tear", "nerve_symptoms", "high_pain"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAYS: tuple[Weekday, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

# What a session asks of the runner's legs. Only the last two are "speed or hills": they may
# appear only after the return-to-run criteria are met.
RunKind = Literal["none", "walk_jog", "easy", "steady", "strides", "speed", "hills"]
SPEED_OR_HILLS: frozenset[str] = frozenset({"speed", "hills"})
# Everything faster than steady running: none of it before the return-to-run criteria are confirmed.
FAST_RUNNING: frozenset[str] = frozenset({"strides", "speed", "hills"})

# The coaching loop (design.md §3, check-in).
SessionReport = Literal["done", "partial", "missed"]
Verdict = Literal["progress", "hold", "regress", "see_clinician"]
Light = Literal["green", "amber", "red"]
# How running comes back: "running" (allowed from the start, within today's advice), "resting" (not
# yet: no running until the walk-run may start), "ladder" (on the graded walk-run), "cleared" (the
# walk-run is done: each phase's own running from now on).
RunTrack = Literal["running", "resting", "ladder", "cleared"]
SessionKind = Literal["session", "gate"]

MAX_DAYS_AHEAD = 366
_HH_MM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Answers(_Model):
    """What the runner has said so far. Every field is optional: the triage asks only what can
    still change the outcome, so a finished triage may leave some unanswered."""

    location: Location | None = None
    onset: Onset | None = None
    days_since: int | None = Field(default=None, ge=0, le=3650, description="days since it started")
    pop: YesNoUnsure | None = None
    bruising: YesNoUnsure | None = None
    pain_walking: YesNoUnsure | None = None
    gait_altered: YesNoUnsure | None = None
    nerve_symptoms: YesNoUnsure | None = None
    shoe_test: TestResult | None = None
    hinge_test: TestResult | None = None
    heel_press_test: TestResult | None = None
    pain_score: int | None = Field(default=None, ge=0, le=10, description="worst pain, 0-10")
    training_change: YesNoUnsure | None = None

    @field_validator("days_since", "pain_score", mode="before")
    @classmethod
    def _whole_number(cls, value, info: ValidationInfo):
        # pydantic's lax ints take True as 1 and "5" as 5: a client that sends true or text for
        # a pain score has a bug, and a triage must not quietly read it as a number (the skill
        # and the store always hand over ints). A float with nothing after the point is still a
        # whole number (JSON Schema's "integer" allows 5.0), so it stays accepted. The message
        # names the field and the kind of value, never the value: answers are health data.
        if value is None:
            return value
        if isinstance(value, bool):
            raise ValueError(f"{info.field_name} must be a whole number, not true or false")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if not isinstance(value, int):
            kinds = {str: "text", float: "a fraction", list: "a list", dict: "an object"}
            kind = kinds.get(type(value), "that")
            raise ValueError(f"{info.field_name} must be a whole number, not {kind}")
        return value


class Preferences(_Model):
    """When the runner wants to train. All optional; `resolved()` fills the defaults.

    The start date is checked against "today" only when the caller passes it as validation
    context (`model_validate(data, context={"today": date})`): a stored plan must still load a
    year after it was made. For the same reason `context={"stored": True}` lets a plan stored
    before the time zone had to be a place's (e.g. "EST5EDT") load as it was.
    """

    start_date: dt.date | None = None
    timezone: str = "UTC"
    weekdays: tuple[Weekday, ...] = ("MO", "WE", "FR")
    time: str = Field(default="07:00", description="local start time, HH:MM (24 h)")
    session_minutes: int = Field(default=30, ge=10, le=120)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str, info: ValidationInfo) -> str:
        # Stored as the zone it names ("GB" as Europe/London, "Etc/UTC" as UTC), so every plan at
        # a place holds a name the rule takes, whatever the client spelt.
        zone = place_zone(value)
        if zone is None:
            # A plan stored before only place zones were taken must still load (context {"stored": True}).
            stored = bool((info.context or {}).get("stored")) if info else False
            if not (stored and value in _zone_names()):
                raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London")
            zone = value
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:  # pragma: no cover - zone list and tzdata disagree
            raise ValueError(f"unknown time zone {value!r}") from exc
        return zone

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        if not _HH_MM.match(value):
            raise ValueError(f"{value!r} is not a time of day; use HH:MM between 00:00 and 23:59")
        return value

    @field_validator("weekdays", mode="before")
    @classmethod
    def _weekdays(cls, value):
        if isinstance(value, str):
            value = [value]
        # A number, true/false or an object is not a list of days (iterating one raised a 500).
        if not isinstance(value, list | tuple | set | frozenset):
            raise ValueError("weekdays must be a list of days: MO, TU, WE, TH, FR, SA, SU")
        if not value:
            raise ValueError("choose at least one weekday (MO, TU, WE, TH, FR, SA, SU)")
        # The message never repeats what was sent: validation errors go back to the client.
        if any(v not in WEEKDAYS for v in value):
            raise ValueError("some of those are not weekdays; choose from MO, TU, WE, TH, FR, SA, SU")
        # Keep calendar order and drop repeats so equal choices give equal programmes.
        return tuple(d for d in WEEKDAYS if d in set(value))

    @model_validator(mode="after")
    def _start_within_a_year(self, info: ValidationInfo):
        today = (info.context or {}).get("today") if info else None
        if today is not None and self.start_date is not None:
            if self.start_date < today - dt.timedelta(days=1):
                raise ValueError("start_date is in the past")
            if self.start_date > today + dt.timedelta(days=MAX_DAYS_AHEAD):
                raise ValueError("start_date is more than a year away")
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def start_time(self) -> dt.time:
        hours, minutes = self.time.split(":")
        return dt.time(int(hours), int(minutes))

    def resolved(self, now: dt.datetime) -> Preferences:
        """The same preferences with the start date filled in: tomorrow in the runner's zone."""
        if self.start_date is not None:
            return self
        local_today = now.astimezone(self.zone).date()
        return self.model_copy(update={"start_date": local_today + dt.timedelta(days=1)})


class Reason(_Model):
    """One plain-language 'why', tied to the rule that produced it and that rule's source."""

    rule_id: str
    text: str
    source: str


class Assessment(_Model):
    category: Category
    site: Site
    running: RunningAdvice
    red_flags: tuple[RedFlag, ...] = ()
    acute_care: bool
    reasons: tuple[Reason, ...]
    see_professional: bool


class Dosage(_Model):
    """How much of an exercise: sets x reps, a hold in seconds, or minutes. `text` is the
    printable/spoken form, e.g. "3 × 10 each side" or "10–15 minutes"."""

    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    per_side: bool = False
    text: str


class Prescription(_Model):
    """An exercise as prescribed in one phase: everything a renderer or the voice needs, so they
    never look anything up in the library."""

    exercise_id: str
    name: str
    cues: tuple[str, ...]
    dosage: Dosage
    cautions: tuple[str, ...] = ()
    source: str


class Criterion(_Model):
    id: str
    text: str
    source: str
    question: str = Field(default="", description="the criterion as a short spoken yes/no question")


class Phase(_Model):
    id: str
    name: str
    goal: str
    weeks: int = Field(ge=1)
    running: RunKind
    running_note: str = ""
    prescriptions: tuple[Prescription, ...]
    move_on_criteria: tuple[Criterion, ...]
    # True when this phase starts only once the return-to-run criteria are met: the only phases
    # whose sessions may hold speed or hills.
    after_return_to_run: bool = False


class Session(_Model):
    """One dated session in the runner's local time. `id` is stable for the same inputs: the
    calendar UID is derived from it."""

    id: str
    phase_id: str
    date: dt.date
    start_time: str  # HH:MM local
    duration_minutes: int
    title: str
    running: RunKind
    running_note: str = ""
    prescriptions: tuple[Prescription, ...]
    week: int = Field(default=1, ge=1, description="programme week, 1 = the week starting on start_date")
    sequence: int = Field(default=0, ge=0, description="calendar SEQUENCE: raised each time it changes")
    kind: SessionKind = Field(default="session", description="a training session, or a gate check-in")
    criteria: tuple[Criterion, ...] = Field(default=(), description="a gate check-in's yes/no criteria")
    ladder_stage: int | None = Field(default=None, ge=1, description="the walk-run stage this session runs")
    step_back: bool = Field(default=False, description="a lighter session after a bad day, then re-test")

    def starts_at(self, zone: ZoneInfo) -> dt.datetime:
        """When it starts. The builder never dates a session at a time the clocks skip; one
        stored before it knew that still gets the instant RFC 5545 §3.3.5 gives it."""
        return local_start(self.date, self.start_time, zone)


class Gate(_Model):
    """The check-in that opens the next phase: dated on the first training day once the current
    phase's minimum length is reached, its criteria answered yes or no by the runner."""

    date: dt.date = Field(description="the day of its dated item in `sessions` (kind \"gate\")")
    phase_id: str = Field(description="the phase it closes")
    opens_phase_id: str | None = Field(description="the phase it opens; None for a referral, which "
                                                   "only a clinician's clearance moves on")
    criteria: tuple[Criterion, ...]
    starts_walk_run: bool = Field(default=False, description="passing it starts the walk-run ladder")
    return_to_run: bool = Field(default=False, description="passing it confirms the return-to-run criteria")


class Programme(_Model):
    revision: int = Field(ge=1)
    category: Category
    title: str
    summary: str
    timezone: str
    phases: tuple[Phase, ...]
    sessions: tuple[Session, ...]
    care_advice: tuple[Reason, ...] = ()
    tell_the_clinician: tuple[str, ...] = ()
    start_date: dt.date | None = None
    weeks: int = Field(default=1, ge=1)
    disclaimer: str = DISCLAIMER
    # The gated state (issue 10). A programme stored before it has current_phase_id None: every
    # session was dated at once; rehab.adaptation adopts it into this shape at its first check-in.
    current_phase_id: str | None = None
    phase_started: dt.date | None = None
    phase_ends: dt.date | None = Field(default=None, description="sessions of the current phase are "
                                                                 "dated up to (not including) this day")
    run_track: RunTrack = "running"
    ladder_stage: int | None = Field(default=None, ge=1)
    step_back_until: dt.date | None = Field(default=None, description="sessions up to this day are a step "
                                                                      "back; the next one re-tests the load")
    greens_since: dt.date | None = Field(default=None, description="green check-ins count towards moving "
                                                                   "on from this day (the load last changed)")
    pending_gate: Gate | None = None
    cancelled: tuple[Session, ...] = Field(default=(), description="sessions a revision removed, kept so "
                                                                   "calendars can be told (STATUS:CANCELLED)")

    @property
    def gated(self) -> bool:
        return self.current_phase_id is not None

    @property
    def return_to_run_confirmed(self) -> bool:
        """Whether the runner has passed the return-to-run criteria: only then may a session hold
        strides, speed or hills."""
        return any(phase.after_return_to_run for phase in self.phases if phase.id == self.current_phase_id)


class CheckIn(_Model):
    """How a session went, and the answers to the current gate (design.md §3, check-in). Whole
    numbers are strict, as in Answers: true or "5" for a pain score is a client's bug."""

    date: dt.date
    session: SessionReport | None = Field(default=None, description="None: a gate check-in only")
    pain_during: int | None = Field(default=None, ge=0, le=10, description="worst pain during, 0-10")
    pain_next_morning: int | None = Field(default=None, ge=0, le=10,
                                          description="pain the next morning, 0-10")
    criteria: dict[str, StrictBool] | None = Field(default=None, description="the current gate's "
                                                                             "criterion ids -> yes/no")
    limp: StrictBool | None = None
    swelling: StrictBool | None = None
    # Red-flag answers: a new snap or pop, or new numbness or tingling down the leg (design.md §3).
    pop: StrictBool | None = None
    nerve_symptoms: StrictBool | None = None

    @field_validator("pain_during", "pain_next_morning", mode="before")
    @classmethod
    def _whole_number(cls, value, info: ValidationInfo):
        return Answers._whole_number(value, info)


def local_start(date: dt.date, hh_mm: str, zone: ZoneInfo) -> dt.datetime:
    """The moment a session at `hh_mm` local starts on `date`: that wall time, unless the clocks
    spring forward over it that day. Such a time does not exist, and calendar apps, the printout
    and the voice would each read it their own way, so it is read as RFC 5545 §3.3.5 asks: with
    the UTC offset from before the gap, which moves it forward by the gap (01:30 on the day
    London changes to summer time is 02:30 BST). Always an existing local time, on `date`.

    Where the gap ends at midnight (America/Nuuk and America/Scoresbysund go from 23:00 on a
    Saturday to 00:00 on the Sunday), moving forward would put the session on the next day: it
    would keep its id yet be dated the Sunday, collide with a Sunday session, and leave Saturday's
    "today's session" empty. A session stays on its own date, so there it is read with the offset
    from after the gap instead, which moves it back by the gap (23:30 -> 22:30), as PEP 495's
    fold=1 reads it. Only on a day the zone skips entirely (Pacific/Apia, 30 December 2011) does
    neither reading stay on the date; the RFC's is kept then."""
    hours, minutes = hh_mm.split(":")
    # In a gap fold=0 takes the offset from before the transition and fold=1 the one after (PEP 495).
    wall = dt.datetime.combine(date, dt.time(int(hours), int(minutes)), tzinfo=zone)
    forward = wall.astimezone(dt.UTC).astimezone(zone)
    if forward.date() == date:
        return forward
    back = wall.replace(fold=1).astimezone(dt.UTC).astimezone(zone)
    return back if back.date() == date else forward


# Geographic areas of the tz database (its "Area/Location" names), and the country folders of its
# `backward` file: old names such as "US/Eastern" that still name a place and that clients send.
# Such a name is kept as given: zone.tab lists some of them as a country of their own
# (America/Nassau is the Bahamas though its clock links to America/Toronto), which the printout's
# paper size follows.
ZONE_AREAS: frozenset[str] = frozenset({
    "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian",
    "Pacific", "US", "Canada", "Brazil", "Chile", "Mexico",
})
# Names for UTC itself (hosts and containers report "Etc/UTC"; GMT and Greenwich are the same
# zero offset, without summer time): accepted and stored as "UTC".
UTC_NAMES: frozenset[str] = frozenset({
    "UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu",
    "GMT", "Etc/GMT", "Etc/GMT0", "Etc/GMT-0", "Etc/GMT+0", "GMT0", "GMT-0", "GMT+0", "Greenwich",
    "Etc/Greenwich",
})
# The rule zones the tz database keeps "for compatibility with UNIX System V" (its `backward`
# file). They name a rule, not a place: recent releases link some of them to a zone (EST to
# America/Panama, MST to America/Phoenix, neither with summer time), which is not where a device
# saying "EST" is, and older releases have them as zones. Refused by name, so the rule does not
# change with the tzdata release.
RULE_ZONES: frozenset[str] = frozenset({
    "CET", "CST6CDT", "EET", "EST", "EST5EDT", "HST", "MET", "MST", "MST7MDT", "PST8PDT", "WET",
})
# Where the compiled tz database lies when the `tzdata` package is absent (Debian's tzdata).
SYSTEM_TZDATA_ZI = Path("/usr/share/zoneinfo/tzdata.zi")


def place_zone(name: str) -> str | None:
    """The zone a plan stores for `name`, or None when a plan may not use it. "UTC" for UTC's
    names; an IANA "Area/Location" zone as given; an old name the tz database links to such a
    zone ("GB", "NZ", "Japan", "Singapore", "Israel") as that zone, since a device may still report
    one and a plan at that place must not fall back to UTC. None for the host-dependent and
    rule-only names the zone list also holds ("localtime", "Factory", "posixrules", "EST5EDT",
    "Etc/GMT+5"): a plan must mean the same on every host, at a place."""
    if name in UTC_NAMES:
        return "UTC"
    if _names_a_place(name):
        return name
    if name in RULE_ZONES:
        return None
    target = link_target(name)
    return target if target != name and _names_a_place(target) else None


def is_place_zone(name: str) -> bool:
    """Whether a plan may use `name` (`place_zone` says which zone it then stores)."""
    return place_zone(name) is not None


def _names_a_place(name: str) -> bool:
    area, slash, _ = name.partition("/")
    return bool(slash) and area in ZONE_AREAS and name in _zone_names()


def link_target(name: str) -> str:
    """The zone an old name of the tz database now means, following its links to the end;
    `name` itself when it is not a link."""
    links, seen = zone_links(), {name}
    while name in links and links[name] not in seen:
        name = links[name]
        seen.add(name)
    return name


@functools.cache
def zone_links() -> Mapping[str, str]:
    """The tz database's links, old name -> the name it links to, from the "L target name" lines
    of its compiled form (tzdata.zi): the `tzdata` package's copy when installed (zoneinfo reads
    that package too), otherwise the system's. Empty when neither is there: then no old name is
    taken, which refuses rather than guesses."""
    try:
        from importlib.resources import files

        text = files("tzdata").joinpath("zoneinfo", "tzdata.zi").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        try:
            text = SYSTEM_TZDATA_ZI.read_text(encoding="utf-8")
        except OSError:
            text = ""
    links: dict[str, str] = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == "L":
            links[fields[2]] = fields[1]
    return MappingProxyType(links)


def _zone_names() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


_ZONES: frozenset[str] | None = None
