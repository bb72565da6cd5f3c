"""The plan code by voice (issue 11 (2)): a turn of its own after filing, offered again ("want me to
repeat it?"), and "what's my code" at any time later, also as a one-shot, re-issuing a fresh code
by owner key (plans.store.PlanStore.reissue_code_for_owner)."""

from __future__ import annotations

import datetime as dt
import re

from voice_driver import Runner, filed_plan, in_process, spoken_code

from plans import service
from plans.codes import CODE_GROUP, CODE_LENGTH, grouped, new_code
from skill.build import build_skill
from tests.samples import LONDON_MWF, TIGHT, TIGHTNESS

NOW = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def _file(voice: Runner) -> tuple[str, str]:
    """File TIGHT by voice, hear the code, decline a repeat: (the spoken code, the card's token)."""
    voice.launch()
    voice.answer_triage(TIGHT)
    voice.to_the_plan()
    filed = voice.say("AMAZON.YesIntent")
    token = re.search(r"/plans/(\S+)", filed.card["content"]).group(1)
    code = spoken_code(voice.hear_the_code())
    voice.say("AMAZON.NoIntent")
    return code, token


# ---- how a code is said --------------------------------------------------------------------------


def test_a_code_is_spelled_in_two_groups_of_five_as_it_is_printed():
    from skill.prompts import spell_code

    assert (CODE_LENGTH, CODE_GROUP) == (10, 5)
    for code in ("ACDFH34797", new_code()):
        groups = spell_code(code).split('<break time="700ms"/>')
        spelled = ["".join(re.findall(r'interpret-as="spell-out">(.)</say-as>', group)) for group in groups]
        assert spelled == grouped(code).split() == [code[:5], code[5:]]


def test_the_conversation_keeps_a_code_of_the_length_codes_have():
    from skill import conversation

    assert conversation._CODE.pattern == rf"^[A-Z0-9]{{{CODE_LENGTH}}}$"


# ---- the store and the service ----------------------------------------------------------------


def test_reissuing_by_owner_key_gives_the_newest_plan_a_new_code_under_the_same_token(store):
    first = service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="runner-key", now=NOW)
    newest = service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="runner-key",
                               now=NOW + dt.timedelta(days=1))
    later = NOW + dt.timedelta(days=40)  # both codes have expired by now
    assert store.token_for_code(newest.code, later) is None

    issued = service.reissue_code_for_owner(store, "runner-key", now=later)

    assert issued is not None and len(issued.code) == CODE_LENGTH and issued.code != newest.code
    assert issued.token == newest.token and not issued.new_link, "a plan keeps its token for life"
    assert store.token_for_code(issued.code, later) == newest.token
    assert store.get_plan(newest.token).plan_id == newest.plan.plan_id
    assert store.short_code_for(newest.token).code == issued.code
    assert store.get_plan(first.token) is not None, "only the newest plan is re-issued"
    assert issued.timezone == "Europe/London"


def test_a_code_reissued_by_owner_key_retires_the_code_before_it(store):
    filed = service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="runner-key", now=NOW)
    soon = NOW + dt.timedelta(days=1)  # the filed code still works until the re-issue
    assert store.token_for_code(filed.code, soon) == filed.token

    issued = service.reissue_code_for_owner(store, "runner-key", now=soon)

    assert store.token_for_code(filed.code, soon) is None
    assert store.token_for_code(issued.code, soon) == filed.token


def test_reissuing_twice_by_owner_key_keeps_the_token_each_time(store):
    filed = service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="runner-key", now=NOW)
    once = service.reissue_code_for_owner(store, "runner-key", now=NOW + dt.timedelta(days=40))
    twice = service.reissue_code_for_owner(store, "runner-key", now=NOW + dt.timedelta(days=80))
    assert once.token == twice.token == filed.token
    assert store.token_for_code(once.code, NOW + dt.timedelta(days=80)) is None
    assert store.token_for_code(twice.code, NOW + dt.timedelta(days=80)) == filed.token


def test_reissuing_for_an_owner_without_a_plan_is_none(store):
    service.file_plan(store, TIGHTNESS, LONDON_MWF, owner_key="someone-else", now=NOW)
    assert service.reissue_code_for_owner(store, "nobody", now=NOW) is None


# ---- by voice ---------------------------------------------------------------------------------


def test_after_filing_the_code_is_offered_said_slowly_and_repeated_letter_by_letter(voice, store):
    voice.launch()
    voice.answer_triage(TIGHT)
    voice.to_the_plan()
    filed = voice.say("AMAZON.YesIntent")
    assert filed.speech.endswith("Shall I read you the code?")
    assert len(filed.speech.split()) <= 42, filed.speech
    assert spoken_code(filed) == "", "the code is not buried in the filing turn"
    heard = voice.hear_the_code()
    code = spoken_code(heard)
    assert heard.speech.startswith("Your code is:") and heard.speech.endswith("Want me to repeat it?")
    assert '<break time="400ms"/>' in heard.ssml
    again = voice.say("AMAZON.YesIntent")
    assert spoken_code(again) == code and again.speech.startswith("Once more, letter by letter:")
    # "What's my code" in the same visit says the same code: nothing is re-issued.
    asked = voice.say("WhatsMyCodeIntent")
    assert spoken_code(asked) == code
    assert store.token_for_code(code, NOW) is not None
    offer = voice.say("AMAZON.NoIntent")
    assert "Alexa app" in offer.speech and voice.current_step().kind == "reminder_offer"
    goodbye = voice.decline_reminders()
    assert goodbye.ended and "what's my code" in goodbye.speech


def test_no_to_the_code_offer_closes_with_where_the_code_is(voice):
    voice.launch()
    voice.answer_triage(TIGHT)
    voice.to_the_plan()
    voice.say("AMAZON.YesIntent")
    closed = voice.say("AMAZON.NoIntent")
    assert "Alexa app" in closed.speech and spoken_code(closed) == ""
    assert voice.decline_reminders().ended


def test_whats_my_code_as_a_one_shot_later_reissues_a_working_code_under_the_same_link(
        voice, store, app_config, clock):
    old_code, old_token = _file(voice)
    clock.advance(days=40)  # the filed code has expired

    asked = voice.say("WhatsMyCodeIntent")

    code = spoken_code(asked)
    assert len(code) == CODE_LENGTH and code != old_code
    assert asked.speech.endswith("Want me to repeat it?") and not asked.ended
    assert grouped(code) in asked.card["content"] and "/plans/" in asked.card["content"]
    card_token = re.search(r"/plans/(\S+)", asked.card["content"]).group(1)
    assert card_token == old_token, "the plan's link and calendar feed are for life"
    assert store.token_for_code(code, clock()) == old_token
    assert store.token_for_code(old_code, clock()) is None
    assert filed_plan(store, app_config).plan_id == store.get_plan(old_token).plan_id
    closing = voice.say("AMAZON.NoIntent")
    assert "no longer work" not in closing.speech and closing.ended


def test_whats_my_code_while_the_old_code_still_works_retires_it(voice, store, clock):
    old_code, old_token = _file(voice)
    clock.advance(days=1)
    asked = voice.say("WhatsMyCodeIntent")
    code = spoken_code(asked)
    assert store.token_for_code(old_code, clock()) is None
    assert store.token_for_code(code, clock()) == old_token


def test_whats_my_code_without_a_plan_says_there_is_none_yet(voice):
    reply = voice.say("WhatsMyCodeIntent")
    assert "don't have a plan yet" in reply.speech and spoken_code(reply) == ""


def test_whats_my_code_mid_check_goes_back_to_the_check_afterwards(voice):
    _file(voice)
    voice.launch()
    voice.say("CheckHamstringIntent")
    voice.answer("back_of_thigh")
    asked = voice.say("WhatsMyCodeIntent")
    assert len(spoken_code(asked)) == CODE_LENGTH
    back = voice.say("AMAZON.NoIntent")
    assert "Now, back to your check." in back.speech and not back.ended
    assert voice.current_step().question_id == "nerve_symptoms"


def test_with_the_store_away_whats_my_code_says_so_and_claims_no_code(dead_store, state_store, clock,
                                                                       device_zone, app_config):
    skill = build_skill(store_factory=lambda: dead_store, state_store=state_store,
                        timezone_lookup=device_zone, clock=clock, secret_key=app_config["COACH_SECRET_KEY"],
                        base_url=app_config["COACH_BASE_URL"])
    runner = Runner(in_process(skill))
    reply = runner.say("WhatsMyCodeIntent")
    assert "can't reach your plan" in reply.speech and spoken_code(reply) == ""
