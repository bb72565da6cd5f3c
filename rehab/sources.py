"""`hamstring-coach sources`: which seed passage or reference backs each question, threshold, rule,
exercise, criterion and piece of advice. Generated from the tables themselves, so it cannot drift
from what the product does."""

from __future__ import annotations

import textwrap

from rehab import advice
from rehab.exercises import EXERCISES
from rehab.guiding import DEFAULT_PACE, HOLD_POSITIONS, PACES
from rehab.programme import (
    CARE,
    CATEGORY_WORDS,
    CRITERIA,
    PLANS,
    REST_DAY_BETWEEN_RUNS,
    RUNNING_NOTES,
    RUNNING_WORDS,
    SITE_WORDS,
)
from rehab.questions import ASKING_ORDER, DISCLAIMER, QUESTIONS
from rehab.references import REFERENCES, references_for
from rehab.rules import THRESHOLDS
from rehab.triage import RULES

_WIDTH = 100


def _item(title: str, detail: str, source: str) -> list[str]:
    lines = [f"- {title}"]
    if detail:
        lines += textwrap.wrap(detail, _WIDTH, initial_indent="    ", subsequent_indent="    ")
    cites = ", ".join(references_for(source)) or "NO REFERENCE"
    lines += textwrap.wrap(f"source: {source} [cites: {cites}]", _WIDTH, initial_indent="    ",
                           subsequent_indent="      ")
    return lines


def _section(title: str, body: list[str]) -> list[str]:
    return ["", title, "=" * len(title), *body]


def sources_report() -> str:
    lines = ["Hamstring Coach: what backs each question, rule, exercise and piece of advice",
             "Seeds are the files in shared/seeds/ (000: running hamstring pain; 004: hamstring tendinitis).",
             "References are the short names in shared/clinical-basis.md.", DISCLAIMER]

    body: list[str] = []
    for q in QUESTIONS:
        allowed = ", ".join(q.choices) if q.kind == "choice" else f"a whole number {q.minimum}-{q.maximum}"
        unsure = f"; if unsure: {q.if_unsure}" if q.if_unsure else "; if unsure: ask again"
        body += _item(f"{q.id}: {q.spoken}", f"answers: {allowed}{unsure}", q.source)
    lines += _section("Questions (what is asked)", body)

    body = []
    for entry in ASKING_ORDER:
        body += _item(entry.question_id, entry.not_asked, entry.source)
    lines += _section("Skip logic (when a question is not asked, in asking order)", body)

    body = []
    for t in THRESHOLDS:
        body += _item(f"{t.id} = {t.value}", t.means, t.source)
    lines += _section("Thresholds", body)

    body = []
    for rule in RULES:
        value = "" if rule.sets == "note" else f" -> {rule.sets} = {rule.value}"
        numbers = f" [numbers from {', '.join(t.id for t in rule.thresholds)}]" if rule.thresholds else ""
        body += _item(f"{rule.id}: if {rule.when}{value}{numbers}", rule.reason, rule.source)
    lines += _section("Triage rules (what is decided, in order)", body)

    body = []
    for e in EXERCISES:
        doses = "; ".join(f"{stage}: {dose.text}" for stage, dose in e.dosage.items())
        detail = f"{e.purpose} How: {' '.join(e.cues)} Dose: {doses}."
        if e.cautions:
            detail += f" Cautions: {' '.join(e.cautions)}"
        body += _item(f"{e.name} ({e.kind.replace('_', '-')})", detail, e.source)
    lines += _section("Exercises and self-care (what is prescribed)", body)

    body = []
    for pace in (*PACES, DEFAULT_PACE):
        name = "any other exercise" if pace is DEFAULT_PACE else pace.exercise_id
        body += _item(f"{name}: {pace.seconds_per_rep} seconds a repetition", pace.why, pace.source)
    for row in HOLD_POSITIONS:
        body += _item(f"{row.exercise_id}: each set is {' '.join(row.positions)}", row.why, row.source)
    lines += _section("Guided sessions: how fast the voice counts each exercise", body)

    body = []
    for category, plan in PLANS.items():
        body += _item(f"{category}: {plan.title}", "", plan.source)
        for phase in plan.phases:
            gate = " (only after the return-to-run criteria)" if phase.after_return_to_run else ""
            body.append(f"    {phase.name}: {phase.weeks} week(s), running up to {phase.running}{gate}; "
                        f"move on when: {', '.join(phase.move_on) or 'end of programme'}")
    lines += _section("Programmes and their phases", body)

    body = []
    for criterion in CRITERIA.values():
        body += _item(f"{criterion.id}: {criterion.text}", "", criterion.source)
    lines += _section("Criteria to move on", body)

    body = []
    for kind, (note, source) in RUNNING_NOTES.items():
        body += _item(f"running {kind}", note, source)
    body += _item("a rest day between walk-jogs", *REST_DAY_BETWEEN_RUNS)
    for plan in PLANS.values():
        for phase in plan.phases:
            if phase.running_note:
                body += _item(f"running in '{phase.name}' ({plan.title})", phase.running_note, plan.source)
    for item in CARE:
        body += _item(f"{item.id}: when {item.when}", item.text, item.source)
    lines += _section("Running and care advice", body)

    body = []
    for item in advice.TODAYS_CARE:
        body += _item(item.care_id, item.why, item.source)
    lines += _section("Today's care the voice says (the first that applies)", body)

    body = []
    for category, words in CATEGORY_WORDS.items():
        body += _item(f"category {category}", f"Most likely {words}.", PLANS[category].source)
    for site, words in SITE_WORDS.items():
        site_rule = next(rule for rule in RULES if rule.sets == "site" and rule.value == site)
        body += _item(f"site {site}", words, site_rule.source)
    for row in advice.RUNNING_HEADLINES:
        body += _item(f"running {row.id}: {row.text}", RUNNING_WORDS[row.id], row.source)
    for row in advice.RED_FLAGS:
        body += _item(f"red flag {row.id}", row.text, row.source)
    lines += _section("The words of the outcome (page, PDF and voice)", body)

    body = []
    for row in (*advice.WHEN_TO_SEE_A_CLINICIAN, *advice.PAIN_GUIDE):
        body += _item(row.id, row.text, row.source)
    lines += _section("Printed on every plan: when to see a clinician, and the pain guide", body)
    lines += _adaptation_sections()
    lines += _section("References (what users see instead of the source strings above: a numbered marker "
                      "into this list)", [f"  {ref.key}: {ref.text()}" for ref in REFERENCES])
    return "\n".join(lines) + "\n"


_SIGN_OFF = "a synthesis awaiting a clinician's sign-off"


def _adaptation_sections() -> list[str]:
    """The coaching loop (rehab.adaptation): the pain rule, the verdicts, their numbers, the gates'
    questions and the walk-run ladder, each number saying whether it awaits a clinician's sign-off."""
    from rehab import adaptation
    from rehab.programme import LADDER

    def status(awaiting: bool) -> str:
        return f" [{_SIGN_OFF}]" if awaiting else " [as the source states it]"

    lines: list[str] = []
    body: list[str] = []
    for row in adaptation.PAIN_RULE:
        body += _item(f"{row.id}: {row.light}{status(row.awaiting_sign_off)}", row.when, row.source)
    lines += _section("Check-ins: the one pain rule for exercise and running", body)

    body = []
    for rule in adaptation.VERDICT_RULES:
        detail = f"When: {rule.when} Does: {rule.does} Says: {rule.says}"
        body += _item(f"{rule.id} -> {rule.verdict}{status(rule.awaiting_sign_off)}", detail, rule.source)
    lines += _section("Check-ins: verdicts and what each does to the load (in the order tried)", body)

    body = []
    for limit in adaptation.LIMITS:
        title = f"{limit.id} = {limit.value}{status(limit.awaiting_sign_off)}"
        body += _item(title, limit.means, limit.source)
    lines += _section("Check-ins: thresholds", body)

    body = []
    for criterion in CRITERIA.values():
        body += _item(f"{criterion.id}: {criterion.question}", criterion.text, criterion.source)
    lines += _section("Gates: each criterion's spoken yes/no question", body)

    body = []
    for stage in LADDER:
        body += _item(f"walk-run stage {stage.stage}{status(True)}",
                      f"{stage.text} Do it twice, green, with a rest day between, before the next stage; a "
                      "stage that brings pain, swelling or a limp steps back one stage for a few days, "
                      "then is tried again. Start only once a "
                      f"brisk {adaptation.BRISK_WALK_MINUTES.value}-minute walk is pain-free and limp-free.",
                      stage.source)
    lines += _section("Running back: the graded walk-run ladder (level ground, no hills)", body)
    return lines
