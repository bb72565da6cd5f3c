"""The exercise library covers everything the seeds and clinical-basis.md name, each with cues,
purpose, a dose for every stage it is used in, and a source."""

from __future__ import annotations

import pytest

from rehab.exercises import EXERCISES, STAGES, exercise
from rehab.programme import PLANS

SEED_ITEMS = {
    "glute_bridge": "seed 000", "marching_bridge": "seed 000", "ball_hamstring_curl": "seed 000",
    "loop_band_glutes": "seed 000", "core_stability": "seed 000", "leg_raises": "seed 004",
    "hamstring_curls": "seed 004", "lunges": "seed 004", "glute_activation_warmup": "seed 000",
    "foam_rolling": "seed 000", "compression_wrap": "seed 000", "swimming": "seed 000",
    "cycling": "seed 000", "yoga": "seed 000", "ice": "seed 000", "heat": "seed 000",
}
EVIDENCE_ITEMS = {
    "isometric_bridge_hold": "Goom 2016", "isometric_heel_press": "Heiderscheit 2010",
    "askling_extender": "Askling 2013", "askling_diver": "Askling 2013", "askling_glider": "Askling 2013",
    "nordic_lowers": "van Dyk 2019", "agility_drills": "Sherry & Best 2004",
}


@pytest.mark.parametrize(("exercise_id", "cited"), sorted((SEED_ITEMS | EVIDENCE_ITEMS).items()))
def test_every_item_the_sources_name_is_in_the_library_and_cites_them(exercise_id, cited):
    assert cited in exercise(exercise_id).source


@pytest.mark.parametrize("item", EXERCISES, ids=lambda e: e.id)
def test_every_item_has_two_to_four_cues_a_purpose_and_a_dose(item):
    assert 2 <= len(item.cues) <= 4
    assert item.purpose and item.source
    assert item.dosage and set(item.dosage) <= set(STAGES)
    assert all(dose.text for dose in item.dosage.values())
    assert item.kind in ("exercise", "self_care")


def test_every_exercise_a_programme_uses_has_a_dose_for_that_phase():
    for plan in PLANS.values():
        for phase in plan.phases:
            for exercise_id in phase.exercises:
                assert phase.stage in exercise(exercise_id).dosage, (exercise_id, phase.stage)


def test_the_foam_rolling_dose_is_the_seeds_ten_to_fifteen_minutes():
    assert "10–15 minutes" in exercise("foam_rolling").dosage["self_care"].text


def test_nordic_lowers_warn_against_use_in_a_fresh_strain():
    assert any("never for a fresh strain" in c for c in exercise("nordic_lowers").cautions)


def test_the_library_ids_are_unique():
    assert len({e.id for e in EXERCISES}) == len(EXERCISES)


def test_asking_for_a_stage_without_a_dose_is_a_clear_error():
    with pytest.raises(KeyError, match="nordic_lowers has no dosage for the protect stage"):
        exercise("nordic_lowers").prescribed("protect")


def test_the_exercise_pain_caution_states_the_one_pain_rule_from_its_thresholds():
    from rehab import rules

    caution = next(c for c in exercise("glute_bridge").cautions if "out of 10" in c)

    assert f"Up to {rules.out_of_ten(rules.SAFE_PAIN_MAX.value)}" in caution
    assert f"above {rules.out_of_ten(rules.ACCEPTABLE_PAIN_MAX.value)}" in caution
    assert "worse the next morning" in caution


@pytest.mark.parametrize(("exercise_id", "stage"), [
    ("glute_bridge", "protect"), ("core_stability", "protect"), ("foam_rolling", "protect"),
    ("relative_rest", "self_care"),
])
def test_a_step_back_is_a_lighter_dose_of_the_same_exercise(exercise_id, stage):
    from rehab.exercises import fewer

    usual = exercise(exercise_id).prescribed(stage)
    lighter = fewer(usual)

    assert lighter.exercise_id == usual.exercise_id and "step back" in lighter.dosage.text
    for field in ("sets", "reps", "hold_seconds", "minutes"):
        before, after = getattr(usual.dosage, field), getattr(lighter.dosage, field)
        assert (before is None and after is None) or after <= before
    assert lighter.dosage != usual.dosage
