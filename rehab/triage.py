"""What is decided: the triage rules as one ordered table, and `assess`, which only reads it.

How the table is read:
- `red_flag`, `acute_care`, `see_professional` and `note` rules all apply when their condition holds.
- `category` and `site` rules: the first that holds wins.
- `running` rules: every rule that holds proposes a level; the most cautious level wins, and the
  reasons of the rules that proposed it are the ones the runner hears.
Every rule carries the plain-language reason the runner hears and its source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from rehab import rules as r
from rehab.models import Answers, Assessment, Reason

Answer = Mapping[str, object]

# From least to most cautious.
RUNNING_LEVELS: tuple[str, ...] = ("keep_running", "easy_only", "rest", "stop_and_see_clinician")


@dataclass(frozen=True)
class Rule:
    id: str
    when: str  # the condition in words, for the reviewer and the sources report
    test: Callable[[Answer], bool]
    sets: str  # "red_flag" | "category" | "site" | "running" | "acute_care" | "see_professional" | "note"
    value: str | bool
    reason: str  # what the runner hears when every answer it rests on was a plain yes or no
    source: str
    # The thresholds whose numbers `when` and `reason` state: the texts are formatted from them.
    thresholds: tuple[r.Threshold, ...] = ()
    # The reason for these answers, where it depends on them: it says which answers the runner was
    # not sure of (design.md §3) and names only the tests that were done and hurt. None: `reason`.
    says: Callable[[Answer], str] | None = None

    def reason_for(self, answers: Answer) -> str:
        return self.reason if self.says is None else self.says(answers)


def _category(a: Answer) -> str:
    """The category alone, for rules that depend on it (first matching category rule)."""
    return next(rule.value for rule in RULES if rule.sets == "category" and rule.test(a))


def _pain_at_least(n: int) -> Callable[[Answer], bool]:
    return lambda a: r.pain(a) is not None and r.pain(a) >= n


def _pain_between(low: int, high: int) -> Callable[[Answer], bool]:
    return lambda a: r.pain(a) is not None and low <= r.pain(a) <= high


# The numbers the texts below state, each from its threshold.
_SEVERE = r.SEVERE_PAIN_MIN.value
_STRAIN = r.STRAIN_PAIN_MIN.value
_SAFE = r.SAFE_PAIN_MAX.value
_RUN_THROUGH = r.RUN_THROUGH_PAIN_MAX.value
_SCALE = r.PAIN_SCALE_MAX
_ICE_DAYS = r.ACUTE_CARE_DAYS.value
_ICE_HOURS = 24 * _ICE_DAYS
# Walking still hurts on day 2 or later: it has taken more than a day to walk pain-free.
_SLOW_WALKING_AFTER = r.days_in_words(r.SLOW_WALKING_RECOVERY_DAYS.value - 1)
_BEHIND_KNEE_DAYS = r.LONG_STANDING_BEHIND_KNEE_DAYS.value
_TIGHT_MAX = r.TIGHTNESS_PAIN_MAX.value
_BRUISING_SHOWS = r.days_in_words(r.BRUISING_SHOWS_DAYS.value)


# --- Saying what the runner said, and only that. ----------------------------------------------
# "Not sure" decides as the cautious answer (rehab.rules), but a reason never states it as fact:
# it says the runner was not sure, then what follows to be safe (design.md §3).

UNSURE_ABOUT: dict[str, str] = {
    "onset": "how it started",
    "pop": "about a snap or pop",
    "bruising": "about bruising",
    "gait_altered": "whether you're limping",
    "pain_walking": "whether walking hurts",
    "nerve_symptoms": "about numbness, tingling or pain shooting below the knee",
    "training_change": "about a recent change in training",
}

TEST_NAMES: dict[str, str] = {"shoe_test": "the shoe test", "hinge_test": "the hinge test",
                              "heel_press_test": "the heel press test"}


def _join(items: list[str], word: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _were_not_sure(a: Answer, *fields: str) -> str:
    """'You weren't sure about a snap or pop or whether you're limping', for those of `fields` the
    runner answered "not sure"; '' when there are none."""
    unsure = [UNSURE_ABOUT[field] for field in fields if r.is_unsure(a, field)]
    return f"You weren't sure {_join(unsure, 'or')}" if unsure else ""


def _not_sure(a: Answer, *fields: str) -> str:
    """The sentence that says which of `fields` the runner was not sure of, and that the cautious
    answer decides; '' when they were sure of them all."""
    clause = _were_not_sure(a, *fields)
    if not clause:
        return ""
    answers = "answer" if sum(r.is_unsure(a, field) for field in fields) == 1 else "answers"
    return f"{clause}, so to be safe we go by the more cautious {answers}."


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _tests_that_hurt(a: Answer) -> list[str]:
    return [name for test, name in TEST_NAMES.items() if a.get(test) == "yes"]


def _tests_done_and_painless(a: Answer) -> int:
    return sum(1 for test in r.AT_HOME_TESTS if a.get(test) == "no")


# --- Reasons that depend on the answers. --------------------------------------------------------

_SEE_WITHIN_DAYS = "A clinician should see it within days: early repair gets runners back weeks sooner."


def _severe_tear_says(a: Answer) -> str:
    at_sit_bone = r.sit_bone_pop(a)
    with_pop = r.pop_with_bruising_or_limp(a)
    severe_with_limp = r.sudden_severe_with_limp(a)
    signs: list[str] = []
    unsure: list[str] = []

    def count(field: str, words: str) -> None:
        (unsure if r.is_unsure(a, field) else signs).append(field if r.is_unsure(a, field) else words)

    if at_sit_bone or with_pop:
        count("pop", "a snap or pop at the sit bone" if at_sit_bone else "a snap or pop")
    if severe_with_limp:
        count("onset", "a sudden start")
        signs.append(f"pain of {r.out_of_ten(r.pain(a))}")
    if (with_pop or at_sit_bone) and r.bruising_seen(a):
        count("bruising", "bruising")
    if (with_pop or severe_with_limp) and r.limping(a):
        count("gait_altered", "a limp")
    told = f"You told me about {_join(signs)}." if signs else ""
    could = "could" if unsure else "can"
    if at_sit_bone:
        meaning = (f"A pop at the sit bone {could} mean the tendon has pulled off the bone, even before any "
                   f"bruising shows: that can take up to {_BRUISING_SHOWS}.")
    else:
        meaning = f"Together that {could} mean a bad tear or the tendon pulling off the bone."
    return _sentences(told, _not_sure(a, *unsure), meaning, _SEE_WITHIN_DAYS)


def _nerve_says(a: Answer) -> str:
    if r.is_unsure(a, "nerve_symptoms"):
        return _sentences(_not_sure(a, "nerve_symptoms"),
                          "If you have them, they can come from a nerve, often from the back, rather than "
                          "the hamstring. A clinician should check, and until then no hamstring exercises.")
    return ("Numbness, tingling or pain shooting below the knee points to a nerve, often from the back, "
            "rather than the hamstring itself. That needs a clinician to check, not hamstring exercises.")


def _strain_says(a: Answer) -> str:
    signs: list[str] = []
    unsure: list[str] = ["onset"] if r.is_unsure(a, "onset") else []

    def count(field: str, words: str) -> None:
        if r.is_unsure(a, field):
            unsure.append(field)
        else:
            signs.append(words)

    if r.limping(a):
        count("gait_altered", "a limp")
    if r.bruising_seen(a):
        count("bruising", "bruising")
    if r.pop_felt(a):
        count("pop", "a snap or pop")
    score = r.pain(a)
    if score is not None and score >= _STRAIN:
        signs.append(f"pain of {r.out_of_ten(score)}")
    if r.pain_walking(a) and (r.days(a) or 0) >= r.SLOW_WALKING_RECOVERY_DAYS.value:
        count("pain_walking", f"walking still hurting after {_SLOW_WALKING_AFTER}")
    if a.get("onset") == "sudden":
        told = "It started suddenly" + (f", with {_join(signs)}." if signs else ".")
    else:
        told = f"You told me about {_join(signs)}." if signs else ""
    verdict = ("So we treat it as a hamstring strain." if unsure
               else "That most likely means a hamstring strain.")
    return _sentences(told, _not_sure(a, *unsure), verdict)


def _sudden_twinge_says(a: Answer) -> str:
    started = "It came on suddenly" if a.get("onset") == "sudden" else (
        _were_not_sure(a, "onset") or "You didn't say how it started")
    walking = " and walking is fine" if a.get("pain_walking") == "no" else ""
    return (f"{started}, but the at-home tests were clear{walking}, so it is most likely tightness rather "
            "than a tear.")


def _low_grade_strain_says(a: Answer) -> str:
    walking = ", and you're not limping" if a.get("gait_altered") == "no" else ""
    if a.get("onset") == "sudden":
        return f"It started suddenly{walking}, so it is most likely a low-grade strain."
    return _sentences(_not_sure(a, "onset"),
                      f"A sudden start is how strains happen{walking}, so we treat it as a low-grade strain.")


def _gradual_bruising_says(a: Answer) -> str:
    if r.is_unsure(a, "bruising"):
        return _sentences("It built up gradually.", _not_sure(a, "bruising"),
                          "Bruising would be a sign of a tear rather than an overloaded tendon, so until a "
                          "physiotherapist has looked at it we treat it as a hamstring strain, the more "
                          "careful plan.")
    return ("It built up gradually, but bruising is a sign of a tear rather than an overloaded tendon. Until "
            "a physiotherapist has looked at it, we treat it as a hamstring strain, the more careful plan.")


def _tendinopathy_says(a: Answer) -> str:
    signs: list[str] = []
    unsure: list[str] = []
    hurt = _tests_that_hurt(a)
    if hurt:
        signs.append(f"{_join(hurt)} hurt, which points at the hamstring")
    for field, words in (("pain_walking", "walking hurts"), ("gait_altered", "you're limping")):
        if r.said_yes_or_unsure(a, field):
            (unsure.append(field) if r.is_unsure(a, field) else signs.append(words))
    told = f"It built up gradually, and {_join(signs)}." if signs else "It built up gradually."
    verdict = ("So we treat it as an overloaded hamstring tendon, a tendinopathy." if unsure and not signs
               else "So it is most likely an overloaded hamstring tendon, a tendinopathy.")
    return _sentences(told, _not_sure(a, *unsure), verdict)


def _tightness_says(a: Answer) -> str:
    if r.tests_clear(a):
        return ("It built up gradually and the at-home tests were clear, so it is most likely tight "
                "hamstrings rather than an injury.")
    low = "the pain is low and " if r.pain(a) is not None else ""
    done = _tests_done_and_painless(a)
    tests = f"only {r.in_words(done)}" if done else "none"
    return (f"It built up gradually, {low}nothing you told me suggests an injury, so it is most likely tight "
            f"hamstrings. With {tests} of the at-home tests done, that is less certain.")


def _tests_not_done_says(a: Answer) -> str:
    done = _tests_done_and_painless(a)
    tests = f"only {r.in_words(done)}" if done else "none"
    return (f"With {tests} of the at-home tests done, keep runs easy with no speed work until you have tried "
            "them and they don't hurt.")


def _one_answer(field: str, plain: str, unsure_then: str) -> Callable[[Answer], str]:
    """A reason that rests on one yes/no answer: `plain` for a yes, else that they were not sure."""
    def says(a: Answer) -> str:
        return _sentences(_not_sure(a, field), unsure_then) if r.is_unsure(a, field) else plain
    return says


def _behind_knee_says(a: Answer) -> str:
    how = []
    if r.long_standing_behind_knee(a):
        how.append("has gone on for weeks")
    if a.get("onset") == "sudden":
        how.append("came on suddenly")
    if how:
        return (f"Pain behind the knee that {_join(how)} needs some time off running and a physiotherapist's "
                "hands.")
    return _sentences(_not_sure(a, "onset"),
                      "Pain behind the knee that may have started in a moment needs some time off running "
                      "and a physiotherapist's hands.")


def _sudden_start_says(a: Answer) -> str:
    quiet = r.days_in_words(r.QUIET_BEFORE_SPEED_DAYS.value)
    if a.get("onset") == "sudden":
        return (f"Because it came on suddenly, keep runs easy with no speed work until it has stayed quiet "
                f"for {quiet}.")
    lead = _not_sure(a, "onset") or "Without knowing how it started, we go by the more cautious answer."
    return _sentences(lead, f"Keep runs easy with no speed work until it has stayed quiet for {quiet}.")


def _ice_says(a: Answer) -> str:
    heat = "" if r.refer(a) else ", then switch to heat"
    if a.get("onset") == "sudden":
        return (f"You felt it happen in the last {r.days_in_words(_ICE_DAYS)}: ice it now, for up to "
                f"{_ICE_HOURS} hours after it happened{heat}.")
    lead = _not_sure(a, "onset") or "You didn't say how it started, so we go by the more cautious answer."
    return _sentences(lead, f"It started in the last {r.days_in_words(_ICE_DAYS)}: ice it now, for up to "
                            f"{_ICE_HOURS} hours after it started{heat}.")


_OTHER_CAUSES = ("weak glutes, tight quads tilting the pelvis, and leaning forward when you run; the "
                 "strength work targets them.")


def _other_causes_says(a: Answer) -> str:
    if r.is_unsure(a, "training_change"):
        return _sentences(_were_not_sure(a, "training_change") + ".",
                          "If there was one, build back gradually. Other common causes are " + _OTHER_CAUSES)
    return "Common causes without a training change are " + _OTHER_CAUSES


_JUDGEMENT = r.awaiting_review


RULES: tuple[Rule, ...] = (
    # ---- Red flags: any one means a clinician, not a programme. --------------------------------
    Rule(id="red-flag-severe-tear",
         when=f"a snap or pop with bruising or a limp, sudden severe pain ({_SEVERE}+/{_SCALE}) with a limp, "
              "or a snap or pop at the sit bone (bruising may not show for days); not sure of any of these "
              "counts",
         test=r.suspected_severe_tear, sets="red_flag", value="suspected_severe_tear",
         reason="You told me about a snap or pop and bruising. Together that can mean a bad tear or the "
                "tendon pulling off the bone. " + _SEE_WITHIN_DAYS,
         source="seed 000 signs of injury; seed 004: 'the hamstring can even detach from the pelvis'; "
                "clinical-basis.md, Avulsion (a pop in the buttock; bruising may take 3-7 days to appear); "
                "Subbu 2015; not sure counts as yes: " + _JUDGEMENT("clinical judgement"),
         thresholds=(r.SEVERE_PAIN_MIN,), says=_severe_tear_says),
    Rule(id="red-flag-nerve", when="numbness, tingling or pain shooting down the lower leg (or not sure)",
         test=r.nerve_symptoms, sets="red_flag", value="nerve_symptoms",
         reason=_nerve_says({"nerve_symptoms": "yes"}),
         source="seed 004: 'numbness in the lower leg ... refer to a professional therapist'; "
                "Yale ICPCP case table; not sure counts as yes: " + _JUDGEMENT("clinical judgement"),
         says=_nerve_says),
    Rule(id="red-flag-high-pain", when=f"pain {_SEVERE}/{_SCALE} or more, without a suspected tear",
         test=r.high_pain, sets="red_flag", value="high_pain",
         reason=f"Pain of {r.out_of_ten(_SEVERE)} or more is too much to manage on your own. Please get it "
                "looked at.",
         source="design.md §3 red flags; Jacobsen 2016 (pain is the best-supported predictor of time lost)",
         thresholds=(r.SEVERE_PAIN_MIN,)),

    # ---- Category: first match wins. ------------------------------------------------------------
    Rule(id="category-refer", when="any red flag", test=r.refer, sets="category", value="refer",
         reason="Because of that, this is one for a clinician: until you are seen, only safe self-care.",
         source="design.md §3: any red flag makes the category refer"),
    Rule(id="category-strain",
         when=f"sudden start (or not sure how it started) with a limp, bruising, a pop, pain "
              f"{_STRAIN}/{_SCALE} or more, or pain while walking for more than {_SLOW_WALKING_AFTER}",
         test=lambda a: r.sudden_or_unknown_onset(a) and (
             r.limping(a) or r.bruising_seen(a) or r.pop_felt(a)
             or _pain_at_least(r.STRAIN_PAIN_MIN.value)(a)
             or (r.pain_walking(a) and (r.days(a) or 0) >= r.SLOW_WALKING_RECOVERY_DAYS.value)),
         sets="category", value="strain",
         reason=f"It started suddenly, with pain of {r.out_of_ten(_STRAIN)}. That most likely means a "
                "hamstring strain.",
         source="seed 000 signs of injury; Warren 2010 (more than a day to walk pain-free); Jacobsen 2016",
         thresholds=(r.STRAIN_PAIN_MIN, r.SLOW_WALKING_RECOVERY_DAYS), says=_strain_says),
    Rule(id="category-sudden-twinge-tightness",
         when=f"sudden start, but the at-home tests are clear, walking is fine and pain is {_SAFE}/{_SCALE} "
              "or less",
         test=lambda a: r.sudden_or_unknown_onset(a) and r.tests_clear(a) and not r.injury_signs(a)
         and _pain_between(0, r.SAFE_PAIN_MAX.value)(a),
         sets="category", value="tightness",
         reason="It came on suddenly, but the at-home tests were clear and walking is fine, so it is most "
                "likely tightness rather than a tear.",
         source="seed 000 'At Home Tests' and 'a strain, a little tightness or just a bad day'",
         thresholds=(r.SAFE_PAIN_MAX,), says=_sudden_twinge_says),
    Rule(id="category-low-grade-strain", when="any other sudden start (or not sure how it started)",
         test=r.sudden_or_unknown_onset, sets="category", value="strain_low_grade",
         reason="It started suddenly, and you're not limping, so it is most likely a low-grade strain.",
         source="seed 000: 'Hamstring injuries typically occur after sudden bursts of speed'",
         says=_low_grade_strain_says),
    Rule(id="category-gradual-bruising",
         when="gradual start with bruising (or not sure about bruising): not called a tendinopathy before a "
              "professional has looked",
         test=r.gradual_with_bruising, sets="category", value="strain",
         reason=_gradual_bruising_says({"bruising": "yes"}),
         source=_JUDGEMENT("seed 000: 'Bruising' is a sign of injury; clinical-basis.md (bruising may take "
                           "3-7 days to appear); clinical judgement: the strain plan is the more careful "
                           "one"),
         says=_gradual_bruising_says),
    # The id keeps the rule it was filed under: stored plans cite it.
    Rule(id="category-tendinopathy",
         when="gradual start with a painful at-home test, pain while walking or a limp (or not sure of "
              "either)",
         test=r.injury_signs, sets="category", value="tendinopathy",
         reason="It built up gradually, and the shoe test hurt, which points at the hamstring. So it is most "
                "likely an overloaded hamstring tendon, a tendinopathy.",
         source="seed 000: 'Distance runners are more prone to what is called tendinopathy'; 'At Home "
                "Tests'",
         says=_tendinopathy_says),
    Rule(id="category-tendinopathy-pain-above-tightness",
         when=f"gradual start with no sign of injury, but pain above {_TIGHT_MAX}/{_SCALE}",
         test=r.pain_above_tightness, sets="category", value="tendinopathy",
         reason=f"It built up gradually, but pain above {r.out_of_ten(_TIGHT_MAX)} is more than tight "
                "hamstrings give, so it is most likely an overloaded hamstring tendon, a tendinopathy.",
         source=_JUDGEMENT("Goom 2016 pain monitoring; clinical judgement (tightness_pain_max)"),
         thresholds=(r.TIGHTNESS_PAIN_MAX,)),
    Rule(id="category-tightness",
         when=f"gradual start, no sign of injury and pain {_TIGHT_MAX}/{_SCALE} or less (at-home tests not "
              "done are no sign either way)",
         test=lambda a: True, sets="category", value="tightness",
         reason="It built up gradually and the at-home tests were clear, so it is most likely tight "
                "hamstrings rather than an injury.",
         source="seed 000: 'many runners become quad dominant and this results in tight hamstrings'; "
                "tests not done: " + _JUDGEMENT("clinical judgement"),
         thresholds=(r.TIGHTNESS_PAIN_MAX,), says=_tightness_says),

    # ---- Site: from where it hurts. -------------------------------------------------------------
    Rule(id="site-proximal", when="pain low in the buttock, at the sit bone",
         test=lambda a: a.get("location") == "lower_buttock", sets="site", value="proximal",
         reason="Pain at the sit bone is the top of the hamstring, where it attaches to the pelvis.",
         source="seed 000: 'Pain in the back of the thigh or lower butt'; Goom 2016"),
    Rule(id="site-distal", when="pain behind the knee",
         test=lambda a: a.get("location") == "behind_knee", sets="site", value="distal",
         reason="Pain behind the knee is the bottom of the hamstring, where its tendons attach.",
         source="seed 004: 'behind the knees where the hamstring tendons attach'"),
    Rule(id="site-mid", when="pain in the back of the thigh (or not said)",
         test=lambda a: True, sets="site", value="mid",
         reason="Pain in the back of the thigh is the middle, muscular part of the hamstring.",
         source="seed 000: 'The hamstring is made up of three different muscles located at the back of the "
                "thigh'"),

    # ---- Running: the most cautious proposal wins. ---------------------------------------------
    Rule(id="running-red-flag", when="any red flag", test=r.refer, sets="running",
         value="stop_and_see_clinician",
         reason="Stop running until a clinician has seen it.",
         source="design.md §3; seed 004: 'consider taking some time off from running and refer to a "
                "professional'"),
    Rule(id="running-limp", when="limping or unable to walk normally (or not sure)", test=r.limping,
         sets="running", value="rest",
         reason="You're limping, so rest from running for now. Swimming, cycling or yoga are fine if they "
                "don't hurt.",
         source="seed 000: 'If the injury is bad enough to alter your gait, then rest is in order'; not sure "
                "counts as yes: " + _JUDGEMENT("clinical judgement"),
         says=_one_answer("gait_altered",
                          "You're limping, so rest from running for now. Swimming, cycling or yoga are fine "
                          "if they don't hurt.",
                          "Rest from running for now. Swimming, cycling or yoga are fine if they don't "
                          "hurt.")),
    # The id keeps the number it was filed under: stored plans cite it.
    Rule(id="running-pain-over-6", when=f"pain above {_RUN_THROUGH}/{_SCALE}",
         test=_pain_at_least(r.RUN_THROUGH_PAIN_MAX.value + 1), sets="running", value="rest",
         reason=f"Your pain is above {r.out_of_ten(_RUN_THROUGH)}, which is too much to run through. Rest "
                "from running and cross-train if it doesn't hurt.",
         source="seed 004: 'run through soreness by monitoring your pain scale (6 out of 10 or lower)'",
         thresholds=(r.RUN_THROUGH_PAIN_MAX,)),
    Rule(id="running-walking-hurts", when="pain while walking (or not sure)", test=r.pain_walking,
         sets="running", value="rest",
         reason="Walking still hurts, so hold off running until you can walk without pain.",
         source="Heiderscheit 2010: pain-free walking before jogging; seed 000: 'If running without pain is "
                "impossible, then you'll have to rest'; not sure counts as yes: "
                + _JUDGEMENT("clinical judgement"),
         says=_one_answer("pain_walking",
                          "Walking still hurts, so hold off running until you can walk without pain.",
                          "Hold off running until you are sure you can walk without any pain.")),
    Rule(id="running-behind-knee",
         when=f"pain behind the knee for {_BEHIND_KNEE_DAYS} days or more, or that started suddenly (or not "
              "sure how it started)",
         test=r.behind_knee_needs_a_therapist, sets="running", value="rest",
         reason="Pain behind the knee that has gone on for weeks or came on suddenly needs some time off "
                "running and a physiotherapist's hands.",
         source="seed 004: 'If there is chronic or acute pain behind your knee ... consider taking some time "
                "off from running'",
         thresholds=(r.LONG_STANDING_BEHIND_KNEE_DAYS,), says=_behind_knee_says),
    Rule(id="running-strain", when="a strain (not low-grade)", test=lambda a: _category(a) == "strain",
         sets="running", value="rest",
         reason="With a strain like this, rest from running at first; the programme brings it back step by "
                "step.",
         source="Heiderscheit 2010 phase I; seed 000: 'If you start training before the injury is fully "
                "healed, you run the risk of prolonging the injury'"),
    # The id keeps the numbers it was filed under: stored plans cite it.
    Rule(id="running-pain-4-to-6", when=f"pain {_SAFE + 1} to {r.out_of_ten(_RUN_THROUGH)}",
         test=_pain_between(r.SAFE_PAIN_MAX.value + 1, r.RUN_THROUGH_PAIN_MAX.value), sets="running",
         value="easy_only",
         reason="At this level of pain you can run easy, but no speed work or hills, and stop if the pain "
                "rises.",
         source="seed 004: 'If you run through this injury, definitely avoid speed and hills'",
         thresholds=(r.SAFE_PAIN_MAX, r.RUN_THROUGH_PAIN_MAX)),
    Rule(id="running-walks-normally", when="walks normally, pain only in certain positions (a test hurt)",
         test=lambda a: r.tests_positive(a) and not r.limping(a) and not r.pain_walking(a),
         sets="running", value="easy_only",
         reason="You can walk normally and it hurts only in certain positions, so try an easy run and see "
                "how it feels afterwards. Stop if the pain increases.",
         source="seed 000: 'if you can walk normally, but have pain in certain positions, go ahead and try "
                "an easy run'"),
    Rule(id="running-tendinopathy", when="a tendinopathy", test=lambda a: _category(a) == "tendinopathy",
         sets="running", value="easy_only",
         reason="Keep runs easy and put speed workouts and hill repeats on hold: running hard on a sore "
                "tendon makes it worse.",
         source="seed 000: 'The longer you run with hamstring tendinopathy, the worse it will get ... put "
                "the speed workouts and hill repeats on hold'"),
    Rule(id="running-low-grade-strain", when="a low-grade strain",
         test=lambda a: _category(a) == "strain_low_grade", sets="running", value="easy_only",
         reason="Easy running only, and stop if the pain increases.",
         source="seed 000: 'Those with a low grade pain can try to continue running, but if the pain "
                "increases, then it's time to stop'"),
    Rule(id="running-sudden-start", when="a sudden start (or not sure how it started), even if it looks "
                                         "like tightness",
         test=lambda a: r.sudden_or_unknown_onset(a) and _category(a) == "tightness", sets="running",
         value="easy_only",
         reason="Because it came on suddenly, keep runs easy with no speed work until it has stayed quiet "
                f"for {r.days_in_words(r.QUIET_BEFORE_SPEED_DAYS.value)}.",
         source="seed 000: speed and hill work on hold; clinical judgement: a sudden onset is the strain "
                "mechanism",
         thresholds=(r.QUIET_BEFORE_SPEED_DAYS,), says=_sudden_start_says),
    Rule(id="running-tests-not-done",
         when=f"tight hamstrings, but fewer than {r.TESTS_DONE_TO_CLEAR.value} at-home tests done and "
              "painless",
         test=lambda a: r.tests_not_done(a) and _category(a) == "tightness", sets="running",
         value="easy_only",
         reason="With only one of the at-home tests done, keep runs easy with no speed work until you have "
                "tried them and they don't hurt.",
         source=_JUDGEMENT("seed 000 'At Home Tests'; clinical judgement: a test not done is not a clear "
                           "test (tests_done_to_clear)"),
         thresholds=(r.TESTS_DONE_TO_CLEAR,), says=_tests_not_done_says),
    Rule(id="running-pain-unknown", when="pain score not given", test=lambda a: r.pain(a) is None,
         sets="running", value="easy_only",
         reason="Without a pain score, easy runs only to be safe.",
         source="clinical judgement: unknown pain is treated cautiously"),
    Rule(id="running-keep", when="none of the above: low pain, walking normally, tests clear",
         test=lambda a: True, sets="running", value="keep_running",
         reason="You can keep running, and strength work will help. If the pain increases, stop.",
         source="seed 000: 'Those with a low grade pain can try to continue running, but if the pain "
                "increases, then it's time to stop'"),

    # ---- Care today. ----------------------------------------------------------------------------
    Rule(id="acute-ice",
         when=f"felt it happen (sudden start, or not sure how it started) within the last {_ICE_DAYS} days",
         test=lambda a: r.sudden_or_unknown_onset(a) and r.days(a) is not None
         and r.days(a) <= r.ACUTE_CARE_DAYS.value,
         sets="acute_care", value=True,
         reason=f"You felt it happen in the last {r.days_in_words(_ICE_DAYS)}: ice it now, for up to "
                f"{_ICE_HOURS} hours after it happened, then switch to heat.",
         source="seed 000: 'If you felt the injury happen, apply ice immediately afterward for up to 72 "
                "hours. After that timeframe, switch to heat'",
         thresholds=(r.ACUTE_CARE_DAYS,), says=_ice_says),
    Rule(id="after-72-hours-heat",
         when=f"felt it happen (or not sure how it started) more than {_ICE_DAYS} days ago, and not referred "
              "(heat on an injury no clinician has seen is the clinician's call)",
         test=lambda a: r.sudden_or_unsure_onset(a) and r.days(a) is not None
         and r.days(a) > r.ACUTE_CARE_DAYS.value and not r.refer(a),
         sets="note", value="",
         reason=f"It is more than {_ICE_HOURS} hours since it started, so use heat rather than ice.",
         source="seed 000: 'After that timeframe, switch to heat'; not for a referral: "
                + _JUDGEMENT("clinical judgement"),
         thresholds=(r.ACUTE_CARE_DAYS,)),

    # ---- A physiotherapist even without a red flag. ---------------------------------------------
    Rule(id="professional-red-flag", when="any red flag", test=r.refer, sets="see_professional", value=True,
         reason="Book a clinician: a doctor, or a physiotherapist who can refer you on.",
         source="design.md §3 red flags"),
    Rule(id="professional-behind-knee",
         when=f"pain behind the knee for {_BEHIND_KNEE_DAYS} days or more, or that started suddenly (or not "
              "sure how it started)",
         test=r.behind_knee_needs_a_therapist, sets="see_professional", value=True,
         reason="Pain behind the knee like this deserves a physiotherapist's look for local treatment.",
         source="seed 004: 'refer to a professional therapist for localized treatment'",
         thresholds=(r.LONG_STANDING_BEHIND_KNEE_DAYS,)),
    Rule(id="professional-strain", when="a strain (not low-grade) that started suddenly",
         test=lambda a: _category(a) == "strain" and not r.gradual_onset(a),
         sets="see_professional", value=True,
         reason="A physiotherapist can give a strain like this a structured plan; it is worth booking.",
         source="seed 000: 'severe cases should seek physical therapy to help with a more structured "
                "treatment plan'"),
    Rule(id="professional-gradual-bruising",
         when="bruising (or not sure about bruising) on pain that built up gradually, not referred",
         test=lambda a: r.gradual_with_bruising(a) and not r.refer(a), sets="see_professional", value=True,
         reason="Bruising on pain that built up gradually needs a physiotherapist's look: it may be a tear "
                "you didn't notice, and only an examination can tell.",
         source=_JUDGEMENT("seed 000: 'Bruising' is a sign of injury; 'severe cases should seek physical "
                           "therapy'; clinical judgement: on a gradual ache it may be a tear not noticed"),
         says=_one_answer("bruising",
                          "Bruising on pain that built up gradually needs a physiotherapist's look: it may "
                          "be a tear you didn't notice, and only an examination can tell.",
                          "Have a physiotherapist look: bruising on pain that built up gradually may be a "
                          "tear you didn't notice, and only an examination can tell.")),
    Rule(id="professional-not-settling", when=f"pain for {r.NOT_SETTLING_DAYS.value} days or more",
         test=lambda a: (r.days(a) or 0) >= r.NOT_SETTLING_DAYS.value, sets="see_professional", value=True,
         reason=f"It has gone on for {r.days_in_words(r.NOT_SETTLING_DAYS.value)} or more, so have a "
                "physiotherapist look at it as well.",
         source="seed 000: 'severe cases should seek physical therapy'; clinical judgement: six weeks",
         thresholds=(r.NOT_SETTLING_DAYS,)),

    # ---- Likely causes. -------------------------------------------------------------------------
    Rule(id="cause-training-change", when="recently added speed, hills or a jump in mileage",
         test=lambda a: a.get("training_change") == "yes", sets="note", value="",
         reason="The likely cause is the recent speed work, hills or extra mileage: that is how hamstrings "
                "get overloaded. Build back gradually.",
         source="seed 000: 'a runner introduces speed or hill workouts before they're ready'; seed 004: "
                "'Sudden increases in mileage without adequate time for recovery'"),
    Rule(id="cause-speed-burst", when="a sudden start, not referred",
         test=lambda a: a.get("onset") == "sudden" and not r.refer(a), sets="note", value="",
         reason="Hamstrings usually strain in a sudden burst of speed, so speed work comes back last, after "
                "a proper warm-up.",
         source="seed 000: 'Hamstring injuries typically occur after sudden bursts of speed'; seed 004: "
                "'Doing speedwork without warming up properly'"),
    Rule(id="cause-other", when="gradual start, no training change (or not sure), and not referred",
         test=lambda a: r.gradual_onset(a) and a.get("training_change") in ("no", r.UNSURE)
         and not r.refer(a),
         sets="note", value="",
         reason="Common causes without a training change are " + _OTHER_CAUSES,
         source="seed 000: 'weak glutes means the hamstrings have to work even harder'; seed 004: 'Poor "
                "running form and core strength'",
         says=_other_causes_says),
    Rule(id="no-stretching-into-pain", when="tightness or tendinopathy",
         test=lambda a: _category(a) in ("tightness", "tendinopathy"), sets="note", value="",
         reason="Don't try to stretch it away: endless stretching of tight hamstrings doesn't fix them and "
                "can lead to injury. Strength work does.",
         source="seed 000: 'we start stretching and stretching and....well that doesn't fix the issue, but "
                "it can lead us straight in to an injury!'; Goom 2016"),
)


def assess(answers: Answers) -> Assessment:
    """Read the rules table over the answers. Unanswered questions count as not known."""
    a = answers.model_dump()
    fired = [rule for rule in RULES if rule.test(a)]

    category = next(rule for rule in fired if rule.sets == "category")
    site = next(rule for rule in fired if rule.sets == "site")
    running_rules = [rule for rule in fired if rule.sets == "running"]
    running = max((rule.value for rule in running_rules), key=RUNNING_LEVELS.index)

    chosen: list[Rule] = []
    for rule in fired:
        if rule.sets in ("category", "site"):
            if rule in (category, site):
                chosen.append(rule)
        elif rule.sets == "running":
            if rule.value == running:
                chosen.append(rule)
        else:
            chosen.append(rule)

    return Assessment(
        category=category.value,
        site=site.value,
        running=running,
        red_flags=tuple(rule.value for rule in fired if rule.sets == "red_flag"),
        acute_care=any(rule.sets == "acute_care" for rule in fired),
        see_professional=any(rule.sets == "see_professional" for rule in fired),
        reasons=tuple(Reason(rule_id=rule.id, text=rule.reason_for(a), source=rule.source)
                      for rule in chosen),
    )


def rule(rule_id: str) -> Rule:
    return next(rule for rule in RULES if rule.id == rule_id)
