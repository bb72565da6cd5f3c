"""The pace a guided session counts each exercise at (rehab.guiding): every row names an exercise
the library has, a pace read from a cue quotes that cue, every other pace is marked as a judgement
awaiting a clinician, and `hamstring-coach sources` lists them all."""

from __future__ import annotations

import re

from rehab.exercises import EXERCISES
from rehab.guiding import DEFAULT_PACE, HOLD_POSITIONS, PACES, hold_positions, pace_of
from rehab.rules import AWAITING_REVIEW
from rehab.sources import sources_report

# SSML's longest pause: one repetition is counted within one break.
MAX_BREAK_SECONDS = 10


def test_every_pace_names_an_exercise_in_the_library_and_judgements_await_review():
    library = {e.id: e for e in EXERCISES}
    assert len({pace.exercise_id for pace in PACES}) == len(PACES)
    for pace in (*PACES, DEFAULT_PACE):
        assert 1 <= pace.seconds_per_rep <= MAX_BREAK_SECONDS, pace
        quoted = re.search(r"cue: '([^']+)'", pace.source)
        if quoted:  # read from a cue: the cue says it, and the exercise's own source backs it
            item = library[pace.exercise_id]
            assert quoted[1] in " ".join(item.cues) and item.source in pace.source, pace
        else:
            assert AWAITING_REVIEW in pace.source, pace
        if pace is not DEFAULT_PACE:
            assert library[pace.exercise_id].kind == "exercise"


def test_an_exercise_without_a_row_is_counted_at_the_default_pace():
    listed = {pace.exercise_id for pace in PACES}
    unlisted = next(e.id for e in EXERCISES if e.kind == "exercise" and e.id not in listed)
    assert pace_of(unlisted) is DEFAULT_PACE
    assert pace_of("glute_bridge").seconds_per_rep == 4


def test_the_sources_report_lists_every_pace_with_its_source():
    listed = sources_report().split("Guided sessions: how fast the voice counts each exercise")[1]
    for pace in PACES:
        assert f"- {pace.exercise_id}: {pace.seconds_per_rep} seconds a repetition" in listed
    assert f"- any other exercise: {DEFAULT_PACE.seconds_per_rep} seconds a repetition" in listed


def test_the_positions_of_a_timed_set_belong_to_a_timed_exercise_and_await_review():
    library = {e.id: e for e in EXERCISES}
    for row in HOLD_POSITIONS:
        item = library[row.exercise_id]
        assert all(dose.hold_seconds for dose in item.dosage.values()), row
        assert AWAITING_REVIEW in row.source and len(row.positions) >= 2
        assert hold_positions(row.exercise_id) == row.positions
    assert hold_positions("glute_bridge") == ()
    listed = sources_report().split("Guided sessions: how fast the voice counts each exercise")[1]
    assert "- core_stability: each set is Front plank." in listed
