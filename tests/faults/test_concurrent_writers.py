"""Two writers at once on one SQLite file never meet "database is locked": gunicorn's two workers
taking plan creations and voice conversations from many clients together, and two separate
processes filing plans and saving skill state through the store and the skill's own DB-API path."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from coach_server import PLAN_REQUEST, SECRET_KEY, Voice

from plans.keys import owner_key
from plans.service import file_plan
from plans.state import SqlStateStore
from plans.store import PlanStore
from tests.samples import LONDON_MWF, TIGHT, TIGHTNESS

pytestmark = pytest.mark.system

CLIENTS = 8
PLANS_PER_CLIENT = 12
VOICES = 4
PLANS_PER_PROCESS = 25


def test_two_gunicorn_workers_take_simultaneous_plans_and_conversations_without_a_lock_error(
        tmp_path, servers):
    database = tmp_path / "coach.sqlite3"
    server = servers(f"sqlite:///{database}")
    start = threading.Barrier(CLIENTS + VOICES)

    def post_plans(_: int) -> list[int]:
        client = server.client()
        start.wait()
        try:
            return [client.request("POST", "/api/plans", PLAN_REQUEST).status
                    for _ in range(PLANS_PER_CLIENT)]
        finally:
            client.close()

    def hold_a_conversation(number: int) -> str:
        voice = Voice(server, user_id=f"amzn1.ask.account.CONCURRENT{number:04d}")
        start.wait()
        voice.launch()
        return voice.answer_until_the_end(TIGHT).speech

    with ThreadPoolExecutor(max_workers=CLIENTS + VOICES) as pool:
        plans = pool.map(post_plans, range(CLIENTS))
        conversations = pool.map(hold_a_conversation, range(VOICES))
        plan_statuses, endings = list(plans), list(conversations)

    expected_plans = CLIENTS * PLANS_PER_CLIENT + VOICES
    statuses = [status for client_statuses in plan_statuses for status in client_statuses]
    assert statuses == [201] * (CLIENTS * PLANS_PER_CLIENT)
    assert all("Your plan is ready" in ending for ending in endings), endings
    log = server.log()
    assert "database is locked" not in log
    assert "database unavailable" not in log
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == expected_plans
        assert conn.execute("SELECT count(*) FROM short_codes").fetchone()[0] == expected_plans


def _file_plans_and_save_state(database_url: str, runner: int, start, results) -> None:
    """One process: file plans through the store and save a runner's state through the skill's
    DB-API path, in turns, as the plan service and a Lambda skill would on the same file."""
    store = PlanStore(database_url, SECRET_KEY)
    state = SqlStateStore(database_url, secret_key=SECRET_KEY)
    key = owner_key(SECRET_KEY.encode(), f"amzn1.ask.account.PROCESS{runner}")
    tokens, errors = [], []
    start.wait()
    for number in range(PLANS_PER_PROCESS):
        try:
            filed = file_plan(store, TIGHTNESS, LONDON_MWF, owner_key=key,
                              now=dt.datetime.now(dt.UTC))
            tokens.append(filed.token)
            state.save(key, {"coach": {"answers": {"location": "back_of_thigh"}, "turn": number}},
                       now=dt.datetime.now(dt.UTC))
        except Exception as error:  # recorded, not raised: the parent reports every failure
            errors.append(f"{type(error).__name__}: {error}")
    store.close()
    results.put((runner, tokens, errors))


def test_two_processes_writing_the_same_sqlite_file_at_once_lose_nothing(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'coach.sqlite3'}"
    PlanStore(database_url, SECRET_KEY).migrate()
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    results = context.Queue()
    processes = [
        context.Process(target=_file_plans_and_save_state, args=(database_url, runner, start, results))
        for runner in (1, 2)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
        assert process.exitcode == 0

    assert [errors for _, _, errors in outcomes] == [[], []]
    store = PlanStore(database_url, SECRET_KEY)
    state = SqlStateStore(database_url, secret_key=SECRET_KEY)
    try:
        for runner, tokens, _ in outcomes:
            assert len(tokens) == PLANS_PER_PROCESS
            assert all(store.get_plan(token) is not None for token in tokens)
            key = owner_key(SECRET_KEY.encode(), f"amzn1.ask.account.PROCESS{runner}")
            assert state.load(key)["coach"]["turn"] == PLANS_PER_PROCESS - 1
    finally:
        store.close()
