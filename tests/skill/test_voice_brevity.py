"""Brevity (issue 11 (2), design.md §5): no prompt longer than about 40 words, help and the test
steps excepted. The walk goes through the conversation itself along every answer path (the idea
of tests/rehab/test_triage_fidelity.py's walker: every choice, "not sure" wherever a question
takes it, the numbers each side of every threshold), renders each turn as Alexa would say it,
and then, at each distinct outcome, every branch of it: why, what to do today, "shall I go on?",
the same-day warning and the plan's first questions."""

from __future__ import annotations

import functools
import re

import pytest

from rehab.questions import next_question
from skill import conversation as talk
from skill.console import speech_text
from skill.conversation import State, Turn
from skill.prompts import SUPPORTED_LOCALES, for_locale, render_ask, render_line
from tests.rehab.test_triage_fidelity import DAYS, PAIN

# "About 40 words": the longest outcome headline ("It's most likely an overloaded hamstring tendon
# (tendinopathy). Easy running only: ...") is 42.
WORD_LIMIT = 42
# Help and the test steps go step by step and may be longer (design.md §5).
EXEMPT = {"question_help", "test_steps", "help_commands"}
PROMPTS = for_locale("en-US")


def words(ssml: str) -> int:
    text = speech_text({"type": "SSML", "ssml": f"<speak>{ssml}</speak>"})
    return len(re.sub(r"\[pause \d+ s\]|…", " ", text).split())


def spoken(turn: Turn, prompts=PROMPTS) -> str | None:
    """What Alexa says for a turn, or None when it is exempt from the limit."""
    if any(line.key in EXEMPT or line.key.startswith("help_") for line in turn.say):
        return None
    parts = [render_line(prompts, line) for line in turn.say]
    if turn.ask is not None and not turn.end:
        parts.append(render_ask(prompts, turn.ask, brief=turn.brief)[0])
    return " ".join(p for p in parts if p)


def _said(q) -> tuple[object, ...]:
    if q.id == "days_since":
        return tuple(DAYS) + ("unsure",)
    if q.id == "pain_score":
        return tuple(PAIN)
    # "Not sure" (or "I didn't try it") is said as such wherever a question takes it.
    return tuple(c for c in q.choices if c not in ("unsure", "not_done")) + (
        ("unsure",) if q.if_unsure is not None else ())


def _answer(state: State, q, value) -> tuple[State, Turn]:
    if value == "unsure":
        return talk.unsure(state)
    if q.id in ("location", "onset"):
        return talk.answer(state, q.id, value)
    if isinstance(value, int):
        return talk.answer(state, "days" if q.id == "days_since" else "number", value)
    return talk.answer(state, value, None)


def _outcome_branches(state: State):
    """Every turn the outcome can give, from its menu."""
    for first in ("why", "today", "plan", "yes", "unsure", "other"):
        now, turn = talk.outcome_choice(state, first)
        yield (first,), turn
        for step in range(8):  # "shall I go on?" yes until the queue is empty, then on to the plan
            kind = now.step().kind if now.mode is None else None
            if kind in (talk.OUTCOME_MORE, talk.OUTCOME):
                now, turn = talk.answer(now, "yes", None)
            else:
                break
            yield (first, step), turn


@functools.cache
def _walk() -> tuple[list[str], int, int]:
    """(problems, paths walked, outcomes walked)."""
    problems: list[str] = []
    seen_outcomes: set[tuple] = set()
    counts = {"paths": 0, "outcomes": 0}

    def check(where, turn: Turn) -> None:
        text = spoken(turn)
        if text is not None and words(text) > WORD_LIMIT:
            problems.append(f"{where}: {words(text)} words: {speech_text({'type': 'SSML', 'ssml': text})}")

    def dfs(state: State) -> None:
        q = next_question(state.answers)
        if q is None:
            counts["paths"] += 1
            answers = state.answers
            signature = (tuple(talk.why_sentences(answers)), tuple(talk.today_sentences(answers)),
                         talk.safety_net_relevant(answers),
                         tuple(line.params.get("text", line.key) for line in talk.outcome_lines(answers)))
            if signature in seen_outcomes:
                return
            seen_outcomes.add(signature)
            counts["outcomes"] += 1
            for path, turn in _outcome_branches(state):
                check((dict(state.answers), path), turn)
            return
        for value in _said(q):
            after, turn = _answer(state, q, value)
            assert q.id in after.answers, (q.id, value)
            check((dict(after.answers), q.id), turn)
            dfs(after)

    original = talk.assessment_for
    cached = functools.lru_cache(maxsize=4)(lambda items: original(dict(items)))
    talk.assessment_for = lambda answers: cached(tuple(sorted(answers.items())))
    try:
        dfs(State())
    finally:
        talk.assessment_for = original
    return problems, counts["paths"], counts["outcomes"]


def test_every_answer_path_through_the_skill_keeps_every_prompt_within_about_forty_words():
    problems, paths, outcomes = _walk()
    assert paths > 20_000 and outcomes > 100, (paths, outcomes)
    assert not problems, f"{len(problems)} prompts over {WORD_LIMIT} words, e.g. {problems[:3]}"


def test_the_word_count_sees_a_long_turn():
    long = Turn(say=(talk.say("text", text="word " * (WORD_LIMIT + 1)),))
    assert words(spoken(long)) == WORD_LIMIT + 1


def test_not_sure_at_how_long_ago_is_taken_with_a_default_said_aloud():
    state = State()
    for value in ("back_of_thigh", "no", "gradual"):
        state, _ = _answer(state, next_question(state.answers), value)
    assert next_question(state.answers).id == "days_since"
    state, turn = talk.unsure(state)
    said = " ".join(render_line(PROMPTS, line) for line in turn.say)
    assert state.answers["days_since"] == talk.UNSURE_DAYS["gradual"]
    assert "two weeks" in said and "go back" in said


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_asked_step_and_reprompt_is_within_the_limit_in_every_locale(locale):
    prompts = for_locale(locale)
    for key, text in prompts.text.items():
        if key.startswith(("ask_", "reprompt_")):
            assert len(text.split()) <= WORD_LIMIT - 8, key  # room for a short lead
    for qid in ("location", "nerve_symptoms", "onset", "days_since", "pain_score"):
        assert len(prompts.question_words(qid, "spoken").split()) <= WORD_LIMIT - 8


# The welcome turns are the first thing a runner hears: within the bar itself (40 words), not "about".
WELCOME_LIMIT = 40
WELCOMES = {
    "first visit": State(),
    "back with a check unfinished": State(answers={"location": "back_of_thigh"}),
    "back with a plan": State(plan_on_file=True),
}


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
@pytest.mark.parametrize("visit", list(WELCOMES))
def test_every_welcome_turn_is_within_forty_words_in_every_locale(locale, visit):
    prompts = for_locale(locale)
    _, turn = talk.launch(WELCOMES[visit])
    text = spoken(turn, prompts)
    assert text is not None and speech_text({"type": "SSML", "ssml": text}).startswith("Welcome")
    assert words(text) <= WELCOME_LIMIT, f"{words(text)} words: {text}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_first_welcome_keeps_the_disclaimer_and_says_whom_to_call_in_an_emergency(locale):
    _, turn = talk.launch(State())
    said = speech_text({"type": "SSML", "ssml": spoken(turn, for_locale(locale))})
    assert "not a substitute for professional medical advice" in said
    assert re.search(r"emergenc\w+, call \w+", said), said


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_the_one_shot_start_with_its_disclaimer_is_within_forty_words_too(locale):
    _, turn = talk.check_hamstring(State())
    assert words(spoken(turn, for_locale(locale))) <= WELCOME_LIMIT
