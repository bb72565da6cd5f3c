"""Sample runners for every test: their answers, their preferences and the request bodies that
carry them, each written once, named for what it is and documented with the outcome the clinical
core gives it.

Two forms of answers:
- A triage in full, the form `POST /api/plans`, `plans.service.file_plan` and the renderers take
  (JSON-shaped dicts; wrap one in `rehab.models.Answers(**sample)` where the core's model is
  wanted). Named for what the core assesses it as.
- What a runner says in a conversation, the form the conversation drivers take
  (tests/skill/voice_driver.py, tests/faults/coach_server.py): only the answers that are not "no";
  the driver answers "no" to every other question the skill asks ("others no", as the clinical
  vignettes of issue 2 are written). Named after those vignettes.

The outcomes are pinned by the tests that depend on them (voice_driver.VIGNETTES, test_pdf's
category test), not here. The samples are shared dicts: build a variant with `{**SAMPLE, ...}`,
never change one in place.
"""

from __future__ import annotations

# ---- a triage in full: the API, the store and the renderers ---------------------------------

# Back of the thigh, came on gradually ten days ago; no red flag, every test negative, pain 2/10,
# nothing changed in training. Tightness: keep running. Every question the core asks is answered,
# so the API files it as it is.
TIGHTNESS = {
    "location": "back_of_thigh", "onset": "gradual", "days_since": 10, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
    "hinge_test": "no", "heel_press_test": "no", "pain_score": 2, "training_change": "no",
}

# A sit-bone ache that came on gradually a month ago, after a change in training, with the shoe
# and hinge tests positive, pain 4/10. Tendinopathy at the top of the hamstring (proximal): easy
# running only. The renderers' sample: it leads to the longest programme (12 weeks). Pop and
# bruising are left out, so the API would refuse it as unfinished; the store and renderers
# take it.
TENDINOPATHY = {
    "location": "lower_buttock", "onset": "gradual", "days_since": 30, "pain_walking": "no",
    "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "yes", "hinge_test": "yes",
    "heel_press_test": "no", "pain_score": 4, "training_change": "yes",
}

# Back of the thigh, went suddenly yesterday without a pop or bruising; walking hurts and the gait
# is altered, all three tests positive, pain 6/10. Strain: rest from running.
STRAIN = {
    "location": "back_of_thigh", "onset": "sudden", "days_since": 1, "pop": "no", "bruising": "no",
    "pain_walking": "yes", "gait_altered": "yes", "nerve_symptoms": "no", "shoe_test": "yes",
    "hinge_test": "yes", "heel_press_test": "yes", "pain_score": 6,
}

# Back of the thigh, sudden two days ago with a pop and bruising, walking hurts, pain 8/10. A
# suspected severe tear: stop running and see a clinician (a referral, no exercise programme).
SEVERE_TEAR = {
    "location": "back_of_thigh", "onset": "sudden", "days_since": 2, "pop": "yes", "bruising": "yes",
    "pain_walking": "yes", "gait_altered": "yes", "nerve_symptoms": "no", "pain_score": 8,
}

# ---- preferences ------------------------------------------------------------------------------

# Monday, Wednesday and Friday at seven in the morning, London time, from the default start.
LONDON_MWF = {"timezone": "Europe/London", "weekdays": ["MO", "WE", "FR"], "time": "07:00"}
# The same from Monday 2 March 2026: the day after the tests' clock (tests/conftest.py TEST_NOW).
LONDON_MWF_FROM_MONDAY = {**LONDON_MWF, "start_date": "2026-03-02"}

# ---- complete API request bodies --------------------------------------------------------------

# `POST /api/plans` with a finished triage and preferences: answered 201.
PLAN_REQUEST = {"answers": TIGHTNESS, "preferences": LONDON_MWF}

# ---- what a runner says in a conversation ("others no") -------------------------------------

# A sprinter who felt a pop at the sit bone: bruising, a limp, pain 8/10. Refer: stop running and
# see a clinician (suspected severe tear).
SPRINTER = dict(location="lower_buttock", onset="sudden", days_since=0, pop="yes", bruising="yes",
                gait_altered="yes", pain_score=8)
# Tight hamstrings: the back of the thigh, gradual, a week, pain 2/10. Tightness: keep running.
TIGHT = dict(location="back_of_thigh", onset="gradual", days_since=7, pain_score=2)
# A sit-bone ache of three weeks after a change in training, hinge and heel-press tests positive,
# pain 5/10. Tendinopathy, proximal: easy running only.
SIT_BONE_ACHE = dict(location="lower_buttock", onset="gradual", days_since=21, hinge_test="yes",
                     heel_press_test="yes", pain_score=5, training_change="yes")
# A twinge in strides yesterday, the shoe test positive, pain 4/10. A low-grade strain: easy
# running or rest, with today's ice-then-heat care.
STRIDES_TWINGE = dict(location="back_of_thigh", onset="sudden", days_since=1, shoe_test="yes", pain_score=4)
# Back of the thigh with pins and needles down the leg. Refer (nerve symptoms).
PINS_AND_NEEDLES = dict(location="back_of_thigh", onset="gradual", days_since=10, nerve_symptoms="yes",
                        pain_score=3)
