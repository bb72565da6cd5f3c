"""Alexa Vector Graphics (AVG 1.2) built from data: the exercise drawings of rehab.figures and a
plan link's QR code (segno's module matrix). APL shows no data-URI images reliably, so pictures
travel inside the document as vector paths, a few kilobytes each.

Shapes of one colour and stroke width become one path of many subpaths, which keeps a drawing
small enough that a whole screen stays well under Alexa's 24 KB response limit.
"""

from __future__ import annotations

from functools import cache
from typing import Any

AVG_VERSION = "1.2"
PANEL_GAP = 6.0  # body units between a drawing's panels
QR_BORDER = 2  # modules of quiet zone around the code (white, drawn as the background)


def _n(value: float) -> str:
    """A coordinate, short: one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _circle_path(cx: float, cy: float, r: float) -> str:
    return (f"M{_n(cx - r)},{_n(cy)}a{_n(r)},{_n(r)} 0 1,0 {_n(2 * r)},0"
            f"a{_n(r)},{_n(r)} 0 1,0 {_n(-2 * r)},0z")


@cache
def figure(exercise_id: str) -> dict[str, Any]:
    """The exercise's drawing as an AVG graphic, its panels side by side as on the plan page.
    Captions are left out: the screen's own text says what to do, in the runner's locale."""
    from rehab.figures import panels_of  # the pictures' data, on the turn that draws one

    shapes, (x0, x1), heights = panels_of(exercise_id)
    width = x1 - x0
    top = max(y1 for _, y1 in heights)
    bottom = min(y0 for y0, _ in heights)
    total_w = len(shapes) * width + (len(shapes) - 1) * PANEL_GAP
    total_h = top - bottom
    strokes: dict[tuple[str, float], list[str]] = {}
    heads: dict[tuple[str, float, bool], list[str]] = {}
    for index, panel in enumerate(shapes):
        ox = index * (width + PANEL_GAP) - x0
        for points, colour, stroke in panel.lines:
            first, *rest = points
            path = f"M{_n(first[0] + ox)},{_n(top - first[1])}" + "".join(
                f"L{_n(x + ox)},{_n(top - y)}" for x, y in rest)
            strokes.setdefault((colour, stroke), []).append(path)
        for (cx, cy), r, colour, stroke, filled in panel.circles:
            heads.setdefault((colour, stroke, filled), []).append(_circle_path(cx + ox, top - cy, r))
    items: list[dict[str, Any]] = [
        {"type": "path", "pathData": "".join(paths), "stroke": colour, "strokeWidth": stroke,
         "fill": "transparent", "strokeLineCap": "round", "strokeLineJoin": "round"}
        for (colour, stroke), paths in strokes.items()
    ]
    items += [
        {"type": "path", "pathData": "".join(paths), "stroke": colour, "strokeWidth": stroke,
         "fill": colour if filled else "#ffffff"}
        for (colour, stroke, filled), paths in heads.items()
    ]
    return {"type": "AVG", "version": AVG_VERSION, "width": round(total_w), "height": round(total_h),
            "viewportWidth": round(total_w, 1), "viewportHeight": round(total_h, 1), "items": items}


def qr_code(url: str) -> dict[str, Any]:
    """The link as a QR code: one filled path, a rectangle per run of dark modules in a row, on a
    white square with the quiet zone."""
    import segno  # only on the turn that files a plan on a screen device

    matrix = segno.make(url, error="m").matrix
    size = len(matrix) + 2 * QR_BORDER
    runs: list[str] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            runs.append(f"M{start + QR_BORDER},{y + QR_BORDER}h{x - start}v1h-{x - start}z")
    return {"type": "AVG", "version": AVG_VERSION, "width": size, "height": size,
            "viewportWidth": size, "viewportHeight": size,
            "items": [{"type": "path", "pathData": f"M0,0h{size}v{size}h-{size}z", "fill": "#ffffff"},
                      {"type": "path", "pathData": "".join(runs), "fill": "#000000"}]}
