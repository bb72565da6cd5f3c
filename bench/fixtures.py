"""One realistic plan, filed the way the API files it, for the benchmarks to render and serve."""

from __future__ import annotations

import datetime as dt
import os

from plans.service import file_plan

# The sit-bone ache vignette (tendinopathy) on four days a week: the longest programme the core
# builds (12 weeks, 48 sessions), the worst case for the renderers.
SAMPLE_ANSWERS = {
    "location": "lower_buttock", "onset": "gradual", "days_since": 21, "pop": "no", "bruising": "no",
    "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no", "shoe_test": "no",
    "hinge_test": "yes", "heel_press_test": "yes", "pain_score": 5, "training_change": "yes",
}
SAMPLE_PREFERENCES = {"timezone": "Europe/London", "weekdays": ["MO", "TU", "TH", "SA"], "time": "07:00",
                      "start_date": "2026-03-02"}
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def open_store():
    from plans.config import Config
    from plans.store import PlanStore

    config = Config.from_env(os.environ)
    return PlanStore(config.database_url, config.secret_key)


def file_sample_plan(store=None, *, walked: bool = True):
    """The sample plan's token. `walked`: followed to its last phase by green check-ins and every
    gate passed, so its programme holds every session the runner was given (the gated programme
    dates only the current phase: a fresh plan would understate the renderers' work)."""
    from rehab.models import Answers, Preferences

    store = store or open_store()
    filed = file_plan(store, Answers(**SAMPLE_ANSWERS), Preferences(**SAMPLE_PREFERENCES), now=NOW)
    if walked:
        walk_to_the_end(store, filed.token)
    return filed.token


def walk_to_the_end(store, token: str, *, max_days: int = 200) -> None:
    """Check in green after every session and answer every gate yes, day by day, until no gate is
    pending."""
    from plans import service

    day = store.get_plan(token).programme.start_date
    for _ in range(max_days):
        programme = store.get_plan(token).programme
        gate = programme.pending_gate
        evening = dt.datetime.combine(day, dt.time(20), tzinfo=dt.UTC)
        if gate is not None and gate.date <= day:
            service.check_in(store, token, {"date": day.isoformat(),
                                            "criteria": {c.id: True for c in gate.criteria}}, now=evening)
        elif gate is None and day > programme.start_date + dt.timedelta(days=7):
            return
        if any(s.date == day and s.kind == "session" for s in programme.sessions):
            service.check_in(store, token, {"date": day.isoformat(), "session": "done", "pain_during": 1,
                                            "pain_next_morning": 1}, now=evening)
        day += dt.timedelta(days=1)
