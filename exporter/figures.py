"""Line drawings of every exercise in rehab's library, drawn by the project itself and kept as data
(rehab.figures, which the skill's Echo Show screens draw from too).

The same shapes become vector paths in the PDF (`draw_on_canvas`) and inline SVG on the plan page
(`svg`): no image files, nothing of unknown provenance, and the licence printed beside them
(`CREDIT`).
"""

from __future__ import annotations

from functools import cache, lru_cache
from html import escape

from rehab.figures import (  # noqa: F401 (re-exported: the page, the PDF and their tests read them here)
    CREDIT,
    CREDIT_URL,
    DRAWINGS,
    Drawing,
    Panel,
    Pose,
    Prop,
    Shapes,
    has_drawing,
    panels_of,
)

# ---- SVG for the page -----------------------------------------------------------------------------

CAPTION_UNITS = 9.0  # room under each panel for its caption, in body units
SVG_PIXELS_PER_UNIT = 1.6


@cache
def svg(exercise_id: str) -> str:
    """The drawing as inline SVG, its panels side by side (no script, no external reference: the
    page's CSP allows it)."""
    shapes, (x0, x1), heights = panels_of(exercise_id)
    drawing = DRAWINGS[exercise_id]
    width = x1 - x0
    top = max(y1 for _, y1 in heights)
    bottom = min(y0 for y0, _ in heights)
    gap = 6.0
    total_w = len(shapes) * width + (len(shapes) - 1) * gap
    total_h = top - bottom + CAPTION_UNITS
    # Sized in proportion to its body units, so a figure is the same size in every drawing (the
    # page's CSS only caps it at the column's width).
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_w:.1f} {total_h:.1f}" '
             f'width="{total_w * SVG_PIXELS_PER_UNIT:.0f}" height="{total_h * SVG_PIXELS_PER_UNIT:.0f}" '
             f'role="img" aria-label="{escape(drawing.shows)}" class="figure-svg">',
             f"<title>{escape(drawing.shows)}</title>"]
    for index, panel in enumerate(shapes):
        ox = index * (width + gap) - x0

        def p(point, ox=ox):
            return f"{point[0] + ox:.1f},{top - point[1]:.1f}"

        parts.append('<g fill="none" stroke-linecap="round" stroke-linejoin="round">')
        for points, colour, stroke in panel.lines:
            parts.append(f'<polyline points="{" ".join(p(q) for q in points)}" stroke="{colour}" '
                         f'stroke-width="{stroke}"/>')
        for centre, r, colour, stroke, filled in panel.circles:
            cx, cy = p(centre).split(",")
            fill = colour if filled else "#fff"
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" stroke="{colour}" stroke-width="{stroke}" '
                         f'fill="{fill}"/>')
        parts.append("</g>")
        if panel.caption:
            parts.append(f'<text x="{ox + x0 + width / 2:.1f}" y="{total_h - 1.5:.1f}" text-anchor="middle" '
                         f'font-size="7" fill="{CAPTION_INK}" font-family="sans-serif">'
                         f"{escape(panel.caption)}</text>")
    parts.append("</svg>")
    return "".join(parts)


# ---- reportlab for the PDF ----------------------------------------------------------------------

def size_in_box(exercise_id: str, width: float, panel_height: float) -> tuple[float, float]:
    """The scale (points per body unit) and total height the drawing takes, panels stacked one
    under another in a column `width` wide, the tallest panel of any drawing `panel_height` tall,
    each with its caption under it. One scale for every drawing, so a figure is the same size in
    each of them."""
    _, _, heights = panels_of(exercise_id)
    widest, tallest = _largest()
    scale = min(width / widest, panel_height / tallest)
    return scale, sum((y1 - y0) * scale + CAPTION_POINTS for y0, y1 in heights)


@lru_cache(maxsize=1)
def _largest() -> tuple[float, float]:
    drawn = [panels_of(exercise_id) for exercise_id in DRAWINGS]
    return (max(x1 - x0 for _, (x0, x1), _ in drawn),
            max(y1 - y0 for _, _, heights in drawn for y0, y1 in heights))


CAPTION_POINTS = 9.0


def draw_on_canvas(canvas, exercise_id: str, x: float, top: float, width: float, scale: float,
                   font: str) -> None:
    """Draws the panels stacked downwards from (x, top), centred in `width`. The path operators of
    a drawing at a scale are made once per process (a programme prints the same exercise in several
    phases, and the PDF has a time budget): each use is one literal and its captions."""
    operators, captions = _pdf_operators(exercise_id, scale, width)
    canvas.saveState()
    canvas.translate(x, top)
    canvas.addLiteral(operators)
    canvas.setFillColorRGB(*_rgb(CAPTION_INK))
    canvas.setFont(font, 7)
    for cx, cy, caption in captions:
        canvas.drawCentredString(cx, cy, caption)
    canvas.restoreState()


CAPTION_INK = "#5a646b"
_KAPPA = 0.5523  # a quarter circle as one Bézier curve


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))


@lru_cache(maxsize=512)
def _pdf_operators(exercise_id: str, scale: float, width: float) -> tuple[str, tuple]:
    """PDF path operators for the drawing, relative to its top left corner, and its captions."""
    shapes, (x0, x1), heights = panels_of(exercise_id)
    left = (width - (x1 - x0) * scale) / 2
    ops = ["1 J 1 j"]
    captions = []
    panel_top = 0.0
    for panel, (y0, y1) in zip(shapes, heights, strict=True):
        bottom = panel_top - (y1 - y0) * scale

        def at(point, bottom=bottom, y0=y0):
            return left + (point[0] - x0) * scale, bottom + (point[1] - y0) * scale

        for points, colour, stroke in panel.lines:
            start = at(points[0])
            path = [f"{start[0]:.2f} {start[1]:.2f} m"]
            path += [f"{px:.2f} {py:.2f} l" for px, py in map(at, points[1:])]
            ops.append(f"{_rgb_op(colour)} RG {stroke * scale:.2f} w {' '.join(path)} S")
        for centre, r, colour, stroke, filled in panel.circles:
            cx, cy = at(centre)
            fill = colour if filled else "#ffffff"
            ops.append(f"{_rgb_op(colour)} RG {_rgb_op(fill)} rg {stroke * scale:.2f} w "
                       f"{_circle(cx, cy, r * scale)} B")
        if panel.caption:
            captions.append((width / 2, bottom - 7.5, panel.caption))
        panel_top = bottom - CAPTION_POINTS
    return "\n".join(ops), tuple(captions)


def _rgb_op(colour: str) -> str:
    return " ".join(f"{c:.3f}" for c in _rgb(colour))


def _circle(cx: float, cy: float, r: float) -> str:
    k = r * _KAPPA
    return (f"{cx + r:.2f} {cy:.2f} m "
            f"{cx + r:.2f} {cy + k:.2f} {cx + k:.2f} {cy + r:.2f} {cx:.2f} {cy + r:.2f} c "
            f"{cx - k:.2f} {cy + r:.2f} {cx - r:.2f} {cy + k:.2f} {cx - r:.2f} {cy:.2f} c "
            f"{cx - r:.2f} {cy - k:.2f} {cx - k:.2f} {cy - r:.2f} {cx:.2f} {cy - r:.2f} c "
            f"{cx + k:.2f} {cy - r:.2f} {cx + r:.2f} {cy - k:.2f} {cx + r:.2f} {cy:.2f} c h")



def anchor(name: str) -> str:
    """The plan page's anchor for an exercise, from its name (no internal id in an address):
    "Glute bridge" -> "how-glute-bridge"."""
    slug = "".join(c if c.isalnum() else "-" for c in name.lower())
    return "how-" + "-".join(part for part in slug.split("-") if part)
