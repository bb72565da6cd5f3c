"""What is asked: every triage question as data, and which one to ask next.

Standard library only (no pydantic): the Alexa Lambda imports this on a cold start to ask its
first question. The skip logic reads the same predicates as the triage (`rehab.rules`), so a
question is asked only while its answer can still change the outcome.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rehab import rules

DISCLAIMER = (
    "Hamstring Coach says what your pain most likely is; it does not diagnose, and it is not a "
    "substitute for professional medical advice."
)

UNSURE = "unsure"
YES_NO = ("yes", "no")
YES_NO_UNSURE = ("yes", "no", "unsure")
TEST_RESULT = ("yes", "no", "not_done")


@dataclass(frozen=True)
class Question:
    id: str  # the Answers field it fills
    spoken: str  # one breath
    reprompt: str
    help: str  # what the question means; for a test, how to do it step by step
    kind: str  # "choice" | "number"
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    # What is recorded when the runner is not sure: "unsure" itself wherever the answers keep it
    # (rehab.rules reads it cautiously, and what the runner hears says they were not sure), else a
    # conservative value (a test not sure of is a test not done); None means ask again.
    if_unsure: str | None = None
    source: str = ""
    # Plain words for error messages and the sources report.
    label: str = ""


QUESTIONS: tuple[Question, ...] = (
    Question(
        id="location",
        label="where it hurts",
        spoken="Where is the pain: low in the buttock near the sit bone, in the back of the thigh, "
               "or behind the knee?",
        reprompt="Is it the sit bone, the back of the thigh, or behind the knee?",
        help="Put a hand where it hurts most. The sit bone is the bony point you sit on, low in the "
             "buttock. The back of the thigh is the middle of the hamstring. Behind the knee is where "
             "the hamstring tendons attach, either side of the back of the knee.",
        kind="choice",
        choices=("lower_buttock", "back_of_thigh", "behind_knee"),
        source="seed 000: 'Pain in the back of the thigh or lower butt is a telltale sign'; "
               "seed 004: 'pain behind the knees where the hamstring tendons attach'",
    ),
    Question(
        id="nerve_symptoms",
        label="numbness, tingling or shooting pain",
        spoken="Do you have any numbness, tingling, or pain shooting down into your lower leg?",
        reprompt="Any numbness, tingling or shooting pain below the knee? Yes, no, or not sure.",
        help="I mean pins and needles, a numb patch, or a pain that shoots or spreads down past the "
             "knee into the calf or foot, for example with each step. An ache that stays in the thigh "
             "does not count.",
        kind="choice",
        choices=YES_NO_UNSURE,
        # Not sure about nerve symptoms is worth a clinician's look (rehab.rules reads it as yes).
        if_unsure=UNSURE,
        source="seed 004: 'numbness and pain shooting down the lower leg with every step'; "
               "Yale ICPCP case table (nerve root pain)",
    ),
    Question(
        id="onset",
        label="how it started",
        spoken="Did it start suddenly, like a sharp pain or a pop during a sprint, or come on "
               "gradually?",
        reprompt="Sudden, gradual, or not sure?",
        help="Sudden means you can name the moment: a sharp pain, a snap or a pop, often during speed "
             "work or a sprint. Gradual means it built up over runs or days. If you felt a pop, say "
             "sudden.",
        kind="choice",
        choices=("sudden", "gradual"),
        # A start nobody can place is kept as "unsure" and treated like a sudden one (the strain
        # mechanism). Not a spoken choice: "not sure" has its own intent.
        if_unsure=UNSURE,
        source="seed 000: 'Hamstring injuries typically occur after sudden bursts of speed ... "
               "Distance runners are more prone to ... tendinopathy'",
    ),
    Question(
        id="days_since",
        label="days since it started",
        spoken="How many days ago did it start?",
        reprompt="Roughly how many days ago? Say zero if it was today.",
        help="A rough number of days is fine. Say zero if it started today, or for example fourteen "
             "for two weeks.",
        kind="number",
        minimum=0,
        maximum=3650,
        source="seed 000: ice 'for up to 72 hours' then heat; seed 004: 'chronic ... pain behind "
               "your knee'; Warren 2010",
    ),
    Question(
        id="pop",
        label="a snap or pop",
        spoken="When it happened, did you hear or feel a snap or a pop?",
        reprompt="Was there a snap or pop? Yes, no, or not sure.",
        help="Some runners hear or feel a snap, pop or tearing feeling at the moment it happens. If "
             "you are not sure, say not sure.",
        kind="choice",
        choices=YES_NO_UNSURE,
        if_unsure=UNSURE,
        source="seed 000: 'A snapping or popping sound'",
    ),
    Question(
        id="bruising",
        label="bruising",
        spoken="Is there any bruising on the back of your thigh or knee?",
        reprompt="Any bruising at the back of the leg? Yes, no, or not sure.",
        help="Look in a mirror or ask someone to look at the back of your thigh and knee for purple, "
             "blue or yellow marks. Bruising can take a few days to show.",
        kind="choice",
        choices=YES_NO_UNSURE,
        if_unsure=UNSURE,
        source="seed 000: 'Bruising'; clinical-basis.md (avulsion: bruising may take 3-7 days)",
    ),
    Question(
        id="gait_altered",
        label="a limp",
        spoken="Are you limping, or unable to walk normally?",
        reprompt="Are you limping? Yes, no, or not sure.",
        help="Walk across the room. If you shorten your stride, favour the leg, or cannot walk "
             "smoothly, that counts as a limp.",
        kind="choice",
        choices=YES_NO_UNSURE,
        # Not sure about a limp decides as a limp (rehab.rules).
        if_unsure=UNSURE,
        source="seed 000: 'If the injury is bad enough to alter your gait, then rest is in order'",
    ),
    Question(
        id="pain_walking",
        label="pain while walking",
        spoken="Does it hurt when you walk?",
        reprompt="Any pain while walking? Yes, no, or not sure.",
        help="Walk normally for a minute. Any pain in the back of the thigh or buttock while you walk "
             "counts, even if you are not limping.",
        kind="choice",
        choices=YES_NO_UNSURE,
        # Not sure decides as walking hurts (rehab.rules).
        if_unsure=UNSURE,
        source="seed 000: 'Pain while walking'; Heiderscheit 2010 (pain-free walking before jogging)",
    ),
    Question(
        id="shoe_test",
        label="the shoe test",
        spoken="Let's try the shoe test. Use your good foot to push off the shoe of the sore leg. "
               "Did pulling up and out of the shoe hurt?",
        reprompt="Did the shoe test hurt? Yes, no, or say not done.",
        help="Put on both shoes. Stand up, holding on to something. Put the toes of your good foot on "
             "the heel of the other shoe and pull the sore leg's foot up and out of it. Pain at the "
             "back of the thigh or buttock as you pull out is a sign. If you can't do it now, say not "
             "done.",
        kind="choice",
        choices=TEST_RESULT,
        if_unsure="not_done",
        source="seed 000 'At Home Tests': 'The \"shoe test.\" Take off the shoe of your injured leg "
               "using your healthy foot'",
    ),
    Question(
        id="hinge_test",
        label="the hinge test",
        spoken="Next, the hinge test. Rest the sore leg on something at hip height and hinge towards "
               "your toes. Did it hurt more than a normal stretch?",
        reprompt="Did the hinge hurt beyond a normal stretch? Yes, no, or not done.",
        help="Stand and rest the heel of the sore leg on a surface about as high as your hip, knee "
             "straight. Keep your back long and hinge at the hip to reach towards your toes, as if "
             "stretching. Stop at a normal stretch. Pain beyond your usual stretching feel is a sign. "
             "If you can't do it now, say not done.",
        kind="choice",
        choices=TEST_RESULT,
        if_unsure="not_done",
        source="seed 000 'At Home Tests': 'Extend your injured leg to a surface at hip height. Hinge "
               "at the hip to reach for your toes'",
    ),
    Question(
        id="heel_press_test",
        label="the heel press test",
        spoken="Last test. Press the heel of the sore leg down into the floor or a ball. Does that hurt "
               "the back of your leg?",
        reprompt="Did pressing the heel down hurt? Yes, no, or not done.",
        help="Sit on the floor with both legs out in front, or lie with the heel on a Swiss ball. "
             "Press the heel of the sore leg firmly down into the floor or the ball for a few "
             "seconds. Pain in the back of the leg is a sign. If you can't do it now, say not done.",
        kind="choice",
        choices=TEST_RESULT,
        if_unsure="not_done",
        source="seed 000 'At Home Tests': 'Press down on a surface with the heel of the injured leg'",
    ),
    Question(
        id="pain_score",
        label="pain",
        # Asked on every path, whether or not any test was done: the words name no test.
        spoken="On a scale of zero to ten, how bad has the pain been at its worst?",
        reprompt="Give it a number from zero, no pain, to ten, the worst pain imaginable.",
        help="Zero is no pain at all and ten the worst pain you can imagine. Think of the worst it "
             "has been, for example when it started or while running, not how it feels sitting still.",
        kind="number",
        minimum=0,
        maximum=rules.PAIN_SCALE_MAX,
        source="seed 004: 'monitoring your pain scale (6 out of 10 or lower)'",
    ),
    Question(
        id="training_change",
        label="a recent change in training",
        spoken="In the last few weeks, did you add speed work, hills, or a jump in mileage?",
        reprompt="Any new speed work, hills or extra mileage lately? Yes, no, or not sure.",
        help="For example intervals or strides you don't usually do, hill repeats, or running "
             "noticeably more each week than before.",
        kind="choice",
        choices=YES_NO_UNSURE,
        # It only names the likely cause; "not sure" names none and says so.
        if_unsure=UNSURE,
        source="seed 000: 'a runner introduces speed or hill workouts before they're ready'; "
               "seed 004: 'Sudden increases in mileage'",
    ),
)

_BY_ID: dict[str, Question] = {q.id: q for q in QUESTIONS}


def question(question_id: str) -> Question:
    try:
        return _BY_ID[question_id]
    except KeyError:
        raise KeyError(f"no question {question_id!r}") from None


# --- Skip logic: when can an answer still change the outcome? -----------------------------------
# The outcome is the category, the running advice, the red flags, ice-or-heat and whether to see a
# physiotherapist. tests/rehab checks these against the triage itself.

Answer = Mapping[str, object]


def _always(a: Answer) -> bool:
    return True


def _days_matter(a: Answer) -> bool:
    # After a referral, the days only decide ice, which needs a sudden start.
    return not rules.refer(a) or rules.sudden_or_unknown_onset(a)


def _pop_matters(a: Answer) -> bool:
    # A gradual start has no moment to pop (the onset question tells runners a pop means sudden).
    return rules.sudden_or_unknown_onset(a) and not rules.suspected_severe_tear(a)


def _bruising_matters(a: Answer) -> bool:
    if rules.suspected_severe_tear(a):
        return False
    # Once referred, bruising can only add the suspected-tear flag, which needs a pop.
    return not rules.refer(a) or rules.pop_felt(a)


def _limp_matters(a: Answer) -> bool:
    if rules.suspected_severe_tear(a):
        return False
    # Once referred, a limp can only add the suspected-tear flag (with a pop or severe sudden pain).
    return not rules.refer(a) or rules.sudden_or_unknown_onset(a)


def _walking_pain_matters(a: Answer) -> bool:
    # A limp (or not being sure of one) already means rest and already counts as a sign of injury.
    return not rules.refer(a) and not rules.limping(a)


def _test_matters(a: Answer) -> bool:
    # Until there is a sign of injury, a painful test can still make one: even after tests not done,
    # which no longer make a tendinopathy on their own.
    return not rules.refer(a) and not rules.injury_signs(a)


def _training_change_matters(a: Answer) -> bool:
    # It names the likely cause of an overuse problem; a sudden start already has its cause (a burst
    # of speed), and a referral is decided whatever the cause.
    return not rules.refer(a) and rules.gradual_onset(a)


@dataclass(frozen=True)
class AskWhen:
    """When a question is asked: `matters` holds while its answer can still change the outcome;
    `not_asked` says in plain words when it is skipped and why, for the reviewer and the sources
    report."""

    question_id: str
    matters: Callable[[Answer], bool]
    not_asked: str
    source: str


_TEST_SKIP = (
    "Not asked after a red flag or once there is already a sign of injury (a pop, bruising, a limp, pain "
    "while walking or a painful test, each also when the runner was not sure of it): then it cannot "
    "change the outcome. Still asked after tests not done: with fewer than "
    f"{rules.in_words(rules.TESTS_DONE_TO_CLEAR.value)} done and painless the tests are not clear, but "
    "that alone makes no injury, and a painful test still would."
)
_TEST_SOURCE = "seed 000 'At Home Tests' (any one painful test is a sign of injury); clinical judgement"

# The order questions are asked in, each with when it can still matter. Red-flag questions come
# first so that a referral is reached in as few questions as possible.
ASKING_ORDER: tuple[AskWhen, ...] = (
    AskWhen(question_id="location", matters=_always,
            not_asked="Always asked: every outcome names the part of the hamstring that hurts.",
            source="design.md §3 (the site comes from where it hurts)"),
    AskWhen(question_id="nerve_symptoms", matters=_always,
            not_asked="Always asked, and early: nerve symptoms send the runner to a clinician whatever "
                      "else they say.",
            source="design.md §3 red flags; seed 004: 'numbness ... refer to a professional therapist'"),
    AskWhen(question_id="onset", matters=_always,
            not_asked="Always asked: a sudden or gradual start decides between a strain and a "
                      "tendinopathy.",
            source="seed 000: 'Hamstring injuries typically occur after sudden bursts of speed ... "
                   "Distance runners are more prone to ... tendinopathy'"),
    AskWhen(question_id="days_since", matters=_days_matter,
            not_asked="Not asked after a red flag when it built up gradually: once referred, the days "
                      "only decide ice or heat, which needs a moment it happened.",
            source="seed 000: ice 'for up to 72 hours' then heat; design.md §3 (acute_care)"),
    AskWhen(question_id="pop", matters=_pop_matters,
            not_asked="Not asked when it built up gradually (a pop means a sudden start, as the onset "
                      "question says), nor once a severe tear is already suspected.",
            source="seed 000: 'A snapping or popping sound' is a sign of a sudden injury"),
    AskWhen(question_id="bruising", matters=_bruising_matters,
            not_asked="Not asked once a severe tear is already suspected, nor after another red flag "
                      "without a pop: bruising could then only add a suspected tear, which needs a pop.",
            source="design.md §3 (suspected_severe_tear: a pop with bruising or a limp)"),
    AskWhen(question_id="gait_altered", matters=_limp_matters,
            not_asked="Not asked once a severe tear is already suspected, nor after another red flag when "
                      "it built up gradually: a limp could then only add a suspected tear, which needs a "
                      "sudden start.",
            source="design.md §3 (suspected_severe_tear); seed 000: 'If the injury is bad enough to alter "
                   "your gait, then rest is in order'"),
    AskWhen(question_id="pain_walking", matters=_walking_pain_matters,
            not_asked="Not asked after a red flag, nor when limping: a limp already means rest from "
                      "running and already counts as a sign of injury.",
            source="seed 000: 'If the injury is bad enough to alter your gait, then rest is in order'; "
                   "Heiderscheit 2010 (pain-free walking before jogging)"),
    AskWhen(question_id="shoe_test", matters=_test_matters,
            not_asked=_TEST_SKIP, source=_TEST_SOURCE),
    AskWhen(question_id="hinge_test", matters=_test_matters,
            not_asked=_TEST_SKIP, source=_TEST_SOURCE),
    AskWhen(question_id="heel_press_test", matters=_test_matters,
            not_asked=_TEST_SKIP, source=_TEST_SOURCE),
    AskWhen(question_id="pain_score", matters=_always,
            not_asked="Always asked, even after a red flag: the worst pain goes on the summary for the "
                      "clinician, and it decides severe pain, tightness and how much running.",
            source="Jacobsen 2016 (pain at injury is the best-supported predictor); design.md §3 red flags; "
                   "seed 004 (the 6/10 rule)"),
    AskWhen(question_id="training_change", matters=_training_change_matters,
            not_asked="Not asked after a sudden start, which has its cause already (a burst of speed), nor "
                      "after a red flag, which is decided whatever the cause.",
            source="seed 000: 'Hamstring injuries typically occur after sudden bursts of speed'; 'a runner "
                   "introduces speed or hill workouts before they're ready'"),
)


def next_question(answers: Mapping[str, object]) -> Question | None:
    """The next question worth asking, or None once the outcome is settled. Accepts a plain dict
    or an Answers model's `model_dump()`; unanswered questions may be missing or None."""
    try:
        return _next_question_for(tuple(answers.get(question_id) for question_id in _ASKED))
    except TypeError:  # a value that cannot be a cache key (e.g. a list): just work it out
        return _next_question(answers)


def _next_question(answers: Mapping[str, object]) -> Question | None:
    for entry in ASKING_ORDER:
        if answers.get(entry.question_id) is None and entry.matters(answers):
            return _BY_ID[entry.question_id]
    return None


_ASKED = tuple(entry.question_id for entry in ASKING_ORDER)


# The skill asks this many times a turn (to replay and check the path so far); the answer depends
# only on the answers, so it is remembered. A finished triage has at most a few thousand paths.
@functools.lru_cache(maxsize=4096)
def _next_question_for(answered: tuple[object, ...]) -> Question | None:
    return _next_question(dict(zip(_ASKED, answered, strict=True)))


def reachable_answers(answers: Mapping[str, object]) -> dict[str, object]:
    """Only the answers the question path would ask for, in asking order: an answer that changed
    the path leaves the answers to questions no longer asked behind."""
    try:
        kept = _reachable_ids(tuple(answers.get(question_id) for question_id in _ASKED))
    except TypeError:  # a value that cannot be a cache key: work it out
        kept = _reachable_ids_of(answers)
    return {question_id: answers[question_id] for question_id in kept}


@functools.lru_cache(maxsize=4096)
def _reachable_ids(answered: tuple[object, ...]) -> tuple[str, ...]:
    return _reachable_ids_of(dict(zip(_ASKED, answered, strict=True)))


def _reachable_ids_of(answers: Mapping[str, object]) -> tuple[str, ...]:
    kept: dict[str, object] = {}
    while True:
        q = next_question(kept)
        if q is None or answers.get(q.id) is None:
            return tuple(kept)
        kept[q.id] = answers[q.id]


def conservative_answer(q: Question, said: str) -> str | None:
    """What to record when the runner says `said` ("unsure"): "unsure" itself where the answers keep
    it (rehab.rules reads it cautiously), else the question's conservative value; None means ask
    again."""
    if said in q.choices:
        return said
    return q.if_unsure


def record_answer(answers: Mapping[str, object], question_id: str, value: object) -> dict[str, object]:
    """A copy of `answers` with this answer added, after checking it is legal for the question.
    "unsure" becomes what the question records for it (`conservative_answer`): "unsure" itself for
    every yes/no question and how it started, so that nothing later says it as fact. Raises
    ValueError with a message that can be read to the runner when the answer is not legal (e.g. a
    pain of eleven)."""
    q = question(question_id)
    if isinstance(value, str):
        value = value.strip().lower().replace(" ", "_")
        if value in ("not_sure", "dont_know", "don't_know", "unknown"):
            value = UNSURE
    if value == UNSURE:
        value = conservative_answer(q, UNSURE)
        if value is None:
            raise ValueError(f"That's fine, a rough answer will do for {q.label}. {q.reprompt}")
    if q.kind == "number":
        number = _whole_number(value)
        if number is None or not (q.minimum <= number <= q.maximum):
            raise ValueError(
                f"For {q.label}, I need a whole number from {q.minimum} to {q.maximum}. {q.reprompt}"
            )
        value = number
    elif value not in q.choices and value != q.if_unsure:
        allowed = ", ".join(c.replace("_", " ") for c in q.choices)
        raise ValueError(f"For {q.label}, please answer {allowed}. {q.reprompt}")
    updated = dict(answers)
    updated[question_id] = value
    return updated


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return int(value)
    return None
