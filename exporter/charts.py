"""The progress chart, drawn once: pain during a session and the next morning over time on the pain
rule's green, amber and red bands, the sessions done against those planned as a row of marks
under it, and gate checks as vertical markers.

`progress_chart` lays the chart out from `rehab.progress.Progress` into a plain description: a
size and layers of positioned shapes (rectangles, lines, polylines, circles, half discs, text),
each with its colours and a CSS class. The two renderers only translate shapes: `progress_svg`
into inline SVG for the plan page (no script, no external reference, no style attribute, so the
page's CSP holds; colours are presentation attributes that exporter/static/charts.css may
override) and `progress_drawing` into a reportlab Drawing for the PDF. Both are deterministic:
numbers are rounded and written the same way, shapes come in a fixed order.

Coordinates are in chart units, origin top left, y down (as in SVG); the Drawing flips them.
Text widths are estimated from Helvetica's metrics with a margin, since the page's font is the
browser's and the PDF's is DejaVu Sans: they only decide where the legend's items go and where
the empty panel's text wraps.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from reportlab.graphics.shapes import Circle as RLCircle
from reportlab.graphics.shapes import Drawing, Group, PolyLine, Rect, String, Wedge
from reportlab.graphics.shapes import Line as RLLine
from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from exporter import wording
from rehab.clock import month_name
from rehab.progress import PAIN_BANDS, PAIN_MAX, PAIN_MIN, PainReading, Progress

TITLE = "Pain and sessions over time"
WIDTH = 400.0
EMPTY_TITLE = "Your progress"
NO_SCORES = "No pain scores yet"
EMPTY_HINT = "Your pain scores and sessions will be charted here from your first check-in."

# Layout, in chart units (the SVG's viewBox; points in the PDF before scaling).
LEGEND_Y = 14.0
PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 28.0, 30.0, 340.0, 170.0
PLOT_INSET = 10.0  # keeps the first and last day's dots off the plot's edges
RIGHT_LABEL_X = PLOT_RIGHT + 6
TICK_LABEL_Y = PLOT_BOTTOM + 13
SESSIONS_Y = PLOT_BOTTOM + 32
SESSIONS_LEGEND_Y = SESSIONS_Y + 24
HEIGHT = SESSIONS_LEGEND_Y + 10
MAX_X_TICKS = 5
# Scores further apart than this are not joined by a line: a fortnight without a score is a gap.
GAP_DAYS = 14
SCALE_TICKS = (PAIN_MIN, *(band.high for band in PAIN_BANDS))  # 0, 3, 5, 10: where the bands change
FONT_SIZE = 10.0
SMALL_FONT_SIZE = 9.0
TEXT_WIDTH_MARGIN = 1.15  # DejaVu Sans and system UI fonts run wider than Helvetica
SVG_FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif'

# The palette of the page and the PDF (style.css, exporter/pdf.py), plus three pale bands.
INK = "#1d2327"
ACCENT = "#0b5c66"
MUTED = "#5a646b"
RULE = "#b8c2c8"
WARNING_INK = "#8a2b06"
PANEL = "#eef5f6"
WHITE = "#ffffff"
BAND_FILLS = {"green": "#e2f0e3", "amber": "#fbefd0", "red": "#f8dcd8"}

# ---- the description ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float


@dataclass(frozen=True)
class RectShape:
    x: float
    y: float
    width: float
    height: float
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 0.0
    radius: float = 0.0
    cls: str = ""


@dataclass(frozen=True)
class LineShape:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    stroke_width: float = 1.0
    dash: tuple[float, ...] = ()
    cls: str = ""


@dataclass(frozen=True)
class PolylineShape:
    points: tuple[tuple[float, float], ...]
    stroke: str
    stroke_width: float = 1.0
    dash: tuple[float, ...] = ()
    cls: str = ""


@dataclass(frozen=True)
class CircleShape:
    x: float
    y: float
    r: float
    fill: str | None
    stroke: str | None = None
    stroke_width: float = 0.0
    cls: str = ""
    tip: str = ""  # a tooltip on the page (SVG <title>); not printed


@dataclass(frozen=True)
class HalfDiscShape:
    """The lower half of a disc: with a ring round it, the mark of a partly done session."""

    x: float
    y: float
    r: float
    fill: str
    cls: str = ""


@dataclass(frozen=True)
class TextShape:
    x: float
    y: float  # the baseline
    text: str
    size: float = FONT_SIZE
    fill: str = INK
    anchor: str = "start"  # "start" | "middle" | "end"
    bold: bool = False
    cls: str = ""


Shape = RectShape | LineShape | PolylineShape | CircleShape | HalfDiscShape | TextShape


@dataclass(frozen=True)
class Layer:
    """A group of shapes drawn together: an SVG <g> with `cls`, a Drawing Group named `name`."""

    name: str
    cls: str
    shapes: tuple[Shape, ...]


@dataclass(frozen=True)
class Chart:
    """The chart, laid out once. `plot` is the pain plot's box (None for the empty panel): a score
    s is drawn at y = plot.bottom - s / 10 * (plot.bottom - plot.top). `days` are the first and last
    day of the x axis, drawn PLOT_INSET inside the plot's left and right sides."""

    width: float
    height: float
    title: str
    description: str  # the sentence, the sessions and the gates, for a screen reader
    sentence: str
    empty: bool
    layers: tuple[Layer, ...]
    plot: Box | None = None
    days: tuple[dt.date, dt.date] | None = None

    def layer(self, name: str) -> Layer:
        return next(layer for layer in self.layers if layer.name == name)


# ---- layout ------------------------------------------------------------------------------------

def progress_chart(progress: Progress) -> Chart:
    """Lay out the chart of a plan's progress: the empty panel before the first check-in."""
    days = progress.days()
    if days is None:
        return _empty_panel(progress)
    scale = _Scale(days)
    layers = (
        Layer("bands", "chart-bands", _bands()),
        Layer("axes", "chart-axes", _axes(scale, progress)),
        Layer("gates", "chart-gates", _gates(scale, progress)),
        Layer("pain_next_morning", "chart-pain chart-pain-next-morning",
              _series(scale, progress.readings, "next_morning")),
        Layer("pain_during", "chart-pain chart-pain-during", _series(scale, progress.readings, "during")),
        Layer("sessions", "chart-sessions", _sessions(scale, progress)),
        Layer("legend", "chart-legend", _legend(progress)),
    )
    sentence = progress.sentence()
    return Chart(width=WIDTH, height=HEIGHT, title=TITLE, description=_description(progress, sentence),
                 sentence=sentence, empty=False, layers=layers,
                 plot=Box(PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM), days=days)


class _Scale:
    def __init__(self, days: tuple[dt.date, dt.date]):
        self.first, self.last = days
        self.span = (self.last - self.first).days

    def x(self, day: dt.date) -> float:
        inner = PLOT_RIGHT - PLOT_LEFT - 2 * PLOT_INSET
        if self.span == 0:
            return PLOT_LEFT + PLOT_INSET + inner / 2
        return PLOT_LEFT + PLOT_INSET + inner * (day - self.first).days / self.span

    @staticmethod
    def y(score: float) -> float:
        return PLOT_BOTTOM - (score - PAIN_MIN) / (PAIN_MAX - PAIN_MIN) * (PLOT_BOTTOM - PLOT_TOP)


def _bands() -> tuple[Shape, ...]:
    """The pain rule's bands, each from half a point below its lowest score to half a point above
    its highest, so a score of 3 sits inside green and 4 inside amber."""
    shapes: list[Shape] = []
    for band in PAIN_BANDS:
        top = _Scale.y(min(band.high + 0.5, PAIN_MAX))
        bottom = _Scale.y(max(band.low - 0.5, PAIN_MIN))
        shapes.append(RectShape(PLOT_LEFT, top, PLOT_RIGHT - PLOT_LEFT, bottom - top, BAND_FILLS[band.id],
                                cls=f"band band-{band.id}"))
        shapes.append(TextShape(RIGHT_LABEL_X, (top + bottom) / 2 + SMALL_FONT_SIZE / 3, band.label,
                                SMALL_FONT_SIZE, MUTED, cls=f"band-label band-label-{band.id}"))
    return tuple(shapes)


def _axes(scale: _Scale, progress: Progress) -> tuple[Shape, ...]:
    shapes: list[Shape] = []
    for score in SCALE_TICKS:
        y = _Scale.y(score)
        shapes.append(LineShape(PLOT_LEFT, y, PLOT_RIGHT, y, WHITE, 0.8, cls="grid"))
        shapes.append(TextShape(PLOT_LEFT - 5, y + FONT_SIZE / 3, str(score), FONT_SIZE, MUTED, "end",
                                cls="tick-label"))
    shapes.append(LineShape(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT, PLOT_BOTTOM, MUTED, 0.8, cls="axis"))
    for day in _x_ticks(scale.first, scale.last):
        x = scale.x(day)
        shapes.append(LineShape(x, PLOT_BOTTOM, x, PLOT_BOTTOM + 3, MUTED, 0.8, cls="axis"))
        shapes.append(TextShape(x, TICK_LABEL_Y, _day_label(day), FONT_SIZE, MUTED, "middle",
                                cls="tick-label"))
    if scale.last > progress.today >= scale.first:
        # The chart runs on to a gate still to come: show where today is.
        x = scale.x(progress.today)
        shapes.append(LineShape(x, PLOT_TOP, x, PLOT_BOTTOM, MUTED, 0.8, (1.5, 2.0), cls="today"))
        shapes.append(TextShape(x, PLOT_BOTTOM - 4, "today", SMALL_FONT_SIZE, MUTED, "middle",
                                cls="today-label"))
    shapes.append(TextShape(RIGHT_LABEL_X, SESSIONS_Y + FONT_SIZE / 3, "sessions", SMALL_FONT_SIZE, MUTED,
                            cls="row-label"))
    if not progress.readings:
        shapes.append(TextShape((PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2, NO_SCORES,
                                FONT_SIZE + 1, INK, "middle", cls="no-scores"))
    return tuple(shapes)


def _x_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    """Up to MAX_X_TICKS days, evenly spaced in whole days, always the first and the last."""
    span = (last - first).days
    if span == 0:
        return [first]
    step = max(1, math.ceil(span / (MAX_X_TICKS - 1)))
    ticks = [first + dt.timedelta(days=offset) for offset in range(0, span, step)]
    if (last - ticks[-1]).days < step / 2 and len(ticks) > 1:
        ticks.pop()  # too close to the last day for both labels to fit
    return [*ticks, last]


def _gates(scale: _Scale, progress: Progress) -> tuple[Shape, ...]:
    shapes: list[Shape] = []
    for number, gate in enumerate(progress.gates):
        x = scale.x(gate.date)
        ahead = gate.date > progress.today
        dash, cls = ((3.0, 2.0), "gate gate-ahead") if ahead else ((), "gate")
        # Down the plot and across the session row, leaving the day labels between them clear.
        shapes.append(LineShape(x, PLOT_TOP, x, PLOT_BOTTOM, ACCENT, 1.2, dash, cls=cls))
        shapes.append(LineShape(x, SESSIONS_Y - 8, x, SESSIONS_Y + 8, ACCENT, 1.2, dash, cls=cls))
        # Alternate two rows so labels of gates close together do not print over each other.
        y = PLOT_TOP + 9 + (number % 2) * 10
        label = f"{gate.label}, {_day_label(gate.date)}"
        near_right = x + 4 + _text_width(label, SMALL_FONT_SIZE) > PLOT_RIGHT
        shapes.append(TextShape(x - 3 if near_right else x + 3, y, label, SMALL_FONT_SIZE, ACCENT,
                                "end" if near_right else "start", cls="gate-label"))
    return tuple(shapes)


_SERIES = {
    # series: (line colour, line width, dash, CSS name, words)
    "during": (ACCENT, 2.0, (), "pain-during", "pain during"),
    "next_morning": (INK, 1.5, (4.0, 3.0), "pain-next-morning", "pain the next morning"),
}


def _series(scale: _Scale, readings: Sequence[PainReading], series: str) -> tuple[Shape, ...]:
    """A line through the days that have this score (a day without one is stepped over), broken
    where two scores are more than GAP_DAYS apart, and a dot on every score: a filled dot for pain
    during, a ring for the next morning, so both show where they are equal."""
    colour, width, dash, name, words = _SERIES[series]
    scored = [(r.date, getattr(r, series)) for r in readings if getattr(r, series) is not None]
    runs: list[list[tuple[dt.date, int]]] = []
    for day, score in scored:
        if runs and (day - runs[-1][-1][0]).days <= GAP_DAYS:
            runs[-1].append((day, score))
        else:
            runs.append([(day, score)])
    shapes: list[Shape] = [
        PolylineShape(tuple((scale.x(day), scale.y(score)) for day, score in run), colour, width, dash,
                      cls=f"pain-line {name}")
        for run in runs if len(run) > 1
    ]
    xs = [scale.x(day) for day, _ in scored]
    closest = min((b - a for a, b in zip(xs, xs[1:], strict=False)), default=10.0)
    dense = closest < 8  # dots shrink rather than pile up on a long plan
    for day, score in scored:
        tip = f"{wording.short_date(day)}: {words} {score}/{PAIN_MAX}"
        x, y = scale.x(day), scale.y(score)
        if series == "during":
            shapes.append(CircleShape(x, y, 2.2 if dense else 3.0, colour, cls=f"pain-dot {name}", tip=tip))
        else:
            shapes.append(CircleShape(x, y, 3.2 if dense else 4.5, None, colour, 1.1 if dense else 1.3,
                                      cls=f"pain-dot {name}", tip=tip))
    return tuple(shapes)


_STATUS_WORDS = {"done": "done", "partial": "partial", "missed": "missed", "not_logged": "not logged"}


def _mark(status: str, x: float, y: float, r: float, tip: str = "") -> tuple[Shape, ...]:
    """The glyph of a session: a disc done, a half-filled ring partly done, a cross missed, a small
    grey ring planned and not reported. Shapes as well as colours, so they read in black and white."""
    cls = f"session session-{status.replace('_', '-')}"
    if status == "done":
        return (CircleShape(x, y, r, ACCENT, cls=cls, tip=tip),)
    if status == "partial":
        return (CircleShape(x, y, r, WHITE, ACCENT, 1.2, cls=cls, tip=tip),
                HalfDiscShape(x, y, r, ACCENT, cls=cls))
    if status == "missed":
        arm = r * 0.85
        return (LineShape(x - arm, y - arm, x + arm, y + arm, WARNING_INK, 1.6, cls=cls),
                LineShape(x - arm, y + arm, x + arm, y - arm, WARNING_INK, 1.6, cls=cls))
    return (CircleShape(x, y, r * 0.7, WHITE, MUTED, 1.0, cls=cls, tip=tip),)


def _sessions(scale: _Scale, progress: Progress) -> tuple[Shape, ...]:
    shapes: list[Shape] = [LineShape(PLOT_LEFT, SESSIONS_Y, PLOT_RIGHT, SESSIONS_Y, RULE, 0.8,
                                     cls="sessions-rule")]
    xs = [scale.x(mark.date) for mark in progress.sessions]
    closest = min((b - a for a, b in zip(xs, xs[1:], strict=False)), default=10.0)
    r = max(2.0, min(4.0, closest / 2 - 0.5))  # marks shrink rather than overlap on a long plan
    for mark, x in zip(progress.sessions, xs, strict=True):
        tip = f"{wording.short_date(mark.date)}: {_STATUS_WORDS[mark.status]}"
        shapes.extend(_mark(mark.status, x, SESSIONS_Y, r, tip))
    return tuple(shapes)


def _legend(progress: Progress) -> tuple[Shape, ...]:
    shapes: list[Shape] = []
    x = PLOT_LEFT
    for series in ("during", "next_morning"):
        colour, width, dash, name, words = _SERIES[series]
        shapes.append(LineShape(x, LEGEND_Y - 3, x + 18, LEGEND_Y - 3, colour, width, dash,
                                cls=f"legend-line {name}"))
        label = words[:1].upper() + words[1:]
        shapes.append(TextShape(x + 23, LEGEND_Y, label, FONT_SIZE, INK, cls="legend-label"))
        x += 23 + _text_width(label, FONT_SIZE) + 14
    if progress.gates:
        shapes.append(LineShape(x + 4, LEGEND_Y - 9, x + 4, LEGEND_Y + 2, ACCENT, 1.2,
                                cls="legend-line gate"))
        shapes.append(TextShape(x + 10, LEGEND_Y, "Gate check", FONT_SIZE, INK, cls="legend-label"))
    x = PLOT_LEFT
    for status in ("done", "partial", "missed", "not_logged"):
        shapes.extend(_mark(status, x + 4, SESSIONS_LEGEND_Y - 3, 4.0))
        label = f"{progress.count(status)} {_STATUS_WORDS[status]}"
        shapes.append(TextShape(x + 12, SESSIONS_LEGEND_Y, label, FONT_SIZE, INK, cls="legend-label"))
        x += 12 + _text_width(label, FONT_SIZE) + 10
    shapes.append(TextShape(x, SESSIONS_LEGEND_Y, f"of {progress.planned} planned", FONT_SIZE, MUTED,
                            cls="legend-label"))
    return tuple(shapes)


def _description(progress: Progress, sentence: str) -> str:
    sessions = (f"Sessions so far: {progress.count('done')} done, {progress.count('partial')} partial, "
                f"{progress.count('missed')} missed and {progress.count('not_logged')} not logged, "
                f"of {progress.planned} planned.")
    parts = [sentence, sessions]
    if progress.gates:
        parts.append("Gate checks: " + "; ".join(f"{g.label}, {wording.short_date(g.date)}"
                                                  for g in progress.gates) + ".")
    bands = ", ".join(f"{band.low} to {band.high} {band.label}" for band in PAIN_BANDS)
    parts.append(f"Pain during sessions is the solid line, the next morning the dashed line, on bands of "
                 f"{bands}.")
    return " ".join(parts)


def _empty_panel(progress: Progress) -> Chart:
    sentence = progress.sentence()
    inner = WIDTH - 32
    lines = _wrap(sentence, FONT_SIZE + 1, inner) + _wrap(EMPTY_HINT, FONT_SIZE, inner)
    sentence_lines = len(_wrap(sentence, FONT_SIZE + 1, inner))
    shapes: list[Shape] = [TextShape(16, 24, EMPTY_TITLE, FONT_SIZE + 3, ACCENT, bold=True,
                                     cls="panel-title")]
    y = 24.0
    for number, line in enumerate(lines):
        hint = number >= sentence_lines
        y += 15 if number else 20
        shapes.append(TextShape(16, y, line, FONT_SIZE if hint else FONT_SIZE + 1, MUTED if hint else INK,
                                cls="panel-hint" if hint else "panel-text"))
    height = y + 14
    panel = RectShape(0.5, 0.5, WIDTH - 1, height - 1, PANEL, RULE, 1.0, 6.0, cls="panel")
    return Chart(width=WIDTH, height=height, title=TITLE, description=sentence, sentence=sentence, empty=True,
                 layers=(Layer("panel", "chart-panel", (panel, *shapes)),))


def _day_label(day: dt.date) -> str:
    return f"{day.day} {month_name(day)[:3]}"


def _text_width(text: str, size: float) -> float:
    return stringWidth(text, "Helvetica", size) * TEXT_WIDTH_MARGIN


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and _text_width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


# ---- SVG ---------------------------------------------------------------------------------------

def progress_svg(chart: Chart, *, id_prefix: str = "progress") -> str:
    """The chart as inline SVG for the plan page: role="img" with a <title> and a <desc> (the
    sentence, the sessions and the gates), no script, no external reference, no style attribute.
    `id_prefix` makes the title's and description's ids unique on the page."""
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    classes = "progress-chart progress-chart-empty" if chart.empty else "progress-chart"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{classes}" viewBox="0 0 {_n(chart.width)} '
        f'{_n(chart.height)}" width="{_n(chart.width)}" height="{_n(chart.height)}" role="img" '
        f'aria-labelledby={quoteattr(f"{title_id} {desc_id}")} font-family={quoteattr(SVG_FONT_FAMILY)}>',
        f"<title id={quoteattr(title_id)}>{escape(chart.title)}</title>",
        f"<desc id={quoteattr(desc_id)}>{escape(chart.description)}</desc>",
    ]
    for layer in chart.layers:
        out.append(f"<g class={quoteattr(layer.cls)}>")
        out.extend(_svg_shape(shape) for shape in layer.shapes)
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _svg_shape(shape: Shape) -> str:
    cls = f" class={quoteattr(shape.cls)}" if shape.cls else ""
    if isinstance(shape, RectShape):
        radius = f' rx="{_n(shape.radius)}"' if shape.radius else ""
        paint = _paint(shape.fill, shape.stroke, shape.stroke_width)
        return (f'<rect{cls} x="{_n(shape.x)}" y="{_n(shape.y)}" width="{_n(shape.width)}" '
                f'height="{_n(shape.height)}"{radius}{paint}/>')
    if isinstance(shape, LineShape):
        return (f'<line{cls} x1="{_n(shape.x1)}" y1="{_n(shape.y1)}" x2="{_n(shape.x2)}" y2="{_n(shape.y2)}"'
                f'{_paint(None, shape.stroke, shape.stroke_width, shape.dash)}/>')
    if isinstance(shape, PolylineShape):
        points = " ".join(f"{_n(x)},{_n(y)}" for x, y in shape.points)
        paint = _paint(None, shape.stroke, shape.stroke_width, shape.dash)
        return f'<polyline{cls} points="{points}"{paint} stroke-linejoin="round" stroke-linecap="round"/>'
    if isinstance(shape, CircleShape):
        attributes = (f'<circle{cls} cx="{_n(shape.x)}" cy="{_n(shape.y)}" r="{_n(shape.r)}"'
                      f'{_paint(shape.fill, shape.stroke, shape.stroke_width)}')
        return f"{attributes}><title>{escape(shape.tip)}</title></circle>" if shape.tip else f"{attributes}/>"
    if isinstance(shape, HalfDiscShape):
        # From the left end of the diameter to the right through the bottom (sweep 0 with y down).
        x, y, r = shape.x, shape.y, shape.r
        return (f'<path{cls} d="M{_n(x - r)},{_n(y)} A{_n(r)},{_n(r)} 0 0 0 {_n(x + r)},{_n(y)} Z"'
                f'{_paint(shape.fill, None, 0)}/>')
    weight = ' font-weight="bold"' if shape.bold else ""
    anchor = f' text-anchor="{shape.anchor}"' if shape.anchor != "start" else ""
    return (f'<text{cls} x="{_n(shape.x)}" y="{_n(shape.y)}" font-size="{_n(shape.size)}"{anchor}{weight} '
            f'fill="{shape.fill}">{escape(shape.text)}</text>')


def _paint(fill: str | None, stroke: str | None, width: float, dash: Iterable[float] = ()) -> str:
    parts = [f' fill="{fill or "none"}"']
    if stroke:
        parts.append(f' stroke="{stroke}" stroke-width="{_n(width)}"')
        dash = tuple(dash)
        if dash:
            parts.append(f' stroke-dasharray="{" ".join(_n(d) for d in dash)}"')
    return "".join(parts)


def _n(value: float) -> str:
    """A coordinate as the SVG writes it: at most two decimals, no trailing zeros, never '-0'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# ---- reportlab ---------------------------------------------------------------------------------

def progress_drawing(chart: Chart, *, width: float | None = None, font: str = "Helvetica",
                     bold_font: str = "Helvetica-Bold") -> Drawing:
    """The chart as a reportlab Drawing (a flowable) for the PDF, `width` points wide (the chart's
    own width when None; the height follows). `font` and `bold_font` are registered font names: the
    PDF passes its own. Each layer is a Group named after it (`drawing.chart.pain_during`)."""
    scale = (width or chart.width) / chart.width
    drawing = Drawing(chart.width * scale, chart.height * scale)
    # The renderer starts every drawing in this font: left at its default (Helvetica), a PDF that
    # embeds all its own fonts would name one it does not embed.
    drawing.initialFontName = font
    root = Group()
    root.scale(scale, scale)
    for layer in chart.layers:
        group = Group()
        for shape in layer.shapes:
            group.add(_rl_shape(shape, chart.height, font, bold_font))
        root.add(group, name=layer.name)
    drawing.add(root, name="chart")
    return drawing


def _rl_shape(shape: Shape, height: float, font: str, bold_font: str):
    def up(y: float) -> float:  # the Drawing's y runs up from the bottom
        return height - y

    if isinstance(shape, RectShape):
        return Rect(shape.x, up(shape.y + shape.height), shape.width, shape.height, rx=shape.radius,
                    ry=shape.radius, **_rl_paint(shape.fill, shape.stroke, shape.stroke_width))
    if isinstance(shape, LineShape):
        return RLLine(shape.x1, up(shape.y1), shape.x2, up(shape.y2),
                      **_rl_paint(None, shape.stroke, shape.stroke_width, shape.dash))
    if isinstance(shape, PolylineShape):
        points = [coordinate for x, y in shape.points for coordinate in (x, up(y))]
        return PolyLine(points, strokeLineJoin=1, strokeLineCap=1,
                        **_rl_paint(None, shape.stroke, shape.stroke_width, shape.dash))
    if isinstance(shape, CircleShape):
        return RLCircle(shape.x, up(shape.y), shape.r,
                        **_rl_paint(shape.fill, shape.stroke, shape.stroke_width))
    if isinstance(shape, HalfDiscShape):
        return Wedge(shape.x, up(shape.y), shape.r, 180, 360, **_rl_paint(shape.fill, None, 0))
    return String(shape.x, up(shape.y), shape.text, fontName=bold_font if shape.bold else font,
                  fontSize=shape.size, fillColor=HexColor(shape.fill), textAnchor=shape.anchor)


def _rl_paint(fill: str | None, stroke: str | None, width: float, dash: Sequence[float] = ()) -> dict:
    return {
        "fillColor": HexColor(fill) if fill else None,
        "strokeColor": HexColor(stroke) if stroke else None,
        "strokeWidth": width if stroke else 0,
        "strokeDashArray": list(dash) if dash else None,
    }


class ProgressFlowable(Flowable):
    """The chart drawn straight onto the PDF's canvas: the same shapes as `progress_drawing`, without
    building a reportlab Drawing of a few hundred nodes and walking it through its renderer (which
    cost a full programme's PDF a third of its time budget)."""

    def __init__(self, chart: Chart, *, width: float, font: str, bold_font: str):
        super().__init__()
        self.chart = chart
        self.scale = width / chart.width
        self.width, self.height = width, chart.height * self.scale
        self.font, self.bold_font = font, bold_font

    def wrap(self, availWidth, availHeight):
        return self.width, self.height

    def draw(self):
        canvas, height = self.canv, self.chart.height
        canvas.saveState()
        canvas.scale(self.scale, self.scale)
        for layer in self.chart.layers:
            for shape in layer.shapes:
                _draw_shape(canvas, shape, height, self.font, self.bold_font)
        canvas.restoreState()


def progress_flowable(chart: Chart, *, width: float, font: str, bold_font: str) -> ProgressFlowable:
    return ProgressFlowable(chart, width=width, font=font, bold_font=bold_font)


def _draw_shape(canvas, shape: Shape, height: float, font: str, bold_font: str) -> None:
    def up(y: float) -> float:  # the canvas's y runs up from the bottom
        return height - y

    def paint(fill: str | None, stroke: str | None, width: float,
              dash: Sequence[float] = ()) -> tuple[int, int]:
        if fill:
            canvas.setFillColor(_colour(fill))
        if stroke:
            canvas.setStrokeColor(_colour(stroke))
            canvas.setLineWidth(width)
            canvas.setDash(list(dash) if dash else [])
        return (1 if stroke and width else 0), (1 if fill else 0)

    if isinstance(shape, RectShape):
        stroke, fill = paint(shape.fill, shape.stroke, shape.stroke_width)
        canvas.roundRect(shape.x, up(shape.y + shape.height), shape.width, shape.height, shape.radius,
                         stroke=stroke, fill=fill)
    elif isinstance(shape, LineShape):
        paint(None, shape.stroke, shape.stroke_width, shape.dash)
        canvas.line(shape.x1, up(shape.y1), shape.x2, up(shape.y2))
    elif isinstance(shape, PolylineShape):
        paint(None, shape.stroke, shape.stroke_width, shape.dash)
        canvas.setLineJoin(1)
        canvas.setLineCap(1)
        path = canvas.beginPath()
        (x0, y0), *rest = shape.points
        path.moveTo(x0, up(y0))
        for x, y in rest:
            path.lineTo(x, up(y))
        canvas.drawPath(path, stroke=1, fill=0)
    elif isinstance(shape, CircleShape):
        stroke, fill = paint(shape.fill, shape.stroke, shape.stroke_width)
        canvas.circle(shape.x, up(shape.y), shape.r, stroke=stroke, fill=fill)
    elif isinstance(shape, HalfDiscShape):
        paint(shape.fill, None, 0)
        canvas.wedge(shape.x - shape.r, up(shape.y) - shape.r, shape.x + shape.r, up(shape.y) + shape.r,
                     180, 180, stroke=0, fill=1)
    else:
        canvas.setFillColor(_colour(shape.fill))
        canvas.setFont(bold_font if shape.bold else font, shape.size)
        draw = {"start": canvas.drawString, "middle": canvas.drawCentredString,
                "end": canvas.drawRightString}[shape.anchor]
        draw(shape.x, up(shape.y), shape.text)


@functools.lru_cache(maxsize=64)
def _colour(hex_colour: str):
    return HexColor(hex_colour)
