"""The JSON API's shapes: what `exporter.api` parses and answers, and what `exporter.openapi`
describes at /openapi.json. Both import them from here, so the description is generated from the
very models the API validates with.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from plans.codes import CODE_ALPHABET, CODE_LENGTH
from rehab.models import Answers, Assessment, CheckIn, Gate, Preferences, Programme, Session, Verdict


class _ApiModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlanRequest(_ApiModel):
    """What to build a plan from: the triage answers and, optionally, when the runner trains."""

    answers: Answers
    preferences: Preferences = Field(default_factory=Preferences)


class PlanLinks(_ApiModel):
    page: str = Field(description="the plan page: summary, calendar buttons, QR code",
                      json_schema_extra={"format": "uri"})
    pdf: str = Field(description="the printable plan", json_schema_extra={"format": "uri"})
    ics: str = Field(description="the calendar, to download", json_schema_extra={"format": "uri"})
    webcal: str = Field(description="the same calendar as a subscription (webcal://)",
                        json_schema_extra={"format": "uri"})


class PlanCreated(_ApiModel):
    token: str = Field(description="the plan's secret token: whoever holds it can read and delete the plan")
    code: str = Field(description="the short code to type at the home page (plans.codes: alphabet, length)",
                      pattern=f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
    code_expires_at: dt.datetime
    revision: int
    assessment: Assessment
    links: PlanLinks


class CheckInView(_ApiModel):
    """A check-in as the plan keeps it: the report and what the coach decided."""

    number: int = Field(description="1, 2, ... in the order they were recorded")
    date: dt.date
    session: Literal["done", "partial", "missed", "gate", "clearance"]
    pain_during: int | None = None
    pain_next_morning: int | None = None
    criteria: dict[str, bool] = Field(default_factory=dict)
    limp: bool | None = None
    swelling: bool | None = None
    pop: bool | None = None
    nerve_symptoms: bool | None = None
    verdict: Verdict
    light: Literal["green", "amber", "red"] | None = None
    says: str = Field(description="what happens next, in one or two sentences")
    revision: int = Field(description="the plan's revision after this check-in")
    changes: str = Field(description="what that revision changed; empty when nothing did")


class PlanView(_ApiModel):
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    answers: Answers
    preferences: Preferences
    assessment: Assessment
    programme: Programme
    current_phase: str | None = Field(description="the id of the phase the runner is in")
    pending_gate: Gate | None = Field(description="the next move-on check, when one is scheduled")
    check_ins: list[CheckInView]
    links: PlanLinks


class CheckInRequest(CheckIn):
    """How a session went, or a gate's answers (then `session` is left out). `date` defaults to
    today in the plan's zone; it may be neither in the future nor before the plan started."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date | None = None


class CheckInCreated(_ApiModel):
    check_in: CheckInView
    revision: int
    changed: bool = Field(description="whether this check-in changed what is scheduled (a new revision)")
    next_session: Session | None
    pending_gate: Gate | None
    links: PlanLinks


class ClearanceRequest(_ApiModel):
    """A clinician has seen the runner and cleared them to start rehab for this category."""

    category: Literal["tightness", "tendinopathy", "strain_low_grade", "strain"]


class ClearanceCreated(_ApiModel):
    revision: int
    category: str
    says: str
    next_session: Session | None
    links: PlanLinks


class ErrorDetail(_ApiModel):
    loc: list[str | int] = Field(description="where in the request body, e.g. [\"answers\", \"pain_score\"]")
    msg: str
    type: str


class ErrorInfo(_ApiModel):
    code: str
    message: str
    details: list[ErrorDetail] | None = None


class ErrorBody(_ApiModel):
    error: ErrorInfo


class Health(_ApiModel):
    status: Literal["ok", "unavailable"]
    database: Literal["ok", "unreachable"]


