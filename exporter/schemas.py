"""The JSON API's shapes: what `exporter.api` parses and answers, and what `exporter.openapi`
describes at /openapi.json. Both import them from here, so the description is generated from the
very models the API validates with.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rehab.models import Answers, Assessment, Preferences, Programme


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
    code: str = Field(description="6-character code to type at the home page",
                      pattern="^[ACDEFHJKMNPRTUVWXY3479]{6}$")
    code_expires_at: dt.datetime
    revision: int
    assessment: Assessment
    links: PlanLinks


class PlanView(_ApiModel):
    revision: int
    created_at: dt.datetime
    updated_at: dt.datetime
    answers: Answers
    preferences: Preferences
    assessment: Assessment
    programme: Programme
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


