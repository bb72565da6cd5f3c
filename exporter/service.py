"""Filing a plan: the clinical core's two decisions, run in the order the contract gives.

Kept apart from the store so the store only keeps things, and from the API so the skill (which
files through the store) and the API decide exactly the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rehab.models import Answers, Assessment, Preferences, Programme
from rehab.programme import build_programme
from rehab.triage import assess

FIRST_REVISION = 1


@dataclass(frozen=True)
class PreparedPlan:
    answers: Answers
    preferences: Preferences  # resolved: the start date is always set
    assessment: Assessment
    programme: Programme


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
