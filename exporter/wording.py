"""The plain words the plan's page, PDF and calendar share, so the runner reads the same thing on
paper, on the phone and in the calendar.

Everything that is advice comes from the clinical core (`rehab/`): the words for categories,
sites, running advice and red flags, the warnings and the pain guide printed on every plan (each
with its source, in `rehab.advice`), and the calendar's day and month names (`rehab.clock`). What
stays here is how the exporter lays them out, and the labels of the runner's own answers.
"""

from __future__ import annotations

import datetime as dt

from rehab import advice
from rehab.clock import WEEKDAY_NAMES, WEEKDAYS, month_name, weekday_name
from rehab.exercises import exercise
from rehab.models import Answers, Assessment, Programme, Reason, Session
from rehab.programme import CATEGORY_WORDS, MAX_SESSIONS_PER_WEEK, RUNNING_LABELS, RUNNING_WORDS, SITE_WORDS

PRODUCT_NAME = "Hamstring Coach"
# The short form for footers; the programme carries the full sentence (`Programme.disclaimer`).
DISCLAIMER = "Not a substitute for professional medical advice."

# What it most likely is, where, and what to do about running: the clinical core's own words.
CATEGORY_NAMES = {category: words[:1].upper() + words[1:] for category, words in CATEGORY_WORDS.items()}
SITE_NAMES = SITE_WORDS
RUNNING_ADVICE = RUNNING_WORDS
RUNNING_HEADLINES = {row.id: row.text for row in advice.RUNNING_HEADLINES}
RED_FLAG_NAMES = {row.id: row.text for row in advice.RED_FLAGS}

# Printed on every plan, whatever the category (rows with `text` and `source`).
WHEN_TO_SEE_A_CLINICIAN = advice.WHEN_TO_SEE_A_CLINICIAN
PAIN_GUIDE = advice.PAIN_GUIDE

CALENDAR_DELAY_NOTE = (
    "When your plan changes, this page and Alexa show it at once. A subscribed calendar follows "
    "when it next refreshes: Google Calendar may show a change up to a day late."
)
CALENDAR_REMINDER_NOTE = (
    "Google Calendar and Outlook ignore the reminders in a subscribed calendar: set your own "
    "notification for these events there."
)

ANSWER_LABELS = {
    "location": "Where it hurts",
    "onset": "How it started",
    "days_since": "Days since it started",
    "pop": "Snap or pop",
    "bruising": "Bruising on the back of the thigh",
    "pain_walking": "Pain while walking",
    "gait_altered": "Limping, cannot walk normally",
    "nerve_symptoms": "Numbness, tingling or pain down the lower leg",
    "shoe_test": "Shoe test hurts",
    "hinge_test": "Hip-height hinge hurts beyond a normal stretch",
    "heel_press_test": "Heel press hurts",
    "pain_score": "Worst pain (0-10)",
    "training_change": "Recently added speed, hills or mileage",
}
ANSWER_VALUES = {
    "lower_buttock": "lower buttock (sit bone)",
    "back_of_thigh": "back of the thigh",
    "behind_knee": "behind the knee",
    "sudden": "suddenly",
    "gradual": "gradually",
    "not_done": "test not done",
    "unsure": "not sure",
}

# The core's label for each run kind, as a table heading writes it ("Walk-jog").
RUN_KIND_NAMES = {kind: label[:1].upper() + label[1:] for kind, label in RUNNING_LABELS.items()}


def answers_given(answers: Answers) -> list[tuple[str, str]]:
    """(question, answer) for every question the runner answered, in the order of design.md §3."""
    rows = []
    for field, label in ANSWER_LABELS.items():
        value = getattr(answers, field)
        if value is None:
            continue
        rows.append((label, answer_text(value)))
    return rows


def answer_text(value: object) -> str:
    if isinstance(value, str):
        return ANSWER_VALUES.get(value, value)
    return str(value)


def most_likely(assessment: Assessment) -> str:
    """'A hamstring strain, in the middle of the hamstring.' Tightness has no site of injury: "Tight
    hamstrings, in the middle of the hamstring" reads as a slip, so it is said alone."""
    if assessment.category == "tightness":
        return f"{CATEGORY_NAMES[assessment.category]}."
    return f"{CATEGORY_NAMES[assessment.category]}, {SITE_NAMES[assessment.site]}."


def weeks(count: int) -> str:
    """'1 week', '3 weeks'."""
    return f"{count} week" if count == 1 else f"{count} weeks"


# What a session asks, in a word or two, for a calendar title a lock screen shows whole.
_SHORT_RUNS = {"none": "", "walk_jog": "Walk-run", "easy": "Easy run", "steady": "Steady run",
               "strides": "Strides", "speed": "Speed session", "hills": "Hill session"}
TITLE_LIMIT = 39  # characters: lock screens and watch faces cut longer titles


def short_title(session: Session) -> str:
    """What to do, then the week: 'Easy run + strength, week 2'; under 40 characters."""
    if session.kind == "gate":
        what = "Move-on check"
    else:
        care_only = bool(session.prescriptions) and all(
            exercise(p.exercise_id).kind == "self_care" for p in session.prescriptions)
        run = _SHORT_RUNS[session.running]
        work = "rest and self-care" if care_only else "strength" if session.prescriptions else ""
        what = " + ".join(part for part in (run, work) if part) or "Rest day"
        what = what[:1].upper() + what[1:]
        if session.step_back:
            what = f"Step back: {what[:1].lower() + what[1:]}"
    title = f"{what}, week {session.week}"
    return title if len(title) <= TITLE_LIMIT else what[:TITLE_LIMIT]


def log_label(session: Session) -> str:
    """The pain log's words for a session: its short title without the week (the date says it)."""
    return short_title(session).rsplit(", week ", 1)[0]


def until_seen(programme: Programme) -> tuple[Reason, ...]:
    """A referral plan's care until a clinician has seen the leg (the core's own care rows)."""
    wanted = ("care-until-seen", "care-safety-net")
    return tuple(item for item in programme.care_advice if item.rule_id in wanted)


def days_not_used(requested: tuple[str, ...] | list[str], programme: Programme) -> str:
    """Why a weekday the runner offered has no session, or "" when every one is used."""
    used = {WEEKDAYS[s.date.weekday()] for s in programme.sessions if s.kind == "session"}
    if not used:
        return ""
    left = [WEEKDAY_NAMES[day] for day in requested if day not in used]
    if not left or len(requested) <= MAX_SESSIONS_PER_WEEK:
        return ""
    names = left[0] if len(left) == 1 else ", ".join(left[:-1]) + " and " + left[-1]
    verb = "is a rest day" if len(left) == 1 else "are rest days"
    return (f"You offered {len(requested)} days; the plan uses at most {MAX_SESSIONS_PER_WEEK} a week, with "
            f"rest days between where it can, so {names} {verb}. "
            "Muscles and tendons get stronger between sessions, not during them.")


def day_and_date(day: dt.date) -> str:
    """'Monday 2 March 2026': spelled out, the same in every locale and on every machine."""
    return f"{weekday_name(day)} {day.day} {month_name(day)} {day.year}"


def short_date(day: dt.date) -> str:
    """'Mon 2 Mar'."""
    return f"{weekday_name(day)[:3]} {day.day} {month_name(day)[:3]}"


def running_text(kind: str, note: str) -> str:
    """The core's running note when it has one (it already says what kind of run), else the kind."""
    return note or f"{RUN_KIND_NAMES[kind]}."


def minutes_text(minutes: int) -> str:
    return f"{minutes} min"


def schedule(programme: Programme) -> str:
    """'12 weeks from Monday 16 March 2026 · 48 sessions on Monday, Wednesday and Friday at 07:00
    (Europe/London)', from the dated sessions themselves."""
    sessions = programme.sessions
    if not sessions:
        return f"{weeks(programme.weeks)} · no dated sessions"
    first = min(session.date for session in sessions)
    days = sorted({session.date.weekday() for session in sessions})
    names = [WEEKDAY_NAMES[WEEKDAYS[day]] for day in days]
    day_list = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    times = sorted({session.start_time for session in sessions})
    count = sum(1 for session in sessions if session.kind == "session")
    return (f"{weeks(programme.weeks)} from {day_and_date(first)} · {count} sessions on {day_list} "
            f"at {' or '.join(times)} ({programme.timezone})")
