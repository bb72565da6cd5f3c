"""The voice model Alexa's NLU is built from: it must pass Amazon's rules before the console can
certify it, agree with the handlers and the envelopes on every name, and read the same in every
English locale."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from skill import envelopes

MODELS = Path(__file__).resolve().parents[2] / "interaction_models"
LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")

# The seam with the handlers (/tmp/skill_contract.md, docs/contracts.md): intent -> {slot: type}.
CONTRACT_INTENTS: dict[str, dict[str, str]] = {
    "AnswerLocationIntent": {"location": "LOCATION_TYPE"},
    "AnswerOnsetIntent": {"onset": "ONSET_TYPE"},
    "AnswerNumberIntent": {"number": "AMAZON.NUMBER", "duration": "AMAZON.DURATION",
                           "relativeDay": "RELATIVE_DAY_TYPE", "partOfDay": "PART_OF_DAY_TYPE"},
    "UnsureIntent": {},
    "ChooseDaysIntent": {"firstDay": "AMAZON.DayOfWeek", "secondDay": "AMAZON.DayOfWeek",
                         "thirdDay": "AMAZON.DayOfWeek", "fourthDay": "AMAZON.DayOfWeek"},
    "ChooseTimeIntent": {"time": "AMAZON.TIME"},
    "ChooseStartDateIntent": {"startDate": "AMAZON.DATE"},
    "ExplainTestIntent": {},
    "TodaysSessionIntent": {},
    "CheckHamstringIntent": {},
    "DeleteMyDataIntent": {},
    "CheckInIntent": {"sessionOutcome": "SESSION_OUTCOME_TYPE", "painScore": "AMAZON.NUMBER",
                      "sessionDay": "RELATIVE_DAY_TYPE"},
    "ProgressIntent": {},
    "ClearanceIntent": {"category": "CLEARED_FOR_TYPE"},
    # The outcome told in short turns (issue 11): "why", "what to do today", "make my plan".
    "WhyIntent": {},
    "TodayAdviceIntent": {},
    "MakePlanIntent": {},
    "WhatsMyCodeIntent": {},
    "WaitIntent": {},
    # A guided session (issue 13): "start my session", "skip this one", "that hurts".
    "StartSessionIntent": {},
    "SkipIntent": {},
    "HurtsIntent": {},
    # Alexa reminders (issue 13): "set up my reminders", "stop my reminders".
    "SetUpRemindersIntent": {},
    "StopRemindersIntent": {},
}
# The coaching loop's intents (issue 10): a runner says these in many ways, so more samples.
COACHING_INTENTS = ("CheckInIntent", "ProgressIntent", "ClearanceIntent")
REQUIRED_BUILT_INS = {
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.RepeatIntent", "AMAZON.StartOverIntent", "AMAZON.PreviousIntent",
    "AMAZON.YesIntent", "AMAZON.NoIntent",
    # A guided session: "next", "pause", "resume".
    "AMAZON.NextIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
}
CUSTOM_VALUE_IDS = {
    "LOCATION_TYPE": {"lower_buttock", "back_of_thigh", "behind_knee"},  # rehab.models.Location
    "ONSET_TYPE": {"sudden", "gradual"},  # rehab.models.Onset
    "RELATIVE_DAY_TYPE": {"today", "yesterday", "day_before_yesterday"},  # skill.conversation.RELATIVE_DAYS
    "PART_OF_DAY_TYPE": {"this_morning", "this_afternoon", "this_evening", "tonight", "last_night",
                         "yesterday_morning", "yesterday_afternoon", "yesterday_evening"},  # PARTS_OF_DAY_AGO
    "SESSION_OUTCOME_TYPE": {"done", "partial", "missed"},  # rehab.models.SessionReport
    "CLEARED_FOR_TYPE": {"tightness", "tendinopathy", "strain_low_grade", "strain"},  # Category but refer
}
# Built-in slot types that match almost anything: a sample of one of these alone would take words
# meant for other intents (AnswerNumberIntent's bare "{number}" predates this rule and is the
# answer to a number question).
BROAD_BUILT_INS = {"AMAZON.NUMBER", "AMAZON.DATE", "AMAZON.TIME", "AMAZON.DURATION", "AMAZON.DayOfWeek"}
# Amazon's invocation-name rules: no wake words, launch phrases or connecting words that Alexa
# itself consumes ("ask ... to", "open ..."), which would make the name unreachable.
FORBIDDEN_INVOCATION_WORDS = {
    "alexa", "amazon", "echo", "computer", "skill", "app", "ask", "tell", "open", "launch", "load", "begin",
    "enable", "start", "run", "resume", "use", "play", "to", "from", "by", "if", "and", "whether", "for",
}
# Lowercase words, apostrophes, periods only in spoken abbreviations ("p. t."), {slots}; no digits.
SAMPLE_WORD = re.compile(r"^(?:[a-z]+(?:'[a-z]+)?|[a-z]\.|\{[A-Za-z]+\})$")
SYNONYM_WORD = re.compile(r"^(?:[a-z]+(?:'[a-z]+)?|[a-z]\.)$")


def interaction_model(locale: str) -> dict:
    return json.loads((MODELS / f"{locale}.json").read_text(encoding="utf-8"))["interactionModel"]


def language_model(locale: str) -> dict:
    return interaction_model(locale)["languageModel"]


def spoken_values(locale: str, type_name: str) -> dict[str, set[str]]:
    """Value id -> every way of saying it (its name and synonyms)."""
    slot_type = next(t for t in language_model(locale)["types"] if t["name"] == type_name)
    return {value["id"]: {value["name"]["value"], *value["name"]["synonyms"]}
            for value in slot_type["values"]}


def intents(locale: str) -> dict[str, dict]:
    return {intent["name"]: intent for intent in language_model(locale)["intents"]}


def custom_intents(locale: str) -> dict[str, dict]:
    return {name: intent for name, intent in intents(locale).items() if not name.startswith("AMAZON.")}


def normalised(sample: str) -> str:
    return " ".join(sample.lower().split())


def slot_names(sample: str) -> list[str]:
    return re.findall(r"\{(\w+)\}", sample)


every_locale = pytest.mark.parametrize("locale", LOCALES)


def test_every_english_locale_has_a_model_and_there_are_no_strays():
    assert sorted(path.stem for path in MODELS.glob("*.json")) == sorted(LOCALES)


@every_locale
def test_the_invocation_name_is_hamstring_coach(locale):
    assert language_model(locale)["invocationName"] == "hamstring coach"


@every_locale
def test_the_invocation_name_follows_amazons_rules(locale):
    name = language_model(locale)["invocationName"]
    words = name.split(" ")

    assert len(words) >= 2, "one-word names need brand rights"
    assert re.fullmatch(r"[a-z]+( [a-z]+)+", name), "lowercase letters and single spaces only"
    assert not FORBIDDEN_INVOCATION_WORDS & set(words)
    assert len(name) <= 50


@every_locale
def test_the_intents_are_exactly_the_contract_and_the_built_ins(locale):
    assert set(intents(locale)) == set(CONTRACT_INTENTS) | REQUIRED_BUILT_INS


@every_locale
def test_each_intent_declares_the_slots_and_types_the_handlers_read(locale):
    declared = {name: {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
                for name, intent in custom_intents(locale).items()}

    assert declared == CONTRACT_INTENTS


@every_locale
def test_every_custom_intent_has_at_least_eight_samples(locale):
    thin = {name: len(intent["samples"]) for name, intent in custom_intents(locale).items()
            if len(intent["samples"]) < 8}

    assert not thin


@every_locale
def test_every_custom_intent_has_at_least_fifteen_samples(locale):
    # Issue 11: runners say each thing in many ways; the new phrasings are in every locale.
    thin = {name: len(intent["samples"]) for name, intent in custom_intents(locale).items()
            if len(intent["samples"]) < 15}

    assert not thin


@every_locale
def test_the_new_phrasings_of_issue_11_are_in_every_locale(locale):
    for name, sample in [("WhyIntent", "why"), ("TodayAdviceIntent", "what do i do now"),
                         ("MakePlanIntent", "make my plan"), ("WhatsMyCodeIntent", "what's my code"),
                         ("WaitIntent", "not yet"), ("WaitIntent", "wait")]:
        assert sample in intents(locale)[name]["samples"], (name, sample)


@every_locale
def test_the_coaching_intents_have_at_least_fifteen_samples_and_none_is_a_broad_slot_alone(locale):
    for name in COACHING_INTENTS:
        intent = intents(locale)[name]
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        assert len(intent["samples"]) >= 15, name
        alone = [sample for sample in intent["samples"]
                 if re.fullmatch(r"\{(\w+)\}", sample) and types[slot_names(sample)[0]] in BROAD_BUILT_INS]
        assert not alone, (name, alone)


@every_locale
def test_no_sample_is_only_a_built_in_slot_that_another_intent_could_mean(locale):
    # Issue 11: "seven" may be a pain score, a number of days or a time, "monday" a training day or
    # the day it started. A sample that is nothing but an AMAZON.* slot claims every such word for
    # one intent; a carrier phrase ("it's {number}", "at {time}") says which question it answers.
    # A custom type alone ({location}) is fine: its values belong to one question.
    alone = []
    for name, intent in intents(locale).items():
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        alone += [(name, sample) for sample in intent.get("samples", [])
                  if re.fullmatch(r"\s*\{(\w+)\}\s*", sample)
                  and types.get(slot_names(sample)[0], "").startswith("AMAZON.")]

    assert not alone


@every_locale
def test_no_sample_appears_in_two_intents_or_twice_in_one(locale):
    owners = Counter()
    for name, intent in intents(locale).items():
        for sample in {normalised(sample) for sample in intent.get("samples", [])}:
            owners[sample] += 1
        within = Counter(normalised(sample) for sample in intent.get("samples", []))
        assert not [sample for sample, count in within.items() if count > 1], name

    assert not [sample for sample, count in owners.items() if count > 1]


@every_locale
def test_every_slot_used_in_a_sample_is_declared_on_its_intent_and_used_once(locale):
    for name, intent in intents(locale).items():
        declared = {slot["name"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            used = slot_names(sample)
            assert set(used) <= declared, (name, sample)
            assert len(used) == len(set(used)), (name, sample)


@every_locale
def test_every_declared_slot_is_used_by_some_sample(locale):
    for name, intent in intents(locale).items():
        used = {slot for sample in intent.get("samples", []) for slot in slot_names(sample)}
        assert {slot["name"] for slot in intent.get("slots", [])} <= used, name


@every_locale
def test_samples_use_only_characters_alexa_accepts(locale):
    for name, intent in intents(locale).items():
        for sample in intent.get("samples", []):
            assert sample == sample.strip() and "  " not in sample, (name, sample)
            bad = [word for word in sample.split(" ") if not SAMPLE_WORD.match(word)]
            assert not bad, (name, sample, bad)


@every_locale
def test_fallback_has_no_samples_because_alexa_refuses_them(locale):
    assert not intents(locale)["AMAZON.FallbackIntent"].get("samples")


@every_locale
def test_the_custom_slot_types_hold_exactly_the_answers_the_clinical_core_accepts(locale):
    types = {slot_type["name"]: slot_type for slot_type in language_model(locale)["types"]}

    assert {name: {value["id"] for value in slot_type["values"]} for name, slot_type in types.items()} \
        == CUSTOM_VALUE_IDS


@every_locale
def test_custom_values_are_named_as_the_envelopes_name_them_and_synonyms_are_speakable(locale):
    for slot_type in language_model(locale)["types"]:
        for value in slot_type["values"]:
            assert value["name"]["value"] == envelopes.canonical_name(value["id"])
            for synonym in value["name"]["synonyms"]:
                assert all(SYNONYM_WORD.match(word) for word in synonym.split(" ")), synonym


@every_locale
def test_no_synonym_means_two_different_answers(locale):
    for slot_type in language_model(locale)["types"]:
        spoken = Counter(normalised(word) for value in slot_type["values"]
                         for word in {value["name"]["value"], *value["name"]["synonyms"]})
        assert not [word for word, count in spoken.items() if count > 1], slot_type["name"]


@every_locale
def test_the_location_type_understands_the_words_runners_use(locale):
    location = spoken_values(locale, "LOCATION_TYPE")

    assert {"sit bone", "buttock", "bum", "glute", "top of the hamstring"} <= location["lower_buttock"]
    assert {"back of my thigh", "middle of my leg"} <= location["back_of_thigh"]
    assert {"behind my knee", "back of my knee"} <= location["behind_knee"]


@every_locale
def test_the_relative_day_type_understands_today_and_yesterday_in_everyday_words(locale):
    day = spoken_values(locale, "RELATIVE_DAY_TYPE")

    assert {"today", "earlier today"} <= day["today"]
    assert {"yesterday", "on yesterday's run"} <= day["yesterday"]
    assert {"day before yesterday", "the day before yesterday"} <= day["day_before_yesterday"]


@every_locale
def test_the_part_of_day_type_understands_this_morning_and_last_night(locale):
    day = spoken_values(locale, "PART_OF_DAY_TYPE")

    assert {"this morning", "earlier this morning"} <= day["this_morning"]
    assert {"last night", "late last night"} <= day["last_night"]
    assert {"tonight", "this evening", "yesterday morning"} <= set().union(*day.values())


PARTS_OF_DAY = re.compile(r"\b(morning|afternoon|evening|night|tonight)\b")


@every_locale
def test_a_part_of_the_day_is_heard_as_a_day_only_after_words_that_say_so(locale):
    # "{relativeDay}" alone is a sample, and a bare sample beats ChooseTimeIntent's "{time}":
    # a part of the day among its values turned "tonight" at the time question into "today".
    words = {word for spoken in spoken_values(locale, "RELATIVE_DAY_TYPE").values() for word in spoken}
    assert not [word for word in words if PARTS_OF_DAY.search(word)]
    samples = intents(locale)
    with_part = [sample for sample in samples["AnswerNumberIntent"]["samples"] if "{partOfDay}" in sample]
    assert with_part
    assert all(sample.index("{partOfDay}") > 0 and sample.endswith("{partOfDay}") for sample in with_part)
    time_carriers = {sample.replace("{time}", "") for sample in samples["ChooseTimeIntent"]["samples"]}
    assert not time_carriers & {sample.replace("{partOfDay}", "") for sample in with_part}


def test_the_days_ago_the_day_types_name_are_the_ones_the_skill_counts():
    from skill.conversation import PARTS_OF_DAY_AGO, RELATIVE_DAYS

    assert set(RELATIVE_DAYS) == CUSTOM_VALUE_IDS["RELATIVE_DAY_TYPE"]
    assert set(PARTS_OF_DAY_AGO) == CUSTOM_VALUE_IDS["PART_OF_DAY_TYPE"]
    assert {PARTS_OF_DAY_AGO[part] for part in PARTS_OF_DAY_AGO if part.startswith("yesterday")} == {1}


@every_locale
def test_the_session_outcome_type_understands_done_partly_and_missed_in_everyday_words(locale):
    outcome = spoken_values(locale, "SESSION_OUTCOME_TYPE")

    assert {"did", "all of it", "finished"} <= outcome["done"]
    assert {"partly", "part of it", "half of it"} <= outcome["partial"]
    assert {"skipped", "missed it", "didn't do"} <= outcome["missed"]


@every_locale
def test_the_cleared_for_type_names_each_programme_as_a_clinician_would_say_it(locale):
    cleared = spoken_values(locale, "CLEARED_FOR_TYPE")

    assert {"tight hamstrings"} <= cleared["tightness"]
    assert {"a tendon problem", "tendinitis"} <= cleared["tendinopathy"]
    assert {"a mild strain", "a grade one strain"} <= cleared["strain_low_grade"]
    assert {"a strain", "a pulled hamstring"} <= cleared["strain"]


def test_the_programmes_a_clearance_names_are_the_ones_the_core_clears_for():
    from typing import get_args

    from rehab.models import Category, SessionReport
    from skill.conversation import CLEARED_CATEGORIES, SESSION_OUTCOMES

    assert set(CLEARED_CATEGORIES) == set(get_args(Category)) - {"refer"} \
        == CUSTOM_VALUE_IDS["CLEARED_FOR_TYPE"]
    assert set(SESSION_OUTCOMES) == set(get_args(SessionReport)) == CUSTOM_VALUE_IDS["SESSION_OUTCOME_TYPE"]


@every_locale
def test_the_session_day_is_heard_in_a_possessive_too(locale):
    day = spoken_values(locale, "RELATIVE_DAY_TYPE")

    assert "yesterday's" in day["yesterday"] and "today's" in day["today"]


@every_locale
def test_the_onset_type_understands_sudden_and_gradual_in_everyday_words(locale):
    onset = spoken_values(locale, "ONSET_TYPE")

    assert {"suddenly", "all of a sudden", "during a sprint"} <= onset["sudden"]
    assert {"gradually", "slowly", "over a few weeks"} <= onset["gradual"]


@every_locale
@pytest.mark.parametrize("intent, sample", [
    ("AnswerNumberIntent", "it's {number}"),
    ("AnswerNumberIntent", "about a {number}"),
    ("AnswerNumberIntent", "{number} out of ten"),
    ("AnswerNumberIntent", "{number} days ago"),
    ("AnswerNumberIntent", "{duration} ago"),
    ("AnswerNumberIntent", "for {duration}"),
    ("AnswerNumberIntent", "{relativeDay}"),
    ("AnswerNumberIntent", "it started {relativeDay}"),
    ("AnswerNumberIntent", "it started {partOfDay}"),
    ("ExplainTestIntent", "how do i do the test"),
    ("TodaysSessionIntent", "what's my session today"),
    ("CheckHamstringIntent", "check my hamstring"),
    ("DeleteMyDataIntent", "delete my data"),
    ("UnsureIntent", "i'm not sure"),
    ("UnsureIntent", "i didn't try it"),
    ("ChooseDaysIntent", "{firstDay} {secondDay} and {thirdDay}"),
    ("ChooseStartDateIntent", "start {startDate}"),
    ("CheckInIntent", "i {sessionOutcome} my session"),
    ("CheckInIntent", "i {sessionOutcome} my session and it hurt a {painScore}"),
    ("CheckInIntent", "how my hamstring feels"),
    ("CheckInIntent", "log my session"),
    ("CheckInIntent", "log {sessionDay} session"),
    ("ProgressIntent", "how am i doing"),
    ("ProgressIntent", "how's my progress"),
    ("ClearanceIntent", "my physio cleared me"),
    ("ClearanceIntent", "the doctor said i can start rehab"),
    ("AnswerNumberIntent", "it hurt a {number}"),
])
def test_the_phrases_the_issue_names_are_samples(locale, intent, sample):
    assert sample in intents(locale)[intent]["samples"]


def test_every_intent_in_the_model_reaches_its_own_handler_in_the_built_skill(tmp_path):
    """Dispatch each intent the model declares through the skill's own request mappers: nothing
    but AMAZON.FallbackIntent may end up at the fallback handler (which takes whatever is left)."""
    from ask_sdk_core.handler_input import HandlerInput
    from ask_sdk_core.serialize import DefaultSerializer

    from plans.state import state_store_for
    from plans.store import PlanStore
    from skill.build import build_skill
    from skill.handlers.navigation import FallbackHandler

    skill = build_skill(store_factory=lambda: PlanStore("sqlite://", "interaction-model-test"),
                        state_store=state_store_for(f"sqlite:///{tmp_path / 'state.sqlite3'}"),
                        secret_key="interaction-model-test", base_url="https://coach.example",
                        timezone_lookup=lambda _handler_input: "UTC")
    handled_by = {}
    for name, intent in intents("en-US").items():
        slots = dict.fromkeys(slot["name"] for slot in intent.get("slots", []))
        envelope = DefaultSerializer().deserialize(json.dumps(envelopes.intent_request(name, slots)),
                                                   "ask_sdk_model.RequestEnvelope")
        handler_input = HandlerInput(request_envelope=envelope)
        chains = [mapper.get_request_handler_chain(handler_input)
                  for mapper in skill.request_dispatcher.request_mappers]
        handler = next(chain.request_handler for chain in chains if chain is not None)
        handled_by[name] = type(handler)

    unhandled = sorted(name for name, handler in handled_by.items()
                       if handler is FallbackHandler and name != "AMAZON.FallbackIntent")
    assert not unhandled
    assert handled_by["AMAZON.FallbackIntent"] is FallbackHandler


@every_locale
def test_all_locales_share_intents_slots_and_slot_types(locale):
    def shape(loc):
        return ({name: sorted((slot["name"], slot["type"]) for slot in intent.get("slots", []))
                 for name, intent in intents(loc).items()},
                {slot_type["name"]: sorted(value["id"] for value in slot_type["values"])
                 for slot_type in language_model(loc)["types"]})

    assert shape(locale) == shape("en-US")


@every_locale
def test_the_skill_drives_the_conversation_so_the_model_delegates_no_dialog(locale):
    model = interaction_model(locale)

    assert "dialog" not in model and "prompts" not in model


def test_british_and_australian_models_speak_of_the_physio():
    for locale in ("en-GB", "en-AU"):
        assert any("physio" in sample for sample in intents(locale)["TodaysSessionIntent"]["samples"])


def test_the_envelopes_know_which_slots_are_custom_exactly_as_the_model_declares():
    custom = {slot["name"]: slot["type"] for intent in intents("en-US").values()
              for slot in intent.get("slots", []) if not slot["type"].startswith("AMAZON.")}

    assert custom == envelopes.CUSTOM_SLOT_TYPES


# --- The skill manifest (skill.json at the repository root) -----------------------------------

MANIFEST = Path(__file__).resolve().parents[2] / "skill.json"


def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"]


def test_the_manifest_publishes_in_every_locale_that_has_a_model():
    assert set(manifest()["publishingInformation"]["locales"]) == set(LOCALES)
    assert set(manifest()["privacyAndCompliance"]["locales"]) == set(LOCALES)


@every_locale
def test_every_store_description_carries_the_health_disclaimer(locale):
    listing = manifest()["publishingInformation"]["locales"][locale]

    assert "not a substitute for professional medical advice" in listing["description"]
    assert "not a substitute for professional medical advice" in listing["summary"].lower()
    assert len(listing["summary"]) <= 160 and len(listing["description"]) <= 4000


@every_locale
def test_the_example_phrases_are_ones_the_model_actually_understands(locale):
    from skill.nlu import VoiceModel, split_invocation

    voice = VoiceModel.for_locale(locale)
    phrases = manifest()["publishingInformation"]["locales"][locale]["examplePhrases"]

    assert 1 <= len(phrases) <= 3
    for phrase in phrases:
        assert phrase.startswith("Alexa, ")
        invocation = split_invocation(phrase, voice.invocation_name)
        assert invocation.named, phrase
        if invocation.request:
            samples = {normalised(sample) for intent in intents(locale).values()
                       for sample in intent.get("samples", [])}
            assert invocation.request in samples, phrase


def test_the_manifest_is_a_health_and_fitness_skill_for_adults_without_ads_or_purchases():
    info, privacy = manifest()["publishingInformation"], manifest()["privacyAndCompliance"]

    assert info["category"] == "HEALTH_AND_FITNESS"
    assert info["isAvailableWorldwide"] is False
    assert set(info["distributionCountries"]) == {"US", "GB", "AU", "CA", "IN"}
    assert privacy["isChildDirected"] is False
    assert privacy["containsAds"] is False
    assert privacy["allowsPurchases"] is False
    assert privacy["isExportCompliant"] is True
    # Health answers are personal information, so a privacy policy URL is required for each locale.
    assert privacy["usesPersonalInfo"] is True
    assert all(urls["privacyPolicyUrl"].startswith("https://") for urls in privacy["locales"].values())


def test_the_manifest_asks_only_for_reminders_because_the_time_zone_needs_no_permission():
    assert manifest()["permissions"] == [{"name": "alexa::alerts:reminders:skill:readwrite"}]


def test_the_endpoint_is_https_on_the_alexa_route_with_a_trusted_certificate():
    endpoint = manifest()["apis"]["custom"]["endpoint"]

    assert endpoint["uri"].startswith("https://") and endpoint["uri"].endswith("/alexa")
    assert endpoint["sslCertificateType"] == "Trusted"
