"""A session guided by voice ("start my session"), as a pure stepper: the session's exercises cut
into steps a runner moves through with "next", and the speech for each step.

For each exercise (the programme's prescriptions of kind "exercise"; self-care such as foam
rolling is read by "what's my session today", not counted out), the steps are:
- "how": the exercise, its dose and its cues (rehab.exercises), in turns of about 30 words;
- "set": one set counted out: each repetition at the exercise's pace (rehab.guiding), or a hold
  timed with SSML breaks of at most 10 seconds, the seconds said between them ("10 ... 20 ...").
  A set done on each side, or made of several holds (rehab.guiding's positions: a plank, then a
  side plank each side), is one turn when it takes at most `MAX_COUNT_SECONDS`, else each side or
  position is a step of its own; a count longer than that is cut across turns;
- an exercise with nothing to count (minutes of a warm-up, drills over a distance) has only its
  "how" steps, ending "do it now, then say next".
The session opens with one step of its own: how many exercises, how long, and what to say.

A step is found again by its number and checked against its exercise id (`State.guided`), so a
plan revised between a pause and "resume" starts the exercise again rather than some other one.
Every word comes from the locale's prompts; the clinical content (cues, doses, pace) from rehab.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.prompts import Prompts, escape

# SSML allows at most 10 seconds in one <break>.
MAX_BREAK_SECONDS = 10
# Seconds of counting in one turn (Alexa plays at most 240 s of speech in a response; a runner
# should not wait long for the microphone either).
MAX_COUNT_SECONDS = 80
# Seconds to change sides (or position) between the parts of a set said in one turn.
SWITCH_SIDES_SECONDS = 4
# Words of cues in one "how" turn: with the lead and the ask, a turn stays within about 40 words.
HOW_WORD_BUDGET = 28
CUE_PAUSE = '<break time="1s"/>'


@dataclass(frozen=True)
class Step:
    kind: str  # "opening" | "how" | "set"
    exercise: int  # the prescription's index in the session (the screen shows the same one)
    exercise_id: str
    number: int = 0  # 1-based among the guided exercises
    # "how": the sentences to say (the first holds the exercise's name and dose).
    sentences: tuple[str, ...] = ()
    first_how: bool = False
    untimed: bool = False
    # "set": which set, of how many; the parts of it said in this step, each with what is said
    # before it ("First side.", "Front plank.", or nothing), each counted alike; the count.
    set_number: int = 0
    sets: int = 0
    labels: tuple[str, ...] = ("",)
    opens_set: bool = True
    reps: tuple[int, int] | None = None  # counted from the first to the second, inclusive
    hold: tuple[int, int] | None = None  # seconds held so far, up to the second
    hold_seconds: int = 0  # the whole hold
    pace: int = 0


@dataclass(frozen=True)
class Guide:
    """A session cut into steps."""

    steps: tuple[Step, ...]
    count: int  # exercises guided
    minutes: int

    def first_of_exercise(self, exercise_id: str) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.kind == "how" and s.exercise_id == exercise_id),
                    None)

    def next_exercise(self, index: int) -> int | None:
        """The first step of the exercise after the one step `index` belongs to (None: none left)."""
        current = self.steps[index].exercise if index > 0 else -1
        return next((i for i in range(index + 1, len(self.steps))
                     if self.steps[i].kind == "how" and self.steps[i].first_how
                     and self.steps[i].exercise > current), None)


def guided_exercises(session) -> list[int]:
    """The indexes of the session's prescriptions a guided session counts out."""
    # The exercise library (and pydantic with it) on the turn that guides, not at a cold start.
    from rehab.exercises import exercise as library_exercise

    found = []
    for index, prescription in enumerate(session.prescriptions):
        try:
            kind = library_exercise(prescription.exercise_id).kind
        except KeyError:  # an exercise the library no longer has: guide it from the plan's own words
            kind = "exercise"
        if kind == "exercise":
            found.append(index)
    return found


def guide_for(prompts: Prompts, session) -> Guide:
    indexes = guided_exercises(session)
    steps: list[Step] = []
    if indexes:
        first = session.prescriptions[indexes[0]]
        steps.append(Step("opening", indexes[0], first.exercise_id))
    for number, index in enumerate(indexes, start=1):
        steps.extend(_exercise_steps(prompts, session.prescriptions[index], index, number, len(indexes)))
    return Guide(steps=tuple(steps), count=len(indexes), minutes=session.duration_minutes)


def _exercise_steps(prompts: Prompts, prescription, index: int, number: int, count: int) -> list[Step]:
    dose = prescription.dosage
    sets = dose.sets or 0
    counted = sets > 0 and bool(dose.reps or dose.hold_seconds)
    header = prompts.say("guided_exercise", number=number, count=count, name=prescription.name,
                         dosage=prompts.dosage(dose))
    chunks = _chunks([header, *prescription.cues], HOW_WORD_BUDGET)
    base = dict(exercise=index, exercise_id=prescription.exercise_id, number=number)
    steps = [Step("how", sentences=tuple(chunk), first_how=i == 0, untimed=not counted, **base)
             for i, chunk in enumerate(chunks)]
    if not counted:
        return steps
    from rehab.guiding import hold_positions, pace_of

    pace = pace_of(prescription.exercise_id).seconds_per_rep
    one_part = (dose.reps or 0) * pace if dose.reps else dose.hold_seconds or 0
    positions = hold_positions(prescription.exercise_id) if not dose.reps else ()
    if positions:
        labels: tuple[str, ...] = positions
    elif dose.per_side:
        labels = (prompts.say("guided_first_side"), prompts.say("guided_other_side"))
    else:
        labels = ("",)
    together = len(labels) * one_part + (len(labels) - 1) * SWITCH_SIDES_SECONDS <= MAX_COUNT_SECONDS
    groups = [labels] if together else [(label,) for label in labels]
    for set_number in range(1, sets + 1):
        for group_number, group in enumerate(groups):
            for part_number, part in enumerate(_parts(dose.reps, dose.hold_seconds, pace)):
                steps.append(Step("set", set_number=set_number, sets=sets, pace=pace,
                                  labels=group if part_number == 0 else ("",),
                                  opens_set=group_number == 0 and part_number == 0,
                                  reps=part if dose.reps else None, hold=None if dose.reps else part,
                                  hold_seconds=0 if dose.reps else one_part, **base))
    return steps


def _parts(reps: int | None, hold: int | None, pace: int) -> list[tuple[int, int]]:
    """A count cut into turns of at most MAX_COUNT_SECONDS: reps (first, last), or a hold's
    seconds (from, to)."""
    if reps:
        per_turn = max(1, MAX_COUNT_SECONDS // pace)
        return [(start, min(reps, start + per_turn - 1)) for start in range(1, reps + 1, per_turn)]
    seconds = hold or 0
    per_turn = MAX_COUNT_SECONDS - MAX_COUNT_SECONDS % MAX_BREAK_SECONDS
    return [(start, min(seconds, start + per_turn)) for start in range(0, seconds, per_turn)]


def _chunks(sentences: list[str], budget: int) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    words = 0
    for sentence in sentences:
        size = len(sentence.split())
        if chunks[-1] and words + size > budget:
            chunks.append([])
            words = 0
        chunks[-1].append(sentence)
        words += size
    return chunks


# ---- speech ----------------------------------------------------------------------------------


def step_speech(prompts: Prompts, guide: Guide, index: int) -> tuple[str, str]:
    """The SSML of step `index` (without <speak>) and what it asks the runner to say next."""
    step = guide.steps[index]
    if step.kind == "opening":
        return (escape(prompts.say("guided_opening", count=guide.count, minutes=guide.minutes)),
                escape(prompts.say("guided_ask_ready")))
    if step.kind == "how":
        said = CUE_PAUSE.join(escape(sentence) for sentence in step.sentences)
        more = index + 1 < len(guide.steps) and guide.steps[index + 1].kind == "how" \
            and guide.steps[index + 1].exercise == step.exercise
        if more:
            ask = "guided_ask_more"
        elif step.untimed:
            ask = "guided_ask_untimed" if index + 1 < len(guide.steps) else "guided_ask_finish"
        else:
            ask = "guided_ask_position"
        return said, escape(prompts.say(ask))
    return _set_speech(prompts, step), escape(prompts.say(_after_set(guide, index)))


def _after_set(guide: Guide, index: int) -> str:
    if index + 1 >= len(guide.steps):
        return "guided_ask_finish"
    following = guide.steps[index + 1]
    step = guide.steps[index]
    if following.kind != "set":
        return "guided_ask_next_exercise"
    if following.set_number != step.set_number:
        return "guided_ask_next_set"
    return "guided_ask_position" if any(following.labels) else "guided_ask_carry_on"


def _set_speech(prompts: Prompts, step: Step) -> str:
    parts = []
    if step.opens_set:
        parts.append(escape(prompts.say("guided_set", number=step.set_number, sets=step.sets)))
    for number, label in enumerate(step.labels):
        if number:  # time to change side or position
            parts.append(_break(SWITCH_SIDES_SECONDS))
        if label:
            parts.append(escape(label))
        parts.append(_count(prompts, step))
    return " ".join(parts)


def _count(prompts: Prompts, step: Step) -> str:
    if step.reps is not None:
        first, last = step.reps
        lead = escape(prompts.say("guided_go" if first == 1 else "guided_keep_going"))
        counts = "".join(f"{_break(step.pace)}{n}." for n in range(first, last + 1))
        return f"{lead}{counts}"
    start, end = step.hold or (0, 0)
    lead = escape(prompts.say("guided_hold" if start == 0 else "guided_keep_holding"))
    said = []
    at = start
    while at < end:
        length = min(MAX_BREAK_SECONDS, end - at)
        at += length
        said.append(_break(length) + (f"{at}." if at < end else ""))
    finish = escape(prompts.say("guided_relax")) if end >= step.hold_seconds else ""
    return f"{lead}{''.join(said)} {finish}".strip()


def _break(seconds: int) -> str:
    return f'<break time="{min(seconds, MAX_BREAK_SECONDS)}s"/>'
