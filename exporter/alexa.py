"""POST /alexa: the skill as an HTTPS web service, a thin view around `Skill.invoke`.

Every request is verified as Amazon requires (skill.verification) before the skill sees it; any
failure is HTTP 400 with one generic JSON error (which check failed goes to the log, not to the
caller), and so is a signed request whose id was already answered: a replay, caught across
workers and hosts through the store (`note_request_id`). Verification may be switched off
(COACH_ALEXA_VERIFY=0) only while the server listens on loopback, for local testing: the app
refuses to start otherwise, and each request checks again in case the configuration was built by
hand. With verification off, the application id is still checked here when COACH_ALEXA_SKILL_ID
is set, and a request that came through any proxy (FORWARDING_HEADERS) is refused.

The skill is built once per app, on the first request, with the app's plan store, configuration
and clock. Test hooks in `app.config`: `SKILL_TIMEZONE_LOOKUP` (replaces the Settings API),
`ALEXA_TRUST_ROOTS` and `ALEXA_CERT_FETCH` (verification without the network).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading

from flask import Blueprint, Flask, current_app, jsonify, request

from exporter.context import coach_config, plan_store, request_body, utc_now
from exporter.errors import error_response
from plans.config import ConfigError
from plans.store import StoreUnavailable
from skill.build import InvalidEnvelope, application_id_of, build_skill_for, invoke_json

bp = Blueprint("alexa", __name__)
logger = logging.getLogger("exporter")

SKILL = "alexa_skill"
# Headers a proxy adds: with verification off, a request carrying any of them did not start on
# this host. Caddy and Traefik add X-Forwarded-Host and -Proto, tunnels and CDNs their own.
FORWARDING_HEADERS = (
    "Forwarded", "X-Forwarded-For", "X-Real-IP", "X-Forwarded-Host", "X-Forwarded-Proto",
    "X-Forwarded-Port", "X-Forwarded-Server", "X-Original-Forwarded-For", "Via", "True-Client-IP",
    "CF-Connecting-IP", "X-Client-IP", "X-Cluster-Client-IP", "Fly-Client-IP",
)
VERIFICATION_FAILED = "the request could not be verified as coming from Alexa"
MAX_REQUEST_ID_LENGTH = 256
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
            # Which check failed is for our log, not for the caller: it would tell a forger what
            # to fix next. The reason never holds the body (skill.verification says so).
            logger.warning("refused an Alexa request: %s", error.reason)
            return error_response(400, VERIFICATION_FAILED, code="verification_failed")
        replay = _refuse_replay(envelope)
        if replay is not None:
            return replay
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


def _refuse_replay(envelope: dict):
    """A 400 for a signed request answered before: its signature and timestamp stay valid for
    150 seconds, so a captured request could otherwise be played again (to any worker or host;
    the seen ids are in the database). None when the request is new."""
    request_id = envelope["request"].get("requestId")
    if not isinstance(request_id, str) or not 0 < len(request_id) <= MAX_REQUEST_ID_LENGTH:
        logger.warning("refused an Alexa request: request id is missing")
        return error_response(400, VERIFICATION_FAILED, code="verification_failed")
    request_hash = hashlib.sha256(request_id.encode("utf-8")).hexdigest()
    try:
        new = plan_store().note_request_id(request_hash, utc_now())
    except StoreUnavailable as error:
        # Fail open: without the database the skill can only speak (nothing is filed, deleted or
        # remembered), so a replayed turn changes nothing; refusing would silence the skill.
        logger.warning("could not check an Alexa request for a replay (%s); answering it", error)
        return None
    if not new:
        logger.warning("refused an Alexa request: request id was already answered (a replay)")
        return error_response(400, VERIFICATION_FAILED, code="verification_failed")
    return None


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
