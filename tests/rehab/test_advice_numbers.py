"""Every number a reason, a skip line or a piece of printed advice states is the value of the
threshold it describes: the texts are formatted from rehab.rules, so changing a threshold changes
what the runner reads, and a retyped number that drifts from its threshold fails here."""

from __future__ import annotations

import re

import pytest

from rehab import advice
from rehab import rules as r
from rehab.questions import ASKING_ORDER
from rehab.triage import RULES

_WORDS = {word: n for n, word in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven",
                                            "eight", "nine", "ten", "eleven", "twelve"))}
_COUNT = r"(\d+|a|an|" + "|".join(_WORDS) + r")"
_SCALE = re.compile(r"(?:out of |/)(\d+)")
_SPAN = re.compile(_COUNT + r" (hour|day|week)s?\b", re.IGNORECASE)
_BARE = re.compile(r"\b(\d+|" + "|".join(w for w in _WORDS if w != "one") + r")\b", re.IGNORECASE)
_DAYS_PER = {"hour": 1 / 24, "day": 1, "week": 7}


def _count(word: str) -> int:
    word = word.lower()
    if word in ("a", "an"):
        return 1
    return _WORDS[word] if word in _WORDS else int(word)


def numbers_in(text: str) -> list[float]:
    """The quantities a text states: pain scores as they are, spans of time in days ('72 hours' is
    3, 'six weeks' is 42, 'more than a day' states 1). The pain scale itself ('out of 10', '/10')
    must be the pain question's scale and is not a quantity."""
    for scale in _SCALE.findall(text):
        assert int(scale) == r.PAIN_SCALE_MAX, text
    text = _SCALE.sub(" ", text)
    found = [_count(count) * _DAYS_PER[unit.lower()] for count, unit in _SPAN.findall(text)]
    text = _SPAN.sub(" ", text)
    found += [_count(word) for word in _BARE.findall(text)]
    return found


def near(threshold: r.Threshold) -> set[int]:
    """What a text may state of a threshold: its value, or one either side where the text names
    the bound of a strict comparison ('above 6' for >= 7, 'more than a day' for >= 2 days)."""
    return {threshold.value - 1, threshold.value, threshold.value + 1}


@pytest.mark.parametrize(("text", "stated"), [
    ("pain 8/10 or more", [8]),
    ("Your pain is above 6 out of 10", [6]),
    ("ice it now, for up to 72 hours", [3]),
    ("It has gone on for six weeks or more", [42]),
    ("walking still hurting after a day", [1]),
    ("pain 4 to 6 out of 10", [4, 6]),
    ("this is one for a clinician", []),
])
def test_the_reader_finds_the_numbers_a_text_states(text, stated):
    assert sorted(numbers_in(text)) == sorted(stated)


def test_a_scale_other_than_the_pain_questions_is_refused():
    with pytest.raises(AssertionError):
        numbers_in("pain of 8 out of 100")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_number_a_triage_rule_states_is_its_thresholds_value(rule):
    stated = numbers_in(rule.when) + numbers_in(rule.reason)
    allowed = set().union(*(near(t) for t in rule.thresholds))

    assert set(stated) <= allowed, (rule.id, stated, [t.id for t in rule.thresholds])
    # A threshold the rule names is one its texts state, exactly or as the bound next to it.
    for threshold in rule.thresholds:
        assert set(stated) & near(threshold), (rule.id, threshold.id)


def test_the_reasons_that_state_a_threshold_are_formatted_from_it():
    by_id = {rule.id: rule for rule in RULES}
    severe = r.SEVERE_PAIN_MIN.value

    assert f"{severe} out of {r.PAIN_SCALE_MAX}" in by_id["red-flag-high-pain"].reason
    assert f"above {r.RUN_THROUGH_PAIN_MAX.value} out of" in by_id["running-pain-over-6"].reason
    assert f"{24 * r.ACUTE_CARE_DAYS.value} hours" in by_id["acute-ice"].reason
    assert f"{24 * r.ACUTE_CARE_DAYS.value} hours" in by_id["after-72-hours-heat"].reason
    assert str(r.LONG_STANDING_BEHIND_KNEE_DAYS.value) in by_id["running-behind-knee"].when
    assert numbers_in(by_id["professional-not-settling"].reason) == [r.NOT_SETTLING_DAYS.value]


def test_a_threshold_describes_itself_without_stating_another_number():
    for threshold in r.THRESHOLDS:
        # "(0-10)" names the pain scale a pain threshold is read on.
        assert set(numbers_in(threshold.means)) <= {0, r.PAIN_SCALE_MAX}, threshold.id


def test_the_red_flags_words_state_the_severe_pain_threshold():
    words = {row.id: row.text for row in advice.RED_FLAGS}

    assert numbers_in(words["high_pain"]) == [r.SEVERE_PAIN_MIN.value]
    assert numbers_in(words["suspected_severe_tear"]) == numbers_in(words["nerve_symptoms"]) == []


def test_the_pain_guide_states_the_pain_monitoring_thresholds():
    guide = {row.id: numbers_in(row.text) for row in advice.PAIN_GUIDE}

    assert guide["pain-guide-green"] == [0, r.SAFE_PAIN_MAX.value]
    assert guide["pain-guide-amber"] == [r.SAFE_PAIN_MAX.value + 1, r.ACCEPTABLE_PAIN_MAX.value]
    # One line for "too much" during the programme: not also the first advice's run-through limit.
    assert guide["pain-guide-red"] == [r.ACCEPTABLE_PAIN_MAX.value]


def test_the_printed_pain_guide_and_the_check_ins_pain_rule_draw_the_same_lines():
    from rehab import adaptation

    guide = {row.id: numbers_in(row.text) for row in advice.PAIN_GUIDE}

    assert guide["pain-guide-green"][-1] == adaptation.GREEN_PAIN_MAX.value
    assert guide["pain-guide-amber"][-1] == adaptation.AMBER_PAIN_MAX.value


def test_the_skip_lines_state_only_the_tests_needed_to_clear():
    for entry in ASKING_ORDER:
        assert set(numbers_in(entry.not_asked)) <= {r.TESTS_DONE_TO_CLEAR.value}, entry.question_id
    tests_line = next(entry for entry in ASKING_ORDER if entry.question_id == "shoe_test").not_asked
    assert numbers_in(tests_line) == [r.TESTS_DONE_TO_CLEAR.value]


@pytest.mark.parametrize(("days", "words"), [
    (1, "a day"), (3, "three days"), (7, "a week"), (14, "two weeks"), (42, "six weeks"), (20, "20 days"),
])
def test_spans_of_days_read_as_a_runner_says_them(days, words):
    assert r.days_in_words(days) == words
    assert numbers_in(words) == [days]
