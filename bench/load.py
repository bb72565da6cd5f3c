"""`make load`: the plan service under load, as deployed, on SQLite and then on PostgreSQL.

For each database: `python -m exporter.serve --workers 2` (gunicorn, loopback only, Alexa
verification off, which the service allows only on loopback), seeded with plans; then wrk drives
it for a bounded time with the mix in bench/load.lua: calendar polls (some conditional, answered
304), PDF downloads, plan creations (POST /api/plans) and skill turns (POST /alexa: launches,
answers and the turn that files a plan). Each run reports requests per second, p50/p99 latency,
errors (socket errors and any status other than 200, 201 and 304) and lost plans: every plan
wrk saw answered (201, or the skill's card) is looked up in the database after the server has
stopped. The bar is zero errors and zero lost plans; the exit status is 1 when it is missed.

PostgreSQL is a throwaway server (bench/pgcluster.py) with fsync on, so a commit costs what it
costs in production, as SQLite's synchronous=FULL does. Everything stops by itself: each wrk run
is WRK_SECONDS long and every wait has a timeout.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench import pgcluster
from bench.common import ROOT, free_port, stop_process
from bench.fixtures import SAMPLE_ANSWERS

WRK_SECONDS = 12
WRK_THREADS = 2
WRK_CONNECTIONS = 8
SEEDED_PLANS = 20
SECRET_KEY = "load-test-secret-key-not-for-production-0123456789"
LUA_SCRIPT = ROOT / "bench" / "load.lua"
PLACEHOLDER_USER = "LOADRUNNERID"
# The skill asks the Alexa Settings API for the device's time zone; the SDK refuses plain http
# before connecting, so under load the lookup takes its fallback at once and never leaves the host.
NO_SETTINGS_API = "http://127.0.0.1:9"
SPOKEN = {"lower_buttock": "sit bone", "back_of_thigh": "back of my thigh", "behind_knee": "behind my knee",
          "sudden": "suddenly", "gradual": "gradually"}


class LoadError(RuntimeError):
    pass


# ---- the server ---------------------------------------------------------------------------


@contextlib.contextmanager
def plan_service(database_url: str, workdir: Path) -> Iterator[tuple[str, Path]]:
    """`python -m exporter.serve --workers 2` on a free loopback port; yields (base URL, log)."""
    port = free_port()
    log_path = workdir / f"server-{port}.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("COACH_")}
    env.update(
        COACH_DATABASE_URL=database_url, COACH_SECRET_KEY=SECRET_KEY, COACH_BIND_HOST="127.0.0.1",
        COACH_BASE_URL=f"http://127.0.0.1:{port}", COACH_ALEXA_VERIFY="0", PORT=str(port),
        PYTHONPATH=str(ROOT),
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "exporter.serve", "--workers", "2"], cwd=ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise LoadError(f"the plan service exited:\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                if fetch(base, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise LoadError("the plan service did not become healthy within 60 s")
            time.sleep(0.2)
        yield base, log_path
    finally:
        stop_process(process, grace=20)


def fetch(base: str, method: str, path: str, body: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(base + path, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


# ---- what wrk sends -----------------------------------------------------------------------


def skill_turns(base: str) -> dict[str, Any]:
    """Hold one conversation with the running service to learn the session attributes Alexa
    would carry at each step; returns the bodies of a launch, of answer turns mid-triage and of
    the turn that files the plan, with the user id left as a placeholder for wrk to fill in."""
    from skill import envelopes
    from skill.conversation import State

    user = "amzn1.ask.account.LOADPREPARATION"

    def send(envelope: dict[str, Any]) -> dict[str, Any]:
        envelope["context"]["System"]["apiEndpoint"] = NO_SETTINGS_API
        status, _, body = fetch(base, "POST", "/alexa", json.dumps(envelope).encode(),
                                {"Content-Type": "application/json"})
        if status != 200:
            raise LoadError(f"the skill answered {status}: {body[:300]!r}")
        return json.loads(body)

    def as_body(envelope: dict[str, Any]) -> str:
        envelope["context"]["System"]["apiEndpoint"] = NO_SETTINGS_API
        return json.dumps(envelope).replace(user, PLACEHOLDER_USER)

    launch = envelopes.launch_request(user_id=user)
    attributes = send(json.loads(json.dumps(launch)))["sessionAttributes"]
    answers: list[str] = []
    for _ in range(20):
        step = State.from_attributes(attributes.get("coach")).step()
        if step.kind != "question":
            break
        value = SAMPLE_ANSWERS[step.question_id]
        if step.question_id in ("location", "onset"):
            intent = "AnswerLocationIntent" if step.question_id == "location" else "AnswerOnsetIntent"
            turn = envelopes.intent_request(intent, {step.question_id: SPOKEN[value]},
                                            resolutions={step.question_id: value}, user_id=user,
                                            session_attributes=attributes)
        elif isinstance(value, int):
            turn = envelopes.intent_request("AnswerNumberIntent", {"number": str(value)}, user_id=user,
                                            session_attributes=attributes)
        else:
            intent = {"yes": "AMAZON.YesIntent", "no": "AMAZON.NoIntent"}.get(value, "UnsureIntent")
            turn = envelopes.intent_request(intent, user_id=user, session_attributes=attributes)
        answers.append(as_body(json.loads(json.dumps(turn))))
        attributes = send(turn)["sessionAttributes"]
    days = envelopes.intent_request("ChooseDaysIntent", {"firstDay": "monday", "secondDay": "thursday"},
                                    user_id=user, session_attributes=attributes)
    attributes = send(days)["sessionAttributes"]
    if State.from_attributes(attributes.get("coach")).step().kind != "time":
        raise LoadError("the conversation did not reach the time question")
    filing = envelopes.intent_request("ChooseTimeIntent", {"time": "07:30"}, user_id=user,
                                      session_attributes=attributes)
    return {"launch_body": as_body(launch), "answer_bodies": answers, "filing_body": as_body(filing)}


def lua_string(text: str) -> str:
    level = "=" * 4
    if f"]{level}]" in text:
        raise LoadError("a request body holds the Lua long-bracket terminator")
    return f"[{level}[{text}]{level}]"


def write_lua_data(path: Path, data: dict[str, Any]) -> None:
    def value(item: Any) -> str:
        if isinstance(item, list):
            return "{" + ", ".join(value(element) for element in item) + "}"
        return lua_string(item)

    path.write_text("return {\n" + "".join(f"  {key} = {value(item)},\n" for key, item in data.items())
                    + "}\n", encoding="utf-8")


def prepare(base: str, store, workdir: Path) -> Path:
    """Seed plans and write the data file load.lua reads."""
    from bench.fixtures import file_sample_plan

    tokens = [file_sample_plan(store) for _ in range(SEEDED_PLANS)]
    etags = []
    for token in tokens:  # one fetch each, which also warms the workers' caches
        status, headers, _ = fetch(base, "GET", f"/plans/{token}.ics")
        if status != 200:
            raise LoadError(f"a seeded plan's calendar answered {status}")
        etags.append(headers["ETag"])
    create = {"answers": SAMPLE_ANSWERS, "preferences": {"timezone": "Europe/London", "time": "18:00"}}
    data = {"tokens": tokens, "etags": etags, "create_body": json.dumps(create), **skill_turns(base)}
    path = workdir / "load-data.lua"
    write_lua_data(path, data)
    return path


# ---- one run ------------------------------------------------------------------------------


def run_wrk(base: str, data_path: Path, answered_path: Path) -> dict[str, Any]:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--timeout", "10s",
               "-s", str(LUA_SCRIPT), base, "--", str(data_path)]
    env = {**os.environ, "LOAD_ANSWERED_FILE": str(answered_path)}
    out = subprocess.run(command, capture_output=True, text=True, timeout=WRK_SECONDS + 60, env=env)
    line = next((line for line in out.stdout.splitlines() if line.startswith("LOAD_RESULT ")), None)
    if out.returncode != 0 or line is None:
        raise LoadError(f"wrk failed ({out.returncode}):\n{out.stdout}\n{out.stderr}")
    fields = dict(item.split("=", 1) for item in line.split()[1:])
    result: dict[str, Any] = {key: value if key == "others" else int(value) for key, value in fields.items()}
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["socket_errors"] = sum(result[key] for key in ("connect", "read", "write", "timeout"))
    result["errors"] = result["socket_errors"] + result["unexpected"]
    return result


def one_database(name: str, database_url: str, workdir: Path) -> dict[str, Any]:
    from plans.store import PlanStore

    store = PlanStore(database_url, SECRET_KEY)
    answered_path = workdir / f"answered-{name}.txt"
    try:
        store.migrate()
        with plan_service(database_url, workdir) as (base, log_path):
            data_path = prepare(base, store, workdir)
            result = run_wrk(base, data_path, answered_path)
        # The server has stopped: whatever it answered must be in the database now.
        answered = [token for token in answered_path.read_text().split() if token]
        result["answered_plans"] = len(answered)
        result["lost_plans"] = sum(1 for token in answered if store.get_plan(token) is None)
        result["plans_in_database"] = count_plans(store)
        server_log = log_path.read_text(errors="replace")
        result["server_errors_logged"] = len(re.findall(r"unexpected \w+ on|Traceback", server_log))
        result["locked"] = server_log.count("database is locked")
    finally:
        store.close()
    result["database"] = name
    return result


def count_plans(store) -> int:
    import sqlalchemy

    with store._reading() as conn:  # the store's own connection settings (busy timeout, WAL)
        return conn.execute(sqlalchemy.text("SELECT count(*) FROM plans")).scalar_one()


# ---- report -------------------------------------------------------------------------------


def report(results: list[dict[str, Any]]) -> str:
    lines = [
        f"wrk -t{WRK_THREADS} -c{WRK_CONNECTIONS} -d{WRK_SECONDS}s against "
        f"`python -m exporter.serve --workers 2` on 127.0.0.1 ({os.cpu_count()} cores)",
        "",
        "| database | requests | req/s | p50 | p99 | errors | 304s | plans answered (API + voice) "
        "| lost plans |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['database']} | {r['requests']} | {r['rps']:.0f} | {r['p50_us'] / 1000:.1f} ms "
            f"| {r['p99_us'] / 1000:.1f} ms | {r['errors']} | {r['s304']} "
            f"| {r['answered_plans']} ({r['s201']} + {r['filed_by_voice']}) | {r['lost_plans']} |"
        )
    lines.append("")
    for r in results:
        detail = (f"{r['database']}: socket errors {r['socket_errors']} (connect {r['connect']}, "
                  f"read {r['read']}, write {r['write']}, timeout {r['timeout']}), "
                  f"unexpected statuses {r['unexpected']} "
                  f"[{r['others']}], server errors logged {r['server_errors_logged']}, "
                  f"'database is locked' {r['locked']}, plans in the database afterwards "
                  f"{r['plans_in_database']} (seeded {SEEDED_PLANS})")
        lines.append(detail)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (`make load` installs it)", file=sys.stderr)
        return 2
    workdir = Path(tempfile.mkdtemp(prefix="coach-load-"))
    results = []
    try:
        if args.only in (None, "sqlite"):
            print("SQLite ...", flush=True)
            results.append(one_database("SQLite", f"sqlite:///{workdir / 'load.sqlite3'}", workdir))
        if args.only in (None, "postgresql"):
            print("PostgreSQL ...", flush=True)
            with pgcluster.throwaway_postgres(durable=True) as server:
                results.append(one_database("PostgreSQL", pgcluster.create_database(server), workdir))
    except (LoadError, pgcluster.PostgresUnavailable) as error:
        print(f"load run failed: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(report(results))
    missed = [r["database"] for r in results if r["errors"] or r["lost_plans"]]
    print(f"\nbar (zero errors, zero lost plans): {'MISSED on ' + ', '.join(missed) if missed else 'met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
