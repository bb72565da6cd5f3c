"""The printable plan, read back with tools that did not write it: poppler's pdftotext and
pdfinfo, pypdf, and zbar for the QR code."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from plan_samples import full_plan, plan_for

from exporter import wording
from exporter.pdf import page_size_for, render_pdf
from tests.samples import SEVERE_TEAR, STRAIN, TIGHTNESS

PLAN_URL = "https://coach.example/plans/Zx9fK2LmQp4RtV7wYb1cN3dE5gH8jA0s"
SHORT_URL = "https://coach.example/c/KXT7M4"
ROOT = Path(__file__).resolve().parents[2]

SECTION_HEADINGS = (
    "Your hamstring plan",
    "What it most likely is",
    "Running:",
    "Open this plan on your phone",
    "Red flags: when to see a clinician",
    "Care",
    "For your clinician",
    "Answers given",
    "Category and why",
    "The programme",
    "Your programme, phase by phase",
    "Move on when:",
    "Week by week",
    "Pain log",
)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"`{name}` is missing; `make test` installs it (Debian: poppler-utils, zbar-tools)",
                    pytrace=False)
    return path


def poppler_text(pdf: bytes, *pages: int) -> list[str]:
    """The text of each page (all pages when none are named) in the order it is drawn."""
    count = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    texts = []
    for page in pages or range(1, count + 1):
        result = subprocess.run([tool("pdftotext"), "-raw", "-f", str(page), "-l", str(page), "-", "-"],
                                input=pdf, capture_output=True, check=True)
        texts.append(result.stdout.decode("utf-8"))
    return texts


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def plan():
    return full_plan()


@pytest.fixture(scope="module")
def pdf(plan) -> bytes:
    return render_pdf(plan, plan_url=PLAN_URL, short_url=SHORT_URL)


def test_every_section_heading_is_in_the_text_poppler_extracts(pdf):
    text = flat(" ".join(poppler_text(pdf)))
    missing = [heading for heading in SECTION_HEADINGS if heading not in text]
    assert missing == []


def test_pypdf_reads_the_same_sections_and_the_disclaimer(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    assert all(heading in text for heading in SECTION_HEADINGS)
    assert "not a substitute for professional medical advice" in text.lower()


def test_every_page_carries_the_disclaimer_and_its_page_number_of_the_total(pdf):
    pages = poppler_text(pdf)
    assert len(pages) >= 6
    for number, text in enumerate(pages, start=1):
        assert "Not a substitute for professional medical advice." in text, f"page {number}"
        assert f"Page {number} of {len(pages)}" in text, f"page {number}"


def test_it_says_what_it_most_likely_is_and_what_to_do_about_running(pdf, plan):
    first_page = flat(poppler_text(pdf, 1)[0])
    assert wording.CATEGORY_NAMES[plan.assessment.category] in first_page
    assert wording.RUNNING_ADVICE[plan.assessment.running] in first_page


def test_every_phase_is_printed_with_its_goal_exercises_doses_cues_and_criteria(pdf, plan):
    text = flat(" ".join(poppler_text(pdf)))
    for number, phase in enumerate(plan.programme.phases, start=1):
        assert f"Phase {number}: {phase.name}" in text
        assert flat(phase.goal) in text
        for prescription in phase.prescriptions:
            assert prescription.name in text
            assert prescription.dosage.text in text
            assert prescription.cues[0][:40] in text
        for criterion in phase.move_on_criteria:
            assert criterion.text[:40] in text


def test_the_calendar_lists_every_session_by_date_with_a_tick_box(pdf, plan):
    pages = poppler_text(pdf)
    calendar = flat(" ".join(page for page in pages if re.search(r"Week \d+ ·", page)))
    for session in plan.programme.sessions:
        assert f"{wording.short_date(session.date)} {session.start_time}" in calendar
    assert calendar.count("☐") == len(plan.programme.sessions)


def test_the_clinician_summary_fits_on_one_page_with_the_answers_and_the_reasons(pdf, plan):
    pages = poppler_text(pdf)
    page = next(text for text in pages if "For your clinician" in text)
    assert "Answers given" in page and "Category and why" in page and "The programme" in page
    summary = flat(page)
    for label, answer in wording.answers_given(plan.answers):
        assert label in summary and answer in summary
    for reason in plan.assessment.reasons:
        assert flat(reason.text)[:50] in summary


def test_the_pain_log_has_a_dated_row_for_every_scheduled_session_and_room_to_write(pdf, plan):
    text = flat(" ".join(poppler_text(pdf)))
    log = text.split("Pain log", 1)[1].split("References", 1)[0]
    assert "Pain during (0–10)" in log and "Next morning (0–10)" in log
    sessions = [s for s in plan.programme.sessions if s.kind == "session"]
    rows = re.findall(r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ [A-Z][a-z]{2} (?!\d\d:)", log)
    assert len(rows) == len(sessions)
    for session in sessions:
        assert wording.short_date(session.date) in log


def test_the_short_url_is_printed_beside_the_qr_code(pdf):
    assert SHORT_URL in flat(poppler_text(pdf, 1)[0])


def test_the_qr_code_opens_the_plan_page(pdf, tmp_path):
    subprocess.run([tool("pdftoppm"), "-r", "150", "-f", "1", "-l", "1", "-png", "-", str(tmp_path / "page")],
                   input=pdf, check=True)
    image = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run([tool("zbarimg"), "--quiet", "--raw", str(image)], capture_output=True)
    assert decoded.stdout.decode().split() == [PLAN_URL]


def test_the_document_has_a_title_an_author_a_subject_and_a_language(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    info = reader.metadata
    assert info.title == "Hamstring Coach plan"  # neutral: no assessment in the metadata
    assert info.author == "Hamstring Coach"
    assert "not a substitute for professional medical advice" in info.subject.lower()
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_every_font_is_embedded(pdf):
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        for name, font in page["/Resources"]["/Font"].items():
            fonts[name] = font.get_object()
    assert fonts
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"
    listing = subprocess.run([tool("pdffonts"), "-"], input=pdf, capture_output=True, check=True).stdout
    rows = listing.decode().splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows)


def test_any_name_or_symbol_prints_in_the_embedded_unicode_font(plan):
    title = "Zoë's plan — Ζωή, Юлия, Łukasz"
    renamed = dataclasses.replace(plan, programme=plan.programme.model_copy(update={"title": title}))
    text = poppler_text(render_pdf(renamed, plan_url=PLAN_URL, short_url=SHORT_URL), 1)[0]
    assert title in text


def test_the_same_revision_gives_byte_identical_pdfs(plan, pdf):
    assert render_pdf(plan, plan_url=PLAN_URL, short_url=SHORT_URL) == pdf


@pytest.mark.system
def test_a_fresh_process_gives_the_same_bytes(pdf, tmp_path):
    """Nothing in the output may depend on what the process rendered before (font subsets, caches)."""
    script = (
        "import sys; sys.path.insert(0, 'tests/exporter')\n"
        "from plan_samples import full_plan\n"
        "from exporter.pdf import render_pdf\n"
        f"sys.stdout.buffer.write(render_pdf(full_plan(), plan_url={PLAN_URL!r}, short_url={SHORT_URL!r}))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, check=True)
    assert result.stdout == pdf


def test_a_new_revision_gives_a_different_pdf_that_names_it(plan, pdf):
    revised = full_plan(revision=2)
    second = render_pdf(revised, plan_url=PLAN_URL, short_url=SHORT_URL)
    assert second != pdf
    assert "plan revision 2" in poppler_text(second, 1)[0]


def test_a4_is_the_default_and_letter_is_on_request(plan, pdf):
    a4 = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    letter_pdf = render_pdf(plan, plan_url=PLAN_URL, short_url=SHORT_URL, page_size="LETTER")
    letter = pypdf.PdfReader(io.BytesIO(letter_pdf)).pages[0].mediabox
    assert (round(float(a4.width)), round(float(a4.height))) == (595, 842)
    assert (round(float(letter.width)), round(float(letter.height))) == (612, 792)
    info = subprocess.run([tool("pdfinfo"), "-"], input=letter_pdf, capture_output=True, check=True).stdout
    assert "(letter)" in info.decode()
    assert "Page 1 of" in poppler_text(letter_pdf, 1)[0]


def test_an_unknown_page_size_is_refused_with_a_clear_message(plan):
    with pytest.raises(ValueError, match="page_size must be one of"):
        render_pdf(plan, plan_url=PLAN_URL, page_size="A3")


@pytest.mark.parametrize("zone", [
    "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu",
    "America/Toronto", "America/Vancouver", "America/Halifax", "America/St_Johns", "US/Eastern",
    "Canada/Pacific",
])
def test_us_and_canadian_zones_print_on_letter_paper(zone):
    assert page_size_for(zone) == "LETTER"


@pytest.mark.parametrize("zone", [
    "America/Montreal", "America/Fort_Wayne", "America/Knox_IN", "Navajo",  # old names that link to one
    "America/Puerto_Rico", "America/St_Thomas", "America/Virgin", "Pacific/Guam", "Pacific/Pago_Pago",
    "EST5EDT", "PST8PDT",  # US rules without a place, held by plans stored before zones had to be places
])
def test_old_names_us_territories_and_us_rule_zones_print_on_letter_paper(zone):
    assert page_size_for(zone) == "LETTER"


@pytest.mark.parametrize("zone", [
    "America/Nassau",  # the Bahamas, though its clock now links to America/Toronto
    "America/Antigua",  # its clock links to America/Puerto_Rico
    "EST", "Europe/Belfast", "GB",
])
def test_a_zone_keeps_its_own_country_even_when_its_clock_links_elsewhere(zone):
    assert page_size_for(zone) == "A4"


def test_the_session_on_the_day_the_clocks_skip_its_time_prints_the_time_it_is_at():
    import datetime as dt

    plan = plan_for(TIGHTNESS, start=dt.date(2027, 3, 20), time="01:30", weekdays=("SU",))
    pages = poppler_text(render_pdf(plan, plan_url=PLAN_URL))
    calendar = flat(" ".join(page for page in pages if re.search(r"Week \d+ ·", page)))

    assert f"{wording.short_date(dt.date(2027, 3, 28))} 02:30" in calendar
    assert f"{wording.short_date(dt.date(2027, 3, 21))} 01:30" in calendar
    assert f"{wording.short_date(dt.date(2027, 3, 28))} 01:30" not in calendar


def test_where_the_clocks_skip_to_midnight_the_saturday_session_prints_on_the_saturday_before_the_gap():
    import datetime as dt

    # Nuuk, 28 March 2026: 23:00 on the Saturday becomes 00:00 on the Sunday.
    plan = plan_for(TIGHTNESS, timezone="America/Nuuk", start=dt.date(2026, 3, 23), time="23:30",
                    weekdays=("SA", "SU"))
    pages = poppler_text(render_pdf(plan, plan_url=PLAN_URL))
    calendar = flat(" ".join(page for page in pages if re.search(r"Week \d+ ·", page)))

    assert f"{wording.short_date(dt.date(2026, 3, 28))} 22:30" in calendar
    assert f"{wording.short_date(dt.date(2026, 3, 29))} 23:30" in calendar
    assert f"{wording.short_date(dt.date(2026, 3, 29))} 00:30" not in calendar


@pytest.mark.parametrize(("zone", "paper"), [("NZ", "A4"), ("Japan", "A4"), ("Navajo", "LETTER")])
def test_an_old_single_word_name_prints_on_the_paper_of_the_place_it_links_to(zone, paper):
    # The links come from rehab's reader of the tz database, the one its zone rule follows.
    from rehab.models import link_target

    assert page_size_for(zone) == paper == page_size_for(link_target(zone))


@pytest.mark.parametrize("zone", [
    "Europe/London", "Europe/Berlin", "America/Mexico_City", "America/Sao_Paulo", "Australia/Sydney",
    "Asia/Tokyo", "UTC",
])
def test_other_zones_print_on_a4(zone):
    assert page_size_for(zone) == "A4"


def test_without_a_short_url_the_plan_url_is_printed_beside_the_qr_code(plan):
    text = flat(poppler_text(render_pdf(plan, plan_url=PLAN_URL), 1)[0])
    assert PLAN_URL in text.replace(" ", "")


def test_a_red_flag_is_called_out_on_the_first_page():
    severe = plan_for(SEVERE_TEAR)
    assert severe.assessment.red_flags
    first_page = flat(poppler_text(render_pdf(severe, plan_url=PLAN_URL, short_url=SHORT_URL), 1)[0])
    assert "You told us about:" in first_page
    for flag in severe.assessment.red_flags:
        assert wording.RED_FLAG_NAMES[flag] in first_page
    assert "Stop and see a clinician" in first_page


@pytest.mark.parametrize("answers", [TIGHTNESS, STRAIN, SEVERE_TEAR], ids=["tightness", "strain", "refer"])
def test_every_kind_of_programme_renders_all_its_sections(answers):
    plan = plan_for(answers, timezone="America/New_York", weekdays=("TU", "TH"))
    paper = page_size_for(plan.programme.timezone)
    pdf = render_pdf(plan, plan_url=PLAN_URL, short_url=SHORT_URL, page_size=paper)
    text = flat(" ".join(poppler_text(pdf)))
    for heading in ("Your hamstring plan", "Red flags: when to see a clinician", "For your clinician",
                    "Week by week", "Pain log"):
        assert heading in text
    assert text.count("☐") >= len(plan.programme.sessions)


def test_the_sections_are_bookmarked_for_a_readers_sidebar(pdf):
    outline = pypdf.PdfReader(io.BytesIO(pdf)).outline
    titles = [item.title for item in _walk(outline)]
    assert titles[:2] == ["Your hamstring plan", "What it most likely is"]
    assert {"For your clinician", "Week by week", "Pain log"} <= set(titles)


def _walk(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _walk(item)
        else:
            yield item


def test_reportlab_runs_with_its_c_accelerator():
    """Without the rl-accel package reportlab falls back to pure Python and a full programme takes
    about twice the 60 ms design.md §5 allows."""
    from reportlab.lib import rl_accel

    assert rl_accel.fp_str.__module__ == "_rl_accel", "pip install rl-accel (a dependency of the project)"
