"""What the skill keeps and logs about a runner: never their Alexa user id in clear, never their
answers or pain score in a log line, even when things go wrong."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from voice_driver import Runner, in_process

from plans.state import SqlStateStore
from skill.build import build_skill
from tests.samples import SPRINTER

USER = "amzn1.ask.account.PRIVATE-RUNNER-0000000000000000000000000000000000"
HEALTH_WORDS = ("lower_buttock", "back_of_thigh", "behind_knee", "sit bone", "sudden", "gradual",
                "pain_score", "bruising", "suspected_severe_tear", "refer")


def everything_logged(caplog) -> str:
    parts = []
    for record in caplog.records:
        parts.append(record.getMessage())
        if record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.exc_text:
            parts.append(record.exc_text)
    return "\n".join(parts)


def assert_nothing_private(text: str) -> None:
    assert USER not in text
    assert "PRIVATE-RUNNER" not in text
    for word in HEALTH_WORDS:
        assert word not in text, f"{word!r} was logged"


class Treacherous:
    """A clock that fails once, on purpose, with health data and the user id in its message: the
    kind of message an exception from deep inside a library could carry."""

    def __init__(self, now: dt.datetime):
        self.now = now
        self.fail_next = False

    def __call__(self) -> dt.datetime:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError(f"pain_score=8 location=lower_buttock user={USER}")
        return self.now


@pytest.fixture
def treacherous_skill(store, state_store, app_config, device_zone):
    clock = Treacherous(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    skill = build_skill(store_factory=lambda: store, state_store=state_store, timezone_lookup=device_zone,
                        clock=clock, secret_key=app_config["COACH_SECRET_KEY"],
                        base_url=app_config["COACH_BASE_URL"])
    return skill, clock


def test_a_whole_conversation_with_a_crash_and_a_filing_logs_nothing_private(treacherous_skill, caplog):
    skill, clock = treacherous_skill
    runner = Runner(in_process(skill), user_id=USER)
    with caplog.at_level(logging.DEBUG):
        runner.launch()
        runner.answer_triage(SPRINTER)
        runner.to_the_plan()
        clock.fail_next = True
        sorry = runner.say("ChooseStartDateIntent", {"startDate": "2026-03-03"})
        assert sorry.speech.startswith("Sorry, something went wrong on my side. Your answers are safe.")
        assert not sorry.ended and runner.current_step().kind == "weekdays"
        assert dict(runner.last.state.answers).items() >= {"location": "lower_buttock"}.items()
        runner.say("AMAZON.YesIntent")
        runner.say("TodaysSessionIntent")
    logged = everything_logged(caplog)
    assert "turn failed with RuntimeError" in logged
    assert_nothing_private(logged)


def test_with_the_database_down_the_logs_still_hold_nothing_private(app_config, device_zone, clock, caplog):
    from plans.store import PlanStore

    dead = "postgresql://coach@127.0.0.1:1/coach"
    skill = build_skill(store_factory=lambda: PlanStore(dead, app_config["COACH_SECRET_KEY"]),
                        state_store=SqlStateStore(dead), timezone_lookup=device_zone, clock=clock,
                        secret_key=app_config["COACH_SECRET_KEY"], base_url=app_config["COACH_BASE_URL"])
    runner = Runner(in_process(skill), user_id=USER)
    with caplog.at_level(logging.DEBUG):
        runner.launch()
        runner.answer_triage(SPRINTER)
        runner.to_the_plan()
        runner.say("AMAZON.YesIntent")
        runner.say("TodaysSessionIntent")
        runner.say("DeleteMyDataIntent")
        runner.say("AMAZON.YesIntent")
    logged = everything_logged(caplog)
    assert "plan not filed" in logged and "progress not saved" in logged
    assert_nothing_private(logged)


@pytest.mark.each_database
def test_the_database_never_holds_the_alexa_user_id(voice_skill, database_url):
    runner = Runner(in_process(voice_skill), user_id=USER)
    runner.launch()
    runner.answer("behind_knee")
    runner.say("AMAZON.StopIntent")
    runner.launch()
    runner.say("AMAZON.YesIntent")
    runner.answer_triage(SPRINTER)
    runner.to_the_plan()
    runner.say("AMAZON.YesIntent")
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    else:
        import psycopg

        with psycopg.connect(database_url) as conn:
            rows = conn.execute("SELECT owner_key, attributes FROM skill_state "
                                "UNION ALL SELECT owner_key, answers FROM plans").fetchall()
        stored = repr(rows).encode()
    assert USER.encode() not in stored
    assert b"PRIVATE-RUNNER" not in stored
