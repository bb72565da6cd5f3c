"""The progress chart: laid out once, drawn as inline SVG for the page and as a reportlab Drawing
for the PDF. The tests read what is drawn (points, marks, labels) back into pain scores and days."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from reportlab.graphics.shapes import Circle, Drawing, Group, PolyLine, String, Wedge
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import SimpleDocTemplate

from exporter.charts import (
    PLOT_INSET,
    Chart,
    TextShape,
    progress_chart,
    progress_drawing,
    progress_svg,
)
from exporter.pdf import FONT_DIR
from plans.records import LoggedCheckIn
from rehab.progress import GateDate, Point, progress
from tests.exporter.plan_samples import plan_for

SVG = "{http://www.w3.org/2000/svg}"
MONDAY = dt.date(2026, 3, 16)


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


PLANNED = [day(week * 7 + weekday) for week in range(6) for weekday in (0, 2, 4)]
FALLING = [Point(day(0), "done", 5, 6), Point(day(2), "partial", 5, 4), Point(day(4), "missed"),
           Point(day(7), "done", 3, None), Point(day(9), "done", None, 2), Point(day(10), "done", 2, 2)]


TODAY = day(11)


def chart_of(check_ins=FALLING, *, today=TODAY, gates=(), planned=PLANNED) -> Chart:
    return progress_chart(progress(check_ins, planned=planned, today=today, gates=gates, start=MONDAY))


def parse(chart: Chart, **kwargs) -> ET.Element:
    return ET.fromstring(progress_svg(chart, **kwargs))


def group(svg: ET.Element, cls: str) -> ET.Element:
    return next(g for g in svg.iter(f"{SVG}g") if cls in g.get("class", "").split())


def with_class(element: ET.Element, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in element.iter(f"{SVG}{tag}") if cls in e.get("class", "").split()]


def score_at(chart: Chart, y: float) -> float:
    """Read a y coordinate back as a pain score, from the plot's box alone."""
    plot = chart.plot
    return round(10 * (plot.bottom - y) / (plot.bottom - plot.top), 6)


def day_at(chart: Chart, x: float) -> dt.date:
    first, last = chart.days
    inner = chart.plot.right - chart.plot.left - 2 * PLOT_INSET
    offset = (x - chart.plot.left - PLOT_INSET) / inner * (last - first).days
    assert abs(offset - round(offset)) < 0.01
    return first + dt.timedelta(days=round(offset))


def points(polyline: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()]


# ---- the pain lines ----------------------------------------------------------------------------

def test_the_solid_line_goes_through_the_pain_during_each_day_that_has_one():
    chart = chart_of()
    svg = parse(chart)

    [line] = with_class(group(svg, "chart-pain-during"), "polyline", "pain-during")

    assert [(day_at(chart, x), score_at(chart, y)) for x, y in points(line)] == [
        (day(0), 5), (day(2), 5), (day(7), 3), (day(10), 2)]
    assert line.get("stroke-dasharray") is None


def test_the_dashed_line_goes_through_the_pain_the_next_morning():
    chart = chart_of()
    svg = parse(chart)

    [line] = with_class(group(svg, "chart-pain-next-morning"), "polyline", "pain-next-morning")

    assert [(day_at(chart, x), score_at(chart, y)) for x, y in points(line)] == [
        (day(0), 6), (day(2), 4), (day(9), 2), (day(10), 2)]
    assert line.get("stroke-dasharray")


def test_every_score_has_a_dot_with_its_day_and_value_as_a_tooltip():
    chart = chart_of()
    svg = parse(chart)

    dots = with_class(group(svg, "chart-pain-during"), "circle", "pain-dot")

    assert [(day_at(chart, float(d.get("cx"))), score_at(chart, float(d.get("cy")))) for d in dots] == [
        (day(0), 5), (day(2), 5), (day(7), 3), (day(10), 2)]
    assert dots[0].find(f"{SVG}title").text == "Mon 16 Mar: pain during 5/10"


def test_a_fortnight_without_a_score_breaks_the_line():
    chart = chart_of([Point(day(0), "done", 4), Point(day(2), "done", 3), Point(day(20), "done", 2),
                      Point(day(22), "done", 1)], today=day(22))
    svg = parse(chart)

    lines = with_class(group(svg, "chart-pain-during"), "polyline", "pain-line")

    assert [[score_at(chart, y) for _, y in points(line)] for line in lines] == [[4, 3], [2, 1]]


def test_a_single_score_is_a_dot_without_a_line_in_the_middle_of_the_plot():
    chart = chart_of([Point(day(0), "done", 4)], today=day(0), planned=[day(0)])
    svg = parse(chart)

    assert with_class(svg, "polyline", "pain-line") == []
    [dot] = with_class(svg, "circle", "pain-dot")
    assert float(dot.get("cx")) == pytest.approx((chart.plot.left + chart.plot.right) / 2)
    assert score_at(chart, float(dot.get("cy"))) == 4


def test_the_bands_shade_the_pain_rule_with_three_and_five_inside_green_and_amber():
    chart = chart_of()
    svg = parse(chart)

    bands = {rect.get("class"): (score_at(chart, float(rect.get("y")) + float(rect.get("height"))),
                                 score_at(chart, float(rect.get("y"))))
             for rect in with_class(group(svg, "chart-bands"), "rect", "band")}

    assert bands == {"band band-green": (0, 3.5), "band band-amber": (3.5, 5.5), "band band-red": (5.5, 10)}
    labels = [t.text for t in with_class(svg, "text", "band-label")]
    assert labels == ["fine", "acceptable", "do less"]


def test_the_scale_is_labelled_where_the_bands_change():
    chart = chart_of()
    ticks = with_class(group(parse(chart), "chart-axes"), "text", "tick-label")

    scale = [t.text for t in ticks if t.get("text-anchor") == "end"]
    days = [t.text for t in ticks if t.get("text-anchor") == "middle"]

    assert scale == ["0", "3", "5", "10"]
    assert days[0] == "16 Mar" and days[-1] == "27 Mar"


# ---- sessions and gates ------------------------------------------------------------------------

def test_the_row_of_sessions_has_one_mark_per_day_in_the_shape_of_what_happened():
    chart = chart_of()
    row = group(parse(chart), "chart-sessions")

    def days_of(status: str) -> list[dt.date]:
        discs = with_class(row, "circle", f"session-{status}")
        crosses = with_class(row, "line", f"session-{status}")
        xs = [float(c.get("cx")) for c in discs]
        xs += [(float(line.get("x1")) + float(line.get("x2"))) / 2 for line in crosses]
        return sorted({day_at(chart, x) for x in xs})

    # Planned Mon/Wed/Fri up to today (day 11): days 0, 2, 4, 7, 9, 11; day 10 was an extra session.
    assert days_of("done") == [day(0), day(7), day(9), day(10)]
    assert days_of("partial") == [day(2)]
    assert days_of("missed") == [day(4)]
    assert days_of("not-logged") == [day(11)]
    assert len(with_class(row, "path", "session-partial")) == 1  # the filled half
    assert len(with_class(row, "line", "session-missed")) == 2  # a cross


def test_the_legend_counts_sessions_against_those_planned():
    chart = chart_of()
    legend = [t.text for t in with_class(group(parse(chart), "chart-legend"), "text", "legend-label")]

    assert legend == ["Pain during", "Pain the next morning", "4 done", "1 partial", "1 missed",
                      "1 not logged", "of 6 planned"]


def test_gates_are_vertical_markers_with_a_label_and_one_still_to_come_is_dashed():
    chart = chart_of(gates=[GateDate(day(7), "Phase 2 check"), GateDate(day(18), "Return-to-run check")])
    gates = group(parse(chart), "chart-gates")

    lines = with_class(gates, "line", "gate")
    labels = [t.text for t in with_class(gates, "text", "gate-label")]

    assert {day_at(chart, float(line.get("x1"))) for line in lines} == {day(7), day(18)}
    assert all(line.get("x1") == line.get("x2") for line in lines)
    ahead = {day_at(chart, float(line.get("x1"))) for line in lines if "gate-ahead" in line.get("class")}
    assert ahead == {day(18)}
    assert all(line.get("stroke-dasharray") for line in lines if "gate-ahead" in line.get("class"))
    assert labels == ["Phase 2 check, 23 Mar", "Return-to-run check, 3 Apr"]
    assert chart.days == (MONDAY, day(18))
    assert [t.text for t in with_class(parse(chart), "text", "today-label")] == ["today"]


def test_check_ins_with_no_score_say_so_in_the_plot():
    chart = chart_of([Point(day(0), "missed"), Point(day(2), "missed")], today=day(3))
    svg = parse(chart)

    assert with_class(svg, "circle", "pain-dot") == []
    assert [t.text for t in with_class(svg, "text", "no-scores")] == ["No pain scores yet"]
    assert "You have logged 2 missed sessions" in svg.find(f"{SVG}desc").text


# Twelve weeks, four sessions a week, two-digit counts and a gate at the right edge; and the empty panel.
LONGEST = [day(week * 7 + weekday) for week in range(12) for weekday in (0, 2, 4, 5)]


@pytest.mark.parametrize(("check_ins", "today"), [
    ([Point(d, ("done", "partial", "missed", "done")[i % 4], i % 7, (i + 3) % 7)
      for i, d in enumerate(LONGEST[:-8])], LONGEST[-1]),
    ([], MONDAY),
], ids=["longest plan", "empty panel"])
def test_no_text_runs_off_the_chart_in_the_pdf_font(check_ins, today):
    gates = [GateDate(LONGEST[-1], "Return-to-run check")]
    chart = chart_of(check_ins, today=today, planned=LONGEST, gates=gates)
    if "ChartTestSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("ChartTestSans", str(FONT_DIR / "DejaVuSans.ttf")))

    for layer in chart.layers:
        for text in (shape for shape in layer.shapes if isinstance(shape, TextShape)):
            width = pdfmetrics.stringWidth(text.text, "ChartTestSans", text.size)
            left = {"start": text.x, "middle": text.x - width / 2, "end": text.x - width}[text.anchor]
            assert left >= 0 and left + width <= chart.width, (layer.name, text.text)


# ---- the page's SVG: accessible, inert, escaped ------------------------------------------------

def test_the_svg_is_an_image_named_by_its_title_and_described_by_the_sentence():
    chart = chart_of(gates=[day(7)])
    svg = parse(chart, id_prefix="plan-progress")

    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "plan-progress-title plan-progress-desc"
    assert (title.get("id"), desc.get("id")) == ("plan-progress-title", "plan-progress-desc")
    assert title.text == "Pain and sessions over time"
    assert desc.text.startswith("Your pain has come down from 6 to 2 over 10 days. ")
    assert "Sessions so far: 4 done, 1 partial, 1 missed and 1 not logged, of 6 planned." in desc.text
    assert "Gate checks: Gate check, Mon 23 Mar." in desc.text
    assert svg.get("viewBox") == f"0 0 {chart.width:g} {chart.height:g}"


def test_the_svg_has_no_script_no_style_attribute_and_no_outside_reference():
    text = progress_svg(chart_of(gates=[day(7)]))
    svg = ET.fromstring(text)

    tags = {element.tag.removeprefix(SVG) for element in svg.iter()}
    attributes = {name for element in svg.iter() for name in element.attrib}
    assert tags <= {"svg", "title", "desc", "g", "rect", "line", "polyline", "circle", "path", "text"}
    assert not attributes & {"style", "href", "{http://www.w3.org/1999/xlink}href", "onload", "onclick"}
    assert re.findall(r"https?://[^\"]+", text) == ["http://www.w3.org/2000/svg"]


def test_text_in_the_svg_is_escaped():
    label = 'Gate <b>"A" & B</b>'
    svg = parse(chart_of(gates=[GateDate(day(7), label)]))

    [text] = with_class(svg, "text", "gate-label")
    assert text.text == f"{label}, 23 Mar"
    assert list(text) == []


def test_the_same_progress_gives_the_same_svg_bytes():
    first = progress_svg(chart_of(gates=[day(7), GateDate(day(18), "Return-to-run check")]))
    again = progress_svg(chart_of(list(FALLING), gates=[GateDate(day(18), "Return-to-run check"), day(7)]))

    assert first == again
    assert progress_svg(chart_of(FALLING[:-1])) != first


# ---- the empty state ---------------------------------------------------------------------------

def test_before_any_check_in_the_svg_is_a_small_panel_saying_so():
    chart = chart_of([], today=day(3))
    svg = parse(chart)

    assert chart.empty and chart.height < 100
    assert "progress-chart-empty" in svg.get("class").split()
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert texts[0] == "Your progress"
    assert texts[1] == "No check-ins yet: tell me after your next session how it went."
    assert with_class(svg, "polyline", "pain-line") == [] and with_class(svg, "circle", "session") == []
    assert svg.find(f"{SVG}desc").text == "No check-ins yet: tell me after your next session how it went."


def test_before_any_check_in_the_drawing_is_the_same_panel():
    drawing = progress_drawing(chart_of([], today=day(3)))

    shapes = list(_leaves(drawing))
    title, *lines = [s.text for s in shapes if isinstance(s, String)]
    assert title == "Your progress"
    assert " ".join(lines) == ("No check-ins yet: tell me after your next session how it went. "
                               "Your pain scores and sessions will be charted here from your first check-in.")
    assert not any(isinstance(s, (PolyLine, Circle)) for s in shapes)


# ---- the PDF's Drawing -------------------------------------------------------------------------

def _leaves(node):
    for child in node.getContents():
        if isinstance(child, Group):
            yield from _leaves(child)
        else:
            yield child


def _up(chart: Chart, flat: list[float]) -> list[tuple[float, float]]:
    """A PolyLine's points turned back into the chart's y-down coordinates."""
    return [(flat[i], chart.height - flat[i + 1]) for i in range(0, len(flat), 2)]


def test_the_drawing_draws_the_same_pain_lines_in_its_own_coordinates():
    chart = chart_of()
    drawing = progress_drawing(chart)

    [during] = [s for s in drawing.chart.pain_during.contents if isinstance(s, PolyLine)]
    [morning] = [s for s in drawing.chart.pain_next_morning.contents if isinstance(s, PolyLine)]

    assert [(day_at(chart, x), score_at(chart, y)) for x, y in _up(chart, during.points)] == [
        (day(0), 5), (day(2), 5), (day(7), 3), (day(10), 2)]
    assert [score_at(chart, y) for _, y in _up(chart, morning.points)] == [6, 4, 2, 2]
    assert not during.strokeDashArray and morning.strokeDashArray
    svg_during = with_class(parse(chart), "polyline", "pain-during")[0]
    assert points(svg_during) == [(pytest.approx(x, abs=0.005), pytest.approx(y, abs=0.005))
                                  for x, y in _up(chart, during.points)]


def test_the_drawing_marks_sessions_and_gates_and_prints_the_legend_in_the_pdf_font():
    chart = chart_of(gates=[GateDate(day(7), "Phase 2 check")])
    drawing = progress_drawing(chart, font="Times-Roman", bold_font="Times-Bold")

    row = drawing.chart.sessions.contents
    assert sum(isinstance(s, Wedge) for s in row) == 1  # the half of the partly done session
    strings = [s for s in _leaves(drawing) if isinstance(s, String)]
    assert {s.fontName for s in strings} == {"Times-Roman"}
    texts = [s.text for s in strings]
    assert "Phase 2 check, 23 Mar" in texts
    assert texts[-5:] == ["4 done", "1 partial", "1 missed", "1 not logged", "of 6 planned"]
    gate_lines = [s for s in drawing.chart.gates.contents if not isinstance(s, String)]
    assert {day_at(chart, line.x1) for line in gate_lines} == {day(7)}
    assert {(line.x1 == line.x2, line.y2 > line.y1) for line in gate_lines} == {(True, False)}  # y runs up


def test_the_drawing_scales_to_the_width_asked_and_keeps_its_proportions():
    chart = chart_of()

    drawing = progress_drawing(chart, width=340)

    assert drawing.width == pytest.approx(340)
    assert drawing.height == pytest.approx(chart.height * 340 / chart.width)
    assert drawing.chart.transform[0] == drawing.chart.transform[3] == pytest.approx(340 / chart.width)


def test_a_pdf_with_the_drawing_is_the_same_bytes_each_time():
    def render() -> bytes:
        buffer = io.BytesIO()
        chart = chart_of(gates=[day(7)])
        SimpleDocTemplate(buffer, invariant=1).build([progress_drawing(chart, width=340)])
        return buffer.getvalue()

    first = render()
    assert first == render()
    assert first.startswith(b"%PDF")


# ---- from a stored plan ------------------------------------------------------------------------

def _logged(number: int, date: dt.date, session: str, during: int | None,
            morning: int | None) -> LoggedCheckIn:
    return LoggedCheckIn(
        number=number, date=date, session=session, pain_during=during, pain_next_morning=morning,
        criteria={}, limp=None, swelling=None, verdict="hold", light="amber", rule_id="r", says="",
        revision=1, changes="", recorded_at=dt.datetime(2026, 3, 16, 20, tzinfo=dt.UTC))


def test_a_stored_plan_charts_its_check_ins_against_its_own_sessions():
    plan = plan_for()
    sessions = plan.programme.sessions
    plan = dataclasses.replace(plan, check_ins=(
        _logged(1, sessions[0].date, "done", 5, 4), _logged(2, sessions[1].date, "missed", None, None),
        _logged(3, sessions[3].date, "done", 3, 2)))
    today = sessions[4].date

    summary = progress(plan.check_ins, planned=[s.date for s in sessions], today=today,
                       start=plan.programme.start_date)
    chart = progress_chart(summary)

    assert [s.date.day for s in sessions[:5]] == [16, 18, 20, 21, 23]  # Mon, Wed, Fri, Sat, Mon
    assert summary.sentence() == "Your pain has come down from 5 to 3 over 5 days."
    assert summary.planned == 5 and summary.count("not_logged") == 2
    svg = parse(chart)
    [line] = with_class(svg, "polyline", "pain-during")
    assert [(day_at(chart, x), score_at(chart, y)) for x, y in points(line)] == [
        (sessions[0].date, 5), (sessions[3].date, 3)]
    assert isinstance(progress_drawing(chart), Drawing)

