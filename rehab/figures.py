"""The exercise drawings as data: every exercise in rehab's library drawn by the project itself.

Each drawing is one to three panels (a start and an end position where the movement matters),
each a stick figure given by joint angles, plus props (the floor, a ball, a band, a chair, a
roller). `panels_of` turns a drawing into plain shapes (polylines and circles in body units);
the renderers draw those: vector paths in the PDF and inline SVG on the plan page
(exporter.figures), Alexa Vector Graphics on an Echo Show (skill.apl). No image files, nothing of
unknown provenance, and the licence printed beside them (`CREDIT`). Standard library only.

Angles are in degrees, 0 pointing right and 90 up (y grows upwards); each segment's angle is its
direction from the joint nearer the trunk. Lengths are in body units (a standing figure is about
90 tall); every panel of one drawing is scaled alike, so start and end compare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache

CREDIT = "Drawings: Hamstring Coach, CC BY 4.0"
CREDIT_URL = "https://creativecommons.org/licenses/by/4.0/"

TRUNK, NECK, HEAD = 27.0, 8.5, 5.5
THIGH, SHIN, FOOT = 22.0, 21.0, 6.0
UPPER_ARM, FOREARM = 14.0, 13.0
FLOOR_Y = 0.0
ANKLE_Y = 3.0  # an ankle's height above the floor with the foot flat

INK = "#1d2327"
FAR = "#8a959c"  # the limbs on the far side, lighter, so the near ones read first
PROP = "#0b5c66"
BODY_WIDTH = 2.6
PROP_WIDTH = 1.4


@dataclass(frozen=True)
class Pose:
    """A stick figure: where the hip is, the trunk's and neck's angles, and each limb's segment
    angles (near side first, then far side)."""

    hip: tuple[float, float]
    trunk: float
    neck: float | None = None  # defaults to the trunk's angle
    arms: tuple[tuple[float, float], tuple[float, float]] = ((-80, -80), (-100, -100))
    legs: tuple[tuple[float, float, float], tuple[float, float, float]] = ((-90, -90, 0), (-90, -90, 0))

    def joints(self) -> dict[str, tuple[float, float]]:
        def step(start, angle, length):
            rad = math.radians(angle)
            return (start[0] + length * math.cos(rad), start[1] + length * math.sin(rad))

        hip = self.hip
        shoulder = step(hip, self.trunk, TRUNK)
        points = {"hip": hip, "shoulder": shoulder,
                  "head": step(shoulder, self.trunk if self.neck is None else self.neck, NECK + HEAD)}
        for side, (upper, fore) in zip(("near", "far"), self.arms, strict=True):
            elbow = step(shoulder, upper, UPPER_ARM)
            points[f"{side}_elbow"], points[f"{side}_hand"] = elbow, step(elbow, fore, FOREARM)
        for side, (thigh, shin, foot) in zip(("near", "far"), self.legs, strict=True):
            knee = step(hip, thigh, THIGH)
            ankle = step(knee, shin, SHIN)
            points[f"{side}_knee"], points[f"{side}_ankle"] = knee, ankle
            points[f"{side}_toe"] = step(ankle, foot, FOOT)
        return points


@dataclass(frozen=True)
class Prop:
    """Something besides the body. `at` is a point or a joint's name (then dx, dy offset it).
    kinds: floor, ball (size = radius), roller (radius), box (w, h from its lower left), band
    (between two joints), line and arrow (to `to`), wrap (a sleeve on the near thigh), water, wheel."""

    kind: str
    at: tuple[float, float] | str = (0.0, 0.0)
    dx: float = 0.0
    dy: float = 0.0
    size: float = 0.0
    w: float = 0.0
    h: float = 0.0
    to: tuple[float, float] | str | None = None


@dataclass(frozen=True)
class Panel:
    caption: str
    pose: Pose | None
    props: tuple[Prop, ...] = ()


@dataclass(frozen=True)
class Drawing:
    exercise_id: str
    shows: str  # the alternative text: what the panels show, in words
    panels: tuple[Panel, ...]


# ---- the shapes, ready to draw ------------------------------------------------------------------

@dataclass
class Shapes:
    """One panel as primitives in body units: polylines (points, colour, width), circles (centre,
    radius, colour, width, filled) and its caption."""

    lines: list[tuple[tuple[tuple[float, float], ...], str, float]] = field(default_factory=list)
    circles: list[tuple[tuple[float, float], float, str, float, bool]] = field(default_factory=list)
    caption: str = ""

    def bounds(self) -> tuple[float, float, float, float]:
        xs, ys = [], []
        for points, _, width in self.lines:
            for x, y in points:
                xs += [x - width, x + width]
                ys += [y - width, y + width]
        for (x, y), r, _, width, _ in self.circles:
            xs += [x - r - width, x + r + width]
            ys += [y - r - width, y + r + width]
        return min(xs), min(ys), max(xs), max(ys)


def _point(joints, at, dx=0.0, dy=0.0):
    base = joints[at] if isinstance(at, str) else at
    return (base[0] + dx, base[1] + dy)


def _arrow(start, end) -> list[tuple[tuple[float, float], ...]]:
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    head = 3.5
    left = (end[0] - head * math.cos(angle - 0.5), end[1] - head * math.sin(angle - 0.5))
    right = (end[0] - head * math.cos(angle + 0.5), end[1] - head * math.sin(angle + 0.5))
    return [(start, end), (left, end, right)]


def _shapes(panel: Panel, floor: tuple[float, float]) -> Shapes:
    shapes = Shapes(caption=panel.caption)
    joints = panel.pose.joints() if panel.pose is not None else {}
    for prop in panel.props:
        kind = prop.kind
        if kind == "floor":
            shapes.lines.append((((floor[0], FLOOR_Y), (floor[1], FLOOR_Y)), MUTED_PROP, PROP_WIDTH))
        elif kind in ("ball", "roller", "wheel"):
            centre = _point(joints, prop.at, prop.dx, prop.dy)
            shapes.circles.append((centre, prop.size, PROP, PROP_WIDTH, False))
            if kind == "wheel":
                shapes.circles.append((centre, 1.2, PROP, PROP_WIDTH, True))
        elif kind == "box":
            x, y = _point(joints, prop.at, prop.dx, prop.dy)
            shapes.lines.append((((x, y), (x + prop.w, y), (x + prop.w, y + prop.h), (x, y + prop.h), (x, y)),
                                 PROP, PROP_WIDTH))
        elif kind == "band":
            start, end = _point(joints, prop.at), _point(joints, prop.to)
            shapes.lines.append(((start, end), BAND, PROP_WIDTH * 1.6))
        elif kind == "line":
            start, end = _point(joints, prop.at, prop.dx, prop.dy), _point(joints, prop.to)
            shapes.lines.append(((start, end), PROP, PROP_WIDTH))
        elif kind == "arrow":
            start, end = _point(joints, prop.at, prop.dx, prop.dy), _point(joints, prop.to)
            for line in _arrow(start, end):
                shapes.lines.append((line, ARROW, PROP_WIDTH))
        elif kind == "wrap":
            hip, knee = joints["hip"], joints["near_knee"]
            a = (hip[0] + 0.35 * (knee[0] - hip[0]), hip[1] + 0.35 * (knee[1] - hip[1]))
            b = (hip[0] + 0.8 * (knee[0] - hip[0]), hip[1] + 0.8 * (knee[1] - hip[1]))
            shapes.lines.append(((a, b), PROP, 6.0))
        elif kind == "water":
            x, y = _point(joints, prop.at, prop.dx, prop.dy)
            wave = tuple((x + i * 3.0, y + (1.2 if i % 2 else -1.2)) for i in range(int(prop.w / 3) + 1))
            shapes.lines.append((wave, PROP, PROP_WIDTH))
        else:
            raise ValueError(f"unknown prop {kind!r}")
    if panel.pose is not None:
        j = joints
        for side, colour in (("far", FAR), ("near", INK)):
            shapes.lines.append(((j["shoulder"], j[f"{side}_elbow"], j[f"{side}_hand"]), colour, BODY_WIDTH))
            shapes.lines.append(((j["hip"], j[f"{side}_knee"], j[f"{side}_ankle"], j[f"{side}_toe"]), colour,
                                 BODY_WIDTH))
            if side == "far":
                continue
            shapes.lines.append(((j["hip"], j["shoulder"]), INK, BODY_WIDTH + 0.6))
            neck_end = _towards(j["shoulder"], j["head"], NECK)
            shapes.lines.append(((j["shoulder"], neck_end), INK, BODY_WIDTH))
        shapes.circles.append((j["head"], HEAD, INK, BODY_WIDTH, False))
    return shapes


def _towards(start, end, length):
    d = math.dist(start, end)
    return (start[0] + (end[0] - start[0]) * length / d, start[1] + (end[1] - start[1]) * length / d)


MUTED_PROP = "#5a646b"
BAND = "#b3470b"
ARROW = "#b3470b"


_Span = tuple[float, float]


@cache
def panels_of(exercise_id: str) -> tuple[tuple[Shapes, ...], _Span, tuple[_Span, ...]]:
    """The drawing's panels as shapes, the left and right edge every panel shares (body units),
    and each panel's own bottom and top."""
    drawing = DRAWINGS[exercise_id]
    # The floor spans the body and its props, whatever the pose: measure without it first.
    first = [_shapes(Panel(p.caption, p.pose, tuple(x for x in p.props if x.kind != "floor")), (0, 0))
             for p in drawing.panels]
    boxes = [s.bounds() for s in first]
    left, right = min(b[0] for b in boxes) - 4, max(b[2] for b in boxes) + 4
    shapes = tuple(_shapes(p, (left, right)) for p in drawing.panels)
    boxes = [s.bounds() for s in shapes]
    return shapes, (min(b[0] for b in boxes), max(b[2] for b in boxes)), tuple((b[1], b[3]) for b in boxes)


# ---- the drawings -------------------------------------------------------------------------------

F = Prop("floor")
STAND = Pose(hip=(0, ANKLE_Y + SHIN + THIGH), trunk=90)
_LIE_ARMS = ((-3, -2), (-5, -3))


def _supine(hip_y: float, trunk: float, legs, arms=_LIE_ARMS, neck: float = 178) -> Pose:
    return Pose(hip=(0, hip_y), trunk=trunk, neck=neck, arms=arms, legs=legs)


_BRIDGE_DOWN = _supine(4, 180, ((55, -57, 0), (52, -60, 0)))
_BRIDGE_UP = _supine(16, 205, ((12, -64, 0), (10, -66, 0)), neck=182)

DRAWINGS: dict[str, Drawing] = {d.exercise_id: d for d in (
    Drawing("glute_activation_warmup",
            "Standing tall with a hand on a wall, the leg swings back, then forward, growing gently.",
            (Panel("Swing back", Pose(hip=(0, 46), trunk=92, arms=((10, 10), (-95, -90)),
                                      legs=((-115, -100, -20), (-90, -90, 0))),
                   (F, Prop("box", "near_hand", 1, -40, w=3, h=60))),
             Panel("Swing forward", Pose(hip=(0, 46), trunk=88, arms=((10, 10), (-95, -90)),
                                         legs=((-55, -70, 10), (-90, -90, 0))),
                   (F, Prop("box", "near_hand", 1, -40, w=3, h=60))))),
    Drawing("glute_bridge",
            "Lying on the back, knees bent and feet flat; then the hips lifted until knees, hips and "
            "shoulders line up.",
            (Panel("Start", _BRIDGE_DOWN, (F,)),
             Panel("Lift, lower slowly", _BRIDGE_UP, (F, Prop("arrow", "hip", 0, -12, to="hip"))))),
    Drawing("marching_bridge",
            "In a glute bridge, one foot lifts a few centimetres with the hips kept level, then the other.",
            (Panel("Bridge", _BRIDGE_UP, (F,)),
             Panel("March one foot", _supine(16, 205, ((40, -30, 0), (10, -66, 0)), neck=182), (F,)))),
    Drawing("isometric_bridge_hold",
            "A glute bridge held still, hips level with the knees.",
            (Panel("Hold still", _BRIDGE_UP, (F,)),)),
    Drawing("isometric_heel_press",
            "Lying on the back, one knee a little bent, the heel pressing down into the floor.",
            (Panel("Press the heel down", _supine(4, 180, ((18, -20, 60), (0, 0, 60))),
                   (F, Prop("arrow", "near_ankle", 0, 9, to="near_ankle"))),)),
    Drawing("ball_hamstring_curl",
            "Lying on the back with the heels on a ball and the hips lifted; the ball curled in, then "
            "rolled out slowly.",
            (Panel("Hips up, legs long", _supine(14, 200, ((-12, -6, 70), (-14, -8, 70)), neck=182),
                   (F, Prop("ball", "near_ankle", 0, -6.5, size=7))),
             Panel("Curl in, roll out slowly",
                   _supine(16, 205, ((30, -60, 60), (28, -62, 60)), neck=182),
                   (F, Prop("ball", "near_ankle", 0, -6.5, size=7))))),
    Drawing("loop_band_glutes",
            "Clamshell: lying on the side, knees bent, a small loop band above the knees. Side-steps: in a "
            "half squat, stepping sideways against the band.",
            (Panel("Clamshell, open the knee", Pose(hip=(0, 6), trunk=180, neck=160,
                                                    arms=((160, 80), (-40, 0)),
                                                    legs=((-5, -110, -20), (25, -135, -40))),
                   (F, Prop("band", "near_knee", to="far_knee"))),
             Panel("Side-steps", Pose(hip=(0, 38), trunk=95, arms=((-70, -10), (-110, -170)),
                                      legs=((-60, -110, 0), (-120, -70, 180))),
                   (F, Prop("band", "near_knee", to="far_knee"), Prop("arrow", (16, 58), to=(32, 58)))))),
    Drawing("core_stability",
            "A front plank on the forearms, the body in a straight line; and a dead bug, lying on the back "
            "lowering the opposite arm and leg.",
            (Panel("Plank", Pose(hip=(0, 12), trunk=172, neck=170, arms=((-90, 180), (-92, 178)),
                                 legs=((-14, -10, -60), (-15, -11, -60))), (F,)),
             Panel("Dead bug", _supine(4, 180, ((85, 0, 90), (20, -5, 70)),
                                       arms=((90, 90), (170, 175))), (F,)))),
    Drawing("agility_drills",
            "Side shuffles: feet apart, knees soft, stepping sideways without crossing the feet.",
            (Panel("Feet apart", Pose(hip=(0, 42), trunk=90, arms=((-60, -90), (-120, -90)),
                                      legs=((-68, -95, 0), (-112, -85, 180))),
                   (F, Prop("arrow", (14, 60), to=(30, 60)))),
             Panel("Step together", Pose(hip=(0, 43), trunk=90, arms=((-60, -90), (-120, -90)),
                                         legs=((-82, -95, 0), (-98, -85, 180))),
                   (F, Prop("arrow", (14, 60), to=(30, 60)))))),
    Drawing("leg_raises",
            "Lying face down, one straight leg lifts a hand's width off the floor, then lowers slowly.",
            (Panel("Face down", Pose(hip=(0, 4), trunk=180, neck=182, arms=((170, 10), (172, 12)),
                                     legs=((0, 0, -80), (-1, -1, -80))), (F,)),
             Panel("Lift one leg", Pose(hip=(0, 4), trunk=180, neck=182, arms=((170, 10), (172, 12)),
                                        legs=((14, 14, -66), (-1, -1, -80))), (F,)))),
    Drawing("hamstring_curls",
            "Standing holding a chair, a band at the ankle; the heel bends up towards the buttock, then "
            "lowers slowly.",
            (Panel("Stand tall", Pose(hip=(0, 46), trunk=92, arms=((-40, -10), (-45, -15)),
                                      legs=((-90, -90, 0), (-92, -90, 0))),
                   (F, Prop("box", (14, 0), w=14, h=26), Prop("box", (26, 26), w=2, h=22))),
             Panel("Heel up, lower slowly", Pose(hip=(0, 46), trunk=92, arms=((-40, -10), (-45, -15)),
                                                 legs=((-95, 125, 35), (-92, -90, 0))),
                   (F, Prop("box", (14, 0), w=14, h=26), Prop("box", (26, 26), w=2, h=22))))),
    Drawing("lunges",
            "A reverse lunge: from standing, one leg steps back and the back knee lowers towards the floor.",
            (Panel("Stand", Pose(hip=(0, 46), trunk=90, arms=((-90, -90), (-92, -92)),
                                 legs=((-90, -90, 0), (-92, -90, 0))), (F,)),
             Panel("Step back and lower", Pose(hip=(0, 27), trunk=90, arms=((-90, -90), (-92, -92)),
                                               legs=((-5, -90, 0), (-110, -170, -120))), (F,)))),
    Drawing("askling_extender",
            "Lying on the back holding the thigh with the hip bent to 90 degrees; the knee straightens "
            "slowly, just short of pain.",
            (Panel("Hold the thigh", _supine(4, 180, ((90, 0, 80), (0, 0, 80)), arms=((40, 15), (36, 12))),
                   (F,)),
             Panel("Straighten slowly", _supine(4, 180, ((90, 75, 160), (0, 0, 80)),
                                                arms=((40, 15), (36, 12))),
                   (F,)))),
    Drawing("askling_diver",
            "Standing on one leg, knee slightly bent; tipping forward from the hip, both arms reaching "
            "forward and the other leg lifting behind.",
            (Panel("Stand on one leg", Pose(hip=(0, 45), trunk=90, arms=((-60, 0), (-62, -2)),
                                            legs=((-85, -95, 0), (-95, -110, -60))), (F,)),
             Panel("Tip forward, reach", Pose(hip=(0, 44), trunk=20, neck=15, arms=((15, 15), (12, 12)),
                                              legs=((-82, -98, 0), (170, 175, -100))), (F,)))),
    Drawing("askling_glider",
            "Standing holding a support, weight on one leg; the other foot slides back on the floor into a "
            "split, then the arms pull back up.",
            (Panel("Hold on", Pose(hip=(0, 45), trunk=90, arms=((-30, 0), (-32, -2)),
                                   legs=((-85, -95, 0), (-95, -90, 0))),
                   (F, Prop("box", (22, 0), w=3, h=52))),
             Panel("Slide back", Pose(hip=(-6, 38), trunk=85, arms=((-15, 5), (-17, 3)),
                                      legs=((-72, -95, 0), (-140, -160, -170))),
                   (F, Prop("box", (22, 0), w=3, h=52), Prop("arrow", "far_toe", 6, 5, to="far_toe"))))),
    Drawing("nordic_lowers",
            "Kneeling upright with the ankles held down, the body in a straight line lowers forward as "
            "slowly as possible.",
            (Panel("Kneel tall", Pose(hip=(0, 24), trunk=90, arms=((-80, 0), (-82, -2)),
                                      legs=((-90, 180, 180), (-92, 180, 180))),
                   (F, Prop("box", "near_ankle", -8, -1, w=8, h=6))),
             Panel("Lower slowly", Pose(hip=(16.9, 16.1), trunk=40, neck=38, arms=((-40, 0), (-42, -2)),
                                        legs=((-140, 180, 180), (-141, 180, 180))),
                   (F, Prop("box", "near_ankle", -8, -1, w=8, h=6))))),
    Drawing("foam_rolling",
            "Sitting with the back of the thigh on a foam roller, hands behind taking the weight; rolling "
            "from above the knee to below the buttock.",
            (Panel("Roll slowly", Pose(hip=(0, 14), trunk=125, neck=100, arms=((-120, -95), (-122, -97)),
                                       legs=((-5, -10, 70), (10, -20, 70))),
                   (F, Prop("roller", "near_knee", -8, -7, size=5.5),
                    Prop("arrow", "near_knee", -16, -1, to="near_knee"))),)),
    Drawing("compression_wrap",
            "A compression sleeve on the thigh, worn during or after an easy run.",
            (Panel("Sleeve on the thigh", Pose(hip=(0, 43), trunk=80, arms=((-50, 60), (-130, -60)),
                                               legs=((-60, -110, 0), (-125, -160, -100))),
                   (F, Prop("wrap"))),)),
    Drawing("swimming",
            "Easy swimming: the body flat in the water, one arm reaching forward.",
            (Panel("Easy swimming", Pose(hip=(0, 6), trunk=0, neck=5, arms=((10, 5), (-100, -150)),
                                         legs=((180, 185, 190), (178, 170, 190))),
                   (Prop("water", (-50, 11), w=108),)),)),
    Drawing("cycling",
            "Easy cycling: sitting upright on a bike, the knee slightly bent at the bottom of the pedal "
            "stroke.",
            (Panel("Easy spinning", Pose(hip=(0, 40), trunk=62, neck=70, arms=((-62, -35), (-64, -37)),
                                         legs=((-20, -110, 0), (-55, -125, 0))),
                   (Prop("wheel", (-22, 12), size=12), Prop("wheel", (34, 12), size=12),
                    Prop("line", (-22, 12), to=(4, 12)), Prop("line", (4, 12), to=(-1, 39)),
                    Prop("line", (-1, 37), to=(26, 37)), Prop("line", (27, 42), to=(34, 12)),
                    Prop("line", (-22, 12), to=(-1, 37)), Prop("line", (4, 12), to=(26, 37)))),)),
    Drawing("yoga",
            "Gentle yoga on hands and knees: a flat back, no deep forward fold.",
            (Panel("Hands and knees", Pose(hip=(0, 24), trunk=180, neck=185, arms=((-90, -90), (-92, -92)),
                                           legs=((-90, 0, 0), (-92, 0, 0))), (F,)),)),
    Drawing("relative_rest",
            "Walking at an easy pace, only as far as is comfortable: no running.",
            (Panel("Walk only", Pose(hip=(0, 45), trunk=90, arms=((-70, -60), (-110, -100)),
                                     legs=((-75, -95, 0), (-108, -115, -20))), (F,)),)),
    Drawing("ice",
            "Lying face down with a cold pack wrapped in a towel on the back of the thigh.",
            (Panel("Cold pack, 10-15 min", Pose(hip=(0, 4), trunk=180, neck=182, arms=((170, 10), (172, 12)),
                                                legs=((0, 0, -80), (-1, -1, -80))),
                   (F, Prop("box", "near_knee", -14, 2, w=10, h=4))),)),
    Drawing("heat",
            "Lying face down with a warm pack on the back of the thigh.",
            (Panel("Warm pack, 15-20 min", Pose(hip=(0, 4), trunk=180, neck=182, arms=((170, 10), (172, 12)),
                                                legs=((0, 0, -80), (-1, -1, -80))),
                   (F, Prop("box", "near_knee", -14, 2, w=10, h=4),
                    Prop("water", "near_knee", -14, 10, w=10))),)),
)}


def has_drawing(exercise_id: str) -> bool:
    return exercise_id in DRAWINGS
