"""Plans as the store hands them out (`PlanRecord`), built by the real clinical core from the
sample answers of tests/samples.py."""

from __future__ import annotations

import datetime as dt

from plans.records import PlanRecord
from plans.service import prepare_plan
from tests.samples import TENDINOPATHY

FILED_AT = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
PLAN_ID = "5f0c6b6e2d1a4c7e9b3f8a2d4c6e8f01"

# Four days a week for twelve weeks: the longest programme the core builds (48 sessions).
FULL_WEEK = ("MO", "WE", "FR", "SA")


def plan_for(
    answers: dict | None = None,
    *,
    timezone: str = "Europe/London",
    start: dt.date = dt.date(2026, 3, 16),
    time: str = "07:00",
    weekdays: tuple[str, ...] = FULL_WEEK,
    revision: int = 1,
    plan_id: str = PLAN_ID,
    filed_at: dt.datetime = FILED_AT,
) -> PlanRecord:
    """A stored plan as the store would return it. The default dates cross the UK's change to
    summer time on 29 March 2026."""
    prepared = prepare_plan(
        answers or TENDINOPATHY,
        {"timezone": timezone, "start_date": start.isoformat(), "time": time, "weekdays": list(weekdays)},
        now=filed_at,
    )
    programme = prepared.programme
    if revision != programme.revision:
        programme = programme.model_copy(update={"revision": revision})
    return PlanRecord(
        plan_id=plan_id, revision=revision, created_at=filed_at, updated_at=filed_at,
        answers=prepared.answers, preferences=prepared.preferences, assessment=prepared.assessment,
        programme=programme,
    )


def full_plan(**overrides) -> PlanRecord:
    """The programme the speed bars of design.md §5 speak of: the longest one."""
    return plan_for(TENDINOPATHY, **overrides)
