"""`hamstring-coach sources`: which seed passage or reference backs each question, threshold, rule,
exercise, criterion and piece of advice. Generated from the tables themselves, so it cannot drift
from what the product does."""

from __future__ import annotations

import textwrap

from rehab.exercises import EXERCISES
from rehab.programme import CARE, CRITERIA, PLANS, REST_DAY_BETWEEN_RUNS, RUNNING_NOTES
from rehab.questions import DISCLAIMER, QUESTIONS
from rehab.rules import THRESHOLDS
from rehab.triage import RULES

_WIDTH = 100


def _item(title: str, detail: str, source: str) -> list[str]:
    lines = [f"- {title}"]
    if detail:
        lines += textwrap.wrap(detail, _WIDTH, initial_indent="    ", subsequent_indent="    ")
    lines += textwrap.wrap(f"source: {source}", _WIDTH, initial_indent="    ", subsequent_indent="      ")
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
    for t in THRESHOLDS:
        body += _item(f"{t.id} = {t.value}", t.means, t.source)
    lines += _section("Thresholds", body)

    body = []
    for rule in RULES:
        value = "" if rule.sets == "note" else f" -> {rule.sets} = {rule.value}"
        body += _item(f"{rule.id}: if {rule.when}{value}", rule.reason, rule.source)
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
    return "\n".join(lines) + "\n"
