"""The exercise and self-care library, as data a physiotherapist can review like a table.

Each item has how-to cues, its purpose, a dosage for each stage of rehab it is used in, cautions
and its source. The programme builder picks items by id and stage; it never invents a dose.

Stages (what the phase of a programme asks of the hamstring):
- protect: calm it down, pain-free and mostly static loading
- strength: strength foundations
- load: heavier, slower eccentric loading
- return: getting back to full running
- maintain: prehab alongside running, and staying healthy after
- self_care: care that is not an exercise (ice, heat, rolling, cross-training)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rehab import rules
from rehab.models import Dosage, Prescription

STAGES: tuple[str, ...] = ("protect", "strength", "load", "return", "maintain", "self_care")


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    cues: tuple[str, ...]
    purpose: str
    dosage: dict[str, Dosage] = field(hash=False)
    source: str
    cautions: tuple[str, ...] = ()
    kind: str = "exercise"  # "exercise" | "self_care"

    def prescribed(self, stage: str) -> Prescription:
        if stage not in self.dosage:
            raise KeyError(f"{self.id} has no dosage for the {stage} stage")
        return Prescription(exercise_id=self.id, name=self.name, cues=self.cues, dosage=self.dosage[stage],
                            cautions=self.cautions, source=self.source)


def _d(text: str, *, sets: int | None = None, reps: int | None = None, hold: int | None = None,
       minutes: int | None = None, per_side: bool = False) -> Dosage:
    return Dosage(sets=sets, reps=reps, hold_seconds=hold, minutes=minutes, per_side=per_side, text=text)


# The one pain rule (rehab.adaptation.PAIN_RULE), as an exercise's caution says it.
_SAFE, _ACCEPTABLE = rules.SAFE_PAIN_MAX.value, rules.ACCEPTABLE_PAIN_MAX.value
_PAIN_RULE = (f"Up to {rules.out_of_ten(_SAFE)} during it is fine; {_SAFE + 1} to {_ACCEPTABLE}, keep the "
              f"same load next time; stop if it goes above {rules.out_of_ten(_ACCEPTABLE)} or is worse the "
              "next morning.")

EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        id="glute_activation_warmup",
        name="Glute-activation warm-up",
        cues=("Ten band side-steps each way with a small loop band above the knees.",
              "Ten glute bridges, squeezing at the top.",
              "Ten leg swings each side, front to back, growing gently.",
              "A minute of easy marching or skipping before you set off."),
        purpose="Wakes up the glutes so the hamstrings don't do their work on the run.",
        dosage={"return": _d("5–10 minutes before every run", minutes=10),
                "maintain": _d("5–10 minutes before every run", minutes=10),
                "strength": _d("5–10 minutes before every run", minutes=10)},
        cautions=("Leg swings stay well short of a stretch that hurts.",),
        source="seed 000: 'A glute activation warm up will keep you injury-free long term'",
    ),
    Exercise(
        id="glute_bridge",
        name="Glute bridge",
        cues=("Lie on your back, knees bent, feet flat and hip-width apart.",
              "Squeeze your glutes and lift your hips until knees, hips and shoulders line up.",
              "Lower slowly over three seconds."),
        purpose="Strong glutes take load off the hamstrings and keep the pelvis level.",
        dosage={"protect": _d("2 × 10, small and pain-free", sets=2, reps=10),
                "strength": _d("3 × 12", sets=3, reps=12),
                "load": _d("3 × 8 on one leg", sets=3, reps=8, per_side=True),
                "maintain": _d("3 × 12", sets=3, reps=12)},
        cautions=(_PAIN_RULE,),
        source="seed 000: 'focusing on our glutes, core, and hips'; glute bridge pictured in seed 000",
    ),
    Exercise(
        id="marching_bridge",
        name="Marching bridge",
        cues=("Lift into a glute bridge.",
              "Keeping the hips level, lift one foot a few centimetres, put it down, then the other.",
              "Don't let the hips drop or twist."),
        purpose="Single-leg control of the hip: the glutes and hamstrings working as they do in the stride.",
        dosage={"strength": _d("3 × 10 marches each side", sets=3, reps=10, per_side=True),
                "load": _d("3 × 12 marches each side", sets=3, reps=12, per_side=True),
                "maintain": _d("2 × 12 marches each side", sets=2, reps=12, per_side=True)},
        cautions=(_PAIN_RULE,),
        source="seed 000: 'marching bridge' (pictured, pre-hab)",
    ),
    Exercise(
        id="isometric_bridge_hold",
        name="Bridge hold (isometric)",
        cues=("Lift into a glute bridge with your hips level with your knees, not higher.",
              "Hold still, breathing normally.",
              "Push through your heels so you feel the back of the thigh working, gently."),
        purpose="Static load calms a sore hamstring tendon and starts strength without moving it.",
        dosage={"protect": _d("5 × 30-second holds, rest 1 minute", sets=5, hold=30),
                "strength": _d("5 × 45-second holds", sets=5, hold=45)},
        cautions=(f"Pain during the hold should stay at {rules.out_of_ten(_SAFE)} or less.",
                  "Keep the hip near straight: deep hip bending squeezes a sore tendon."),
        source="Goom 2016: isometrics near hip neutral first; Heiderscheit 2010 phase I isometrics",
    ),
    Exercise(
        id="isometric_heel_press",
        name="Heel press hold (isometric)",
        cues=("Lie on your back with the sore leg's knee a little bent, heel on the floor.",
              "Press the heel down into the floor as if dragging it towards you, at half effort.",
              "Hold, then relax fully."),
        purpose="Gentle, pain-free hamstring work from the first days, without stretching it.",
        dosage={"protect": _d("5 × 10-second presses at half effort", sets=5, hold=10),
                "strength": _d("5 × 20-second presses at firm effort", sets=5, hold=20)},
        cautions=("Only as hard as stays pain-free.",),
        source="Heiderscheit 2010 phase I (submaximal, pain-free isometrics); seed 000 heel press",
    ),
    Exercise(
        id="ball_hamstring_curl",
        name="Stability-ball hamstring curl",
        cues=("Lie on your back with your heels on a stability ball and lift your hips.",
              "Curl the ball in towards you with both legs.",
              "Roll it back out slowly over three to four seconds; later, roll out on one leg."),
        purpose="Eccentric hamstring strength with the ball as the load, not heavy weights.",
        dosage={"strength": _d("3 × 8, both legs", sets=3, reps=8),
                "load": _d("3 × 8: curl in with two legs, roll out slowly on one", sets=3, reps=8,
                           per_side=True),
                "return": _d("3 × 10 on one leg", sets=3, reps=10, per_side=True),
                "maintain": _d("2 × 10 on one leg", sets=2, reps=10, per_side=True)},
        cautions=(_PAIN_RULE, "Keep the hips up throughout."),
        source="seed 000: 'small loop resistance bands and a stability ball are great for recovery "
               "strength'; 'eccentric rather than concentric strengthening'",
    ),
    Exercise(
        id="loop_band_glutes",
        name="Loop-band glute work",
        cues=("Small loop band just above the knees.",
              "Clamshells: lie on your side, knees bent, and open the top knee against the band.",
              "Side-steps: in a half squat, step sideways keeping tension in the band."),
        purpose="Strengthens the side glutes that keep the pelvis level when running.",
        dosage={"protect": _d("2 × 15 clamshells each side", sets=2, reps=15, per_side=True),
                "strength": _d("3 × 15 each side, clamshells and side-steps", sets=3, reps=15, per_side=True),
                "maintain": _d("2 × 15 each side", sets=2, reps=15, per_side=True)},
        source="seed 000: 'small loop resistance bands ... allow for resistance without straining the "
               "muscle'",
    ),
    Exercise(
        id="core_stability",
        name="Core and trunk stability",
        cues=("Front plank on your forearms, body in a straight line.",
              "Side plank on each side.",
              "Dead bug: on your back, lower the opposite arm and leg slowly, keeping the back still."),
        purpose="A strong trunk stops you leaning forward and overloading the hamstrings; it cuts "
                "re-injury.",
        dosage={"protect": _d("3 × 20-second planks and side planks", sets=3, hold=20),
                "strength": _d("3 × 30-second planks and side planks, 2 × 10 dead bugs", sets=3, hold=30),
                "load": _d("3 × 45-second planks and side planks", sets=3, hold=45),
                "return": _d("3 × 45-second planks and side planks", sets=3, hold=45),
                "maintain": _d("2 × 45-second planks and side planks", sets=2, hold=45)},
        source="seed 000: 'strengthening the core, hips, and glutes'; seed 004: 'Poor running form and "
               "core strength'; Sherry & Best 2004",
    ),
    Exercise(
        id="agility_drills",
        name="Agility drills",
        cues=("Side shuffles, 10 metres each way.",
              "Grapevine (carioca): step across in front, then behind, 10 metres each way.",
              "Start slow and controlled; get quicker only while it stays pain-free."),
        purpose="Trunk control and quick feet: with core work, it cut re-injury compared with "
                "stretching and strengthening alone.",
        dosage={"strength": _d("3 × 10 metres each drill, slow", sets=3),
                "load": _d("3 × 10 metres each drill, medium pace", sets=3),
                "return": _d("4 × 10 metres each drill, quick", sets=4),
                "maintain": _d("3 × 10 metres each drill, quick", sets=3)},
        cautions=("Pain-free only.",),
        source="Sherry & Best 2004 (trunk stabilisation and agility)",
    ),
    Exercise(
        id="leg_raises",
        name="Lying leg raises (face down)",
        cues=("Lie face down, forehead on your hands.",
              "Tighten your glute and lift one straight leg a hand's width off the floor.",
              "Lower it slowly over three seconds."),
        purpose="Works the hamstring and glute together as hip extensors, at low load.",
        dosage={"strength": _d("3 × 12 each side", sets=3, reps=12, per_side=True),
                "load": _d("3 × 12 each side with an ankle weight", sets=3, reps=12, per_side=True)},
        cautions=("Don't arch the lower back to lift higher.",),
        source="seed 004: 'Leg raises' (interpreted as face-down hip extension raises)",
    ),
    Exercise(
        id="hamstring_curls",
        name="Hamstring curls",
        cues=("Standing, hold on to a chair, with a loop band around the ankles or an ankle weight.",
              "Bend the knee to bring the heel towards your buttock.",
              "Lower slowly over three seconds: the lowering is the part that counts."),
        purpose="Direct hamstring strength with a slow, eccentric lowering.",
        dosage={"strength": _d("3 × 10 each side, light band", sets=3, reps=10, per_side=True),
                "load": _d("3 × 8 each side, heavier, 3-second lowering", sets=3, reps=8, per_side=True),
                "return": _d("3 × 10 each side", sets=3, reps=10, per_side=True),
                "maintain": _d("2 × 10 each side", sets=2, reps=10, per_side=True)},
        cautions=(_PAIN_RULE,),
        source="seed 004: 'Hamstring curls'; seed 000: 'eccentric rather than concentric strengthening'",
    ),
    Exercise(
        id="lunges",
        name="Reverse lunges",
        cues=("Step back with one leg and lower the back knee towards the floor.",
              "Keep your chest tall and the front knee over the foot.",
              "Push through the front heel to come back up."),
        purpose="Hip and hamstring strength in a running-like position.",
        dosage={"load": _d("3 × 8 each side, only as deep as stays comfortable", sets=3, reps=8,
                           per_side=True),
                "return": _d("3 × 10 each side", sets=3, reps=10, per_side=True),
                "maintain": _d("2 × 10 each side", sets=2, reps=10, per_side=True)},
        cautions=("With pain at the sit bone, start shallow: deep hip bending squeezes the tendon.",),
        source="seed 004: 'Lunges'; Goom 2016 (gradually more hip flexion)",
    ),
    Exercise(
        id="askling_extender",
        name="The Extender",
        cues=("Lie on your back and hold the sore leg's thigh with both hands, hip bent to 90 degrees.",
              "Slowly straighten the knee as far as feels comfortable, just short of pain.",
              "Bend it back slowly; keep the thigh still."),
        purpose="Lengthening drill: loads the hamstring in a long position, safely and early.",
        dosage={"protect": _d("3 × 12, twice a day, pain-free", sets=3, reps=12),
                "strength": _d("3 × 12, twice a day", sets=3, reps=12)},
        cautions=("Never into pain: stop just before it.",),
        source="Askling 2013 (L-protocol); dose from a secondary source",
    ),
    Exercise(
        id="askling_diver",
        name="The Diver",
        cues=("Stand on the sore leg, knee slightly bent.",
              "Reach both arms forward as you tip forward from the hip, lifting the other leg behind.",
              "Return slowly to standing; move slowly at first."),
        purpose="Lengthening drill on one leg: hamstring control with the hip bending.",
        dosage={"strength": _d("3 × 6, every other day", sets=3, reps=6),
                "load": _d("3 × 6, every other day", sets=3, reps=6)},
        cautions=("Pain-free only; balance with a fingertip on a wall at first.",),
        source="Askling 2013 (L-protocol); dose from a secondary source",
    ),
    Exercise(
        id="askling_glider",
        name="The Glider",
        cues=("Stand holding a support, weight on the sore leg, knee slightly bent.",
              "Slide the other foot backwards on a slippery floor (a sock or towel) into a split.",
              "Pull yourself back with your arms, not the sore leg."),
        purpose="The most demanding lengthening drill: the hamstring controls a long stride.",
        dosage={"load": _d("3 × 4, every third day", sets=3, reps=4),
                "return": _d("3 × 4, every third day", sets=3, reps=4)},
        cautions=("Only once the Extender and Diver are pain-free.", "Small slide first."),
        source="Askling 2013 (L-protocol); dose from a secondary source",
    ),
    Exercise(
        id="nordic_lowers",
        name="Nordic hamstring lowers",
        cues=("Kneel with someone holding your ankles down (or hook them under a sofa).",
              "Keep a straight line from knees to head and lower yourself forward as slowly as you can.",
              "Catch yourself with your hands and push back up."),
        purpose="Heavy eccentric hamstring strength: halves the risk of a hamstring injury when done "
                "regularly.",
        dosage={"return": _d("2 × 5, twice a week", sets=2, reps=5),
                "maintain": _d("2 × 5, once or twice a week", sets=2, reps=5)},
        cautions=("Late in strain rehab and for prevention only, never for a fresh strain.",
                  "Expect muscle soreness for a day or two when you start."),
        source="van Dyk 2019 (risk ratio 0.49)",
    ),

    # ---- Self-care ----------------------------------------------------------------------------
    Exercise(
        id="foam_rolling",
        name="Foam rolling (self-massage)",
        cues=("Sit with the back of the thigh on a foam roller, hands behind you taking your weight.",
              "Roll slowly from just above the knee to just below the buttock.",
              "Roll lightly at first: hold more of your weight on your hands."),
        purpose="Keeps the muscles from bunching up and helps blood flow.",
        dosage={"self_care": _d("10–15 minutes a day while not running; before and after runs when running",
                                minutes=15),
                "protect": _d("10–15 minutes a day, lightly", minutes=15),
                "strength": _d("before and after runs, or 10–15 minutes on other days", minutes=10),
                "maintain": _d("before and after runs", minutes=5)},
        cautions=("Not over a suspected tear.",
                  "Roll the muscle, not straight onto a sore sit bone or the back of the knee."),
        source="seed 000: 'daily rolling for 10-15 minutes'; seed 004: 'roll lightly by holding yourself up'",
        kind="self_care",
    ),
    Exercise(
        id="compression_wrap",
        name="Compression wrap for easy runs",
        cues=("Wear a thigh compression sleeve or wrap during or after easy runs.",
              "Snug, not tight: no tingling or colour change below it."),
        purpose="Supports the hamstring and quadriceps while you can run easy.",
        dosage={"self_care": _d("during or after each easy run"),
                "protect": _d("during or after each easy run"),
                "strength": _d("during or after each easy run")},
        cautions=("Take it off if your foot tingles, goes numb or changes colour.",),
        source="seed 000: 'consider wearing a compression wrap on your thigh during or after your run'",
        kind="self_care",
    ),
    Exercise(
        id="swimming",
        name="Cross-training: swimming",
        cues=("Easy, continuous swimming instead of a run.", "Use a pull buoy if kicking hurts."),
        purpose="Keeps your fitness while running hurts.",
        dosage={"self_care": _d("20–40 minutes, as long as it doesn't hurt", minutes=30),
                "protect": _d("20–40 minutes, as long as it doesn't hurt", minutes=30)},
        cautions=("Only if it doesn't cause pain.",),
        source="seed 000: 'switch to a cross training activity, like swimming or cycling, as long as it "
               "doesn't cause pain'",
        kind="self_care",
    ),
    Exercise(
        id="cycling",
        name="Cross-training: cycling",
        cues=("Easy spinning, light gears, on a bike or an indoor trainer.",
              "Saddle high enough that the knee stays slightly bent at the bottom."),
        purpose="Keeps your fitness while running hurts.",
        dosage={"self_care": _d("20–40 minutes, as long as it doesn't hurt", minutes=30),
                "protect": _d("20–40 minutes, as long as it doesn't hurt", minutes=30)},
        cautions=("Only if it doesn't cause pain.",
                  "With pain at the sit bone, sit upright: leaning far forward squeezes the tendon."),
        source="seed 000: 'like swimming or cycling, as long as it doesn't cause pain'",
        kind="self_care",
    ),
    Exercise(
        id="yoga",
        name="Cross-training: gentle yoga",
        cues=("A gentle or beginners' class or video.",
              "Skip deep forward folds; bend the knees in any pose that pulls on the back of the thigh."),
        purpose="Mobility and strength while you rest from running.",
        dosage={"self_care": _d("20–30 minutes", minutes=25),
                "protect": _d("20–30 minutes", minutes=25)},
        cautions=("Never stretch into pain.",),
        source="seed 000: 'start doing yoga like you've always wanted'",
        kind="self_care",
    ),
    Exercise(
        id="relative_rest",
        name="Rest from running and hamstring exercise",
        cues=("No running, sprinting or hamstring exercises until a clinician has seen it.",
              "Daily walking only as far as is comfortable.",
              "Don't stretch the back of the thigh."),
        purpose="Protects the leg until a clinician has looked at it.",
        dosage={"self_care": _d("every day until you are seen")},
        cautions=("Get help the same day if the calf or thigh swells, turns red or warm, or your "
                  "foot goes weak or numb.",),
        source="design.md §3 (refer: only safe self-care until seen); Subbu 2015",
        kind="self_care",
    ),
    Exercise(
        id="ice",
        name="Ice",
        cues=("Wrap ice or a cold pack in a thin towel.",
              "Hold it on the sore spot for 10–15 minutes, a few times a day."),
        purpose="For the first 72 hours after an injury you felt happen.",
        dosage={"self_care": _d("10–15 minutes, a few times a day, for up to 72 hours", minutes=15)},
        cautions=("Never ice straight onto skin.", "After 72 hours switch to heat."),
        source="seed 000: 'apply ice immediately afterward for up to 72 hours'",
        kind="self_care",
    ),
    Exercise(
        id="heat",
        name="Heat",
        cues=("A warm (not hot) pack or a warm bath.", "15–20 minutes before your exercises."),
        purpose="After the first 72 hours, warmth eases stiffness.",
        dosage={"self_care": _d("15–20 minutes, before exercise", minutes=20)},
        cautions=("Not in the first 72 hours after an injury you felt happen.",),
        source="seed 000: 'After that timeframe, switch to heat'",
        kind="self_care",
    ),
)

_BY_ID: dict[str, Exercise] = {e.id: e for e in EXERCISES}


def exercise(exercise_id: str) -> Exercise:
    return _BY_ID[exercise_id]


def fewer(prescription: Prescription) -> Prescription:
    """The same exercise a step back, for two or three days after a bad day (clinical-basis.md,
    flares: "fewer reps"): one set fewer; a single set or a timed dose at half its length."""
    dose = prescription.dosage
    if dose.sets and dose.sets > 1:
        text = f"{dose.text} (step back: {dose.sets - 1} sets, not {dose.sets})"
        lighter = dose.model_copy(update={"sets": dose.sets - 1, "text": text})
    elif dose.reps and dose.reps > 1:
        lighter = dose.model_copy(update={"reps": dose.reps // 2,
                                          "text": f"{dose.text} (step back: half the reps)"})
    elif dose.hold_seconds and dose.hold_seconds > 1:
        lighter = dose.model_copy(update={"hold_seconds": dose.hold_seconds // 2,
                                          "text": f"{dose.text} (step back: half as long)"})
    elif dose.minutes and dose.minutes > 1:
        lighter = dose.model_copy(update={"minutes": dose.minutes // 2,
                                          "text": f"{dose.text} (step back: half as long)"})
    else:
        lighter = dose.model_copy(update={"text": f"{dose.text} (step back: gently, well short of pain)"})
    return prescription.model_copy(update={"dosage": lighter})
