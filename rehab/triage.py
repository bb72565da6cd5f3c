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
    # The thresholds whose numbers `when` and `reason` state: the texts are formatted from them.
    thresholds: tuple[r.Threshold, ...] = ()


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

RULES: tuple[Rule, ...] = (
    # ---- Red flags: any one means a clinician, not a programme. --------------------------------
    Rule(id="red-flag-severe-tear",
         when=f"a snap or pop with bruising or a limp, or sudden severe pain ({_SEVERE}+/{_SCALE}) with a "
              "limp",
         test=r.suspected_severe_tear, sets="red_flag", value="suspected_severe_tear",
         reason="A pop with bruising or a limp, or sudden severe pain with a limp, can mean a bad tear or "
                "the tendon pulling off the bone. A clinician should see it within days: early repair gets "
                "runners back weeks sooner.",
         source="seed 000 signs of injury; seed 004: 'the hamstring can even detach from the pelvis'; "
                "Subbu 2015",
         thresholds=(r.SEVERE_PAIN_MIN,)),
    Rule(id="red-flag-nerve", when="numbness, tingling or pain shooting down the lower leg",
         test=r.nerve_symptoms, sets="red_flag", value="nerve_symptoms",
         reason="Numbness, tingling or pain shooting below the knee points to a nerve, often from the back, "
                "rather than the hamstring itself. That needs a clinician to check, not hamstring exercises.",
         source="seed 004: 'numbness in the lower leg ... refer to a professional therapist'; "
                "Yale ICPCP case table"),
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
         when=f"sudden start with a limp, bruising, a pop, pain {_STRAIN}/{_SCALE} or more, or pain while "
              f"walking for more than {_SLOW_WALKING_AFTER}",
         test=lambda a: r.sudden_or_unknown_onset(a) and (
             r.limping(a) or r.bruising_seen(a) or r.pop_felt(a)
             or _pain_at_least(r.STRAIN_PAIN_MIN.value)(a)
             or (r.pain_walking(a) and (r.days(a) or 0) >= r.SLOW_WALKING_RECOVERY_DAYS.value)),
         sets="category", value="strain",
         reason="It started suddenly and shows signs of a real strain, such as a limp, bruising, a pop, "
                f"higher pain or walking still hurting after {_SLOW_WALKING_AFTER}. That most likely means a "
                "hamstring strain.",
         source="seed 000 signs of injury; Warren 2010; Jacobsen 2016",
         thresholds=(r.STRAIN_PAIN_MIN, r.SLOW_WALKING_RECOVERY_DAYS)),
    Rule(id="category-sudden-twinge-tightness",
         when=f"sudden start, but the at-home tests are clear, walking is fine and pain is {_SAFE}/{_SCALE} "
              "or less",
         test=lambda a: r.sudden_or_unknown_onset(a) and r.tests_clear(a) and not r.injury_signs(a)
         and _pain_between(0, r.SAFE_PAIN_MAX.value)(a),
         sets="category", value="tightness",
         reason="It came on suddenly, but the at-home tests were clear and walking is fine, so it is most "
                "likely tightness rather than a tear.",
         source="seed 000 'At Home Tests' and 'a strain, a little tightness or just a bad day'",
         thresholds=(r.SAFE_PAIN_MAX,)),
    Rule(id="category-low-grade-strain", when="any other sudden start",
         test=r.sudden_or_unknown_onset, sets="category", value="strain_low_grade",
         reason="It started suddenly, and you can walk normally, so it is most likely a low-grade strain.",
         source="seed 000: 'Hamstring injuries typically occur after sudden bursts of speed'"),
    Rule(id="category-tendinopathy",
         when="gradual start with a painful at-home test or another sign of injury, or tests not done",
         test=lambda a: r.injury_signs(a) or not r.tests_clear(a), sets="category", value="tendinopathy",
         reason="It built up gradually and the tests point at the hamstring, so it is most likely an "
                "overloaded hamstring tendon, a tendinopathy. If you could not do the tests, we treat it as "
                "one to be safe.",
         source="seed 000: 'Distance runners are more prone to what is called tendinopathy'; 'At Home "
                "Tests'"),
    Rule(id="category-tightness", when="gradual start and the at-home tests are clear",
         test=lambda a: True, sets="category", value="tightness",
         reason="It built up gradually and the at-home tests were clear, so it is most likely tight "
                "hamstrings rather than an injury.",
         source="seed 000: 'many runners become quad dominant and this results in tight hamstrings'"),

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
    Rule(id="running-limp", when="limping or unable to walk normally", test=r.limping, sets="running",
         value="rest",
         reason="You're limping, so rest from running for now. Swimming, cycling or yoga are fine if they "
                "don't hurt.",
         source="seed 000: 'If the injury is bad enough to alter your gait, then rest is in order'"),
    # The id keeps the number it was filed under: stored plans cite it.
    Rule(id="running-pain-over-6", when=f"pain above {_RUN_THROUGH}/{_SCALE}",
         test=_pain_at_least(r.RUN_THROUGH_PAIN_MAX.value + 1), sets="running", value="rest",
         reason=f"Your pain is above {r.out_of_ten(_RUN_THROUGH)}, which is too much to run through. Rest "
                "from running and cross-train if it doesn't hurt.",
         source="seed 004: 'run through soreness by monitoring your pain scale (6 out of 10 or lower)'",
         thresholds=(r.RUN_THROUGH_PAIN_MAX,)),
    Rule(id="running-walking-hurts", when="pain while walking", test=r.pain_walking, sets="running",
         value="rest",
         reason="Walking still hurts, so hold off running until you can walk without pain.",
         source="Heiderscheit 2010: pain-free walking before jogging; seed 000: 'If running without pain is "
                "impossible, then you'll have to rest'"),
    Rule(id="running-behind-knee",
         when=f"pain behind the knee for {_BEHIND_KNEE_DAYS} days or more, or that started suddenly",
         test=r.behind_knee_needs_a_therapist, sets="running", value="rest",
         reason="Pain behind the knee that has gone on for weeks, or came on suddenly, needs some time off "
                "running and a physiotherapist's hands.",
         source="seed 004: 'If there is chronic or acute pain behind your knee ... consider taking some time "
                "off from running'",
         thresholds=(r.LONG_STANDING_BEHIND_KNEE_DAYS,)),
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
    Rule(id="running-walks-normally", when="walks normally, pain only in certain positions",
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
    Rule(id="running-sudden-start", when="a sudden start, even if it looks like tightness",
         test=lambda a: r.sudden_or_unknown_onset(a) and _category(a) == "tightness", sets="running",
         value="easy_only",
         reason="Because it came on suddenly, keep runs easy with no speed work until it has stayed quiet "
                f"for {r.days_in_words(r.QUIET_BEFORE_SPEED_DAYS.value)}.",
         source="seed 000: speed and hill work on hold; clinical judgement: a sudden onset is the strain "
                "mechanism",
         thresholds=(r.QUIET_BEFORE_SPEED_DAYS,)),
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
         when=f"felt it happen (sudden start) within the last {_ICE_DAYS} days",
         test=lambda a: r.sudden_or_unknown_onset(a) and r.days(a) is not None
         and r.days(a) <= r.ACUTE_CARE_DAYS.value,
         sets="acute_care", value=True,
         reason=f"You felt it happen in the last {r.days_in_words(_ICE_DAYS)}: ice it now, for up to "
                f"{_ICE_HOURS} hours after it happened, then switch to heat.",
         source="seed 000: 'If you felt the injury happen, apply ice immediately afterward for up to 72 "
                "hours. After that timeframe, switch to heat'",
         thresholds=(r.ACUTE_CARE_DAYS,)),
    Rule(id="after-72-hours-heat",
         when=f"felt it happen more than {_ICE_DAYS} days ago",
         test=lambda a: a.get("onset") == "sudden" and r.days(a) is not None
         and r.days(a) > r.ACUTE_CARE_DAYS.value,
         sets="note", value="",
         reason=f"It is more than {_ICE_HOURS} hours since it happened, so use heat rather than ice.",
         source="seed 000: 'After that timeframe, switch to heat'",
         thresholds=(r.ACUTE_CARE_DAYS,)),

    # ---- A physiotherapist even without a red flag. ---------------------------------------------
    Rule(id="professional-red-flag", when="any red flag", test=r.refer, sets="see_professional", value=True,
         reason="Book a clinician: a doctor, or a physiotherapist who can refer you on.",
         source="design.md §3 red flags"),
    Rule(id="professional-behind-knee",
         when=f"pain behind the knee for {_BEHIND_KNEE_DAYS} days or more, or that started suddenly",
         test=r.behind_knee_needs_a_therapist, sets="see_professional", value=True,
         reason="Pain behind the knee like this deserves a physiotherapist's look for local treatment.",
         source="seed 004: 'refer to a professional therapist for localized treatment'",
         thresholds=(r.LONG_STANDING_BEHIND_KNEE_DAYS,)),
    Rule(id="professional-strain", when="a strain (not low-grade)", test=lambda a: _category(a) == "strain",
         sets="see_professional", value=True,
         reason="A physiotherapist can give a strain like this a structured plan; it is worth booking.",
         source="seed 000: 'severe cases should seek physical therapy to help with a more structured "
                "treatment plan'"),
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
    Rule(id="cause-other", when="gradual start, no training change, and not referred",
         test=lambda a: a.get("onset") == "gradual" and a.get("training_change") == "no" and not r.refer(a),
         sets="note", value="",
         reason="Common causes without a training change are weak glutes, tight quads tilting the pelvis, "
                "and leaning forward when you run; the strength work targets them.",
         source="seed 000: 'weak glutes means the hamstrings have to work even harder'; seed 004: 'Poor "
                "running form and core strength'"),
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
        reasons=tuple(Reason(rule_id=rule.id, text=rule.reason, source=rule.source) for rule in chosen),
    )


def rule(rule_id: str) -> Rule:
    return next(rule for rule in RULES if rule.id == rule_id)
