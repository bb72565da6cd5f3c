"""The advice a runner reads beyond their own reasons is a set of sourced tables in rehab.advice:
one row per public id, each with its words and its source, and the one piece of today's care the
voice says chosen from the core's care table."""

from __future__ import annotations

from typing import get_args

import pytest

from rehab import advice
from rehab.models import Answers, RedFlag, RunningAdvice
from rehab.programme import CARE
from rehab.triage import assess

TABLES = {
    "RUNNING_HEADLINES": advice.RUNNING_HEADLINES,
    "RED_FLAGS": advice.RED_FLAGS,
    "WHEN_TO_SEE_A_CLINICIAN": advice.WHEN_TO_SEE_A_CLINICIAN,
    "PAIN_GUIDE": advice.PAIN_GUIDE,
}


@pytest.mark.parametrize("table", TABLES.values(), ids=TABLES.keys())
def test_every_row_has_its_own_id_words_and_a_source(table):
    ids = [row.id for row in table]

    assert len(ids) == len(set(ids))
    for row in table:
        assert row.id and row.text.strip() and row.source.strip(), row


def test_there_is_a_headline_for_every_kind_of_running_advice_and_words_for_every_red_flag():
    assert [row.id for row in advice.RUNNING_HEADLINES] == list(get_args(RunningAdvice))
    assert [row.id for row in advice.RED_FLAGS] == list(get_args(RedFlag))


def test_todays_care_names_items_of_the_cores_care_table_once_each():
    care_ids = [item.id for item in CARE]
    spoken = [item.care_id for item in advice.TODAYS_CARE]

    assert len(spoken) == len(set(spoken))
    assert set(spoken) <= set(care_ids)
    for item in advice.TODAYS_CARE:
        assert item.why and item.source


def test_the_voice_says_the_most_urgent_care_that_applies():
    assert advice.care_to_say({"care-foam-rolling", "care-ice", "care-safety-net"}) == "care-ice"
    assert advice.care_to_say({"care-foam-rolling", "care-heat"}) == "care-heat"
    assert advice.care_to_say({"care-safety-net"}) is None
    assert advice.care_to_say(set()) is None


def _care_said(answers: Answers) -> str | None:
    assessment = assess(answers)
    applicable = {item.id for item in CARE if item.applies(answers, assessment)}
    return advice.care_to_say(applicable)


SUDDEN_NIGGLE = dict(location="back_of_thigh", onset="sudden", nerve_symptoms="no", pop="no", bruising="no",
                     gait_altered="no", pain_walking="no", pain_score=4)


@pytest.mark.parametrize(("answers", "said"), [
    pytest.param(Answers(**SUDDEN_NIGGLE, days_since=1), "care-ice", id="felt it happen yesterday"),
    pytest.param(Answers(**SUDDEN_NIGGLE, days_since=10), "care-heat", id="felt it happen ten days ago"),
    pytest.param(Answers(location="back_of_thigh", onset="gradual", days_since=30, nerve_symptoms="yes"),
                 "care-until-seen", id="nerve symptoms, gradual"),
    pytest.param(Answers(location="lower_buttock", onset="gradual", days_since=30, nerve_symptoms="no",
                         gait_altered="no", pain_walking="no", shoe_test="yes", pain_score=3,
                         training_change="no"),
                 "care-foam-rolling", id="a gradual tendinopathy"),
])
def test_each_runner_hears_the_care_that_fits_them(answers, said):
    assert _care_said(answers) == said
