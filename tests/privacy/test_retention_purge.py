"""Plans do not live for ever: `hamstring-coach purge`, run as an operator's timer runs it (the
console script in a process of its own, configured by the environment), deletes plans unchanged
for longer than COACH_RETENTION_DAYS (180 by default), their short codes with them, and what the
skill kept about runners not heard from in as long. Everything newer stays and still opens."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from privacy_runner import ANSWERS

from plans.service import file_plan
from plans.state import SqlStateStore
from plans.store import PlanStore

pytestmark = [pytest.mark.system, pytest.mark.each_database]

SECRET = "purge-test-secret-key-0123456789-abcdefghijklmn"
PURGE = str(Path(sys.executable).with_name("hamstring-coach"))


@pytest.fixture
def plan_store(database_url):
    store = PlanStore(database_url, SECRET)
    yield store
    store.close()


def purge(database_url: str, **environment: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("COACH_")}
    env.update(COACH_DATABASE_URL=database_url, COACH_SECRET_KEY=SECRET, **environment)
    return subprocess.run([PURGE, "purge"], env=env, capture_output=True, text=True, timeout=120)


def days_ago(days: float) -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(days=days)


def codes_of(sql, plan_id: str) -> int:
    return sql("SELECT count(*) FROM short_codes WHERE plan_id = :id", id=plan_id)[0][0]


def test_purge_deletes_plans_older_than_180_days_with_their_codes_and_keeps_the_rest(
        database_url, plan_store, sql):
    old = file_plan(plan_store, ANSWERS, None, owner_key="old-runner", now=days_ago(200))
    new = file_plan(plan_store, ANSWERS, None, owner_key="new-runner", now=days_ago(10))
    states = SqlStateStore(database_url, ensure_schema=plan_store.migrate)
    states.save("old-runner", {"coach": {"answers": {"pain_score": 7}}}, now=days_ago(200))
    states.save("new-runner", {"coach": {"answers": {"pain_score": 7}}}, now=days_ago(10))
    assert codes_of(sql, old.plan.plan_id) == 1

    result = purge(database_url)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "deleted 1 plan unchanged for more than 180 days"
    assert plan_store.get_plan(old.token) is None
    assert codes_of(sql, old.plan.plan_id) == 0
    assert states.load("old-runner") is None
    assert plan_store.get_plan(new.token) is not None
    assert plan_store.token_for_code(new.code, dt.datetime.now(dt.UTC)) == new.token
    assert states.load("new-runner") == {"coach": {"answers": {"pain_score": 7}}}


def test_a_shorter_retention_takes_the_plan_and_its_still_valid_code(database_url, plan_store, sql):
    # A code lives 30 days: with a 20-day retention, a 25-day-old plan's code still works until
    # the purge, and must go with the plan, not linger to open nothing.
    old = file_plan(plan_store, ANSWERS, None, now=days_ago(25))
    recent = file_plan(plan_store, ANSWERS, None, now=days_ago(5))
    assert plan_store.token_for_code(old.code, dt.datetime.now(dt.UTC)) == old.token

    result = purge(database_url, COACH_RETENTION_DAYS="20")

    assert result.returncode == 0, result.stderr
    assert "deleted 1 plan unchanged for more than 20 days" in result.stdout
    assert plan_store.token_for_code(old.code, dt.datetime.now(dt.UTC)) is None
    assert codes_of(sql, old.plan.plan_id) == 0
    assert plan_store.get_plan(recent.token) is not None


def test_purge_refuses_a_nonsense_retention_and_deletes_nothing(database_url, plan_store):
    old = file_plan(plan_store, ANSWERS, None, now=days_ago(400))
    result = purge(database_url, COACH_RETENTION_DAYS="zero")
    assert result.returncode == 2
    assert "COACH_RETENTION_DAYS must be a whole number" in result.stderr
    assert plan_store.get_plan(old.token) is not None
