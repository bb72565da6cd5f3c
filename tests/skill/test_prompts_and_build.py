"""The skill's words per locale, how they are rendered into SSML, and how the skill is assembled:
every intent of the voice model has its own handler, and the Settings API lookup falls back to UTC."""

from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from types import SimpleNamespace

import pytest

from rehab.models import Dosage
from rehab.questions import QUESTIONS
from skill import conversation as talk
from skill import envelopes
from skill.build import HANDLERS, alexa_time_zone
from skill.conversation import Line, State, Step
from skill.handlers.navigation import FallbackHandler
from skill.prompts import SUPPORTED_LOCALES, for_locale, phonetic_code, render_ask, render_line, spell_code

ROOT = Path(__file__).resolve().parents[2]
US = for_locale("en-US")
# Keys built from a step's kind (help_weekdays, need_time, ask_resume, ...).
STEP_KINDS = (talk.WEEKDAYS, talk.TIME, talk.RESUME, talk.HOME, talk.CONFIRM_DELETE, talk.OUTCOME,
              talk.OUTCOME_MORE, talk.CODE_OFFER, talk.CODE_REPEAT)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_locale_says_everything_en_us_says(locale):
    prompts = for_locale(locale)
    assert prompts.locale == locale
    assert set(prompts.text) == set(US.text)
    for key, text in prompts.text.items():
        assert text.strip(), key


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_step_can_be_asked_and_helped_in_every_locale(locale):
    prompts = for_locale(locale)
    for kind in STEP_KINDS:
        for brief in (False, True):
            asked, reprompt = render_ask(prompts, Step(kind), brief=brief)
            assert asked and reprompt
        if kind in (talk.WEEKDAYS, talk.TIME):
            assert render_line(prompts, Line(f"need_{kind}"))
        assert render_line(prompts, Line(f"help_{kind}"))
    for q in QUESTIONS:
        for heard in ("yes", "number", "unsure", "other"):
            assert render_line(prompts, Line("guide", {"question_id": q.id, "heard": heard}))
        asked = render_ask(prompts, Step("question", q.id))[0]
        pauses = re.findall(r'<break time="(\d+)s"/>', asked)
        # An at-home test pauses once, up to 10 s (SSML's limit), to do it before the question.
        assert len(pauses) == (1 if q.id in talk.TEST_QUESTIONS else 0) and all(int(p) <= 10 for p in pauses)
        assert re.sub(r'<break time="\d+s"/>', "", asked) == prompts.question_words(q.id, "spoken")


# The check-in's steps (skill.conversation), as the conversation asks them.
CHECK_IN_STEPS = (
    Step(talk.SESSION_OUTCOME, date="2026-03-02"), Step(talk.PAIN_DURING), Step(talk.PAIN_NEXT_MORNING),
    Step(talk.CRITERION, "walks-normally-pain-free", "Can you walk at a normal stride with no pain?"),
    Step(talk.CHECK_IN_OFFER, date="2026-03-02"), Step(talk.GATE_OFFER, date="2026-03-09"),
    Step(talk.RETRY_SAVE), Step(talk.CLEARANCE), Step(talk.START_OFFER),
)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_check_in_step_can_be_asked_briefly_or_in_full_and_helped_in_every_locale(locale):
    prompts = for_locale(locale)
    for step in CHECK_IN_STEPS:
        for brief in (False, True):
            asked, reprompt = render_ask(prompts, step, brief=brief)
            assert asked and reprompt and "{" not in asked + reprompt
            assert len(asked.split()) <= 40 and len(reprompt.split()) <= 40
        assert render_line(prompts, Line(f"help_{step.kind}"))
    offer = render_ask(prompts, Step(talk.CHECK_IN_OFFER, date="2026-03-02"))[0]
    assert prompts.date("2026-03-02") in offer
    criterion = CHECK_IN_STEPS[3]
    assert render_ask(prompts, criterion) == (criterion.text, f"{criterion.text} Please say yes or no.")


def test_a_criterion_question_from_the_plan_is_escaped_for_ssml():
    asked, reprompt = render_ask(US, Step(talk.CRITERION, "x", "Pain < 3 & no limp?"))
    assert asked == "Pain &lt; 3 &amp; no limp?" and reprompt.startswith(asked)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_line_a_check_in_produces_renders_in_every_locale(locale):
    prompts = for_locale(locale)
    day, today = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
    criteria = [("walks-normally-pain-free", "Can you walk at a normal stride with no pain?")]
    opening, _ = talk.check_in_said(State(plan_on_file=True), outcome=None, pain="?")
    states = [talk.check_in_opened(opening, day=day, today=today, criteria=criteria)[0]]
    state = states[0]
    for kind, value in (("outcome", "done"), ("number", "3"), ("unsure", None)):
        state, _ = talk.draft_answer(state, kind, value)
        states.append(state)
    states.append(talk.draft_not_saved(state)[0])
    states.append(talk.offer_check_in(State(), [], day=day, today=today, criteria=criteria,
                                      gate_only=True)[0])
    states.append(talk.clearance_opened(talk.clearance_said(State(), None)[0])[0])
    states.append(talk.no_plan_for_draft(State())[0])
    transitions = [
        talk.repeat, talk.help_, talk.go_back, talk.start_over, talk.stop, talk.fallback, talk.explain_test,
        talk.unsure, talk.ask_delete, talk.draft_not_saved, talk.not_a_referral,
        lambda s: talk.answer(s, "yes", None), lambda s: talk.answer(s, "no", None),
        lambda s: talk.answer(s, "number", "11"), lambda s: talk.draft_answer(s, "outcome", "partial"),
        lambda s: talk.draft_answer(s, "category", "tendinopathy"),
        lambda s: talk.check_in_logged(s, says="Rest & ice: it's fine.", gate_due=criteria, today=today),
        lambda s: talk.check_in_refused(s, "the check-in's date is in the future"),
        lambda s: talk.plan_not_started(s, day), lambda s: talk.clearance_logged(s, says="Good."),
        lambda s: talk.after_reading(s, [talk.say("text", text="Your pain has come down.")]),
        lambda s: talk.finish_draft(s, talk.say("before_plan_started", date="2026-03-02")),
        lambda s: talk.finish_draft(s, talk.say("check_in_invalid")),
        lambda s: talk.finish_draft(s, talk.say("clearance_first_session", date="2026-03-06", time="07:00")),
        lambda s: talk.finish_draft(s, talk.say("session_gate_due"), talk.say("session_gate_next",
                                                                              date="2026-03-09")),
    ]
    rendered = 0
    for start in states:
        for transition in transitions:
            _, turn = transition(start)
            for line in turn.say:
                text = render_line(prompts, line)
                assert text and "{" not in text
                rendered += 1
            if turn.ask is not None:
                assert all(render_ask(prompts, turn.ask, brief=turn.brief))
    assert rendered > 100


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_line_a_conversation_produces_renders_in_every_locale(locale):
    """Walk the state machine through every transition from a range of states and render it all."""
    prompts = for_locale(locale)
    states = [State(), State(plan_on_file=True), talk.new_visit(State(answers={"location": "behind_knee"}))]
    state = State()
    for _ in range(14):
        step = state.step()
        if step.kind != "question":
            break
        q = step.question
        value = q.maximum if q.kind == "number" else q.choices[0]
        kind = q.id if q.id in ("location", "onset") else "number" if q.kind == "number" else value
        state, _ = talk.answer(state, kind, value)
        states.append(state)
    states.append(talk.ask_delete(state)[0])
    transitions = [
        talk.launch, talk.check_hamstring, talk.unsure, talk.go_back, talk.repeat, talk.help_,
        talk.explain_test, talk.fallback, talk.stop, talk.ask_delete, talk.start_over, talk.plan_not_saved,
        lambda s: talk.answer(s, "yes", None), lambda s: talk.answer(s, "no", None),
        lambda s: talk.answer(s, "number", "11"), lambda s: talk.choose_days(s, ["TU"]),
        lambda s: talk.choose_days(s, []), lambda s: talk.choose_time(s, "18:30"),
        lambda s: talk.choose_time(s, None), lambda s: talk.delete_failed(s),
        lambda s: talk.choose_start_date(s, dt.date(2026, 3, 5), dt.date(2026, 3, 1)),
        lambda s: talk.plan_filed(s, code="AC3D7K", start_date="2026-03-02", weekdays=["MO", "TH"],
                                  time="06:45", site="coach.example"),
        lambda s: talk.data_deleted(2),
    ]
    rendered = 0
    for start in states:
        for transition in transitions:
            _, turn = transition(start)
            for line in turn.say:
                assert render_line(prompts, line)
                rendered += 1
            if turn.ask is not None:
                assert all(render_ask(prompts, turn.ask, brief=turn.brief))
    assert rendered > 100


def test_text_is_escaped_for_ssml():
    assert render_line(US, Line("text", {"text": "Sets & reps <b>"})) == "Sets &amp; reps &lt;b&gt;"


def test_the_code_is_spelled_one_character_at_a_time_with_pauses():
    ssml = spell_code("AC3")
    assert ssml == ('<say-as interpret-as="spell-out">A</say-as><break time="400ms"/>'
                    '<say-as interpret-as="spell-out">C</say-as><break time="400ms"/>'
                    '<say-as interpret-as="spell-out">3</say-as><break time="400ms"/>')
    spoken = render_line(US, Line("code", {"code": "AC3D7K"}))
    assert spoken.startswith("Your code is:")
    assert spoken.count('interpret-as="spell-out"') == 6  # once, slowly: "repeat it" says it again
    again = render_line(US, Line("code_spelled", {"code": "AC3D7K"}))
    assert again.endswith(spell_code("AC3D7K")) and again.count('interpret-as="spell-out"') == 6


def spell(ch: str) -> str:
    return f'<say-as interpret-as="spell-out">{ch}</say-as>'


def test_the_code_is_said_first_with_a_word_for_each_letter_then_letter_by_letter():
    # C, D, E, P, T, V and 3 sound alike over a kitchen speaker: the first reading tells them apart.
    pause, between_groups = '<break time="400ms"/>', '<break time="700ms"/>'
    spoken = render_line(US, Line("code", {"code": "CD3EPVAT7K"}))

    intro, first = spoken.split('<break time="800ms"/>')
    assert intro == "Your code is:"
    assert first == (
        f" {spell('C')} for Charlie,{pause} {spell('D')} for Delta,{pause} "
        f"{spell('3')},{pause} {spell('E')} for Echo,{pause} {spell('P')} for Papa,{between_groups} "
        f"{spell('V')} for Victor,{pause} {spell('A')} for Alpha,{pause} {spell('T')} for Tango,{pause} "
        f"{spell('7')},{pause} {spell('K')} for Kilo.")
    repeated = render_line(US, Line("code_spelled", {"code": "CD3EPVAT7K"}))
    assert repeated == 'Once more, letter by letter:<break time="800ms"/> ' + spell_code("CD3EPVAT7K")
    for ssml in (spoken, repeated):
        ElementTree.fromstring(f"<speak>{ssml}</speak>")  # Alexa refuses SSML that is not well-formed


def test_every_letter_a_code_may_hold_has_its_own_word_and_digits_are_said_as_numbers():
    from plans.codes import CODE_ALPHABET

    letters = [ch for ch in CODE_ALPHABET if ch.isalpha()]
    words = [US.phonetic[ch] for ch in letters]
    assert all(word[0] == ch for ch, word in zip(letters, words, strict=True))
    assert len(set(words)) == len(words)
    for digit in (ch for ch in CODE_ALPHABET if ch.isdigit()):
        assert phonetic_code(US, digit) == f"{spell(digit)}."


def test_the_code_turn_stays_within_about_40_words_for_the_wordiest_code():
    # A letter takes three words ("C for Charlie"), a digit one: the longest turn is all letters.
    from plans.codes import CODE_ALPHABET, CODE_LENGTH

    letters = [ch for ch in CODE_ALPHABET if ch.isalpha()][:CODE_LENGTH]
    turn = render_line(US, Line("code", {"code": "".join(letters)})) + " " + US.say("ask_code_repeat")
    assert len(re.sub(r"<[^>]+>", " ", turn).split()) <= 40


@pytest.mark.parametrize("locale", ["en-GB", "en-AU", "en-CA", "en-IN"])
def test_every_locale_says_the_code_the_same_way(locale):
    code = Line("code", {"code": "CD3EPV", "site": "coach.example"})
    assert render_line(for_locale(locale), code) == render_line(US, code)


def test_the_card_still_shows_the_plain_code():
    assert US.say("card_code", code="CD3EPV", expires="Monday, March 30") == (
        "Plan code: CD3EPV (valid until Monday, March 30)")


@pytest.mark.parametrize(("clock", "spoken"), [
    ("07:00", "7 in the morning"), ("06:45", "6:45 in the morning"), ("12:00", "noon"),
    ("13:05", "1:05 in the afternoon"), ("18:30", "6:30 in the evening"), ("21:00", "9 at night"),
    ("00:00", "midnight"), ("03:15", "3:15 at night"),
])
def test_times_are_said_the_way_people_say_them(clock, spoken):
    assert US.time(clock) == spoken


def test_dates_follow_the_locale():
    day = dt.date(2026, 3, 2)
    assert for_locale("en-US").date(day) == "Monday, March 2"
    assert for_locale("en-CA").date(day) == "Monday, March 2"
    assert for_locale("en-GB").date(day) == "Monday 2 March"
    assert for_locale("en-AU").date(day) == "Monday 2 March"
    assert for_locale("en-IN").date(day) == "Monday 2 March"


@pytest.mark.parametrize(("written", "spoken"), [
    ("2 × 10 each side", "2 sets of 10 each side"),
    ("3 × 12, twice a day, pain-free", "3 sets of 12, twice a day, pain-free"),
    ("3 × 8: curl in with two legs", "3 sets of 8: curl in with two legs"),
    ("5 × 30-second holds, rest 1 minute", "5 holds of 30 seconds each, rest 1 minute"),
    ("5 × 10-second presses at half effort", "5 presses of 10 seconds each at half effort"),
    ("3 × 30-second planks and side planks, 2 × 10 dead bugs",
     "3 planks and side planks of 30 seconds each, 2 sets of 10 dead bugs"),
    ("3 × 45-second planks and side planks", "3 planks and side planks of 45 seconds each"),
    ("5 × 20-second", "5 times 20 seconds"),
    ("4 × 10 metres each drill, quick", "4 times 10 metres each drill, quick"),
    ("10–15 minutes a day, lightly", "10 to 15 minutes a day, lightly"),
    ("every day until you are seen", "every day until you are seen"),
])
def test_sets_and_reps_are_said_in_words(written, spoken):
    assert US.dosage(Dosage(text=written)) == spoken


def test_no_prescribed_dosage_is_read_aloud_with_two_numbers_in_a_row():
    # "5 10-second presses" cannot be split by ear: 5 of 10? 510? Every dosage the core prescribes
    # must come out with a word between any two numbers, and no symbol left to read.
    from rehab.exercises import EXERCISES

    for exercise in EXERCISES:
        for dosage in exercise.dosage.values():
            spoken = US.dosage(dosage)
            assert not re.search(r"\d[\s-]+\d", spoken), (dosage.text, spoken)
            assert "×" not in spoken and "–" not in spoken, spoken


@pytest.mark.parametrize("locale", [None, "", "fr-FR", "en_US", "x" * 50])
def test_an_unknown_locale_is_spoken_to_in_us_english(locale):
    assert for_locale(locale) is for_locale("en-US")


def test_a_locale_may_override_a_questions_words():
    custom = US.override("en-XX", questions={"location": {"spoken": "Where does it hurt?"}})
    assert custom.question_words("location", "spoken") == "Where does it hurt?"
    assert custom.question_words("location", "help") == US.question_words("location", "help")


# ---- assembly ---------------------------------------------------------------------------------


def voice_model_intents(locale: str) -> list[str]:
    model = json.loads((ROOT / "interaction_models" / f"{locale}.json").read_text())
    return [intent["name"] for intent in model["interactionModel"]["languageModel"]["intents"]]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_intent_of_the_voice_model_has_a_handler_of_its_own(locale):
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.serialize import DefaultSerializer
    from ask_sdk_model import RequestEnvelope

    services = SimpleNamespace()
    handlers = [cls(services) for cls in HANDLERS if cls is not FallbackHandler]
    serializer = DefaultSerializer()
    for name in voice_model_intents(locale):
        if name == "AMAZON.FallbackIntent":
            continue
        envelope = serializer.deserialize(json.dumps(envelopes.intent_request(name, locale=locale)),
                                          RequestEnvelope)
        handler_input = HandlerInput(request_envelope=envelope)
        claimed = [type(h).__name__ for h in handlers if h.can_handle(handler_input)]
        assert len(claimed) == 1, f"{name}: {claimed}"


def test_the_fallback_handler_is_registered_last():
    assert HANDLERS[-1] is FallbackHandler


def _handler_input_with_zone(answer):
    class Settings:
        def get_system_time_zone(self, device_id):
            assert device_id == envelopes.DEFAULT_DEVICE
            if isinstance(answer, Exception):
                raise answer
            return answer

    envelope = SimpleNamespace(context=SimpleNamespace(system=SimpleNamespace(
        device=SimpleNamespace(device_id=envelopes.DEFAULT_DEVICE))))
    factory = SimpleNamespace(get_ups_service=lambda: Settings())
    return SimpleNamespace(request_envelope=envelope, service_client_factory=factory)


def test_the_device_time_zone_comes_from_the_alexa_settings_api():
    assert alexa_time_zone(_handler_input_with_zone("Europe/London")) == "Europe/London"


@pytest.mark.parametrize("answer", [ConnectionError("no network"), None, ""])
def test_without_a_device_time_zone_the_skill_uses_utc(answer):
    assert alexa_time_zone(_handler_input_with_zone(answer)) == "UTC"
