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
    reason: str  # what the runner hears
    source: str


def _category(a: Answer) -> str:
    """The category alone, for rules that depend on it (first matching category rule)."""
    return next(rule.value for rule in RULES if rule.sets == "category" and rule.test(a))


def _pain_at_least(n: int) -> Callable[[Answer], bool]:
    return lambda a: r.pain(a) is not None and r.pain(a) >= n


def _pain_between(low: int, high: int) -> Callable[[Answer], bool]:
    return lambda a: r.pain(a) is not None and low <= r.pain(a) <= high


RULES: tuple[Rule, ...] = (
    # ---- Red flags: any one means a clinician, not a programme. --------------------------------
    Rule("red-flag-severe-tear",
         "a snap or pop with bruising or a limp, or sudden severe pain (8+/10) with a limp",
         r.suspected_severe_tear, "red_flag", "suspected_severe_tear",
         "A pop with bruising or a limp, or sudden severe pain with a limp, can mean a bad tear or the "
         "tendon pulling off the bone. A clinician should see it within days: early repair gets "
         "runners back weeks sooner.",
         "seed 000 signs of injury; seed 004: 'the hamstring can even detach from the pelvis'; "
         "Subbu 2015"),
    Rule("red-flag-nerve", "numbness, tingling or pain shooting down the lower leg",
         r.nerve_symptoms, "red_flag", "nerve_symptoms",
         "Numbness, tingling or pain shooting below the knee points to a nerve, often from the back, "
         "rather than the hamstring itself. That needs a clinician to check, not hamstring exercises.",
         "seed 004: 'numbness in the lower leg ... refer to a professional therapist'; "
         "Yale ICPCP case table"),
    Rule("red-flag-high-pain", "pain 8/10 or more, without a suspected tear",
         r.high_pain, "red_flag", "high_pain",
         "Pain of 8 out of 10 or more is too much to manage on your own. Please get it looked at.",
         "design.md §3 red flags; Jacobsen 2016 (pain is the best-supported predictor of time lost)"),

    # ---- Category: first match wins. ------------------------------------------------------------
    Rule("category-refer", "any red flag", r.refer, "category", "refer",
         "Because of that, this is one for a clinician: until you are seen, only safe self-care.",
         "design.md §3: any red flag makes the category refer"),
    Rule("category-strain",
         "sudden start with a limp, bruising, a pop, pain 6/10 or more, or pain while walking for "
         "more than a day",
         lambda a: r.sudden_or_unknown_onset(a) and (
             r.limping(a) or r.bruising_seen(a) or r.pop_felt(a)
             or _pain_at_least(r.STRAIN_PAIN_MIN.value)(a)
             or (r.pain_walking(a) and (r.days(a) or 0) >= r.SLOW_WALKING_RECOVERY_DAYS.value)),
         "category", "strain",
         "It started suddenly and shows signs of a real strain, such as a limp, bruising, a pop, "
         "higher pain or walking still hurting after a day. That most likely means a hamstring strain.",
         "seed 000 signs of injury; Warren 2010; Jacobsen 2016"),
    Rule("category-sudden-twinge-tightness",
         "sudden start, but the at-home tests are clear, walking is fine and pain is 3/10 or less",
         lambda a: r.sudden_or_unknown_onset(a) and r.tests_clear(a) and not r.injury_signs(a)
         and _pain_between(0, r.SAFE_PAIN_MAX.value)(a),
         "category", "tightness",
         "It came on suddenly, but the at-home tests were clear and walking is fine, so it is most "
         "likely tightness rather than a tear.",
         "seed 000 'At Home Tests' and 'a strain, a little tightness or just a bad day'"),
    Rule("category-low-grade-strain", "any other sudden start",
         r.sudden_or_unknown_onset, "category", "strain_low_grade",
         "It started suddenly, and you can walk normally, so it is most likely a low-grade strain.",
         "seed 000: 'Hamstring injuries typically occur after sudden bursts of speed'"),
    Rule("category-tendinopathy",
         "gradual start with a painful at-home test or another sign of injury, or tests not done",
         lambda a: r.injury_signs(a) or not r.tests_clear(a), "category", "tendinopathy",
         "It built up gradually and the tests point at the hamstring, so it is most likely an "
         "overloaded hamstring tendon, a tendinopathy. If you could not do the tests, we treat it as "
         "one to be safe.",
         "seed 000: 'Distance runners are more prone to what is called tendinopathy'; 'At Home Tests'"),
    Rule("category-tightness", "gradual start and the at-home tests are clear",
         lambda a: True, "category", "tightness",
         "It built up gradually and the at-home tests were clear, so it is most likely tight "
         "hamstrings rather than an injury.",
         "seed 000: 'many runners become quad dominant and this results in tight hamstrings'"),

    # ---- Site: from where it hurts. -------------------------------------------------------------
    Rule("site-proximal", "pain low in the buttock, at the sit bone",
         lambda a: a.get("location") == "lower_buttock", "site", "proximal",
         "Pain at the sit bone is the top of the hamstring, where it attaches to the pelvis.",
         "seed 000: 'Pain in the back of the thigh or lower butt'; Goom 2016"),
    Rule("site-distal", "pain behind the knee",
         lambda a: a.get("location") == "behind_knee", "site", "distal",
         "Pain behind the knee is the bottom of the hamstring, where its tendons attach.",
         "seed 004: 'behind the knees where the hamstring tendons attach'"),
    Rule("site-mid", "pain in the back of the thigh (or not said)", lambda a: True, "site", "mid",
         "Pain in the back of the thigh is the middle, muscular part of the hamstring.",
         "seed 000: 'The hamstring is made up of three different muscles located at the back of the "
         "thigh'"),

    # ---- Running: the most cautious proposal wins. ---------------------------------------------
    Rule("running-red-flag", "any red flag", r.refer, "running", "stop_and_see_clinician",
         "Stop running until a clinician has seen it.",
         "design.md §3; seed 004: 'consider taking some time off from running and refer to a "
         "professional'"),
    Rule("running-limp", "limping or unable to walk normally", r.limping, "running", "rest",
         "You're limping, so rest from running for now. Swimming, cycling or yoga are fine if they "
         "don't hurt.",
         "seed 000: 'If the injury is bad enough to alter your gait, then rest is in order'"),
    Rule("running-pain-over-6", "pain above 6/10",
         _pain_at_least(r.RUN_THROUGH_PAIN_MAX.value + 1), "running", "rest",
         "Your pain is above 6 out of 10, which is too much to run through. Rest from running and "
         "cross-train if it doesn't hurt.",
         "seed 004: 'run through soreness by monitoring your pain scale (6 out of 10 or lower)'"),
    Rule("running-walking-hurts", "pain while walking", r.pain_walking, "running", "rest",
         "Walking still hurts, so hold off running until you can walk without pain.",
         "Heiderscheit 2010: pain-free walking before jogging; seed 000: 'If running without pain is "
         "impossible, then you'll have to rest'"),
    Rule("running-behind-knee",
         f"pain behind the knee for {r.LONG_STANDING_BEHIND_KNEE_DAYS.value} days or more, or that started "
         "suddenly",
         r.behind_knee_needs_a_therapist, "running", "rest",
         "Pain behind the knee that has gone on for weeks, or came on suddenly, needs some time off "
         "running and a physiotherapist's hands.",
         "seed 004: 'If there is chronic or acute pain behind your knee ... consider taking some time "
         "off from running'"),
    Rule("running-strain", "a strain (not low-grade)", lambda a: _category(a) == "strain", "running", "rest",
         "With a strain like this, rest from running at first; the programme brings it back step by "
         "step.",
         "Heiderscheit 2010 phase I; seed 000: 'If you start training before the injury is fully "
         "healed, you run the risk of prolonging the injury'"),
    Rule("running-pain-4-to-6", "pain 4 to 6 out of 10",
         _pain_between(r.SAFE_PAIN_MAX.value + 1, r.RUN_THROUGH_PAIN_MAX.value), "running", "easy_only",
         "At this level of pain you can run easy, but no speed work or hills, and stop if the pain "
         "rises.",
         "seed 004: 'If you run through this injury, definitely avoid speed and hills'"),
    Rule("running-walks-normally", "walks normally, pain only in certain positions",
         lambda a: r.tests_positive(a) and not r.limping(a) and not r.pain_walking(a),
         "running", "easy_only",
         "You can walk normally and it hurts only in certain positions, so try an easy run and see how "
         "it feels afterwards. Stop if the pain increases.",
         "seed 000: 'if you can walk normally, but have pain in certain positions, go ahead and try an "
         "easy run'"),
    Rule("running-tendinopathy", "a tendinopathy", lambda a: _category(a) == "tendinopathy",
         "running", "easy_only",
         "Keep runs easy and put speed workouts and hill repeats on hold: running hard on a sore "
         "tendon makes it worse.",
         "seed 000: 'The longer you run with hamstring tendinopathy, the worse it will get ... put the "
         "speed workouts and hill repeats on hold'"),
    Rule("running-low-grade-strain", "a low-grade strain", lambda a: _category(a) == "strain_low_grade",
         "running", "easy_only",
         "Easy running only, and stop if the pain increases.",
         "seed 000: 'Those with a low grade pain can try to continue running, but if the pain "
         "increases, then it's time to stop'"),
    Rule("running-sudden-start", "a sudden start, even if it looks like tightness",
         lambda a: r.sudden_or_unknown_onset(a) and _category(a) == "tightness", "running", "easy_only",
         "Because it came on suddenly, keep runs easy with no speed work until it has stayed quiet "
         "for a week.",
         "seed 000: speed and hill work on hold; clinical judgement: a sudden onset is the strain "
         "mechanism"),
    Rule("running-pain-unknown", "pain score not given", lambda a: r.pain(a) is None,
         "running", "easy_only",
         "Without a pain score, easy runs only to be safe.",
         "clinical judgement: unknown pain is treated cautiously"),
    Rule("running-keep", "none of the above: low pain, walking normally, tests clear",
         lambda a: True, "running", "keep_running",
         "You can keep running, and strength work will help. If the pain increases, stop.",
         "seed 000: 'Those with a low grade pain can try to continue running, but if the pain "
         "increases, then it's time to stop'"),

    # ---- Care today. ----------------------------------------------------------------------------
    Rule("acute-ice",
         f"felt it happen (sudden start) within the last {r.ACUTE_CARE_DAYS.value} days",
         lambda a: r.sudden_or_unknown_onset(a) and r.days(a) is not None
         and r.days(a) <= r.ACUTE_CARE_DAYS.value,
         "acute_care", True,
         "You felt it happen in the last three days: ice it now, for up to 72 hours after it happened, "
         "then switch to heat.",
         "seed 000: 'If you felt the injury happen, apply ice immediately afterward for up to 72 hours. "
         "After that timeframe, switch to heat'"),
    Rule("after-72-hours-heat",
         f"felt it happen more than {r.ACUTE_CARE_DAYS.value} days ago",
         lambda a: a.get("onset") == "sudden" and r.days(a) is not None
         and r.days(a) > r.ACUTE_CARE_DAYS.value,
         "note", "",
         "It is more than 72 hours since it happened, so use heat rather than ice.",
         "seed 000: 'After that timeframe, switch to heat'"),

    # ---- A physiotherapist even without a red flag. ---------------------------------------------
    Rule("professional-red-flag", "any red flag", r.refer, "see_professional", True,
         "Book a clinician: a doctor, or a physiotherapist who can refer you on.",
         "design.md §3 red flags"),
    Rule("professional-behind-knee",
         f"pain behind the knee for {r.LONG_STANDING_BEHIND_KNEE_DAYS.value} days or more, or that started "
         "suddenly",
         r.behind_knee_needs_a_therapist, "see_professional", True,
         "Pain behind the knee like this deserves a physiotherapist's look for local treatment.",
         "seed 004: 'refer to a professional therapist for localized treatment'"),
    Rule("professional-strain", "a strain (not low-grade)", lambda a: _category(a) == "strain",
         "see_professional", True,
         "A physiotherapist can give a strain like this a structured plan; it is worth booking.",
         "seed 000: 'severe cases should seek physical therapy to help with a more structured treatment "
         "plan'"),
    Rule("professional-not-settling", f"pain for {r.NOT_SETTLING_DAYS.value} days or more",
         lambda a: (r.days(a) or 0) >= r.NOT_SETTLING_DAYS.value, "see_professional", True,
         "It has gone on for six weeks or more, so have a physiotherapist look at it as well.",
         "seed 000: 'severe cases should seek physical therapy'; clinical judgement: six weeks"),

    # ---- Likely causes. -------------------------------------------------------------------------
    Rule("cause-training-change", "recently added speed, hills or a jump in mileage",
         lambda a: a.get("training_change") == "yes", "note", "",
         "The likely cause is the recent speed work, hills or extra mileage: that is how hamstrings "
         "get overloaded. Build back gradually.",
         "seed 000: 'a runner introduces speed or hill workouts before they're ready'; seed 004: "
         "'Sudden increases in mileage without adequate time for recovery'"),
    Rule("cause-speed-burst", "a sudden start, not referred",
         lambda a: a.get("onset") == "sudden" and not r.refer(a), "note", "",
         "Hamstrings usually strain in a sudden burst of speed, so speed work comes back last, after a "
         "proper warm-up.",
         "seed 000: 'Hamstring injuries typically occur after sudden bursts of speed'; seed 004: 'Doing "
         "speedwork without warming up properly'"),
    Rule("cause-other", "gradual start, no training change, and not referred",
         lambda a: a.get("onset") == "gradual" and a.get("training_change") == "no" and not r.refer(a),
         "note", "",
         "Common causes without a training change are weak glutes, tight quads tilting the pelvis, "
         "and leaning forward when you run; the strength work targets them.",
         "seed 000: 'weak glutes means the hamstrings have to work even harder'; seed 004: 'Poor "
         "running form and core strength'"),
    Rule("no-stretching-into-pain", "tightness or tendinopathy",
         lambda a: _category(a) in ("tightness", "tendinopathy"), "note", "",
         "Don't try to stretch it away: endless stretching of tight hamstrings doesn't fix them and "
         "can lead to injury. Strength work does.",
         "seed 000: 'we start stretching and stretching and....well that doesn't fix the issue, but it "
         "can lead us straight in to an injury!'; Goom 2016"),
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
        reasons=tuple(Reason(rule_id=rule.id, text=rule.reason, source=rule.source) for rule in chosen),
    )


def rule(rule_id: str) -> Rule:
    return next(rule for rule in RULES if rule.id == rule_id)
