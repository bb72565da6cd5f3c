"""The coaching loop: what a check-in does to the programme (design.md §3, check-ins, gates,
revisions, clearance).

Rules are tables a physiotherapist can review, each row with a stable id, its words and its source:
- `PAIN_RULE`: the one pain rule for exercise and running (green, amber, red);
- `VERDICT_RULES`: what each verdict does to the load, and what the runner hears, in the order they
  are tried;
- `LIMITS`: every number those rules use, each saying whether it is a synthesis awaiting a
  clinician's sign-off;
- the walk-run `LADDER` and the gates' criteria with their spoken questions live with the rest of
  what is prescribed, in rehab.programme, and are listed here too.

`advance` and `clear_for_rehab` are pure: the same programme, check-ins and answers give the same
new revision. Sessions dated on or before the check-in's day never change; surviving sessions keep
their id; changed ones raise their sequence; removed ones move to `cancelled` with a raised
sequence; new ones get ids never used before (rehab.programme.revise_sessions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rehab import rules
from rehab.models import (
    Answers,
    Assessment,
    Category,
    CheckIn,
    Gate,
    Light,
    Preferences,
    Programme,
    Verdict,
)
from rehab.programme import BRISK_WALK_MINUTES as _BRISK_WALK_MINUTES
from rehab.programme import (
    CRITERIA,
    GATE_RECHECK_DAYS,
    LADDER,
    PLANS,
    all_phases,
    build_programme,
    firm_sessions,
    make_gate,
    next_session,
    phase_index,
    revise_sessions,
    start_programme,
    training_day_on_or_after,
)

__all__ = ["LADDER", "LIMITS", "PAIN_RULE", "VERDICT_RULES", "Outcome", "advance", "clear_for_rehab",
           "pain_light"]

_DAY = dt.timedelta(days=1)
_SYNTHESIS = ("clinical-basis.md, 'A proposal synthesised from the above' (Silbernagel 2007, Hickey 2020, "
              "Goom 2016 pain monitoring; flares in practice)")
_FLARES = "clinical-basis.md, flares in practice (apps and clinic handouts, practitioner level)"
_WALK_RUN = "clinical-basis.md, graded walk-run (Trials 2023 protocol; clinic handouts); van der Horst 2017"


# --- The numbers. ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limit:
    id: str
    value: int
    means: str
    source: str
    awaiting_sign_off: bool  # True: a synthesis or clinical judgement a clinician has not yet signed off


GREEN_PAIN_MAX = Limit(
    id="green_pain_max", value=rules.SAFE_PAIN_MAX.value,
    means="Highest pain (0-10) during a session, or the next morning, that still counts as green.",
    source=_SYNTHESIS, awaiting_sign_off=True)
AMBER_PAIN_MAX = Limit(
    id="amber_pain_max", value=rules.ACCEPTABLE_PAIN_MAX.value,
    means="Highest pain (0-10) that is amber (acceptable: repeat the same load); above it is red.",
    source=_SYNTHESIS, awaiting_sign_off=True)
CHECK_IN_SEVERE_PAIN = Limit(
    id="check_in_severe_pain", value=rules.SEVERE_PAIN_MIN.value,
    means="Pain (0-10) in a check-in that is a red-flag answer on its own, as in the triage.",
    source="design.md §3 red flags (severe pain); clinical judgement: the triage's threshold applies to a "
           "check-in too", awaiting_sign_off=True)
GREENS_TO_PROGRESS = Limit(
    id="greens_to_progress", value=2,
    means="Green sessions in a row, with a rest day between, before the load may move on.",
    source=f"{_FLARES}; {_WALK_RUN} (each stage at least twice)", awaiting_sign_off=True)
REST_DAYS_BETWEEN = Limit(
    id="rest_days_between", value=1,
    means="Days between two sessions for the second to count towards moving on.",
    source=_WALK_RUN, awaiting_sign_off=False)
STEP_BACK_DAYS = Limit(
    id="step_back_days", value=3,
    means="Days a step back lasts before the load is tried again (the sources say 2-3).",
    source=_FLARES, awaiting_sign_off=True)
FLARE_WINDOW_DAYS = Limit(
    id="flare_window_days", value=7,
    means="Days within which two red check-ins mean seeing a clinician.",
    source=_SYNTHESIS, awaiting_sign_off=True)
REDS_TO_SEE_CLINICIAN = Limit(
    id="reds_to_see_clinician", value=2,
    means="Red check-ins within the flare window that mean seeing a clinician.",
    source=_SYNTHESIS, awaiting_sign_off=True)
AWAY_DAYS = Limit(
    id="away_days", value=7,
    means="Days without a session after which the current week is repeated.",
    source="clinical-basis.md, missed sessions (no primary source named)", awaiting_sign_off=True)
BRISK_WALK_MINUTES = Limit(
    id="brisk_walk_minutes", value=_BRISK_WALK_MINUTES,
    means="Minutes of brisk walking, pain-free and limp-free, before the walk-run starts.",
    source=_WALK_RUN, awaiting_sign_off=False)
GATE_RECHECK = Limit(
    id="gate_recheck_days", value=GATE_RECHECK_DAYS,
    means="Days until a gate asks again after a 'no', a return after a break, or an unfinished walk-run.",
    source="clinical judgement: a week, as the phases are counted", awaiting_sign_off=True)

LIMITS: tuple[Limit, ...] = (
    GREEN_PAIN_MAX, AMBER_PAIN_MAX, CHECK_IN_SEVERE_PAIN, GREENS_TO_PROGRESS, REST_DAYS_BETWEEN,
    STEP_BACK_DAYS, FLARE_WINDOW_DAYS, REDS_TO_SEE_CLINICIAN, AWAY_DAYS, BRISK_WALK_MINUTES, GATE_RECHECK,
)

_G, _A = GREEN_PAIN_MAX.value, AMBER_PAIN_MAX.value


# --- The one pain rule. -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PainLight:
    id: str
    light: Light
    when: str
    source: str
    awaiting_sign_off: bool = True


PAIN_RULE: tuple[PainLight, ...] = (
    PainLight(id="pain-red", light="red",
              when=f"Pain above {rules.out_of_ten(_A)} during the session or the next morning; the next "
                   "morning worse than the morning before; a new limp; or swelling.",
              source=_SYNTHESIS),
    PainLight(id="pain-amber", light="amber",
              when=f"Pain of {_G + 1} to {rules.out_of_ten(_A)} during the session, or next-morning soreness "
                   f"of {_G + 1} to {_A} that is no worse than the morning before (soreness that settles; "
                   "clinical judgement on reading 'settles' from one morning's score).",
              source=_SYNTHESIS),
    PainLight(id="pain-green", light="green",
              when=f"Pain during the session at {rules.out_of_ten(_G)} or less, and the next morning at "
                   f"{_G} or less and no worse than the morning before.",
              source=_SYNTHESIS),
)
_LIGHT_RULE = {row.light: row for row in PAIN_RULE}


def pain_light(check_in: CheckIn, earlier: Sequence[CheckIn]) -> Light | None:
    """The check-in's light by PAIN_RULE, or None when it reports no session (missed, or a gate
    check-in only) or no pain at all. "The morning before" is the last next-morning score reported."""
    if check_in.session == "missed":
        return None
    if check_in.limp or check_in.swelling:
        return "red"
    during, morning = check_in.pain_during, check_in.pain_next_morning
    if during is None and morning is None:
        return None
    before = next((c.pain_next_morning for c in reversed(earlier) if c.pain_next_morning is not None), None)
    worse = morning is not None and before is not None and morning > before
    if worse or max(during or 0, morning or 0) > _A:
        return "red"
    if max(during or 0, morning or 0) > _G:
        return "amber"
    return "green"


def red_flag_answers(check_in: CheckIn) -> tuple[str, ...]:
    """The triage's red flags a check-in reports: a new pop, nerve symptoms, severe pain."""
    flags = []
    if check_in.pop:
        flags.append("suspected_severe_tear")
    if check_in.nerve_symptoms:
        flags.append("nerve_symptoms")
    if max(check_in.pain_during or 0, check_in.pain_next_morning or 0) >= CHECK_IN_SEVERE_PAIN.value \
            and not check_in.pop:
        flags.append("high_pain")
    return tuple(flags)


# --- What each verdict does, and what the runner hears. ---------------------------------------------

@dataclass(frozen=True)
class VerdictRule:
    id: str
    when: str
    verdict: Verdict
    does: str  # what it does to the load
    says: str  # what the runner hears; {day}, {gate_day}, {stage}, {phase}, {missing} filled in
    source: str
    awaiting_sign_off: bool = True


_STEP = rules.in_words(STEP_BACK_DAYS.value)
VERDICT_RULES: tuple[VerdictRule, ...] = (
    VerdictRule(
        id="red-flag-answer", verdict="see_clinician",
        when=f"A new snap or pop, numbness or tingling down the leg, or pain of "
             f"{rules.out_of_ten(CHECK_IN_SEVERE_PAIN.value)} or more.",
        does="The programme becomes safe self-care until a clinician has seen it (as a referral).",
        says="That needs a clinician to look at it: please book one in the next few days. Until then, no "
             "running and no hamstring exercises.",
        source="design.md §3 red flags; clinical-basis.md, red flags (Subbu 2015; Yale ICPCP)"),
    VerdictRule(
        id="two-reds-in-a-week", verdict="see_clinician",
        when=f"A red check-in with another red in the last {FLARE_WINDOW_DAYS.value} days.",
        does=f"Step back one level for {STEP_BACK_DAYS.value} days, and book a physiotherapist.",
        says=f"That's two bad days within {rules.days_in_words(FLARE_WINDOW_DAYS.value)}: please book a "
             f"physiotherapist. Until then, lighter sessions for {_STEP} days.",
        source=_SYNTHESIS + "; " + _FLARES),
    VerdictRule(
        id="red-step-back", verdict="regress",
        when="A red check-in.",
        does=f"Step back one level for {STEP_BACK_DAYS.value} days (one set fewer, the previous phase's "
             "exercises, isometrics for a tendon, the previous walk-run stage), then re-test the same load.",
        says=f"Let's step back for {_STEP} days: {{step_back}}. Then we try the same again on "
             "{retest_day}.",
        source=_SYNTHESIS + "; " + _FLARES),
    VerdictRule(
        id="away-repeat-week", verdict="hold",
        when=f"The first session check-in more than {AWAY_DAYS.value} days after the last session done (or "
             "the phase's start); a gate-only check-in does not count.",
        does="Repeat the current week: the phase, and its check-in, move a week later.",
        says=f"Welcome back. After more than {rules.days_in_words(AWAY_DAYS.value)} away we repeat this "
             "week. Next: {day}.",
        source="clinical-basis.md, missed sessions"),
    VerdictRule(
        id="gate-passed", verdict="progress",
        when="The gate is due and every one of its criteria is yes, on a green or gate-only check-in.",
        does="The next phase's sessions are dated from tomorrow.",
        says="All yes: {phase} starts on {day}.",
        source="design.md §3 (progression by criteria, never by date alone); Heiderscheit 2010",
        awaiting_sign_off=False),
    VerdictRule(
        id="gate-walk-run-starts", verdict="progress",
        when="The gate that starts the walk-run is due and every criterion is yes.",
        does="Running comes back at walk-run stage 1.",
        says="All yes: your walk-run starts on {day}, at stage 1.",
        source=_WALK_RUN, awaiting_sign_off=False),
    VerdictRule(
        id="gate-not-yet", verdict="hold",
        when="The gate is due and a criterion is no.",
        does=f"Stay in the phase; the gate asks again in {GATE_RECHECK.value} days.",
        says="Not yet, and that's fine: same phase, and I'll ask again on {gate_day}.",
        source="design.md §3; clinical judgement on when to ask again"),
    VerdictRule(
        id="gate-not-yet-first-phase", verdict="hold",
        when="The first phase's gate is due and a criterion is no.",
        does=f"Stay in the phase; the gate asks again in {GATE_RECHECK.value} days; book a physiotherapist.",
        says="Not yet: same phase, and I'll ask again on {gate_day}. As it hasn't come by the end of the "
             "first phase, please book a physiotherapist to check it.",
        source=_FLARES + " (no progress by the end of the first phase)"),
    VerdictRule(
        id="gate-walk-run-unfinished", verdict="hold",
        when="The return-to-run gate is answered yes before the walk-run is finished.",
        does=f"Stay in the phase; the gate asks again in {GATE_RECHECK.value} days.",
        says="Nearly there: finish the walk-run first. I'll ask again on {gate_day}.",
        source=_WALK_RUN + "; design.md §3 (speed only after the return-to-run criteria)"),
    VerdictRule(
        id="gate-unanswered", verdict="hold",
        when="The gate is due and some criteria are yes, but not all are answered.",
        does="Nothing changes until every criterion is answered.",
        says="Thanks. Before we move on I still need to know: {missing}",
        source="design.md §3", awaiting_sign_off=False),
    VerdictRule(
        id="gate-amber", verdict="hold",
        when="The gate is answered all yes, but the session was amber.",
        does="Same load; the gate stays due and is asked again at the next check-in.",
        says="Your checks are all yes, but today was a bit sore: same load again on {day}, and I'll ask "
             "again then.",
        source=_SYNTHESIS),
    VerdictRule(
        id="gate-after-step-back", verdict="hold",
        when="The gate is answered all yes during a step back.",
        does="The step back and its re-test come first; the gate stays due.",
        says="Your checks are all yes, but we're stepping back for a few days: let's re-test the load first, "
             "and I'll ask again after that.",
        source=_FLARES + " (step back, then re-test)"),
    VerdictRule(
        id="gate-seen-use-clearance", verdict="hold",
        when="A referral's gate: the runner has been seen.",
        does="Nothing changes until the clinician's clearance names a programme.",
        says="Good. When the clinician clears you to start rehab, tell me which kind they cleared you for, "
             "and I'll build that programme.",
        source="design.md §3 (clinician clearance)", awaiting_sign_off=False),
    VerdictRule(
        id="missed-skip", verdict="hold",
        when="A missed session.",
        does="Skip it: nothing is moved or doubled up.",
        says="No problem: skip it, and don't double up. Next: {day}.",
        source="clinical-basis.md, missed sessions"),
    VerdictRule(
        id="no-pain-reported", verdict="hold",
        when="A session reported without any pain score.",
        does="Same load.",
        says="Thanks. Without a pain score I'll keep the same load: same again on {day}.",
        source="clinical judgement: no score, no move on"),
    VerdictRule(
        id="amber-hold", verdict="hold",
        when="An amber check-in.",
        does="Repeat the same load.",
        says="That's acceptable soreness: same load again on {day}.",
        source=_SYNTHESIS),
    VerdictRule(
        id="partial-hold", verdict="hold",
        when="A green session only partly done.",
        does="Repeat the same load; it does not count towards moving on.",
        says=f"Same load again on {{day}}; we move on after {rules.in_words(GREENS_TO_PROGRESS.value)} full "
             "green sessions in a row.",
        source=_FLARES),
    VerdictRule(
        id="green-next-stage", verdict="progress",
        when=f"The {rules.in_words(GREENS_TO_PROGRESS.value)}th green walk-run in a row, each after a rest "
             "day.",
        does="On to the next walk-run stage.",
        says="Two green runs in a row: on to walk-run stage {stage} on {day}.",
        source=_WALK_RUN),
    VerdictRule(
        id="green-walk-run-done", verdict="progress",
        when="The last walk-run stage green twice in a row.",
        does="The walk-run is done: each phase's own running from now on.",
        says="Two green continuous runs: the walk-run is done. Next: {day}.",
        source=_WALK_RUN),
    VerdictRule(
        id="green-progress", verdict="progress",
        when=f"{rules.in_words(GREENS_TO_PROGRESS.value).capitalize()} green sessions in a row, each after "
             "a rest day.",
        does="May move on: the phase's gate decides when (never the date alone).",
        says="Two green sessions in a row: well done. Same again on {day}; {gate_words}",
        source=_FLARES),
    VerdictRule(
        id="green-hold", verdict="hold",
        when="A green session that does not yet make two in a row.",
        does="Same load.",
        says="Good: same again on {day}.",
        source=_FLARES),
)
_RULE = {rule.id: rule for rule in VERDICT_RULES}


# --- advance. ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    light: str | None
    rule_id: str
    says: str
    programme: Programme
    changed: bool


def advance(programme: Programme, history: Sequence[CheckIn], check_in: CheckIn, *, answers: Answers,
            assessment: Assessment, preferences: Preferences) -> Outcome:
    """What this check-in does to the programme. `history` is the plan's earlier check-ins, oldest
    first; the check-in's date is "today". ValueError, with a message naming the field, for a
    check-in dated before the programme starts or a criterion the current gate does not ask."""
    history = tuple(history)
    today = check_in.date
    starts = programme.start_date or (programme.sessions[0].date if programme.sessions else today)
    if today < starts:
        raise ValueError(f"date: the check-in is dated {today.isoformat()}, before the programme starts on "
                         f"{starts.isoformat()}")
    current = programme if programme.gated else _adopt(programme, answers, assessment, preferences)
    gate = current.pending_gate
    if check_in.criteria:
        asked = {c.id for c in gate.criteria} if gate is not None else set()
        unknown = sorted(set(check_in.criteria) - asked)
        if unknown:
            known = ", ".join(sorted(asked)) or "none: there is no check to answer now"
            raise ValueError(f"criteria: {unknown[0]!r} is not a check of the current gate "
                             f"(it asks: {known})")
    light = pain_light(check_in, history)

    flags = red_flag_answers(check_in)
    if flags:
        new = _until_seen(programme, flags, today, answers=answers, assessment=assessment,
                          preferences=preferences)
        return _outcome(programme, new, "red-flag-answer", light, today)
    if light == "red":
        window = FLARE_WINDOW_DAYS.value
        earlier_reds = [c for i, c in enumerate(history) if 0 <= (today - c.date).days < window
                        and pain_light(c, history[:i]) == "red"]
        state = _step_back(current, today, preferences)
        rule_id = "two-reds-in-a-week" if len(earlier_reds) + 1 >= REDS_TO_SEE_CLINICIAN.value \
            else "red-step-back"
        return _outcome(programme, _scheduled(programme, state, preferences, today), rule_id, light, today,
                        step_back=_step_back_words(state), retest_day=_retest_day(state, preferences))
    if check_in.session is not None and _away_crossed(current, history, check_in):
        state = _repeat_week(current, today, preferences)
        return _outcome(programme, _scheduled(programme, state, preferences, today), "away-repeat-week",
                        light, today)
    if check_in.criteria and gate is not None and gate.date <= today:
        rule_id, state = _answer_gate(current, gate, check_in.criteria, light, today, preferences)
        if state is not None:
            new = _scheduled(programme, state, preferences, today)
            return _outcome(programme, new, rule_id, light, today,
                            missing=_missing(gate, check_in.criteria))
        return _outcome(programme, _scheduled(programme, current, preferences, today), rule_id, light, today,
                        missing=_missing(gate, check_in.criteria))
    rule_id, state = _session_verdict(current, history, check_in, light, today)
    return _outcome(programme, _scheduled(programme, state, preferences, today), rule_id, light, today)


def _session_verdict(current: Programme, history: tuple[CheckIn, ...], check_in: CheckIn, light: Light | None,
                     today: dt.date) -> tuple[str, Programme]:
    if check_in.session == "missed":
        return "missed-skip", current
    if light is None:
        return ("no-pain-reported" if check_in.session else "green-hold"), current
    if light == "amber":
        return "amber-hold", current
    if check_in.session != "done":
        return "partial-hold", current
    streak, last = _greens(current, history)
    if last is not None and (today - last).days <= REST_DAYS_BETWEEN.value:
        return "green-hold", current  # no rest day between: it does not count towards moving on
    if streak + 1 < GREENS_TO_PROGRESS.value:
        return "green-hold", current
    if current.run_track == "ladder":
        stage = current.ladder_stage or 1
        if stage < len(LADDER):
            return "green-next-stage", current.model_copy(update={"ladder_stage": stage + 1,
                                                                  "greens_since": today + _DAY})
        return "green-walk-run-done", current.model_copy(update={"run_track": "cleared", "ladder_stage": None,
                                                                 "greens_since": today + _DAY})
    return "green-progress", current


def _greens(current: Programme, history: tuple[CheckIn, ...]) -> tuple[int, dt.date | None]:
    """Green sessions in a row so far, by the same counting `advance` uses, since the load last
    changed (a new phase or walk-run stage): the count towards moving on, and the last one counted."""
    since = current.greens_since or current.phase_started or dt.date.min
    streak, last = 0, None
    for index, c in enumerate(history):
        if c.date < since or c.session == "missed" or (c.session is None and c.pain_during is None
                                                       and c.pain_next_morning is None):
            continue
        light = pain_light(c, history[:index])
        if light == "green" and c.session == "done":
            if last is not None and (c.date - last).days <= REST_DAYS_BETWEEN.value:
                continue
            streak, last = streak + 1, c.date
            if streak >= GREENS_TO_PROGRESS.value:
                streak = 0  # that progress used them
        elif light is not None:
            streak, last = 0, None
    return streak, last


def _away_crossed(current: Programme, history: tuple[CheckIn, ...], check_in: CheckIn) -> bool:
    """Whether this is the first check-in more than AWAY_DAYS after the last session done (or the
    phase's start): a break that repeats the week once, not at every check-in during it."""
    trained = [c.date for c in history if c.session in ("done", "partial")]
    baseline = max([current.phase_started or check_in.date, *trained])
    if (check_in.date - baseline).days <= AWAY_DAYS.value:
        return False
    return not any((c.date - baseline).days > AWAY_DAYS.value for c in history if c.date > baseline)


def _repeat_week(current: Programme, today: dt.date, preferences: Preferences) -> Programme:
    gate = current.pending_gate
    week = dt.timedelta(weeks=1)
    if gate is None:
        return current.model_copy(update={"phase_ends": (current.phase_ends or today) + week})
    later = training_day_on_or_after(max(gate.date + week, today + dt.timedelta(days=GATE_RECHECK.value)),
                                     preferences)
    return current.model_copy(update={"pending_gate": gate.model_copy(update={"date": later}),
                                      "phase_ends": later})


def _step_back(current: Programme, today: dt.date, preferences: Preferences) -> Programme:
    # The step back covers the next training day at least, so some session is lighter.
    until = max(today + dt.timedelta(days=STEP_BACK_DAYS.value), training_day_on_or_after(today + _DAY,
                                                                                       preferences))
    return current.model_copy(update={"step_back_until": until, "greens_since": today + _DAY})


def _answer_gate(current: Programme, gate: Gate, answers: dict[str, bool], light: Light | None,
                 today: dt.date, preferences: Preferences) -> tuple[str, Programme | None]:
    asked = [c.id for c in gate.criteria]
    if not all(answers.get(c, True) for c in asked):
        first = phase_index(current.category, gate.phase_id) == 0
        return ("gate-not-yet-first-phase" if first else "gate-not-yet"), _ask_again(current, gate, today,
                                                                                      preferences)
    if any(c not in answers for c in asked):
        return "gate-unanswered", None
    if gate.opens_phase_id is None:
        return "gate-seen-use-clearance", None
    if light == "amber":
        return "gate-amber", None
    if current.step_back_until is not None and today <= current.step_back_until:
        return "gate-after-step-back", None
    if gate.return_to_run and current.run_track not in ("running", "cleared"):
        return "gate-walk-run-unfinished", _ask_again(current, gate, today, preferences)
    return ("gate-walk-run-starts" if gate.opens_phase_id == gate.phase_id else "gate-passed"), \
        _open(current, gate, today, preferences)


def _ask_again(current: Programme, gate: Gate, today: dt.date, preferences: Preferences) -> Programme:
    later = training_day_on_or_after(today + dt.timedelta(days=GATE_RECHECK.value), preferences)
    return current.model_copy(update={"pending_gate": gate.model_copy(update={"date": later}),
                                      "phase_ends": later})


def _open(current: Programme, gate: Gate, today: dt.date, preferences: Preferences) -> Programme:
    """Past the gate: the walk-run starts within this phase, or the next phase starts tomorrow."""
    category = current.category
    index = phase_index(category, gate.phase_id)
    plans = PLANS[category].phases
    track = "ladder" if gate.starts_walk_run else current.run_track
    stage = 1 if gate.starts_walk_run else current.ladder_stage
    if gate.opens_phase_id == gate.phase_id:
        minimum_end = (current.phase_started or today) + dt.timedelta(weeks=plans[index].weeks)
        when = max(minimum_end, today + dt.timedelta(days=GATE_RECHECK.value))
        following = make_gate(category, index, track, training_day_on_or_after(when, preferences))
        return current.model_copy(update={
            "run_track": track, "ladder_stage": stage, "pending_gate": following,
            "phase_ends": following.date if following else when, "greens_since": today + _DAY,
            "step_back_until": None})
    start = today + _DAY
    opened = plans[index + 1]
    minimum_end = start + dt.timedelta(weeks=opened.weeks)
    following = make_gate(category, index + 1, track, training_day_on_or_after(minimum_end, preferences))
    shown = {p.id: p for p in current.phases}
    # The phases after the return-to-run criteria appear now that they are confirmed.
    every = all_phases(category, "keep_running")
    phases = tuple(shown.get(p.id, p) for p in every if p.id in shown or p.id == opened.id)
    return current.model_copy(update={
        "current_phase_id": opened.id, "phase_started": start, "phases": phases,
        "phase_ends": following.date if following else minimum_end, "pending_gate": following,
        "run_track": track, "ladder_stage": stage, "greens_since": start, "step_back_until": None})


def _missing(gate: Gate | None, answers: dict[str, bool] | None) -> str:
    if gate is None:
        return ""
    return " ".join(c.question for c in gate.criteria if c.id not in (answers or {}))


def _scheduled(old: Programme, state: Programme, preferences: Preferences, today: dt.date) -> Programme:
    """`state` with its sessions dated after today, as a revision of `old` (revision not yet raised)."""
    desired = firm_sessions(state, preferences, after=today)
    sessions, cancelled = revise_sessions(old, desired, frozen_through=today, revision=old.revision + 1)
    return state.model_copy(update={"sessions": sessions, "cancelled": cancelled, "revision": old.revision})


def _outcome(old: Programme, new: Programme, rule_id: str, light: Light | None, today: dt.date,
             **values: str) -> Outcome:
    changed = new != old
    if changed:
        new = new.model_copy(update={"revision": old.revision + 1})
    rule = _RULE[rule_id]
    return Outcome(verdict=rule.verdict, light=light, rule_id=rule_id,
                   says=_words(rule, new, today, **values), programme=new, changed=changed)


def _words(rule: VerdictRule, programme: Programme, today: dt.date, **values: str) -> str:
    following = next_session(programme, today + _DAY)
    day = f"{following.date:%A}" if following is not None else "your next session"
    gate = programme.pending_gate
    gate_day = f"{gate.date:%A} {gate.date.day} {gate.date:%B}" if gate is not None else "your next session"
    gate_words = (f"on {gate_day} I'll ask whether you're ready to move on." if gate is not None
                  and gate.opens_phase_id is not None else "keep it up.")
    phase = next((p.name for p in programme.phases if p.id == programme.current_phase_id), "the next phase")
    fill = {"day": day, "gate_day": gate_day, "gate_words": gate_words, "phase": phase,
            "stage": str(programme.ladder_stage or ""), "missing": "", "step_back": "",
            "retest_day": day} | {k: v for k, v in values.items() if v}
    return rule.says.format(**fill)


def _step_back_words(state: Programme) -> str:
    if state.category == "tendinopathy" and phase_index(state.category, state.current_phase_id) > 0:
        what = "back to the holds"
    elif phase_index(state.category, state.current_phase_id) > 0:
        what = "the previous phase's exercises"
    else:
        what = "one set fewer of each exercise"
    if state.run_track == "ladder":
        stage = state.ladder_stage or 1
        what += f", and walk-run stage {stage - 1}" if stage > 1 else ", and walking instead of running"
    elif state.run_track in ("running", "cleared"):
        what += ", and easier running"
    return what


def _retest_day(state: Programme, preferences: Preferences) -> str:
    retest = training_day_on_or_after(state.step_back_until + _DAY, preferences)
    return f"{retest:%A}"


# --- Red flags, clearance and stored plans. ---------------------------------------------------------

def _until_seen(programme: Programme, flags: tuple[str, ...], today: dt.date, *, answers: Answers,
                assessment: Assessment, preferences: Preferences) -> Programme:
    """A red-flag answer: from tomorrow, safe self-care until a clinician has seen it, as a referral."""
    referred = assessment.model_copy(update={
        "category": "refer", "running": "stop_and_see_clinician", "see_professional": True,
        "red_flags": tuple(dict.fromkeys((*assessment.red_flags, *flags)))})
    prefs = preferences.model_copy(update={"start_date": today + _DAY})
    return start_programme("refer", advice="stop_and_see_clinician", answers=answers, assessment=referred,
                           preferences=prefs, revision=programme.revision + 1, origin=programme.start_date,
                           old=programme).model_copy(update={"revision": programme.revision})


def clear_for_rehab(programme: Programme, category: Category, *, answers: Answers, assessment: Assessment,
                    preferences: Preferences, today: dt.date) -> Programme:
    """A clinician has seen the runner of a referral and cleared them to start rehab for `category`:
    the new revision of the same plan, that category's programme from today (its first session on
    the first chosen weekday from today), the referral's sessions from today on cancelled. Running
    comes back through the walk-run ladder (clinical judgement: a clearance is to start rehab, not
    to run). ValueError for "refer" or a plan that is not a referral."""
    if category == "refer" or category not in PLANS:
        raise ValueError("category: a clearance names a rehab programme: tightness, tendinopathy, "
                         "strain_low_grade or strain")
    if programme.category != "refer":
        raise ValueError("category: this plan is not a referral, so there is nothing to clear")
    cleared = assessment.model_copy(update={"category": category, "running": "rest", "red_flags": (),
                                            "see_professional": False})
    prefs = preferences.model_copy(update={"start_date": today})
    return start_programme(category, advice="rest", answers=answers, assessment=cleared, preferences=prefs,
                           revision=programme.revision + 1, origin=programme.start_date, old=programme)


def _adopt(stored: Programme, answers: Answers, assessment: Assessment,
           preferences: Preferences) -> Programme:
    """A programme stored before gating (every session dated at once) in the gated shape: its first
    phase from its own start, no gate passed yet (none was ever asked), its sessions as they were."""
    start = stored.start_date or (stored.sessions[0].date if stored.sessions else None)
    prefs = preferences.model_copy(update={"start_date": start})
    fresh = build_programme(answers, assessment.model_copy(update={"category": stored.category}), prefs,
                            revision=stored.revision)
    return fresh.model_copy(update={"sessions": stored.sessions, "cancelled": stored.cancelled})


def walk_run_words() -> tuple[str, ...]:
    """The ladder as a runner reads it, stage by stage."""
    return tuple(stage.text for stage in LADDER)


def criteria_questions() -> dict[str, str]:
    """Each criterion's spoken yes/no question, by id."""
    return {c.id: c.question for c in CRITERIA.values()}

