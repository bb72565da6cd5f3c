"""The plan service: what the adapters (the skill, the JSON API, the pages, the CLI) call to
change plans. Each function runs the clinical core's decisions (rehab) and keeps the result through
the store in one transaction, so the skill and the web decide exactly the same way and the store
only keeps things.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from plans.records import PreparedPlan
from rehab.models import Answers, Preferences
from rehab.programme import build_programme
from rehab.triage import assess

if TYPE_CHECKING:  # pragma: no cover
    from plans.records import FiledPlan
    from plans.store import PlanStore

FIRST_REVISION = 1


def prepare_plan(
    answers: Answers | Mapping[str, Any],
    preferences: Preferences | Mapping[str, Any] | None,
    *,
    now: dt.datetime,
) -> PreparedPlan:
    """Assess the answers and build the first revision of the programme.

    Mappings are validated into the models (pydantic's ValidationError on bad input). The start
    date, when not chosen, becomes tomorrow in the runner's zone as seen at `now`.
    """
    if not isinstance(answers, Answers):
        answers = Answers.model_validate(answers)
    if preferences is None:
        preferences = Preferences()
    elif not isinstance(preferences, Preferences):
        preferences = Preferences.model_validate(preferences)
    resolved = preferences.resolved(now)
    assessment = assess(answers)
    programme = build_programme(answers, assessment, resolved, revision=FIRST_REVISION)
    return PreparedPlan(answers=answers, preferences=resolved, assessment=assessment, programme=programme)


def file_plan(
    store: PlanStore,
    answers: Answers | Mapping[str, Any],
    preferences: Preferences | Mapping[str, Any] | None = None,
    *,
    owner_key: str | None = None,
    now: dt.datetime,
) -> FiledPlan:
    """Assess the answers, build the programme (revision 1) and keep all of it, with a new token
    and short code, in one transaction. pydantic's ValidationError on bad answers; the store's
    StoreUnavailable when the database cannot take it."""
    return store.add_plan(prepare_plan(answers, preferences, now=now), owner_key=owner_key, now=now)


def purge(store: PlanStore, *, now: dt.datetime, retention_days: int) -> int:
    """Delete what the retention period no longer covers; the number of plans deleted."""
    return store.purge_expired(now, retention_days)
