"""Reprompt polarity (issue 11 (4)): after silence Alexa says the reprompt, and a "yes" to it must
record what a runner means by yes to those words, not to the first question's."""

from __future__ import annotations

import re

import pytest

from rehab.questions import QUESTIONS
from skill import conversation as talk
from skill.conversation import State, Step
from skill.prompts import SUPPORTED_LOCALES, for_locale, render_ask

# What a yes to each yes/no question's reprompt is about: the reprompt must ask that, plainly
# (the limp reprompt once asked "Can you walk normally? Say yes if you're limping").
YES_MEANS = {
    "nerve_symptoms": "numbness", "pop": "pop", "bruising": "bruising", "gait_altered": "limping",
    "pain_walking": "pain while walking", "shoe_test": "hurt", "hinge_test": "hurt",
    "heel_press_test": "hurt", "training_change": "speed work",
}
NEGATED = re.compile(r"\b(normally|not|no longer|without|free of)\b.*\?", re.I)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_each_yes_no_reprompt_asks_the_thing_a_yes_records(locale):
    prompts = for_locale(locale)
    yes_no = [q for q in QUESTIONS if "yes" in q.choices]
    assert {q.id for q in yes_no} == set(YES_MEANS)
    for q in yes_no:
        _, reprompt = render_ask(prompts, Step("question", q.id))
        asked = reprompt.split("?")[0] + "?"
        assert YES_MEANS[q.id] in asked.lower(), (q.id, reprompt)
        assert not NEGATED.search(asked), (q.id, reprompt)
        assert "say yes if" not in reprompt.lower(), (q.id, reprompt)


def test_a_yes_after_each_yes_no_reprompt_records_yes():
    for q in QUESTIONS:
        if "yes" not in q.choices:
            continue
        state = State()
        for _ in range(20):
            step = state.step()
            if step.question_id == q.id or step.kind != "question":
                break
            asked = step.question
            value = {"location": "back_of_thigh", "onset": "sudden"}.get(asked.id)
            if value is not None:
                state, _ = talk.answer(state, asked.id, value)
            elif asked.kind == "number":
                state, _ = talk.answer(state, "number", 2)
            else:
                state, _ = talk.answer(state, "no", None)
        if state.step().question_id != q.id:
            continue  # not on this path (the walk in test_voice_brevity goes everywhere)
        state, _ = talk.answer(state, "yes", None)
        assert state.answers[q.id] == "yes", q.id


# Each mode's reprompt says what yes does; a yes then does it.
MODE_YES = [
    (State(answers={"location": "back_of_thigh"}, history=("location",), mode=talk.RESUME), "carry on",
     lambda state, turn: state.mode is None and turn.ask.question_id == "nerve_symptoms"),
    (State(plan_on_file=True, mode=talk.HOME), "hear your next session",
     lambda state, turn: turn.action == talk.ACTION_READ_SESSION),
    (State(plan_on_file=True, mode=talk.CONFIRM_DELETE), "delete",
     lambda state, turn: turn.action == talk.ACTION_DELETE),
    (State(mode=talk.START_OFFER), "check your hamstring",
     lambda state, turn: turn.ask.question_id == "location"),
    (State(plan_on_file=True, mode=talk.CODE_OFFER, code="AC3D7KPQMN"), "code",
     lambda state, turn: [line.key for line in turn.say] == ["code"]),
    (State(plan_on_file=True, mode=talk.CODE_REPEAT, code="AC3D7KPQMN"), "repeat",
     lambda state, turn: [line.key for line in turn.say] == ["code_spelled"]),
]


@pytest.mark.parametrize(("state", "words", "did"), MODE_YES)
def test_a_yes_after_each_modes_reprompt_does_what_the_reprompt_says(state, words, did):
    _, reprompt = render_ask(for_locale("en-US"), state.step())
    assert words in reprompt.lower() and "yes" in reprompt.lower(), reprompt
    after, turn = talk.answer(state, "yes", None)
    assert did(after, turn), turn
