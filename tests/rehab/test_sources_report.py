"""`hamstring-coach sources` lists every question, rule, exercise, criterion and piece of advice with
its source, generated from the same tables the product runs on."""

from __future__ import annotations

from rehab.exercises import EXERCISES
from rehab.programme import CARE, CRITERIA
from rehab.questions import QUESTIONS
from rehab.rules import THRESHOLDS
from rehab.sources import sources_report
from rehab.triage import RULES


def test_the_report_names_every_item_of_every_table():
    report = sources_report()

    for name in ([q.id for q in QUESTIONS] + [r.id for r in RULES] + [e.name for e in EXERCISES]
                 + list(CRITERIA) + [c.id for c in CARE] + [t.id for t in THRESHOLDS]):
        assert name in report, name


def test_every_listed_item_is_followed_by_its_source():
    blocks = sources_report().split("\n- ")[1:]

    assert len(blocks) >= len(QUESTIONS) + len(RULES) + len(EXERCISES)
    assert all("source: " in block for block in blocks)


def test_the_report_groups_what_is_asked_decided_and_prescribed():
    report = sources_report()

    assert report.index("Questions") < report.index("Triage rules") < report.index("Exercises")
    assert "not a substitute for professional medical advice" in report


def test_the_console_command_prints_the_report(capsys):
    from hamstring_coach_cli import main

    assert main(["sources"]) == 0
    assert capsys.readouterr().out == sources_report()


def test_every_rule_source_is_a_seed_or_a_named_reference():
    known = ("seed 000", "seed 004", "design.md", "Heiderscheit", "Goom", "Warren", "Jacobsen", "Askling",
             "Subbu", "Sherry", "van Dyk", "van der Horst", "Yale", "NHS", "clinical judgement",
             "clinical-basis.md")
    for item in (*RULES, *QUESTIONS, *EXERCISES, *CARE, *CRITERIA.values(), *THRESHOLDS):
        assert any(name in item.source for name in known), item
