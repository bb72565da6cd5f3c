"""What is prescribed: the phases of each kind of programme, the criteria to move on, and the dated
sessions on the runner's chosen days.

Phases are data (`PLANS`), one list per category. The builder only fills in the running the
assessment allows today, the exercises' doses for each phase, and the calendar. It is a pure
function: the same answers, assessment, preferences and revision give an identical programme,
because calendar event ids are derived from it.

Dates and times are the runner's local wall time (a date plus "HH:MM" in their zone), so a
session at 07:00 stays at 07:00 across a daylight-saving change. On the one day a year the
clocks skip the chosen time, the session is at the time they skip to, or, where that would be
the next day, at the time before the gap; never on another date (`models.local_start`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rehab.exercises import exercise
from rehab.models import (
    SPEED_OR_HILLS,
    WEEKDAYS,
    Answers,
    Assessment,
    Criterion,
    Phase,
    Preferences,
    Programme,
    Reason,
    Session,
    local_start,
)

# --- Criteria to move on. ------------------------------------------------------------------------

_C = Criterion
CRITERIA: dict[str, Criterion] = {c.id: c for c in (
    _C(id="walks-normally-pain-free", text="You walk with a normal stride and no pain.",
       source="Heiderscheit 2010 phase criteria"),
    _C(id="slow-jog-pain-free", text="A very slow jog feels pain-free.",
       source="Heiderscheit 2010 phase criteria"),
    _C(id="knee-bend-pain-free",
       text="Pressing your heel down hard with the knee bent (the heel press hold at full effort) is "
            "pain-free.",
       source="Heiderscheit 2010: pain-free resisted knee bend at 90 degrees"),
    _C(id="strength-pain-free",
       text="Bridges, ball curls and the Diver are pain-free at full effort.",
       source="Heiderscheit 2010 phase criteria; Askling 2013"),
    _C(id="holds-pain-low", text="Pain during the holds stays at 3 out of 10 or less.",
       source="Goom 2016 pain monitoring (0-3/10 safe)"),
    _C(id="next-morning-settled",
       text="The morning after exercise or a run, it is no worse than the morning before.",
       source="Goom 2016: the 24-hour response matters most"),
    _C(id="easy-runs-settled",
       text="Easy runs stay at 3 out of 10 or less and settle by the next morning.",
       source="Goom 2016 pain monitoring; seed 004 pain-scale rule"),
    _C(id="return-moves-as-well", text="Your injured leg moves as well as your healthy one.",
       source="seed 000: 'Move your injured leg as well as your healthy one'"),
    _C(id="return-as-strong", text="Your injured leg feels as strong as your healthy one.",
       source="seed 000: 'You leg feels as strong as your healthy one'"),
    _C(id="return-zero-pain-progression",
       text="Zero pain as you progress from walking, to jogging, to sprinting, and finally jumping.",
       source="seed 000: 'You feel zero pain when you graduate from walking, jogging, sprinting, and "
              "finally jumping over time'"),
    _C(id="seen-by-clinician",
       text="A clinician has seen it and told you what you can load. Then ask Hamstring Coach for a new "
            "programme.",
       source="design.md §3 (refer: only safe self-care until seen); Subbu 2015"),
)}

# The seeds' return-to-run criteria: speed and hills only in a phase that follows them.
RETURN_TO_RUN: tuple[str, ...] = ("return-moves-as-well", "return-as-strong", "return-zero-pain-progression")
HEIDERSCHEIT_PHASE_II: tuple[str, ...] = (
    "walks-normally-pain-free", "slow-jog-pain-free", "knee-bend-pain-free",
)

# --- Running, in the runner's words. ---------------------------------------------------------------

RUNNING_NOTES: dict[str, tuple[str, str]] = {
    "none": ("No running. Cross-train instead if it doesn't hurt: swimming, cycling or yoga.",
             "seed 000: 'switch to a cross training activity, like swimming or cycling'"),
    "walk_jog": ("Walk-jog: 1 minute of very slow jogging, 2 minutes of walking, 6 times. Do each step "
                 "twice without pain before adding more, and keep a rest day between runs.",
                 "seed 000: walking, then jogging; van der Horst 2017 (graded run-walk)"),
    "easy": ("Easy run at a chatting pace. No speed work, no hills. Stop if the pain rises.",
             "seed 000: 'try an easy run'; seed 004: 'definitely avoid speed and hills'"),
    "steady": ("Your usual steady running, still without speed work or hills.",
               "seed 000: speed workouts and hill repeats on hold"),
    "strides": ("Easy run, then 4 to 6 relaxed strides of 20 seconds, building to a brisk pace.",
                "seed 000: 'walking, jogging, sprinting' progression; clinical judgement on the dose"),
    "speed": ("One faster session: after the glute warm-up, intervals or hills as before, starting at "
              "half your usual amount. Your other runs stay easy.",
              "seed 000: return only after the three criteria; seed 004: warm up before speed work"),
    "hills": ("Hill repeats, starting at half your usual amount, after the glute warm-up.",
              "seed 000: return only after the three criteria"),
}
REST_DAY_BETWEEN_RUNS = (
    "No run today: a rest day between walk-jogs lets the leg answer. Cross-train if you like.",
    "van der Horst 2017: a rest day between runs in a graded run-walk",
)
RUNNING_LABELS: dict[str, str] = {
    "none": "no running", "walk_jog": "walk-jog", "easy": "easy run", "steady": "steady run",
    "strides": "easy run with strides", "speed": "speed session", "hills": "hill session",
}
# From least to most demanding: today's running advice caps the first phase.
_RUN_ORDER: tuple[str, ...] = ("none", "walk_jog", "easy", "steady", "strides", "speed", "hills")
_CAP_FOR_ADVICE: dict[str, str] = {
    "keep_running": "hills", "easy_only": "easy", "rest": "none", "stop_and_see_clinician": "none",
}
# Why: tendons and muscles strengthen between sessions, so at most this many a week even when the
# runner offers every day (Goom 2016 progresses loading every other day; van der Horst 2017 keeps a
# rest day between runs). Clinical judgement on the exact number.
MAX_SESSIONS_PER_WEEK = 4


# --- The programmes, one list of phases per category. --------------------------------------------

@dataclass(frozen=True)
class PhasePlan:
    id: str
    name: str
    goal: str
    weeks: int
    stage: str  # which dose of each exercise (see rehab.exercises.STAGES)
    running: str  # the most this phase allows (RunKind)
    exercises: tuple[str, ...]
    move_on: tuple[str, ...]  # criterion ids
    after_return_to_run: bool = False
    running_note: str = ""  # this phase's own words for its running, else RUNNING_NOTES'


@dataclass(frozen=True)
class Plan:
    title: str
    what_it_is: str
    phases: tuple[PhasePlan, ...]
    source: str


def _strain_phases(calm_weeks: int, foundation_weeks: int, loading_weeks: int, foundation_running: str,
                   first_running: str) -> tuple[PhasePlan, ...]:
    return (
        PhasePlan("calm", "Calm it down", "Settle the pain and start gentle, pain-free hamstring work.",
                  calm_weeks, "protect", first_running,
                  ("isometric_heel_press", "glute_bridge", "askling_extender", "core_stability",
                   "loop_band_glutes"),
                  HEIDERSCHEIT_PHASE_II),
        PhasePlan("foundations", "Strength foundations",
                  "Build hamstring, glute and trunk strength; bring back walk-jogging.",
                  foundation_weeks, "strength", foundation_running,
                  ("glute_bridge", "marching_bridge", "ball_hamstring_curl", "askling_extender",
                   "askling_diver", "agility_drills"),
                  ("strength-pain-free", "next-morning-settled")),
        PhasePlan("loading", "Eccentric loading and return to running",
                  "Lengthening strength and steady running, from walking to jogging to running.",
                  loading_weeks, "load", "steady",
                  ("ball_hamstring_curl", "hamstring_curls", "lunges", "askling_glider", "agility_drills",
                   "core_stability"),
                  RETURN_TO_RUN,
                  running_note="Build from jogging to steady running, no speed or hills. In the last week, "
                               "if all of that is pain-free, try a few relaxed strides and some gentle hops: "
                               "the walk, jog, sprint, jump check before speed comes back."),
        PhasePlan("back_to_speed", "Back to speed, and stay healthy",
                  "Bring back faster running; keep the strength that stops it coming back.",
                  1, "return", "speed",
                  ("glute_activation_warmup", "nordic_lowers", "ball_hamstring_curl", "agility_drills",
                   "core_stability"),
                  (), after_return_to_run=True),
    )


PLANS: dict[str, Plan] = {
    "tightness": Plan(
        title="Tight hamstrings: strength alongside your running",
        what_it_is="tight hamstrings",
        source="seed 000 'Resolve Hamstring Tightness' (pre-hab: glutes, core and hips)",
        phases=(
            PhasePlan("prehab", "Strength alongside your running",
                      "Keep running while building the glutes, hips and core that take load off the "
                      "hamstrings.",
                      2, "maintain", "steady",
                      ("glute_activation_warmup", "glute_bridge", "marching_bridge", "loop_band_glutes",
                       "core_stability", "foam_rolling"),
                      RETURN_TO_RUN),
            PhasePlan("stay_healthy", "Bring back speed, and stay healthy",
                      "Speed work and hills again, with strength work twice a week to keep it away.",
                      2, "maintain", "speed",
                      ("glute_activation_warmup", "ball_hamstring_curl", "hamstring_curls", "lunges",
                       "core_stability", "agility_drills"),
                      (), after_return_to_run=True),
        ),
    ),
    "tendinopathy": Plan(
        title="Hamstring tendon: load management, no speed or hills",
        what_it_is="an overloaded hamstring tendon (tendinopathy)",
        source="Goom 2016 (isometric, isotonic, heavier, then running); seed 000; seed 004",
        phases=(
            PhasePlan("calm", "Calm the tendon",
                      "Settle the tendon with static holds near a straight hip; easy runs only if they "
                      "stay comfortable.",
                      2, "protect", "easy",
                      ("isometric_bridge_hold", "isometric_heel_press", "loop_band_glutes", "core_stability",
                       "foam_rolling"),
                      ("holds-pain-low", "next-morning-settled")),
            PhasePlan("strength", "Build strength",
                      "Move the tendon through more range under load, a little more hip bend each week.",
                      4, "strength", "easy",
                      ("glute_bridge", "marching_bridge", "leg_raises", "hamstring_curls",
                       "isometric_bridge_hold", "core_stability"),
                      ("easy-runs-settled", "next-morning-settled")),
            PhasePlan("heavier", "Heavier and slower",
                      "Heavier, slower eccentric work and steady running.",
                      3, "load", "steady",
                      ("ball_hamstring_curl", "glute_bridge", "hamstring_curls", "lunges", "agility_drills",
                       "core_stability"),
                      RETURN_TO_RUN),
            PhasePlan("faster", "Faster running, still no hills",
                      "Strides back into your runs; speed work and hills come back only after this "
                      "programme, one session a week, if the next morning stays settled.",
                      3, "return", "strides",
                      ("glute_activation_warmup", "ball_hamstring_curl", "hamstring_curls", "lunges",
                       "agility_drills", "core_stability"),
                      (), after_return_to_run=True),
        ),
    ),
    "strain_low_grade": Plan(
        title="Low-grade hamstring strain: six weeks back to speed",
        what_it_is="a low-grade hamstring strain",
        source="Heiderscheit 2010 (phases and criteria); Askling 2013 (lengthening drills); "
               "Sherry & Best 2004; seed 000",
        phases=_strain_phases(1, 2, 2, foundation_running="easy", first_running="easy"),
    ),
    "strain": Plan(
        title="Hamstring strain: eight weeks, step by step",
        what_it_is="a hamstring strain",
        source="Heiderscheit 2010 (phases and criteria); Askling 2013 (lengthening drills); "
               "Sherry & Best 2004; seed 000",
        phases=_strain_phases(2, 2, 3, foundation_running="walk_jog", first_running="none"),
    ),
    "refer": Plan(
        title="See a clinician: safe self-care until you are seen",
        what_it_is="something a clinician should check",
        source="design.md §3 red flags; Subbu 2015",
        phases=(
            PhasePlan("until_seen", "Safe self-care until you are seen",
                      "Protect the leg and get seen, ideally within a few days.",
                      2, "self_care", "none",
                      ("relative_rest",),
                      ("seen-by-clinician",)),
        ),
    ),
}

CATEGORY_WORDS: dict[str, str] = {c: plan.what_it_is for c, plan in PLANS.items()}
SITE_WORDS: dict[str, str] = {
    "proximal": "at the top of the hamstring, near the sit bone",
    "mid": "in the middle of the hamstring",
    "distal": "at the bottom of the hamstring, behind the knee",
}
RUNNING_WORDS: dict[str, str] = {
    "keep_running": "You can keep running; stop if the pain increases.",
    "easy_only": "Easy running only: no speed work or hills, and stop if the pain rises.",
    "rest": "Rest from running for now and cross-train if it doesn't hurt.",
    "stop_and_see_clinician": "Stop running and see a clinician.",
}


# --- Care today, as reasons with sources. --------------------------------------------------------

@dataclass(frozen=True)
class CareItem:
    id: str
    when: str  # the condition in words, for the reviewer and the sources report
    applies: Callable[[Answers, Assessment], bool]
    text: str
    source: str


_RUNNING_TODAY = ("keep_running", "easy_only")

# Today's care, in the order the runner reads it.
CARE: tuple[CareItem, ...] = (
    CareItem("care-ice", "felt it happen within the last 72 hours",
             lambda a, s: s.acute_care,
             "Ice it now: 10 to 15 minutes wrapped in a towel, a few times a day, for up to 72 hours after "
             "it happened. Then switch to heat.",
             exercise("ice").source),
    CareItem("care-heat", "felt it happen more than 72 hours ago",
             lambda a, s: not s.acute_care and a.onset == "sudden" and a.days_since is not None,
             "It's more than 72 hours since it happened: use heat, not ice, before your exercises.",
             exercise("heat").source),
    CareItem("care-compression", "an injury you can run easy on",
             lambda a, s: s.running in _RUNNING_TODAY and s.category != "tightness",
             "On easy runs, a compression wrap on the thigh during or after the run can support it.",
             exercise("compression_wrap").source),
    CareItem("care-stop-if-worse", "running is allowed",
             lambda a, s: s.running in _RUNNING_TODAY,
             "If the pain increases while you run, stop and walk home.",
             "seed 000: 'if the pain increases, then it's time to stop'"),
    CareItem("care-foam-rolling-later", "felt it happen within the last 72 hours, no suspected severe tear",
             lambda a, s: s.acute_care and "suspected_severe_tear" not in s.red_flags,
             "Leave the sore spot alone for the first 72 hours. After that, foam roll the back of the thigh "
             "lightly for 10 to 15 minutes a day, or before and after runs.",
             exercise("foam_rolling").source + "; clinical judgement: not over a fresh injury"),
    CareItem("care-foam-rolling", "no suspected severe tear, and not in the first 72 hours",
             lambda a, s: not s.acute_care and "suspected_severe_tear" not in s.red_flags,
             "Foam roll the back of the thigh before and after runs, or for 10 to 15 minutes a day when you "
             "are not running. Roll lightly at first.",
             exercise("foam_rolling").source),
    CareItem("care-cross-training", "resting from running",
             lambda a, s: s.running == "rest",
             "Instead of running: swimming, cycling or gentle yoga, as long as it doesn't hurt.",
             exercise("swimming").source),
    CareItem("care-no-stretching", "tightness or tendinopathy",
             lambda a, s: s.category in ("tightness", "tendinopathy"),
             "Don't try to stretch it away: strength work fixes tight hamstrings, stretching into pain does "
             "not.",
             "seed 000: 'that doesn't fix the issue, but it can lead us straight in to an injury'; "
             "Goom 2016"),
    CareItem("care-sitting", "a tendinopathy at the sit bone",
             lambda a, s: s.category == "tendinopathy" and s.site == "proximal",
             "Sit on something soft and get up often: long sitting and deep hip bends press on a sore "
             "sit-bone tendon.",
             "Goom 2016: reduce compression early"),
    CareItem("care-until-seen", "referred to a clinician",
             lambda a, s: s.category == "refer",
             "Until you are seen: no running, no hamstring exercises and no stretching. Walk only as far as "
             "is comfortable.",
             exercise("relative_rest").source),
    CareItem("care-book-physio", "a physiotherapist is advised without a red flag",
             lambda a, s: s.see_professional and s.category != "refer",
             "Book a physiotherapist as well: they can check it and tailor this plan.",
             "seed 000: 'severe cases should seek physical therapy'; seed 004: 'refer to a professional "
             "therapist'"),
    CareItem("care-no-hard-stretching", "a strain",
             lambda a, s: s.category in ("strain", "strain_low_grade"),
             "Don't stretch the hamstring hard while it is weak: the lengthening drills, kept short of pain, "
             "do that job safely.",
             "Heiderscheit 2010: no end-range stretching while the muscle is weak"),
    CareItem("care-keep-it-up", "a strain",
             lambda a, s: s.category in ("strain", "strain_low_grade"),
             "More than 60% of runners who strain a hamstring do it again within a year, so keep the "
             "strength work going twice a week after this programme.",
             "seed 000: 'Over 60% of runners that strain their hamstring will do so again within the first "
             "year'"),
    CareItem("care-no-progress", "a programme (not a referral)",
             lambda a, s: s.category != "refer",
             "If you can't meet the first phase's move-on checks by its last week, book a physiotherapist.",
             "design.md §3: see a professional when there is no progress after the first phase"),
    CareItem("care-safety-net", "always",
             lambda a, s: True,
             "Get seen the same day if your calf or thigh swells, feels warm, or looks red or darker. Call "
             "the emergency number if you are short of breath or have chest pain.",
             "NHS patient information (deep vein thrombosis)"),
)


def _care_advice(answers: Answers, assessment: Assessment) -> tuple[Reason, ...]:
    return tuple(Reason(rule_id=item.id, text=item.text, source=item.source)
                 for item in CARE if item.applies(answers, assessment))


def _tell_the_clinician(answers: Answers, assessment: Assessment) -> tuple[str, ...]:
    if assessment.category != "refer" and not assessment.see_professional:
        return ()
    said = {"yes": "yes", "no": "no", "unsure": "not sure", "not_done": "not done"}
    lines = []
    if answers.location:
        lines.append(f"Where it hurts: {answers.location.replace('_', ' ')} ({SITE_WORDS[assessment.site]}).")
    if answers.onset:
        started = {None: "on a day not given", 0: "today", 1: "1 day ago"}.get(
            answers.days_since, f"{answers.days_since} days ago")
        lines.append(f"How it started: {answers.onset}, {started}.")
    for field, words in (("pop", "A snap or pop"), ("bruising", "Bruising"), ("gait_altered", "Limping"),
                         ("pain_walking", "Pain walking"),
                         ("nerve_symptoms", "Numbness, tingling or pain shooting below the knee"),
                         ("training_change", "Recent speed, hills or more mileage")):
        value = getattr(answers, field)
        if value is not None:
            lines.append(f"{words}: {said[value]}.")
    if answers.pain_score is not None:
        lines.append(f"Worst pain: {answers.pain_score} out of 10.")
    if assessment.red_flags:
        flags = ", ".join(flag.replace("_", " ") for flag in assessment.red_flags)
        lines.append(f"Why Hamstring Coach sent you: {flags}.")
    return tuple(lines)


# --- Building. -------------------------------------------------------------------------------------

def _capped(kind: str, cap: str) -> str:
    return kind if _RUN_ORDER.index(kind) <= _RUN_ORDER.index(cap) else cap


def _training_days(chosen: Sequence[str]) -> tuple[str, ...]:
    """The chosen weekdays, thinned to at most MAX_SESSIONS_PER_WEEK with days between first."""
    if len(chosen) <= MAX_SESSIONS_PER_WEEK:
        return tuple(chosen)
    picked: list[str] = []
    for day in chosen:
        if not picked or WEEKDAYS.index(day) - WEEKDAYS.index(picked[-1]) > 1:
            picked.append(day)
    for day in chosen:
        if len(picked) >= MAX_SESSIONS_PER_WEEK:
            break
        if day not in picked:
            picked.append(day)
    picked = picked[:MAX_SESSIONS_PER_WEEK]
    return tuple(d for d in WEEKDAYS if d in picked)


def _phases(category: str, assessment: Assessment) -> tuple[Phase, ...]:
    phases = []
    for index, plan in enumerate(PLANS[category].phases):
        running = plan.running
        if index == 0:
            # Today's advice decides the first phase; later phases are reached only through criteria.
            running = _capped(running, _CAP_FOR_ADVICE[assessment.running])
        own_words = plan.running_note and running == plan.running
        note = plan.running_note if own_words else RUNNING_NOTES[running][0]
        phases.append(Phase(
            id=plan.id, name=plan.name, goal=plan.goal, weeks=plan.weeks, running=running,
            running_note=note,
            prescriptions=tuple(exercise(e).prescribed(plan.stage) for e in plan.exercises),
            move_on_criteria=tuple(CRITERIA[c] for c in plan.move_on),
            after_return_to_run=plan.after_return_to_run,
        ))
    return tuple(phases)


def _sessions(phases: Sequence[Phase], preferences: Preferences) -> tuple[Session, ...]:
    start = preferences.start_date
    zone = preferences.zone
    days = set(_training_days(preferences.weekdays))
    sessions: list[Session] = []
    week = 0
    for phase in phases:
        for _ in range(phase.weeks):
            hard_session_done = False
            for offset in range(7):
                date = start + dt.timedelta(days=7 * week + offset)
                weekday = WEEKDAYS[date.weekday()]
                if weekday not in days:
                    continue
                running, note = phase.running, phase.running_note
                if running in SPEED_OR_HILLS or running == "strides":
                    # One demanding session a week; the others stay easy.
                    if hard_session_done:
                        running, note = "easy", RUNNING_NOTES["easy"][0]
                    hard_session_done = True
                if running == "walk_jog" and sessions and sessions[-1].running == "walk_jog" \
                        and sessions[-1].date == date - dt.timedelta(days=1):
                    running, note = "none", REST_DAY_BETWEEN_RUNS[0]
                title = f"Week {week + 1}: {phase.name}"
                if running != "none":
                    title += f", {RUNNING_LABELS[running]}"
                # On the day the clocks skip the chosen time it becomes an existing time on the same
                # date (01:30 -> 02:30 as RFC 5545 reads it; 23:30 -> 22:30 where the gap ends at
                # midnight), so the printout, the voice and every calendar app say the same, and
                # the session stays on the day its id names.
                starts = local_start(date, preferences.time, zone)
                sessions.append(Session(
                    id=f"w{week + 1:02d}-{weekday.lower()}", phase_id=phase.id, date=date,
                    start_time=f"{starts:%H:%M}", duration_minutes=preferences.session_minutes,
                    title=title, running=running, running_note=note,
                    prescriptions=phase.prescriptions, week=week + 1,
                ))
            week += 1
    return tuple(sessions)


def build_programme(answers: Answers, assessment: Assessment, preferences: Preferences,
                    revision: int = 1) -> Programme:
    """The dated programme for this assessment. `preferences` must be resolved (start_date set)."""
    if preferences.start_date is None:
        raise ValueError("preferences.start_date is not set; call preferences.resolved(now) first")
    plan = PLANS[assessment.category]
    phases = _phases(assessment.category, assessment)
    sessions = _sessions(phases, preferences)
    weeks = sum(p.weeks for p in phases)
    return Programme(
        revision=revision,
        category=assessment.category,
        title=plan.title,
        summary=_summary(assessment, preferences, weeks, sessions),
        timezone=preferences.timezone,
        phases=phases,
        sessions=sessions,
        care_advice=_care_advice(answers, assessment),
        tell_the_clinician=_tell_the_clinician(answers, assessment),
        start_date=preferences.start_date,
        weeks=weeks,
    )


def _summary(assessment: Assessment, preferences: Preferences, weeks: int,
             sessions: Sequence[Session]) -> str:
    start = preferences.start_date
    chosen = preferences.weekdays
    used = _training_days(chosen)
    day_names = ", ".join(_DAY_NAMES[d] for d in used)
    parts = [
        f"Most likely {CATEGORY_WORDS[assessment.category]}, {SITE_WORDS[assessment.site]}.",
        RUNNING_WORDS[assessment.running],
        f"{weeks} weeks from {start:%A} {start.day} {start:%B %Y}: {len(sessions)} sessions, on "
        f"{day_names} at {preferences.time} ({preferences.timezone}).",
    ]
    if len(used) < len(chosen):
        parts.append(f"You offered {len(chosen)} days; the plan uses {len(used)} so the hamstring gets rest "
                     "days to get stronger.")
    if assessment.category == "refer":
        parts.append("Please book a clinician now, ideally within a few days.")
    elif assessment.see_professional:
        parts.append("Book a physiotherapist as well.")
    return " ".join(parts)


_DAY_NAMES = dict(zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
                                 "Sunday"), strict=True))


def next_session(programme: Programme, on_or_after: dt.date) -> Session | None:
    """The first session on or after this local date, or None once the programme is over."""
    return next((s for s in programme.sessions if s.date >= on_or_after), None)
