"""The Echo Show screens (issue 13, part 2, and its part-4 tests): APL only for devices whose
request lists `Alexa.Presentation.APL`, every screen's document valid against the structure it
must have (known component types only), every response under Alexa's 24 KB, each exercise shown
with its picture as AVG, the plan's QR code and code after filing, the words from the locale's
prompts, and the buttons (Next, Done, It hurts) driving the real skill's check-in.

Plans are filed by voice on Sunday 1 March 2026 (the test clock): sessions on Monday, Wednesday
and Friday at 7 from Monday 2 March, in UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voice_driver import Reply, Runner, filed_plan, in_process

from plans.codes import grouped, normalize_code
from plans.links import plan_url
from rehab.clock import today_in
from rehab.figures import DRAWINGS
from rehab.programme import next_session
from skill import envelopes
from skill.apl import avg, documents
from skill.apl.screens import session_document
from skill.build import build_skill
from skill.conversation import FILE, TIME, WEEKDAYS
from skill.prompts import for_locale
from tests.samples import SIT_BONE_ACHE, STRIDES_TWINGE, TIGHT

MONDAY, TUESDAY, WEDNESDAY = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)
MAX_RESPONSE_BYTES = 24 * 1024
LOCALES = ("en-US", "en-GB", "en-AU", "en-CA", "en-IN")
MANIFEST = Path(__file__).resolve().parents[2] / "skill.json"


# ---- a small APL validator ------------------------------------------------------------------------

# Core APL components; anything else must come from a package the document imports.
COMPONENTS = {"Container", "Text", "Image", "VectorGraphic", "TouchWrapper", "Sequence", "Pager", "Frame"}
PACKAGE_COMPONENTS = {"AlexaButton": "alexa-layouts", "AlexaHeader": "alexa-layouts",
                      "AlexaImage": "alexa-layouts"}
SINGLE_CHILD = {"TouchWrapper", "Frame"}
COMMANDS = {"SendEvent", "SetPage", "AutoPage", "Idle", "Sequential", "Parallel", "SetValue", "OpenURL"}
AVG_ITEMS = {"path", "group", "text"}
PATH_DATA = re.compile(r"^[MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+$")


def apl_errors(document: Any) -> list[str]:
    """What is wrong with an APL document's structure ([] when nothing is)."""
    errors: list[str] = []
    if not isinstance(document, dict) or document.get("type") != "APL":
        return ["not an APL document"]
    if not isinstance(document.get("version"), str):
        errors.append("no version")
    imported = {i.get("name") for i in document.get("import", []) if isinstance(i, dict)}
    graphics = document.get("graphics", {})
    if not isinstance(graphics, dict):
        return [*errors, "graphics is not a map"]
    for name, graphic in graphics.items():
        errors += [f"graphic {name}: {e}" for e in avg_errors(graphic)]
    main = document.get("mainTemplate")
    if not isinstance(main, dict) or not isinstance(main.get("items"), list) or len(main["items"]) != 1:
        return [*errors, "mainTemplate needs exactly one item"]

    def walk(component: Any, path: str) -> None:
        if not isinstance(component, dict):
            errors.append(f"{path}: not a component")
            return
        kind = component.get("type")
        if kind in PACKAGE_COMPONENTS:
            if PACKAGE_COMPONENTS[kind] not in imported:
                errors.append(f"{path}: {kind} needs the {PACKAGE_COMPONENTS[kind]} import")
        elif kind not in COMPONENTS:
            errors.append(f"{path}: unknown component type {kind!r}")
        children = component.get("items", component.get("item", []))
        children = children if isinstance(children, list) else [children]
        if kind in SINGLE_CHILD and len(children) != 1:
            errors.append(f"{path}: a {kind} holds exactly one component")
        if kind == "Text" and not (isinstance(component.get("text"), str) and component["text"].strip()):
            errors.append(f"{path}: Text without text")
        if kind == "VectorGraphic" and component.get("source") not in graphics:
            errors.append(f"{path}: VectorGraphic source {component.get('source')!r} is not in graphics")
        for command in component.get("onPress", []):
            if not isinstance(command, dict) or command.get("type") not in COMMANDS:
                errors.append(f"{path}: unknown command {command!r}")
            elif command["type"] == "SendEvent" and not isinstance(command.get("arguments"), list):
                errors.append(f"{path}: SendEvent without arguments")
        for index, child in enumerate(children):
            walk(child, f"{path}/{kind}[{index}]")

    walk(main["items"][0], "mainTemplate")
    return errors


def avg_errors(graphic: Any) -> list[str]:
    if not isinstance(graphic, dict) or graphic.get("type") != "AVG":
        return ["not AVG"]
    errors = []
    for key in ("width", "height"):
        if not isinstance(graphic.get(key), int | float) or graphic[key] <= 0:
            errors.append(f"{key} must be a positive number")
    items = graphic.get("items")
    if not isinstance(items, list) or not items:
        return [*errors, "no items"]
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in AVG_ITEMS:
            errors.append(f"unknown AVG item {item!r:.60}")
        elif item["type"] == "path" and not PATH_DATA.match(item.get("pathData") or ""):
            errors.append("a path without valid pathData")
    return errors


def test_the_validator_fails_on_what_apl_would_refuse():
    good = documents.exercise_document(
        heading="Today", progress="1 of 2", name="Glute bridge", dose="3 sets of 10", cues=("Lift.",),
        exercise_id="glute_bridge", credit="credit", picture_label="a bridge",
        buttons=[("Next", ["next", "2026-03-02", 0], documents.ACCENT)])
    assert apl_errors(good) == []
    unknown = json.loads(json.dumps(good).replace('"type": "Text"', '"type": "Label"', 1))
    assert any("unknown component type 'Label'" in e for e in apl_errors(unknown))
    button = json.loads(json.dumps(good).replace('"type": "TouchWrapper"', '"type": "AlexaButton"', 1))
    assert any("alexa-layouts import" in e for e in apl_errors(button))
    missing = json.loads(json.dumps(good))
    missing["graphics"] = {}
    assert any("not in graphics" in e for e in apl_errors(missing))
    bad_path = json.loads(json.dumps(good))
    bad_path["graphics"]["glute_bridge"]["items"][0]["pathData"] = "url(javascript:1)"
    assert any("pathData" in e for e in apl_errors(bad_path))


# ---- a runner on an Echo Show ------------------------------------------------------------------


class ScreenRunner(Runner):
    """A runner whose device renders APL (`screen`), who can also touch the screen's buttons."""

    screen: bool = True

    def _turn(self, envelope):
        if self.screen:
            envelope["context"]["System"]["device"]["supportedInterfaces"] = dict(envelopes.APL_DEVICE)
        return super()._turn(envelope)

    def press(self, arguments: list[Any]) -> Reply:
        """A touch on a button: the UserEvent its SendEvent sends, in the session under way."""
        if self.new_session:
            self._begin_session()
        envelope = envelopes.intent_request("AMAZON.FallbackIntent", user_id=self.user_id, locale=self.locale,
                                            session_attributes=self.attributes, session_id=self._session_id())
        envelope["request"] = {
            "type": "Alexa.Presentation.APL.UserEvent", "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
            "timestamp": envelope["request"]["timestamp"], "locale": self.locale,
            "token": documents.SESSION_TOKEN, "arguments": arguments,
            "source": {"type": "TouchWrapper", "handler": "Press", "id": ""}, "components": {},
        }
        return self._turn(envelope)


@pytest.fixture
def show(voice_skill) -> ScreenRunner:
    return ScreenRunner(in_process(voice_skill))


@pytest.fixture
def at(clock):
    def move(day: dt.date, hour: int = 18) -> None:
        clock.now = dt.datetime.combine(day, dt.time(hour), dt.UTC)

    return move


def screens(reply: Reply) -> list[dict[str, Any]]:
    return [d for d in reply.response.get("directives") or () if d.get("type") == documents.RENDER_DOCUMENT]


def the_screen(reply: Reply) -> dict[str, Any]:
    (directive,) = screens(reply)
    return directive["document"]


def components(node: Any, kind: str) -> Iterator[dict[str, Any]]:
    """Every component of one type in a document, depth first, in document order."""
    if isinstance(node, dict):
        if node.get("type") == kind:
            yield node
        for value in node.values():
            yield from components(value, kind)
    elif isinstance(node, list):
        for item in node:
            yield from components(item, kind)


def texts(component: Any) -> list[str]:
    """Every Text's text in a document, in order."""
    return [text["text"] for text in components(component, "Text")]


def events(document: dict[str, Any]) -> dict[str, list[Any]]:
    """The buttons' SendEvent arguments, by the button's label."""
    return {button["accessibilityLabel"]: button["onPress"][0]["arguments"]
            for button in components(document["mainTemplate"], "TouchWrapper")}


def pictures(document: dict[str, Any]) -> list[str]:
    """The graphics the document's VectorGraphics draw."""
    return [graphic["source"] for graphic in components(document["mainTemplate"], "VectorGraphic")]


def size(reply: Reply) -> int:
    return len(json.dumps(reply.envelope, separators=(",", ":")).encode("utf-8"))


def file_plan(runner: Runner, answers=STRIDES_TWINGE) -> Reply:
    """Answer the triage, then keep the suggested days and time (asking for the plan first where
    the outcome offers a choice) until the plan is filed."""
    runner.launch()
    filed = runner.answer_triage(answers)
    for _ in range(6):
        if filed.card is not None:
            break
        kind = runner.current_step().kind
        filed = runner.say("AMAZON.YesIntent" if kind in (WEEKDAYS, TIME, FILE) else "MakePlanIntent")
    assert filed.card is not None, filed.speech
    if not filed.ended:  # the runner walks off; the later turns here are later visits
        runner.session_ends()
    return filed


def check_screen(reply: Reply) -> dict[str, Any]:
    document = the_screen(reply)
    assert apl_errors(document) == []
    assert size(reply) < MAX_RESPONSE_BYTES, size(reply)
    return document


# ---- only on screens --------------------------------------------------------------------------


def test_the_manifest_declares_the_apl_interface():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))["manifest"]
    assert {"type": "ALEXA_PRESENTATION_APL"} in manifest["apis"]["custom"]["interfaces"]


def test_envelopes_name_no_interface_unless_asked():
    assert envelopes.launch_request()["context"]["System"]["device"]["supportedInterfaces"] == {}
    shown = envelopes.intent_request("TodaysSessionIntent", supported_interfaces=envelopes.APL_DEVICE)
    assert "Alexa.Presentation.APL" in shown["context"]["System"]["device"]["supportedInterfaces"]


def test_a_speaker_without_a_screen_gets_no_apl_and_a_screen_gets_it_with_the_same_words(
        show, voice, at, turn_failures):
    show.screen = False
    filed = file_plan(show)
    assert screens(filed) == []
    at(MONDAY)
    spoken = show.say("TodaysSessionIntent")
    assert screens(spoken) == [] and spoken.ended
    for reply in show.replies:
        assert not reply.response.get("directives"), reply.response

    show.screen = True
    shown = show.say("TodaysSessionIntent")
    assert shown.speech == spoken.speech  # the screen adds to the turn; the voice is unchanged
    document = check_screen(shown)
    assert shown.response.get("shouldEndSession") is None  # open, microphone closed: buttons still work
    assert "1 of " in " ".join(texts(document))

    # The same envelope with the interface taken out gets no screen.
    envelope = envelopes.intent_request("TodaysSessionIntent", session_attributes=show.attributes)
    assert not Reply(show.send(envelope)).response.get("directives")
    turn_failures.check()


def test_yes_to_hearing_the_next_session_shows_it_too_and_other_turns_show_nothing(show, at, turn_failures):
    file_plan(show)
    at(MONDAY)
    welcome = show.launch()
    assert screens(welcome) == [] and show.current_step().kind == "home"
    check_screen(show.say("AMAZON.YesIntent"))
    assert screens(show.say("AMAZON.HelpIntent")) == []
    turn_failures.check()


def test_a_button_event_from_a_device_without_apl_is_answered_without_a_screen(show, at, turn_failures):
    file_plan(show)
    at(MONDAY)
    show.say("TodaysSessionIntent")
    show.screen = False
    reply = show.press(["next", MONDAY.isoformat(), 0])
    assert "2 of " in reply.speech and screens(reply) == []
    turn_failures.check()


# ---- the session, screen by screen -------------------------------------------------------------


def test_next_walks_the_session_one_exercise_at_a_time_each_with_its_picture_under_24_kb(
        show, store, app_config, at, turn_failures):
    file_plan(show)
    at(MONDAY)
    plan = filed_plan(store, app_config)
    session = next_session(plan.programme, MONDAY)
    exercises = session.prescriptions
    assert len(exercises) >= 2
    prompts = for_locale("en-US")

    reply = show.say("TodaysSessionIntent")
    for index, exercise in enumerate(exercises):
        document = check_screen(reply)
        words = texts(document)
        assert prompts.say("screen_progress", index=index + 1, count=len(exercises)) in words
        assert exercise.name in words and prompts.dosage(exercise.dosage) in words
        assert all(f"\u2022 {cue}" in words for cue in exercise.cues)
        if exercise.exercise_id in DRAWINGS:
            assert pictures(document) == [exercise.exercise_id]
            graphic = document["graphics"][exercise.exercise_id]
            assert graphic["type"] == "AVG" and any(item["type"] == "path" for item in graphic["items"])
        buttons = events(document)
        assert buttons["Done"] == ["done", MONDAY.isoformat()]
        assert buttons["It hurts"] == ["hurts", MONDAY.isoformat()]
        if index + 1 < len(exercises):
            assert buttons["Next"] == ["next", MONDAY.isoformat(), index]
            reply = show.press(buttons["Next"])
            following = exercises[index + 1]
            assert reply.speech == prompts.say("screen_exercise_spoken", index=index + 2,
                                               count=len(exercises), name=following.name,
                                               dosage=prompts.dosage(following.dosage))
        else:
            assert "Next" not in buttons
    assert sum(1 for e in exercises if e.exercise_id in DRAWINGS) >= 1

    # A Next from the last screen (an old screen, say) says so and shows nothing new.
    last = show.press(["next", MONDAY.isoformat(), len(exercises) - 1])
    assert last.speech == prompts.say("screen_last_exercise") and screens(last) == []
    turn_failures.check()


def test_done_opens_the_check_in_as_i_did_my_session_and_logs_today(show, store, app_config, at,
                                                                   turn_failures):
    file_plan(show)
    at(MONDAY)
    done = events(the_screen(show.say("TodaysSessionIntent")))["Done"]
    asked = show.press(done)
    assert "worst pain during the session" in asked.speech and not asked.ended
    logged = show.say("AnswerNumberIntent", {"number": "2"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert (check_in.date, check_in.session, check_in.pain_during) == (MONDAY, "done", 2)
    assert logged.speech.startswith("That's logged.")
    turn_failures.check()


def test_done_logs_the_session_on_screen_even_while_an_earlier_one_is_offered(show, store, app_config, at,
                                                                             turn_failures):
    """Monday went unlogged; on Wednesday the skill reads the session and offers to log Monday's.
    Done on Wednesday's screen is about Wednesday's session, not the one offered."""
    file_plan(show)
    at(WEDNESDAY)
    shown = show.say("TodaysSessionIntent")
    assert show.current_step().kind == "check_in_offer"
    asked = show.press(events(the_screen(shown))["Done"])
    assert "worst pain during the session" in asked.speech
    show.say("AnswerNumberIntent", {"number": "1"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert (check_in.date, check_in.session, check_in.pain_during) == (WEDNESDAY, "done", 1)
    turn_failures.check()


def test_it_hurts_opens_the_check_in_with_the_session_partly_done(show, store, app_config, at,
                                                                 turn_failures):
    file_plan(show)
    at(MONDAY)
    show.say("TodaysSessionIntent")
    hurts = events(the_screen(show.press(["next", MONDAY.isoformat(), 0])))["It hurts"]
    asked = show.press(hurts)
    assert "worst pain during the session" in asked.speech
    show.say("AnswerNumberIntent", {"number": "6"})
    (check_in,) = filed_plan(store, app_config).check_ins
    assert (check_in.date, check_in.session, check_in.pain_during) == (MONDAY, "partial", 6)
    turn_failures.check()


def test_a_later_session_is_shown_without_done_or_it_hurts(show, at, turn_failures):
    file_plan(show)
    at(TUESDAY)
    document = check_screen(show.say("TodaysSessionIntent"))
    assert set(events(document)) <= {"Next"}
    turn_failures.check()


@pytest.mark.parametrize("arguments", [
    [], ["next"], ["next", "not a date", 0], ["next", "2026-03-02", -1], ["next", "2026-03-02", True],
    ["next", "2026-03-02", 999], ["explode", "2026-03-02"], [None, None], ["done", 5],
])
def test_events_the_screen_never_sends_are_answered_as_anything_unknown(show, at, arguments, turn_failures):
    file_plan(show)
    at(MONDAY)
    show.say("TodaysSessionIntent")
    reply = show.press(arguments)
    assert screens(reply) == [] and reply.speech
    assert reply.state.check_in is None  # nothing opened
    turn_failures.check(arguments)


# ---- the outcome screen -----------------------------------------------------------------------


def test_filing_on_a_screen_shows_the_qr_code_and_the_code_under_24_kb(show, store, app_config, clock,
                                                                      turn_failures):
    filed = file_plan(show)
    document = check_screen(filed)
    words = texts(document)
    (code,) = {normalize_code(word) for word in words} - {None}
    assert grouped(code) in words
    # The code shown opens the plan just filed, and the QR code is that plan's link.
    token = store.token_for_code(code, clock())
    assert token is not None
    assert store.get_plan(token).plan_id == filed_plan(store, app_config).plan_id
    assert pictures(document) == ["planQr"]
    assert document["graphics"]["planQr"] == avg.qr_code(plan_url(app_config["COACH_BASE_URL"], token))
    site = app_config["COACH_BASE_URL"].split("://", 1)[1].rstrip("/")
    assert site in words
    turn_failures.check()


def test_filing_on_a_speaker_shows_nothing(voice):
    filed = file_plan(voice)
    assert not filed.response.get("directives")


def test_the_qr_code_encodes_the_plan_link():
    import segno

    url = "https://coach.example.com/plans/abc"
    graphic = avg.qr_code(url)
    matrix = segno.make(url, error="m").matrix
    dark = sum(sum(1 for module in row if module) for row in matrix)
    runs = re.findall(r"M(\d+),(\d+)h(\d+)v1h-(\d+)z", graphic["items"][1]["pathData"])
    assert sum(int(length) for _, _, length, _ in runs) == dark
    for x, y, length, _ in runs:
        row = matrix[int(y) - avg.QR_BORDER]
        start = int(x) - avg.QR_BORDER
        assert all(row[start:start + int(length)])


# ---- every screen of every plan, and every locale ------------------------------------------------


@pytest.mark.parametrize("answers", [TIGHT, SIT_BONE_ACHE, STRIDES_TWINGE],
                         ids=["tight", "sit bone", "twinge"])
def test_every_screen_of_a_whole_programme_validates_and_fits(show, store, app_config, clock, answers):
    """Every exercise of every session of the programme, as the screen that would show it, in a
    response envelope shaped like the one the skill sends."""
    file_plan(show, answers)
    at_monday = dt.datetime.combine(MONDAY, dt.time(18), dt.UTC)
    clock.now = at_monday
    reply = show.say("TodaysSessionIntent")
    plan = filed_plan(store, app_config)
    today = today_in(plan.programme.timezone, clock())
    prompts = for_locale("en-US")
    checked = 0
    for session in plan.programme.sessions:
        if session.kind != "session":
            continue
        for index in range(len(session.prescriptions)):
            document = session_document(prompts, session, today, index)
            assert apl_errors(document) == []
            envelope = dict(reply.envelope)
            envelope["response"] = dict(reply.response, directives=[documents.render_directive(
                documents.SESSION_TOKEN, document)])
            assert size(Reply(envelope)) < MAX_RESPONSE_BYTES
            if session.prescriptions[index].exercise_id in DRAWINGS:
                assert session.prescriptions[index].exercise_id in document["graphics"]
            checked += 1
    assert checked > 0


@pytest.mark.parametrize("locale", LOCALES)
def test_each_locale_screen_words_come_from_its_prompts(store, state_store, clock, device_zone, app_config,
                                                        locale, turn_failures):
    skill = build_skill(store_factory=lambda: store, state_store=state_store, timezone_lookup=device_zone,
                        clock=clock, secret_key=app_config["COACH_SECRET_KEY"],
                        base_url=app_config["COACH_BASE_URL"])
    runner = ScreenRunner(in_process(skill), locale=locale)
    filed = file_plan(runner)
    prompts = for_locale(locale)
    outcome = check_screen(filed)
    assert prompts.say("card_title") in texts(outcome) and prompts.say("screen_code_label") in texts(outcome)
    clock.now = dt.datetime.combine(MONDAY, dt.time(18), dt.UTC)
    document = check_screen(runner.say("TodaysSessionIntent"))
    session = next_session(filed_plan(store, app_config).programme, MONDAY)
    words = texts(document)
    assert prompts.say("screen_session_today", time=prompts.time(session.start_time),
                       title=session.title) in words
    assert set(events(document)) == {prompts.say(k) for k in
                                     ("screen_button_next", "screen_button_done", "screen_button_hurts")}
    first = session.prescriptions[0]
    assert prompts.dosage(first.dosage) in words
    turn_failures.check(locale)
