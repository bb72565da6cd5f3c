"""The APL documents, as Python data: the exercise screen and the outcome screen. Every word on
them comes from the locale's prompts (skill.prompts), the same data the speech is made from,
and the exercise's own name, dose and cues from the plan; pictures are AVG (skill.apl.avg).

Only core APL components are used (Frame, Container, Text, VectorGraphic, TouchWrapper), so the
documents import no package and need nothing fetched at render time.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skill.apl import avg

APL_VERSION = "2023.3"
# RenderDocument tokens: a UserEvent names the document it came from.
SESSION_TOKEN = "hamstringCoachSession"
OUTCOME_TOKEN = "hamstringCoachPlan"
RENDER_DOCUMENT = "Alexa.Presentation.APL.RenderDocument"

INK = "#1d2327"
MUTED = "#5a646b"
ACCENT = "#0b5c66"
WARN = "#b3470b"
PAPER = "#ffffff"
# The buttons' events: ["next", session date, index shown], ["done", date], ["hurts", date].
NEXT, DONE, HURTS = "next", "done", "hurts"


def _text(text: str, *, size: str = "28dp", color: str = INK, weight: str = "normal",
          **more: Any) -> dict[str, Any]:
    return {"type": "Text", "text": text, "fontSize": size, "color": color, "fontWeight": weight, **more}


def _button(label: str, arguments: list[Any], color: str) -> dict[str, Any]:
    return {
        "type": "TouchWrapper",
        "accessibilityLabel": label,
        "onPress": [{"type": "SendEvent", "arguments": arguments}],
        "paddingRight": "16dp",
        "items": [{
            "type": "Frame", "backgroundColor": color, "borderRadius": "12dp",
            "paddingLeft": "28dp", "paddingRight": "28dp", "paddingTop": "12dp", "paddingBottom": "12dp",
            "items": [_text(label, size="26dp", color=PAPER, weight="bold")],
        }],
    }


def _document(graphics: dict[str, Any], body: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "APL",
        "version": APL_VERSION,
        "theme": "light",
        "graphics": graphics,
        "mainTemplate": {"items": [{
            "type": "Frame", "width": "100vw", "height": "100vh", "backgroundColor": PAPER,
            "items": [{"type": "Container", "width": "100%", "height": "100%", "direction": "column",
                       "paddingLeft": "5vw", "paddingRight": "5vw", "paddingTop": "4vh",
                       "paddingBottom": "4vh", "items": body}],
        }]},
    }


def exercise_document(*, heading: str, progress: str, name: str, dose: str, cues: Sequence[str],
                      exercise_id: str | None, credit: str, picture_label: str,
                      buttons: Sequence[tuple[str, list[Any], str]]) -> dict[str, Any]:
    """One exercise of a session: the session's heading and "2 of 5", the exercise's name, its
    picture (when the library draws it), dose and cues, and the buttons (label, event arguments,
    colour)."""
    graphics: dict[str, Any] = {}
    detail: list[dict[str, Any]] = [
        _text(dose, size="30dp", weight="bold", color=ACCENT, paddingBottom="12dp"),
        *(_text(f"\u2022 {cue}", size="22dp", paddingBottom="6dp") for cue in cues),
    ]
    middle: list[dict[str, Any]] = []
    if exercise_id is not None:
        graphics[exercise_id] = avg.figure(exercise_id)
        middle.append({"type": "Container", "width": "42vw", "direction": "column", "items": [
            {"type": "VectorGraphic", "source": exercise_id, "width": "42vw", "height": "40vh",
             "scale": "best-fit", "align": "center", "accessibilityLabel": picture_label},
            _text(credit, size="14dp", color=MUTED),
        ]})
    middle.append({"type": "Container", "grow": 1, "shrink": 1, "direction": "column",
                   "paddingLeft": "3vw", "items": detail})
    body = [
        {"type": "Container", "direction": "row", "justifyContent": "spaceBetween", "items": [
            _text(heading, size="22dp", color=MUTED, grow=1, shrink=1),
            _text(progress, size="22dp", color=MUTED, weight="bold"),
        ]},
        _text(name, size="40dp", weight="bold", paddingTop="8dp", paddingBottom="12dp", maxLines=2),
        {"type": "Container", "direction": "row", "grow": 1, "shrink": 1, "items": middle},
        {"type": "Container", "direction": "row", "paddingTop": "2vh",
         "items": [_button(label, arguments, color) for label, arguments, color in buttons]},
    ]
    return _document(graphics, body)


def outcome_document(*, title: str, code_label: str, code: str, scan: str, link: str,
                     qr_url: str | None) -> dict[str, Any]:
    """The plan is filed: its QR code (AVG, from the plan's link) beside the code, large, and the
    short address to type it into."""
    graphics: dict[str, Any] = {}
    row: list[dict[str, Any]] = []
    if qr_url is not None:
        graphics["planQr"] = avg.qr_code(qr_url)
        row.append({"type": "VectorGraphic", "source": "planQr", "width": "38vh", "height": "38vh",
                    "scale": "best-fit", "accessibilityLabel": scan})
    row.append({"type": "Container", "direction": "column", "paddingLeft": "4vw", "grow": 1, "shrink": 1,
                "items": [
                    _text(code_label, size="24dp", color=MUTED),
                    _text(code, size="64dp", weight="bold", color=ACCENT, letterSpacing="4dp"),
                    _text(scan, size="24dp", paddingTop="16dp"),
                    _text(link, size="24dp", color=ACCENT, weight="bold"),
                ]})
    body = [
        _text(title, size="40dp", weight="bold", paddingBottom="3vh"),
        {"type": "Container", "direction": "row", "alignItems": "center", "items": row},
    ]
    return _document(graphics, body)


def render_directive(token: str, document: dict[str, Any]) -> dict[str, Any]:
    """The RenderDocument directive as JSON (what the response envelope carries)."""
    return {"type": RENDER_DOCUMENT, "token": token, "document": document}
