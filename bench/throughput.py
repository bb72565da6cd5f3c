"""HTTP throughput under gunicorn (2 workers, loopback): the ICS route against a hello-world Flask
route served the same way in the same run. wrk drives both, bounded in time.

The feed is fetched as calendar apps fetch it, asking for gzip (the hello-world route is asked the
same); the feed without gzip, as a client that does not ask gets it, is measured and printed too."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bench.common import ROOT, free_port, report, stop_process
from bench.fixtures import file_sample_plan
from exporter.serve import DEFAULT_THREADS, DEFAULT_WORKERS

WRK_SECONDS = 3
ROUNDS = 3
WRK_CONNECTIONS = 16
BAR_RATIO = 0.60  # design.md §5


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str]):
    port = free_port()
    process = subprocess.Popen(
        # Both apps as `make run` serves ours: the same workers, worker class and threads.
        [sys.executable, "-m", "gunicorn", "--workers", str(DEFAULT_WORKERS), "--worker-class", "gthread",
         "--threads", str(DEFAULT_THREADS), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--no-control-socket", app_spec],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if process.poll() is not None:
                    stderr = process.stderr.read().decode()
                    raise RuntimeError(f"gunicorn {app_spec} exited: {stderr}") from None
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_process(process, grace=10)


CALENDAR_APP = ("Accept-Encoding: gzip",)


def wrk(url: str, headers: tuple[str, ...] = ()) -> dict[str, float]:
    asked = [option for header in headers for option in ("-H", header)]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s", "--latency", *asked, url],
        check=True, capture_output=True, text=True, timeout=WRK_SECONDS + 30,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    return {"rps": rps, "errors": errors, "p50": _to_ms(p50), "p99": _to_ms(p99)}


def _to_ms(match) -> float:
    if not match:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def run(workdir: Path) -> None:
    if shutil.which("wrk") is None:
        report("gunicorn ICS throughput", "wrk is not installed (make bench installs it)", False)
        return
    env = dict(os.environ)
    env.setdefault("PYTHONPATH", str(ROOT))
    token = file_sample_plan()

    # Both servers stay up and wrk alternates between them, round after round: a burst of other
    # work on this machine then hits both sides of a round alike, and the median round decides.
    with gunicorn("bench.hello_flask:app", env) as hello_base, gunicorn("exporter:create_app()", env) as base:
        urllib.request.urlopen(f"{hello_base}/hello").read()
        urllib.request.urlopen(f"{base}/plans/{token}.ics").read()
        rounds, plain = [], []
        for _ in range(ROUNDS):
            hello = wrk(f"{hello_base}/hello", CALENDAR_APP)
            ics = wrk(f"{base}/plans/{token}.ics", CALENDAR_APP)
            rounds.append((ics["rps"] / hello["rps"], ics, hello))
            plain.append(wrk(f"{base}/plans/{token}.ics")["rps"] / hello["rps"])
    rounds.sort(key=lambda one: one[0])
    ratio, ics, hello = rounds[len(rounds) // 2]
    errors = sum(one[1]["errors"] + one[2]["errors"] for one in rounds)
    report(
        "gunicorn ICS route vs hello-world route",
        f"{ics['rps']:.0f} vs {hello['rps']:.0f} req/s = {ratio:.0%} (bar ≥ {BAR_RATIO:.0%}; median of "
        f"{ROUNDS} alternating rounds, range {rounds[0][0]:.0%}–{rounds[-1][0]:.0%}; gzip asked, as "
        f"calendar apps ask; not asked: {sorted(plain)[len(plain) // 2]:.0%}), "
        f"p50 {ics['p50']:.2f} ms, p99 {ics['p99']:.2f} ms, errors {errors:.0f}",
        ratio >= BAR_RATIO and errors == 0,
    )
