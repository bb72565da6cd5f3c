"""Closing turns (issue 11 (5)): after the session has ended Alexa hears only "Alexa, ...", so any
words a closing turn tells the runner to say name the skill; and "I've kept your answers" is never
said when they were not kept."""

from __future__ import annotations

import re

import pytest
from voice_driver import Runner, in_process

from skill.build import build_skill
from skill.prompts import SUPPORTED_LOCALES, for_locale

# Every prompt that can close a session (skill.conversation: the turns with end=True).
CLOSING_KEYS = (
    "home_no", "goodbye_plan", "card_sent", "code_new_link", "plan_not_saved", "plan_not_saved_lost",
    "session_plan_over", "no_plan_yet", "plan_unreachable", "check_in_later", "nothing_logged",
    "nothing_changed", "goodbye_nothing_logged", "plan_not_started", "clearance_ask_them", "not_a_referral",
    "goodbye", "goodbye_progress_kept", "goodbye_progress_lost", "data_deleted_none", "data_deleted_one",
    "data_deleted_many", "delete_failed", "check_in_logged",
)
# Words that tell the runner what to say next.
INSTRUCTION = re.compile(r"\b(say|tell me|ask me)\b", re.I)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_every_closing_turn_that_says_what_to_say_names_the_skill(locale):
    prompts = for_locale(locale)
    unnamed = [key for key in CLOSING_KEYS
               if INSTRUCTION.search(prompts.text[key]) and "Hamstring Coach" not in prompts.text[key]]
    assert not unnamed


class FailingStateStore:
    """The skill's state store with its database away: nothing can be kept."""

    def load(self, key):
        return None

    def save(self, key, attributes, *, now):
        raise OSError("database away")

    def delete(self, key):
        raise OSError("database away")


def _runner(store, state_store, clock, device_zone, app_config) -> Runner:
    return Runner(in_process(build_skill(
        store_factory=lambda: store, state_store=state_store, timezone_lookup=device_zone, clock=clock,
        secret_key=app_config["COACH_SECRET_KEY"], base_url=app_config["COACH_BASE_URL"])))


def test_stop_mid_check_says_the_answers_are_kept_when_they_are(voice):
    voice.launch()
    voice.answer("back_of_thigh")
    reply = voice.say("AMAZON.StopIntent")
    assert "I've kept your answers" in reply.speech and reply.ended


def test_stop_mid_check_never_claims_the_answers_were_kept_when_the_save_failed(store, clock, device_zone,
                                                                                 app_config):
    runner = _runner(store, FailingStateStore(), clock, device_zone, app_config)
    runner.launch()
    runner.answer("back_of_thigh")
    reply = runner.say("AMAZON.StopIntent")
    assert "kept" not in reply.speech.replace("couldn't keep", "")
    assert "couldn't keep your answers" in reply.speech and reply.ended


def test_a_plan_not_filed_never_claims_the_answers_were_kept_when_they_were_not(clock, device_zone,
                                                                              app_config):
    from plans.store import PlanStore

    dead = PlanStore("postgresql://coach@127.0.0.1:1/coach", app_config["COACH_SECRET_KEY"])
    try:
        runner = _runner(dead, FailingStateStore(), clock, device_zone, app_config)
        runner.launch()
        runner.answer_triage({"location": "back_of_thigh", "onset": "gradual", "days_since": 7,
                              "pain_score": 2})
        runner.to_the_plan()
        reply = runner.say("AMAZON.YesIntent")
    finally:
        dead.close()
    assert "couldn't save your plan or your answers" in reply.speech
    assert "I've kept your answers" not in reply.speech and reply.ended
