"""The at-home tests fit Alexa's listening window (issue 11 (3)): one instruction, a pause long
enough to do it (SSML breaks of at most 10 s), then the yes/no question; "wait" / "not yet" buys
more time; "how do I do it" gives the steps one at a time."""

from __future__ import annotations

import re

import pytest

from rehab.questions import question
from skill.conversation import TEST_QUESTIONS

TO_THE_TESTS = {"location": "back_of_thigh", "onset": "gradual", "days_since": 10}
BREAKS = re.compile(r'<break time="(\d+)s"/>')


def at_test(voice, test_id: str):
    voice.launch()
    answers = {**TO_THE_TESTS, **{t: "no" for t in TEST_QUESTIONS if t != test_id}}
    for _ in range(20):
        step = voice.current_step()
        if step.question_id == test_id:
            return voice.last
        voice.answer(answers.get(step.question_id, "no"))
    raise AssertionError(f"{test_id} was never asked")


@pytest.mark.parametrize("test_id", sorted(TEST_QUESTIONS))
def test_each_test_is_an_instruction_a_pause_to_do_it_then_the_question(voice, test_id):
    asked = at_test(voice, test_id)
    before, after = asked.ssml.rsplit("<break", 1)
    pauses = [int(s) for s in BREAKS.findall(asked.ssml)]
    assert len(pauses) == 1 and 5 <= pauses[0] <= 10
    assert after.rstrip("</speak>").endswith("?"), "the yes/no question comes after the pause"
    assert asked.reprompt == question(test_id).reprompt


@pytest.mark.parametrize("said", ["WaitIntent"])
def test_wait_buys_time_and_asks_again_without_recording_anything(voice, said):
    at_test(voice, "shoe_test")
    before = voice.last.state
    reply = voice.say(said)
    assert reply.speech.startswith("Take your time.")
    assert [int(s) for s in BREAKS.findall(reply.ssml)] == [10]
    assert reply.speech.endswith(question("shoe_test").reprompt)
    assert voice.last.state == before and not reply.ended


def test_how_do_i_do_it_gives_the_steps_one_at_a_time_then_a_yes_records_yes(voice):
    at_test(voice, "hinge_test")
    reply = voice.say("ExplainTestIntent")
    steps = [s for s in re.split(r'<break time="3s"/>', reply.ssml) if s.strip()]
    assert len(steps) >= 4, "each step, then a pause"
    assert reply.speech.endswith(question("hinge_test").reprompt)
    voice.say("AMAZON.YesIntent")
    assert voice.last.state.answers["hinge_test"] == "yes"
