"""Progress you can see: pain during and the next morning over time, sessions done against those
planned, and the dates of gate checks, summed up in one plain sentence for the voice and the page.

Pure and standard library only (plus rehab's own stdlib-only `rules`): the caller hands in plain
values. Check-ins are any objects with `date`, `session`, `pain_during` and `pain_next_morning`
(the plan store's `LoggedCheckIn` has them; `Point` is the small one for everything else), so the
core knows nothing of how plans are kept. No clock either: "today" is an argument, the plan's
local date.

The words a runner hears are the `SENTENCES` table below, each with an id, when it is said and
its source; the numbers in them come from the check-ins and from the pain thresholds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from rehab.rules import ACCEPTABLE_PAIN_MAX, PAIN_SCALE_MAX, SAFE_PAIN_MAX, out_of_ten

# The one pain rule's bands (green up to SAFE_PAIN_MAX, amber up to ACCEPTABLE_PAIN_MAX, red above),
# read from its thresholds in rehab.rules, the same ones the pain guide states.
_PAIN_MONITORING = "clinical-basis.md, pain monitoring (Goom et al. 2016, secondary summaries)"
PAIN_MIN, PAIN_MAX = 0, PAIN_SCALE_MAX
SESSION_KINDS = ("done", "partial", "missed", "gate")
# What the row of session marks can show for a day: a reported session, or one planned up to
# today that nobody reported on.
SESSION_STATUSES = ("done", "partial", "missed", "not_logged")


@dataclass(frozen=True)
class PainBand:
    """One band of the pain scale as the pain rule reads it, with the word a chart prints beside it."""

    id: str  # "green" | "amber" | "red", the rule's traffic light
    low: int
    high: int
    label: str
    source: str


PAIN_BANDS: tuple[PainBand, ...] = (
    PainBand("green", PAIN_MIN, SAFE_PAIN_MAX.value, "fine", _PAIN_MONITORING),
    PainBand("amber", SAFE_PAIN_MAX.value + 1, ACCEPTABLE_PAIN_MAX.value, "acceptable", _PAIN_MONITORING),
    PainBand("red", ACCEPTABLE_PAIN_MAX.value + 1, PAIN_MAX, "do less", _PAIN_MONITORING),
)


def pain_band(score: int) -> PainBand:
    """The band a pain score (0-10) falls in."""
    return next(band for band in PAIN_BANDS if band.low <= score <= band.high)


# ---- the sentence ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Wording:
    """One sentence the runner may hear or read: `text` is a template whose {fields} come from the
    check-ins (first, last, last_out_of_ten, low, high, span, missed) and the pain thresholds
    (safe_max, acceptable_max)."""

    id: str
    when: str
    text: str
    source: str


# Sentences that only restate the runner's own scores give no advice: their source is the check-in.
_SUMMARY = "the runner's own check-ins (design.md §3, check-in); a summary, no clinical advice"
# "Your pain" is the worse of the two scores of a day (during the session, the next morning): the
# pain rule reads both, and a next morning worse than the session is the sign to do less.
SENTENCES: tuple[Wording, ...] = (
    Wording(
        id="progress_no_check_ins", when="there is no check-in yet",
        text="No check-ins yet: tell me after your next session how it went.",
        source=_SUMMARY),
    Wording(
        id="progress_missed_only", when="every session reported so far was missed and none gave a pain score",
        text="You have logged {missed} and no pain scores yet: tell me after your next session how it went.",
        source=_SUMMARY),
    Wording(
        id="progress_no_scores", when="there are check-ins but none gave a pain score",
        text="No pain scores yet: after your next session, tell me your pain during it and the next morning.",
        source=_SUMMARY),
    Wording(
        id="progress_one_score", when="only one day has a pain score",
        text="Your first pain score is {last_out_of_ten}: check in after your next session to see how it "
             "changes.",
        source=_SUMMARY),
    Wording(
        id="progress_down", when="the latest pain is lower than the first",
        text="Your pain has come down from {first} to {last} over {span}.",
        source=_SUMMARY),
    Wording(
        id="progress_same", when="every pain score is the same",
        text="Your pain has stayed at {last} over {span}.",
        source=_SUMMARY),
    Wording(
        id="progress_back_to_start", when="the latest pain equals the first, with other scores in between",
        text="Your pain is back at {last}, where it started, after being between {low} and {high} over "
             "{span}.",
        source=_SUMMARY),
    Wording(
        id="progress_up_green", when="the latest pain is higher than the first and still in the safe band",
        text="Your pain has gone up from {first} to {last} over {span}, still within the safe 0 to "
             "{safe_max}: carry on, and keep telling me how it feels.",
        source=_PAIN_MONITORING),
    Wording(
        id="progress_up_amber", when="the latest pain is higher than the first and in the acceptable band",
        text="Your pain has gone up from {first} to {last} over {span}: that is acceptable if it settles by "
             "the next morning; if it does not, do less next time.",
        source=_PAIN_MONITORING),
    Wording(
        id="progress_up_red", when="the latest pain is higher than the first and above the acceptable band",
        text="Your pain has gone up from {first} to {last} over {span}: that is above {acceptable_max}, so "
             "do less next time.",
        source=_PAIN_MONITORING),
)
_SENTENCE = {wording.id: wording for wording in SENTENCES}


@dataclass(frozen=True)
class Said:
    """A sentence as said: the id of its wording and the text with its numbers filled in."""

    id: str
    text: str


# ---- inputs and the summary --------------------------------------------------------------------

class CheckInLike(Protocol):
    date: dt.date
    session: str
    pain_during: int | None
    pain_next_morning: int | None


@dataclass(frozen=True)
class Point:
    """One check-in as the progress summary reads it."""

    date: dt.date
    session: str  # "done" | "partial" | "missed" | "gate"
    pain_during: int | None = None
    pain_next_morning: int | None = None


@dataclass(frozen=True)
class GateDate:
    """A day a gate (the criteria to move on) was or is to be checked, and what to call it."""

    date: dt.date
    label: str = "Gate check"


@dataclass(frozen=True)
class PainReading:
    """The pain scores of one day: during its session and the next morning (None: not given)."""

    date: dt.date
    during: int | None
    next_morning: int | None

    @property
    def worst(self) -> int:
        return max(score for score in (self.during, self.next_morning) if score is not None)


@dataclass(frozen=True)
class SessionMark:
    """One day on the row of sessions: what was reported for it, or "not_logged" for a session
    planned up to today with no report. `planned` is False for a session done on a day the plan
    did not have one."""

    date: dt.date
    status: str  # one of SESSION_STATUSES
    planned: bool


@dataclass(frozen=True)
class Progress:
    """Everything a chart or a sentence about progress needs, oldest first."""

    today: dt.date
    check_ins: int
    readings: tuple[PainReading, ...]  # one per day with at least one pain score
    sessions: tuple[SessionMark, ...]  # planned days up to today, and every day a session was reported
    gates: tuple[GateDate, ...]
    start: dt.date | None = None

    @property
    def empty(self) -> bool:
        """True before the first check-in."""
        return self.check_ins == 0

    @property
    def planned(self) -> int:
        """Sessions the plan had up to and including today."""
        return sum(1 for mark in self.sessions if mark.planned)

    def count(self, status: str) -> int:
        """How many days on the session row have this status (one of SESSION_STATUSES)."""
        if status not in SESSION_STATUSES:
            raise ValueError(f"status must be one of {SESSION_STATUSES}, not {status!r}")
        return sum(1 for mark in self.sessions if mark.status == status)

    def days(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day worth showing: the plan's start, every check-in, every planned
        session up to today, every gate, and today. None before the first check-in."""
        if self.empty:
            return None
        days = [self.today, *(r.date for r in self.readings), *(m.date for m in self.sessions),
                *(g.date for g in self.gates)]
        if self.start is not None:
            days.append(self.start)
        return min(days), max(days)

    def said(self) -> Said:
        """The one sentence for the voice and the page, with the id of its wording."""
        if self.empty:
            return _say("progress_no_check_ins")
        if not self.readings:
            missed = self.count("missed")
            if missed and not self.count("done") and not self.count("partial"):
                return _say("progress_missed_only", missed=_plural(missed, "missed session"))
            return _say("progress_no_scores")
        scores = [reading.worst for reading in self.readings]
        first, last = scores[0], scores[-1]
        if len(scores) == 1:
            return _say("progress_one_score", last=last, last_out_of_ten=out_of_ten(last))
        numbers = {"first": first, "last": last, "low": min(scores), "high": max(scores),
                   "span": _span((self.readings[-1].date - self.readings[0].date).days)}
        if last < first:
            return _say("progress_down", **numbers)
        if last > first:
            return _say(f"progress_up_{pain_band(last).id}", **numbers)
        if min(scores) == max(scores):
            return _say("progress_same", **numbers)
        return _say("progress_back_to_start", **numbers)

    def sentence(self) -> str:
        """`said().text`: one plain sentence, e.g. "Your pain has come down from 5 to 2 over 10 days."."""
        return self.said().text


def progress(
    check_ins: Iterable[CheckInLike],
    *,
    planned: Iterable[dt.date],
    today: dt.date,
    gates: Iterable[dt.date | GateDate] = (),
    start: dt.date | None = None,
) -> Progress:
    """Sum up the check-ins (oldest first, as a plan keeps them) against the planned session days.

    `planned` are the days of the programme's sessions (later ones are ignored: only sessions up
    to `today`, the plan's local date, count as planned so far). `gates` are the days gates were or
    are to be checked, as dates or `GateDate`s with a label. `start` is the programme's first day,
    so the chart can begin there.

    Several check-ins on one day read as one: the day's session is the last one reported (a
    gate-only check-in reports no session), and each pain score is the last one given."""
    points = [_checked(point) for point in check_ins]
    statuses: dict[dt.date, str] = {}
    during: dict[dt.date, int] = {}
    morning: dict[dt.date, int] = {}
    for point in points:
        if point.session != "gate":
            statuses[point.date] = point.session
        if point.pain_during is not None:
            during[point.date] = point.pain_during
        if point.pain_next_morning is not None:
            morning[point.date] = point.pain_next_morning
    days_scored = sorted({*during, *morning})
    readings = tuple(PainReading(day, during.get(day), morning.get(day)) for day in days_scored)
    planned_days = {day for day in planned if day <= today}
    sessions = tuple(
        SessionMark(day, statuses.get(day, "not_logged"), day in planned_days)
        for day in sorted(planned_days | set(statuses))
    )
    gate_dates = {}
    for gate in gates:
        gate = gate if isinstance(gate, GateDate) else GateDate(gate)
        gate_dates.setdefault((gate.date, gate.label), gate)
    return Progress(today=today, check_ins=len(points), readings=readings, sessions=sessions,
                    gates=tuple(gate_dates[key] for key in sorted(gate_dates)), start=start)


def _checked(point: CheckInLike) -> Point:
    day = point.date
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValueError(f"a check-in's date must be a date, not {type(day).__name__}")
    if point.session not in SESSION_KINDS:
        raise ValueError(f"a check-in's session must be one of {SESSION_KINDS}, not {point.session!r}")
    for name in ("pain_during", "pain_next_morning"):
        score = getattr(point, name)
        if score is not None and (isinstance(score, bool) or not isinstance(score, int)
                                  or not PAIN_MIN <= score <= PAIN_MAX):
            raise ValueError(f"{name} must be a whole number from {PAIN_MIN} to {PAIN_MAX} or None")
    return Point(day, point.session, point.pain_during, point.pain_next_morning)


def _say(wording_id: str, **values: object) -> Said:
    values |= {"safe_max": SAFE_PAIN_MAX.value, "acceptable_max": ACCEPTABLE_PAIN_MAX.value}
    return Said(wording_id, _SENTENCE[wording_id].text.format(**values))


def _span(days: int) -> str:
    """'a day', '4 days', 'a week', '2 weeks', '10 days': a length the voice reads naturally."""
    if days == 1:
        return "a day"
    if days == 7:
        return "a week"
    if days % 7 == 0:
        return f"{days // 7} weeks"
    return f"{days} days"


def _plural(number: int, thing: str) -> str:
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"
