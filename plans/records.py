"""What the plan store hands back: plain records, no database rows, so the renderers and the
adapters depend on these and not on how plans are kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rehab.models import Answers, Assessment, Preferences, Programme


@dataclass(frozen=True)
class PlanRecord:
    """One plan at its current revision."""

    plan_id: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    answers: Answers
    preferences: Preferences
    assessment: Assessment
    programme: Programme


@dataclass(frozen=True)
class FiledPlan:
    token: str
    code: str
    code_expires_at: dt.datetime
    plan: PlanRecord


@dataclass(frozen=True)
class ShortCode:
    code: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class OwnerDataDeleted:
    plans: int
    codes: int
    state: int


@dataclass(frozen=True)
class PreparedPlan:
    answers: Answers
    preferences: Preferences  # resolved: the start date is always set
    assessment: Assessment
    programme: Programme
