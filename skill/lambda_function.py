"""AWS Lambda entry: `skill.lambda_function.handler`.

A cold start imports ask-sdk-core, rehab.questions and the skill's own modules, nothing more:
no Flask, no reportlab, no SQLAlchemy, no pydantic (they arrive with the turn that needs them).
Configuration comes from the environment (plans.config); on Lambda, COACH_SECRET_KEY must be
set, the same as the plan service's, and COACH_DATABASE_URL must name the shared PostgreSQL.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from plans.config import Config
from skill.build import InvalidEnvelope, application_id_of, build_skill_for, invoke_json

logger = logging.getLogger("skill")

_SKILL = None


def skill():
    """The skill, built once per container and reused by every invocation it serves."""
    global _SKILL
    if _SKILL is None:
        _SKILL = build_skill_for(Config.from_env())
    return _SKILL


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    expected = os.environ.get("COACH_ALEXA_SKILL_ID", "").strip()
    if expected and isinstance(event, dict) and application_id_of(event) != expected:
        # Lambda's own skill-id trigger should stop these first; never answer another skill.
        raise PermissionError("request for another skill")
    try:
        return invoke_json(skill(), event)
    except InvalidEnvelope as error:
        logger.warning("refused a malformed request (%s)", error)
        raise
