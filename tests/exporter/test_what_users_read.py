"""Issue 12, done when: every category's plan, as a PDF on A4 and Letter, as the plan page and as a
calendar, read back the way a runner or a physiotherapist reads it.

Fails on: one of our own file names, section numbers or internal ids in anything a user sees; a
PDF page under a quarter full but the last (measured from pdftoppm's pixels); an exercise without
its drawing and the drawings' credit; a pain log shorter than the schedule; a source in rehab's
tables that cites no reference a reader can check. (A page wider than a 320 px phone is the
browser test's: tests/e2e/test_browser.py.)
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from html import escape
from html.parser import HTMLParser

import pytest
import vobject
from plan_samples import plan_for

from exporter import figures, pdf, wording
from exporter.ics import render_ics
from exporter.pdf import FOOTER_HEIGHT, MARGIN, render_pdf
from plans.service import file_plan
from rehab import adaptation, advice
from rehab.exercises import EXERCISES
from rehab.programme import CARE, CRITERIA, LADDER, PLANS, REST_DAY_BETWEEN_RUNS, RUNNING_NOTES
from rehab.questions import ASKING_ORDER, QUESTIONS
from rehab.references import OWN_JUDGEMENT, REFERENCES, Citations, references_for
from rehab.rules import THRESHOLDS
from rehab.triage import RULES
from tests.samples import SEVERE_TEAR, STRAIN, TENDINOPATHY, TIGHTNESS

PLAN_URL = "https://coach.example/plans/Zx9fK2LmQp4RtV7wYb1cN3dE5gH8jA0s"
# A sudden twinge without a pop, limp or painful walking, one test positive, pain 3/10.
LOW_GRADE_STRAIN = {
    "location": "back_of_thigh", "onset": "sudden", "days_since": 1, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "yes",
    "hinge_test": "no", "heel_press_test": "no", "pain_score": 3,
}
CATEGORIES = {"tightness": TIGHTNESS, "tendinopathy": TENDINOPATHY, "strain_low_grade": LOW_GRADE_STRAIN,
              "strain": STRAIN, "refer": SEVERE_TEAR}
FULLEST_PAGE_MINIMUM = 0.25


def every_source() -> set[str]:
    rows = (*EXERCISES, *CARE, *CRITERIA.values(), *PLANS.values(), *LADDER, *THRESHOLDS, *RULES, *QUESTIONS,
            *ASKING_ORDER, *advice.RUNNING_HEADLINES, *advice.RED_FLAGS, *advice.WHEN_TO_SEE_A_CLINICIAN,
            *advice.PAIN_GUIDE, *advice.TODAYS_CARE, *adaptation.PAIN_RULE, *adaptation.VERDICT_RULES,
            *adaptation.LIMITS)
    sources = {row.source for row in rows}
    sources |= {source for _, source in RUNNING_NOTES.values()} | {REST_DAY_BETWEEN_RUNS[1]}
    return sources


def internal_ids() -> set[str]:
    """Ids no reader should meet: every table id with an underscore or hyphen in it (a plain word
    such as "ice" or "refer" is also English, so it is not one)."""
    ids = set(PLANS) | {e.id for e in EXERCISES} | {c.id for c in CARE} | set(CRITERIA)
    ids |= {r.id for r in RULES}
    ids |= {q.id for q in QUESTIONS} | {t.id for t in THRESHOLDS}
    ids |= {row.id for row in (*advice.RUNNING_HEADLINES, *advice.RED_FLAGS, *advice.WHEN_TO_SEE_A_CLINICIAN,
                               *advice.PAIN_GUIDE)}
    ids |= {row.id for row in (*adaptation.PAIN_RULE, *adaptation.VERDICT_RULES, *adaptation.LIMITS)}
    for plan in PLANS.values():
        ids |= {phase.id for phase in plan.phases}
    return {i for i in ids if re.search(r"[_-]", i)}


INTERNAL_IDS = internal_ids()
FILE_MARKS = re.compile(r"seed \d|\.md\b|§|design\.md")


def assert_reads_clean(text: str, where: str) -> None:
    assert not FILE_MARKS.search(text), f"{where}: {FILE_MARKS.search(text).group()!r}"
    words = set(re.findall(r"[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)+", text))
    leaked = sorted(words & INTERNAL_IDS)
    assert not leaked, f"{where}: internal ids {leaked}"


# ---- references --------------------------------------------------------------------------------


@pytest.mark.parametrize("source", sorted(every_source()))
def test_every_source_in_rehab_cites_a_reference_a_reader_can_check(source):
    assert references_for(source), f"no reference for {source!r}"


def test_our_own_judgement_is_shown_as_such():
    own = next(ref for ref in REFERENCES if ref.key == OWN_JUDGEMENT)
    assert "own clinical judgement" in own.text().lower()
    assert references_for("clinical judgement: a week") == (OWN_JUDGEMENT,)
    assert references_for("design.md §3 red flags; Subbu 2015") == ("subbu-2015", OWN_JUDGEMENT)


def test_the_seed_articles_are_cited_by_their_titles():
    cite = Citations()
    assert cite.marker("seed 000: 'try an easy run'; seed 004: 'avoid speed and hills'") == "[1, 2]"
    listed = [reference.text() for _, reference in cite.listed()]
    assert listed[0].startswith("Running Hamstring Pain: Resolving Tightness and Hamstring Injuries")
    assert listed[1].startswith("Identify a Hamstring Injury")


def test_references_read_with_author_year_and_journal_and_no_internal_names():
    for reference in REFERENCES:
        assert_reads_clean(reference.text(), reference.key)
    heiderscheit = next(ref for ref in REFERENCES if ref.key == "heiderscheit-2010").text()
    assert heiderscheit == ("Heiderscheit et al. (2010). Journal of Orthopaedic & Sports Physical Therapy "
                            "40:67.")


def test_the_internal_id_check_catches_what_the_issue_found():
    with pytest.raises(AssertionError):
        assert_reads_clean("A low-grade strain (strain_low_grade)", "sample")
    with pytest.raises(AssertionError):
        assert_reads_clean("(seed 000 (signs of injury))", "sample")
    with pytest.raises(AssertionError):
        assert_reads_clean("(design.md §3 (see_professional))", "sample")


# ---- the PDF -------------------------------------------------------------------------------------


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is missing; `make test` installs it (Debian: poppler-utils)", pytrace=False)
    return path


def page_texts(document: bytes) -> list[str]:
    out = subprocess.run([tool("pdftotext"), "-raw", "-", "-"], input=document, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return [re.sub(r"\s+", " ", page) for page in out.split("\f")[:-1]]


def page_fill(document: bytes, dpi: int = 30) -> list[float]:
    """How far down each page's body the lowest mark reaches (0 empty, 1 full), from the pixels
    pdftoppm draws; the footer is left out."""
    raw = subprocess.run([tool("pdftoppm"), "-r", str(dpi), "-gray"], input=document, capture_output=True,
                         check=True).stdout
    fills, at = [], 0
    while at < len(raw):
        header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw[at:])
        width, height = int(header.group(1)), int(header.group(2))
        start = at + header.end()
        pixels = raw[start:start + width * height]
        at = start + width * height
        scale = dpi / 72
        top, bottom = int(MARGIN * scale), height - int((MARGIN + FOOTER_HEIGHT) * scale)
        inked = [y for y in range(top, bottom) if min(pixels[y * width:(y + 1) * width]) < 200]
        fills.append((max(inked) - top) / (bottom - top) if inked else 0.0)
    return fills


@pytest.fixture(scope="module", params=sorted(CATEGORIES))
def plan(request):
    made = plan_for(CATEGORIES[request.param])
    assert made.assessment.category == request.param
    return made


@pytest.mark.parametrize("paper", ["A4", "LETTER"])
def test_every_category_prints_without_waste_internal_names_or_a_short_pain_log(plan, paper):
    document = render_pdf(plan, plan_url=PLAN_URL, page_size=paper)
    texts = page_texts(document)
    whole = " ".join(texts)
    assert_reads_clean(whole, f"{plan.assessment.category} PDF on {paper}")

    fills = page_fill(document)
    assert len(fills) == len(texts)
    thin = [(number, round(fill, 2)) for number, fill in enumerate(fills[:-1], start=1)
            if fill < FULLEST_PAGE_MINIMUM]
    assert not thin, f"pages under a quarter full: {thin} of {len(fills)}"

    summary = [text for text in texts if "For your clinician" in text]
    assert len(summary) == 1 and "Progress" in summary[0], "the clinician summary is one page, chart and all"

    log = whole.split("Pain log", 1)[1].split("References", 1)[0]
    sessions = [s for s in plan.programme.sessions if s.kind == "session"]
    rows = re.findall(r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ [A-Z][a-z]{2}\b(?! \d\d:)", log)
    assert len(rows) >= len(sessions)
    if plan.assessment.category == "refer":
        assert "Run through" not in log and "run " not in log.lower().replace("running", "")

    for number, phase in enumerate(plan.programme.phases, start=1):
        part = whole.split(f"Phase {number}: {phase.name}", 1)[1].split(f"Phase {number + 1}: ", 1)[0]
        assert figures.CREDIT in part
        for prescription in phase.prescriptions:
            captions = [panel.caption for panel in figures.DRAWINGS[prescription.exercise_id].panels]
            assert all(caption in part for caption in captions), prescription.exercise_id
        assert ("Move on when:" in part) == bool(phase.move_on_criteria), phase.name
    assert "References" in texts[-1] or "References" in texts[-2]


def test_exercise_text_is_at_least_nine_and_a_half_points():
    assert pdf.EXERCISE.size >= 9.5 and pdf.EXERCISE_BOLD.size >= 9.5 and pdf.EXERCISE_CAUTION.size >= 9.5


def test_every_exercise_in_the_library_has_a_drawing_with_words_for_it():
    for item in EXERCISES:
        assert figures.has_drawing(item.id), item.id
        drawing = figures.DRAWINGS[item.id]
        assert drawing.shows and all(panel.caption for panel in drawing.panels)
        assert f'aria-label="{escape(drawing.shows)}"' in figures.svg(item.id)


# ---- the calendar --------------------------------------------------------------------------------


def test_every_calendar_reads_clean_and_links_each_exercise_to_its_drawing(plan):
    calendar = vobject.readOne(render_ics(plan, plan_url=PLAN_URL).decode("utf-8"))
    for event in calendar.vevent_list:
        text = f"{event.summary.value}\n{event.description.value}"
        assert_reads_clean(text, f"{plan.assessment.category} calendar")
        assert len(event.summary.value) < 40
    for session in plan.programme.sessions:
        if plan.assessment.category != "refer":
            for prescription in session.prescriptions:
                assert f"{PLAN_URL}#{figures.anchor(prescription.name)}" in " ".join(
                    e.description.value for e in calendar.vevent_list)


# ---- the plan page -------------------------------------------------------------------------------


class Visible(HTMLParser):
    """The text a reader sees, the ids on the page and each inline drawing's label."""

    def __init__(self, html: str):
        super().__init__()
        self.parts: list[str] = []
        self.ids: set[str] = set()
        self.svg_labels: list[str] = []
        self._skip = 0
        self.feed(html)
        self.text = re.sub(r"\s+", " ", " ".join(self.parts))

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "svg" and "aria-label" in attributes:
            self.svg_labels.append(attributes["aria-label"])
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


@pytest.fixture
def filed_plans(store):
    now = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    preferences = {"timezone": "Europe/London", "weekdays": ["MO", "TU", "WE", "TH", "FR", "SA"],
                   "time": "07:00", "start_date": "2026-03-02"}
    return {category: file_plan(store, answers, preferences, now=now)
            for category, answers in CATEGORIES.items()}


def test_every_plan_page_reads_clean_shows_every_drawing_with_its_credit_and_explains_unused_days(
        client, filed_plans, clock):
    clock.now = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
    assert {filed.plan.assessment.category for filed in filed_plans.values()} == set(CATEGORIES)
    for category, filed in filed_plans.items():
        page = Visible(client.get(f"/plans/{filed.token}").get_data(as_text=True))
        assert_reads_clean(page.text, f"{category} plan page")
        assert "References" in page.text and figures.CREDIT in page.text
        programme = filed.plan.programme
        shown = {p.exercise_id: p for phase in programme.phases for p in phase.prescriptions}
        for exercise_id, prescription in shown.items():
            assert figures.anchor(prescription.name) in page.ids, exercise_id
            assert figures.DRAWINGS[exercise_id].shows in page.svg_labels, exercise_id
        # Six days offered, at most four used: the page says which are rest days and why.
        assert "You offered 6 days" in page.text and "rest day" in page.text
        assert page.text.index("How did it go?") > page.text.index("Running:")


def test_the_wording_slips_are_gone(client, filed_plans):
    tight = filed_plans["tightness"]
    page = Visible(client.get(f"/plans/{tight.token}").get_data(as_text=True)).text
    assert "Tight hamstrings, in the middle" not in page and "injured leg" not in page
    assert "1 weeks" not in page
    low = render_pdf(plan_for(LOW_GRADE_STRAIN), plan_url=PLAN_URL)
    assert "1 weeks" not in " ".join(page_texts(low))
    confirm = Visible(client.get(f"/plans/{tight.token}/delete").get_data(as_text=True)).text
    assert "deletes your plan" in confirm and "your unfinished check." not in confirm
    assert wording.weeks(1) == "1 week" and wording.weeks(2) == "2 weeks"
