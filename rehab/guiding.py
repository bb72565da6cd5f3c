"""How a guided session paces an exercise when the coach counts it out loud ("start my session"):
the seconds one repetition takes, by exercise. The dose itself (sets, reps, holds) is the
programme's, from rehab.exercises; this table only says how fast to count it.

The sources give a tempo for some exercises in their cues ("lower slowly over three seconds"); the
others are a judgement made for the voice, marked as awaiting a clinician's sign-off, and listed by
`hamstring-coach sources` with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

from rehab.exercises import exercise
from rehab.rules import awaiting_review


@dataclass(frozen=True)
class Pace:
    exercise_id: str
    seconds_per_rep: int
    why: str
    source: str


def _from_cue(exercise_id: str, cue: str) -> str:
    """The exercise's own source, and the words of its cue the pace is read from."""
    if cue not in " ".join(exercise(exercise_id).cues):
        raise ValueError(f"{exercise_id} has no cue saying {cue!r}")
    return f"{exercise(exercise_id).source}; pace from its cue: '{cue}'"


_JUDGEMENT = awaiting_review("clinical judgement for the voice: a controlled, unhurried repetition")

# Any exercise not listed: a controlled repetition of about three seconds.
DEFAULT_PACE = Pace(
    exercise_id="*", seconds_per_rep=3,
    why="A controlled repetition, neither rushed nor held: about three seconds.",
    source=_JUDGEMENT,
)

PACES: tuple[Pace, ...] = (
    Pace("glute_bridge", 4, "Lift for about a second, lower over three seconds, as its cue says.",
         _from_cue("glute_bridge", "Lower slowly over three seconds")),
    Pace("leg_raises", 4, "Lift for about a second, lower over three seconds, as its cue says.",
         _from_cue("leg_raises", "Lower it slowly over three seconds")),
    Pace("hamstring_curls", 4, "Curl for about a second, lower over three seconds, as its cue says.",
         _from_cue("hamstring_curls", "Lower slowly over three seconds")),
    Pace("ball_hamstring_curl", 5, "Curl in for a second, roll out over three to four seconds.",
         _from_cue("ball_hamstring_curl", "Roll it back out slowly over three to four seconds")),
    Pace("marching_bridge", 2, "A march is a small, quick lift of one foot.", _JUDGEMENT),
    Pace("loop_band_glutes", 2, "A clamshell or side-step against the band is short.", _JUDGEMENT),
    Pace("askling_extender", 4, "Straighten slowly, bend back slowly.", _JUDGEMENT),
    Pace("askling_diver", 4, "Tip forward slowly, return slowly.", _JUDGEMENT),
    Pace("askling_glider", 5, "A small slide out, then pulled back with the arms.", _JUDGEMENT),
    Pace("nordic_lowers", 5, "Lower as slowly as you can, then push back up.", _JUDGEMENT),
)

_BY_ID = {pace.exercise_id: pace for pace in PACES}


def pace_of(exercise_id: str) -> Pace:
    """The counting pace for an exercise (the default when the table has none)."""
    return _BY_ID.get(exercise_id, DEFAULT_PACE)


@dataclass(frozen=True)
class HoldPositions:
    """The holds one set of a timed exercise is made of, each said before it is timed."""

    exercise_id: str
    positions: tuple[str, ...]
    why: str
    source: str


HOLD_POSITIONS: tuple[HoldPositions, ...] = (
    HoldPositions(
        "core_stability", ("Front plank.", "Side plank, one side.", "Side plank, the other side."),
        "The dose is planks and side planks of the same length: a set is one front plank and a side plank "
        "on each side, as the cues list them.",
        awaiting_review("rehab.exercises core_stability: its dose ('planks and side planks') read with its "
                        "cues ('Side plank on each side'); clinical judgement for the voice"),
    ),
)

_POSITIONS_BY_ID = {row.exercise_id: row for row in HOLD_POSITIONS}


def hold_positions(exercise_id: str) -> tuple[str, ...]:
    """The positions of one set of a timed exercise, in order (empty: a single hold)."""
    row = _POSITIONS_BY_ID.get(exercise_id)
    return row.positions if row is not None else ()
