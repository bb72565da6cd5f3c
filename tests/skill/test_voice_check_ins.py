"""Check-ins by voice (issue 10, part 3, and the voice halves of parts 6 and 7): a runner with a
plan says how a session went, answers the move-on check, asks how they are doing, or says a
clinician cleared them. What they hear, and what the plan store keeps, read back with the store.

The plans are filed by voice first (Sunday 1 March 2026, noon UTC): sessions on Monday, Wednesday
and Friday at 7 from Monday 2 March. Every reply here is checked as Alexa would need it: well-formed
SSML, shouldEndSession set either way, a reprompt whenever the session stays open, and no more than
about 40 words (reading a whole session out is the one longer answer, as before).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import xml.etree.ElementTree as ElementTree

import pytest
from voice_driver import Runner, filed_plan, in_process

from plans.progress import plan_progress
from plans.store import StoreUnavailable
from skill.build import build_skill
from skill.prompts import escape
from tests.samples import SPRINTER, STRIDES_TWINGE, TIGHT

MAX_WORDS = 40
MONDAY, TUESDAY, WEDNESDAY, FRIDAY = (dt.date(2026, 3, d) for d in (2, 3, 4, 6))
DONE = {"sessionOutcome": "did"}, {"sessionOutcome": "done"}


class CheckedRunner(Runner):
    """A runner whose every reply must be one Alexa can speak well (the triage that files the plan
    first has its own, longer, welcome and outcome, so it is left `unchecked`)."""

    checking = True

    @contextlib.contextmanager
    def unchecked(self):
        self.checking = False
        try:
            yield self
        finally:
            self.checking = True

    def _turn(self, envelope):
        reply = super()._turn(envelope)
        if envelope["request"]["type"] == "SessionEndedRequest" or not self.checking:
            return reply
        ElementTree.fromstring(reply.ssml)  # Alexa refuses SSML that is not well-formed
        assert isinstance(reply.response.get("shouldEndSession"), bool), "shouldEndSession left unset"
        if not reply.ended:
            assert reply.reprompt, "an open session without a reprompt"
        if "It takes about" not in reply.speech:  # a session read out in full is the one long answer
            assert len(reply.speech.split()) <= MAX_WORDS, reply.speech
        return reply


@pytest.fixture
def runner(voice_skill) -> CheckedRunner:
    return CheckedRunner(in_process(voice_skill))


@pytest.fixture
def at(clock):
    """Move the clock to a day (and hour, UTC: the plans here are in UTC)."""
    def move(day: dt.date, hour: int = 18) -> None:
        clock.now = dt.datetime.combine(day, dt.time(hour), dt.UTC)

    return move


def file_plan(runner: CheckedRunner, answers=STRIDES_TWINGE) -> None:
    with runner.unchecked():
        runner.launch()
        runner.answer_triage(answers)
        runner.to_the_plan()
        runner.say("AMAZON.YesIntent")
        assert runner.last.card is not None
        runner.say("AMAZON.NoIntent")  # "Shall I read you the code?"
        runner.decline_reminders()
    assert runner.last.ended


def plan_of(store, app_config):
    return filed_plan(store, app_config)


def did_my_session(runner: Runner, pain: str | None = None, **more):
    slots, resolutions = dict(DONE[0]), dict(DONE[1])
    if pain is not None:
        slots["painScore"] = pain
    slots.update(more)
    return runner.say("CheckInIntent", slots, resolutions=resolutions)


def pain(runner: Runner, score: str):
    return runner.say("AnswerNumberIntent", {"number": score})


def check_ins(store, app_config):
    return plan_of(store, app_config).check_ins


# ---- a session reported ------------------------------------------------------------------------


def test_a_session_done_with_its_pain_and_the_next_morning_is_logged_and_the_verdict_spoken(
        runner, store, app_config, at):
    file_plan(runner)
    at(TUESDAY, 8)  # the morning after Monday's session

    opened = did_my_session(runner)
    assert "This is about your session on Monday, March 2." in opened.speech
    assert "worst pain during the session" in opened.speech
    morning = pain(runner, "2")
    assert "the morning after" in morning.speech
    assert check_ins(store, app_config) == ()  # nothing is logged before the last answer
    logged = pain(runner, "1")

    (check_in,) = check_ins(store, app_config)
    assert (check_in.date, check_in.session, check_in.pain_during, check_in.pain_next_morning) == (
        MONDAY, "done", 2, 1)
    assert check_in.light == "green" and check_in.verdict == "hold"
    assert logged.speech == f"That's logged. {check_in.says}"
    assert escape(check_in.says) in logged.ssml
    assert logged.ended and logged.response.get("reprompt") is None


def test_a_red_session_steps_back_as_a_new_revision_of_the_same_plan(runner, store, app_config, at):
    file_plan(runner)
    before = plan_of(store, app_config)
    at(MONDAY)

    reply = did_my_session(runner, "7")

    after = plan_of(store, app_config)
    assert "Let's step back" in reply.speech
    assert after.check_ins[-1].verdict == "regress" and after.check_ins[-1].light == "red"
    assert after.revision == before.revision + 1
    assert after.plan_id == before.plan_id
    assert reply.ended


def test_two_red_sessions_within_a_week_say_to_book_a_physiotherapist(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner, "7")
    at(WEDNESDAY)

    reply = did_my_session(runner, "7")

    assert "please book a physiotherapist" in reply.speech
    assert check_ins(store, app_config)[-1].verdict == "see_clinician"


def test_a_session_done_in_part_is_logged_as_partial(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    runner.say("CheckInIntent")  # "how my hamstring feels"
    asked = runner.say("CheckInIntent", {"sessionOutcome": "part of it"},
                       resolutions={"sessionOutcome": "partial"})
    assert "worst pain during the session" in asked.speech
    reply = pain(runner, "1")

    (check_in,) = check_ins(store, app_config)
    assert (check_in.session, check_in.pain_during) == ("partial", 1)
    assert reply.speech == f"That's logged. {check_in.says}"


def test_a_missed_session_asks_no_pain_and_is_skipped_not_doubled_up(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)

    reply = runner.say("CheckInIntent", {"sessionOutcome": "skipped"},
                       resolutions={"sessionOutcome": "missed"})

    (check_in,) = check_ins(store, app_config)
    assert (check_in.session, check_in.pain_during, check_in.pain_next_morning) == ("missed", None, None)
    assert "skip it, and don't double up" in reply.speech
    assert reply.ended


def test_a_one_shot_with_the_outcome_and_the_pain_is_logged_in_one_turn(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    sessions_before = runner.session_number

    reply = did_my_session(runner, "4")  # "Alexa, tell hamstring coach I did my session and it hurt a 4"

    (check_in,) = check_ins(store, app_config)
    assert (check_in.date, check_in.session, check_in.pain_during) == (MONDAY, "done", 4)
    assert reply.speech.startswith("That's logged.")
    assert runner.session_number == sessions_before + 1 and reply.ended  # one request, one answer


def test_i_dont_know_for_the_next_morning_leaves_it_out(runner, store, app_config, at):
    file_plan(runner)
    at(TUESDAY)
    runner.say("CheckInIntent", {"sessionDay": "yesterday's"}, resolutions={"sessionDay": "yesterday"})
    runner.say("CheckInIntent", {"sessionOutcome": "all of it"}, resolutions={"sessionOutcome": "done"})
    pain(runner, "2")

    reply = runner.say("UnsureIntent")

    (check_in,) = check_ins(store, app_config)
    assert (check_in.date, check_in.pain_during, check_in.pain_next_morning) == (MONDAY, 2, None)
    assert reply.speech.startswith("That's fine: I'll leave the morning out. That's logged.")


def test_the_next_morning_is_not_asked_about_a_session_whose_morning_has_not_come(
        runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner)
    reply = pain(runner, "2")
    assert "morning" not in reply.speech.lower()
    assert check_ins(store, app_config)[0].pain_next_morning is None


@pytest.mark.parametrize("heard", ["?", "11", None, "-1"])
def test_a_pain_score_that_is_not_zero_to_ten_is_asked_again_with_guidance_and_nothing_logged(
        runner, store, app_config, at, heard):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner)

    again = runner.say("AnswerNumberIntent", {"number": heard})

    assert again.speech.startswith("I need a whole number from zero to ten.")
    assert not again.ended and again.reprompt
    assert check_ins(store, app_config) == ()
    pain(runner, "3")
    assert check_ins(store, app_config)[0].pain_during == 3


@pytest.mark.parametrize("heard", ["?", "11"])
def test_a_one_shot_pain_score_misheard_is_asked_for_with_guidance(runner, store, app_config, at, heard):
    file_plan(runner)
    at(MONDAY)

    reply = did_my_session(runner, heard)

    assert "I need a whole number from zero to ten." in reply.speech
    assert runner.current_step().kind == "pain_during"
    assert check_ins(store, app_config) == ()


def test_not_sure_of_the_pain_during_asks_for_a_rough_number(runner, at):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner)
    reply = runner.say("UnsureIntent")
    assert reply.speech.startswith("A rough answer is fine. I need a whole number from zero to ten.")


def test_go_back_in_a_check_in_undoes_the_last_answer(runner, store, app_config, at):
    file_plan(runner)
    at(TUESDAY)
    did_my_session(runner)
    pain(runner, "6")
    back = runner.say("AMAZON.PreviousIntent")
    assert "worst pain during the session" in back.speech
    pain(runner, "2")
    pain(runner, "1")
    assert check_ins(store, app_config)[0].pain_during == 2


def test_stopping_in_the_middle_logs_nothing_and_says_so(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner)
    reply = runner.say("AMAZON.StopIntent")
    assert reply.speech == "Okay, I haven't logged anything. Goodbye."
    assert check_ins(store, app_config) == ()


def test_british_english_says_the_session_day_day_first(voice_skill, at):
    runner = CheckedRunner(in_process(voice_skill), locale="en-GB")
    file_plan(runner)
    at(TUESDAY)
    assert "your session on Monday 2 March" in did_my_session(runner).speech


# ---- the move-on check -------------------------------------------------------------------------


def _greens_to_the_gate(runner, at) -> None:
    """Monday and Wednesday green, Friday unlogged: the move-on check is due on Monday 9 March."""
    for day in (MONDAY, WEDNESDAY):
        at(day)
        did_my_session(runner, "1")


def _at_the_move_on_check(runner, store, app_config, at):
    """A plan filed, its first week's three sessions logged green, and today the move-on check's
    day; the check that is due."""
    file_plan(runner)
    _greens_to_the_gate(runner, at)
    at(FRIDAY)
    did_my_session(runner, "1")
    gate = plan_of(store, app_config).programme.pending_gate
    at(gate.date)
    return gate


def test_a_due_move_on_check_all_yes_dates_the_next_phase(runner, store, app_config, at):
    file_plan(runner)
    _greens_to_the_gate(runner, at)
    gate = plan_of(store, app_config).programme.pending_gate
    at(gate.date)

    offer = runner.say("TodaysSessionIntent")
    assert offer.speech.startswith("There's no session today: your move-on check is due.")
    assert "Your session on Friday, March 6 isn't logged yet. Shall we log it now?" in offer.speech
    runner.say("AMAZON.YesIntent")
    runner.say("CheckInIntent", {"sessionOutcome": "all of it"}, resolutions={"sessionOutcome": "done"})
    pain(runner, "1")
    logged = pain(runner, "0")  # Friday's next morning
    assert logged.speech.endswith("Shall we do your move-on check now?")
    first = runner.say("AMAZON.YesIntent")
    assert first.speech == f"Now, your move-on check: a few yes or no questions. {gate.criteria[0].question}"
    for criterion in gate.criteria[1:]:
        assert runner.say("AMAZON.YesIntent").speech.endswith(criterion.question)
    done = runner.say("AMAZON.YesIntent")

    plan = plan_of(store, app_config)
    assert "All yes:" in done.speech and done.ended
    assert plan.check_ins[-1].session == "gate"
    assert plan.check_ins[-1].criteria == {c.id: True for c in gate.criteria}
    assert plan.programme.current_phase_id != gate.phase_id
    assert plan.programme.phase_started == gate.date + dt.timedelta(days=1)
    new_phase = [s for s in plan.programme.sessions if s.phase_id == plan.programme.current_phase_id]
    assert new_phase and all(s.date > gate.date for s in new_phase)


def test_a_no_at_the_move_on_check_holds_the_phase_and_asks_again_later(runner, store, app_config, at):
    gate = _at_the_move_on_check(runner, store, app_config, at)

    offer = runner.say("TodaysSessionIntent")
    assert offer.speech == ("There's no session today: your move-on check is due. Shall we do your move-on "
                            "check now? It's a few yes or no questions to see if you're ready to move on.")
    runner.say("AMAZON.YesIntent")
    runner.say("AMAZON.NoIntent")
    for _ in gate.criteria[1:]:
        reply = runner.say("AMAZON.YesIntent")

    plan = plan_of(store, app_config)
    assert "Not yet" in reply.speech
    assert plan.check_ins[-1].verdict == "hold"
    assert plan.programme.current_phase_id == gate.phase_id
    assert plan.programme.pending_gate.date > gate.date


def test_not_sure_at_the_move_on_check_counts_as_not_yet(runner, store, app_config, at):
    gate = _at_the_move_on_check(runner, store, app_config, at)
    runner.say("CheckInIntent")  # "do my move-on check": nothing else to log, so the check on its own
    reply = runner.say("UnsureIntent")
    assert reply.speech.startswith("Then let's call that a not yet.")
    for _ in gate.criteria[1:]:
        runner.say("AMAZON.YesIntent")
    assert plan_of(store, app_config).check_ins[-1].criteria[gate.criteria[0].id] is False


def test_a_session_reported_on_the_move_on_check_day_asks_the_check_in_the_same_check_in(
        runner, store, app_config, at):
    gate = _at_the_move_on_check(runner, store, app_config, at)

    reply = did_my_session(runner, "1")  # an extra session on the check's day

    assert reply.speech == f"Now, your move-on check: a few yes or no questions. {gate.criteria[0].question}"
    for _ in gate.criteria:
        runner.say("AMAZON.YesIntent")
    last = plan_of(store, app_config).check_ins[-1]
    assert last.session == "done" and set(last.criteria) == {c.id for c in gate.criteria}


# ---- "what's my session today" offers the check-in -----------------------------------------------


def test_whats_my_session_today_offers_to_log_the_last_session_when_it_has_no_check_in(
        runner, store, app_config, at):
    file_plan(runner)
    at(TUESDAY, 8)

    offer = runner.say("TodaysSessionIntent")

    assert offer.speech.startswith("There's no session today. Your next one is on Wednesday, March 4")
    assert offer.speech.endswith("Your session on Monday, March 2 isn't logged yet. Shall we log it now?")
    assert not offer.ended
    assert offer.reprompt == "Shall we log your session from Monday, March 2? Say yes or no."
    asked = runner.say("AMAZON.YesIntent")
    assert asked.speech.startswith("How did your session go")
    runner.say("CheckInIntent", {"sessionOutcome": "missed it"}, resolutions={"sessionOutcome": "missed"})
    assert check_ins(store, app_config)[0].date == MONDAY


def test_no_to_the_offer_says_how_to_check_in_later(runner, store, app_config, at):
    file_plan(runner)
    at(TUESDAY)
    runner.say("TodaysSessionIntent")
    reply = runner.say("AMAZON.NoIntent")
    assert reply.speech == "Okay. Whenever you're ready, say: tell Hamstring Coach I did my session."
    assert reply.ended and check_ins(store, app_config) == ()


def test_a_logged_session_is_not_offered_again(runner, at):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner, "1")
    at(TUESDAY)
    reply = runner.say("TodaysSessionIntent")
    assert "isn't logged yet" not in reply.speech and reply.ended


def test_before_the_move_on_check_the_session_reading_says_when_it_comes(runner, store, app_config, at):
    file_plan(runner)
    _greens_to_the_gate(runner, at)
    at(FRIDAY)
    did_my_session(runner, "1")
    at(dt.date(2026, 3, 7))  # Saturday: no session before the check on Monday
    reply = runner.say("TodaysSessionIntent")
    assert reply.speech == "Next comes your move-on check, on Monday, March 9."
    assert "no sessions left" not in reply.speech


# ---- no plan, a plan not started, and a check-in in the middle of a new check -----------------------


def test_without_a_plan_a_check_in_says_so_and_offers_the_check(runner, store, app_config):
    reply = did_my_session(runner, "2")
    assert reply.speech == ("You don't have a plan yet. Shall we check your hamstring now? Then I'll make "
                            "you one.")
    assert not reply.ended
    with runner.unchecked():  # the check's own opening, disclaimer and all
        begun = runner.say("AMAZON.YesIntent")
    assert "Let's check your hamstring." in begun.speech
    assert runner.current_step().question_id == "location"
    assert plan_of(store, app_config) is None


def test_a_check_in_before_the_plan_starts_says_when_it_does(runner, store, app_config):
    file_plan(runner)  # still Sunday: the first session is tomorrow
    reply = did_my_session(runner, "2")
    assert reply.speech == ("Your plan starts on Monday, March 2. After your first session, say: tell "
                            "Hamstring Coach I did my session.")
    assert reply.ended and check_ins(store, app_config) == ()


def test_a_check_in_in_the_middle_of_a_new_check_goes_back_to_it(runner, store, app_config, at):
    file_plan(runner)
    at(MONDAY)
    with runner.unchecked():
        runner.launch()
        runner.say("CheckHamstringIntent")
        runner.answer("behind_knee")

    reply = did_my_session(runner, "1")

    assert reply.speech.startswith("That's logged.")
    assert "Now, back to your check." in reply.speech and not reply.ended
    assert runner.current_step().question_id == "nerve_symptoms"
    assert dict(runner.last.state.answers) == {"location": "behind_knee"}
    assert len(check_ins(store, app_config)) == 1


# ---- the database away --------------------------------------------------------------------------


class StoreThatCannotWrite:
    """The plan store with its writes failing, as when the database goes down mid-visit."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        return getattr(self._store, name)

    def change_plan(self, *args, **kwargs):
        raise StoreUnavailable("the database is unreachable")


@pytest.fixture
def skill_on(state_store, clock, device_zone, app_config):
    def build(plan_store):
        return build_skill(store_factory=lambda: plan_store, state_store=state_store,
                           timezone_lookup=device_zone, clock=clock,
                           secret_key=app_config["COACH_SECRET_KEY"], base_url=app_config["COACH_BASE_URL"])

    return build


def test_with_the_database_down_nothing_is_claimed_and_try_again_logs_what_was_said(
        runner, store, app_config, at, skill_on, dead_store):
    file_plan(runner)
    at(MONDAY)
    runner.send = in_process(skill_on(dead_store))

    sorry = did_my_session(runner, "3")

    assert sorry.speech == ("Sorry, I can't reach your plan just now, so nothing is logged yet. I've kept "
                            "what you told me. Shall I try again?")
    assert "logged." not in sorry.speech.replace("nothing is logged yet", "")
    assert not sorry.ended
    assert check_ins(store, app_config) == ()
    still = runner.say("AMAZON.YesIntent")
    assert still.speech.startswith("Sorry, I can't reach your plan just now")

    runner.send = in_process(skill_on(store))  # the database is back, the session still open
    logged = runner.say("AMAZON.YesIntent")

    assert logged.speech.startswith("That's logged.")
    assert [(c.session, c.pain_during) for c in check_ins(store, app_config)] == [("done", 3)]


def test_a_write_that_fails_keeps_every_answer_and_no_leaves_nothing_logged(
        runner, store, app_config, at, skill_on):
    file_plan(runner)
    at(TUESDAY)
    runner.send = in_process(skill_on(StoreThatCannotWrite(store)))
    did_my_session(runner)
    pain(runner, "2")
    sorry = pain(runner, "1")
    assert sorry.speech.startswith("Sorry, I can't reach your plan just now, so nothing is logged yet.")
    assert runner.last.state.check_in["said"] == {"session": "done", "pain_during": 2, "pain_next_morning": 1}

    runner.send = in_process(skill_on(store))
    again = runner.say("CheckInIntent", {"sessionOutcome": None})  # "try again"
    assert again.speech.startswith("That's logged.")
    assert check_ins(store, app_config)[0].pain_next_morning == 1


def test_no_to_trying_again_says_nothing_was_logged(runner, store, app_config, at, skill_on):
    file_plan(runner)
    at(MONDAY)
    runner.send = in_process(skill_on(StoreThatCannotWrite(store)))
    did_my_session(runner, "2")
    reply = runner.say("AMAZON.NoIntent")
    assert reply.speech == "Okay. Nothing is logged. Later, say: tell Hamstring Coach I did my session."
    assert reply.ended and check_ins(store, app_config) == ()


# ---- progress ------------------------------------------------------------------------------------


def test_how_am_i_doing_says_the_progress_sentence(runner, store, app_config, at, clock):
    file_plan(runner)
    at(MONDAY)
    did_my_session(runner, "4")
    at(WEDNESDAY)
    did_my_session(runner, "2")

    reply = runner.say("ProgressIntent")

    plan = plan_of(store, app_config)
    sentence = plan_progress(plan, WEDNESDAY).sentence()
    assert reply.speech == sentence
    assert re.search(r"from 4 to 2", sentence)
    assert reply.ended


def test_how_am_i_doing_before_any_check_in_and_without_a_plan(runner, store, app_config):
    assert runner.say("ProgressIntent").speech.startswith("You don't have a plan yet.")
    runner.say("AMAZON.NoIntent")
    file_plan(runner)
    reply = runner.say("ProgressIntent")
    assert reply.speech == plan_progress(plan_of(store, app_config), dt.date(2026, 3, 1)).sentence()


# ---- clinician clearance -------------------------------------------------------------------------


def test_a_referred_runner_cleared_by_a_clinician_gets_that_programme_as_a_new_revision(
        runner, store, app_config, at):
    file_plan(runner, SPRINTER)
    before = plan_of(store, app_config)
    assert before.programme.category == "refer"
    at(dt.date(2026, 3, 5))

    asked = runner.say("ClearanceIntent")  # "my physio cleared me"
    assert asked.speech == ("Good. Which did your clinician say it is: tight hamstrings, a tendon problem, a "
                            "mild strain, or a strain?")
    not_one = runner.say("AMAZON.YesIntent")
    assert not_one.speech.startswith("I need one of these.")
    cleared = runner.say("ClearanceIntent", {"category": "a mild strain"},
                         resolutions={"category": "strain_low_grade"})

    after = plan_of(store, app_config)
    assert after.programme.category == "strain_low_grade"
    assert after.revision == before.revision + 1 and after.plan_id == before.plan_id
    assert after.check_ins[-1].session == "clearance"
    assert cleared.speech.startswith(after.check_ins[-1].says)
    first = next(s for s in after.programme.sessions if s.kind == "session" and s.date >= dt.date(2026, 3, 5))
    assert first.date == FRIDAY
    assert cleared.speech.endswith("Your first session is on Friday, March 6 at 7 in the morning.")
    assert cleared.ended


def test_a_clearance_said_in_one_go_needs_no_question(runner, store, app_config, at):
    file_plan(runner, SPRINTER)
    at(dt.date(2026, 3, 5))
    runner.say("ClearanceIntent", {"category": "tendinitis"}, resolutions={"category": "tendinopathy"})
    assert plan_of(store, app_config).programme.category == "tendinopathy"


def test_not_sure_what_the_clinician_cleared_changes_nothing(runner, store, app_config, at):
    file_plan(runner, SPRINTER)
    at(dt.date(2026, 3, 5))
    runner.say("ClearanceIntent")
    reply = runner.say("UnsureIntent")
    assert reply.speech.startswith("Okay. Ask your clinician which it is")
    assert plan_of(store, app_config).programme.category == "refer"


def test_a_plan_that_is_not_a_referral_has_nothing_to_clear(runner, store, app_config, at):
    file_plan(runner, TIGHT)
    at(MONDAY)
    reply = runner.say("ClearanceIntent", {"category": "a strain"}, resolutions={"category": "strain"})
    assert reply.speech == ("Your plan isn't waiting for a clinician, so there's nothing to clear. Keep "
                            "going with your sessions.")
    assert plan_of(store, app_config).revision == 1


def test_a_clearance_with_the_database_down_is_kept_for_try_again(runner, store, app_config, at, skill_on):
    file_plan(runner, SPRINTER)
    at(dt.date(2026, 3, 5))
    runner.send = in_process(skill_on(StoreThatCannotWrite(store)))
    sorry = runner.say("ClearanceIntent", {"category": "a strain"}, resolutions={"category": "strain"})
    assert sorry.speech == ("Sorry, I can't reach your plan just now, so nothing has changed yet. Shall I "
                            "try again?")
    runner.send = in_process(skill_on(store))
    runner.say("AMAZON.YesIntent")
    assert plan_of(store, app_config).programme.category == "strain"
