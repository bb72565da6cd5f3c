"""Typed words -> what Alexa would send, through the interaction model's own samples and synonyms."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model.slu.entityresolution import StatusCode

from skill.nlu import (
    LOCALES,
    VoiceModel,
    load_interaction_model,
    normalise,
    parse_date,
    parse_duration,
    parse_number,
    parse_time,
    split_invocation,
)

TODAY = date(2025, 6, 4)  # a Wednesday


def hear(text: str, locale: str = "en-US"):
    return VoiceModel.for_locale(locale).understand(text, today=TODAY)


def heard_slots(understood) -> dict:
    return {name: value for name, value in understood.slots.items() if value is not None}


@pytest.mark.parametrize("typed, intent, slots, resolutions", [
    ("six", "AnswerNumberIntent", {"number": "6"}, {}),
    ("6", "AnswerNumberIntent", {"number": "6"}, {}),
    ("about a six", "AnswerNumberIntent", {"number": "6"}, {}),
    ("six out of ten", "AnswerNumberIntent", {"number": "6"}, {}),
    ("eleven out of ten", "AnswerNumberIntent", {"number": "11"}, {}),
    ("three days ago", "AnswerNumberIntent", {"number": "3"}, {}),
    ("It started twenty one days ago.", "AnswerNumberIntent", {"number": "21"}, {}),
    ("about a banana", "AnswerNumberIntent", {"number": "?"}, {}),
    ("behind my knee", "AnswerLocationIntent", {"location": "behind my knee"}, {"location": "behind_knee"}),
    ("It's at the back of my knee", "AnswerLocationIntent", {"location": "back of my knee"},
     {"location": "behind_knee"}),
    ("it's behind my right knee", "AnswerLocationIntent", {"location": "behind my right knee"},
     {"location": "behind_knee"}),
    ("the sit bone", "AnswerLocationIntent", {"location": "the sit bone"}, {"location": "lower_buttock"}),
    ("middle of my leg", "AnswerLocationIntent", {"location": "middle of my leg"},
     {"location": "back_of_thigh"}),
    ("it hurts in my elbow", "AnswerLocationIntent", {"location": "elbow"}, {}),
    ("all of a sudden", "AnswerOnsetIntent", {"onset": "all of a sudden"}, {"onset": "sudden"}),
    ("it happened during a sprint", "AnswerOnsetIntent", {"onset": "during a sprint"}, {"onset": "sudden"}),
    ("it came on slowly over a few weeks", "AnswerOnsetIntent", {"onset": "slowly over a few weeks"},
     {"onset": "gradual"}),
    ("I'm not sure", "UnsureIntent", {}, {}),
    ("I didn't try it", "UnsureIntent", {}, {}),
    ("yes", "AMAZON.YesIntent", {}, {}),
    ("Yes, it does.", "AMAZON.YesIntent", {}, {}),
    ("nope", "AMAZON.NoIntent", {}, {}),
    ("yes, I added hills", "AMAZON.YesIntent", {}, {}),
    ("no, nothing like that", "AMAZON.NoIntent", {}, {}),
    ("it started about ten days ago", "AnswerNumberIntent", {"number": "10"}, {}),
    ("I'd give it a three", "AnswerNumberIntent", {"number": "3"}, {}),
    ("no it doesn't", "AMAZON.NoIntent", {}, {}),
    ("monday, wednesday and friday", "ChooseDaysIntent",
     {"firstDay": "monday", "secondDay": "wednesday", "thirdDay": "friday"}, {}),
    ("tues and thurs", "ChooseDaysIntent", {"firstDay": "tuesday", "secondDay": "thursday"}, {}),
    ("7am", "ChooseTimeIntent", {"time": "07:00"}, {}),
    ("seven a.m.", "ChooseTimeIntent", {"time": "07:00"}, {}),
    ("seven in the morning", "ChooseTimeIntent", {"time": "07:00"}, {}),
    ("at six thirty in the evening", "ChooseTimeIntent", {"time": "18:30"}, {}),
    ("at seven", "ChooseTimeIntent", {"time": "07:00"}, {}),
    ("start tomorrow", "ChooseStartDateIntent", {"startDate": "2025-06-05"}, {}),
    ("start on monday", "ChooseStartDateIntent", {"startDate": "2025-06-09"}, {}),
    ("starting 2025-07-01", "ChooseStartDateIntent", {"startDate": "2025-07-01"}, {}),
    ("how do I do the test?", "ExplainTestIntent", {}, {}),
    ("what's my session today", "TodaysSessionIntent", {}, {}),
    ("check my hamstring", "CheckHamstringIntent", {}, {}),
    ("delete my data", "DeleteMyDataIntent", {}, {}),
    ("forget me", "DeleteMyDataIntent", {}, {}),
    ("help", "AMAZON.HelpIntent", {}, {}),
    ("stop", "AMAZON.StopIntent", {}, {}),
    ("cancel", "AMAZON.CancelIntent", {}, {}),
    ("repeat", "AMAZON.RepeatIntent", {}, {}),
    ("go back", "AMAZON.PreviousIntent", {}, {}),
    ("start over", "AMAZON.StartOverIntent", {}, {}),
    ("go home", "AMAZON.NavigateHomeIntent", {}, {}),
    ("purple monkey dishwasher", "AMAZON.FallbackIntent", {}, {}),
    ("", "AMAZON.FallbackIntent", {}, {}),
    ("I did my session", "CheckInIntent", {"sessionOutcome": "did"}, {"sessionOutcome": "done"}),
    ("I did my session and it hurt a 4", "CheckInIntent", {"sessionOutcome": "did", "painScore": "4"},
     {"sessionOutcome": "done"}),
    ("I did my session and it hurt an eleven", "CheckInIntent", {"sessionOutcome": "did", "painScore": "11"},
     {"sessionOutcome": "done"}),
    ("I skipped my session", "CheckInIntent", {"sessionOutcome": "skipped"}, {"sessionOutcome": "missed"}),
    ("I only did part of my session", "CheckInIntent", {"sessionOutcome": "only did part of"},
     {"sessionOutcome": "partial"}),
    ("part of it", "CheckInIntent", {"sessionOutcome": "part of it"}, {"sessionOutcome": "partial"}),
    ("I did all of it", "CheckInIntent", {"sessionOutcome": "all"}, {"sessionOutcome": "done"}),
    ("I missed it", "CheckInIntent", {"sessionOutcome": "missed"}, {"sessionOutcome": "missed"}),
    ("log yesterday's session", "CheckInIntent", {"sessionDay": "yesterday's"}, {"sessionDay": "yesterday"}),
    ("I did my session yesterday", "CheckInIntent", {"sessionOutcome": "did", "sessionDay": "yesterday"},
     {"sessionOutcome": "done", "sessionDay": "yesterday"}),
    ("how my hamstring feels", "CheckInIntent", {}, {}),
    ("log my session", "CheckInIntent", {}, {}),
    ("try again", "CheckInIntent", {}, {}),
    ("it hurt a two", "AnswerNumberIntent", {"number": "2"}, {}),
    ("I did", "AMAZON.YesIntent", {}, {}),
    ("how am I doing", "ProgressIntent", {}, {}),
    ("how's my progress?", "ProgressIntent", {}, {}),
    ("my physio cleared me", "ClearanceIntent", {}, {}),
    ("the doctor said I can start rehab", "ClearanceIntent", {}, {}),
    ("a mild strain", "ClearanceIntent", {"category": "a mild strain"}, {"category": "strain_low_grade"}),
    ("my physio said it's a mild strain", "ClearanceIntent", {"category": "a mild strain"},
     {"category": "strain_low_grade"}),
    ("they said tendinitis", "ClearanceIntent", {"category": "tendinitis"}, {"category": "tendinopathy"}),
    ("it's a six", "AnswerNumberIntent", {"number": "6"}, {}),
])
def test_typed_phrases_are_heard_as_alexa_would_send_them(typed, intent, slots, resolutions):
    understood = hear(typed)

    heard = (understood.intent, heard_slots(understood), dict(understood.resolutions))
    assert heard == (intent, slots, resolutions)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed, slots, resolutions", [
    # How long ago, in the words runners use: a day or weeks as a duration, a named day as itself.
    ("one day ago", {"duration": "P1D"}, {}),
    ("1 day ago", {"duration": "P1D"}, {}),
    ("a day ago", {"duration": "P1D"}, {}),
    ("a week ago", {"duration": "P1W"}, {}),
    ("about a week ago", {"duration": "P1W"}, {}),
    ("two weeks", {"duration": "P2W"}, {}),
    ("three weeks ago", {"duration": "P3W"}, {}),
    ("it started two weeks ago", {"duration": "P2W"}, {}),
    ("it's been a couple of weeks", {"duration": "P2W"}, {}),
    ("yesterday", {"relativeDay": "yesterday"}, {"relativeDay": "yesterday"}),
    ("it started yesterday", {"relativeDay": "yesterday"}, {"relativeDay": "yesterday"}),
    ("today", {"relativeDay": "today"}, {"relativeDay": "today"}),
    # A part of the day is a day only after words that say so; alone it is a time (below).
    ("it started this morning", {"partOfDay": "this morning"}, {"partOfDay": "this_morning"}),
    ("it happened tonight", {"partOfDay": "tonight"}, {"partOfDay": "tonight"}),
    ("it started last night", {"partOfDay": "last night"}, {"partOfDay": "last_night"}),
    ("since last night", {"partOfDay": "last night"}, {"partOfDay": "last_night"}),
    ("i hurt it yesterday evening", {"partOfDay": "yesterday evening"}, {"partOfDay": "yesterday_evening"}),
    ("the day before yesterday", {"relativeDay": "the day before yesterday"},
     {"relativeDay": "day_before_yesterday"}),
    # Days as a number stay a number.
    ("three days ago", {"number": "3"}, {}),
    ("twenty one days", {"number": "21"}, {}),
])
def test_how_long_ago_is_heard_in_days_weeks_or_a_named_day_in_every_locale(locale, typed, slots,
                                                                            resolutions):
    understood = hear(typed, locale)

    assert (understood.intent, heard_slots(understood), dict(understood.resolutions)) == (
        "AnswerNumberIntent", slots, resolutions)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed, time", [
    ("tonight", "NI"), ("this morning", "MO"), ("this afternoon", "AF"), ("this evening", "EV"),
    ("seven this evening", "19:00"), ("at six this morning", "06:00"),
])
def test_a_part_of_the_day_said_alone_is_a_time_not_how_long_ago_it_started(locale, typed, time):
    understood = hear(typed, locale)

    assert (understood.intent, heard_slots(understood)) == ("ChooseTimeIntent", {"time": time})


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed", ["last night", "yesterday morning"])
def test_a_past_part_of_the_day_said_alone_is_not_taken_for_a_time(locale, typed):
    # Without "it started" it answers neither question; the time question must not file it.
    assert hear(typed, locale).intent not in ("ChooseTimeIntent", "AnswerNumberIntent")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed", [
    "what is my session today", "what's my session today", "what is my session for today",
    "what is today's session", "what is my next session", "what's my workout for today",
    "ask hamstring coach what is my session today", "Alexa, ask hamstring coach what is today's session",
    "tell hamstring coach to read me my session",
])
def test_asking_for_todays_session_in_full_words_or_as_a_one_shot_reaches_the_session(locale, typed):
    voice = VoiceModel.for_locale(locale)

    assert voice.understand(split_invocation(typed, voice.invocation_name).request,
                            today=TODAY).intent == "TodaysSessionIntent"


def test_a_sentence_that_only_mentions_today_is_not_taken_for_when_it_started():
    assert hear("what's my workout for today").intent != "AnswerNumberIntent"
    assert hear("my knee hurts today").intent != "AnswerNumberIntent"


@pytest.mark.parametrize("spoken, duration", [
    ("a day", "P1D"), ("one day", "P1D"), ("1 day", "P1D"), ("three days", "P3D"), ("a week", "P1W"),
    ("two weeks", "P2W"), ("a couple of weeks", "P2W"), ("twenty one days", "P21D"), ("a fortnight", "P2W"),
    ("an hour", "PT1H"), ("five hours", "PT5H"), ("two months", "P2M"), ("a year", "P1Y"),
    ("twenty-one days", "P21D"), ("twenty years", "P20Y"),
])
def test_durations_are_read_as_alexa_reports_them(spoken, duration):
    assert parse_duration(spoken) == duration


@pytest.mark.parametrize("spoken", ["", "7", "three", "weeks ago", "banana weeks", "a week and a half",
                                    # a unit needs a quantity, and a span is before now, not after
                                    "days", "seconds", "weeks", "day", "-2 weeks", "-two weeks", "- 2 weeks",
                                    "minus two weeks", "-a day"])
def test_what_is_not_a_duration_is_not_read_as_one(spoken):
    assert parse_duration(spoken) is None


def test_a_bare_number_stays_a_number_so_a_pain_score_is_never_taken_for_a_time():
    assert hear("seven").intent == "AnswerNumberIntent"
    assert hear("about seven").intent == "AnswerNumberIntent"


def test_every_declared_slot_is_sent_and_unheard_ones_have_no_value_like_alexa():
    understood = hear("monday and friday")

    assert dict(understood.slots) == {"firstDay": "monday", "secondDay": "friday", "thirdDay": None,
                                      "fourthDay": None}


def test_british_english_understands_the_bum_and_the_physio():
    assert dict(hear("my bum", "en-GB").resolutions) == {"location": "lower_buttock"}
    assert hear("what are my physio exercises today", "en-GB").intent == "TodaysSessionIntent"
    assert hear("half six", "en-GB").slots["time"] == "06:30"


def test_australian_english_understands_the_hammy():
    assert hear("I've done my hammy", "en-AU").intent == "CheckHamstringIntent"


@pytest.mark.parametrize("locale", LOCALES)
def test_every_sample_in_the_model_is_heard_as_its_own_intent(locale):
    """The console and the model agree: each sample, its slots filled with words Alexa would hear,
    comes back as the intent it belongs to. A sample another intent swallows is caught here."""
    example = {"AMAZON.NUMBER": "six", "AMAZON.DayOfWeek": "monday", "AMAZON.TIME": "seven a.m.",
               "AMAZON.DATE": "tomorrow", "AMAZON.DURATION": "two weeks"}
    language = load_interaction_model(locale)["interactionModel"]["languageModel"]
    for slot_type in language["types"]:
        example[slot_type["name"]] = slot_type["values"][0]["name"]["synonyms"][0]
    misheard = []
    for intent in language["intents"]:
        types = {slot["name"]: slot["type"] for slot in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            typed = re.sub(r"\{(\w+)\}", lambda match, types=types: example[types[match.group(1)]], sample)
            heard = hear(typed, locale)
            if heard.intent != intent["name"] or any(heard.slots.get(name) is None for name in re.findall(
                    r"\{(\w+)\}", sample)):
                misheard.append((sample, typed, heard.intent, dict(heard.slots)))

    assert not misheard


def test_an_understood_utterance_becomes_an_envelope_the_sdk_reads_back():
    envelope = hear("it's in my sit bone").envelope(session_attributes={"turn": 3})
    parsed = DefaultSerializer().deserialize(json.dumps(envelope), "ask_sdk_model.RequestEnvelope")

    slot = parsed.request.intent.slots["location"]
    assert parsed.request.intent.name == "AnswerLocationIntent"
    assert slot.value == "sit bone"
    assert slot.resolutions.resolutions_per_authority[0].status.code == StatusCode.ER_SUCCESS_MATCH
    assert slot.resolutions.resolutions_per_authority[0].values[0].value.id == "lower_buttock"
    assert parsed.session.attributes == {"turn": 3}


def test_an_unmatched_location_reaches_the_skill_as_er_success_no_match():
    parsed = DefaultSerializer().deserialize(json.dumps(hear("it hurts in my elbow").envelope()),
                                             "ask_sdk_model.RequestEnvelope")

    status = parsed.request.intent.slots["location"].resolutions.resolutions_per_authority[0].status.code
    assert status == StatusCode.ER_SUCCESS_NO_MATCH


@pytest.mark.parametrize("spoken, number", [
    ("0", 0), ("zero", 0), ("six", 6), ("ten", 10), ("nineteen", 19), ("twenty", 20), ("twenty one", 21),
    ("twenty-one", 21), ("ninety nine", 99), ("a hundred", 100), ("one hundred and five", 105),
    ("two thousand", 2000), ("1000", 1000),
])
def test_numbers_are_read_from_words_or_digits(spoken, number):
    assert parse_number(spoken) == number


@pytest.mark.parametrize("spoken", ["", "six seven", "seven thirty", "banana", "6.5", "twenty twenty", "a",
                                    "-3"])
def test_what_is_not_one_number_is_not_read_as_one(spoken):
    assert parse_number(spoken) is None


@pytest.mark.parametrize("spoken, time", [
    ("7 am", "07:00"), ("7:30", "07:30"), ("18:30", "18:30"), ("seven in the morning", "07:00"),
    ("six thirty in the evening", "18:30"), ("six thirty pm", "18:30"), ("twelve pm", "12:00"),
    ("twelve am", "00:00"), ("noon", "12:00"), ("midnight", "00:00"), ("half past six", "06:30"),
    ("quarter to eight", "07:45"), ("quarter past seven", "07:15"), ("ten past nine pm", "21:10"),
    ("seven oh five", "07:05"), ("seven o'clock", "07:00"), ("half six", "06:30"),
    ("in the morning", "MO"), ("evening", "EV"), ("the afternoon", "AF"), ("at night", "NI"),
])
def test_times_are_read_as_alexa_reports_them(spoken, time):
    assert parse_time(spoken) == time


@pytest.mark.parametrize("spoken", ["seven", "25:00", "thirteen pm", "seven banana", "tomorrow", ""])
def test_what_is_not_clearly_a_time_is_not_read_as_one(spoken):
    assert parse_time(spoken) is None


def test_a_bare_hour_is_a_time_only_when_the_words_around_it_say_so():
    assert parse_time("seven", bare_hour_is_time=True) == "07:00"


@pytest.mark.parametrize("spoken, when", [
    ("today", "2025-06-04"), ("tomorrow", "2025-06-05"), ("the day after tomorrow", "2025-06-06"),
    ("monday", "2025-06-09"), ("next monday", "2025-06-09"), ("wednesday", "2025-06-11"),
    ("june the tenth", "2025-06-10"), ("the first of july", "2025-07-01"), ("july 1st", "2025-07-01"),
    ("3 june", "2026-06-03"), ("june third 2025", "2025-06-03"), ("2025-12-31", "2025-12-31"),
    ("in three days", "2025-06-07"),
])
def test_dates_are_read_as_the_next_such_day_as_alexa_resolves_them(spoken, when):
    assert parse_date(spoken, today=TODAY) == when


@pytest.mark.parametrize("spoken", ["february thirtieth", "2025-02-30", "someday", "the tenth", ""])
def test_impossible_or_vague_dates_are_not_read_as_dates(spoken):
    assert parse_date(spoken, today=TODAY) is None


@pytest.mark.parametrize("typed, named, remainder", [
    ("Alexa, open hamstring coach", True, ""),
    ("open hamstring coach", True, ""),
    ("hamstring coach", True, ""),
    ("Alexa, ask hamstring coach to check my hamstring", True, "check my hamstring"),
    ("ask hamstring coach what's my session today", True, "what's my session today"),
    ("tell hamstring coach that's all", True, "that's all"),
    ("alexa stop", False, "stop"),
    ("six out of ten", False, "six out of ten"),
])
def test_what_alexa_consumes_itself_is_taken_off_before_the_skill_hears_it(typed, named, remainder):
    invocation = split_invocation(typed, "hamstring coach")

    assert (invocation.named, invocation.request) == (named, remainder)


@pytest.mark.parametrize("typed, intent", [
    ("Alexa, tell hamstring coach I did my session", "CheckInIntent"),
    ("Alexa, tell hamstring coach how my hamstring feels", "CheckInIntent"),
    ("Alexa, tell hamstring coach to log my session", "CheckInIntent"),
    ("Alexa, ask hamstring coach how am I doing", "ProgressIntent"),
    ("Alexa, tell hamstring coach my physio cleared me", "ClearanceIntent"),
])
@pytest.mark.parametrize("locale", LOCALES)
def test_the_issues_one_shots_reach_the_coaching_intents_in_every_locale(locale, typed, intent):
    voice = VoiceModel.for_locale(locale)
    invocation = split_invocation(typed, voice.invocation_name)
    assert invocation.named
    assert voice.understand(invocation.request, today=TODAY).intent == intent


def test_the_s_of_its_is_not_taken_for_a_spelled_letter():
    assert normalise("It's a strain") == "it's a strain"
    assert normalise("my P. T. cleared me") == "my p t cleared me"
    assert normalise("P.T.") == "pt"


def test_typed_text_is_normalised_like_a_transcript():
    assert normalise("  It’s 7AM, P.T. time!  ") == "it's 7 am pt time"


def test_an_unknown_locale_is_refused_with_the_ones_there_are():
    with pytest.raises(ValueError, match="en-GB"):
        load_interaction_model("fr-FR")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed, intent, slots", [
    # Issue 11's carrier phrases, and the bare values a runner says alone, which no sample claims.
    ("it's six", "AnswerNumberIntent", {"number": "6"}),
    ("six", "AnswerNumberIntent", {"number": "6"}),
    ("roughly two weeks", "AnswerNumberIntent", {"duration": "P2W"}),
    ("two weeks", "AnswerNumberIntent", {"duration": "P2W"}),
    ("monday please", "ChooseDaysIntent", {"firstDay": "monday"}),
    ("monday", "ChooseDaysIntent", {"firstDay": "monday"}),
    ("seven thirty is fine", "ChooseTimeIntent", {"time": "07:30"}),
    ("7 am", "ChooseTimeIntent", {"time": "07:00"}),
    ("seven", "AnswerNumberIntent", {"number": "7"}),
])
def test_carrier_phrases_and_bare_built_in_values_are_heard_in_every_locale(locale, typed, intent, slots):
    understood = hear(typed, locale)

    assert (understood.intent, heard_slots(understood)) == (intent, slots)


def test_a_date_alone_is_not_taken_as_a_start_date_without_words_that_say_so():
    assert hear("june the first").intent == "AMAZON.FallbackIntent"
    assert hear("start june the first").intent == "ChooseStartDateIntent"
