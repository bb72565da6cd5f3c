"""`/openapi.json`: the API's description, generated from the same pydantic models that parse the
requests and shape the responses, so it cannot drift from what the service does.

OpenAPI 3.1 uses JSON Schema 2020-12, which is what pydantic emits; the only rewrite is moving
pydantic's `$defs` to `components/schemas`. Every operation documents its error responses too,
so a contract tester (schemathesis) can check every answer the service gives.
"""

from __future__ import annotations

import functools
import json
from importlib import metadata
from typing import Any

from pydantic.json_schema import models_json_schema

from exporter.schemas import (
    CheckInCreated,
    CheckInRequest,
    ClearanceCreated,
    ClearanceRequest,
    ErrorBody,
    Health,
    PlanCreated,
    PlanRequest,
    PlanView,
)
from plans.keys import MAX_TOKEN_LENGTH

OPENAPI_VERSION = "3.1.0"
# A request the service files (every question the triage asks is answered): shown to readers of the
# description, and the plan schemathesis' stateful phase starts from.
EXAMPLE_PLAN_REQUEST = {
    "answers": {"location": "back_of_thigh", "onset": "gradual", "days_since": 10, "pop": "no",
                "bruising": "no", "pain_walking": "no", "gait_altered": "no", "nerve_symptoms": "no",
                "shoe_test": "no", "hinge_test": "no", "heel_press_test": "no", "pain_score": 2,
                "training_change": "no"},
    "preferences": {"timezone": "Europe/London", "weekdays": ["MO", "WE", "FR"], "time": "07:00"},
}
DESCRIPTION = (
    "Create, read and delete a runner's hamstring rehab plan. A plan is built from the triage "
    "answers and the runner's preferences; the token returned opens its page, PDF and calendar. "
    "Hamstring Coach is not a substitute for professional medical advice."
)


@functools.lru_cache(maxsize=8)
def openapi_document(base_url: str) -> str:
    """The description as JSON text (built once per base URL)."""
    return json.dumps(openapi_spec(base_url), indent=1, sort_keys=False)


def openapi_spec(base_url: str) -> dict[str, Any]:
    _, top = models_json_schema(
        [
            (PlanRequest, "validation"),
            (PlanCreated, "serialization"),
            (PlanView, "serialization"),
            (CheckInRequest, "validation"),
            (CheckInCreated, "serialization"),
            (ClearanceRequest, "validation"),
            (ClearanceCreated, "serialization"),
            (ErrorBody, "serialization"),
            (Health, "serialization"),
        ],
        ref_template="#/components/schemas/{model}",
    )
    schemas = top["$defs"]

    def ref(name: str) -> dict[str, str]:
        assert name in schemas, name
        return {"$ref": f"#/components/schemas/{name}"}

    def json_content(name: str) -> dict[str, Any]:
        return {"application/json": {"schema": ref(name)}}

    def error(description: str) -> dict[str, Any]:
        return {"description": description, "content": json_content("ErrorBody")}

    common_errors = {
        "405": error("method not allowed on this path"),
        "500": error("unexpected failure (never with a stack trace)"),
        "503": error("the database is unreachable; retry after the Retry-After seconds"),
    }
    token = {
        "name": "token", "in": "path", "required": True,
        "description": "the plan's secret token, as returned when it was created",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_TOKEN_LENGTH},
    }
    no_store = {"Cache-Control": {"schema": {"type": "string"}, "description": "no-store"}}

    paths = {
        "/api/plans": {
            "post": {
                "operationId": "createPlan",
                "summary": "Assess the answers and file a dated rehab programme",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": ref("PlanRequest"), "examples": {"aFinishedTriage": {
                        "summary": "a finished triage (tight hamstrings), London, Monday Wednesday Friday",
                        "value": EXAMPLE_PLAN_REQUEST}}}}},
                "responses": {
                    "201": {
                        "description": "the plan was filed",
                        "headers": {
                            "Location": {"schema": {"type": "string"},
                                         "description": "the plan's API address"},
                            **no_store,
                        },
                        "content": json_content("PlanCreated"),
                        # What a client does next with the token (and what schemathesis' stateful
                        # phase follows): read it, check in, clear a referral, delete it.
                        "links": {
                            name: {"operationId": operation,
                                   "parameters": {"token": "$response.body#/token"}}
                            for name, operation in (("ReadThePlan", "readPlan"), ("CheckIn", "checkIn"),
                                                    ("ClearForRehab", "clearForRehab"),
                                                    ("DeleteThePlan", "deletePlan"))
                        },
                    },
                    "400": error("not JSON, invalid answers or preferences (details per field), "
                                 "or a triage not finished (the next question to answer)"),
                    "413": error("request body over 64 KiB"),
                    **common_errors,
                },
            },
        },
        "/api/plans/{token}": {
            "parameters": [token],
            "get": {
                "operationId": "readPlan",
                "summary": "The plan: answers, preferences, assessment and programme",
                "responses": {
                    "200": {"description": "the plan", "headers": no_store,
                            "content": json_content("PlanView")},
                    "404": error("no plan has this token"),
                    **common_errors,
                },
            },
            "delete": {
                "operationId": "deletePlan",
                "summary": "Delete the plan and its short code",
                "responses": {
                    "204": {"description": "deleted"},
                    "404": error("no plan has this token"),
                    **common_errors,
                },
            },
        },
        "/api/plans/{token}/checkins": {
            "parameters": [token],
            "post": {
                "operationId": "checkIn",
                "summary": "Record how a session went, or a gate's answers; the plan holds, steps back "
                           "or moves on, as a new revision when the schedule changes",
                "requestBody": {"required": True, "content": json_content("CheckInRequest")},
                "responses": {
                    "201": {"description": "recorded, with the verdict and what happens next",
                            "headers": no_store, "content": json_content("CheckInCreated")},
                    "400": error("not JSON, an invalid field (details per field), a date in the future "
                                 "or before the plan, or a criterion the current gate does not have"),
                    "404": error("no plan has this token"),
                    "413": error("request body over 64 KiB"),
                    **common_errors,
                },
            },
        },
        "/api/plans/{token}/clearance": {
            "parameters": [token],
            "post": {
                "operationId": "clearForRehab",
                "summary": "A clinician cleared a referred runner to start rehab for a category: the "
                           "plan gets that programme as its next revision",
                "requestBody": {"required": True, "content": json_content("ClearanceRequest")},
                "responses": {
                    "201": {"description": "the new revision", "headers": no_store,
                            "content": json_content("ClearanceCreated")},
                    "400": error("not JSON or not a programme's category"),
                    "404": error("no plan has this token"),
                    "409": error("the plan is not a referral"),
                    "413": error("request body over 64 KiB"),
                    **common_errors,
                },
            },
        },
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "This description",
                "responses": {
                    "200": {"description": "OpenAPI 3.1 document",
                            "content": {"application/json": {"schema": {"type": "object"}}}},
                    **common_errors,
                },
            },
        },
        "/healthz": {
            "get": {
                "operationId": "health",
                "summary": "Liveness and database check",
                "responses": {
                    "200": {"description": "up, and the database answers", "content": json_content("Health")},
                    "503": {"description": "the database is unreachable", "content": json_content("Health")},
                    "405": common_errors["405"],
                    "500": common_errors["500"],
                },
            },
        },
    }
    return {
        "openapi": OPENAPI_VERSION,
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {"title": "Hamstring Coach plan service", "version": _version(), "description": DESCRIPTION},
        "servers": [{"url": base_url}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _version() -> str:
    try:
        return metadata.version("hamstring-coach")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        return "0.0.0"
