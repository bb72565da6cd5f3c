"""Issue 11: say only what the runner said. Every path the questions can take (rehab.questions'
skip logic, with "not sure" wherever a runner can say it and the numbers on either side of every
threshold) is walked, and each path's reasons and care are read as the runner reads or hears them:
- a reason never states as fact what the runner was not sure of: wherever it speaks of that answer,
  it says they were not sure, and no wording states it outright (issue 11's own examples included);
- nothing is said of an answer the runner did not give (a limp, a pop, bruising they said no to);
- the at-home tests are spoken of only as they were answered: "hurt" or "points at the hamstring"
  only for a test that was done and hurt, "clear" only when they were, nothing when none was asked;
- the pain score is asked on every path, the referral packs hold no hamstring self-treatment.

The oracle here is written from the runner's side, not read from rehab.triage's phrase tables.
"""

from __future__ import annotations

import functools
import re

import pytest

from rehab import rules
from rehab.models import Answers
from rehab.programme import CARE
from rehab.questions import next_question, question
from rehab.triage import assess

# The numbers a path may take: each side of every threshold the rules read.
DAYS = sorted({0, rules.SLOW_WALKING_RECOVERY_DAYS.value, rules.ACUTE_CARE_DAYS.value + 1,
               rules.BRUISING_SHOWS_DAYS.value + 1, rules.LONG_STANDING_BEHIND_KNEE_DAYS.value,
               rules.NOT_SETTLING_DAYS.value})
_TIGHT = rules.TIGHTNESS_PAIN_MAX.value
PAIN = sorted({0, _TIGHT, _TIGHT + 1, rules.STRAIN_PAIN_MIN.value, rules.RUN_THROUGH_PAIN_MAX.value + 1,
               rules.SEVERE_PAIN_MIN.value})


def _said(q) -> tuple[object, ...]:
    if q.id == "days_since":
        return tuple(DAYS)
    if q.id == "pain_score":
        return tuple(PAIN)
    # Everything the runner can say, "not sure" included: it is recorded as the question records it.
    unsure = () if q.if_unsure is None or q.if_unsure in q.choices else (q.if_unsure,)
    return q.choices + unsure


def _walk(answers: dict[str, object]):
    q = next_question(answers)
    if q is None:
        yield dict(answers)
        return
    for value in _said(q):
        answers[q.id] = value
        yield from _walk(answers)
        del answers[q.id]


@functools.cache
def every_path() -> tuple[dict[str, object], ...]:
    return tuple(_walk({}))


@functools.cache
def _read(index: int) -> tuple[dict[str, object], object, list[tuple[str, str]], list[tuple[str, str]]]:
    """A path's answers, assessment, reasons and care (rule id, text)."""
    raw = every_path()[index]
    answers = Answers(**raw)
    assessment = assess(answers)
    reasons = [(reason.rule_id, reason.text) for reason in assessment.reasons]
    care = [(item.id, item.text) for item in CARE if item.applies(answers, assessment)]
    return raw, assessment, reasons, care


# ---- what the runner was not sure of ------------------------------------------------------------

# For each answer a runner may be unsure of: the words that speak of it, the words that say they were
# not sure of it (in the same sentence as "weren't sure"), and wordings that would state it as fact.
UNSURE = {
    "onset": dict(mentions=r"\bsudden|felt it happen|came on|\bit happened",
                  unsure=r"how it started",
                  as_fact=[r"it started suddenly", r"came on suddenly", r"you felt it happen",
                           r"(since|after) it happened"]),
    "pop": dict(mentions=r"\bpop\b|\bsnap\b",
                unsure=r"a snap or pop",
                as_fact=[r"told me about [^.]*\bpop\b", r"you (felt|heard) a (snap|pop)",
                         r"^a pop with bruising"]),
    "bruising": dict(mentions=r"bruis",
                     unsure=r"bruising",
                     as_fact=[r"told me about [^.]*bruising", r"but bruising is a sign",
                              r"^bruising on pain"]),
    "gait_altered": dict(mentions=r"\blimp",
                         unsure=r"limping",
                         as_fact=[r"^you'?re limping, so", r"told me about [^.]*a limp", r"\bwith a limp\b"]),
    "pain_walking": dict(mentions=r"walking (still )?hurt|walk without",
                         unsure=r"walking hurts",
                         as_fact=[r"^walking still hurts", r"walking still hurting"]),
    "nerve_symptoms": dict(mentions=r"\bnumb(ness)?\b|tingl|shooting|\bnerve",
                           unsure=r"numbness",
                           as_fact=[r"points to a nerve"]),
    "training_change": dict(mentions=r"speed work, hills|extra mileage|training change|change in training",
                            unsure=r"change in training",
                            as_fact=[r"the likely cause is the recent", r"without a training change"]),
}
# What a reason may only say of an answer the runner actually gave.
ONLY_IF_SAID = {
    "gait_altered": [r"^you'?re limping, so", r"told me about [^.]*a limp"],
    "pop": [r"told me about [^.]*\bpop\b"],
    "bruising": [r"told me about [^.]*bruising", r"but bruising is a sign"],
    "pain_walking": [r"^walking still hurts"],
    "nerve_symptoms": [r"points to a nerve"],
    "onset": [r"it started suddenly", r"came on suddenly", r"you felt it happen"],
    "training_change": [r"the likely cause is the recent"],
}
GIVEN = {"onset": "sudden"}  # the answer each pattern above needs; "yes" for the rest


@functools.cache
def _sentences(text: str) -> tuple[str, ...]:
    # The same few hundred texts recur across the paths: split each once.
    return tuple(s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip())


def unsure_stated_as_fact(raw: dict[str, object], text: str, *, care: bool = False) -> list[str]:
    """What `text` says wrongly about answers the runner was not sure of: a mention without the
    "weren't sure" that goes with it, or a wording that states it as fact. Care texts are the same
    for every runner they apply to, so they are held only to the second ("after a possible pop")."""
    problems = []
    sentences = _sentences(text)
    for field, words in UNSURE.items():
        if raw.get(field) != "unsure":
            continue
        owned = any("weren't sure" in s and re.search(words["unsure"], s) for s in sentences)
        if not care and re.search(words["mentions"], text, re.IGNORECASE) and not owned:
            problems.append(f"speaks of {field} without saying the runner was not sure")
        for pattern in words["as_fact"]:
            if any(re.search(pattern, s) for s in sentences):
                problems.append(f"states {field} as fact ({pattern!r})")
    return problems


def answers_not_given(raw: dict[str, object], text: str, *, care: bool = False) -> list[str]:
    problems = []
    sentences = _sentences(text)
    for field, patterns in ONLY_IF_SAID.items():
        if raw.get(field) == GIVEN.get(field, "yes"):
            continue
        for pattern in patterns:
            if any(re.search(pattern, s) for s in sentences):
                problems.append(f"says {pattern!r} but {field} was {raw.get(field)!r}")
    return problems


# ---- the at-home tests --------------------------------------------------------------------------

TEST_NAMES = {"shoe_test": "shoe test", "hinge_test": "hinge test", "heel_press_test": "heel press test"}
POINTING = r"tests? (point|hurt|show)|(in|during) (those|the) tests|points at the hamstring|a painful test"
_DONE = re.compile(r"with (none|only (\w+)) of the at-home tests done")


def misreported_tests(raw: dict[str, object], text: str, *, care: bool = False) -> list[str]:
    problems = []
    hurt = {test for test in TEST_NAMES if raw.get(test) == "yes"}
    painless = sum(1 for test in TEST_NAMES if raw.get(test) == "no")
    lowered = text.lower()
    if all(raw.get(test) is None for test in TEST_NAMES) and re.search(r"\btests?\b", lowered):
        problems.append("speaks of tests though none was asked")
    if not hurt and re.search(POINTING, lowered):
        problems.append("says tests point somewhere though none hurt")
    for sentence in _sentences(text):
        if "hurt" in sentence:
            for test, name in TEST_NAMES.items():
                if name in sentence and test not in hurt:
                    problems.append(f"says the {name} hurt but it was {raw.get(test)!r}")
        if "tests were clear" in sentence and (hurt or painless < rules.TESTS_DONE_TO_CLEAR.value):
            problems.append("calls the tests clear though they were not")
    for match in _DONE.finditer(lowered):
        said = 0 if match.group(1) == "none" else rules._NUMBER_WORDS.index(match.group(2))
        if said != painless:
            problems.append(f"says {match.group(0)!r} but {painless} were done and painless")
    return problems


# ---- the walk -----------------------------------------------------------------------------------

# The checks read the yes/no/not-sure answers and the tests, never where, how long ago or how much.
_NOT_READ = ("location", "days_since", "pain_score")


def _every_problem(check) -> list[str]:
    found: list[str] = []
    seen: dict[tuple, list[str]] = {}
    for index in range(len(every_path())):
        raw, _, reasons, care = _read(index)
        read = tuple(sorted((k, v) for k, v in raw.items() if k not in _NOT_READ))
        for texts, is_care in ((reasons, False), (care, True)):
            for rule_id, text in texts:
                key = (read, text, is_care)
                if key not in seen:
                    seen[key] = check(raw, text, care=is_care)
                found += [f"{rule_id}: {problem} | {text} | {raw}" for problem in seen[key]]
    return found


def test_the_walk_reaches_every_kind_of_unsure_answer_and_every_category():
    paths = every_path()
    categories = {_read(i)[1].category for i in range(len(paths))}

    assert len(paths) > 10_000
    assert categories == {"tightness", "tendinopathy", "strain_low_grade", "strain", "refer"}
    for field in UNSURE:
        assert any(path.get(field) == "unsure" for path in paths), field
    assert any(path.get("shoe_test") == "not_done" for path in paths)


def test_no_reason_or_care_states_an_unsure_answer_as_fact():
    problems = _every_problem(unsure_stated_as_fact)

    assert not problems, f"{len(problems)} problems, e.g.\n" + "\n".join(problems[:10])


def test_no_reason_or_care_states_an_answer_the_runner_did_not_give():
    problems = _every_problem(answers_not_given)

    assert not problems, f"{len(problems)} problems, e.g.\n" + "\n".join(problems[:10])


def test_the_tests_are_spoken_of_only_as_they_were_answered():
    problems = _every_problem(misreported_tests)

    assert not problems, f"{len(problems)} problems, e.g.\n" + "\n".join(problems[:10])


def test_every_path_asks_the_pain_score():
    assert all("pain_score" in path for path in every_path())


def test_a_referral_pack_holds_no_self_care_that_works_the_hamstring():
    for index in range(len(every_path())):
        raw, assessment, _, care = _read(index)
        if assessment.category != "refer":
            continue
        for rule_id, text in care:
            lowered = text.lower()
            assert "foam roll" not in lowered and "before your exercises" not in lowered, (rule_id, raw)
            assert lowered.count("exercises") == lowered.count("no hamstring exercises"), (rule_id, raw)
            assert "compression" not in lowered and "easy run" not in lowered, (rule_id, raw)


# ---- the oracle catches what issue 11 heard --------------------------------------------------------

@pytest.mark.parametrize(("raw", "text"), [
    ({"nerve_symptoms": "unsure"}, "Numbness, tingling or pain shooting below the knee points to a nerve, "
                                   "often from the back."),
    ({"onset": "unsure"}, "It started suddenly and shows signs of a real strain."),
    ({"onset": "unsure"}, "You felt it happen in the last three days: ice it now."),
    ({"pop": "unsure", "bruising": "unsure"}, "A pop with bruising or a limp can mean a bad tear."),
    ({"gait_altered": "unsure"}, "You're limping, so rest from running for now."),
])
def test_the_oracle_flags_issue_11s_own_examples(raw, text):
    assert unsure_stated_as_fact(raw, text)


@pytest.mark.parametrize(("raw", "text"), [
    ({"shoe_test": "no", "hinge_test": "no", "heel_press_test": "not_done"},
     "It built up gradually and the tests point at the hamstring."),
    ({}, "How bad is the pain at its worst, when running or in those tests?"),
    ({"shoe_test": "not_done", "hinge_test": "yes"}, "It built up gradually, and the shoe test hurt."),
    ({"shoe_test": "no", "hinge_test": "not_done", "heel_press_test": "not_done"},
     "It built up gradually and the at-home tests were clear."),
])
def test_the_oracle_flags_tests_spoken_of_as_they_were_not_answered(raw, text):
    assert misreported_tests(raw, text)


def test_the_oracle_lets_an_unsure_answer_through_when_the_reason_says_so():
    raw = {"pop": "unsure", "bruising": "unsure"}
    text = ("You weren't sure about a snap or pop or about bruising, so to be safe we go by the more "
            "cautious answers. Together that could mean a bad tear.")

    assert unsure_stated_as_fact(raw, text) == []


def test_the_pain_question_is_worded_for_a_runner_who_did_no_test():
    q = question("pain_score")

    assert not re.search(POINTING, f"{q.spoken} {q.reprompt} {q.help}".lower())
