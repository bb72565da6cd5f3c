"""What the privacy tests share: one runner with distinctive answers, a way to hold their whole
voice conversation over any transport, and the definition of a leak.

The runner's answers use values that cannot turn up in a log by chance next to their field
names (a pain score of 7 and 23 days since it started), and their Alexa ids are spelled so that
any copy of them, anywhere, is found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from skill import envelopes
from skill.conversation import State

RUNNER_ID = "amzn1.ask.account.PRIVACYRUNNER7Q4XZ2W9MNB3K8J5H1G6F0D4S7A2P9L3K6J8H1G4F7D2S5A8"
DEVICE_ID = "amzn1.ask.device.PRIVACYSPEAKER3V8C1X6Z4B9N2M7Q5W0E3R8T1Y6U4I9O2P7A5S3D8F1G6"
# A sit-bone ache: asks the location, onset, days, the red-flag questions, the tests and the pain
# score, so every kind of answer is spoken.
ANSWERS = {
    "location": "lower_buttock", "onset": "gradual", "days_since": 23, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
    "hinge_test": "yes", "heel_press_test": "yes", "pain_score": 7, "training_change": "yes",
}
SPOKEN = {"lower_buttock": "sit bone", "gradual": "gradually"}
# Where Alexa says the Settings API is: nothing listens there, and the SDK refuses plain http
# before connecting, so the time-zone lookup takes its real fallback path without a network.
NO_SETTINGS_API = "http://127.0.0.1:9"


# ---- the conversation -----------------------------------------------------------------------------


@dataclass
class Conversation:
    """One runner talking to the skill through `send` (an envelope dict in, a response dict out),
    carrying the session attributes from turn to turn as Alexa does."""

    send: Callable[[dict[str, Any]], dict[str, Any]]
    user_id: str = RUNNER_ID
    attributes: dict[str, Any] | None = None
    session: int = 0
    replies: list[dict[str, Any]] = field(default_factory=list)

    def launch(self) -> dict[str, Any]:
        self.session += 1
        self.attributes = None
        return self._turn(envelopes.launch_request(user_id=self.user_id, device_id=DEVICE_ID,
                                                   session_id=self._session_id()))

    def say(self, intent: str, slots: Mapping[str, str] | None = None, *,
            resolutions: Mapping[str, str] | None = None) -> dict[str, Any]:
        if self.attributes is None:
            self.session += 1
        return self._turn(envelopes.intent_request(
            intent, slots, resolutions=resolutions, user_id=self.user_id, device_id=DEVICE_ID,
            session_attributes=self.attributes, new=self.attributes is None, session_id=self._session_id(),
        ))

    def step(self):
        return State.from_attributes((self.attributes or {}).get("coach")).step()

    def answer_triage(self, answers: Mapping[str, object]) -> None:
        for _ in range(20):
            step = self.step()
            if step.kind != "question":
                return
            value = answers[step.question_id]
            if step.question_id in ("location", "onset"):
                intent = "AnswerLocationIntent" if step.question_id == "location" else "AnswerOnsetIntent"
                self.say(intent, {step.question_id: SPOKEN[value]}, resolutions={step.question_id: value})
            elif isinstance(value, int):
                self.say("AnswerNumberIntent", {"number": str(value)})
            else:
                self.say({"yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent"}.get(value, "UnsureIntent"))
        raise AssertionError("the triage did not finish")

    def file_a_plan(self) -> dict[str, Any]:
        """The whole check, from "open hamstring coach" to the spoken code: returns the last reply."""
        self.launch()
        if self.step().kind != "question":  # a runner with a plan is offered it: ask for a new check
            self.say("CheckHamstringIntent")
        self.answer_triage(ANSWERS)
        while self.step().kind == "outcome":  # "make my plan" (and yes after the same-day warning)
            self.say("MakePlanIntent")
        assert self.step().kind == "weekdays", self.replies[-1]
        self.say("ChooseDaysIntent", {"firstDay": "tuesday", "secondDay": "thursday", "thirdDay": "saturday"})
        assert self.step().kind == "time", self.replies[-1]
        filed = self.say("ChooseTimeIntent", {"time": "18:30"})
        assert filed["response"]["card"], filed
        # The code is a turn of its own ("Shall I read you the code?"), then "want me to repeat it?".
        code = self.say("AMAZON.YesIntent")
        goodbye = self.say("AMAZON.NoIntent")
        if self.step().kind == "reminder_offer":  # "Shall I set that reminder?" (skill.handlers.reminders)
            goodbye = self.say("AMAZON.NoIntent")
        assert goodbye["response"]["shouldEndSession"] is True, goodbye
        # The filing turn's card with the code turn's words: what the runner got from filing.
        return {**code, "response": {**code["response"], "card": filed["response"]["card"]}}

    def _session_id(self) -> str:
        return f"amzn1.echo-api.session.privacy-{self.session}"

    def _turn(self, envelope: dict[str, Any]) -> dict[str, Any]:
        envelope["context"]["System"]["apiEndpoint"] = NO_SETTINGS_API
        reply = self.send(envelope)
        self.replies.append(reply)
        self.attributes = reply.get("sessionAttributes") or {}
        if reply.get("response", {}).get("shouldEndSession"):
            self.attributes = None
        return reply


def spoken_code(reply: Mapping[str, Any]) -> str:
    ssml = reply["response"]["outputSpeech"]["ssml"]
    from plans.codes import CODE_LENGTH

    letters = re.findall(r'<say-as interpret-as="spell-out">(.)</say-as>', ssml)
    assert len(letters) >= CODE_LENGTH, ssml
    return "".join(letters[:CODE_LENGTH])


def token_on_card(reply: Mapping[str, Any]) -> str:
    match = re.search(r"/plans/([A-Za-z0-9_-]+)", reply["response"]["card"]["content"])
    assert match, reply["response"]["card"]
    return match.group(1)


def over_test_client(client) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/alexa", data=json.dumps(envelope), content_type="application/json")
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    return send


# ---- what a leak is -------------------------------------------------------------------------------


def leaks(text: str, *, secrets: Iterable[str] = ()) -> list[str]:
    """Every sign in `text` (captured log output) that personal or health data was logged:

    - the runner's Alexa user id, or any plan token, short code or owner key given in `secrets`;
    - any answer field written next to its value, as JSON, a Python repr or key=value
      (`"pain_score": 7`, `'days_since': 23`, `pain_score=7`), and a spoken slot value as it
      arrives in the envelope (`"value": "23"`);
    - the field name `pain_score` at all, and the words the runner said for location and onset.
    """
    found = []
    for secret in (RUNNER_ID, *secrets):
        if secret and re.search(rf"(?<![A-Za-z0-9_-]){re.escape(secret)}(?![A-Za-z0-9_-])", text):
            found.append(f"secret {secret[:12]}…")
    for name, value in ANSWERS.items():
        pair = rf"""\b{name}\b["']?\s*[:=]\s*["']?{re.escape(str(value))}\b"""
        if re.search(pair, text):
            found.append(f"answer {name}={value}")
    for value in (ANSWERS["days_since"], ANSWERS["pain_score"]):
        if re.search(rf'"value"\s*:\s*"{value}"', text):
            found.append(f"slot value {value}")
    if "pain_score" in text:
        found.append("the word pain_score")
    for words in SPOKEN.values():
        if words in text:
            found.append(f"spoken words {words!r}")
    return found
