"""/openapi.json: generated from the models, a valid OpenAPI 3.1 description of every route, and
true to what the service really answers (each real response validates against its schema)."""

from __future__ import annotations

import jsonschema_rs
import pytest

from tests.samples import TIGHTNESS


@pytest.fixture
def app_config(app_config):
    return {**app_config, "BLUEPRINTS": ("api",)}


@pytest.fixture
def spec(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def response_validator(spec: dict, path: str, method: str, status: int):
    """A JSON Schema validator for what the description says this operation answers."""
    schema = spec["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    return jsonschema_rs.Draft202012Validator({**schema, "components": spec["components"]})


def test_the_description_is_openapi_3_1_listing_every_api_route(spec):
    assert spec["openapi"] == "3.1.0"
    assert spec["info"]["title"] and spec["info"]["version"]
    assert spec["servers"] == [{"url": "https://coach.example"}]
    assert set(spec["paths"]) == {"/api/plans", "/api/plans/{token}", "/api/plans/{token}/checkins",
                                  "/api/plans/{token}/clearance", "/openapi.json", "/healthz"}
    assert set(spec["paths"]["/api/plans"]) == {"post"}
    assert {"get", "delete"} <= set(spec["paths"]["/api/plans/{token}"])


def test_the_schemas_come_from_the_public_models(spec):
    schemas = spec["components"]["schemas"]
    for name in ("PlanRequest", "PlanCreated", "PlanView", "ErrorBody", "Health",
                 "Answers", "Preferences", "Assessment", "Programme", "Session", "Phase"):
        assert name in schemas
    assert schemas["Answers"]["properties"]["pain_score"]["anyOf"][0]["maximum"] == 10
    weekday = schemas["Preferences"]["properties"]["weekdays"]["items"]
    assert weekday["enum"] == ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
    assert "$defs" not in str(spec), "pydantic's $defs are rewritten to components/schemas"


def test_every_reference_resolves_and_every_schema_is_valid_json_schema(spec):
    schemas = spec["components"]["schemas"]
    for ref in _refs(spec):
        assert ref.startswith("#/components/schemas/")
        assert ref.rsplit("/", 1)[1] in schemas, ref
    for name, schema in schemas.items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_every_operation_documents_its_errors(spec):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            statuses = set(operation["responses"])
            assert {"405", "500"} <= statuses, (path, method)
            if path.startswith("/api/"):
                assert "503" in statuses, (path, method)
    assert {"400", "413"} <= set(spec["paths"]["/api/plans"]["post"]["responses"])
    assert "404" in spec["paths"]["/api/plans/{token}"]["get"]["responses"]


def test_schemathesis_can_load_the_description_and_finds_every_operation(spec):
    import schemathesis

    schema = schemathesis.openapi.from_dict(spec)
    operations = {(result.ok().method.upper(), result.ok().path) for result in schema.get_all_operations()}
    assert operations == {
        ("POST", "/api/plans"), ("GET", "/api/plans/{token}"), ("DELETE", "/api/plans/{token}"),
        ("POST", "/api/plans/{token}/checkins"), ("POST", "/api/plans/{token}/clearance"),
        ("GET", "/openapi.json"), ("GET", "/healthz"),
    }


def test_real_answers_match_what_the_description_promises(client, spec):
    created = client.post("/api/plans", json={"answers": TIGHTNESS})
    response_validator(spec, "/api/plans", "post", 201).validate(created.get_json())

    token = created.get_json()["token"]
    read = client.get(f"/api/plans/{token}")
    response_validator(spec, "/api/plans/{token}", "get", 200).validate(read.get_json())

    invalid = client.post("/api/plans", json={"answers": {"pain_score": 11}})
    response_validator(spec, "/api/plans", "post", 400).validate(invalid.get_json())

    missing = client.get("/api/plans/unknown-token")
    response_validator(spec, "/api/plans/{token}", "get", 404).validate(missing.get_json())

    health = client.get("/healthz")
    response_validator(spec, "/healthz", "get", 200).validate(health.get_json())

    starting_today = client.post("/api/plans", json={"answers": TIGHTNESS,
                                                     "preferences": {"start_date": "2026-03-01"}})
    token = starting_today.get_json()["token"]
    checked_in = client.post(f"/api/plans/{token}/checkins", json={"session": "done", "pain_during": 2})
    assert checked_in.status_code == 201, checked_in.get_json()
    response_validator(spec, "/api/plans/{token}/checkins", "post", 201).validate(checked_in.get_json())
    bad = client.post(f"/api/plans/{token}/checkins", json={"session": "done", "pain_during": 11})
    response_validator(spec, "/api/plans/{token}/checkins", "post", 400).validate(bad.get_json())
    read_again = client.get(f"/api/plans/{token}")
    response_validator(spec, "/api/plans/{token}", "get", 200).validate(read_again.get_json())
    not_a_referral = client.post(f"/api/plans/{token}/clearance", json={"category": "strain"})
    response_validator(spec, "/api/plans/{token}/clearance", "post", 409).validate(not_a_referral.get_json())


def test_a_request_the_description_allows_is_accepted(client, spec):
    request_schema = {**spec["components"]["schemas"]["PlanRequest"], "components": spec["components"]}
    evenings = {"timezone": "America/New_York", "weekdays": ["TU", "SA"], "time": "18:30",
                "session_minutes": 45}
    body = {"answers": TIGHTNESS, "preferences": evenings}
    jsonschema_rs.Draft202012Validator(request_schema).validate(body)
    assert client.post("/api/plans", json=body).status_code == 201
