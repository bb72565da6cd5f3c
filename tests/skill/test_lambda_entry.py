"""The AWS Lambda entry, run as Lambda would: a new Python process imports
skill.lambda_function and calls handler(event, context)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("flask", "reportlab", "sqlalchemy", "pydantic", "requests", "icalendar", "psycopg", "alembic",
         "plans.store")

SCRIPT = textwrap.dedent("""
    import json, sys
    from skill.lambda_function import handler
    from skill import envelopes

    report = {"after_import": [m for m in HEAVY if m in sys.modules]}
    reply = handler(envelopes.launch_request(), None)
    report["launch"] = reply["response"]["outputSpeech"]["ssml"]
    report["after_launch"] = [m for m in HEAVY if m in sys.modules]

    attributes = reply["sessionAttributes"]
    steps = [("AnswerLocationIntent", {"location": "back of my thigh"}, {"location": "back_of_thigh"})]
    for name, slots, resolutions in steps:
        reply = handler(envelopes.intent_request(name, slots, resolutions=resolutions,
                                                 session_attributes=attributes), None)
        attributes = reply["sessionAttributes"]
    report["after_an_answer"] = [m for m in HEAVY if m in sys.modules]

    # Run to the end so the plan is filed: only now may the store and SQLAlchemy load.
    from skill.conversation import State
    for _ in range(20):
        step = State.from_attributes(attributes["coach"]).step()
        if step.kind == "question":
            q = step.question
            if q.id == "onset":
                event = envelopes.intent_request("AnswerOnsetIntent", {"onset": "gradually"},
                                                 resolutions={"onset": "gradual"},
                                                 session_attributes=attributes)
            elif q.kind == "number":
                event = envelopes.intent_request("AnswerNumberIntent", {"number": "2"},
                                                 session_attributes=attributes)
            else:
                event = envelopes.intent_request("AMAZON.NoIntent", session_attributes=attributes)
        else:
            event = envelopes.intent_request("AMAZON.YesIntent", session_attributes=attributes)
        reply = handler(event, None)
        if reply["response"].get("shouldEndSession"):
            break
        attributes = reply["sessionAttributes"]
    report["final"] = reply["response"]["outputSpeech"]["ssml"]
    report["after_filing"] = [m for m in HEAVY if m in sys.modules]
    print(json.dumps(report))
""").replace("HEAVY", repr(HEAVY))


SECRET = "lambda-test-secret-key-0123456789-abcdefghij"


def run_entry(tmp_path, **environment) -> dict:
    from plans.store import PlanStore

    # As deployed: the plan service has migrated the shared database before the skill runs.
    database_url = f"sqlite:///{tmp_path / 'lambda.sqlite3'}"
    store = PlanStore(database_url, SECRET)
    store.migrate()
    store.close()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COACH_")}
    env.update({
        "PYTHONPATH": str(ROOT),
        "COACH_SECRET_KEY": SECRET,
        "COACH_DATABASE_URL": database_url,
        "COACH_BASE_URL": "https://coach.example",
        **environment,
    })
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_cold_start_imports_no_flask_reportlab_sqlalchemy_pydantic_or_plan_store_and_answers(tmp_path):
    report = run_entry(tmp_path)
    assert report["after_import"] == []
    assert "Welcome to Hamstring Coach" in report["launch"]
    assert report["after_launch"] == []
    assert report["after_an_answer"] == []


def test_the_store_and_sqlalchemy_load_only_for_the_turn_that_files_the_plan(tmp_path):
    report = run_entry(tmp_path)
    assert "spell-out" in report["final"]
    assert "sqlalchemy" in report["after_filing"]
    assert "flask" not in report["after_filing"] and "reportlab" not in report["after_filing"]


def test_a_request_for_another_skill_is_refused(tmp_path):
    code = textwrap.dedent("""
        from skill.lambda_function import handler
        from skill import envelopes
        try:
            handler(envelopes.launch_request(application_id="amzn1.ask.skill.someone-else"), None)
        except PermissionError as error:
            print("refused:", error)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COACH_ALEXA_SKILL_ID": "amzn1.ask.skill.ours",
           "COACH_SECRET_KEY": SECRET}
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.stdout.strip() == "refused: request for another skill"
