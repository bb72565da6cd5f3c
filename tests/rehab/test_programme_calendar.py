"""What is prescribed and when: phases per category, dated sessions in the runner's local time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from rehab.adaptation import advance
from rehab.models import FAST_RUNNING, Answers, Assessment, CheckIn, Preferences
from rehab.programme import PLANS, RETURN_TO_RUN, all_phases, build_programme, next_gate, next_session
from rehab.triage import assess

TIGHT = Answers(location="back_of_thigh", nerve_symptoms="no", onset="gradual", days_since=7, bruising="no",
                gait_altered="no", pain_walking="no", shoe_test="no", hinge_test="no", heel_press_test="no",
                pain_score=2, training_change="no")
SIT_BONE = Answers(location="lower_buttock", nerve_symptoms="no", onset="gradual", days_since=21,
                   bruising="no", gait_altered="no", pain_walking="no", shoe_test="no", hinge_test="yes",
                   pain_score=5, training_change="yes")
TWINGE = Answers(location="back_of_thigh", nerve_symptoms="no", onset="sudden", days_since=1, pop="no",
                 bruising="no", gait_altered="no", pain_walking="no", shoe_test="yes", pain_score=4)
LIMPING_STRAIN = TWINGE.model_copy(update={"gait_altered": "yes", "pain_score": 6})
NERVE = TIGHT.model_copy(update={"nerve_symptoms": "yes"})


def _programme(answers: Answers, **prefs) -> tuple[Assessment, object]:
    assessment = assess(answers)
    preferences = Preferences(**({"start_date": dt.date(2026, 3, 2)} | prefs))
    return assessment, build_programme(answers, assessment, preferences)


@pytest.mark.parametrize(("answers", "category", "weeks"), [
    (TIGHT, "tightness", 4), (SIT_BONE, "tendinopathy", 12), (TWINGE, "strain_low_grade", 6),
    (LIMPING_STRAIN, "strain", 8), (NERVE, "refer", 2),
])
def test_each_category_has_a_programme_of_its_own_length(answers, category, weeks):
    assessment, programme = _programme(answers)

    assert programme.category == category == assessment.category
    # Issue 10: the weeks are each phase's minimum length; only the first phase is dated.
    assert programme.weeks == weeks == sum(p.weeks for p in PLANS[category].phases)
    training = [s for s in programme.sessions if s.kind == "session"]
    assert training[-1].date < dt.date(2026, 3, 2) + dt.timedelta(weeks=weeks)
    assert programme.title and programme.summary


def test_only_the_first_phase_is_dated_and_its_sessions_carry_their_week_and_phase():
    # Issue 10: a programme is gated, not dated. (Was: every phase dated, week by week.)
    _, programme = _programme(SIT_BONE)
    first = programme.phases[0]
    sessions = [s for s in programme.sessions if s.kind == "session"]

    assert programme.current_phase_id == first.id
    assert {s.phase_id for s in programme.sessions} == {first.id}
    assert [s.week for s in sessions] == sorted(s.week for s in sessions)
    assert len({s.week for s in sessions}) == first.weeks
    assert all(s.prescriptions == first.prescriptions for s in sessions)


def test_the_next_phase_shows_as_a_gate_check_in_on_the_first_training_day_after_the_minimum_length():
    _, programme = _programme(SIT_BONE, start_date=dt.date(2026, 3, 3), weekdays=["MO", "TH"])
    gate = next_gate(programme)
    item = programme.sessions[-1]

    assert gate.date == dt.date(2026, 3, 19)  # two weeks from Tuesday 3 March is Tuesday 17; then Thursday
    assert (item.kind, item.date, item.criteria) == ("gate", gate.date, gate.criteria)
    assert {c.id for c in gate.criteria} == {"holds-pain-low", "next-morning-settled"}
    assert all(c.question.endswith("?") for c in gate.criteria)
    assert all(s.date < gate.date for s in programme.sessions if s.kind == "session")
    assert gate.opens_phase_id == "strength"


def test_next_session_skips_the_gate_check_in():
    _, programme = _programme(SIT_BONE)
    gate = next_gate(programme)

    assert next_session(programme, gate.date) is None
    assert next_session(programme, programme.start_date).kind == "session"


def test_every_non_final_phase_says_when_to_move_on_and_the_seeds_return_criteria_come_before_speed():
    for category in PLANS:
        assessment_phases = PLANS[category].phases
        for phase in assessment_phases[:-1]:
            assert phase.move_on, (category, phase.id)
        gated = [i for i, p in enumerate(assessment_phases) if p.after_return_to_run]
        for index in gated:
            assert set(RETURN_TO_RUN) <= {c for p in assessment_phases[:index] for c in p.move_on}


def test_tightness_keeps_running_alongside_strength_work_from_day_one():
    _, programme = _programme(TIGHT)

    assert programme.phases[0].running == "steady"
    assert any(p.exercise_id == "glute_activation_warmup" for p in programme.phases[0].prescriptions)


def test_tendinopathy_never_stretches_and_avoids_heavy_lengthening_early():
    _, programme = _programme(SIT_BONE)
    early = {p.exercise_id for p in programme.phases[0].prescriptions}
    everything = {p.exercise_id for phase in programme.phases for p in phase.prescriptions}

    assert early <= {"isometric_bridge_hold", "isometric_heel_press", "loop_band_glutes", "core_stability",
                     "foam_rolling"}
    assert not everything & {"nordic_lowers", "askling_extender", "askling_diver", "askling_glider"}
    assert not any("stretch" in p.name.lower() for phase in programme.phases for p in phase.prescriptions)


def test_nordic_lowers_appear_only_in_the_last_phase_of_strain_rehab():
    for answers in (TIGHT, SIT_BONE, TWINGE, LIMPING_STRAIN, NERVE):
        assessment, programme = _programme(answers)
        # Issue 10: the phases after the return-to-run criteria are listed only once they are met.
        phases = all_phases(programme.category, assessment.running)
        for index, phase in enumerate(phases):
            has_nordics = any(p.exercise_id == "nordic_lowers" for p in phase.prescriptions)
            late_strain = programme.category in ("strain", "strain_low_grade") and index == len(phases) - 1
            assert has_nordics == late_strain, (programme.category, phase.id)


def _confirm_gate(answers, assessment, prefs, programme, history):
    due = next_gate(programme)
    check_in = CheckIn(date=due.date, criteria={c.id: True for c in due.criteria})
    outcome = advance(programme, history, check_in, answers=answers, assessment=assessment, preferences=prefs)
    history.append(check_in)
    return outcome


def test_a_limping_strain_starts_without_running_then_walk_runs_with_a_rest_day_between_runs():
    # Issue 10: running comes back through the walk-run, once the gate (with its brisk walk) is passed.
    prefs = Preferences(start_date=dt.date(2026, 3, 2), weekdays=("MO", "TU", "WE", "TH"))
    assessment = assess(LIMPING_STRAIN)
    programme = build_programme(LIMPING_STRAIN, assessment, prefs)

    assert all(s.running == "none" for s in programme.sessions)
    assert "brisk-walk-pain-free" in {c.id for c in next_gate(programme).criteria}
    outcome = _confirm_gate(LIMPING_STRAIN, assessment, prefs, programme, [])
    walk_runs = [s for s in outcome.programme.sessions if s.running == "walk_jog"]

    assert outcome.rule_id == "gate-passed" and outcome.programme.current_phase_id == "foundations"
    assert walk_runs and {s.ladder_stage for s in walk_runs} == {1}
    for earlier, later in zip(walk_runs, walk_runs[1:], strict=False):
        assert (later.date - earlier.date).days >= 2
    rest_days = [s for s in outcome.programme.sessions
                 if s.phase_id == "foundations" and s.running == "none" and s.kind == "session"]
    assert rest_days and all("rest day between walk-runs" in s.running_note for s in rest_days)


def test_the_last_strain_phase_before_speed_checks_the_seeds_return_criteria_and_holds_no_strides():
    assessment = assess(LIMPING_STRAIN)
    loading = next(p for p in all_phases("strain", assessment.running) if p.id == "loading")

    assert "no speed work, strides or hills" in loading.running_note
    assert {c.id for c in loading.move_on_criteria} == set(RETURN_TO_RUN)


def test_only_one_demanding_run_a_week_once_speed_is_back():
    prefs = Preferences(start_date=dt.date(2026, 3, 2), weekdays=("MO", "WE", "FR", "SU"))
    assessment = assess(TIGHT)
    programme = build_programme(TIGHT, assessment, prefs)
    assert not {s.running for s in programme.sessions} & FAST_RUNNING

    programme = _confirm_gate(TIGHT, assessment, prefs, programme, []).programme
    speed_weeks = [s.week for s in programme.sessions if s.running == "speed"]

    assert programme.current_phase_id == "stay_healthy" and programme.return_to_run_confirmed
    assert speed_weeks and len(speed_weeks) == len(set(speed_weeks))


def test_a_runner_offering_every_day_gets_at_most_four_sessions_a_week_with_rest_days():
    _, programme = _programme(SIT_BONE, weekdays=["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
    per_week: dict[int, int] = {}
    for s in programme.sessions:
        if s.kind == "gate":
            continue
        per_week[s.week] = per_week.get(s.week, 0) + 1

    assert max(per_week.values()) == 4
    assert "uses 4" in programme.summary


def test_a_referral_gives_only_safe_self_care_and_what_to_tell_the_clinician():
    _, programme = _programme(NERVE)

    assert [p.id for p in programme.phases] == ["until_seen"]
    assert {p.exercise_id for p in programme.phases[0].prescriptions} == {"relative_rest"}
    assert {s.running for s in programme.sessions} == {"none"}
    assert any("Numbness" in line and "yes" in line for line in programme.tell_the_clinician)
    assert "care-until-seen" in {c.rule_id for c in programme.care_advice}


def test_care_advice_always_ends_with_the_safety_net():
    for answers in (TIGHT, SIT_BONE, TWINGE, LIMPING_STRAIN, NERVE):
        _, programme = _programme(answers)
        assert programme.care_advice[-1].rule_id == "care-safety-net"


def test_easy_running_injuries_get_the_compression_wrap_and_resting_runners_get_cross_training():
    _, twinge = _programme(TWINGE)
    _, limping = _programme(LIMPING_STRAIN)

    assert "care-compression" in {c.rule_id for c in twinge.care_advice}
    assert "care-cross-training" in {c.rule_id for c in limping.care_advice}
    assert "care-compression" not in {c.rule_id for c in limping.care_advice}


@pytest.mark.parametrize(("zone", "start", "change"), [
    ("Europe/London", dt.date(2026, 3, 23), dt.date(2026, 3, 29)),     # clocks go forward
    ("Europe/London", dt.date(2026, 10, 19), dt.date(2026, 10, 25)),   # clocks go back
    ("America/New_York", dt.date(2026, 3, 2), dt.date(2026, 3, 8)),
    ("America/New_York", dt.date(2026, 10, 26), dt.date(2026, 11, 1)),
])
def test_a_session_stays_at_the_chosen_local_time_across_a_daylight_saving_change(zone, start, change):
    _, programme = _programme(TIGHT, start_date=start, timezone=zone, time="07:00",
                              weekdays=["MO", "WE", "FR", "SU"])
    tz = ZoneInfo(zone)
    before = [s for s in programme.sessions if s.date < change]
    after = [s for s in programme.sessions if s.date >= change]

    assert before and after
    for s in programme.sessions:
        assert s.starts_at(tz).strftime("%H:%M") == "07:00" == s.start_time
    utc_hours = {s.starts_at(tz).astimezone(dt.UTC).hour for s in (before[-1], after[0])}
    assert len(utc_hours) == 2, "the UTC hour moves so the local hour does not"


@pytest.mark.parametrize(("zone", "start", "time", "gap_day", "moved_to"), [
    # RFC 5545 §3.3.5: a time the clocks skip is read with the offset from before the gap.
    ("Europe/London", dt.date(2027, 3, 20), "01:30", dt.date(2027, 3, 28), "02:30"),
    ("America/New_York", dt.date(2027, 3, 7), "02:30", dt.date(2027, 3, 14), "03:30"),
    ("Australia/Lord_Howe", dt.date(2027, 9, 26), "02:15", dt.date(2027, 10, 3), "02:45"),  # a 30-minute gap
])
def test_a_time_the_clocks_skip_moves_forward_by_the_gap_on_that_day_only(zone, start, time, gap_day,
                                                                          moved_to):
    _, programme = _programme(TIGHT, start_date=start, timezone=zone, time=time, weekdays=["SU"])
    tz = ZoneInfo(zone)
    on_gap_day = [s for s in programme.sessions if s.date == gap_day]

    assert len(on_gap_day) == 1
    assert on_gap_day[0].start_time == moved_to
    assert on_gap_day[0].starts_at(tz).strftime("%H:%M") == moved_to
    assert {s.start_time for s in programme.sessions if s.date != gap_day} == {time}
    for s in programme.sessions:
        starts = s.starts_at(tz)
        assert starts.astimezone(dt.UTC).astimezone(tz).strftime("%H:%M") == s.start_time, "an existing time"


@pytest.mark.parametrize("zone", ["America/Nuuk", "America/Scoresbysund"])
def test_where_the_clocks_skip_to_midnight_the_session_moves_back_and_stays_on_its_day(zone):
    # 28 March 2026: 23:00 on the Saturday becomes 00:00 on the Sunday. Forward by the gap would be
    # 00:30 on the Sunday, beside the Sunday session, with none left on the Saturday.
    saturday, sunday = dt.date(2026, 3, 28), dt.date(2026, 3, 29)
    _, programme = _programme(TIGHT, start_date=dt.date(2026, 3, 23), timezone=zone, time="23:30",
                              weekdays=["SA", "SU"])
    tz = ZoneInfo(zone)
    on_saturday = [s for s in programme.sessions if s.date == saturday]
    on_sunday = [s for s in programme.sessions if s.date == sunday]

    assert [s.id for s in on_saturday] == ["w01-sa"] and [s.id for s in on_sunday] == ["w01-su"]
    assert on_saturday[0].start_time == "22:30"
    starts = on_saturday[0].starts_at(tz)
    assert (starts.date(), starts.strftime("%H:%M")) == (saturday, "22:30")
    assert starts.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)
    assert on_sunday[0].start_time == "23:30"
    assert next_session(programme, saturday) is on_saturday[0]
    dates = [s.date for s in programme.sessions]
    assert len(set(dates)) == len(dates)
    assert all(s.starts_at(tz).date() == s.date for s in programme.sessions)


def test_a_session_stored_at_a_skipped_time_starts_when_rfc_5545_says():
    _, programme = _programme(TIGHT, start_date=dt.date(2027, 3, 20), timezone="Europe/London",
                              time="01:30", weekdays=["SU"])
    tz = ZoneInfo("Europe/London")
    # As a plan built before skipped times were moved holds it.
    stored = programme.sessions[1].model_copy(update={"start_time": "01:30"})

    assert stored.date == dt.date(2027, 3, 28)
    starts = stored.starts_at(tz)
    assert (starts.strftime("%H:%M"), starts.utcoffset()) == ("02:30", dt.timedelta(hours=1))
    assert starts.astimezone(dt.UTC) == dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)


def test_session_ids_are_the_week_and_day_so_they_survive_a_rebuild():
    _, programme = _programme(TIGHT, weekdays=["TU", "TH"])

    assert [s.id for s in programme.sessions[:4]] == ["w01-tu", "w01-th", "w02-tu", "w02-th"]


def test_a_later_revision_keeps_the_same_session_ids_and_dates():
    assessment = assess(TIGHT)
    prefs = Preferences(start_date=dt.date(2026, 3, 2))
    first = build_programme(TIGHT, assessment, prefs, revision=1)
    second = build_programme(TIGHT, assessment, prefs, revision=2)

    assert second.revision == 2
    assert [(s.id, s.date) for s in first.sessions] == [(s.id, s.date) for s in second.sessions]


def test_the_first_week_starts_on_the_start_date_even_midweek():
    _, programme = _programme(TIGHT, start_date=dt.date(2026, 3, 5), weekdays=["MO", "TH"])

    assert programme.sessions[0].date == dt.date(2026, 3, 5)
    assert programme.sessions[0].id == "w01-th"
    assert programme.sessions[1].date == dt.date(2026, 3, 9)


def test_next_session_is_the_first_on_or_after_the_day_and_none_after_the_end():
    _, programme = _programme(TIGHT)

    assert next_session(programme, dt.date(2026, 3, 1)) == programme.sessions[0]
    assert next_session(programme, dt.date(2026, 3, 2)) == programme.sessions[0]
    assert next_session(programme, dt.date(2026, 3, 3)).date == dt.date(2026, 3, 4)
    assert next_session(programme, programme.sessions[-1].date + dt.timedelta(days=1)) is None


def test_building_needs_resolved_preferences():
    with pytest.raises(ValueError, match="start_date"):
        build_programme(TIGHT, assess(TIGHT), Preferences())


def test_the_programme_carries_the_disclaimer():
    _, programme = _programme(TIGHT)

    assert "not a substitute for professional medical advice" in programme.disclaimer


def test_a_fresh_injury_is_left_alone_for_72_hours_before_foam_rolling():
    _, fresh = _programme(TWINGE)
    _, older = _programme(TWINGE.model_copy(update={"days_since": 6}))

    assert "care-foam-rolling-later" in {c.rule_id for c in fresh.care_advice}
    assert "care-foam-rolling" not in {c.rule_id for c in fresh.care_advice}
    assert "care-foam-rolling" in {c.rule_id for c in older.care_advice}
    assert "care-heat" in {c.rule_id for c in older.care_advice}


def test_what_to_tell_the_clinician_reads_naturally():
    _, programme = _programme(NERVE.model_copy(update={"onset": "sudden", "days_since": 1}))

    assert "How it started: sudden, 1 day ago." in programme.tell_the_clinician
