"""Skill timings against a hello-world ask-sdk-core skill measured in the same run:
- one turn, request JSON in → response JSON out, in process: ≤ 2× the hello-world turn;
- the final turn, which assesses, builds the programme and files it: ≤ 20 ms median;
- a Lambda cold start (new interpreter: import the entry, answer one LaunchRequest): ≤ 1.5×.

The conversation is the "tight hamstrings" vignette typed as a runner would say it, understood
through the interaction model (skill.nlu) and replayed turn by turn with the session attributes
Alexa would carry."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from pathlib import Path

from bench.common import against_bar, against_floor, cold_start_seconds, ms, timed

TURN_BAR = 2.0
FINAL_TURN_BAR = 0.020
COLD_START_BAR = 1.5  # design.md §5

# What the runner types at each question of the "tight hamstrings" vignette; unlisted ones "no".
TYPED_ANSWERS = {
    "location": "it's at the back of my thigh",
    "onset": "it came on gradually over a few weeks",
    "days_since": "it started about ten days ago",
    "pain_score": "about a two out of ten",
}
# What the runner says at each step that is not a triage question (by the step's kind); "yes" to
# anything else the skill offers.
TYPED_AT_STEP = {
    "outcome": "make my plan",
    "weekdays": "monday wednesday and friday",
    "time": "seven a.m.",
    "code_offer": "yes",
    "code_repeat": "no",
}
TODAY = dt.date(2026, 3, 1)
NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def recorded_conversation(skill) -> list[str]:
    """The request envelopes (as JSON text) of one whole conversation, each carrying the session
    attributes the skill returned on the turn before, as Alexa does. The one that files the plan
    is the last (what follows it, hearing the code and goodbye, is left out: the final turn's bar
    is the filing one)."""
    from skill import envelopes
    from skill.build import invoke_json
    from skill.conversation import State
    from skill.nlu import VoiceModel

    model = VoiceModel.for_locale("en-US")
    requests = [json.dumps(envelopes.launch_request(timestamp=NOW))]
    reply = invoke_json(skill, requests[0])
    for _ in range(30):
        if reply["response"].get("shouldEndSession"):
            return requests
        attributes = reply.get("sessionAttributes") or {}
        step = State.from_attributes(attributes.get("coach")).step()
        if step.kind == "question":
            typed = TYPED_ANSWERS.get(step.question_id, "no")
        else:
            typed = TYPED_AT_STEP.get(step.kind, "yes")
        requests.append(json.dumps(model.understand(typed, today=TODAY).envelope(
            session_attributes=attributes, timestamp=NOW)))
        reply = invoke_json(skill, requests[-1])
        if reply["response"].get("card"):  # the turn that filed the plan sends its card
            return requests
    raise RuntimeError("the scripted conversation did not reach the end")


def run(workdir: Path) -> None:
    from ask_sdk_core.serialize import DefaultSerializer

    from bench import hello_skill
    from plans.config import Config
    from skill import envelopes
    from skill.build import build_skill_for, invoke_json

    serializer = DefaultSerializer()

    def hello_turn(text: str) -> str:
        request = serializer.deserialize(text, "ask_sdk_model.RequestEnvelope")
        response = hello_skill.skill.invoke(request_envelope=request, context=None)
        return json.dumps(serializer.serialize(response))

    skill = build_skill_for(Config.from_env(), timezone_lookup=lambda _: "Europe/London", clock=lambda: NOW)
    requests = recorded_conversation(skill)
    *turns, final = requests

    # The floor answers the very same envelopes, so the SDK's own cost of reading a request with
    # slots and session attributes is on both sides and the ratio is what our skill adds.
    # Ours and the floor take turns, ten answers each, so a machine that slows down for a while
    # (a shared virtual machine does) slows both sides of the ratio alike.
    def median_turns(text: str) -> tuple[float, float]:
        ours_taken, floor_taken = [], []
        for _ in range(6):
            ours_taken += timed(lambda: json.dumps(invoke_json(skill, text)), repeat=10)
            floor_taken += timed(lambda: hello_turn(text), repeat=10)
        return statistics.median(ours_taken), statistics.median(floor_taken)

    ours, floor = (list(side) for side in zip(*(median_turns(text) for text in turns), strict=True))
    ratios = sorted(o / f for o, f in zip(ours, floor, strict=True))
    middle = len(ratios) // 2
    against_floor(f"skill turn (median of {len(turns)} turns)", statistics.median(ours),
                  statistics.median(floor), TURN_BAR)
    slowest = max(range(len(turns)), key=lambda i: ours[i] / floor[i])
    print(f"      per-turn ratios: median {ratios[middle]:.2f}×, range {ratios[0]:.2f}–{ratios[-1]:.2f}×; "
          f"slowest is turn {slowest} ({ms(ours[slowest])}), the one that assesses and speaks the outcome")

    final_turn = statistics.median(timed(lambda: json.dumps(invoke_json(skill, final)), repeat=40))
    against_bar("final turn: assess, build and file the plan", final_turn, FINAL_TURN_BAR)

    launch = json.dumps(envelopes.launch_request(timestamp=NOW))
    answer_one = "import json; from {} import handler; handler(json.loads({!r}), None)"
    hello, ours = (answer_one.format(entry, launch)
                   for entry in ("bench.hello_skill", "skill.lambda_function"))
    cold_start_seconds(hello, ours, runs=1)  # bytecode, as deployed
    hello_cold, ours_cold = cold_start_seconds(hello, ours, runs=9)
    against_floor("Lambda cold start (import + LaunchRequest)", ours_cold, hello_cold, COLD_START_BAR)
