"""The coaching loop (issue 10): what each check-in does to a gated programme, as a table of runners'
weeks a physiotherapist can read, then the edges one at a time."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rehab.adaptation import (
    LIMITS,
    PAIN_RULE,
    STEP_BACK_DAYS,
    VERDICT_RULES,
    advance,
    clear_for_rehab,
    pain_light,
)
from rehab.models import FAST_RUNNING, Answers, CheckIn, Preferences, Programme
from rehab.programme import LADDER, RETURN_TO_RUN, build_programme, next_gate
from rehab.triage import assess

START = dt.date(2026, 3, 2)  # a Monday
TIGHT = Answers(location="back_of_thigh", nerve_symptoms="no", onset="gradual", days_since=7, bruising="no",
                gait_altered="no", pain_walking="no", shoe_test="no", hinge_test="no", heel_press_test="no",
                pain_score=2, training_change="no")
# Tightness that still rests from running: behind the knee for three weeks (seed 004: time off). Pain
# alone can no longer do it: above rehab.rules.TIGHTNESS_PAIN_MAX it is not called tightness (issue 11).
TIGHT_RESTING = TIGHT.model_copy(update={"location": "behind_knee", "days_since": 21})
SIT_BONE = Answers(location="lower_buttock", nerve_symptoms="no", onset="gradual", days_since=21,
                   bruising="no", gait_altered="no", pain_walking="no", shoe_test="no", hinge_test="yes",
                   pain_score=5, training_change="yes")
TWINGE_RESTING = Answers(location="back_of_thigh", nerve_symptoms="no", onset="sudden", days_since=1,
                         pop="no", bruising="no", gait_altered="no", pain_walking="yes", shoe_test="yes",
                         pain_score=4)
LIMPING_STRAIN = Answers(location="back_of_thigh", nerve_symptoms="no", onset="sudden", days_since=1,
                         pop="no", bruising="no", gait_altered="yes", pain_walking="no", shoe_test="yes",
                         pain_score=6)
NERVE = TIGHT.model_copy(update={"nerve_symptoms": "yes"})


def day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def done(n: int, during: int = 2, morning: int | None = 2, **more) -> dict:
    return dict(date=day(n), session="done", pain_during=during, pain_next_morning=morning, **more)


def missed(n: int) -> dict:
    return dict(date=day(n), session="missed")


def gate(answer: bool, *, late_by: int = 0):
    def check_in(programme: Programme) -> CheckIn:
        due = next_gate(programme)
        return CheckIn(date=due.date + dt.timedelta(days=late_by),
                       criteria={c.id: answer for c in due.criteria})
    return check_in


def run(answers: Answers, steps, weekdays=("MO", "WE", "FR")):
    preferences = Preferences(start_date=START, weekdays=weekdays)
    assessment = assess(answers)
    programme = build_programme(answers, assessment, preferences)
    history, outcomes, seen = [], [], [programme]
    for step in steps:
        check_in = step(programme) if callable(step) else CheckIn(**step)
        outcome = advance(programme, history, check_in, answers=answers, assessment=assessment,
                          preferences=preferences)
        history.append(check_in)
        outcomes.append(outcome)
        programme = outcome.programme
        seen.append(programme)
    return outcomes, seen


def _fast_runs(programmes) -> set[str]:
    return {s.running for p in programmes for s in p.sessions} & FAST_RUNNING


# Each row: the runner, their check-ins, the last check-in's rule and verdict, and what must then hold
# of the revisions (a name of a check below).
SCENARIOS = [
    ("tight, told to rest: three weeks in there is no speed, only the walk-run once the walk is pain-free",
     TIGHT_RESTING, [done(0), done(2), done(4), done(7), done(9), done(11), gate(True), done(16)],
     "green-hold", "hold", "no_speed_and_walk_run_stage_1"),
    ("a low-grade strain told to rest walks before it runs: no easy runs in week 2",
     TWINGE_RESTING, [done(0), done(2), done(4), gate(True), done(9)],
     "green-hold", "hold", "walk_run_not_easy_runs"),
    ("green, green on the walk-run: on to the next stage",
     LIMPING_STRAIN, [gate(True), done(16), done(18)],
     "green-next-stage", "progress", "stage_2_ahead"),
    ("green, green without a walk-run: progress, nothing to re-date",
     SIT_BONE, [done(0), done(2)],
     "green-progress", "progress", "unchanged"),
    ("green on two days running: the second does not count without a rest day",
     SIT_BONE, [done(0), done(1)],
     "green-hold", "hold", "unchanged"),
    ("one red: a step back for two or three days, then the same load re-tested",
     SIT_BONE, [done(0), done(2, during=6)],
     "red-step-back", "regress", "stepped_back_then_retest"),
    ("a next morning worse than the one before is red",
     SIT_BONE, [done(0, morning=1), done(2, during=1, morning=3)],
     "red-step-back", "regress", "stepped_back_then_retest"),
    ("two reds within 7 days: see a clinician",
     SIT_BONE, [done(0, during=6), done(4, during=7)],
     "two-reds-in-a-week", "see_clinician", "stepped_back_then_retest"),
    ("two reds 8 days apart: a step back only",
     SIT_BONE, [done(0, during=6), done(4, during=2), done(8, during=6)],
     "red-step-back", "regress", "stepped_back_then_retest"),
    ("amber: same load again",
     SIT_BONE, [done(0, during=5, morning=4)],
     "amber-hold", "hold", "unchanged"),
    ("gate all yes: the next phase is dated",
     SIT_BONE, [done(0), gate(True)],
     "gate-passed", "progress", "next_phase_dated"),
    ("gate with a no: hold, and the gate asks again a week later",
     SIT_BONE, [done(0), gate(False)],
     "gate-not-yet-first-phase", "hold", "gate_a_week_later"),
    ("a missed week (more than 7 days away): repeat it",
     SIT_BONE, [done(0), missed(9)],
     "away-repeat-week", "hold", "week_repeated"),
    ("a missed single session: skipped, not doubled",
     SIT_BONE, [done(0), missed(2)],
     "missed-skip", "hold", "unchanged"),
    ("a new pop: see a clinician, safe self-care until seen",
     SIT_BONE, [done(0), done(2, during=3, pop=True)],
     "red-flag-answer", "see_clinician", "until_seen"),
    ("the return-to-run gate answered before the walk-run is done: not yet",
     TIGHT_RESTING, [gate(True), gate(True)],
     "gate-walk-run-unfinished", "hold", "no_speed"),
]


def _check(name: str, outcomes, programmes) -> None:
    before, after = programmes[-2], programmes[-1]
    last = outcomes[-1]
    if name == "unchanged":
        assert not last.changed and after == before
    elif name in ("no_speed", "no_speed_and_walk_run_stage_1"):
        assert not _fast_runs(programmes)
        assert not any(p.after_return_to_run for prog in programmes for p in prog.phases)
        if name.endswith("stage_1"):
            assert after.run_track == "ladder" and after.ladder_stage == 1
            runs = [s for s in after.sessions if s.running == "walk_jog"]
            assert runs and {s.ladder_stage for s in runs} == {1}
    elif name == "walk_run_not_easy_runs":
        assert after.current_phase_id == "foundations"
        assert not {s.running for p in programmes for s in p.sessions} & {"easy", "steady", *FAST_RUNNING}
        assert any(s.running == "walk_jog" for s in after.sessions)
    elif name == "stage_2_ahead":
        assert after.ladder_stage == 2 and last.changed
        ahead = [s for s in after.sessions if s.date > day(18) and s.running == "walk_jog"]
        assert ahead and {s.ladder_stage for s in ahead} == {2}
        assert all(s.sequence == 1 for s in ahead)
    elif name == "stepped_back_then_retest":
        assert last.changed and STEP_BACK_DAYS.value in (2, 3)
        lighter = [s for s in after.sessions if s.step_back]
        assert lighter and all(s.date <= after.step_back_until for s in lighter)
        assert all(not s.step_back for s in after.sessions if s.date > after.step_back_until), \
            "then the same load again"
    elif name == "next_phase_dated":
        assert after.current_phase_id == "strength" and last.changed
        assert [s for s in after.sessions if s.phase_id == "strength" and s.kind == "session"]
        assert next_gate(after).phase_id == "strength"
    elif name == "gate_a_week_later":
        assert after.current_phase_id == before.current_phase_id
        assert next_gate(after).date >= next_gate(before).date + dt.timedelta(days=7)
        assert not [s for s in after.sessions if s.phase_id != before.current_phase_id]
        assert "physiotherapist" in last.says
    elif name == "week_repeated":
        assert next_gate(after).date == next_gate(before).date + dt.timedelta(weeks=1)
        assert after.phase_ends == before.phase_ends + dt.timedelta(weeks=1)
    elif name == "until_seen":
        assert after.category == "refer" and after.current_phase_id == "until_seen"
        future = [s for s in after.sessions if s.date > day(2)]
        assert future and {s.running for s in future} == {"none"}
        assert all(p.exercise_id == "relative_rest" for s in future for p in s.prescriptions)
        assert "care-until-seen" in {c.rule_id for c in after.care_advice}
    else:  # pragma: no cover - a typo in the table
        raise AssertionError(name)


@pytest.mark.parametrize(("scenario", "answers", "steps", "rule_id", "verdict", "then"), SCENARIOS,
                         ids=[row[0] for row in SCENARIOS])
def test_each_scenario_ends_with_the_expected_rule_verdict_and_programme(scenario, answers, steps, rule_id,
                                                                         verdict, then):
    outcomes, programmes = run(answers, steps)

    assert (outcomes[-1].rule_id, outcomes[-1].verdict) == (rule_id, verdict)
    assert outcomes[-1].says and "{" not in outcomes[-1].says
    _check(then, outcomes, programmes)
    for before, after, outcome in zip(programmes[:-1], programmes[1:], outcomes, strict=True):
        assert after.revision == before.revision + (1 if outcome.changed else 0)


def test_a_missed_session_is_never_moved_or_doubled_up():
    outcomes, programmes = run(SIT_BONE, [done(0), missed(2), missed(4)])
    dates = [s.date for s in programmes[-1].sessions]

    assert [o.changed for o in outcomes] == [False, False, False]
    assert len(dates) == len(set(dates)) == len(programmes[0].sessions)


def test_a_break_repeats_the_week_once_not_at_every_check_in_during_it():
    outcomes, _ = run(SIT_BONE, [done(0), missed(9), missed(11)])

    assert [o.rule_id for o in outcomes] == ["green-hold", "away-repeat-week", "missed-skip"]


def test_the_walk_run_climbs_every_stage_then_hands_over_to_the_phase_running():
    greens = [done(16 + 2 * i) for i in range(2 * len(LADDER))]
    outcomes, programmes = run(LIMPING_STRAIN, [gate(True), *greens])
    rules = [o.rule_id for o in outcomes[1:]]

    assert rules.count("green-next-stage") == len(LADDER) - 1
    assert rules[-1] == "green-walk-run-done"
    assert programmes[-1].run_track == "cleared" and programmes[-1].ladder_stage is None
    later = [s for s in programmes[-1].sessions if s.date > greens[-1]["date"] and s.kind == "session"]
    assert later and {s.running for s in later} <= {"easy"}


def test_a_red_on_the_walk_run_steps_back_a_stage_for_the_step_back_days():
    outcomes, programmes = run(LIMPING_STRAIN, [gate(True), done(16), done(18), done(21, during=6)])
    lighter = [s for s in programmes[-1].sessions if s.step_back and s.running == "walk_jog"]

    assert outcomes[-1].rule_id == "red-step-back"
    assert lighter and {s.ladder_stage for s in lighter} == {1}
    assert programmes[-1].ladder_stage == 2, "the stage itself is re-tested after the step back"


def test_a_tendon_steps_back_to_the_holds():
    outcomes, programmes = run(SIT_BONE, [done(0), gate(True), done(17, during=6)])
    lighter = [s for s in programmes[-1].sessions if s.step_back]

    assert programmes[-1].current_phase_id == "strength"
    assert lighter and {p.exercise_id for s in lighter for p in s.prescriptions} >= {"isometric_bridge_hold"}
    assert "holds" in outcomes[-1].says


def test_the_first_phase_steps_back_by_one_set_fewer():
    _, programmes = run(SIT_BONE, [done(0, during=6)])
    first, lighter = programmes[0], [s for s in programmes[-1].sessions if s.step_back]
    usual = {p.exercise_id: p.dosage for p in first.phases[0].prescriptions}

    assert lighter
    for p in lighter[0].prescriptions:
        if usual[p.exercise_id].sets and usual[p.exercise_id].sets > 1:
            assert p.dosage.sets == usual[p.exercise_id].sets - 1


def test_the_gate_cannot_open_before_the_phase_is_long_enough():
    outcomes, programmes = run(SIT_BONE, [done(0), gate(True, late_by=-7)])

    assert outcomes[-1].rule_id == "green-hold"
    assert programmes[-1].current_phase_id == "calm"


def test_a_gate_answered_in_part_asks_for_the_rest():
    def partly(programme):
        due = next_gate(programme)
        return CheckIn(date=due.date, criteria={due.criteria[0].id: True})

    outcomes, _ = run(SIT_BONE, [partly])

    assert outcomes[-1].rule_id == "gate-unanswered"
    assert outcomes[-1].programme.current_phase_id == "calm", "the phase goes on while the gate waits"
    assert next_gate(outcomes[-1].programme).criteria[1].question in outcomes[-1].says


def test_the_return_to_run_gate_opens_speed_only_once_confirmed():
    outcomes, programmes = run(TIGHT, [done(0), done(2), gate(True)])

    assert not _fast_runs(programmes[:-1])
    assert set(RETURN_TO_RUN) == {c.id for c in next_gate(programmes[-2]).criteria}
    assert outcomes[-1].rule_id == "gate-passed" and programmes[-1].return_to_run_confirmed
    assert "speed" in {s.running for s in programmes[-1].sessions}


def test_an_unknown_criterion_is_a_clear_error():
    preferences = Preferences(start_date=START)
    programme = build_programme(SIT_BONE, assess(SIT_BONE), preferences)

    with pytest.raises(ValueError, match="criteria: 'return-as-strong' is not a check of the current gate"):
        advance(programme, [], CheckIn(date=day(14), criteria={"return-as-strong": True}), answers=SIT_BONE,
                assessment=assess(SIT_BONE), preferences=preferences)


def test_a_check_in_before_the_programme_starts_is_a_clear_error():
    preferences = Preferences(start_date=START)
    programme = build_programme(SIT_BONE, assess(SIT_BONE), preferences)

    with pytest.raises(ValueError, match="date: .* before the programme starts"):
        advance(programme, [], CheckIn(**done(-1)), answers=SIT_BONE, assessment=assess(SIT_BONE),
                preferences=preferences)


def test_a_referral_cleared_by_a_clinician_becomes_that_programme_on_the_same_plan():
    preferences = Preferences(start_date=START)
    assessment = assess(NERVE)
    referral = build_programme(NERVE, assessment, preferences)
    today = day(5)

    cleared = clear_for_rehab(referral, "strain", answers=NERVE, assessment=assessment,
                              preferences=preferences, today=today)

    assert (cleared.category, cleared.revision, cleared.current_phase_id) == ("strain", 2, "calm")
    assert [s for s in cleared.sessions if s.date < today] == [s for s in referral.sessions if s.date < today]
    gone = {s.id for s in referral.sessions if s.date >= today}
    assert gone == {s.id for s in cleared.cancelled}
    assert all(s.sequence == 1 for s in cleared.cancelled)
    fresh = [s for s in cleared.sessions if s.date >= today]
    assert fresh and not {s.id for s in fresh} & {s.id for s in referral.sessions}
    assert cleared.run_track == "resting", "running comes back through the walk-run"
    assert "care-until-seen" not in {c.rule_id for c in cleared.care_advice}


@pytest.mark.parametrize("category", ["refer", "sprint"])
def test_a_clearance_names_a_rehab_programme(category):
    preferences = Preferences(start_date=START)
    referral = build_programme(NERVE, assess(NERVE), preferences)

    with pytest.raises(ValueError, match="category"):
        clear_for_rehab(referral, category, answers=NERVE, assessment=assess(NERVE), preferences=preferences,
                        today=day(3))


def test_only_a_referral_can_be_cleared():
    preferences = Preferences(start_date=START)
    programme = build_programme(SIT_BONE, assess(SIT_BONE), preferences)

    with pytest.raises(ValueError, match="not a referral"):
        clear_for_rehab(programme, "strain", answers=SIT_BONE, assessment=assess(SIT_BONE),
                        preferences=preferences, today=day(3))


def test_a_red_flag_plan_can_then_be_cleared():
    outcomes, programmes = run(SIT_BONE, [done(0), done(2, during=3, nerve_symptoms=True)])
    preferences = Preferences(start_date=START)

    cleared = clear_for_rehab(programmes[-1], "tendinopathy", answers=SIT_BONE, assessment=assess(SIT_BONE),
                              preferences=preferences, today=day(12))

    assert outcomes[-1].verdict == "see_clinician" and cleared.category == "tendinopathy"
    ids = [s.id for s in (*cleared.sessions, *cleared.cancelled)]
    assert len(ids) == len(set(ids))


def _as_stored_before_issue_10(programme: Programme) -> str:
    data = json.loads(programme.model_dump_json())
    for key in ("current_phase_id", "phase_started", "phase_ends", "run_track", "ladder_stage",
                "step_back_until", "greens_since", "pending_gate", "cancelled"):
        del data[key]
    data["sessions"] = [s for s in data["sessions"] if s["kind"] == "session"]
    for session in data["sessions"]:
        for key in ("sequence", "kind", "criteria", "ladder_stage", "step_back"):
            del session[key]
    for phase in data["phases"]:
        for criterion in phase["move_on_criteria"]:
            del criterion["question"]
    return json.dumps(data)


def test_a_programme_stored_before_gating_still_loads_and_is_adopted_at_its_first_check_in():
    preferences = Preferences(start_date=START)
    stored = Programme.model_validate_json(_as_stored_before_issue_10(
        build_programme(SIT_BONE, assess(SIT_BONE), preferences)))
    assert not stored.gated and stored.cancelled == ()

    outcome = advance(stored, [], CheckIn(**done(4)), answers=SIT_BONE, assessment=assess(SIT_BONE),
                      preferences=preferences)

    assert outcome.changed and outcome.programme.revision == stored.revision + 1
    assert outcome.programme.gated and outcome.programme.current_phase_id == "calm"
    past = [s for s in stored.sessions if s.date <= day(4)]
    assert [s for s in outcome.programme.sessions if s.date <= day(4)] == past


@pytest.mark.parametrize(("during", "morning", "before", "light"), [
    (3, 3, None, "green"), (0, None, None, "green"), (4, 2, None, "amber"), (5, 5, 5, "amber"),
    (2, 4, 4, "amber"), (6, 1, None, "red"), (1, 6, None, "red"), (1, 3, 2, "red"), (None, None, None, None),
])
def test_the_one_pain_rule_gives_each_light(during, morning, before, light):
    earlier = [CheckIn(date=day(0), session="done", pain_next_morning=before)] if before is not None else []

    assert pain_light(CheckIn(date=day(2), session="done", pain_during=during, pain_next_morning=morning),
                      earlier) == light


@pytest.mark.parametrize("field", ["limp", "swelling"])
def test_a_new_limp_or_swelling_is_red_whatever_the_pain(field):
    assert pain_light(CheckIn(date=day(2), session="done", pain_during=0, **{field: True}), []) == "red"


@pytest.mark.parametrize("value", [True, "4", "four", [4], 4.5])
def test_a_check_in_pain_score_is_a_whole_number_only(value):
    with pytest.raises(ValueError, match="pain_during"):
        CheckIn(date=day(0), session="done", pain_during=value)


@pytest.mark.parametrize("value", ["yes", 1, "true"])
def test_a_check_in_criterion_answer_is_true_or_false_only(value):
    with pytest.raises(ValueError, match="criteria"):
        CheckIn(date=day(0), criteria={"holds-pain-low": value})


def test_every_rule_row_has_a_stable_id_words_and_a_source():
    rows = (*PAIN_RULE, *VERDICT_RULES, *LIMITS)
    ids = [row.id for row in rows]

    assert len(ids) == len(set(ids))
    assert all(row.source for row in rows)
    assert {row.verdict for row in VERDICT_RULES} == {"progress", "hold", "regress", "see_clinician"}


def test_the_pain_rule_numbers_come_from_the_thresholds():
    from rehab import rules

    red = next(row for row in PAIN_RULE if row.light == "red")
    assert f"above {rules.out_of_ten(rules.ACCEPTABLE_PAIN_MAX.value)}" in red.when
    assert all(row.awaiting_sign_off for row in PAIN_RULE), "the synthesis awaits a clinician's sign-off"


def test_the_sources_report_lists_every_adaptation_rule_the_ladder_and_the_gate_questions():
    from rehab.programme import CRITERIA
    from rehab.sources import sources_report

    report = sources_report()

    for name in [row.id for row in (*PAIN_RULE, *VERDICT_RULES, *LIMITS)] + [c.question for c in
                                                                            CRITERIA.values()]:
        assert name in report, name
    assert all(f"walk-run stage {stage.stage}" in report for stage in LADDER)
    assert report.count("awaiting a clinician's sign-off") >= len(PAIN_RULE) + len(LADDER)
    assert "[as the source states it]" in report
