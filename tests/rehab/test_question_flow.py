"""What is asked, in what order, and how answers are checked before they are recorded."""

from __future__ import annotations

import pytest

from rehab.models import Answers
from rehab.questions import (
    ASKING_ORDER,
    QUESTIONS,
    conservative_answer,
    next_question,
    question,
    reachable_answers,
    record_answer,
)


def _ask_all(truth: dict) -> list[str]:
    asked: dict[str, object] = {}
    while (q := next_question(asked)) is not None:
        asked[q.id] = truth[q.id]
    return list(asked)


NOTHING_WRONG = dict(location="back_of_thigh", nerve_symptoms="no", onset="gradual", days_since=7,
                     pop="no", bruising="no", gait_altered="no", pain_walking="no", shoe_test="no",
                     hinge_test="no", heel_press_test="no", pain_score=2, training_change="no")


def test_every_question_fills_an_answers_field_and_cites_a_source():
    fields = set(Answers.model_fields)
    for q in QUESTIONS:
        assert q.id in fields
        assert q.source and q.spoken and q.reprompt and q.help
        assert q.kind in ("choice", "number")
        assert (q.kind == "choice") == bool(q.choices)


def test_the_allowed_choices_are_exactly_what_the_answers_model_accepts():
    for q in QUESTIONS:
        for value in q.choices:
            Answers(**{q.id: value})
        if q.kind == "number":
            Answers(**{q.id: q.minimum})
            Answers(**{q.id: q.maximum})


def test_spoken_questions_fit_in_one_breath():
    for q in QUESTIONS:
        assert len(q.spoken.split()) <= 32, q.id


def test_the_at_home_tests_help_walks_through_the_test_step_by_step():
    for test_id in ("shoe_test", "hinge_test", "heel_press_test"):
        q = question(test_id)
        assert "At Home Tests" in q.source
        assert q.help.count(".") >= 3
        assert "not done" in q.help


def test_the_first_question_is_where_it_hurts_and_red_flags_come_early():
    order = _ask_all(NOTHING_WRONG)

    assert order[0] == "location"
    assert order.index("nerve_symptoms") < order.index("shoe_test")


def test_a_runner_with_nothing_wrong_is_asked_every_test_but_not_about_a_pop():
    order = _ask_all(NOTHING_WRONG)

    assert {"shoe_test", "hinge_test", "heel_press_test", "pain_score", "training_change"} <= set(order)
    assert "pop" not in order  # a gradual onset has no moment to hear a pop in


def test_once_a_severe_tear_is_suspected_only_the_pain_score_is_still_asked():
    # The pain goes on the clinician's summary (issue 11), whatever else is already decided.
    answers = dict(location="back_of_thigh", nerve_symptoms="no", onset="sudden", days_since=0, pop="yes",
                   bruising="yes")

    assert next_question(answers).id == "pain_score"
    assert next_question(answers | {"pain_score": 9}) is None


def test_a_pop_at_the_sit_bone_refers_at_once_without_waiting_for_bruising_or_a_limp():
    answers = dict(location="lower_buttock", nerve_symptoms="no", onset="sudden", days_since=0, pop="yes")

    assert next_question(answers).id == "pain_score"


@pytest.mark.parametrize("truth", [
    NOTHING_WRONG | {"nerve_symptoms": "yes"},
    NOTHING_WRONG | {"nerve_symptoms": "unsure", "onset": "unsure"},
    NOTHING_WRONG | {"onset": "sudden", "pop": "yes", "bruising": "yes"},
    NOTHING_WRONG | {"location": "lower_buttock", "onset": "sudden", "pop": "unsure"},
    NOTHING_WRONG | {"gait_altered": "yes"},
], ids=["nerve", "nerve and onset not sure", "pop and bruising", "sit-bone pop not sure", "limp"])
def test_the_pain_score_is_asked_on_every_path_even_after_a_referral(truth):
    assert "pain_score" in _ask_all(truth)


def test_the_pain_question_names_no_test_since_it_is_asked_when_none_was_done():
    q = question("pain_score")

    for words in (q.spoken, q.reprompt, q.help):
        assert "those tests" not in words and "the tests" not in words


def test_the_limp_reprompt_asks_the_same_way_round_as_the_question():
    # "Can you walk normally? Say yes if you're limping" made a "yes" mean the opposite of what a
    # runner meant (issue 11).
    q = question("gait_altered")

    assert "limping" in q.spoken and q.reprompt.startswith("Are you limping?")
    assert "walk normally?" not in q.reprompt


def test_no_at_home_tests_once_nerve_symptoms_refer():
    truth = NOTHING_WRONG | {"nerve_symptoms": "yes"}
    order = _ask_all(truth)

    assert not {"shoe_test", "hinge_test", "heel_press_test", "pain_walking", "training_change"} & set(order)
    assert "pain_score" in order  # severe pain would still be worth telling the clinician


def test_once_one_test_hurts_the_other_tests_are_not_asked():
    truth = NOTHING_WRONG | {"shoe_test": "yes"}
    order = _ask_all(truth)

    assert "shoe_test" in order
    assert "hinge_test" not in order and "heel_press_test" not in order


def test_a_limp_makes_the_walking_pain_question_unnecessary():
    truth = NOTHING_WRONG | {"gait_altered": "yes"}

    assert "pain_walking" not in _ask_all(truth)


def test_a_sudden_start_asks_about_a_pop_but_not_about_training_changes():
    order = _ask_all(NOTHING_WRONG | {"onset": "sudden", "days_since": 1})

    assert "pop" in order
    assert "training_change" not in order


def test_every_question_has_one_skip_entry_with_a_plain_line_and_a_source():
    assert sorted(entry.question_id for entry in ASKING_ORDER) == sorted(q.id for q in QUESTIONS)
    for entry in ASKING_ORDER:
        assert entry.not_asked.startswith(("Always asked", "Not asked")), entry.question_id
        assert entry.not_asked.endswith(".") and len(entry.not_asked.split()) >= 8, entry.question_id
        assert entry.source.strip(), entry.question_id


# Answers part-way through the questions, between them reaching every way a question is skipped.
PART_WAY = {
    "nothing wrong": NOTHING_WRONG,
    "sudden, nothing else yet": dict(location="back_of_thigh", nerve_symptoms="no", onset="sudden"),
    "pop and bruising": dict(location="lower_buttock", nerve_symptoms="no", onset="sudden", pop="yes",
                             bruising="yes"),
    "nerve symptoms, gradual": dict(location="back_of_thigh", nerve_symptoms="yes", onset="gradual"),
    "nerve symptoms, sudden, no pop": dict(location="back_of_thigh", nerve_symptoms="yes", onset="sudden",
                                           pop="no"),
    "limping": dict(location="back_of_thigh", nerve_symptoms="no", onset="gradual", gait_altered="yes"),
    "a test hurt": dict(location="back_of_thigh", nerve_symptoms="no", onset="gradual", shoe_test="yes"),
    "two tests not done": dict(location="back_of_thigh", nerve_symptoms="no", onset="gradual",
                               shoe_test="not_done", hinge_test="not_done"),
}


@pytest.mark.parametrize("entry", ASKING_ORDER, ids=lambda entry: entry.question_id)
def test_each_skip_line_says_what_the_skip_logic_does(entry):
    matters = {name: entry.matters(answers) for name, answers in PART_WAY.items()}

    if entry.not_asked.startswith("Always asked"):
        assert all(matters.values()), matters
    else:
        assert not all(matters.values()), f"{entry.question_id} says it is skipped but never is"


def test_next_question_accepts_an_answers_model_dump_with_nones():
    dumped = Answers(location="behind_knee").model_dump()

    assert next_question(dumped).id == "nerve_symptoms"


def test_recording_a_legal_answer_returns_a_new_mapping():
    before = {"location": "back_of_thigh"}
    after = record_answer(before, "pain_score", 4)

    assert after == {"location": "back_of_thigh", "pain_score": 4}
    assert before == {"location": "back_of_thigh"}


@pytest.mark.parametrize(("question_id", "said", "message"), [
    ("pain_score", 11, "from 0 to 10"),
    ("pain_score", -1, "from 0 to 10"),
    ("pain_score", "lots", "from 0 to 10"),
    ("pain_score", True, "from 0 to 10"),
    ("days_since", 5000, "from 0 to 3650"),
    ("location", "calf", "lower buttock, back of thigh, behind knee"),
    ("onset", "yesterday", "sudden, gradual"),
    ("shoe_test", "maybe", "yes, no, not done"),
])
def test_an_illegal_answer_is_refused_with_a_message_that_can_be_read_out(question_id, said, message):
    with pytest.raises(ValueError, match=message) as refused:
        record_answer({}, question_id, said)

    assert question(question_id).reprompt in str(refused.value)


@pytest.mark.parametrize(("question_id", "recorded"), [
    ("pop", "unsure"),
    ("bruising", "unsure"),
    ("nerve_symptoms", "unsure"),
    ("gait_altered", "unsure"),
    ("pain_walking", "unsure"),
    ("onset", "unsure"),
    ("shoe_test", "not_done"),
    ("training_change", "unsure"),
])
def test_unsure_is_kept_as_unsure_so_nothing_later_says_it_as_fact(question_id, recorded):
    # Issue 11: "not sure" about numbness was recorded as "yes" and spoken back as a fact. A test
    # not sure of is still a test not done.
    assert record_answer({}, question_id, "not sure")[question_id] == recorded
    assert conservative_answer(question(question_id), "unsure") == recorded
    Answers(**{question_id: recorded})


@pytest.mark.parametrize(("question_id", "answered"), [
    ("nerve_symptoms", dict(location="back_of_thigh", onset="gradual")),
    ("gait_altered", dict(location="back_of_thigh", nerve_symptoms="no", onset="gradual", days_since=9)),
    ("pain_walking", dict(location="back_of_thigh", nerve_symptoms="no", onset="gradual", days_since=9,
                          gait_altered="no")),
    ("onset", dict(location="back_of_thigh", nerve_symptoms="no")),
])
def test_unsure_decides_the_skip_logic_like_the_cautious_answer(question_id, answered):
    cautious = {"onset": "sudden"}.get(question_id, "yes")
    unsure = _ask_all(NOTHING_WRONG | answered | {question_id: "unsure"})
    said = _ask_all(NOTHING_WRONG | answered | {question_id: cautious})

    assert unsure == said


def test_onset_takes_unsure_although_it_is_not_a_spoken_choice():
    q = question("onset")

    assert "unsure" not in q.choices  # "not sure" has its own intent; the slot holds sudden or gradual
    assert record_answer({}, "onset", "unsure") == {"onset": "unsure"}


@pytest.mark.parametrize("question_id", ["location", "days_since", "pain_score"])
def test_unsure_about_a_question_without_a_cautious_answer_asks_again(question_id):
    assert conservative_answer(question(question_id), "unsure") is None
    with pytest.raises(ValueError, match="rough answer"):
        record_answer({}, question_id, "unsure")


def test_spoken_numbers_arriving_as_text_are_accepted():
    assert record_answer({}, "days_since", "14")["days_since"] == 14
    assert record_answer({}, "shoe_test", "Not Done")["shoe_test"] == "not_done"


def test_an_unknown_question_is_a_clear_error():
    with pytest.raises(KeyError, match="no question 'favourite_colour'"):
        question("favourite_colour")


def test_reachable_answers_keeps_the_path_in_asking_order_and_drops_what_it_no_longer_asks():
    asked = _ask_all(NOTHING_WRONG)
    assert list(reachable_answers(NOTHING_WRONG)) == asked
    # Sudden now: the gradual path's answers that a sudden onset does not ask for are dropped, and
    # what follows a question still unanswered on the new path is not kept either.
    sudden = {**NOTHING_WRONG, "onset": "sudden"}
    kept = reachable_answers(sudden)
    assert list(kept) == _ask_all(sudden)[:len(kept)]
    assert all(kept[question_id] == sudden[question_id] for question_id in kept)
    # A key that is no question's answer is not kept.
    assert "note" not in reachable_answers({**NOTHING_WRONG, "note": "tight"})
