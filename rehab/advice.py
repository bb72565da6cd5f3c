"""The advice a runner reads or hears beyond their own triage reasons, as sourced tables: the
headline for each kind of running advice, the words for each red flag, the warnings and pain guide
printed on every plan, and which piece of today's care the voice says.

The page, the PDF and the voice print these words and decide nothing; `hamstring-coach sources`
lists every row. A number a row states about a threshold (a pain score, a number of days) is
formatted from that threshold (`rehab.rules`), never retyped.

Standard library only, like `rehab.rules`: the skill may read it on any turn.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rehab import rules


@dataclass(frozen=True)
class Advice:
    id: str
    text: str  # what the runner reads or hears
    source: str


# ---- The words for the outcome's public ids (design.md §3). ----------------------------------

# A headline for each `running` value; the sentence that follows it is rehab.programme.RUNNING_WORDS.
RUNNING_HEADLINES: tuple[Advice, ...] = (
    Advice(id="keep_running", text="Keep running",
           source="seed 000: 'Those with a low grade pain can try to continue running, but if the pain "
                  "increases, then it's time to stop'"),
    Advice(id="easy_only", text="Easy runs only",
           source="design.md §3 (easy pace, no speed or hills, stop if pain rises); seed 004: 'definitely "
                  "avoid speed and hills'"),
    Advice(id="rest", text="Rest from running",
           source="design.md §3 (cross-train instead); seed 000: 'switch to a cross training activity, like "
                  "swimming or cycling'"),
    Advice(id="stop_and_see_clinician", text="Stop and see a clinician",
           source="design.md §3: any red flag makes the category refer"),
)

# What each red flag is, in a line the runner can check themselves against.
RED_FLAGS: tuple[Advice, ...] = (
    Advice(id="suspected_severe_tear",
           text="Signs of a severe tear: a pop with bruising or a limp, a pop at the sit bone (bruising may "
                "not show for days), or sudden severe pain with a limp",
           source="seed 000 signs of injury; design.md §3 red flags; clinical-basis.md, Avulsion; "
                  "Subbu 2015"),
    Advice(id="nerve_symptoms", text="Numbness, tingling or pain shooting down the lower leg",
           source="seed 004: 'numbness and pain shooting down the lower leg with every step'; Yale ICPCP"),
    Advice(id="high_pain", text=f"Pain of {rules.out_of_ten(rules.SEVERE_PAIN_MIN.value)} or more",
           source="design.md §3 red flags; Jacobsen 2016 (pain is the best-supported predictor of time "
                  "lost)"),
)


# ---- Printed on every plan. ---------------------------------------------------------------------

# What should send the runner to a clinician even when today's answers did not. (The same-day
# warning about a swollen, warm calf is in the core's care advice, which every plan prints too.)
WHEN_TO_SEE_A_CLINICIAN: tuple[Advice, ...] = (
    Advice(id="see-clinician-tear-signs",
           text="A snap or pop in the buttock or thigh, bruising on the back of the thigh (it can take 3 to "
                "7 days to appear), a limp or painful sitting: see a clinician within days, not weeks.",
           source="seed 000 (signs of injury); clinical-basis.md, Avulsion (Subbu et al. 2015)"),
    Advice(id="see-clinician-nerve",
           text="Numbness, tingling or pain spreading below the knee: this may come from a nerve, not the "
                "hamstring.",
           source="seed 004 (numbness down the lower leg); clinical-basis.md, Nerve (Yale ICPCP)"),
    Advice(id="see-clinician-behind-knee",
           text="Pain behind the knee that keeps coming back, or lasts for weeks: take time off running and "
                "see a physiotherapist.",
           source="seed 004 (chronic or acute pain behind the knee)"),
    Advice(id="see-clinician-getting-worse",
           text="Pain that gets worse from one week to the next, or no progress after the first phase.",
           source="seed 000 (severe cases need physical therapy); design.md §3 (see_professional)"),
)

# How much pain during or after a session is fine, from the thresholds it states.
_PAIN_MONITORING = "clinical-basis.md, pain monitoring (Goom et al. 2016, secondary summaries)"
_SAFE = rules.SAFE_PAIN_MAX.value
_ACCEPTABLE = rules.ACCEPTABLE_PAIN_MAX.value
PAIN_GUIDE: tuple[Advice, ...] = (
    Advice(id="pain-guide-green",
           text=f"0 to {rules.out_of_ten(_SAFE)} during or after a session: fine, carry on.",
           source=_PAIN_MONITORING),
    Advice(id="pain-guide-amber",
           text=f"{_SAFE + 1} to {rules.out_of_ten(_ACCEPTABLE)}: acceptable if it settles by the next "
                "morning.",
           source=_PAIN_MONITORING),
    # One line, the check-ins' (rehab.adaptation.PAIN_RULE). Seed 004's "run through soreness at
    # 6 out of 10 or lower" stays where it decides, the first running advice (rehab.triage): printed
    # beside "above 5, do less" it told the runner two things about the same pain.
    Advice(id="pain-guide-red",
           text=f"Above {rules.out_of_ten(_ACCEPTABLE)}, or worse the next morning: do less next time.",
           source=rules.awaiting_review(
               "clinical-basis.md (pain monitoring, Goom 2016: above 5/10 reduce load); clinical "
               "judgement: during the programme this line alone, not also seed 004's 6/10 running rule")),
)


# ---- What the voice says of today's care. -------------------------------------------------------

@dataclass(frozen=True)
class SpokenCare:
    """One of rehab.programme's care items the voice may say at the end of the triage. The voice
    says one only, to keep the outcome short (design.md §5); the PDF and the page print them all."""

    care_id: str
    why: str
    source: str


# Most urgent first: the first that applies is the one the runner hears.
TODAYS_CARE: tuple[SpokenCare, ...] = (
    SpokenCare(care_id="care-watch-for-bruising",
               why="A pop without bruising yet: bruising that appears in the next days turns it into a "
                   "referral, so the runner must know to look before anything else, ice included.",
               source=rules.awaiting_review("clinical-basis.md, Avulsion (bruising may take 3-7 days to "
                                            "appear; Subbu 2015); clinical judgement: said before ice")),
    SpokenCare(care_id="care-ice",
               why="A fresh injury: ice now is the one thing that cannot wait.",
               source="seed 000: 'If you felt the injury happen, apply ice immediately afterward'"),
    SpokenCare(care_id="care-heat",
               why="Past the ice window, with a programme (never for a referral): heat before the exercises "
                   "replaces the ice the runner may expect.",
               source="seed 000: 'After that timeframe, switch to heat'"),
    SpokenCare(care_id="care-until-seen",
               why="Referred: what is safe to do until a clinician has seen it.",
               source="design.md §3: until seen, only safe self-care"),
    SpokenCare(care_id="care-foam-rolling",
               why="Otherwise the everyday self-care that suits every programme (never a referral: no "
                   "hamstring work until a clinician has seen it).",
               source="seed 000: 'daily rolling for 10-15 minutes will help increase oxygen flow to the "
                      "area'"),
)


def care_to_say(applicable: Collection[str]) -> str | None:
    """The id of the one care item the voice says today, of the care ids that apply; None when
    none of TODAYS_CARE does."""
    return next((item.care_id for item in TODAYS_CARE if item.care_id in applicable), None)
