"""A check-in that makes a revision, in process, against design.md §5's bar (≤ 20 ms median): read
the plan locked, let the clinical core decide, keep the check-in and the new revision, on the
same SQLite file the service uses. Each timed check-in is a red session on a fresh plan, so each
one steps the programme back and writes a new revision (the most work a check-in does)."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from pathlib import Path

from bench.common import against_bar
from bench.fixtures import NOW, SAMPLE_ANSWERS, SAMPLE_PREFERENCES, open_store

CHECK_IN_BAR = 0.020
PLANS = 40
RED_SESSION = {"date": "2026-03-02", "session": "done", "pain_during": 7, "pain_next_morning": 7}


def run(workdir: Path) -> None:
    from plans import service
    from rehab.models import Answers, Preferences

    store = open_store()
    answers, preferences = Answers(**SAMPLE_ANSWERS), Preferences(**SAMPLE_PREFERENCES)
    tokens = [service.file_plan(store, answers, preferences, now=NOW).token for _ in range(PLANS + 3)]
    later = NOW + dt.timedelta(days=2)
    samples = []
    for number, token in enumerate(tokens):
        started = time.perf_counter()
        done = service.check_in(store, token, RED_SESSION, now=later)
        elapsed = time.perf_counter() - started
        assert done is not None and done.changed, "a red session must make a new revision"
        if number >= 3:  # the first few warm the caches and the connection pool
            samples.append(elapsed)
    against_bar("check-in that makes a revision (median of 40)", statistics.median(samples), CHECK_IN_BAR)
