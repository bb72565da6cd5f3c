"""Renderer timings against the absolute bars of design.md §5: PDF ≤ 60 ms, ICS ≤ 10 ms, and a
conditional GET answered 304 ≤ 1 ms (through the Flask app in process, no network)."""

from __future__ import annotations

import statistics
from pathlib import Path

from bench.common import against_bar, timed
from bench.fixtures import file_sample_plan, open_store

PDF_BAR = 0.060
ICS_BAR = 0.010
NOT_MODIFIED_BAR = 0.001


def run(workdir: Path) -> None:
    from exporter import create_app
    from exporter.ics import render_ics
    from exporter.pdf import render_pdf

    store = open_store()
    token = file_sample_plan(store)
    plan = store.get_plan(token)
    plan_url = f"http://127.0.0.1:8000/plans/{token}"
    sessions = len(plan.programme.sessions)

    pdf = timed(lambda: render_pdf(plan, plan_url=plan_url, short_url="http://127.0.0.1:8000/c/ABC123"),
                repeat=30)
    against_bar(f"PDF of a full programme ({sessions} sessions)", statistics.median(pdf), PDF_BAR)

    ics = timed(lambda: render_ics(plan, plan_url=plan_url), repeat=100)
    against_bar("ICS of a full programme", statistics.median(ics), ICS_BAR)

    app = create_app()
    client = app.test_client()
    first = client.get(f"/plans/{token}.ics")
    etag = first.headers["ETag"]

    def conditional_get():
        response = client.get(f"/plans/{token}.ics", headers={"If-None-Match": etag})
        assert response.status_code == 304, response.status_code

    not_modified = timed(conditional_get, repeat=300)
    against_bar("conditional GET answered 304", statistics.median(not_modified), NOT_MODIFIED_BAR)
