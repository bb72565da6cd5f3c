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


def file_sample_plan(store=None):
    from rehab.models import Answers, Preferences

    store = store or open_store()
    filed = file_plan(store, Answers(**SAMPLE_ANSWERS), Preferences(**SAMPLE_PREFERENCES), now=NOW)
    return filed.token
