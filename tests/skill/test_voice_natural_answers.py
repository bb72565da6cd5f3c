"""Natural answers (issue 11 (4)): words meant for another question get a reply that helps."""

from __future__ import annotations

import datetime as dt


def to(voice, question_id: str, **answers):
    voice.launch()
    plan = {"location": "back_of_thigh", "onset": "gradual", "days_since": 10, **answers}
    for _ in range(20):
        step = voice.current_step()
        if step.question_id == question_id:
            return
        voice.answer(plan.get(step.question_id, "no"))
    raise AssertionError(question_id)


def test_on_monday_at_how_long_ago_counts_back_to_that_monday(voice, clock):
    to(voice, "days_since")
    today = clock().date()
    reply = voice.say("ChooseDaysIntent", {"firstDay": "monday"})
    back = (today.weekday() - 0) % 7
    assert voice.last.state.answers["days_since"] == back
    assert reply.speech.startswith(f"So it started {back} days ago.")
    assert (today - dt.timedelta(days=back)).weekday() == 0


def test_at_seven_at_the_pain_question_is_taken_as_seven_and_said_back(voice):
    to(voice, "pain_score")
    reply = voice.say("ChooseTimeIntent", {"time": "07:00"})
    assert voice.last.state.answers["pain_score"] == 7
    assert reply.speech.startswith("I heard 7.")


def test_a_day_at_a_yes_no_question_gets_what_the_question_needs_not_a_lecture(voice):
    to(voice, "nerve_symptoms")
    reply = voice.say("ChooseDaysIntent", {"firstDay": "monday"})
    assert "once the questions are done" not in reply.speech
    assert "Please answer yes, no or not sure." in reply.speech
    assert voice.current_step().question_id == "nerve_symptoms"


def test_not_sure_at_how_long_ago_after_a_sudden_start_is_taken_as_recent(voice):
    to(voice, "days_since", onset="sudden")
    reply = voice.say("UnsureIntent")
    assert voice.last.state.answers["days_since"] == 3
    assert reply.speech.startswith("No problem: I'll count it as about three days ago.")


# ---- an answer meant for another question (issue 11: no sample is a built-in slot alone, so
# Alexa may send a bare "seven" or "monday" as whichever intent takes that kind of value) -------


def to_the_time_question(voice):
    from tests.samples import TIGHT

    voice.launch()
    voice.answer_triage(TIGHT)
    voice.to_the_plan()
    voice.say("ChooseDaysIntent", {"firstDay": "monday", "secondDay": "thursday"})
    assert voice.current_step().kind == "time", voice.last.speech


def test_a_number_at_the_time_question_asks_for_a_time_of_day_and_keeps_the_days(voice):
    to_the_time_question(voice)
    reply = voice.say("AnswerNumberIntent", {"number": "7"})
    assert voice.current_step().kind == "time" and not reply.ended
    assert "time of day" in reply.speech and "once the questions are done" not in reply.speech
    assert voice.last.state.preferences["weekdays"] == ["MO", "TH"]


def test_a_duration_at_the_time_question_asks_for_a_time_of_day(voice):
    to_the_time_question(voice)
    reply = voice.say("AnswerNumberIntent", {"duration": "PT1H"})
    assert voice.current_step().kind == "time" and "time of day" in reply.speech


def test_a_number_at_the_days_question_asks_for_the_days(voice):
    from tests.samples import TIGHT

    voice.launch()
    voice.answer_triage(TIGHT)
    voice.to_the_plan()
    reply = voice.say("AnswerNumberIntent", {"number": "3"})
    assert voice.current_step().kind == "weekdays" and "days" in reply.speech and not reply.ended


def test_a_day_at_the_pain_question_asks_for_a_number_from_zero_to_ten(voice):
    to(voice, "pain_score")
    reply = voice.say("ChooseDaysIntent", {"firstDay": "monday"})
    assert voice.current_step().question_id == "pain_score"
    assert "pain_score" not in voice.last.state.answers
    assert "zero to ten" in reply.speech and "once the questions are done" not in reply.speech


def test_a_duration_at_the_pain_question_asks_for_a_number_from_zero_to_ten(voice):
    to(voice, "pain_score")
    reply = voice.say("AnswerNumberIntent", {"duration": "P2D"})
    assert voice.current_step().question_id == "pain_score" and "zero to ten" in reply.speech


def test_a_time_at_how_long_ago_asks_again_how_long_ago(voice):
    to(voice, "days_since")
    reply = voice.say("ChooseTimeIntent", {"time": "07:00"})
    assert voice.current_step().question_id == "days_since"
    assert "how long ago" in reply.speech and not reply.ended
