"""A runner talking to the skill, for tests: each call is one spoken turn sent as a real Alexa
request envelope (skill.envelopes), either in process through `invoke_json` or over HTTP through
POST /alexa. The driver carries the session attributes from turn to turn as Alexa does, and
starts a new session after the skill ends one.

`answer_triage(answers)` answers whatever question the skill asks from a vignette's answers
("others no", as the clinical-core issue's table puts it), with the intent a runner's words
would reach: a location, an onset, a number, yes, no, or "I'm not sure".
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from plans.keys import owner_key
from skill import envelopes
from skill.build import invoke_json
from skill.conversation import State
from skill.handlers import errors
from tests.samples import PINS_AND_NEEDLES, SIT_BONE_ACHE, SPRINTER, STRIDES_TWINGE, TIGHT

SPOKEN_WORDS = {
    "lower_buttock": "sit bone", "back_of_thigh": "back of my thigh", "behind_knee": "behind my knee",
    "sudden": "suddenly", "gradual": "gradually",
}
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Reply:
    envelope: dict[str, Any]

    @property
    def response(self) -> dict[str, Any]:
        return self.envelope.get("response", {})

    @property
    def ssml(self) -> str:
        return (self.response.get("outputSpeech") or {}).get("ssml", "")

    @property
    def speech(self) -> str:
        """What the runner hears, without markup."""
        return re.sub(r"\s+", " ", _TAGS.sub(" ", self.ssml)).strip()

    @property
    def reprompt(self) -> str:
        ssml = ((self.response.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml", "")
        return re.sub(r"\s+", " ", _TAGS.sub(" ", ssml)).strip()

    @property
    def ended(self) -> bool:
        return self.response.get("shouldEndSession") is True

    @property
    def card(self) -> dict[str, Any] | None:
        return self.response.get("card")

    @property
    def state(self) -> State:
        return State.from_attributes((self.envelope.get("sessionAttributes") or {}).get("coach"))


@dataclass
class Runner:
    """One runner (one Alexa user id) on one device."""

    send: Callable[[dict[str, Any]], dict[str, Any]]
    user_id: str = envelopes.DEFAULT_USER
    locale: str = "en-US"
    attributes: dict[str, Any] | None = None
    new_session: bool = True
    replies: list[Reply] = field(default_factory=list)
    session_number: int = 0

    # ---- turns -----------------------------------------------------------------------------

    def launch(self) -> Reply:
        self._begin_session()
        return self._turn(envelopes.launch_request(user_id=self.user_id, locale=self.locale,
                                                   session_id=self._session_id()))

    def say(self, intent: str, slots: Mapping[str, str | None] | None = None, *,
            resolutions: Mapping[str, str] | None = None) -> Reply:
        if self.new_session:
            self._begin_session()
        new = self.attributes is None
        return self._turn(envelopes.intent_request(
            intent, slots, resolutions=resolutions, user_id=self.user_id, locale=self.locale,
            session_attributes=self.attributes, new=new, session_id=self._session_id(),
        ))

    def session_ends(self, reason: str = "USER_INITIATED") -> Reply:
        reply = self._turn(envelopes.session_ended_request(
            reason, user_id=self.user_id, locale=self.locale, session_attributes=self.attributes,
            session_id=self._session_id(),
        ))
        self.new_session = True
        return reply

    def answer(self, value: object) -> Reply:
        """Answer the current question the way a runner would say `value`."""
        question_id = self.current_step().question_id
        if question_id in ("location", "onset"):
            intent = "AnswerLocationIntent" if question_id == "location" else "AnswerOnsetIntent"
            return self.say(intent, {question_id: SPOKEN_WORDS[value]}, resolutions={question_id: value})
        if isinstance(value, int):
            return self.say("AnswerNumberIntent", {"number": str(value)})
        if value == "yes":
            return self.say("AMAZON.YesIntent")
        if value == "no":
            return self.say("AMAZON.NoIntent")
        if value in ("unsure", "not_done"):
            return self.say("UnsureIntent")
        raise ValueError(f"no way to say {value!r}")

    def answer_triage(self, answers: Mapping[str, object], *, limit: int = 20) -> Reply:
        """Answer every question the skill asks from `answers` (unlisted ones "no") until it
        moves on to the preference questions."""
        reply = self.replies[-1]
        for _ in range(limit):
            step = self.current_step()
            if step.kind != "question":
                return reply
            reply = self.answer(answers.get(step.question_id, "no"))
        raise AssertionError("the triage did not finish")

    def to_the_plan(self) -> Reply:
        """From the outcome to the days question: "make my plan", then yes to "shall I make your
        plan now?" after the same-day warning when the answers make it relevant."""
        reply = self.say("MakePlanIntent")
        if self.current_step().kind == "outcome":
            reply = self.say("AMAZON.YesIntent")
        assert self.current_step().kind == "weekdays", reply.speech
        return reply

    def hear_the_code(self) -> Reply:
        """After filing ("Shall I read you the code?"): yes, and the code is said."""
        assert self.current_step().kind == "code_offer", self.last.speech
        return self.say("AMAZON.YesIntent")

    def decline_reminders(self) -> Reply:
        """After the code, when Alexa reminders are offered ("Shall I set that reminder?"): no."""
        if self.current_step().kind == "reminder_offer":
            return self.say("AMAZON.NoIntent")
        return self.last

    # ---- reading ---------------------------------------------------------------------------

    @property
    def last(self) -> Reply:
        return self.replies[-1]

    def current_step(self):
        return State.from_attributes((self.attributes or {}).get("coach")).step()

    # ---- plumbing --------------------------------------------------------------------------

    def _begin_session(self) -> None:
        self.attributes = None
        self.new_session = False
        self.session_number += 1

    def _session_id(self) -> str:
        return f"amzn1.echo-api.session.test-{self.session_number}"

    def _turn(self, envelope: dict[str, Any]) -> Reply:
        reply = Reply(self.send(envelope))
        self.replies.append(reply)
        if envelope["request"]["type"] != "SessionEndedRequest":
            self.attributes = reply.envelope.get("sessionAttributes") or {}
            if reply.ended:
                self.new_session = True
        return reply


class TurnFailures(logging.Handler):
    """Every turn the catch-all exception handler answered (skill.handlers.errors). The runner
    hears a polite apology and a reprompt then, which passes any check on the reply's shape, so
    tests that say "never an exception" must look here. Attached to the skill's own logger, so
    it hears the records whatever the root logger or propagation is set to."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg in (errors.TURN_FAILED, errors.APOLOGY_FAILED):
            self.failures.append(record.getMessage())

    def clear(self) -> None:
        self.failures.clear()

    def check(self, what: object = "") -> None:
        assert not self.failures, f"the catch-all answered: {self.failures} {what}"

    def __enter__(self) -> TurnFailures:
        logger = logging.getLogger(errors.logger.name)
        assert not logger.disabled and logger.isEnabledFor(logging.ERROR), "the skill's errors go unlogged"
        logger.addHandler(self)
        return self

    def __exit__(self, *exc_info) -> None:
        logging.getLogger(errors.logger.name).removeHandler(self)


def in_process(skill) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda envelope: invoke_json(skill, envelope)


def over_http(client) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/alexa", data=json.dumps(envelope), content_type="application/json")
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return send


# The clinical-core issue's vignettes: what the runner says ("others no", tests/samples.py), then
# what the filed plan must say.
VIGNETTES = [
    pytest.param(
        SPRINTER,
        dict(category="refer", running={"stop_and_see_clinician"}, red_flags={"suspected_severe_tear"}),
        id="sprinter"),
    pytest.param(
        TIGHT,
        dict(category="tightness", running={"keep_running"}, red_flags=set()),
        id="tight"),
    pytest.param(
        SIT_BONE_ACHE,
        dict(category="tendinopathy", site="proximal", running={"easy_only"}, red_flags=set()),
        id="sit-bone ache"),
    pytest.param(
        STRIDES_TWINGE,
        dict(category="strain_low_grade", running={"easy_only", "rest"}, red_flags=set(), acute_care=True),
        id="strides twinge"),
    pytest.param(
        PINS_AND_NEEDLES,
        dict(category="refer", running={"stop_and_see_clinician"}, red_flags={"nerve_symptoms"}),
        id="pins and needles"),
]
SPELLED = re.compile(r'<say-as interpret-as="spell-out">(.)</say-as>')


def filed_plan(store, app_config, user_id=envelopes.DEFAULT_USER):
    return store.latest_plan_for_owner(owner_key(app_config["COACH_SECRET_KEY"].encode(), user_id))


def spoken_code(reply) -> str:
    from plans.codes import CODE_LENGTH

    return "".join(SPELLED.findall(reply.ssml)[:CODE_LENGTH])


def check_filed(plan, expected) -> None:
    assessment = plan.assessment
    assert assessment.category == expected["category"]
    assert assessment.running in expected["running"]
    assert set(assessment.red_flags) == expected["red_flags"]
    if "site" in expected:
        assert assessment.site == expected["site"]
    if "acute_care" in expected:
        assert assessment.acute_care is expected["acute_care"]
