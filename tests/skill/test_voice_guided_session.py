"""'Start my session': a session guided by voice (issue 13, part 3). Exercise by exercise, the cue,
then each set counted out or each hold timed with SSML breaks of at most 10 seconds; "next",
"repeat", "pause" (kept between visits, "resume" carries on), "skip", and "that hurts", which
ends the set and goes straight into the check-in, whose verdict the plan store keeps. On an Echo
Show the screen shows the exercise being said, and its buttons move the same place.

Plans are filed by voice on Sunday 1 March 2026 (the test clock): sessions on Monday, Wednesday and
Friday at 7 from Monday 2 March, in UTC. Every reply is checked as Alexa needs it: well-formed
SSML, shouldEndSession set either way, a reprompt while the session stays open, no break over 10
seconds, no more than about 90 seconds of pauses in a turn, and no more than 40 words besides the
counted numbers.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ElementTree
from types import SimpleNamespace

import pytest
from test_apl import MAX_RESPONSE_BYTES, ScreenRunner, check_screen, events, screens, size, texts
from test_apl import file_plan as file_plan_on
from voice_driver import Runner, filed_plan, in_process

from plans.store import StoreUnavailable
from rehab.exercises import EXERCISES
from rehab.guiding import pace_of
from rehab.programme import next_session
from skill import envelopes
from skill.build import build_skill
from skill.conversation import GUIDING, State
from skill.guided import MAX_BREAK_SECONDS, guide_for, step_speech
from skill.prompts import for_locale
from tests.samples import STRIDES_TWINGE, TIGHT

MONDAY, TUESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3)
MAX_WORDS = 40
MAX_TURN_PAUSE_SECONDS = 90
BREAK = re.compile(r'<break time="(\d+(?:\.\d+)?)(ms|s)"/>')
COUNTED = re.compile(r"^\d+[.,]?$")


def pauses(ssml: str) -> list[float]:
    return [float(value) / (1000 if unit == "ms" else 1) for value, unit in BREAK.findall(ssml)]


def words_besides_counts(speech: str) -> list[str]:
    return [word for word in speech.split() if not COUNTED.match(word)]


def check_reply(reply) -> None:
    ElementTree.fromstring(reply.ssml)  # Alexa refuses SSML that is not well-formed
    assert isinstance(reply.response.get("shouldEndSession"), bool), "shouldEndSession left unset"
    if not reply.ended:
        assert reply.reprompt, "an open session without a reprompt"
        if reply.state.mode == GUIDING:  # after a guided step, a short reprompt
            assert reply.reprompt == "Say next, repeat or pause.", reply.reprompt
    assert all(p <= MAX_BREAK_SECONDS for p in pauses(reply.ssml)), reply.ssml
    assert sum(pauses(reply.ssml)) <= MAX_TURN_PAUSE_SECONDS, reply.ssml
    if "It takes about" not in reply.speech:  # a session read out in full is the one long answer
        assert len(words_besides_counts(reply.speech)) <= MAX_WORDS, reply.speech


class _Checked:
    """Once `checking` is set (after filing), every reply is checked (`check_reply`, then the
    device's own check); `place()` is where the guided session stands."""

    checking = False

    def _turn(self, envelope):
        reply = super()._turn(envelope)
        if self.checking and envelope["request"]["type"] != "SessionEndedRequest":
            check_reply(reply)
            self.check_device(reply)
        return reply

    def place(self):
        return State.from_attributes((self.attributes or {}).get("coach")).guided


class GuidedRunner(_Checked, Runner):
    """A runner on a speaker without a screen whose every reply after filing is checked."""

    @staticmethod
    def check_device(reply) -> None:
        assert not reply.response.get("directives"), "a screen for a speaker"


class GuidedScreenRunner(_Checked, ScreenRunner):
    """A runner on an Echo Show whose every reply after filing is checked, and under 24 KB."""

    @staticmethod
    def check_device(reply) -> None:
        assert size(reply) < MAX_RESPONSE_BYTES, size(reply)


@pytest.fixture
def at(clock):
    def move(day: dt.date, hour: int = 7) -> None:
        clock.now = dt.datetime.combine(day, dt.time(hour), dt.UTC)

    return move


@pytest.fixture
def runner(voice_skill) -> GuidedRunner:
    return GuidedRunner(in_process(voice_skill))


def file_plan(runner, answers=STRIDES_TWINGE) -> None:
    """File a plan by voice (keeping the suggested days and time) and walk off."""
    runner.checking = False
    file_plan_on(runner, answers)
    runner.checking = True


def todays_session(store, app_config, day=MONDAY):
    return next_session(filed_plan(store, app_config).programme, day)


def guide(store, app_config, day=MONDAY):
    return guide_for(for_locale("en-US"), todays_session(store, app_config, day))


def start(runner):
    return runner.say("StartSessionIntent")


def next_(runner):
    return runner.say("AMAZON.NextIntent")


def nexts_until(runner, steps, wanted) -> None:
    """Say next until the place is the first step for which `wanted(step)` holds."""
    for _ in range(len(steps)):
        if wanted(steps[runner.place()["step"]]):
            return
        next_(runner)
    raise AssertionError("never reached")


# ---- a whole session on a speaker ------------------------------------------------------------


def test_a_whole_session_by_voice_with_a_pause_a_repeat_and_that_hurts(runner, store, app_config, at,
                                                                        turn_failures):
    file_plan(runner)
    at(MONDAY)
    steps = guide(store, app_config).steps
    before = filed_plan(store, app_config)

    opening = start(runner)
    assert "Let's do today's session: 5 exercises" in opening.speech and not opening.ended
    assert runner.place()["step"] == 0 and runner.current_step().kind == GUIDING
    assert opening.reprompt == "Say next, repeat or pause."

    first = next_(runner)
    assert first.speech.startswith("Exercise 1 of 5: Heel press hold (isometric)")
    nexts_until(runner, steps, lambda s: s.kind == "set")
    counted = runner.last
    assert "Set 1 of 5. Ready, hold." in counted.speech and 'time="10s"' in counted.ssml

    # Repeat: the same set again, in the same place.
    at_set = runner.place()
    again = runner.say("AMAZON.RepeatIntent")
    assert again.speech.startswith("Again.") and counted.speech in again.speech
    assert runner.place() == at_set

    # Pause, walk away, come back: "resume" carries on from the same step.
    next_(runner)
    paused_at = runner.place()
    paused = runner.say("AMAZON.PauseIntent")
    assert paused.ended and "Paused at exercise 1 of 5" in paused.speech
    assert "resume my session" in paused.speech
    resumed = runner.say("AMAZON.ResumeIntent")  # a new visit
    assert resumed.speech.startswith("Welcome back to your session. Set 2 of 5.")
    assert runner.place() == paused_at and not resumed.ended

    # A later pause, then "start my session" carries on too.
    next_(runner)
    runner.say("AMAZON.StopIntent")
    assert runner.last.ended
    again_later = start(runner)
    assert again_later.speech.startswith("Welcome back to your session. Set 3 of 5.")

    # Through the rest, exercise by exercise, to the last set of the last exercise.
    last = len(steps) - 1
    nexts_until(runner, steps, lambda s: s is steps[last])
    assert runner.last.speech.startswith("Set 2 of 2.") and "Say next to finish." in runner.last.speech
    assert runner.place()["exercise_id"] == "loop_band_glutes"

    # That hurts: the set ends and the check-in asks about the pain.
    hurts = runner.say("HurtsIntent")
    assert hurts.speech.startswith("Okay, stop that set there.")
    assert "worst pain during the session" in hurts.speech and not hurts.ended
    assert runner.place() is None
    logged = runner.say("AnswerNumberIntent", {"number": "6"})

    after = filed_plan(store, app_config)
    (check_in,) = after.check_ins
    assert (check_in.date, check_in.session, check_in.pain_during) == (MONDAY, "partial", 6)
    assert logged.speech.startswith("That's logged.")
    # The coaching rules decide: pain above 5 steps back, as a new revision of the same plan.
    assert check_in.verdict == "regress" and after.revision == before.revision + 1
    turn_failures.check()


def test_the_end_of_the_session_runs_the_check_in_and_a_green_one_holds_the_plan(runner, store, app_config,
                                                                                 at, turn_failures):
    file_plan(runner)
    at(MONDAY)
    steps = guide(store, app_config).steps
    start(runner)
    for _ in range(len(steps) - 1):
        reply = next_(runner)
        assert not reply.ended
    assert runner.place()["step"] == len(steps) - 1
    finished = next_(runner)
    assert finished.speech.startswith("That's your session done. Well done!")
    assert "worst pain during the session" in finished.speech
    runner.say("AnswerNumberIntent", {"number": "2"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert (check_in.session, check_in.pain_during) == ("done", 2)
    assert runner.last.ended and runner.place() is None
    turn_failures.check()


def test_every_exercise_is_said_with_its_cues_and_every_set_is_counted(runner, store, app_config, at):
    file_plan(runner, TIGHT)
    at(MONDAY)
    session = todays_session(store, app_config)
    steps = guide(store, app_config).steps
    heard = [start(runner).speech]
    for _ in range(len(steps) - 1):
        heard.append(next_(runner).speech)
    said = " ".join(heard)
    for prescription in session.prescriptions:
        if prescription.exercise_id == "foam_rolling":  # self-care is read, not counted out
            assert prescription.name not in said
            continue
        assert prescription.name in said
        assert all(cue in said for cue in prescription.cues)
        dose = prescription.dosage
        if dose.sets and dose.reps:
            assert said.count(f"Set {dose.sets} of {dose.sets}.") >= 1


def test_skip_moves_on_to_the_next_exercise_and_the_session_counts_as_partly_done(runner, store, app_config,
                                                                                 at, turn_failures):
    file_plan(runner)
    at(MONDAY)
    steps = guide(store, app_config).steps
    start(runner)
    next_(runner)
    skipped = runner.say("SkipIntent")
    assert skipped.speech.startswith("Okay, skipping that one. Exercise 2 of 5: Glute bridge")
    assert runner.place()["exercise_id"] == "glute_bridge" and runner.place()["skipped"]
    nexts_until(runner, steps, lambda s: s is steps[-1])
    finished = next_(runner)
    assert "worst pain during the session" in finished.speech
    runner.say("AnswerNumberIntent", {"number": "1"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert check_in.session == "partial"
    turn_failures.check()


@pytest.mark.parametrize("intent, slots", [
    ("AMAZON.FallbackIntent", None),
    ("AnswerNumberIntent", {"number": "7"}),
    ("AnswerLocationIntent", {"location": "knee"}),
    ("ChooseDaysIntent", {"firstDay": "monday"}),
    ("ChooseTimeIntent", {"time": "07:00"}),
    ("UnsureIntent", None),
    ("WhyIntent", None),
    ("MakePlanIntent", None),
    ("AMAZON.YesIntent", None),  # also "it hurts": never taken as next
    ("AMAZON.NoIntent", None),
    ("AMAZON.HelpIntent", None),
    ("WaitIntent", None),
    ("SomeIntentFromANewerModel", None),
])
def test_anything_else_mid_session_gets_a_short_reprompt_and_keeps_the_place(runner, store, app_config, at,
                                                                            intent, slots, turn_failures):
    file_plan(runner)
    at(MONDAY)
    start(runner)
    next_(runner)
    next_(runner)
    place = runner.place()
    reply = runner.say(intent, slots)
    assert not reply.ended and reply.speech.endswith("Say next, repeat or pause.")
    assert runner.place() == place and runner.current_step().kind == GUIDING
    if intent == "AMAZON.YesIntent":
        assert "that hurts" in reply.speech
    assert next_(runner).speech  # and the session carries on
    assert runner.place()["step"] == place["step"] + 1
    turn_failures.check()


def test_go_back_and_start_over_move_within_the_session(runner, store, app_config, at, turn_failures):
    file_plan(runner)
    at(MONDAY)
    start(runner)
    next_(runner)
    next_(runner)
    back = runner.say("AMAZON.PreviousIntent")
    assert back.speech.startswith("Okay, let's go back. Exercise 1 of 5")
    assert runner.place()["step"] == 1
    over = runner.say("AMAZON.StartOverIntent")
    assert "Let's do today's session" in over.speech and runner.place()["step"] == 0
    turn_failures.check()


def test_a_check_in_said_mid_session_is_the_usual_check_in(runner, store, app_config, at, turn_failures):
    file_plan(runner)
    at(MONDAY)
    start(runner)
    next_(runner)
    reply = runner.say("CheckInIntent", {"sessionOutcome": "did", "painScore": "2"},
                       resolutions={"sessionOutcome": "done"})
    assert reply.speech.startswith("That's logged.")
    (check_in,) = filed_plan(store, app_config).check_ins
    assert (check_in.session, check_in.pain_during) == ("done", 2)
    turn_failures.check()


class StoreThatGoesAway:
    """The plan store, until `away` is set: then every read fails as a database gone down would."""

    def __init__(self, store):
        self._store = store
        self.away = False

    def __getattr__(self, name):
        return getattr(self._store, name)

    def latest_plan_for_owner(self, *args, **kwargs):
        if self.away:
            raise StoreUnavailable("the database is unreachable")
        return self._store.latest_plan_for_owner(*args, **kwargs)


def test_the_plan_store_away_mid_session_is_said_plainly_and_the_place_is_kept(
        store, state_store, clock, device_zone, app_config, at, turn_failures):
    flaky = StoreThatGoesAway(store)
    skill = build_skill(store_factory=lambda: flaky, state_store=state_store, timezone_lookup=device_zone,
                        clock=clock, secret_key=app_config["COACH_SECRET_KEY"],
                        base_url=app_config["COACH_BASE_URL"])
    runner = GuidedRunner(in_process(skill))
    file_plan(runner)
    at(MONDAY)
    start(runner)
    next_(runner)
    place = runner.place()
    flaky.away = True
    reply = next_(runner)
    assert "can't reach your plan" in reply.speech and reply.ended
    assert runner.place() == place
    flaky.away = False
    resumed = runner.say("AMAZON.ResumeIntent")
    assert resumed.speech.startswith("Welcome back to your session. Exercise 1 of 5")
    turn_failures.check()


# ---- when there is nothing to guide ----------------------------------------------------------


def test_start_my_session_without_a_plan_offers_the_check(runner, turn_failures):
    runner.checking = True
    reply = start(runner)
    assert "You don't have a plan yet" in reply.speech and not reply.ended
    turn_failures.check()


def test_start_my_session_on_a_day_without_one_says_when_the_next_is(runner, at, turn_failures):
    file_plan(runner)
    at(TUESDAY)
    reply = start(runner)
    assert reply.speech.startswith("There's no session today. Your next one is on Wednesday, March 4")
    assert reply.ended and runner.place() is None
    turn_failures.check()


def test_a_place_from_another_day_starts_the_session_afresh(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    start(runner)
    next_(runner)
    runner.say("AMAZON.PauseIntent")
    at(dt.date(2026, 3, 4))
    reply = start(runner)
    assert reply.speech.startswith("Let's do today's session") and runner.place()["date"] == "2026-03-04"


def test_next_pause_skip_and_that_hurts_outside_a_session_are_answered_sensibly(runner, at, turn_failures):
    file_plan(runner)
    at(MONDAY)
    for intent in ("AMAZON.NextIntent", "AMAZON.PauseIntent", "SkipIntent", "HurtsIntent"):
        reply = runner.say(intent)
        assert reply.speech and isinstance(reply.response.get("shouldEndSession"), bool)
        assert runner.current_step().kind != GUIDING
        if not reply.ended:
            runner.session_ends()
    turn_failures.check()


def test_whats_my_session_today_offers_to_guide_it(runner, at, turn_failures):
    file_plan(runner)
    at(MONDAY)
    reply = runner.say("TodaysSessionIntent")
    assert "To be guided through it, say: ask Hamstring Coach to start my session." in reply.speech
    at(TUESDAY)
    assert "start my session" not in runner.say("TodaysSessionIntent").speech  # not on a later day
    turn_failures.check()


# ---- on an Echo Show ---------------------------------------------------------------------------


@pytest.fixture
def show(voice_skill) -> GuidedScreenRunner:
    return GuidedScreenRunner(in_process(voice_skill))


def shown_index(reply) -> int:
    """The exercise the screen shows: its "n of m" line, as an index."""
    words = texts(screens(reply)[0]["document"])
    progress = next(w for w in words if re.fullmatch(r"\d+ of \d+", w))
    return int(progress.split()[0]) - 1


def test_on_a_screen_each_step_shows_its_exercise_in_step_with_the_voice(show, store, app_config, at,
                                                                        turn_failures):
    file_plan(show)
    at(MONDAY)
    session = todays_session(store, app_config)
    steps = guide(store, app_config).steps
    ids = [p.exercise_id for p in session.prescriptions]

    reply = start(show)
    for _ in range(len(steps)):
        check_screen(reply)
        assert shown_index(reply) == ids.index(show.place()["exercise_id"])
        assert session.prescriptions[shown_index(reply)].name in texts(screens(reply)[0]["document"])
        if show.place()["step"] == len(steps) - 1:
            break
        reply = next_(show)
    assert reply.response["shouldEndSession"] is False
    turn_failures.check()


def test_the_screens_buttons_move_the_same_place_as_the_voice(show, store, app_config, at, turn_failures):
    file_plan(show)
    at(MONDAY)
    start(show)
    shown = next_(show)  # exercise 1, its cues
    assert show.place()["exercise_id"] == "isometric_heel_press"

    pressed = show.press(events(the_document(shown))["Next"])
    assert show.place()["exercise_id"] == "glute_bridge" and show.place()["skipped"]
    assert pressed.speech.startswith("Exercise 2 of 5: Glute bridge") and shown_index(pressed) == 1

    by_voice = next_(show)  # the voice carries on from where the button left it
    assert show.place()["exercise_id"] == "glute_bridge" and shown_index(by_voice) == 1

    hurts = show.press(events(the_document(by_voice))["It hurts"])
    assert hurts.speech.startswith("Okay, stop that set there.") and "worst pain" in hurts.speech
    show.say("AnswerNumberIntent", {"number": "4"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert (check_in.session, check_in.pain_during) == ("partial", 4)
    turn_failures.check()


def test_done_on_the_screen_ends_the_guided_session_into_the_check_in(show, store, app_config, at,
                                                                     turn_failures):
    file_plan(show)
    at(MONDAY)
    shown = start(show)
    done = show.press(events(the_document(shown))["Done"])
    assert "worst pain during the session" in done.speech and show.place() is None
    show.say("AnswerNumberIntent", {"number": "1"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert check_in.session == "done"
    turn_failures.check()


def test_a_speaker_gets_the_same_words_as_a_screen(show, at, turn_failures):
    file_plan(show)
    at(MONDAY)
    with_screen = [start(show).speech, next_(show).speech]
    show.say("AMAZON.StartOverIntent")
    show.screen = False
    envelope = envelopes.intent_request("AMAZON.NextIntent", session_attributes=show.attributes)
    spoken = show.send(envelope)
    assert not spoken["response"].get("directives")
    assert spoken["response"]["outputSpeech"]["ssml"].startswith("<speak>Exercise 1 of 5")
    assert with_screen[1].startswith("Exercise 1 of 5")
    turn_failures.check()


def the_document(reply):
    (directive,) = screens(reply)
    return directive["document"]


# ---- the stepper, for every exercise the library prescribes ------------------------------------


@pytest.mark.parametrize("locale", ["en-US", "en-GB"])
def test_every_exercise_at_every_stage_is_guided_within_alexas_limits(locale):
    prompts = for_locale(locale)
    for item in EXERCISES:
        if item.kind != "exercise":
            continue
        for stage in item.dosage:
            session = SimpleNamespace(prescriptions=(item.prescribed(stage),), duration_minutes=30)
            guide = guide_for(prompts, session)
            assert guide.steps[0].kind == "opening" and guide.count == 1
            for index in range(len(guide.steps)):
                said, ask = step_speech(prompts, guide, index)
                ssml = f"<speak>{said} {ask}</speak>"
                ElementTree.fromstring(ssml)
                assert all(p <= MAX_BREAK_SECONDS for p in pauses(ssml)), (item.id, stage)
                assert sum(pauses(ssml)) <= MAX_TURN_PAUSE_SECONDS, (item.id, stage)
                # The lead a turn may carry ("Welcome back to your session.") fits too.
                spoken = re.sub(r"<[^>]+>", " ", ssml)
                assert len(words_besides_counts(spoken)) + 5 <= MAX_WORDS, (item.id, stage, spoken)
            dose = item.dosage[stage]
            sets = [s for s in guide.steps if s.kind == "set"]
            if dose.sets and (dose.reps or dose.hold_seconds):
                assert {s.set_number for s in sets} == set(range(1, dose.sets + 1)), (item.id, stage)
            else:
                assert not sets


def first_set_said(exercise_id: str) -> str:
    """What the voice says for the first set of one exercise at its strength-stage dose."""
    exercise = next(e for e in EXERCISES if e.id == exercise_id)
    session = SimpleNamespace(prescriptions=(exercise.prescribed("strength"),), duration_minutes=20)
    prompts = for_locale("en-US")
    guide = guide_for(prompts, session)
    first_set = next(i for i, s in enumerate(guide.steps) if s.kind == "set")
    said, _ask = step_speech(prompts, guide, first_set)
    return said


def test_a_hold_is_timed_in_breaks_of_ten_seconds_with_the_seconds_said_between():
    said = first_set_said("isometric_bridge_hold")
    assert pauses(said) == [10, 10, 10, 10, 5]
    assert re.sub(r"<[^>]+>", " ", said).split() == ["Set", "1", "of", "5.", "Ready,", "hold.", "10.", "20.",
                                                     "30.", "40.", "And", "relax."]


def test_reps_are_counted_at_the_exercises_pace_from_rehab():
    said = first_set_said("glute_bridge")
    assert pauses(said) == [pace_of("glute_bridge").seconds_per_rep] * 12
    assert re.findall(r"(\d+)\.", said)[-1] == "12"


# ---- the place, as it is kept --------------------------------------------------------------------


def test_a_guided_place_round_trips_and_a_tampered_one_is_dropped():
    place = {"date": "2026-03-02", "step": 4, "exercise_id": "glute_bridge", "skipped": False}
    state = State(plan_on_file=True, mode=GUIDING, guided=place)
    assert State.from_attributes(state.to_attributes()) == state
    assert State.from_attributes(state.to_attributes(with_mode=False)).guided == place  # kept between visits
    for bad in ({**place, "step": -1}, {**place, "step": True}, {**place, "date": "monday"},
                {**place, "exercise_id": "<script>"}, "glute_bridge", [4]):
        read = State.from_attributes({**state.to_attributes(), "guided": bad})
        assert read.guided is None and read.mode is None


# ---- what the runner says, as the voice model hears it ----------------------------------------


@pytest.mark.parametrize("locale", ["en-US", "en-GB", "en-AU", "en-CA", "en-IN"])
@pytest.mark.parametrize("typed, intent", [
    ("start my session", "StartSessionIntent"),
    ("let's do my exercises", "StartSessionIntent"),
    ("guide me through my session", "StartSessionIntent"),
    ("resume my session", "StartSessionIntent"),
    ("next", "AMAZON.NextIntent"),
    ("repeat", "AMAZON.RepeatIntent"),
    ("pause", "AMAZON.PauseIntent"),
    ("resume", "AMAZON.ResumeIntent"),
    ("skip this one", "SkipIntent"),
    ("that hurts", "HurtsIntent"),
    ("ouch that hurts", "HurtsIntent"),
])
def test_the_phrases_of_a_guided_session_reach_their_intents_in_every_locale(locale, typed, intent):
    from skill.nlu import VoiceModel

    assert VoiceModel.for_locale(locale).understand(typed, today=MONDAY).intent == intent


def test_a_plank_set_is_a_front_plank_and_a_side_plank_each_side_timed_in_turn():
    core = next(e for e in EXERCISES if e.id == "core_stability")
    prompts = for_locale("en-US")

    protect = SimpleNamespace(prescriptions=(core.prescribed("protect"),), duration_minutes=20)
    short = guide_for(prompts, protect)
    first_set = next(i for i, s in enumerate(short.steps) if s.kind == "set")
    said, ask = step_speech(prompts, short, first_set)
    spoken = re.sub(r"<[^>]+>", " ", said)
    assert spoken.index("Front plank.") < spoken.index("Side plank, one side.") \
        < spoken.index("Side plank, the other side.")
    assert pauses(said) == [10, 10, 4, 10, 10, 4, 10, 10] and ask == "Rest, then say next for the next set."

    long = guide_for(prompts, SimpleNamespace(prescriptions=(core.prescribed("load"),), duration_minutes=20))
    first_sets = [s for s in long.steps if s.kind == "set" and s.set_number == 1]
    assert [s.labels for s in first_sets] == [("Front plank.",), ("Side plank, one side.",),
                                              ("Side plank, the other side.",)]
    assert [s.opens_set for s in first_sets] == [True, False, False]
