"""`hamstring-coach sources` lists every question, rule, exercise, criterion and piece of advice with
its source, generated from the same tables the product runs on."""

from __future__ import annotations

from rehab import advice
from rehab.exercises import EXERCISES
from rehab.programme import CARE, CATEGORY_WORDS, CRITERIA, RUNNING_WORDS, SITE_WORDS
from rehab.questions import ASKING_ORDER, QUESTIONS
from rehab.rules import SEVERE_PAIN_MIN, THRESHOLDS
from rehab.sources import sources_report
from rehab.triage import RULES


def test_the_report_names_every_item_of_every_table():
    report = sources_report()

    for name in ([q.id for q in QUESTIONS] + [r.id for r in RULES] + [e.name for e in EXERCISES]
                 + list(CRITERIA) + [c.id for c in CARE] + [t.id for t in THRESHOLDS]):
        assert name in report, name


ADVICE_ROWS = (*advice.RUNNING_HEADLINES, *advice.RED_FLAGS, *advice.WHEN_TO_SEE_A_CLINICIAN,
               *advice.PAIN_GUIDE)


def _block(report: str, title: str) -> str:
    """One item of the report: its "- title" line and the lines under it, up to the next item."""
    start = report.index(f"\n- {title}\n")
    end = report.find("\n- ", start + 1)
    return report[start:end if end != -1 else len(report)]


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_piece_of_advice_a_runner_reads_is_listed_with_its_words_and_source():
    report = sources_report()

    for row in advice.WHEN_TO_SEE_A_CLINICIAN + advice.PAIN_GUIDE:
        block = _flat(_block(report, row.id))
        assert _flat(row.text) in block and _flat(f"source: {row.source}") in block
    for row in advice.RED_FLAGS:
        assert _flat(row.text) in _flat(_block(report, f"red flag {row.id}"))
    for row in advice.RUNNING_HEADLINES:
        block = _flat(_block(report, f"running {row.id}: {row.text}"))
        assert _flat(RUNNING_WORDS[row.id]) in block and _flat(f"source: {row.source}") in block
    for category, words in CATEGORY_WORDS.items():
        assert _flat(words) in _flat(_block(report, f"category {category}"))
    for site, words in SITE_WORDS.items():
        assert _flat(words) in _flat(_block(report, f"site {site}"))


def test_the_care_the_voice_says_is_listed_in_the_order_it_is_chosen():
    report = sources_report()
    section = report[report.index("Today's care the voice says"):]
    positions = [section.index(f"\n- {item.care_id}\n") for item in advice.TODAYS_CARE]

    assert positions == sorted(positions)
    for item in advice.TODAYS_CARE:
        assert _flat(item.why) in _flat(_block(section, item.care_id))


def test_every_skip_entry_is_listed_with_its_plain_line_and_source():
    report = sources_report()
    section = report[report.index("Skip logic"):report.index("Thresholds")]

    for entry in ASKING_ORDER:
        block = _flat(_block(section, entry.question_id))
        assert _flat(entry.not_asked) in block and _flat(f"source: {entry.source}") in block


def test_a_rule_that_states_a_threshold_names_it():
    report = sources_report()

    severe = SEVERE_PAIN_MIN.value
    assert f"red-flag-high-pain: if pain {severe}/10 or more" in report
    assert "red_flag = high_pain [numbers from severe_pain_min]" in report


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
    for item in (*RULES, *QUESTIONS, *EXERCISES, *CARE, *CRITERIA.values(), *THRESHOLDS, *ADVICE_ROWS,
                 *advice.TODAYS_CARE, *ASKING_ORDER):
        assert any(name in item.source for name in known), item
