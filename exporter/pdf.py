"""The printable plan: what a runner puts on the fridge and hands to a physiotherapist.

`render_pdf` is a pure function of the stored plan and the two URLs printed in it: no clock, no
randomness, reportlab's invariant mode, so the same plan revision always gives the same bytes
(a browser or a proxy may cache it by ETag, and a test can compare two renders).

Contents, in order: the plan at a glance (what it most likely is, running, care, the QR code to
the plan page) and when to see a clinician; a one-page summary for the clinician; each phase
with its goal, exercises and criteria to move on; a week-by-week calendar with tick boxes; a pain
log to fill in by hand. Every page carries the disclaimer and "Page X of Y".

Speed (design.md §5 asks ≤ 60 ms for a full programme): reportlab's Paragraph and Table parse
markup and lay every cell out several times, which cost ~100 ms for this document. The text here
is plain, so it is laid out by `_Block` and `_Grid` below: greedy word wrap with cached word
widths, one text object per block. Platypus still does the page flow; fonts are parsed once per
process; "of Y" is filled in when the pages are saved instead of laying the document out twice.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, SimpleDocTemplate

from exporter import figures, qr, wording
from exporter.charts import progress_chart, progress_flowable
from plans.progress import plan_progress
from plans.records import PlanRecord
from rehab.clock import as_utc, today_in
from rehab.models import Gate, Phase, Prescription, Session, zone_links
from rehab.references import Citations

PROGRESS_CHART_WIDTH = 110 * mm
# Part of the ETag of served PDFs: bump it whenever a change here changes the output.
# pdf-4: run kinds print the core's one label per kind (rehab.programme.RUNNING_LABELS), so a
# later phase reads "speed session", no longer "speed work". pdf-5: revisions, the pending
# move-on check and the progress chart. pdf-6: references as numbered markers, a drawing of every
# exercise, a pain-log row per session, no page left nearly empty.
RENDERER_VERSION = "pdf-6"
# The document's metadata names no assessment, category or injury (issue 14).
DOCUMENT_TITLE = "Hamstring Coach plan"
AUTHOR = wording.PRODUCT_NAME
LANGUAGE = "en"
PAGE_SIZES = {"A4": A4, "LETTER": LETTER}
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "CoachSans"
FONT_BOLD = "CoachSans-Bold"

MARGIN = 16 * mm
FOOTER_HEIGHT = 12 * mm
CELL_PADDING = 2 * mm
PAIN_LOG_ROW_HEIGHT = 8 * mm
FRAME_PADDING = 6  # platypus' default frame padding, on each side
PICTURE_COLUMN = 0.2  # of the table's width: the exercise's drawing
PICTURE_PANEL_HEIGHT = 24 * mm  # the tallest panel of any drawing
SMALLEST_CHART_WIDTH = 60 * mm
QR_SIZE = 34 * mm

INK = colors.HexColor("#1d2327")
ACCENT = colors.HexColor("#0b5c66")
MUTED = colors.HexColor("#5a646b")
RULE = colors.HexColor("#b8c2c8")
WARNING_BG = colors.HexColor("#fdf0e9")
WARNING_INK = colors.HexColor("#8a2b06")
PANEL_BG = colors.HexColor("#eef5f6")

# Letter paper is the norm in the United States (with its territories, which zone.tab lists as
# countries of their own) and Canada: their zones from the tz database's zone.tab, the old names
# that link to one of them (America/Montreal, America/Fort_Wayne, "US/...", "Canada/..."), and the
# rule-only US zones a plan stored before zones had to be places may hold.
LETTER_COUNTRIES = frozenset({"US", "CA", "PR", "VI", "GU", "AS", "MP", "UM"})
US_RULE_ZONES = frozenset({"EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT"})

_fonts_lock = threading.Lock()
_fonts_ready = False
_letter_zones: frozenset[str] | None = None


def page_size_for(timezone: str) -> str:
    """"LETTER" for a United States or Canadian time zone, "A4" for every other zone."""
    if timezone.startswith(("US/", "Canada/")) or timezone in US_RULE_ZONES:
        return "LETTER"
    return "LETTER" if timezone in _zones_of_letter_countries() else "A4"


def render_pdf(
    plan: PlanRecord, *, plan_url: str, short_url: str | None = None, code_valid_until: dt.date | None = None,
    page_size: str = "A4",
) -> bytes:
    """The plan as a PDF. `plan_url` is what the QR code opens; `short_url` (the short-code
    address) is printed beside it for typing, with the last day its code works when given, or the
    plan URL itself when there is none. `page_size` is "A4" or "LETTER"."""
    size = PAGE_SIZES.get(page_size.upper()) if isinstance(page_size, str) else None
    if size is None:
        raise ValueError(f"page_size must be one of {sorted(PAGE_SIZES)}, not {page_size!r}")
    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN + FOOTER_HEIGHT,
        # Neutral: file managers, mail previews and search indexes show these without opening it.
        title=DOCUMENT_TITLE,
        author=AUTHOR,
        subject=wording.DISCLAIMER,
        keywords=[DOCUMENT_TITLE],
        creator=AUTHOR,
        producer=AUTHOR,
        lang=LANGUAGE,
        invariant=1,
        initialFontName=FONT,
    )
    width = size[0] - 2 * MARGIN
    frame = (width - 2 * FRAME_PADDING, size[1] - 2 * MARGIN - FOOTER_HEIGHT - 2 * FRAME_PADDING)
    cite = Citations()
    fridge = [
        *_at_a_glance(plan, plan_url=plan_url, short_url=short_url or plan_url,
                      code_valid_until=code_valid_until if short_url else None),
        *_when_to_see_a_clinician(plan, cite),
    ]
    care = _care(plan, cite)
    # The first page is the fridge page. When the care list does not fit under it, it opens the
    # programme pages instead, so no page holds a few stray lines of it.
    care_on_first_page = _height(fridge + care, frame) <= frame[1]
    story = [
        *fridge,
        *(care if care_on_first_page else []),
        PageBreak(),
        *_for_your_clinician(plan, width, frame, cite),
        PageBreak(),
        *([] if care_on_first_page else care),
        *_phases(plan, width, cite),
        *_week_by_week(plan, width),
        *_pain_log(plan, width, cite),
        *_references(cite),
    ]
    # Bookmark names end up in the file: number them in reading order, never by object identity.
    for number, block in enumerate(f for f in story if isinstance(f, _Block) and f.outline_level is not None):
        block.bookmark = f"section-{number}"
    footer = f"{wording.PRODUCT_NAME} · plan revision {plan.revision} · {wording.DISCLAIMER}"
    document.build(story, canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


# ---- text styles -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    font: str = FONT
    size: float = 9.5
    leading: float = 12.5
    color: colors.Color = INK


BODY = _Style()
LEAD = _Style(FONT_BOLD, 11, 14.5)
TITLE = _Style(FONT_BOLD, 22, 27, ACCENT)
SUBTITLE = _Style(FONT, 12, 15, MUTED)
H1 = _Style(FONT_BOLD, 16, 20, ACCENT)
H2 = _Style(FONT_BOLD, 12.5, 16, ACCENT)
H3 = _Style(FONT_BOLD, 10.5, 13.5)
CELL = _Style(FONT, 8.5, 11)
CELL_BOLD = _Style(FONT_BOLD, 8.5, 11)
CAUTION = _Style(FONT, 8.5, 11, WARNING_INK)
# Exercise text is read at arm's length while doing it: 9.5 pt at least.
EXERCISE = _Style(FONT, 9.5, 12)
EXERCISE_BOLD = _Style(FONT_BOLD, 9.5, 12)
EXERCISE_CAUTION = _Style(FONT, 9.5, 12, WARNING_INK)
SOURCE = _Style(FONT, 7.5, 9.5, MUTED)
SMALL = _Style(FONT, 8, 10.5, MUTED)
WARNING = _Style(FONT, 9.5, 12.5, WARNING_INK)
WARNING_BOLD = _Style(FONT_BOLD, 9.5, 12.5, WARNING_INK)
URL = _Style(FONT_BOLD, 10.5, 14, ACCENT)
TICK = _Style(FONT, 12, 11)
_HEADINGS = frozenset({TITLE, H1, H2, H3})


@dataclass(frozen=True)
class _Text:
    """One run of text in one style. `label` is a bold prefix on the first line ("Goal:"),
    `marker` hangs in the left margin of the first line ("•", "☐")."""

    text: str
    style: _Style = BODY
    label: str = ""
    marker: str = ""
    space_after: float = 0.0


# ---- the sections ------------------------------------------------------------------------------


def _at_a_glance(
    plan: PlanRecord, *, plan_url: str, short_url: str, code_valid_until: dt.date | None
) -> list[Flowable]:
    """The fridge page: what it is, whether to run, the QR code, then safety and care."""
    assessment, programme = plan.assessment, plan.programme
    return [
        _heading("Your hamstring plan", TITLE, level=0, space_after=1),
        _Block([_Text(programme.title, SUBTITLE, space_after=1), _Text(wording.schedule(programme), SMALL),
                *_revision_note(plan)], space_after=4),
        _heading("What it most likely is", H2),
        _Block([_Text(wording.most_likely(assessment), LEAD)]),
        _heading("Running: " + wording.RUNNING_HEADLINES[assessment.running], H2),
        _Block([_Text(wording.RUNNING_ADVICE[assessment.running], LEAD)], space_after=6),
        _QRPanel(plan_url=plan_url, short_url=short_url, code_valid_until=code_valid_until),
    ]


def _revision_note(plan: PlanRecord) -> list[_Text]:
    """What the newest revision changed, and why, when a check-in changed the plan."""
    latest = next((c for c in reversed(plan.check_ins) if c.changes and c.revision == plan.revision), None)
    if latest is None:
        return []
    return [_Text(f"Revision {plan.revision}, after your check-in on {wording.day_and_date(latest.date)}: "
                  f"{latest.says} {latest.changes}", SMALL)]


def _progress(plan: PlanRecord, width: float, room: float) -> list[Flowable]:
    """Pain during and next morning, sessions done against planned and the gates, drawn once
    (exporter.charts) for the clinician, with the one sentence the page and the voice say; as wide
    as fits in `room` points of height (the summary is one page)."""
    today = today_in(plan.programme.timezone, plan.updated_at)
    summary = plan_progress(plan, today)
    chart = progress_chart(summary)
    fits = room * chart.width / chart.height
    chart_width = max(SMALLEST_CHART_WIDTH, min(width, PROGRESS_CHART_WIDTH, fits))
    drawing = progress_flowable(chart, width=chart_width, font=FONT, bold_font=FONT_BOLD)
    return [_Block([_Text("Progress", H3, space_after=3), _Text(summary.sentence(), CELL)], space_after=2),
            drawing]


class _SideBySide(Flowable):
    """Two columns of flowables that stay together (the summary's programme and its progress)."""

    def __init__(self, left: list[Flowable], right: list[Flowable], right_share: float):
        super().__init__()
        self.columns = (left, right)
        self.right_share = right_share
        self.spaceBefore = 6

    def wrap(self, availWidth, availHeight):
        right = (availWidth - SIDE_GAP) * self.right_share
        self.widths = (availWidth - SIDE_GAP - right, right)
        self.heights = [sum(f.wrap(w, availHeight)[1] + f.getSpaceAfter() for f in column)
                        for column, w in zip(self.columns, self.widths, strict=True)]
        self.width, self.height = availWidth, max(self.heights)
        return self.width, self.height

    def draw(self):
        x = 0.0
        for column, width in zip(self.columns, self.widths, strict=True):
            top = self.height
            for flowable in column:
                _, height = flowable.wrap(width, self.height)
                top -= height
                flowable.drawOn(self.canv, x, top)
                top -= flowable.getSpaceAfter()
            x += width + SIDE_GAP


def _care(plan: PlanRecord, cite: Citations) -> list[Flowable]:
    if not plan.programme.care_advice:
        return []
    return [
        _section("Care", _bullets(((item.text, item.source) for item in plan.programme.care_advice), cite)),
    ]


def _when_to_see_a_clinician(plan: PlanRecord, cite: Citations) -> list[Flowable]:
    assessment = plan.assessment
    title = "Red flags: when to see a clinician"
    story: list[Flowable] = []
    if assessment.red_flags:
        told = [_Text("You told us about:", WARNING_BOLD)]
        told += [_Text(wording.RED_FLAG_NAMES[flag], WARNING, marker="•") for flag in assessment.red_flags]
        told.append(_Text("Please see a physiotherapist or doctor within the next few days, before you start "
                          "this programme.", WARNING_BOLD))
        story += [_heading(title, H2), _warning_panel(told)]
    elif assessment.see_professional:
        story += [_heading(title, H2), _warning_panel([_Text(
            "We suggest you book a physiotherapist as well: the reasons are on the page for your clinician.",
            WARNING_BOLD)])]
    texts = [
        _Text("See a clinician, whatever this plan says, if you notice any of these:", space_after=2),
        *_bullets(((item.text, item.source) for item in wording.WHEN_TO_SEE_A_CLINICIAN), cite),
        _Text(f"{plan.programme.disclaimer} If you are worried, see a physiotherapist or doctor.", SMALL),
    ]
    story.append(_Block(texts) if story else _section(title, texts))
    return story


def _for_your_clinician(plan: PlanRecord, width: float, frame: tuple[float, float],
                        cite: Citations) -> list[Flowable]:
    """One page a physiotherapist can read in a minute: what was asked, what was concluded, why."""
    assessment, programme = plan.assessment, plan.programme
    story: list[Flowable] = [
        _heading("For your clinician", H1),
        _Block([_Text(f"Self-reported answers to {wording.PRODUCT_NAME}'s questions (plan revision "
                      f"{plan.revision}, filed {wording.day_and_date(as_utc(plan.created_at).date())}). "
                      "This is a triage by rules, not a diagnosis; no examination or imaging took place.",
                      SMALL)]),
        _heading("Answers given", H3),
    ]
    answers = wording.answers_given(plan.answers)
    if answers:
        # Two answers to a row: the whole summary has to fit on one page.
        half = (len(answers) + 1) // 2
        pairs = [(*answers[i], *(answers[i + half] if i + half < len(answers) else ("", "")))
                 for i in range(half)]
        story.append(_Grid.of_text(pairs, (0.31, 0.19, 0.31, 0.19), width,
                                   styles=(CELL, CELL_BOLD, CELL, CELL_BOLD)))
    else:
        story.append(_Block([_Text("No answers were recorded.", CELL)]))
    flags = "; ".join(wording.RED_FLAG_NAMES[flag] for flag in assessment.red_flags) or "none"
    review = assessment.see_professional or bool(assessment.red_flags)
    story.append(_heading("Category and why", H3))
    story.append(_Grid.of_text([
        ("Category", _category_for_clinician(assessment.category)),
        ("Site", f"{assessment.site}: {wording.SITE_NAMES[assessment.site]}"),
        ("Running advice", wording.RUNNING_ADVICE[assessment.running]),
        ("Red flags", flags),
        ("Acute care (first 72 h)", "yes" if assessment.acute_care else "no"),
        ("Professional review suggested", "yes" if review else "no"),
    ], (0.3, 0.7), width, styles=(CELL, CELL_BOLD)))
    reasons = _bullets(((reason.text, reason.source) for reason in assessment.reasons), cite, style=CELL)
    story.append(_Block(reasons, space_before=5))
    # The core's "worth knowing" lines (programme.tell_the_clinician) repeat the answers and the red
    # flags above, line for line: on a page that must stay one page, they would only repeat them.
    phases = [_Text("The programme", H3, space_after=3)]
    phases += [
        _Text(f"{phase.name}: {wording.weeks(phase.weeks)}, {wording.RUN_KIND_NAMES[phase.running].lower()}. "
              + ", ".join(p.name for p in phase.prescriptions) + ".",
              CELL, label=f"{number}. ", space_after=2)
        for number, phase in enumerate(programme.phases, start=1)
    ]
    phases.append(_Text("Doses, cues and the criteria to move on are on the following pages.", SOURCE))
    # One page: the programme and the progress chart side by side, the chart as wide as its column
    # and as the room left allows, down to a readable width.
    room = frame[1] - _height(story, frame) - _PROGRESS_TEXT
    column = (frame[0] - SIDE_GAP) * PROGRESS_COLUMN
    story.append(_SideBySide([_Block(phases)], _progress(plan, column, room), PROGRESS_COLUMN))
    return story


_PROGRESS_TEXT = 40  # the progress heading, its sentence and their spacing, in points
PROGRESS_COLUMN = 0.45  # of the summary page's width, beside the programme
SIDE_GAP = 6 * mm


def _height(story: Sequence[Flowable], frame: tuple[float, float]) -> float:
    """How tall these flowables stand in the frame, with their spacing (an estimate platypus agrees
    with for the plain blocks used here: none of them splits when it fits)."""
    total = 0.0
    for flowable in story:
        if isinstance(flowable, PageBreak):
            continue
        total += flowable.wrap(*frame)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _warning_panel(texts: list[_Text]) -> _Block:
    return _Block(texts, background=WARNING_BG, padding=3 * mm, space_after=4)


def _category_for_clinician(category: str) -> str:
    return wording.CATEGORY_NAMES[category]


def _phases(plan: PlanRecord, width: float, cite: Citations) -> list[Flowable]:
    story: list[Flowable] = [_heading("Your programme, phase by phase", H1)]
    week = 1
    for number, phase in enumerate(plan.programme.phases, start=1):
        last_week = week + phase.weeks - 1
        weeks = f"week {week}" if phase.weeks == 1 else f"weeks {week}–{last_week}"
        week = last_week + 1
        story.append(CondPageBreak(60 * mm))  # never a phase heading alone at the foot of a page
        pending = plan.programme.pending_gate
        gate = pending if pending is not None and pending.phase_id == phase.id else None
        story.extend(_phase(number, phase, weeks, width, cite, gate))
    return story


def _phase(number: int, phase: Phase, weeks: str, width: float, cite: Citations,
           gate: Gate | None = None) -> list[Flowable]:
    running = wording.running_text(phase.running, phase.running_note)
    title = f"Phase {number}: {phase.name} ({weeks})"
    rows = [[[_Text("Picture", CELL_BOLD)], [_Text("Exercise and how to do it", CELL_BOLD)],
             [_Text("Dose", CELL_BOLD)]]]
    rows.extend([_Picture(p.exercise_id), _exercise(p, cite), [_Text(p.dosage.text, EXERCISE_BOLD)]]
                for p in phase.prescriptions)
    story: list[Flowable] = [
        _heading(title, H2),
        _Block([_Text(phase.goal, label="Goal: "), _Text(running, label="Running: ")], space_after=4),
        _Grid(rows, (PICTURE_COLUMN, 0.78 - PICTURE_COLUMN, 0.22), width, header=True,
              continued=f"{title}, continued"),
        _Block([_Text(figures.CREDIT, SOURCE)], space_after=4),
    ]
    # A phase without a gate (the last) has no move-on checks, so no heading for them.
    if phase.move_on_criteria:
        marker = cite.markers(criterion.source for criterion in phase.move_on_criteria)
        criteria = [_Text("Move on when:", H3)]
        criteria += [_Text(c.text, marker="☐") for c in phase.move_on_criteria]
        if gate is not None:
            criteria.append(_Text(f"Your move-on check is on {wording.day_and_date(gate.date)}: tell "
                                  "Hamstring Coach your answers (on the plan page or by voice); the next "
                                  "phase is dated then.", SMALL))
        criteria.append(_Text(f"Sources {marker}", SOURCE))
        story.append(_Block(criteria, space_before=2, space_after=8, keep_whole=True))
    return story


def _exercise(prescription: Prescription, cite: Citations) -> list[_Text]:
    cell = [_Text(prescription.name, EXERCISE_BOLD)]
    cell += [_Text(cue, EXERCISE, marker="•") for cue in prescription.cues]
    cell += [_Text(caution, EXERCISE_CAUTION, marker="⚠") for caution in prescription.cautions]
    cell.append(_Text("Sources " + cite.marker(prescription.source), SOURCE))
    return cell


def _week_by_week(plan: PlanRecord, width: float) -> list[Flowable]:
    programme = plan.programme
    story: list[Flowable] = [
        CondPageBreak(80 * mm),
        _heading("Week by week", H1),
        _Block([_Text(f"Tick each session when it is done. Times are local time ({programme.timezone}). "
                      "What to do in each session is in the phase of the same name.")], space_after=4),
    ]
    phase_names = {phase.id: phase.name for phase in programme.phases}
    for week_number, sessions in _weeks(programme.sessions):
        rows = [
            [[_Text("☐", TICK)], [_Text(wording.short_date(s.date), CELL)], [_Text(s.start_time, CELL)],
             [_Text(s.title, CELL)], [_Text(wording.RUN_KIND_NAMES[s.running], CELL)],
             [_Text(wording.minutes_text(s.duration_minutes), CELL)]]
            for s in sessions
        ]
        table = _Grid(rows, (0.06, 0.14, 0.08, 0.45, 0.17, 0.10), width, lines="rows")
        first, last = sessions[0].date, sessions[-1].date
        title = (f"Week {week_number} · {wording.short_date(first)} – {wording.short_date(last)} · "
                 f"{phase_names.get(sessions[0].phase_id, '')}")
        heading = _Block([_Text(title, H3)], space_before=6, space_after=2)
        # A week stays on one page: break before its heading when what is left is too short.
        story.append(CondPageBreak(table.wrap(width, 10**6)[1] + heading.wrap(width, 10**6)[1]))
        story.append(heading)
        story.append(table)
    if not programme.sessions:
        story.append(_Block([_Text("There are no dated sessions in this plan.")]))
    return story


def _pain_log(plan: PlanRecord, width: float, cite: Citations) -> list[Flowable]:
    """A row for every scheduled session, its date and title filled in. A referral plan has no
    training to rate: its log asks for the day's pain only, under the advice to rest until seen."""
    sessions = [s for s in plan.programme.sessions if s.kind == "session"]
    refer = plan.assessment.category == "refer"
    header = ["Date", "Day" if refer else "Session", "Pain today (0–10)" if refer else "Pain during (0–10)",
              "Next morning (0–10)", "Notes"]
    rows = [[[_Text(text, CELL_BOLD)] for text in header]]
    rows += [[[_Text(wording.short_date(s.date), CELL)], [_Text(wording.log_label(s), CELL)], [], [], []]
             for s in sessions]
    if refer:
        guide = [_Text(item.text, marker="•") for item in wording.until_seen(plan.programme)]
        intro = ("Until a clinician has seen your leg, write down how much it hurts each day and the next "
                 "morning, from 0 (none) to 10 (the worst imaginable). Bring this page to the appointment.")
    else:
        guide = _bullets(((item.text, item.source) for item in wording.PAIN_GUIDE), cite)
        intro = ("Write down your pain during each session and the next morning, from 0 (none) to 10 (the "
                 "worst imaginable). Bring this page to your physiotherapist.")
    log = _Grid(rows, (0.14, 0.30, 0.16, 0.16, 0.24), width, header=True, min_row_height=PAIN_LOG_ROW_HEIGHT,
                continued=f"Pain log, continued: a row for each of the {len(sessions)} sessions")
    return [
        CondPageBreak(90 * mm),
        _heading("Pain log", H1),
        _Block([_Text(intro, space_after=3), *guide], space_after=4),
        log,
    ]


def _references(cite: Citations) -> list[Flowable]:
    """The numbered list the markers point to, and the drawings' licence."""
    texts = [_Text(reference.text(), CELL, label=f"[{number}] ", space_after=2)
             for number, reference in cite.listed()]
    texts.append(_Text(f"{figures.CREDIT} ({figures.CREDIT_URL}): the exercise drawings are the project's "
                       "own.", CELL))
    return [CondPageBreak(40 * mm), _heading("References", H2), _Block(texts)]


def _weeks(sessions: Iterable[Session]) -> list[tuple[int, list[Session]]]:
    """Sessions by programme week (the core numbers them from the start date)."""
    blocks: dict[int, list[Session]] = {}
    for session in sorted(sessions, key=lambda s: (s.date, s.start_time, s.id)):
        blocks.setdefault(session.week, []).append(session)
    return sorted(blocks.items())


_CONTINUATION = " "  # the marker of a line that belongs to the item above it


def _bullets(items: Iterable[tuple[str, str]], cite: Citations, *, style: _Style = BODY) -> list[_Text]:
    """Each item with its reference numbers after it ("... [2, 5]")."""
    texts = []
    for text, source in items:
        marker = cite.marker(source) if source else ""
        texts.append(_Text(f"{text} {marker}" if marker else text, style, marker="•", space_after=2))
    return texts


def _section(title: str, texts: Sequence[_Text]) -> _Block:
    """A level-2 heading and its text in one block, which may run onto the next page after its
    first item (a separate heading would drag the whole section along with it)."""
    return _Block([_Text(title, H2, space_after=3), *texts], space_before=8, outline_level=1)


def _heading(text: str, style: _Style, *, level: int | None = None, space_after: float = 3) -> _Block:
    if level is None:
        level = 0 if style in (TITLE, H1) else 1
    before = {H1: 0, H2: 8, H3: 6}.get(style, 0)
    return _Block([_Text(text, style)], space_before=before, space_after=space_after, keep_with_next=True,
                  outline_level=level)


# ---- layout: wrapped text, grids and the QR code -----------------------------------------------


_word_widths: dict[tuple[str, str, float], float] = {}


def _width(text: str, font: str, size: float) -> float:
    key = (text, font, size)
    found = _word_widths.get(key)
    if found is None:
        if len(_word_widths) > 50_000:  # the words of a plan repeat; only odd input grows this
            _word_widths.clear()
        found = _word_widths[key] = pdfmetrics.stringWidth(text, font, size)
    return found


def _wrap(text: str, font: str, size: float, width: float, first_width: float) -> list[str]:
    """Greedy word wrap; a word longer than a whole line (a URL) is cut where it must be."""
    if "\n" not in text and _width(text, font, size) <= first_width:
        return [text]  # most cells and many sentences: one measurement, no splitting
    lines: list[str] = []
    space = _width(" ", font, size)
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            available = first_width if not lines else width
            word_width = _width(word, font, size)
            if line and used + space + word_width <= available:
                line, used = f"{line} {word}", used + space + word_width
                continue
            if line:
                lines.append(line)
                available = width
            while word_width > available and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and pdfmetrics.stringWidth(word[:cut], font, size) > available:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
                word_width = _width(word, font, size)
                available = width
            line, used = word, word_width
        lines.append(line)
    return lines


@dataclass
class _Laid:
    """Text laid out for one width: (x, baseline below the top, style, text) per line."""

    lines: list[tuple[float, float, _Style, str]] = field(default_factory=list)
    height: float = 0.0
    picture: tuple[str, float] | None = None  # an exercise's drawing: (exercise id, scale)


class _Picture:
    """A table cell holding an exercise's drawing (exporter.figures)."""

    def __init__(self, exercise_id: str):
        self.exercise_id = exercise_id

    def lay_out(self, width: float) -> _Laid:
        scale, height = figures.size_in_box(self.exercise_id, width, PICTURE_PANEL_HEIGHT)
        return _Laid(height=height, picture=(self.exercise_id, scale))


def _lay_out(texts: Sequence[_Text], width: float) -> _Laid:
    laid = _Laid()
    y = 0.0
    for text in texts:
        indent = 10.0 if text.marker else 0.0
        label_width = _width(text.label, FONT_BOLD, text.style.size) if text.label else 0.0
        style = text.style
        wrapped = _wrap(text.text, style.font, style.size, width - indent, width - indent - label_width)
        ascent = text.style.size * 0.93
        for number, line in enumerate(wrapped):
            baseline = y + ascent
            if number == 0 and text.marker.strip():
                laid.lines.append((0.0, baseline, text.style, text.marker))
            if number == 0 and text.label:
                laid.lines.append((indent, baseline, _Style(FONT_BOLD, text.style.size, text.style.leading,
                                                            text.style.color), text.label))
                laid.lines.append((indent + label_width, baseline, text.style, line))
            else:
                laid.lines.append((indent, baseline, text.style, line))
            y += text.style.leading
        y += text.space_after
    laid.height = y
    return laid


def _draw_text(canvas, placed: Iterable[tuple[_Laid, float, float]]) -> None:
    """Every line of a block, or of a whole table, in one text object (laid-out text, its left
    edge, its top): far cheaper than a text object or a drawString per line or per cell."""
    text_object = canvas.beginText()
    current: tuple[str, float] | None = None
    color = None
    for laid, x, top in placed:
        for dx, baseline, style, line in laid.lines:
            if (style.font, style.size) != current:
                current = (style.font, style.size)
                text_object.setFont(style.font, style.size)
            if style.color != color:
                color = style.color
                text_object.setFillColor(color)
            text_object.setTextOrigin(x + dx, top - baseline)
            text_object.textOut(line)
    canvas.drawText(text_object)


class _Block(Flowable):
    """A column of plain-text runs, optionally on a coloured panel; a heading when it has an
    outline level (it then also becomes a PDF bookmark)."""

    def __init__(self, texts: Sequence[_Text], *, space_before: float = 0, space_after: float = 3,
                 background=None, padding: float = 0, keep_with_next: bool = False,
                 outline_level: int | None = None, keep_whole: bool = False):
        super().__init__()
        self.texts = list(texts)
        self.keep_whole = keep_whole
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.background = background
        self.padding = padding
        self.keepWithNext = keep_with_next
        self.outline_level = outline_level
        self.bookmark: str | None = None
        self._laid: tuple[float, _Laid] | None = None

    def wrap(self, availWidth, availHeight):
        if self._laid is None or self._laid[0] != availWidth:
            self._laid = (availWidth, _lay_out(self.texts, availWidth - 2 * self.padding))
        self.width = availWidth
        self.height = self._laid[1].height + 2 * self.padding
        return self.width, self.height

    def split(self, availWidth, availHeight):
        """Cut between lines, so a long list may run onto the next page."""
        if self.background is not None or self.keep_whole or len(self.texts) < 2:
            return []
        # Layout is additive, so each run is measured once; a source line stays with its item.
        used, cut = 0.0, 0
        for index, text in enumerate(self.texts):
            used += _lay_out([text], availWidth).height
            if used > availHeight:
                break
            following = self.texts[index + 1] if index + 1 < len(self.texts) else None
            if following is not None and following.marker != _CONTINUATION and text.style not in _HEADINGS:
                cut = index + 1
        else:
            return [self]
        if cut == 0:
            return []
        first = _Block(self.texts[:cut], space_before=self.spaceBefore, space_after=0,
                       outline_level=self.outline_level)
        first.bookmark = self.bookmark
        return [first, _Block(self.texts[cut:], space_after=self.spaceAfter)]

    def draw(self):
        canvas = self.canv
        if self.background is not None:
            canvas.saveState()
            canvas.setFillColor(self.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canvas.restoreState()
        _draw_text(canvas, [(self._laid[1], self.padding, self.height - self.padding)])
        if self.outline_level is not None and self.bookmark is not None:
            canvas.bookmarkHorizontal(self.bookmark, 0, self.height)
            canvas.addOutlineEntry(self.texts[0].text, self.bookmark, level=self.outline_level, closed=True)


class _Grid(Flowable):
    """A table of plain-text cells, as wide as the frame; it splits between rows and repeats its
    header row on the next page, under `continued` (what the table is, so a reader of that page
    knows) when given. `lines` is "grid" (ruled cells) or "rows" (a rule under each)."""

    def __init__(self, rows: Sequence[Sequence[Sequence[_Text] | _Picture]], fractions: Sequence[float],
                 width: float, *, header: bool = False, lines: str = "grid", min_row_height: float = 0.0,
                 continued: str = "", caption: str = ""):
        super().__init__()
        self.rows = [list(row) for row in rows]
        self.fractions = tuple(fractions)
        self.header = header
        self.lines = lines
        self.min_row_height = min_row_height
        self.continued = continued
        self.caption = caption
        self.spaceAfter = 2
        self._layout(width)

    @classmethod
    def of_text(cls, rows: Iterable[Sequence[str]], fractions: Sequence[float], width: float, *,
                header: bool = False, styles: Sequence[_Style] | None = None) -> _Grid:
        cells = []
        for number, row in enumerate(rows):
            row_styles = [CELL_BOLD] * len(row) if header and number == 0 else (styles or [CELL] * len(row))
            cells.append([[_Text(text, style)] for text, style in zip(row, row_styles, strict=True)])
        return cls(cells, fractions, width, header=header)

    def _layout(self, width: float) -> None:
        self.width = width
        self.columns = [width * fraction for fraction in self.fractions]
        self.laid = [[cell.lay_out(column - 2 * CELL_PADDING) if isinstance(cell, _Picture)
                      else _lay_out(cell, column - 2 * CELL_PADDING)
                      for cell, column in zip(row, self.columns, strict=True)]
                     for row in self.rows]
        self.heights = [max(self.min_row_height, max(c.height for c in row) + 2.4 * mm) for row in self.laid]
        if self.header and self.min_row_height:
            self.heights[0] = max(cell.height for cell in self.laid[0]) + 2.4 * mm
        self.caption_height = H3.leading + 3 if self.caption else 0.0
        self.height = sum(self.heights) + self.caption_height

    def wrap(self, availWidth, availHeight):
        if abs(availWidth - self.width) > 0.01:
            self._layout(availWidth)
        return self.width, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        used, count = self.caption_height, 0
        for height in self.heights:
            if used + height > availHeight:
                break
            used += height
            count += 1
        body_start = 1 if self.header else 0
        if count <= body_start or count == len(self.rows):
            return []
        first = self._part(self.rows[:count], self.caption)
        rest = self._part(([self.rows[0]] if self.header else []) + self.rows[count:], self.continued)
        return [first, rest]

    def _part(self, rows, caption: str) -> _Grid:
        return _Grid(rows, self.fractions, self.width, header=self.header, lines=self.lines,
                     min_row_height=self.min_row_height, continued=self.continued, caption=caption)

    def draw(self):
        canvas = self.canv
        table_height = self.height - self.caption_height
        if self.caption:
            _draw_text(canvas, [(_lay_out([_Text(self.caption, H3)], self.width), 0, self.height)])
        canvas.saveState()
        if self.header:
            canvas.setFillColor(PANEL_BG)
            canvas.rect(0, table_height - self.heights[0], self.width, self.heights[0], stroke=0, fill=1)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        top = table_height
        rules = []
        for height in self.heights:
            if self.lines == "grid":
                rules.append((0, top, self.width, top))
            top -= height
            rules.append((0, top, self.width, top))
        if self.lines == "grid":
            x = 0.0
            for column in [0.0, *self.columns]:
                x += column
                rules.append((x, 0, x, table_height))
        canvas.lines(rules)
        canvas.restoreState()
        top = table_height
        placed, pictures = [], []
        for row, height in zip(self.laid, self.heights, strict=True):
            x = 0.0
            for cell, column in zip(row, self.columns, strict=True):
                # Centred vertically in "rows" tables (a calendar line), from the top in grids.
                offset = (height - cell.height) / 2 if self.lines == "rows" else 1.2 * mm
                if cell.lines:
                    placed.append((cell, x + CELL_PADDING, top - offset))
                if cell.picture is not None:
                    pictures.append((cell.picture, x + CELL_PADDING, top - offset, column - 2 * CELL_PADDING))
                x += column
            top -= height
        _draw_text(canvas, placed)
        for (exercise_id, scale), x, top, width in pictures:
            figures.draw_on_canvas(canvas, exercise_id, x, top, width, scale, FONT)


class _QRPanel(Flowable):
    """The QR code to the plan page, drawn as filled vector squares (sharp at any print size, no
    image to embed, and a link for readers who click), with the address to type beside it."""

    def __init__(self, *, plan_url: str, short_url: str, code_valid_until: dt.date | None):
        super().__init__()
        self.plan_url = plan_url
        self.text = [
            _Text("Open this plan on your phone", H3, space_after=2),
            _Text("Scan the code or type the address below. From the page you can add every session to "
                  "your calendar (Apple, Google or Outlook), download it, or print this PDF again.",
                  space_after=3),
            _Text(short_url, URL),
        ]
        if code_valid_until is not None:
            # Short codes expire (design.md §4); the QR code holds the plan's own address, which does not.
            self.text.append(_Text(f"This address works until {wording.day_and_date(code_valid_until)}; "
                                   "the QR code keeps working after that.", SMALL))
        self.spaceAfter = 6

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.laid = _lay_out(self.text, availWidth - QR_SIZE - 10 * mm)
        self.height = max(QR_SIZE, self.laid.height) + 4 * mm
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(PANEL_BG)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        left, bottom = 2 * mm, (self.height - QR_SIZE) / 2
        canvas.setFillColor(colors.white)
        canvas.rect(left, bottom, QR_SIZE, QR_SIZE, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        modules, runs = qr.dark_runs(self.plan_url)
        unit = QR_SIZE / (modules + 2 * qr.QUIET_ZONE)
        path = canvas.beginPath()
        for row, column, length in runs:
            x = left + (column + qr.QUIET_ZONE) * unit
            y = bottom + QR_SIZE - (row + qr.QUIET_ZONE + 1) * unit
            path.rect(x, y, length * unit, unit)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.linkURL(self.plan_url, (left, bottom, left + QR_SIZE, bottom + QR_SIZE), relative=1)
        canvas.restoreState()
        _draw_text(canvas, [(self.laid, QR_SIZE + 6 * mm, (self.height + self.laid.height) / 2)])


def _numbered_canvas(footer: str):
    """A canvas class that holds its pages back until the end, so every footer can say "of Y"
    after a single layout pass."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self):
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                self._draw_footer(number, total)
                super().showPage()
            super().save()

        def _draw_footer(self, number: int, total: int) -> None:
            width, _ = self._pagesize
            self.saveState()
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, MARGIN + 6 * mm, width - MARGIN, MARGIN + 6 * mm)
            self.setFillColor(MUTED)
            self.setFont(FONT, 8)
            self.drawString(MARGIN, MARGIN + 2 * mm, footer)
            self.setFont(FONT_BOLD, 8)
            self.drawRightString(width - MARGIN, MARGIN + 2 * mm, f"Page {number} of {total}")
            self.restoreState()

    return NumberedCanvas


# ---- fonts and zones, prepared once per process ------------------------------------------------


class _RememberingFont(TTFont):
    """A TrueType font that remembers, per document, how each string it drew maps onto its
    subsets. Mapping is a Python loop over every character, and a plan draws the same strings
    again and again (times, durations, session titles, the cues of exercises used in several
    phases). A character's place in a subset never changes once given, so the memory is exact."""

    def __init__(self, name: str, filename: str):
        super().__init__(name, filename)
        self._splits: WeakKeyDictionary = WeakKeyDictionary()

    def splitString(self, text, doc, encoding="utf-8"):
        memory = self._splits.get(doc)
        if memory is None:
            memory = self._splits[doc] = {}
        split = memory.get(text)
        if split is None:
            split = memory[text] = super().splitString(text, doc, encoding)
        return split


def _register_fonts() -> None:
    """DejaVu Sans ships inside the package, so any name or symbol prints on a fresh machine.
    Parsing a TrueType file costs tens of milliseconds: once per process, never per render."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if _fonts_ready:
            return
        pdfmetrics.registerFont(_RememberingFont(FONT, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(_RememberingFont(FONT_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)
        _fonts_ready = True


def _zones_of_letter_countries() -> frozenset[str]:
    global _letter_zones
    if _letter_zones is None:
        from importlib.resources import files

        zoneinfo = files("tzdata").joinpath("zoneinfo")
        country: dict[str, str] = {}
        for line in zoneinfo.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            if not line.startswith("#") and len(fields) >= 3:
                country[fields[2]] = fields[0]
        # The old names and what they now mean, read where the core reads them for its zone rule.
        # A name zone.tab lists keeps its own country (America/Nassau, in the Bahamas, links to
        # America/Toronto); any other follows its link.
        links = zone_links()
        zones = set()
        for name in country.keys() | links.keys():
            target, hops = name, 0
            while target not in country and target in links and hops < 8:
                target, hops = links[target], hops + 1
            if country.get(target) in LETTER_COUNTRIES:
                zones.add(name)
        _letter_zones = frozenset(zones)
    return _letter_zones
