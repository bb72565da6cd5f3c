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
