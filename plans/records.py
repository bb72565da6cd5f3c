"""What the plan store hands back: plain records, no database rows, so the renderers and the
adapters depend on these and not on how plans are kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from rehab.models import Answers, Assessment, Preferences, Programme


# The `session` of a logged entry that is not a session report: a gate's answers alone, and a
# clinician's clearance of a referral.
GATE_ONLY = "gate"
CLEARANCE = "clearance"


@dataclass(frozen=True)
class LoggedCheckIn:
    """One check-in as the plan keeps it: what the runner reported and what the coach decided.

    `revision` is the plan's revision after this check-in (the same as before when it changed
    nothing scheduled). `changes` says in plain words what that revision changed, empty when
    nothing did."""

    number: int  # 1, 2, ... in the order they were recorded
    date: dt.date  # the day the check-in is about, in the plan's zone
    session: str  # "done" | "partial" | "missed"; "gate" for a gate's answers alone; "clearance"
    pain_during: int | None
    pain_next_morning: int | None
    criteria: dict[str, bool]
    limp: bool | None
    swelling: bool | None
    verdict: str  # "progress" | "hold" | "regress" | "see_clinician"
    light: str | None  # "green" | "amber" | "red", None for a gate-only check-in
    rule_id: str
    says: str
    revision: int
    changes: str
    recorded_at: dt.datetime
    pop: bool | None = None  # a new snap or pop (a red-flag answer)
    nerve_symptoms: bool | None = None  # new numbness or tingling down the leg (a red-flag answer)


@dataclass(frozen=True)
class PlanRecord:
    """One plan at its current revision, with every check-in it has had (oldest first)."""

    plan_id: str
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    answers: Answers
    preferences: Preferences
    assessment: Assessment
    programme: Programme
    check_ins: tuple[LoggedCheckIn, ...] = ()


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


@dataclass(frozen=True)
class PlanChange:
    """What one change to a plan keeps: a new programme (None: the schedule stays as it is), and
    the check-in that made it (None for a change that is not a check-in)."""

    programme: Programme | None
    check_in: LoggedCheckIn | None


@dataclass(frozen=True)
class KeptReminders:
    """A plan's Alexa reminders as the skill kept them (PlanStore.keep_reminders): opaque to the
    store; `revision` is the plan's current revision, to tell whether they still fit it."""

    plan_id: str
    revision: int
    reminders: dict
