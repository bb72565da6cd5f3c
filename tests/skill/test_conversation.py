"""The conversation as a pure state machine (no Alexa SDK): what it asks, what it records, what it
undoes, and what it refuses to believe when reading a stored state."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from rehab.questions import question
from skill import conversation as talk
from skill.conversation import State


def keys(turn) -> list[str]:
    return [line.key for line in turn.say]


def drive(state: State, answers: dict, *, until: str | None = None) -> State:
    """Answer whatever is asked, from `answers` ("no" for anything else, 3 for a number), until
    `until` is asked or the questions are over. The clinical core decides the order."""
    for _ in range(20):
        step = state.step()
        if step.kind != "question" or step.question_id == until:
            return state
        q = step.question
        state, turn = say_answer(state, q.id, answers.get(q.id, 3 if q.kind == "number" else "no"))
        assert "guide" not in keys(turn)
    raise AssertionError("the questions never ended")


def say_answer(state: State, question_id: str, value):
    """Answer as the handler for what a runner says would: the intent follows the answer's kind."""
    if question_id in ("location", "onset"):
        return talk.answer(state, question_id, value)
    return talk.answer(state, "number" if isinstance(value, int) else value, value)


def answered(**answers) -> State:
    """A state where exactly these answers were given, in this order."""
    state = State()
    for question_id, value in answers.items():
        state = drive(state, {}, until=question_id)
        state, _ = say_answer(state, question_id, value)
    assert set(state.answers) >= set(answers)
    return state


def finished(**answers) -> State:
    """A state whose questions are all answered: at the days question."""
    return to_the_plan(drive(State(), answers))


def to_the_plan(state: State) -> State:
    """From the outcome to the days question: "make my plan", then yes after the same-day warning
    when the answers make it relevant."""
    assert state.step().kind == talk.OUTCOME
    state, _ = talk.outcome_said(state, "plan")
    if state.step().kind == talk.OUTCOME:
        state, _ = talk.answer(state, "yes", None)
    assert state.step().kind == talk.WEEKDAYS
    return state


def test_the_preference_defaults_are_the_models_defaults():
    from rehab.models import Preferences

    assert Preferences().weekdays == talk.DEFAULT_WEEKDAYS
    assert Preferences().time == talk.DEFAULT_TIME


def test_a_first_launch_welcomes_with_the_disclaimer_and_asks_the_first_question():
    state, turn = talk.launch(State())
    assert keys(turn) == ["welcome", "disclaimer"]
    assert turn.ask == talk.Step("question", "location")
    assert not turn.end


def test_a_new_visit_with_answers_offers_to_resume_and_a_visit_with_a_plan_offers_home():
    in_progress = talk.new_visit(answered(location="behind_knee"))
    assert in_progress.mode == talk.RESUME
    assert talk.launch(in_progress)[1].ask == talk.Step(talk.RESUME)
    home, turn = talk.launch(State(plan_on_file=True))
    assert turn.ask == talk.Step(talk.HOME)


def test_an_answer_is_recorded_and_acknowledged_and_the_next_question_asked():
    state, turn = talk.answer(State(), "location", "back_of_thigh")
    assert state.answers == {"location": "back_of_thigh"}
    assert state.history == ("location",)
    assert keys(turn) == ["ack"]
    assert turn.ask.question_id == "nerve_symptoms"


@pytest.mark.parametrize(("kind", "value"), [("number", "6"), ("yes", None), ("onset", "sudden"),
                                             ("location", "elbow"), ("location", None), ("other", None)])
def test_what_does_not_fit_the_place_question_is_refused_with_guidance(kind, value):
    state, turn = talk.answer(State(), kind, value)
    assert state == State()
    assert keys(turn) == ["guide"]
    assert turn.brief and turn.ask.question_id == "location"


@pytest.mark.parametrize("value", ["11", "-1", "?", "six", "", None, "4.5"])
def test_a_pain_score_outside_zero_to_ten_or_not_a_number_is_refused(value):
    gradual = {"location": "back_of_thigh", "onset": "gradual", "days_since": 7}
    state = drive(State(), gradual, until="pain_score")
    assert state.step().question_id == "pain_score"
    after, turn = talk.answer(state, "number", value)
    assert after == state and keys(turn) == ["guide"]


@pytest.mark.parametrize("value, days", [
    ("P1D", 1), ("P2W", 14), ("P3W", 21), ("P1W2D", 9), ("PT5H", 0), ("PT30H", 1), ("P1M", 30),
    ("P1Y", 365), ("p4d", 4),
])
def test_a_duration_is_counted_in_whole_days_seven_to_a_week(value, days):
    assert talk.days_from_duration(value) == days


@pytest.mark.parametrize("value", ["?", "", "P", "PT", "P1DT", "P1DT5", "PT5", "P1DT5HT", "-P2W", "P-2W",
                                   "P1.5W", "2W", "two weeks", None, 14])
def test_what_is_not_an_alexa_duration_counts_no_days(value):
    assert talk.days_from_duration(value) is None


def test_today_yesterday_and_the_day_before_count_zero_one_and_two_days():
    named = ("today", "yesterday", "day_before_yesterday")
    assert [talk.days_from_relative_day(value) for value in named] == [0, 1, 2]
    assert talk.days_from_relative_day("tomorrow") is None and talk.days_from_relative_day(None) is None


@pytest.mark.parametrize("days", [0, 1, 14, 3650])
def test_days_from_a_duration_or_a_named_day_answer_the_days_question(days):
    at_days = drive(State(), {"location": "back_of_thigh", "onset": "gradual"}, until="days_since")
    state, turn = talk.answer(at_days, "days", days)
    assert state.answers["days_since"] == days
    assert keys(turn) == ["ack"] and turn.ask.question_id != "days_since"


@pytest.mark.parametrize("value", [3651, 7300, 10**12])
def test_a_duration_longer_than_the_question_takes_is_held_at_its_maximum_as_long_standing(value):
    # "Twenty years ago" (P20Y, 7300 days) is long-standing; before, it was met with the guide.
    maximum = question("days_since").maximum
    at_days = drive(State(), {"location": "back_of_thigh", "onset": "gradual"}, until="days_since")
    state, turn = talk.answer(at_days, "days", value)
    assert state.answers["days_since"] == maximum
    assert keys(turn) == ["ack"] and turn.ask.question_id != "days_since"


def test_a_bare_number_of_days_past_the_maximum_is_still_refused():
    at_days = drive(State(), {"location": "back_of_thigh", "onset": "gradual"}, until="days_since")
    after, turn = talk.answer(at_days, "number", str(question("days_since").maximum + 1))
    assert after == at_days and keys(turn) == ["guide"]


@pytest.mark.parametrize("value", [None, -1, True, "14"])
def test_days_that_cannot_be_counted_are_refused_with_guidance(value):
    at_days = drive(State(), {"location": "back_of_thigh", "onset": "gradual"}, until="days_since")
    after, turn = talk.answer(at_days, "days", value)
    assert after == at_days and keys(turn) == ["guide"]


def test_two_weeks_is_not_a_pain_score():
    gradual = {"location": "back_of_thigh", "onset": "gradual", "days_since": 7}
    state = drive(State(), gradual, until="pain_score")
    after, turn = talk.answer(state, "days", 14)
    assert after == state and keys(turn) == ["guide"]


def test_go_back_removes_only_the_last_answer():
    state = drive(State(), {"location": "back_of_thigh", "onset": "gradual"}, until="days_since")
    last = state.history[-1]
    undone, turn = talk.go_back(state)
    assert undone.answers == {k: v for k, v in state.answers.items() if k != last}
    assert turn.ask.question_id == last
    assert keys(turn) == ["going_back"]


def test_going_back_repeatedly_returns_to_the_start_then_says_there_is_nothing_to_undo():
    state = drive(State(), {"location": "back_of_thigh", "onset": "gradual"}, until="days_since")
    for _ in state.history:
        state, _ = talk.go_back(state)
    assert state.answers == {}
    state, turn = talk.go_back(state)
    assert keys(turn) == ["nothing_to_undo"]


def test_go_back_from_the_time_question_reopens_the_days():
    state = finished(location="back_of_thigh", nerve_symptoms="yes", onset="gradual")
    state, _ = talk.choose_days(state, ["TU", "SA"])
    assert state.step().kind == talk.TIME
    state, turn = talk.go_back(state)
    assert talk.WEEKDAYS not in state.preferences
    assert turn.ask == talk.Step(talk.WEEKDAYS)


def test_reaching_the_end_of_the_questions_speaks_the_outcome_headline_then_offers_why_today_or_the_plan():
    done = drive(State(), dict(location="back_of_thigh", nerve_symptoms="yes", onset="gradual"))
    last = done.history[-1]
    one_to_go, _ = talk.go_back(done)
    state, turn = say_answer(one_to_go, last, done.answers[last])
    assert turn.ask == talk.Step(talk.OUTCOME)
    assert keys(turn) == ["outcome_intro", "see_clinician_promptly", "text"]
    assert "ack" not in keys(turn), "the outcome's own thanks is the acknowledgement"


PATHS = [  # different numbers of questions, so every ack in the round comes before the last answer
    {"location": "back_of_thigh", "onset": "gradual", "days_since": 0},
    {"location": "back_of_thigh", "onset": "sudden", "days_since": 0, "pop": "yes"},
    {"location": "back_of_thigh", "onset": "gradual", "days_since": 0, "shoe_test": "yes"},
    {"location": "back_of_thigh", "onset": "sudden", "days_since": 0, "nerve_symptoms": "yes"},
]


def test_the_paths_below_reach_every_ack_in_the_round():
    counts = {len(drive(State(), answers).history) % 4 for answers in PATHS}
    assert counts == {0, 1, 2, 3}


@pytest.mark.parametrize("answers", PATHS)
def test_the_last_answer_is_thanked_once_not_acknowledged_and_thanked_again(answers):
    # "Thanks. Thanks, that's all my questions." was heard when the round of acks came to "Thanks."
    from skill.prompts import for_locale, render_line

    done = drive(State(), answers)
    one_to_go, _ = talk.go_back(done)
    _, turn = say_answer(one_to_go, done.history[-1], done.answers[done.history[-1]])
    spoken = " ".join(render_line(for_locale("en-US"), line) for line in turn.say)
    assert spoken.startswith("Thanks, that's all my questions.") and spoken.count("Thanks") == 1, spoken


def test_yes_to_the_suggested_days_keeps_the_days_and_the_time_and_files_the_plan():
    state = finished(location="back_of_thigh", nerve_symptoms="yes", onset="gradual")
    state, turn = talk.answer(state, "yes", None)
    assert state.resolved_preferences() == {"weekdays": ["MO", "WE", "FR"], "time": "07:00"}
    assert state.preferences["weekdays"] == ["MO", "WE", "FR"] and state.preferences["time"] == "07:00"
    assert turn.action == talk.ACTION_FILE


def test_not_sure_at_the_days_question_keeps_the_suggested_days():
    state = finished(location="back_of_thigh", nerve_symptoms="yes", onset="gradual")
    state, turn = talk.unsure(state)
    assert state.preferences["weekdays"] == ["MO", "WE", "FR"]
    assert turn.ask == talk.Step(talk.TIME)


def test_a_start_date_must_be_from_today_to_a_year_ahead():
    state = finished(location="back_of_thigh", nerve_symptoms="yes", onset="gradual")
    today = dt.date(2026, 3, 1)
    for refused in (dt.date(2026, 2, 28), dt.date(2027, 3, 3), None):
        after, turn = talk.choose_start_date(state, refused, today)
        assert after == state and keys(turn) == ["start_date_not_understood"]
    after, turn = talk.choose_start_date(state, dt.date(2026, 3, 5), today)
    assert after.preferences["start_date"] == "2026-03-05"


@pytest.mark.parametrize(("spoken", "codes"), [
    (["monday", "Wednesday", "fridays"], ["MO", "WE", "FR"]),
    (["tues", None, "thu"], ["TU", "TH"]),
    (["?", "someday"], []),
])
def test_weekdays_are_read_from_what_alexa_heard(spoken, codes):
    assert talk.weekdays_from(spoken) == codes


@pytest.mark.parametrize(("value", "time"), [
    ("07:00", "07:00"), ("19:30", "19:30"), ("EV", "18:00"), ("MO", "07:00"),
    ("25:00", None), ("noonish", None), (None, None),
])
def test_times_are_read_from_amazon_time_values(value, time):
    assert talk.time_from(value) == time


@pytest.mark.parametrize(("value", "date"), [("2026-03-05", dt.date(2026, 3, 5)), ("2026-W10", None),
                                             ("2026-02-30", None), ("PRESENT_REF", None), ("2026-03", None)])
def test_only_whole_days_count_as_a_start_date(value, date):
    assert talk.date_from(value) == date


def test_the_state_survives_json_and_back():
    state = answered(location="behind_knee", nerve_symptoms="no", onset="sudden")
    state, _ = talk.ask_delete(state)
    again = State.from_attributes(json.loads(json.dumps(state.to_attributes())))
    assert again == state


@pytest.mark.parametrize("stored", [
    None, 5, "text", [], {"answers": "x"}, {"answers": {"pain_score": 99}},
    {"answers": {"location": "elbow", "nerve_symptoms": "no"}},
    {"answers": {"location": ["back_of_thigh"]}}, {"history": "location"},
    {"preferences": {"weekdays": ["XX"], "time": "99:99", "start_date": "soon"}},
    {"mode": "launch_missiles"},
])
def test_a_stored_state_that_makes_no_sense_is_read_as_a_fresh_start(stored):
    state = State.from_attributes(stored)
    assert state.answers == {} and state.preferences == {} and state.mode is None


def test_answers_that_the_question_path_would_never_ask_are_dropped_when_read():
    # With nerve symptoms the check is a referral at once; a later "onset" answer is kept because it
    # is still asked, but a pain score recorded out of order without its questions is not.
    state = State.from_attributes({"answers": {"location": "back_of_thigh", "pain_score": 3}})
    assert state.answers == {"location": "back_of_thigh"}
    assert state.history == ("location",)


def test_stop_keeps_the_answers_and_says_so():
    state = answered(location="behind_knee")
    kept, turn = talk.stop(state)
    assert kept.answers == state.answers
    assert keys(turn) == ["goodbye_progress_kept"] and turn.end


def test_delete_asks_for_confirmation_and_no_returns_to_where_the_runner_was():
    state = answered(location="behind_knee")
    confirming, turn = talk.ask_delete(state)
    assert turn.ask == talk.Step(talk.CONFIRM_DELETE)
    assert talk.answer(confirming, "yes", None)[1].action == talk.ACTION_DELETE
    back, turn = talk.answer(confirming, "no", None)
    assert back.mode is None and turn.ask.question_id == "nerve_symptoms"


def test_after_filing_the_conversation_starts_afresh_with_a_plan_on_file():
    state = finished(location="back_of_thigh", nerve_symptoms="yes", onset="gradual")
    done, turn = talk.plan_filed(state, code="AC3D7KPQMN", start_date="2026-03-02", weekdays=["MO"],
                                 time="07:00", site="coach.example")
    assert done == State(plan_on_file=True, mode=talk.CODE_OFFER, code="AC3D7KPQMN")
    assert keys(turn) == ["plan_ready", "plan_site"] and turn.ask == talk.Step(talk.CODE_OFFER)
    heard, turn = talk.answer(done, "yes", None)
    assert keys(turn) == ["code"] and turn.ask == talk.Step(talk.CODE_REPEAT)
    again, turn = talk.answer(heard, "yes", None)
    assert keys(turn) == ["code_spelled"] and turn.ask == talk.Step(talk.CODE_REPEAT)
    closed, turn = talk.answer(again, "no", None)
    # Then the plan's reminders are offered (skill.handlers.reminders reads the plan to say when).
    assert keys(turn) == ["card_sent"] and turn.action == talk.ACTION_OFFER_REMINDERS
    assert closed == State(plan_on_file=True)
    offering, turn = talk.reminders_offered(closed, talk.REMINDER_OFFER, talk.say("reminder_offer"))
    assert turn.ask == talk.Step(talk.REMINDER_OFFER)
    assert talk.answer(offering, "yes", None)[1].action == talk.ACTION_SET_REMINDERS
    declined, turn = talk.answer(offering, "no", None)
    assert turn.end and keys(turn) == ["reminders_declined", "goodbye_plan"]
    assert declined == State(plan_on_file=True)
    # Between visits the code is never kept: only the session carries it.
    assert "code" not in done.to_attributes(with_mode=False)
    assert State.from_attributes(done.to_attributes()).code == "AC3D7KPQMN"


def test_when_filing_fails_the_safety_advice_is_repeated_and_the_answers_kept():
    state = finished(location="back_of_thigh", nerve_symptoms="yes", onset="gradual")
    kept, turn = talk.plan_not_saved(state)
    assert kept.answers == state.answers
    assert keys(turn)[0] == "see_clinician_promptly" and keys(turn)[-1] == "plan_not_saved"
    assert turn.end


# ---- check-ins -------------------------------------------------------------------------------

MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
CRITERIA = [("walks-normally-pain-free", "Can you walk at a normal stride with no pain?"),
            ("slow-jog-pain-free", "Does a very slow jog, a few steps, feel pain-free?")]


def checking_in(*, outcome=None, pain=None, day=MONDAY, today=TUESDAY, criteria=(), gate_only=False):
    """A check-in opened as the handler opens it once the plan is read."""
    state, turn = talk.check_in_said(State(plan_on_file=True), outcome=outcome, pain=pain)
    assert turn.action == talk.ACTION_OPEN_CHECK_IN
    return talk.check_in_opened(state, day=day, today=today, criteria=criteria, gate_only=gate_only)


def test_a_check_in_asks_the_outcome_the_pain_the_next_morning_then_the_move_on_check_then_logs():
    state, turn = checking_in(criteria=CRITERIA)
    assert keys(turn) == ["check_in_for_day"] and turn.ask.kind == talk.SESSION_OUTCOME
    state, turn = talk.draft_answer(state, "outcome", "done")
    assert turn.ask.kind == talk.PAIN_DURING
    state, turn = talk.answer(state, "number", "2")
    assert turn.ask.kind == talk.PAIN_NEXT_MORNING
    state, turn = talk.answer(state, "number", "1")
    assert turn.ask == talk.Step(talk.CRITERION, CRITERIA[0][0], CRITERIA[0][1])
    assert "gate_intro" in keys(turn)
    state, turn = talk.answer(state, "yes", None)
    state, turn = talk.answer(state, "no", None)
    assert turn.action == talk.ACTION_LOG_CHECK_IN and turn.ask is None
    assert talk.Draft(state.check_in).report() == {
        "date": "2026-03-02", "session": "done", "pain_during": 2, "pain_next_morning": 1,
        "criteria": {"walks-normally-pain-free": True, "slow-jog-pain-free": False}}


def test_a_missed_session_asks_no_pain_and_a_move_on_check_alone_reports_no_session():
    state, _ = checking_in()
    state, turn = talk.draft_answer(state, "outcome", "missed")
    assert turn.action == talk.ACTION_LOG_CHECK_IN
    assert talk.Draft(state.check_in).report() == {"date": "2026-03-02", "session": "missed"}

    state, turn = checking_in(day=TUESDAY, criteria=CRITERIA[:1], gate_only=True)
    assert turn.ask.kind == talk.CRITERION
    state, turn = talk.answer(state, "yes", None)
    assert talk.Draft(state.check_in).report() == {"date": "2026-03-03",
                                                   "criteria": {"walks-normally-pain-free": True}}


def test_the_next_morning_is_asked_only_about_a_session_before_today():
    state, _ = checking_in(outcome="done", pain="3", day=TUESDAY, today=TUESDAY)
    assert talk.pending_action(state) == talk.ACTION_LOG_CHECK_IN


@pytest.mark.parametrize("heard", ["?", "11", "-1", "", "4.5", None])
def test_a_pain_score_outside_zero_to_ten_is_asked_again_with_guidance(heard):
    state, _ = checking_in(outcome="done")
    again, turn = talk.answer(state, "number", heard)
    assert "guide_pain" in keys(turn) and turn.brief
    assert again == state


def test_i_dont_know_skips_the_next_morning_but_not_the_pain_during():
    state, _ = checking_in(outcome="done")
    same, turn = talk.unsure(state)
    assert keys(turn) == ["rough_answer_will_do", "guide_pain"] and same == state
    state, _ = talk.answer(state, "number", "2")
    state, turn = talk.unsure(state)
    assert keys(turn) == ["morning_skipped"] and turn.action == talk.ACTION_LOG_CHECK_IN
    assert "pain_next_morning" not in talk.Draft(state.check_in).report()


def test_a_check_in_draft_survives_the_session_but_is_never_kept_between_visits():
    state, _ = checking_in(outcome="partial", criteria=CRITERIA)
    state, _ = talk.answer(state, "number", "4")
    confirming, _ = talk.ask_delete(state)
    for current in (state, confirming):
        again = State.from_attributes(json.loads(json.dumps(current.to_attributes())))
        assert again == current
        assert "check_in" not in current.to_attributes(with_mode=False)
    back, turn = talk.answer(confirming, "no", None)
    assert back.check_in == state.check_in and turn.ask.kind == talk.PAIN_NEXT_MORNING
    assert talk.new_visit(state).check_in is None and talk.new_visit(state).mode is None


@pytest.mark.parametrize("tampered", [
    {"kind": "check_in", "ready": True, "date": "2026-03-02",
     "said": {"session": "maybe", "pain_during": 99}},
    {"kind": "check_in", "ready": True, "date": "2026-03-02", "said": {"pain_during": True}},
    {"kind": "check_in", "ready": True, "date": "2026-03-02", "criteria": [["a", "A?"]],
     "said": {"criteria": {"a": "yes", "b": True}}},
    {"kind": "check_in", "ready": True, "date": "soon", "said": {}},
])
def test_a_tampered_check_in_draft_loses_the_bad_parts(tampered):
    state = State.from_attributes({"mode": talk.CHECK_IN, "check_in": tampered})
    draft = talk.Draft(state.check_in)
    assert draft.said == {}
    if tampered["date"] == "soon":
        assert not draft.ready and talk.pending_action(state) == talk.ACTION_OPEN_CHECK_IN
    else:
        assert state.step().kind == talk.SESSION_OUTCOME


@pytest.mark.parametrize("check_in", [None, "x", {"kind": "launch_missiles"}, []])
def test_a_check_in_mode_without_a_draft_is_read_as_no_check_in(check_in):
    state = State.from_attributes({"mode": talk.CHECK_IN, "check_in": check_in})
    assert state.mode is None and state.check_in is None


def test_the_store_away_keeps_the_draft_and_yes_tries_again():
    state, _ = checking_in(outcome="done", pain="2", day=TUESDAY, today=TUESDAY)
    waiting, turn = talk.draft_not_saved(state)
    assert keys(turn) == ["check_in_not_saved"] and turn.ask == talk.Step(talk.RETRY_SAVE)
    assert waiting.check_in == state.check_in
    again, turn = talk.answer(waiting, "yes", None)
    assert turn.action == talk.ACTION_LOG_CHECK_IN
    done, turn = talk.answer(waiting, "no", None)
    assert keys(turn) == ["nothing_logged"] and turn.end and done.check_in is None


def test_a_check_in_in_the_middle_of_a_triage_returns_to_its_question():
    state = answered(location="behind_knee")
    opening, _ = talk.check_in_said(state, outcome="done", pain="1")
    opened, _ = talk.check_in_opened(opening, day=TUESDAY, today=TUESDAY, criteria=())
    done, turn = talk.check_in_logged(opened, says="Good: same again on Wednesday.")
    assert done.mode is None and done.check_in is None and done.answers == state.answers
    assert keys(turn) == ["check_in_logged", "text", "then_carry_on"]
    assert turn.ask.question_id == "nerve_symptoms"


def test_stopping_a_check_in_says_nothing_was_logged():
    state, _ = checking_in()
    done, turn = talk.stop(state)
    assert keys(turn) == ["goodbye_nothing_logged"] and done.check_in is None


def test_a_clearance_asks_which_programme_unless_it_was_said():
    asking, turn = talk.clearance_said(State(plan_on_file=True), None)
    assert turn.action == talk.ACTION_OPEN_CLEARANCE
    asking, turn = talk.clearance_opened(asking)
    assert turn.ask == talk.Step(talk.CLEARANCE)
    again, turn = talk.draft_answer(asking, "category", "refer")  # not a programme one is cleared for
    assert keys(turn) == ["guide_clearance"] and again == asking
    chosen, turn = talk.clearance_said(asking, "strain_low_grade")
    assert turn.action == talk.ACTION_LOG_CLEARANCE
    assert talk.Draft(chosen.check_in).category == "strain_low_grade"
    said, turn = talk.clearance_said(State(plan_on_file=True), "strain")
    assert talk.clearance_opened(said)[1].action == talk.ACTION_LOG_CLEARANCE
