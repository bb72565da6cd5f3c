"""The clinical facts both the questions and the triage read: thresholds and the red-flag and
injury-sign predicates, over a plain mapping of answers.

Standard library only: `rehab.questions` (imported by the Alexa Lambda on a cold start) uses these
to skip questions that can no longer change the outcome, and `rehab.triage` uses the very same
ones to decide, so nothing clinical is written twice.

A missing answer is "not known". Predicates that raise the alarm need evidence; predicates that
would let the runner do more treat "not known" as the cautious case. An answer of "not sure"
("unsure") is read as the cautious one for every decision (not sure about a limp decides as a
limp), but it stays "unsure" in the answers, so that what the runner hears says they were not sure
(`is_unsure`) rather than stating it as fact (design.md §3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# --- Thresholds: each a number a physiotherapist can check against its source. ---------------
# A text that states one of these numbers (a reason, a question's skip line, the pain guide) is
# formatted from the threshold, never retyped: tests/rehab/test_advice_numbers.py reads them back.


@dataclass(frozen=True)
class Threshold:
    id: str
    value: int
    means: str
    source: str


# Pain is scored on the pain_score question's scale, 0 to this.
PAIN_SCALE_MAX = 10

RUN_THROUGH_PAIN_MAX = Threshold(
    id="run_through_pain_max", value=6,
    means="Highest pain (0-10) at which running easy is still allowed; above it, rest.",
    source="seed 004: 'run through soreness by monitoring your pain scale (6 out of 10 or lower)'",
)
SEVERE_PAIN_MIN = Threshold(
    id="severe_pain_min", value=8,
    means="Pain (0-10) counted as severe: a red flag on its own.",
    source="design.md §3 red flags; Jacobsen 2016 (pain at injury is the best-supported predictor)",
)
SAFE_PAIN_MAX = Threshold(
    id="safe_pain_max", value=3,
    means="Highest pain (0-10) that counts as 'safe' load: above it running is easy pace only.",
    source="Goom 2016 pain monitoring: 0-3/10 safe, 4-5 acceptable, above 5 reduce load",
)
ACCEPTABLE_PAIN_MAX = Threshold(
    id="acceptable_pain_max", value=5,
    means="Highest pain (0-10) during or after a session that is acceptable if it settles by the next "
          "morning; above it, do less next time.",
    source="Goom 2016 pain monitoring: 0-3/10 safe, 4-5 acceptable, above 5 reduce load "
           "(clinical-basis.md)",
)
STRAIN_PAIN_MIN = Threshold(
    id="strain_pain_min", value=6,
    means="Pain (0-10) after a sudden onset that makes it more than a low-grade strain.",
    source="Jacobsen 2016 (pain at injury is the best-supported predictor of time lost)",
)
ACUTE_CARE_DAYS = Threshold(
    id="acute_care_days", value=3,
    means="Days since an injury that was felt to happen during which ice still helps: seed 000's hours "
          "of ice, counted in whole days.",
    source="seed 000: 'If you felt the injury happen, apply ice immediately afterward for up to 72 hours'",
)
SLOW_WALKING_RECOVERY_DAYS = Threshold(
    id="slow_walking_recovery_days", value=2,
    means="Days of pain while walking after a sudden onset that predict a longer recovery.",
    source="Warren 2010: taking more than a day to walk pain-free predicted a return later than 3 weeks",
)
LONG_STANDING_BEHIND_KNEE_DAYS = Threshold(
    id="long_standing_behind_knee_days", value=14,
    means="Days of pain behind the knee counted as 'chronic': time off running and a physiotherapist.",
    source="seed 004: 'If there is chronic or acute pain behind your knee ... refer to a professional "
           "therapist'",
)
NOT_SETTLING_DAYS = Threshold(
    id="not_settling_days", value=42,
    means="Days of pain after which a physiotherapist should look, whatever else is found.",
    source="seed 000: 'severe cases should seek physical therapy'; clinical judgement: six weeks without "
           "settling",
)
TESTS_DONE_TO_CLEAR = Threshold(
    id="tests_done_to_clear", value=2,
    means="At-home tests that must be done and painless before we call it 'no sign of injury'.",
    source="seed 000 'At Home Tests'; clinical judgement: a test not done is not a clear test",
)
QUIET_BEFORE_SPEED_DAYS = Threshold(
    id="quiet_before_speed_days", value=7,
    means="Days a sudden twinge that looks like tightness should stay quiet before speed work returns.",
    source="seed 000: speed workouts and hill repeats on hold; clinical judgement: a sudden onset is the "
           "strain mechanism",
)

# Marks a number or a rule that goes beyond what its sources state: `hamstring-coach sources` prints
# it with the source, so a clinician can find every such judgement (as rehab.adaptation marks its
# own with `awaiting_sign_off`).
AWAITING_REVIEW = "[awaiting a clinician's sign-off]"


def awaiting_review(source: str) -> str:
    """`source`, marked as a judgement beyond it that a clinician has not yet signed off."""
    return f"{source} {AWAITING_REVIEW}"


TIGHTNESS_PAIN_MAX = Threshold(
    id="tightness_pain_max", value=3,
    means="Highest pain (0-10) that can still be called tight hamstrings when it built up gradually: "
          "above it, with no other sign, it is read as an overloaded tendon, not tightness.",
    source=awaiting_review("seed 000 (tightness versus injury); Goom 2016 pain monitoring (0-3/10 'safe'); "
                           "clinical judgement: tightness is discomfort within the safe band, as for a "
                           "sudden twinge (safe_pain_max)"),
)
BRUISING_SHOWS_DAYS = Threshold(
    id="bruising_shows_days", value=7,
    means="Days after a pop during which bruising may still appear: until then, a pop without bruising "
          "or a limp is watched for bruising.",
    source="clinical-basis.md, Avulsion: bruising 'may take 3-7 days to appear'; Subbu 2015 (early repair)",
)

THRESHOLDS: tuple[Threshold, ...] = (
    RUN_THROUGH_PAIN_MAX, SEVERE_PAIN_MIN, SAFE_PAIN_MAX, ACCEPTABLE_PAIN_MAX, STRAIN_PAIN_MIN,
    ACUTE_CARE_DAYS, SLOW_WALKING_RECOVERY_DAYS, LONG_STANDING_BEHIND_KNEE_DAYS, NOT_SETTLING_DAYS,
    TESTS_DONE_TO_CLEAR, QUIET_BEFORE_SPEED_DAYS, TIGHTNESS_PAIN_MAX, BRUISING_SHOWS_DAYS,
)

AT_HOME_TESTS: tuple[str, ...] = ("shoe_test", "hinge_test", "heel_press_test")

# The answer a runner gives when they do not know (rehab.questions records it where it is a choice).
UNSURE = "unsure"


# --- Numbers in words, for texts that state a threshold. -----------------------------------------

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve")


def in_words(number: int) -> str:
    """'three' for 3; digits from 13 on, as people write them."""
    return _NUMBER_WORDS[number] if 0 <= number < len(_NUMBER_WORDS) else str(number)


def days_in_words(days: int) -> str:
    """A span of days as a runner says it: 'a day', 'three days', 'a week', 'six weeks'."""
    count, unit = (days // 7, "week") if days >= 7 and days % 7 == 0 else (days, "day")
    return f"a {unit}" if count == 1 else f"{in_words(count)} {unit}s"


def out_of_ten(score: int) -> str:
    """'6 out of 10': a pain score as the runner hears it."""
    return f"{score} out of {PAIN_SCALE_MAX}"


# --- Small readings of the answers. -----------------------------------------------------------

def pain(answers: Mapping[str, object]) -> int | None:
    value = answers.get("pain_score")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def days(answers: Mapping[str, object]) -> int | None:
    value = answers.get("days_since")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_unsure(answers: Mapping[str, object], question_id: str) -> bool:
    """The runner said "not sure" to this question: decide cautiously, but never say it as fact."""
    return answers.get(question_id) == UNSURE


def said_yes_or_unsure(answers: Mapping[str, object], question_id: str) -> bool:
    """The cautious reading of a yes/no/not-sure answer: "not sure" counts as "yes"."""
    return answers.get(question_id) in ("yes", UNSURE)


def sudden_or_unknown_onset(answers: Mapping[str, object]) -> bool:
    # Not knowing how it started (not said, or "not sure") is treated like a sudden start: that is
    # the strain mechanism.
    return answers.get("onset") != "gradual"


def sudden_or_unsure_onset(answers: Mapping[str, object]) -> bool:
    """Said sudden, or not sure: the cautious reading of an answered onset (a red flag needs an answer)."""
    return answers.get("onset") in ("sudden", UNSURE)


def gradual_onset(answers: Mapping[str, object]) -> bool:
    return answers.get("onset") == "gradual"


def pop_felt(answers: Mapping[str, object]) -> bool:
    """A snap or pop (or "not sure") at the moment it started. A gradual onset has no such moment:
    the onset question tells runners that a pop means "sudden"."""
    return sudden_or_unknown_onset(answers) and said_yes_or_unsure(answers, "pop")


def bruising_seen(answers: Mapping[str, object]) -> bool:
    return said_yes_or_unsure(answers, "bruising")


def limping(answers: Mapping[str, object]) -> bool:
    return said_yes_or_unsure(answers, "gait_altered")


def pain_walking(answers: Mapping[str, object]) -> bool:
    return said_yes_or_unsure(answers, "pain_walking")


def tests_positive(answers: Mapping[str, object]) -> bool:
    return any(answers.get(test) == "yes" for test in AT_HOME_TESTS)


def tests_clear(answers: Mapping[str, object]) -> bool:
    """No test hurt, and enough of them were actually done to say so."""
    done_and_painless = sum(1 for test in AT_HOME_TESTS if answers.get(test) == "no")
    return not tests_positive(answers) and done_and_painless >= TESTS_DONE_TO_CLEAR.value


def tests_not_done(answers: Mapping[str, object]) -> bool:
    """No test hurt, but too few were done to call them clear (a test not done, or not answered)."""
    return not tests_positive(answers) and not tests_clear(answers)


def injury_signs(answers: Mapping[str, object]) -> bool:
    """Any sign seed 000 lists of an injury rather than tightness (a "not sure" counts)."""
    return (tests_positive(answers) or pain_walking(answers) or limping(answers)
            or bruising_seen(answers) or pop_felt(answers))


def pain_above_tightness(answers: Mapping[str, object]) -> bool:
    score = pain(answers)
    return score is not None and score > TIGHTNESS_PAIN_MAX.value


def gradual_with_bruising(answers: Mapping[str, object]) -> bool:
    """Bruising (or "not sure") on pain that built up gradually: bruising is a sign of a tear (seed 000),
    not of an overloaded tendon, so a professional should look before it is called either."""
    return gradual_onset(answers) and bruising_seen(answers)


def sit_bone_pop(answers: Mapping[str, object]) -> bool:
    """A pop (or "not sure") at the sit bone when it started: the tendon may have pulled off the bone,
    and the bruising that would show it can take 3 to 7 days to appear (clinical-basis.md, Avulsion)."""
    return answers.get("location") == "lower_buttock" and pop_felt(answers)


def watch_for_bruising(answers: Mapping[str, object]) -> bool:
    """A pop elsewhere, with no bruising and no limp (yet), within the days bruising may still appear."""
    recent = days(answers) is None or days(answers) <= BRUISING_SHOWS_DAYS.value
    return (pop_felt(answers) and not sit_bone_pop(answers) and answers.get("bruising") == "no"
            and not limping(answers) and recent)


def behind_knee_needs_a_therapist(answers: Mapping[str, object]) -> bool:
    """Seed 004's "chronic or acute pain behind your knee": long-standing (weeks), or acute, read as
    a sudden start (clinical judgement: the seed does not define "acute")."""
    if answers.get("location") != "behind_knee":
        return False
    return long_standing_behind_knee(answers) or sudden_or_unknown_onset(answers)


def long_standing_behind_knee(answers: Mapping[str, object]) -> bool:
    return (answers.get("location") == "behind_knee"
            and (days(answers) or 0) >= LONG_STANDING_BEHIND_KNEE_DAYS.value)


# --- Red flags (design.md §3). ----------------------------------------------------------------

def severe_pain(answers: Mapping[str, object]) -> bool:
    score = pain(answers)
    return score is not None and score >= SEVERE_PAIN_MIN.value


def sudden_severe_with_limp(answers: Mapping[str, object]) -> bool:
    return sudden_or_unsure_onset(answers) and severe_pain(answers) and limping(answers)


def pop_with_bruising_or_limp(answers: Mapping[str, object]) -> bool:
    return pop_felt(answers) and (bruising_seen(answers) or limping(answers))


def suspected_severe_tear(answers: Mapping[str, object]) -> bool:
    """A pop with bruising or a limp; sudden severe pain with a limp; or a pop at the sit bone, where
    bruising may not show for days (design.md §3)."""
    return pop_with_bruising_or_limp(answers) or sudden_severe_with_limp(answers) or sit_bone_pop(answers)


def nerve_symptoms(answers: Mapping[str, object]) -> bool:
    return said_yes_or_unsure(answers, "nerve_symptoms")


def high_pain(answers: Mapping[str, object]) -> bool:
    """Severe pain that is not already explained as a suspected severe tear."""
    return severe_pain(answers) and not suspected_severe_tear(answers)


RED_FLAG_TESTS = (
    ("suspected_severe_tear", suspected_severe_tear),
    ("nerve_symptoms", nerve_symptoms),
    ("high_pain", high_pain),
)


def red_flags(answers: Mapping[str, object]) -> tuple[str, ...]:
    return tuple(flag for flag, test in RED_FLAG_TESTS if test(answers))


def refer(answers: Mapping[str, object]) -> bool:
    return bool(red_flags(answers))
