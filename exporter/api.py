"""The JSON API of design.md §4: create, read and delete a plan; the API's own description; health.

Thin by design: parse and validate the request with the public models, call the store, shape the
answer. Validation errors are 400 with one detail per field (`loc`, `msg`, `type`), never the
submitted values (they are health data). Answers that leave the triage unfinished (a question the
skill would still ask, such as the red-flag ones) are refused the same way, naming the question.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, request
from pydantic import BaseModel, ValidationError

from exporter.context import (
    coach_config,
    plan_store,
    reminders_follow,
    reminders_forgotten,
    request_body,
    utc_now,
)
from exporter.errors import ApiError
from exporter.schemas import (
    CheckInCreated,
    CheckInRequest,
    CheckInView,
    ClearanceCreated,
    ClearanceRequest,
    Health,
    PlanCreated,
    PlanLinks,
    PlanRequest,
    PlanView,
)
from plans import service
from plans.links import plan_addresses
from plans.records import LoggedCheckIn
from plans.service import file_plan
from rehab.clock import today_in
from rehab.models import Answers
from rehab.programme import next_session
from rehab.questions import next_question

bp = Blueprint("api", __name__)
NO_PLAN = "no plan has this token (it may have been deleted or expired)"
logger = logging.getLogger("exporter")


# ---- routes -------------------------------------------------------------------------------


@bp.post("/api/plans")
def create_plan() -> Response:
    body = _json_body()
    now = utc_now()
    try:
        plan_request = PlanRequest.model_validate(body, context={"today": now.date()})
    except ValidationError as error:
        raise ApiError(400, "the plan request is not valid; see details", code="validation_error",
                       details=validation_details(error)) from None
    _require_finished_triage(plan_request.answers)
    filed = file_plan(plan_store(), plan_request.answers, plan_request.preferences, now=now)
    created = PlanCreated(
        token=filed.token, code=filed.code, code_expires_at=filed.code_expires_at,
        revision=filed.plan.revision, assessment=filed.plan.assessment, links=plan_links(filed.token),
    )
    response = _json(created, 201)
    response.headers["Location"] = f"/api/plans/{filed.token}"
    return response


@bp.get("/api/plans/<token>")
def read_plan(token: str) -> Response:
    plan = plan_store().get_plan(token)
    if plan is None:
        raise ApiError(404, "no plan has this token (it may have been deleted or expired)")
    view = PlanView(
        revision=plan.revision, created_at=plan.created_at, updated_at=plan.updated_at,
        answers=plan.answers, preferences=plan.preferences, assessment=plan.assessment,
        programme=plan.programme, current_phase=plan.programme.current_phase_id,
        pending_gate=plan.programme.pending_gate,
        check_ins=[check_in_view(logged) for logged in plan.check_ins], links=plan_links(token),
    )
    return _json(view, 200)


@bp.post("/api/plans/<token>/checkins")
def record_check_in(token: str) -> Response:
    report = _parsed(CheckInRequest, "the check-in")
    now = utc_now()
    try:
        done = service.check_in(plan_store(), token, report.model_dump(exclude_none=True, mode="json"),
                                now=now)
    except service.CheckInRefused as refused:
        raise ApiError(400, refused.message, code="check_in_refused", details=_refusal(refused)) from None
    if done is None:
        raise ApiError(404, NO_PLAN)
    if done.changed:
        reminders_follow(done.plan)
    programme = done.plan.programme
    created = CheckInCreated(
        check_in=check_in_view(done.check_in), revision=done.plan.revision, changed=done.changed,
        next_session=next_session(programme, today_in(programme.timezone, now)),
        pending_gate=programme.pending_gate, links=plan_links(token),
    )
    return _json(created, 201)


@bp.post("/api/plans/<token>/clearance")
def record_clearance(token: str) -> Response:
    clearance = _parsed(ClearanceRequest, "the clearance")
    now = utc_now()
    try:
        done = service.clear(plan_store(), token, clearance.category, now=now)
    except service.CheckInRefused as refused:
        raise ApiError(409 if refused.field == "plan" else 400, refused.message, code="clearance_refused",
                       details=_refusal(refused)) from None
    if done is None:
        raise ApiError(404, NO_PLAN)
    reminders_follow(done.plan)
    programme = done.plan.programme
    created = ClearanceCreated(
        revision=done.plan.revision, category=programme.category, says=done.check_in.says,
        next_session=next_session(programme, today_in(programme.timezone, now)),
        links=plan_links(token),
    )
    return _json(created, 201)


@bp.delete("/api/plans/<token>")
def delete_plan(token: str) -> Response:
    reminders_forgotten(token)
    if not plan_store().delete_plan(token):
        raise ApiError(404, "no plan has this token (it may have been deleted or expired)")
    response = Response(status=204)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/openapi.json")
def openapi() -> Response:
    from exporter.openapi import openapi_document

    response = Response(openapi_document(coach_config().base_url), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@bp.get("/healthz")
def healthz() -> Response:
    # Healthy means plans can be written now (design.md §4), not only that the database answers:
    # a deleted database file, a dropped table or a full disk still answer reads.
    problem = plan_store().check_writable()
    if problem is not None:
        logger.warning("/healthz: %s", problem)  # the reason is for the operator, not the public
    healthy = problem is None
    health = Health(status="ok" if healthy else "unavailable", database="ok" if healthy else "unreachable")
    return _json(health, 200 if healthy else 503)


# ---- helpers ------------------------------------------------------------------------------


def plan_links(token: str) -> PlanLinks:
    addresses = plan_addresses(coach_config().base_url, token)
    return PlanLinks(page=addresses.page, pdf=addresses.pdf, ics=addresses.ics, webcal=addresses.webcal)


def _parsed(model: type[BaseModel], what: str) -> Any:
    """The JSON body as `model`, or a 400 with one detail per field."""
    body = _json_body()
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise ApiError(400, f"{what} is not valid; see details", code="validation_error",
                       details=validation_details(error)) from None


def _refusal(refused: service.CheckInRefused) -> list[dict[str, Any]]:
    return [{"loc": [refused.field], "msg": refused.message, "type": "value_error"}]


def check_in_view(logged: LoggedCheckIn) -> CheckInView:
    return CheckInView(
        number=logged.number, date=logged.date, session=logged.session, pain_during=logged.pain_during,
        pain_next_morning=logged.pain_next_morning, criteria=logged.criteria, limp=logged.limp,
        swelling=logged.swelling, pop=logged.pop, nerve_symptoms=logged.nerve_symptoms,
        verdict=logged.verdict, light=logged.light, says=logged.says,
        revision=logged.revision, changes=logged.changes,
    )


def validation_details(error: ValidationError) -> list[dict[str, Any]]:
    # No "input": the submitted value may be a pain score or a symptom. Nor may a message repeat
    # it (a validator's "unknown time zone 'X'"): see without_submitted_value.
    return [
        {"loc": list(item["loc"]), "msg": without_submitted_value(item), "type": item["type"]}
        for item in error.errors(include_url=False, include_input=True, include_context=False)
    ]


_OWN_VALIDATOR_ERRORS = ("value_error", "assertion_error")
_QUOTED_TEXT_MIN = 6  # a shorter text could be a word of the message itself ("MO", "use")


def without_submitted_value(item: Mapping[str, Any]) -> str:
    """The error's message with anything the client sent taken out. pydantic's own messages
    state the rule, never the value; the models' validators may quote it (`{value!r}`), so each
    submitted text is replaced where quoted, and a message that still holds one is replaced."""
    message = item["msg"]
    if item["type"] not in _OWN_VALIDATOR_ERRORS:
        return message
    texts = sorted(_submitted_texts(item.get("input")), key=len, reverse=True)
    for text in texts:
        message = message.replace(f"{text!r} ", "this value ").replace(f" {text!r}", "")
        message = message.replace(repr(text), "this value")
    if any(len(text) >= _QUOTED_TEXT_MIN and text in message for text in texts):
        return "Value error, this value is not accepted here"
    return message


def _submitted_texts(value: Any, depth: int = 0) -> set[str]:
    if isinstance(value, str):
        return {value} if value else set()
    if depth < 4 and isinstance(value, list | tuple | set | frozenset):
        return {text for part in value for text in _submitted_texts(part, depth + 1)}
    if depth < 4 and isinstance(value, Mapping):  # the values only: the keys are the fields' names
        return {text for part in value.values() for text in _submitted_texts(part, depth + 1)}
    return set()


def _require_finished_triage(answers: Answers) -> None:
    # A plan is only as safe as the questions behind it: the red-flag questions in particular must
    # have been answered (or answered "unsure", which the core reads cautiously), as the skill does.
    missing = next_question(answers.model_dump())
    if missing is not None:
        raise ApiError(
            400, f"the triage is not finished: answer {missing.id!r} ({missing.label}) next",
            code="triage_incomplete",
            details=[{"loc": ["answers", missing.id], "type": "missing",
                      "msg": f"needed before a plan is built: {missing.label}"}],
        )


def _json_body() -> Any:
    if not request.is_json:
        raise ApiError(400, "send the plan request as JSON with Content-Type: application/json",
                       code="bad_request")
    raw = request_body()
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):  # includes JSONDecodeError and undecodable bytes
        raise ApiError(400, "the request body is not valid JSON", code="invalid_json") from None


def _json(model: BaseModel, status: int) -> Response:
    response = Response(model.model_dump_json(), status=status, mimetype="application/json")
    # Plans are health data behind a secret token: no shared cache may keep them.
    response.headers["Cache-Control"] = "no-store"
    return response
