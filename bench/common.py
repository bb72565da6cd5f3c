"""What every benchmark shares: timing, the verdict lines and the list of results; and the two
things every local server harness needs (here and in the tests): a free loopback port and a clean
stop."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS: list[tuple[str, str, bool]] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_process(process: subprocess.Popen, *, grace: float) -> None:
    """SIGTERM, `grace` seconds to finish what it is doing, then SIGKILL; always reaped."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def timed(fn: Callable[[], object], *, repeat: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.3f} ms"


def report(name: str, detail: str, ok: bool) -> None:
    RESULTS.append((name, detail, ok))
    print(f"{'PASS' if ok else 'FAIL'}  {name:<44} {detail}", flush=True)


def against_floor(name: str, ours: float, floor: float, limit: float) -> None:
    ratio = ours / floor
    report(name, f"{ms(ours)} vs floor {ms(floor)} = {ratio:.2f}× (bar ≤ {limit}×)", ratio <= limit)


def against_bar(name: str, ours: float, bar_seconds: float) -> None:
    report(name, f"median {ms(ours)} (bar ≤ {ms(bar_seconds)}) = {ours / bar_seconds:.2f} of the bar",
           ours <= bar_seconds)


def cold_start_seconds(*codes: str, runs: int) -> list[float]:
    """Median wall time of a new interpreter running each of `codes` (import + one request),
    the codes taking turns run by run so that a busy machine slows each of them alike. Bytecode
    is cached as a deployed package has it, for ours and the floor alike."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    samples: list[list[float]] = [[] for _ in codes]
    for _ in range(runs):
        for code, taken in zip(codes, samples, strict=True):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL)
            taken.append(time.perf_counter() - start)
    return [statistics.median(taken) for taken in samples]


def envelope_json(envelope: dict) -> str:
    return json.dumps(envelope)
