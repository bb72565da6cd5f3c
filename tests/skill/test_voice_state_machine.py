"""Random conversations: any intent, any slot value (malformed ones too), in any order, across
sessions and locales. Whatever is said, the skill never raises (no turn reaches the catch-all
exception handler, whose apology would otherwise pass for an answer), never answers with silence, keeps
a session open only with a reprompt, and never loses an answer: the stored state always holds
exactly the answers the conversation has."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from voice_driver import Runner, in_process

from plans.keys import owner_key
from plans.service import file_plan
from plans.state import MemoryStateStore, SqlStateStore
from plans.store import PlanStore
from skill.build import build_skill
from tests.samples import SEVERE_TEAR, STRAIN, TIGHT, TIGHTNESS

SECRET = "test-secret-key-for-hashes-0123456789-abcdefghij"
LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN", "fr-FR", "not a locale")

junk = st.sampled_from(["?", "", " ", "null", "<speak>", "é", "x" * 300, "1e9", "-0", "\u202e"])

locations = st.one_of(st.none(), junk, st.sampled_from(
    ["sit bone", "back of my thigh", "behind my knee", "lower buttock", "back_of_thigh", "elbow"]))
location_ids = st.one_of(st.none(), st.sampled_from(
    ["lower_buttock", "back_of_thigh", "behind_knee", "knee"]))
onsets = st.one_of(st.none(), junk, st.sampled_from(["suddenly", "gradually", "sudden", "over a few weeks"]))
onset_ids = st.one_of(st.none(), st.sampled_from(["sudden", "gradual", "slowly"]))
numbers = st.one_of(st.none(), junk, st.integers(-20, 40).map(str),
                    st.sampled_from(["6.5", "99999999999999999999"]))
durations = st.one_of(st.none(), junk, st.sampled_from(
    ["P1D", "P2W", "P3W", "PT5H", "P1M", "P1Y", "P99999Y", "P1.5W", "PT", "P"]))
relative_days = st.one_of(st.none(), junk, st.sampled_from(["yesterday", "today", "last night", "tomorrow"]))
relative_day_ids = st.one_of(st.none(), st.sampled_from(
    ["today", "yesterday", "day_before_yesterday", "tomorrow"]))
parts_of_day = st.one_of(st.none(), junk, st.sampled_from(["this morning", "tonight", "last night", "noon"]))
part_of_day_ids = st.one_of(st.none(), st.sampled_from(["this_morning", "tonight", "last_night", "today"]))
days = st.one_of(st.none(), junk,
                 st.sampled_from(["monday", "Tuesday", "wednesdays", "thu", "fri", "sunday"]))
times = st.one_of(st.none(), junk, st.sampled_from(["07:00", "18:30", "EV", "MO", "NI", "24:00", "7"]))
dates = st.one_of(st.none(), junk, st.sampled_from(["2026-03-02", "2026-03-20", "2027-09-01", "2025-01-01",
                                                    "2026-W12", "2026-02-30", "PRESENT_REF"]))
outcomes = st.one_of(st.none(), junk, st.sampled_from(["did", "part of it", "skipped", "done", "partial"]))
outcome_ids = st.one_of(st.none(), st.sampled_from(["done", "partial", "missed", "maybe"]))
cleared = st.one_of(st.none(), junk, st.sampled_from(["a mild strain", "tendinitis", "a strain", "refer"]))
cleared_ids = st.one_of(st.none(), st.sampled_from(["tightness", "tendinopathy", "strain_low_grade", "strain",
                                                    "refer"]))
PLAIN_INTENTS = (
    "AMAZON.YesIntent", "AMAZON.NoIntent", "UnsureIntent", "AMAZON.HelpIntent", "AMAZON.RepeatIntent",
    "AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.FallbackIntent", "ExplainTestIntent",
    "TodaysSessionIntent", "CheckHamstringIntent", "DeleteMyDataIntent", "AMAZON.StopIntent",
    "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent", "MadeUpIntent", "CheckInIntent", "ProgressIntent",
    "ClearanceIntent",
)
# Answers may shrink only through these: the rest must keep every answer given.
UNDOING = {"AMAZON.PreviousIntent", "AMAZON.StartOverIntent", "AMAZON.NoIntent", "DeleteMyDataIntent",
           "AMAZON.YesIntent"}


class VoiceMachine(RuleBasedStateMachine):
    def __init__(self, skill, states: SqlStateStore, failures, clock=None, plan_store=None):
        super().__init__()
        self.states = states
        self.clock = clock
        self.plan_store = plan_store
        self.filed = False
        self.failures = failures
        failures.clear()
        self.user = f"amzn1.ask.account.FUZZ{uuid.uuid4().hex}"
        self.key = owner_key(SECRET.encode(), self.user)
        self.runner = Runner(in_process(skill), user_id=self.user)
        self.answers_before: dict = {}

    # ---- what the runner does --------------------------------------------------------------

    @rule(locale=st.sampled_from(LOCALES))
    def open_the_skill(self, locale):
        self.runner.locale = locale
        self._check(self.runner.launch(), None)

    @rule(intent=st.sampled_from(PLAIN_INTENTS))
    def say_something(self, intent):
        self._check(self.runner.say(intent), intent)

    @rule(data=st.data())
    def answer_what_is_asked(self, data):
        """A runner who mostly plays along, so random walks reach the outcome and the filing."""
        step = self.runner.current_step() if self.runner.attributes is not None else None
        if step is not None and step.kind == "session_outcome":  # a check-in's first question
            value = data.draw(st.sampled_from(["done", "partial", "missed"]))
            reply = self.runner.say("CheckInIntent", {"sessionOutcome": value},
                                    resolutions={"sessionOutcome": value})
            self._check(reply, "check-in")
            return
        if step is not None and step.kind in ("pain_during", "pain_next_morning"):
            self._check(self.runner.answer(data.draw(st.integers(0, 10))), "answer")
            return
        if step is None or step.kind != "question":
            intent = data.draw(st.sampled_from(["AMAZON.YesIntent", "AMAZON.NoIntent"]))
            self._check(self.runner.say(intent), intent)
            return
        q = step.question
        value = data.draw(st.integers(q.minimum, min(q.maximum, 30)) if q.kind == "number"
                          else st.sampled_from(q.choices))
        said = {"yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent"}.get(value, "answer")
        self._check(self.runner.answer(value), said)

    @rule(value=locations, resolved=location_ids)
    def name_a_place(self, value, resolved):
        resolutions = {"location": resolved} if resolved and value is not None else None
        reply = self.runner.say("AnswerLocationIntent", {"location": value}, resolutions=resolutions)
        self._check(reply, "answer")

    @rule(value=onsets, resolved=onset_ids)
    def say_how_it_started(self, value, resolved):
        resolutions = {"onset": resolved} if resolved and value is not None else None
        reply = self.runner.say("AnswerOnsetIntent", {"onset": value}, resolutions=resolutions)
        self._check(reply, "answer")

    @rule(value=numbers)
    def say_a_number(self, value):
        self._check(self.runner.say("AnswerNumberIntent", {"number": value}), "answer")

    @rule(value=durations)
    def say_how_long_ago(self, value):
        self._check(self.runner.say("AnswerNumberIntent", {"duration": value}), "answer")

    @rule(value=relative_days, resolved=relative_day_ids)
    def name_the_day_it_started(self, value, resolved):
        resolutions = {"relativeDay": resolved} if resolved and value is not None else None
        reply = self.runner.say("AnswerNumberIntent", {"relativeDay": value}, resolutions=resolutions)
        self._check(reply, "answer")

    @rule(value=parts_of_day, resolved=part_of_day_ids)
    def say_the_part_of_the_day_it_started(self, value, resolved):
        resolutions = {"partOfDay": resolved} if resolved and value is not None else None
        reply = self.runner.say("AnswerNumberIntent", {"partOfDay": value}, resolutions=resolutions)
        self._check(reply, "answer")

    @rule(chosen=st.lists(days, min_size=0, max_size=4))
    def choose_days(self, chosen):
        slots = dict(zip(("firstDay", "secondDay", "thirdDay", "fourthDay"), chosen, strict=False))
        self._check(self.runner.say("ChooseDaysIntent", slots), "preference")

    @rule(value=times)
    def choose_a_time(self, value):
        self._check(self.runner.say("ChooseTimeIntent", {"time": value}), "preference")

    @rule(value=dates)
    def choose_a_start(self, value):
        self._check(self.runner.say("ChooseStartDateIntent", {"startDate": value}), "preference")

    @rule(outcome=outcomes, resolved=outcome_ids, pain=numbers, day=relative_days, day_id=relative_day_ids)
    def check_in(self, outcome, resolved, pain, day, day_id):
        """'I did my session and it hurt a 4', 'log yesterday's session', or an outcome mid check-in."""
        slots = {"sessionOutcome": outcome, "painScore": pain, "sessionDay": day}
        resolutions = {name: value for name, value in (("sessionOutcome", resolved), ("sessionDay", day_id))
                       if value and slots[name] is not None}
        self._check(self.runner.say("CheckInIntent", slots, resolutions=resolutions), "check-in")

    @rule(value=cleared, resolved=cleared_ids)
    def say_a_clinician_cleared_me(self, value, resolved):
        resolutions = {"category": resolved} if resolved and value is not None else None
        reply = self.runner.say("ClearanceIntent", {"category": value}, resolutions=resolutions)
        self._check(reply, "clearance")

    @precondition(lambda self: self.plan_store is not None and not self.filed)
    @rule(answers=st.sampled_from([TIGHTNESS, STRAIN, SEVERE_TEAR]))
    def a_plan_was_filed_before(self, answers):
        """A runner with a plan (a referral too), as the triage would have filed it: the random
        walk seldom gets through a whole triage, and the check-ins need a plan to log to."""
        file_plan(self.plan_store, answers, {"weekdays": ["MO", "WE", "FR"], "timezone": "Europe/London"},
                  owner_key=self.key, now=self.clock())
        self.filed = True

    @precondition(lambda self: self.clock is not None)
    @rule(days=st.integers(1, 4))
    def days_pass(self, days):
        """Sessions come due, and with them check-ins, offers and the move-on check."""
        self.clock.advance(days=days)

    @precondition(lambda self: self.runner.attributes is not None and not self.runner.new_session)
    @rule(reason=st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"]))
    def walk_away(self, reason):
        reply = self.runner.session_ends(reason)
        self.failures.check(f"after the session ended ({reason})")
        assert reply.response.get("outputSpeech") is None

    @rule()
    def come_back_later_without_a_goodbye(self):
        self.runner.new_session = True

    # ---- what must always hold -------------------------------------------------------------

    def _check(self, reply, intent) -> None:
        self.failures.check(f"after {intent}")
        assert reply.speech, "the skill said nothing"
        assert "{" not in reply.speech and "}" not in reply.speech, "an unfilled prompt"
        if not reply.ended:
            assert reply.reprompt, "an open session without a reprompt"
        now = dict(reply.state.answers)
        before = self.answers_before
        # A plan filed (the card) or data deleted may clear the answers, as may the undoing intents.
        cleared = reply.card is not None or not reply.envelope.get("sessionAttributes")
        if intent not in UNDOING and not cleared:
            assert now.items() >= before.items(), f"answers lost: {before} -> {now}"
        self.answers_before = now
        if reply.card is not None:
            event("a plan was filed")
        elif "Thanks, that's all my questions." in reply.speech:
            event("the outcome was spoken")
        elif "That's logged." in reply.speech:
            event("a check-in was logged")

    @invariant()
    def the_stored_state_holds_every_answer_so_far(self):
        if not self.runner.replies:
            return
        stored = self.states.load(self.key)
        session = self.runner.last.envelope.get("sessionAttributes") or {}
        if "coach" not in session:  # deleted: nothing of this runner may remain
            assert stored is None or not stored.get("coach", {}).get("answers")
            return
        kept = (stored or {}).get("coach", {})
        # Nothing is written until there is something to keep.
        assert kept.get("answers", {}) == session["coach"]["answers"]
        assert kept.get("preferences", {}) == session["coach"]["preferences"]


@pytest.fixture
def fuzz_skill(tmp_path, clock, device_zone):

    url = f"sqlite:///{tmp_path / 'fuzz.sqlite3'}"
    plan_store = PlanStore(url, SECRET)
    plan_store.migrate()
    states = SqlStateStore(url, ensure_schema=plan_store.migrate)
    device_zone.name = "Europe/London"
    skill = build_skill(store_factory=lambda: plan_store, state_store=states, timezone_lookup=device_zone,
                        clock=clock, secret_key=SECRET, base_url="https://coach.example")
    yield skill, states, plan_store
    plan_store.close()


def test_random_conversations_never_crash_never_go_silent_and_never_lose_an_answer(fuzz_skill, turn_failures,
                                                                                  clock):
    skill, states, plan_store = fuzz_skill
    run_state_machine_as_test(
        lambda: VoiceMachine(skill, states, turn_failures, clock, plan_store),
        settings=settings(max_examples=60, stateful_step_count=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]),
    )


def test_the_watch_on_the_catch_all_hears_a_failed_turn_and_only_that(turn_failures):
    # The invariant above is only as good as this watch: a turn that raises must register, while
    # the apology it produces would pass every check on the reply.
    failing = {"now": False}

    def clock():
        if failing["now"]:
            raise RuntimeError("a clock that breaks on purpose")
        return dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)

    # An in-memory store: without one the skill used to open the default sqlite:///var/coach.sqlite3
    # and left it behind in the checkout.
    skill = build_skill(store_factory=lambda: PlanStore("sqlite://", SECRET), state_store=MemoryStateStore(),
                        timezone_lookup=lambda _: "UTC", clock=clock, secret_key=SECRET,
                        base_url="https://coach.example")
    runner = Runner(in_process(skill))
    runner.launch()
    runner.answer_triage(TIGHT)
    turn_failures.check()

    failing["now"] = True
    sorry = runner.say("ChooseStartDateIntent", {"startDate": "2026-03-03"})

    assert sorry.speech and sorry.reprompt  # the shape checks alone would pass this turn
    assert turn_failures.failures == ["turn failed with RuntimeError; apologised and asked again"]
    with pytest.raises(AssertionError, match="the catch-all answered"):
        turn_failures.check()
