"""The plain words the plan's page, PDF and calendar share, so the runner reads the same thing on
paper, on the phone and in the calendar.

Labels for the public ids of design.md §3 (categories, running advice, red flags, answers) live
here; what is decided and prescribed comes from the clinical core (`rehab/`). The few warnings and
the pain guide below are general advice printed on every plan; each carries its source like the
core's tables do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rehab.models import Answers, Assessment, Programme
from rehab.programme import CATEGORY_WORDS, RUNNING_WORDS, SITE_WORDS

PRODUCT_NAME = "Hamstring Coach"
# The short form for footers; the programme carries the full sentence (`Programme.disclaimer`).
DISCLAIMER = "Not a substitute for professional medical advice."

# What it most likely is, where, and what to do about running: the clinical core's own words.
CATEGORY_NAMES = {category: words[:1].upper() + words[1:] for category, words in CATEGORY_WORDS.items()}
SITE_NAMES = SITE_WORDS
RUNNING_ADVICE = RUNNING_WORDS
RUNNING_HEADLINES = {
    "keep_running": "Keep running",
    "easy_only": "Easy runs only",
    "rest": "Rest from running",
    "stop_and_see_clinician": "Stop and see a clinician",
}

RED_FLAG_NAMES = {
    "suspected_severe_tear": (
        "Signs of a severe tear: a pop with bruising or a limp, or sudden severe pain with a limp"
    ),
    "nerve_symptoms": "Numbness, tingling or pain shooting down the lower leg",
    "high_pain": "Pain of 8 out of 10 or more",
}


@dataclass(frozen=True)
class Advice:
    text: str
    source: str


# Printed on every plan, whatever the category: what should send the runner to a clinician
# even when today's answers did not. (The same-day warning about a swollen, warm calf is in the
# core's care advice, which every plan prints too.)
WHEN_TO_SEE_A_CLINICIAN = (
    Advice("A snap or pop in the buttock or thigh, bruising on the back of the thigh (it can take 3 to 7 "
           "days to appear), a limp or painful sitting: see a clinician within days, not weeks.",
           "seed 000 (signs of injury); clinical-basis.md, Avulsion (Subbu et al. 2015)"),
    Advice("Numbness, tingling or pain spreading below the knee: this may come from a nerve, not the "
           "hamstring.",
           "seed 004 (numbness down the lower leg); clinical-basis.md, Nerve (Yale ICPCP)"),
    Advice("Pain behind the knee that keeps coming back, or lasts for weeks: take time off running and "
           "see a physiotherapist.",
           "seed 004 (chronic or acute pain behind the knee)"),
    Advice("Pain that gets worse from one week to the next, or no progress after the first phase.",
           "seed 000 (severe cases need physical therapy); design.md §3 (see_professional)"),
)

_PAIN_MONITORING = "clinical-basis.md, pain monitoring (Goom et al. 2016, secondary summaries)"
PAIN_GUIDE = (
    Advice("0 to 3 out of 10 during or after a session: fine, carry on.",
           _PAIN_MONITORING),
    Advice("4 to 5 out of 10: acceptable if it settles by the next morning.",
           _PAIN_MONITORING),
    Advice("Above 5 out of 10, or worse the next morning: do less next time. Run through soreness only at "
           "6 out of 10 or lower.",
           "clinical-basis.md (pain monitoring); seed 004 (the 6/10 rule)"),
)

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
}

RUN_KIND_NAMES = {
    "none": "No running",
    "walk_jog": "Walk-jog",
    "easy": "Easy run",
    "steady": "Steady run",
    "strides": "Easy run with strides",
    "speed": "Speed work",
    "hills": "Hills",
}

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


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
    return f"{CATEGORY_NAMES[assessment.category]}, {SITE_NAMES[assessment.site]}."


def day_and_date(day: dt.date) -> str:
    """'Monday 2 March 2026': spelled out, the same in every locale and on every machine."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """'Mon 2 Mar'."""
    return f"{WEEKDAY_NAMES[day.weekday()][:3]} {day.day} {MONTH_NAMES[day.month - 1][:3]}"


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
        return f"{programme.weeks} weeks · no dated sessions"
    first = min(session.date for session in sessions)
    days = sorted({session.date.weekday() for session in sessions})
    names = [WEEKDAY_NAMES[day] for day in days]
    day_list = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    times = sorted({session.start_time for session in sessions})
    return (f"{programme.weeks} weeks from {day_and_date(first)} · {len(sessions)} sessions on {day_list} "
            f"at {' or '.join(times)} ({programme.timezone})")
