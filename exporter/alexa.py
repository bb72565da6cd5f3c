"""POST /alexa: the skill as an HTTPS web service, a thin view around `Skill.invoke`.

Every request is verified as Amazon requires (skill.verification) before the skill sees it; any
failure is HTTP 400 with a JSON error. Verification may be switched off (COACH_ALEXA_VERIFY=0)
only while the server listens on loopback, for local testing: the app refuses to start
otherwise, and each request checks again in case the configuration was built by hand. With
verification off, the application id is still checked here when COACH_ALEXA_SKILL_ID is set.

The skill is built once per app, on the first request, with the app's plan store, configuration
and clock. Test hooks in `app.config`: `SKILL_TIMEZONE_LOOKUP` (replaces the Settings API),
`ALEXA_TRUST_ROOTS` and `ALEXA_CERT_FETCH` (verification without the network).
"""

from __future__ import annotations

import json
import threading

from flask import Blueprint, Flask, current_app, jsonify, request

from exporter.context import coach_config, plan_store, request_body, utc_now
from exporter.errors import error_response
from plans.config import ConfigError
from skill.build import InvalidEnvelope, application_id_of, build_skill_for, invoke_json

bp = Blueprint("alexa", __name__)

SKILL = "alexa_skill"
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
_BUILD_LOCK = threading.Lock()


@bp.record_once
def _refuse_unverified_beyond_loopback(state) -> None:
    refusal = state.app.config["COACH"].unverified_alexa_refusal()
    if refusal:
        raise ConfigError(refusal)


@bp.post("/alexa")
def alexa():
    config = coach_config()
    body = request_body()
    if config.alexa_verify:
        from skill.verification import VerificationError, verify_request

        try:
            envelope = verify_request(
                request.headers, body, now=utc_now(), skill_id=config.alexa_skill_id,
                trust_roots=current_app.config.get("ALEXA_TRUST_ROOTS"),
                fetch=current_app.config.get("ALEXA_CERT_FETCH"),
            )
        except VerificationError as error:
            message = f"the request could not be verified as coming from Alexa: {error.reason}"
            return error_response(400, message, code="verification_failed")
    else:
        if config.unverified_alexa_refusal():
            return error_response(500, "Alexa request verification is off where it may not be; "
                                       "refusing every request", code="verification_disabled")
        if any(header in request.headers for header in FORWARDING_HEADERS):
            # A proxy (nginx, Caddy, a tunnel) put this request on loopback: it may come from
            # anyone, even when COACH_TRUSTED_PROXIES was not set to say a proxy is there.
            return error_response(400, "Alexa request verification is off, which is allowed only for "
                                       "requests made on this host; this one came through a proxy",
                                  code="verification_failed")
        try:
            envelope = json.loads(body)
        except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser's stack
            return error_response(400, "the body is not JSON")
        if not isinstance(envelope, dict):
            return error_response(400, "the body is not an Alexa request envelope")
        if config.alexa_skill_id and application_id_of(envelope) != config.alexa_skill_id:
            return error_response(400, "the request is for another skill", code="verification_failed")
    try:
        answer = invoke_json(_skill(current_app), envelope)
    except InvalidEnvelope as error:
        return error_response(400, str(error))
    response = jsonify(answer)
    response.headers["Cache-Control"] = "no-store"
    return response


def _skill(app: Flask):
    skill = app.extensions.get(SKILL)
    if skill is None:
        with _BUILD_LOCK:
            skill = app.extensions.get(SKILL)
            if skill is None:
                skill = build_for_app(app)
                app.extensions[SKILL] = skill
    return skill


def build_for_app(app: Flask):
    """The skill wired to this app's store, configuration and clock."""
    with app.app_context():
        config = coach_config()
        store = plan_store()
        clock = app.config["CLOCK"]
    return build_skill_for(config, store=store, timezone_lookup=app.config.get("SKILL_TIMEZONE_LOOKUP"),
                           clock=clock)
