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

from rehab import rules
from rehab.exercises import exercise
from rehab.models import (
    FAST_RUNNING,
    WEEKDAYS,
    Answers,
    Assessment,
    Criterion,
    Gate,
    Phase,
    Preferences,
    Programme,
    Reason,
    RunTrack,
    Session,
    local_start,
)

# --- Criteria to move on, each with the yes/no question the voice and the page ask. --------------

_SAFE = rules.SAFE_PAIN_MAX.value
BRISK_WALK_MINUTES = 30  # clinic handouts: the walk-run starts once a brisk 30-minute walk is pain-free
_C = Criterion
CRITERIA: dict[str, Criterion] = {c.id: c for c in (
    _C(id="walks-normally-pain-free", text="You walk with a normal stride and no pain.",
       question="Can you walk at a normal stride with no pain?",
       source="Heiderscheit 2010 phase criteria"),
    _C(id="slow-jog-pain-free", text="A very slow jog feels pain-free.",
       question="Does a very slow jog, a few steps, feel pain-free?",
       source="Heiderscheit 2010 phase criteria"),
    _C(id="knee-bend-pain-free",
       text="Pressing your heel down hard with the knee bent (the heel press hold at full effort) is "
            "pain-free.",
       question="Is the heel press hold pain-free when you push as hard as you can?",
       source="Heiderscheit 2010: pain-free resisted knee bend at 90 degrees"),
    _C(id="strength-pain-free",
       text="Bridges, ball curls and the Diver are pain-free at full effort.",
       question="Are bridges, ball curls and the Diver pain-free at full effort?",
       source="Heiderscheit 2010 phase criteria; Askling 2013"),
    _C(id="holds-pain-low", text=f"Pain during the holds stays at {rules.out_of_ten(_SAFE)} or less.",
       question=f"During the holds, does the pain stay at {rules.out_of_ten(_SAFE)} or less?",
       source="Goom 2016 pain monitoring (0-3/10 safe)"),
    _C(id="next-morning-settled",
       text="The morning after exercise or a run, it is no worse than the morning before.",
       question="The morning after a session, is it no worse than the morning before?",
       source="Goom 2016: the 24-hour response matters most"),
    _C(id="easy-runs-settled",
       text=f"Easy runs stay at {rules.out_of_ten(_SAFE)} or less and settle by the next morning.",
       question=f"Do your runs stay at {rules.out_of_ten(_SAFE)} or less, and settle by the next morning?",
       source="Goom 2016 pain monitoring; seed 004 pain-scale rule"),
    _C(id="brisk-walk-pain-free",
       text=f"A brisk {BRISK_WALK_MINUTES}-minute walk is pain-free and you don't limp.",
       question=f"Can you walk briskly for {BRISK_WALK_MINUTES} minutes with no pain and no limp?",
       source="clinical-basis.md, graded walk-run: clinic handouts (start once a brisk 30-minute walk "
              "is pain-free and limp-free)"),
    _C(id="return-moves-as-well", text="Your sore leg moves as well as the other one.",
       question="Does your sore leg move as well as the other one?",
       source="seed 000: 'Move your injured leg as well as your healthy one'"),
    _C(id="return-as-strong", text="Your sore leg feels as strong as the other one.",
       question="Does your sore leg feel as strong as the other one?",
       source="seed 000: 'You leg feels as strong as your healthy one'"),
    _C(id="return-zero-pain-progression",
       text="Zero pain as you progress from walking, to jogging, to sprinting, and finally jumping.",
       question="Are walking, jogging, continuous running and a few gentle hops all completely pain-free?",
       source="seed 000: 'You feel zero pain when you graduate from walking, jogging, sprinting, and "
              "finally jumping over time'; clinical judgement: sprinting is built up after this check, "
              "through strides, so the check asks up to running and hops"),
    _C(id="seen-by-clinician",
       text="A clinician has seen it and told you what you can load. Then ask Hamstring Coach for a new "
            "programme.",
       question="Has a clinician seen your leg?",
       source="design.md §3 (refer: only safe self-care until seen); Subbu 2015"),
)}

# The seeds' return-to-run criteria: speed and hills only in a phase that follows them.
RETURN_TO_RUN: tuple[str, ...] = ("return-moves-as-well", "return-as-strong", "return-zero-pain-progression")
HEIDERSCHEIT_PHASE_II: tuple[str, ...] = (
    "walks-normally-pain-free", "slow-jog-pain-free", "knee-bend-pain-free",
)
WALK_RUN_START: tuple[str, ...] = ("brisk-walk-pain-free",)

# --- Running, in the runner's words. ---------------------------------------------------------------

_ACCEPTABLE = rules.ACCEPTABLE_PAIN_MAX.value
# The one pain rule, as a running note says it (rehab.adaptation.PAIN_RULE holds it in full).
STOP_RULE = (f"Stop and walk if the pain goes above {rules.out_of_ten(_ACCEPTABLE)}; "
             f"up to {rules.out_of_ten(_SAFE)} is fine.")
RUNNING_NOTES: dict[str, tuple[str, str]] = {
    "none": ("No running. Cross-train instead if it doesn't hurt: swimming, cycling or yoga.",
             "seed 000: 'switch to a cross training activity, like swimming or cycling'"),
    "walk_jog": ("Walk-run on level ground, at the stage your coach has reached. Keep a rest day between "
                 "runs. " + STOP_RULE,
                 "clinical-basis.md, graded walk-run (Trials 2023 protocol; clinic handouts); "
                 "van der Horst 2017"),
    "easy": ("Easy run at a chatting pace. No speed work, no hills. " + STOP_RULE,
             "seed 000: 'try an easy run'; seed 004: 'definitely avoid speed and hills'; Goom 2016 "
             "pain monitoring"),
    "steady": ("Your usual steady running, still without speed work, strides or hills. " + STOP_RULE,
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
    "No run today: a rest day between walk-runs lets the leg answer. Cross-train if you like.",
    "van der Horst 2017: a rest day between runs in a graded run-walk",
)
RUNNING_LABELS: dict[str, str] = {
    "none": "no running", "walk_jog": "walk-run", "easy": "easy run", "steady": "steady run",
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


# --- The graded walk-run ladder. ------------------------------------------------------------------

@dataclass(frozen=True)
class LadderStage:
    """One step of the return to running. Its words are made from its numbers."""

    stage: int
    run_minutes: int
    walk_minutes: int
    repeats: int
    source: str

    @property
    def continuous(self) -> bool:
        return self.walk_minutes == 0

    @property
    def text(self) -> str:
        if self.continuous:
            what = f"{self.run_minutes} minutes of continuous easy running"
        else:
            what = (f"run {self.run_minutes} min, walk {self.walk_minutes} min, {self.repeats} times "
                    f"({(self.run_minutes + self.walk_minutes) * self.repeats} minutes)")
        return (f"Walk-run stage {self.stage} of {len(LADDER)}: {what}, on level ground, at a chatting "
                f"pace. " + STOP_RULE)


_LADDER_SOURCE = ("clinical-basis.md, graded walk-run: Trials 2023 protocol (short run/walk intervals to "
                  "continuous running, level ground) and clinic handouts; the minutes are a synthesis "
                  "awaiting a clinician's sign-off")
LADDER: tuple[LadderStage, ...] = (
    LadderStage(stage=1, run_minutes=1, walk_minutes=2, repeats=6, source=_LADDER_SOURCE),
    LadderStage(stage=2, run_minutes=2, walk_minutes=2, repeats=5, source=_LADDER_SOURCE),
    LadderStage(stage=3, run_minutes=3, walk_minutes=1, repeats=5, source=_LADDER_SOURCE),
    LadderStage(stage=4, run_minutes=5, walk_minutes=1, repeats=4, source=_LADDER_SOURCE),
    LadderStage(stage=5, run_minutes=10, walk_minutes=1, repeats=2, source=_LADDER_SOURCE),
    LadderStage(stage=6, run_minutes=20, walk_minutes=0, repeats=1, source=_LADDER_SOURCE),
)


def ladder_stage(number: int) -> LadderStage:
    return LADDER[number - 1]


# --- The programmes, one list of phases per category. --------------------------------------------

@dataclass(frozen=True)
class PhasePlan:
    id: str
    name: str
    goal: str
    weeks: int  # the minimum length: its gate check-in is dated when it is reached
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


def _strain_phases(*, calm_weeks: int, foundation_weeks: int, loading_weeks: int,
                   calm_running: str) -> tuple[PhasePlan, ...]:
    return (
        PhasePlan(id="calm", name="Calm it down",
                  goal="Settle the pain and start gentle, pain-free hamstring work.",
                  weeks=calm_weeks, stage="protect", running=calm_running,
                  exercises=("isometric_heel_press", "glute_bridge", "askling_extender", "core_stability",
                             "loop_band_glutes"),
                  move_on=HEIDERSCHEIT_PHASE_II),
        PhasePlan(id="foundations", name="Strength foundations",
                  goal="Build hamstring, glute and trunk strength; bring back easy running through the "
                       "walk-run.",
                  weeks=foundation_weeks, stage="strength", running="easy",
                  exercises=("glute_bridge", "marching_bridge", "ball_hamstring_curl", "askling_extender",
                             "askling_diver", "agility_drills"),
                  move_on=("strength-pain-free", "next-morning-settled")),
        PhasePlan(id="loading", name="Eccentric loading and return to running",
                  goal="Lengthening strength and steady running, from walking to jogging to running.",
                  weeks=loading_weeks, stage="load", running="steady",
                  exercises=("ball_hamstring_curl", "hamstring_curls", "lunges", "askling_glider",
                             "agility_drills", "core_stability"),
                  move_on=RETURN_TO_RUN,
                  running_note="Build up to steady running on level ground: no speed work, strides or "
                               "hills yet. " + STOP_RULE),
        PhasePlan(id="back_to_speed", name="Back to speed, and stay healthy",
                  goal="Bring back faster running; keep the strength that stops it coming back.",
                  weeks=1, stage="return", running="speed",
                  exercises=("glute_activation_warmup", "nordic_lowers", "ball_hamstring_curl",
                             "agility_drills", "core_stability"),
                  move_on=(), after_return_to_run=True),
    )


PLANS: dict[str, Plan] = {
    "tightness": Plan(
        title="Tight hamstrings: strength alongside your running",
        what_it_is="tight hamstrings",
        source="seed 000 'Resolve Hamstring Tightness' (pre-hab: glutes, core and hips)",
        phases=(
            PhasePlan(id="prehab", name="Strength alongside your running",
                      goal="Keep running while building the glutes, hips and core that take load off the "
                           "hamstrings.",
                      weeks=2, stage="maintain", running="steady",
                      exercises=("glute_activation_warmup", "glute_bridge", "marching_bridge",
                                 "loop_band_glutes", "core_stability", "foam_rolling"),
                      move_on=RETURN_TO_RUN),
            PhasePlan(id="stay_healthy", name="Bring back speed, and stay healthy",
                      goal="Speed work and hills again, with strength work twice a week to keep it away.",
                      weeks=2, stage="maintain", running="speed",
                      exercises=("glute_activation_warmup", "ball_hamstring_curl", "hamstring_curls",
                                 "lunges", "core_stability", "agility_drills"),
                      move_on=(), after_return_to_run=True),
        ),
    ),
    "tendinopathy": Plan(
        title="Hamstring tendon: load management, no speed or hills",
        what_it_is="an overloaded hamstring tendon (tendinopathy)",
        source="Goom 2016 (isometric, isotonic, heavier, then running); seed 000; seed 004",
        phases=(
            PhasePlan(id="calm", name="Calm the tendon",
                      goal="Settle the tendon with static holds near a straight hip; easy runs only if they "
                           "stay comfortable.",
                      weeks=2, stage="protect", running="easy",
                      exercises=("isometric_bridge_hold", "isometric_heel_press", "loop_band_glutes",
                                 "core_stability", "foam_rolling"),
                      move_on=("holds-pain-low", "next-morning-settled")),
            PhasePlan(id="strength", name="Build strength",
                      goal="Move the tendon through more range under load, a little more hip bend each "
                           "week.",
                      weeks=4, stage="strength", running="easy",
                      exercises=("glute_bridge", "marching_bridge", "leg_raises", "hamstring_curls",
                                 "isometric_bridge_hold", "core_stability"),
                      move_on=("easy-runs-settled", "next-morning-settled")),
            PhasePlan(id="heavier", name="Heavier and slower",
                      goal="Heavier, slower eccentric work and steady running.",
                      weeks=3, stage="load", running="steady",
                      exercises=("ball_hamstring_curl", "glute_bridge", "hamstring_curls", "lunges",
                                 "agility_drills", "core_stability"),
                      move_on=RETURN_TO_RUN),
            PhasePlan(id="faster", name="Faster running, still no hills",
                      goal="Strides back into your runs; speed work and hills come back only after this "
                           "programme, one session a week, if the next morning stays settled.",
                      weeks=3, stage="return", running="strides",
                      exercises=("glute_activation_warmup", "ball_hamstring_curl", "hamstring_curls",
                                 "lunges", "agility_drills", "core_stability"),
                      move_on=(), after_return_to_run=True),
        ),
    ),
    "strain_low_grade": Plan(
        title="Low-grade hamstring strain: six weeks back to speed",
        what_it_is="a low-grade hamstring strain",
        source="Heiderscheit 2010 (phases and criteria); Askling 2013 (lengthening drills); "
               "Sherry & Best 2004; seed 000",
        phases=_strain_phases(calm_weeks=1, foundation_weeks=2, loading_weeks=2, calm_running="easy"),
    ),
    "strain": Plan(
        title="Hamstring strain: eight weeks, step by step",
        what_it_is="a hamstring strain",
        source="Heiderscheit 2010 (phases and criteria); Askling 2013 (lengthening drills); "
               "Sherry & Best 2004; seed 000",
        phases=_strain_phases(calm_weeks=2, foundation_weeks=2, loading_weeks=3, calm_running="none"),
    ),
    "refer": Plan(
        title="See a clinician: safe self-care until you are seen",
        what_it_is="something a clinician should check",
        source="design.md §3 red flags; Subbu 2015",
        phases=(
            PhasePlan(id="until_seen", name="Safe self-care until you are seen",
                      goal="Protect the leg and get seen, ideally within a few days.",
                      weeks=2, stage="self_care", running="none",
                      exercises=("relative_rest",),
                      move_on=("seen-by-clinician",)),
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
# A referral's pack holds only what is safe on an injury no clinician has examined yet: nothing that
# works the hamstring (no foam rolling, no heat before exercises), so nothing contradicts "no hamstring
# exercises until you are seen".
_NOT_REFERRED = "not referred (a clinician decides the self-care of an injury they have not yet seen)"
_NOT_FOR_A_REFERRAL = "; not for a referral: " + rules.awaiting_review("clinical judgement")
_BRUISING_DAYS = rules.days_in_words(rules.BRUISING_SHOWS_DAYS.value)

# Today's care, in the order the runner reads it.
CARE: tuple[CareItem, ...] = (
    CareItem("care-ice", "felt it happen within the last 72 hours",
             lambda a, s: s.acute_care,
             "Ice it now: 10 to 15 minutes wrapped in a towel, a few times a day, for up to 72 hours after "
             "it started. Then switch to heat.",
             exercise("ice").source),
    CareItem("care-watch-for-bruising",
             f"a snap or pop (or not sure) away from the sit bone, no bruising or limp yet, within "
             f"{_BRUISING_DAYS} of it; {_NOT_REFERRED}",
             lambda a, s: s.category != "refer" and rules.watch_for_bruising(a.model_dump()),
             f"Bruising can take up to {_BRUISING_DAYS} to show after a pop. Check the back of your thigh "
             "each day: if bruising or a limp appears, stop the exercises and see a clinician within days.",
             "clinical-basis.md, Avulsion: bruising 'may take 3-7 days to appear', and a pop with bruising "
             "or a limp needs a clinician within days (Subbu 2015)"),
    CareItem("care-heat",
             f"felt it happen (or not sure how it started) more than 72 hours ago; {_NOT_REFERRED}",
             lambda a, s: (not s.acute_care and s.category != "refer" and a.onset in ("sudden", rules.UNSURE)
                           and a.days_since is not None),
             "It's more than 72 hours since it started: use heat, not ice, before your exercises.",
             exercise("heat").source + _NOT_FOR_A_REFERRAL),
    CareItem("care-compression", "an injury you can run easy on",
             lambda a, s: s.running in _RUNNING_TODAY and s.category != "tightness",
             "On easy runs, a compression wrap on the thigh during or after the run can support it.",
             exercise("compression_wrap").source),
    CareItem("care-stop-if-worse", "running is allowed",
             lambda a, s: s.running in _RUNNING_TODAY,
             "If the pain increases while you run, stop and walk home.",
             "seed 000: 'if the pain increases, then it's time to stop'"),
    CareItem("care-foam-rolling-later", f"felt it happen within the last 72 hours; {_NOT_REFERRED}",
             lambda a, s: s.acute_care and s.category != "refer",
             "Leave the sore spot alone for the first 72 hours. After that, foam roll the back of the thigh "
             "lightly for 10 to 15 minutes a day, or before and after runs.",
             exercise("foam_rolling").source + "; clinical judgement: not over a fresh injury"
             + _NOT_FOR_A_REFERRAL),
    CareItem("care-foam-rolling", f"not in the first 72 hours; {_NOT_REFERRED}",
             lambda a, s: not s.acute_care and s.category != "refer",
             "Foam roll the back of the thigh before and after runs, or for 10 to 15 minutes a day when you "
             "are not running. Roll lightly at first.",
             exercise("foam_rolling").source + _NOT_FOR_A_REFERRAL),
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
             "Between 12 and 33 in 100 runners who strain a hamstring strain it again within a year, so keep "
             "the strength work going twice a week after this programme.",
             "van der Horst 2017 (BJSM 51:1583): 12-33% reinjure within a year (seed 000's 'over 60%' is "
             "higher than the reviewed figure)"),
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
        onset = said.get(answers.onset, answers.onset)
        lines.append(f"How it started: {onset}, {started}.")
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
    if any(value == rules.UNSURE for value in answers.model_dump().values()):
        lines.append("Answers marked \"not sure\" were read as the more cautious answer.")
    return tuple(lines)


# --- Building. -------------------------------------------------------------------------------------
#
# A programme is gated, not dated (design.md §3): only the current phase's sessions are dated, and
# running only at the current walk-run stage. The next phase shows as a gate check-in on the first
# training day once the current phase's minimum length is reached; its sessions are dated only once
# the runner confirms its criteria (rehab.adaptation). Phases that follow the return-to-run criteria
# (speed, hills, strides) are not even listed until those criteria are confirmed.

# After a "no" at a gate, or while a gate waits for its answers, the current phase goes on this
# many days before the gate asks again. Clinical judgement: a week, as the phases are counted.
GATE_RECHECK_DAYS = 7
_DAY = dt.timedelta(days=1)


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


def training_day_on_or_after(day: dt.date, preferences: Preferences) -> dt.date:
    """The first of the runner's training days on or after `day`."""
    days = set(_training_days(preferences.weekdays))
    while WEEKDAYS[day.weekday()] not in days:
        day += _DAY
    return day


def _phase(plan: PhasePlan, running: str) -> Phase:
    own_words = plan.running_note and running == plan.running
    return Phase(
        id=plan.id, name=plan.name, goal=plan.goal, weeks=plan.weeks, running=running,
        running_note=plan.running_note if own_words else RUNNING_NOTES[running][0],
        prescriptions=tuple(exercise(e).prescribed(plan.stage) for e in plan.exercises),
        move_on_criteria=tuple(CRITERIA[c] for c in plan.move_on),
        after_return_to_run=plan.after_return_to_run,
    )


def all_phases(category: str, advice: str) -> tuple[Phase, ...]:
    """Every phase of the category's programme. Today's running advice caps the first phase; later
    phases are reached only through their gates."""
    cap = _CAP_FOR_ADVICE[advice]
    return tuple(_phase(plan, _capped(plan.running, cap) if index == 0 else plan.running)
                 for index, plan in enumerate(PLANS[category].phases))


def shown_phases(phases: Sequence[Phase], current_phase_id: str) -> tuple[Phase, ...]:
    """The phases a runner may see: those after the return-to-run criteria only once they are
    confirmed (the current phase is one of them), so speed and hills appear nowhere before."""
    current = next(p for p in phases if p.id == current_phase_id)
    return tuple(p for p in phases if not p.after_return_to_run or current.after_return_to_run)


def phase_index(category: str, phase_id: str) -> int:
    return next(i for i, plan in enumerate(PLANS[category].phases) if plan.id == phase_id)


def first_run_track(category: str, advice: str) -> RunTrack:
    """Running from the start only when today's advice allows it and the first phase has any; otherwise
    it comes back through the walk-run ladder."""
    first = PLANS[category].phases[0]
    allowed = _capped(first.running, _CAP_FOR_ADVICE[advice])
    return "running" if allowed != "none" else "resting"


def make_gate(category: str, index: int, run_track: RunTrack, date: dt.date) -> Gate | None:
    """The check-in that closes phase `index`, dated `date`; None after the last phase."""
    plans = PLANS[category].phases
    this = plans[index]
    if category == "refer":
        return Gate(date=date, phase_id=this.id, opens_phase_id=None,
                    criteria=tuple(CRITERIA[c] for c in this.move_on))
    if index == len(plans) - 1:
        return None
    after = plans[index + 1]
    ids, opens, starts_walk_run = list(this.move_on), after.id, False
    if run_track == "resting" and (this.running != "none" or after.running != "none"):
        # Running comes back through the walk-run, which starts once a brisk walk is pain-free; the
        # return-to-run criteria cannot be met before it, so they wait for a later gate.
        ids = [c for c in ids if c not in RETURN_TO_RUN] + list(WALK_RUN_START)
        starts_walk_run = True
        if after.after_return_to_run:
            opens = this.id  # start the walk-run within this phase
    return Gate(date=date, phase_id=this.id, opens_phase_id=opens,
                criteria=tuple(CRITERIA[c] for c in ids), starts_walk_run=starts_walk_run,
                return_to_run=opens == after.id and after.after_return_to_run)


def gate_item(gate: Gate, programme: Programme, preferences: Preferences) -> Session:
    """The gate as a dated check-in, for the calendar, the page, the printout and the voice."""
    phase = next(p for p in programme.phases if p.id == gate.phase_id)
    starts = local_start(gate.date, preferences.time, preferences.zone)
    return Session(
        id=f"gate-{gate.phase_id}", phase_id=gate.phase_id, date=gate.date, start_time=f"{starts:%H:%M}",
        duration_minutes=preferences.session_minutes, kind="gate", criteria=gate.criteria,
        title=f"Check-in: ready to move on from {phase.name}?", running="none",
        running_note="Answer yes or no to each check; the next phase is dated once every answer is yes.",
        prescriptions=(), week=_week(programme, gate.date),
    )


def _week(programme: Programme, date: dt.date) -> int:
    origin = programme.start_date or date
    return max(1, (date - origin).days // 7 + 1)


def _running_for(programme: Programme, plan: PhasePlan, phase: Phase) -> tuple[str, str, int | None]:
    """What this phase's sessions run, given how far running has come back."""
    if plan.running == "none" or programme.run_track == "resting":
        return "none", RUNNING_NOTES["none"][0], None
    if programme.run_track == "ladder":
        stage = programme.ladder_stage or 1
        return "walk_jog", ladder_stage(stage).text, stage
    if programme.run_track == "cleared":  # through the walk-run: this phase's own running
        note = plan.running_note or RUNNING_NOTES[plan.running][0]
        return plan.running, note, None
    return phase.running, phase.running_note, None


WALK_ONLY = "Walk only today, no running: a step back for two or three days, then we try again."


def _stepped_down(running: str, note: str, stage: int | None) -> tuple[str, str, int | None]:
    """One level less running: the previous walk-run stage, or a notch easier."""
    if running == "walk_jog":
        if stage and stage > 1:
            return "walk_jog", ladder_stage(stage - 1).text, stage - 1
        return "none", WALK_ONLY, None
    if running == "easy":
        last_intervals = LADDER[-2].stage
        return "walk_jog", ladder_stage(last_intervals).text, last_intervals
    if running in ("steady", *FAST_RUNNING):
        return "easy", RUNNING_NOTES["easy"][0], None
    return running, note, None


def stepped_back_prescriptions(programme: Programme, phase: Phase):
    """The exercises of a step back (clinical-basis.md, flares): isometrics for a tendon, the previous
    phase's dose after the first phase, otherwise one set fewer."""
    from rehab.exercises import fewer

    plans = PLANS[programme.category].phases
    index = phase_index(programme.category, phase.id)
    if programme.category == "tendinopathy" and index > 0:
        return _phase(plans[0], "none").prescriptions
    if index > 0:
        return _phase(plans[index - 1], "none").prescriptions
    return tuple(fewer(p) for p in phase.prescriptions)


def firm_sessions(programme: Programme, preferences: Preferences, *, after: dt.date) -> tuple[Session, ...]:
    """The current phase's sessions dated after `after` and before the phase's end, then its gate
    check-in. While a gate waits for its answers, the phase goes on a week at a time. Ids are the
    programme week and weekday; `revise_sessions` keeps them unique across revisions."""
    plan = PLANS[programme.category].phases[phase_index(programme.category, programme.current_phase_id)]
    phase = next(p for p in programme.phases if p.id == programme.current_phase_id)
    gate = programme.pending_gate
    end = programme.phase_ends
    if gate is not None and gate.date <= after:
        end = after + dt.timedelta(days=GATE_RECHECK_DAYS + 1)
    kept = [s for s in programme.sessions if s.kind == "session" and s.date <= after]
    previous = kept[-1] if kept else None
    demanding_weeks = {s.week for s in kept if s.running in FAST_RUNNING}
    days = set(_training_days(preferences.weekdays))
    base_running = _running_for(programme, plan, phase)
    stepped = stepped_back_prescriptions(programme, phase) if programme.step_back_until else ()
    sessions: list[Session] = []
    date = max(after + _DAY, programme.phase_started or after + _DAY)
    while end is not None and date < end:
        weekday = WEEKDAYS[date.weekday()]
        if weekday in days:
            week = _week(programme, date)
            running, note, stage = base_running
            prescriptions = phase.prescriptions
            step_back = programme.step_back_until is not None and date <= programme.step_back_until
            if step_back:
                running, note, stage = _stepped_down(running, note, stage)
                prescriptions = stepped
            if running in FAST_RUNNING:
                # One demanding session a week; the others stay easy.
                if week in demanding_weeks:
                    running, note = "easy", RUNNING_NOTES["easy"][0]
                demanding_weeks.add(week)
            if running == "walk_jog" and previous is not None and previous.running == "walk_jog" \
                    and previous.date == date - _DAY:
                running, note, stage = "none", REST_DAY_BETWEEN_RUNS[0], None
            title = f"Week {week}: {phase.name}"
            if running != "none":
                title += f", {RUNNING_LABELS[running]}"
            if step_back:
                title += " (step back)"
            # On the day the clocks skip the chosen time it becomes an existing time on the same
            # date (01:30 -> 02:30 as RFC 5545 reads it; 23:30 -> 22:30 where the gap ends at
            # midnight), so the printout, the voice and every calendar app say the same, and
            # the session stays on the day its id names.
            starts = local_start(date, preferences.time, preferences.zone)
            previous = Session(
                id=f"w{week:02d}-{weekday.lower()}", phase_id=phase.id, date=date,
                start_time=f"{starts:%H:%M}", duration_minutes=preferences.session_minutes,
                title=title, running=running, running_note=note, prescriptions=prescriptions, week=week,
                ladder_stage=stage if running == "walk_jog" else None, step_back=step_back,
            )
            sessions.append(previous)
        date += _DAY
    if gate is not None and gate.date > after:
        sessions.append(gate_item(gate, programme, preferences))
    return tuple(sessions)


def revise_sessions(old: Programme | None, desired: Sequence[Session], *, frozen_through: dt.date,
                    revision: int,
                    replace_all: bool = False) -> tuple[tuple[Session, ...], tuple[Session, ...]]:
    """The sessions and cancellations of a new revision (design.md §3, revisions). Sessions dated on
    or before `frozen_through` never change. A future session on the same day (a gate: the same
    gate slot) keeps its id, and its sequence unless its content changed (then +1); an old future
    session no longer wanted moves to `cancelled` with its sequence +1; a new one gets a new id,
    never one used before. `replace_all` (a different programme on the same plan) cancels every old
    future session and dates the new ones under new ids."""
    old_sessions = old.sessions if old is not None else ()
    old_cancelled = old.cancelled if old is not None else ()
    kept = [s for s in old_sessions if s.date <= frozen_through]
    future = {_slot(s): s for s in old_sessions if s.date > frozen_through}
    used = {s.id for s in (*old_sessions, *old_cancelled)}
    revised: list[Session] = []
    for wanted in desired:
        assert wanted.date > frozen_through, "a revision never dates a session in the past"
        prior = None if replace_all else future.pop(_slot(wanted), None)
        if prior is not None:
            same = wanted.model_copy(update={"id": prior.id, "sequence": prior.sequence})
            changed = same.model_copy(update={"sequence": prior.sequence + 1})
            revised.append(prior if same == prior else changed)
            continue
        new_id, n = wanted.id, 1
        while new_id in used:
            new_id = f"{wanted.id}-r{revision}" + (f"-{n}" if n > 1 else "")
            n += 1
        used.add(new_id)
        revised.append(wanted.model_copy(update={"id": new_id, "sequence": 0}))
    cancelled = (*old_cancelled,
                 *(s.model_copy(update={"sequence": s.sequence + 1}) for s in future.values()))
    sessions = sorted((*kept, *revised), key=lambda s: (s.date, s.kind == "gate"))
    return tuple(sessions), tuple(cancelled)


def _slot(session: Session) -> tuple:
    return ("gate",) if session.kind == "gate" else ("session", session.date)


def start_programme(category: str, *, advice: str, answers: Answers, assessment: Assessment,
                    preferences: Preferences, revision: int, origin: dt.date | None = None,
                    old: Programme | None = None, run_track: RunTrack | None = None) -> Programme:
    """The category's programme from `preferences.start_date`: its first phase dated, the rest gated.
    `origin` is the day week 1 starts (a clearance keeps the plan's own); `old` the programme this
    revises, whose sessions before the start never change."""
    start = preferences.start_date
    phases = all_phases(category, advice)
    first = phases[0]
    track = run_track or first_run_track(category, advice)
    minimum_end = start + dt.timedelta(weeks=first.weeks)
    gate = make_gate(category, 0, track, training_day_on_or_after(minimum_end, preferences))
    shell = Programme(
        revision=revision, category=category, title=PLANS[category].title, summary="",
        timezone=preferences.timezone, phases=shown_phases(phases, first.id),
        sessions=old.sessions if old is not None else (), cancelled=old.cancelled if old is not None else (),
        care_advice=_care_advice(answers, assessment),
        tell_the_clinician=_tell_the_clinician(answers, assessment),
        start_date=origin or start, weeks=sum(p.weeks for p in phases), current_phase_id=first.id,
        phase_started=start, phase_ends=gate.date if gate is not None else minimum_end, run_track=track,
        ladder_stage=1 if track == "ladder" else None, pending_gate=gate, greens_since=start,
    )
    frozen = start - _DAY
    kept_only = shell.model_copy(update={"sessions": tuple(s for s in shell.sessions if s.date <= frozen)})
    desired = firm_sessions(kept_only, preferences, after=frozen)
    sessions, cancelled = revise_sessions(old, desired, frozen_through=frozen, revision=revision,
                                          replace_all=old is not None)
    firm = tuple(s for s in sessions if s.date >= start and s.kind == "session")
    return shell.model_copy(update={
        "sessions": sessions, "cancelled": cancelled,
        "summary": _summary(assessment.model_copy(update={"category": category, "running": advice}),
                            preferences, shell.weeks, firm, gate),
    })


def build_programme(answers: Answers, assessment: Assessment, preferences: Preferences,
                    revision: int = 1) -> Programme:
    """The programme for this assessment: its first phase dated, each later phase behind its gate.
    `preferences` must be resolved (start_date set)."""
    if preferences.start_date is None:
        raise ValueError("preferences.start_date is not set; call preferences.resolved(now) first")
    return start_programme(assessment.category, advice=assessment.running, answers=answers,
                           assessment=assessment, preferences=preferences, revision=revision)


def _summary(assessment: Assessment, preferences: Preferences, weeks: int, sessions: Sequence[Session],
             gate: Gate | None) -> str:
    start = preferences.start_date
    chosen = preferences.weekdays
    used = _training_days(chosen)
    day_names = ", ".join(_DAY_NAMES[d] for d in used)
    parts = [
        f"Most likely {CATEGORY_WORDS[assessment.category]}, {SITE_WORDS[assessment.site]}.",
        RUNNING_WORDS[assessment.running],
        f"At least {weeks} weeks from {start:%A} {start.day} {start:%B %Y}: the first phase's "
        f"{len(sessions)} sessions, on {day_names} at {preferences.time} ({preferences.timezone}).",
    ]
    if gate is not None and gate.opens_phase_id is not None:
        parts.append(f"On {gate.date:%A} {gate.date.day} {gate.date:%B} a check-in asks whether you're ready "
                     "to move on; the next phase is dated once you are.")
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
    """The first training session on or after this local date (gate check-ins are `next_gate`'s), or
    None when nothing more is dated."""
    return next((s for s in programme.sessions if s.date >= on_or_after and s.kind == "session"), None)


def next_gate(programme: Programme) -> Gate | None:
    """The gate check-in the runner answers next (due once its date has come), or None."""
    return programme.pending_gate
