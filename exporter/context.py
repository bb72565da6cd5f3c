"""What a view needs from the app it runs in, found through Flask's `current_app` instead of
globals, so tests can hand the app another store, configuration or clock.

Kept apart from the factory (`exporter.app`): the blueprints import these helpers and the factory
imports the blueprints, so putting them in the factory would make a cycle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from plans.config import Config
from plans.store import PlanStore


def plan_store() -> PlanStore:
    return current_app.extensions["plan_store"]


def coach_config() -> Config:
    return current_app.config["COACH"]


def reminders_follow(plan) -> None:
    """A check-in or clearance on the web changed the plan: move the runner's Alexa reminders now
    when the skill's LWA credentials are configured (skill.reminder_sync), else the runner's next
    voice visit does. Never raises; `ALEXA_LWA_URL` (tests) replaces Amazon's token endpoint."""
    config = coach_config()
    if not (config.alexa_client_id and config.alexa_client_secret):
        return
    from skill.reminder_sync import LWA_TOKEN_URL, follow_plan

    follow_plan(plan_store(), plan, client_id=config.alexa_client_id,
                client_secret=config.alexa_client_secret, now=utc_now(),
                lwa_url=current_app.config.get("ALEXA_LWA_URL", LWA_TOKEN_URL))


def reminders_forgotten(token: str) -> None:
    """The plan with this token is about to be deleted on the web: delete its Alexa reminders
    first when the skill's LWA credentials are configured (skill.reminder_sync). Never raises."""
    config = coach_config()
    if not (config.alexa_client_id and config.alexa_client_secret):
        return
    plan = plan_store().get_plan(token)
    if plan is None:
        return
    from skill.reminder_sync import LWA_TOKEN_URL, delete_plan_reminders

    delete_plan_reminders(plan_store(), plan.plan_id, client_id=config.alexa_client_id,
                          client_secret=config.alexa_client_secret,
                          lwa_url=current_app.config.get("ALEXA_LWA_URL", LWA_TOKEN_URL))


def utc_now() -> dt.datetime:
    clock: Callable[[], dt.datetime] = current_app.config["CLOCK"]
    return clock()


def request_body() -> bytes:
    """The whole request body, or a 413. Werkzeug refuses a stated Content-Length over the limit,
    but a chunked upload states none: it then stops reading at the limit without a word, and the
    view would get the first 64 KiB of a longer body. A chunked body that fills the limit is
    therefore refused too (one of exactly 64 KiB included: its end cannot be told apart)."""
    body = request.get_data(cache=False)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if request.content_length is None and limit is not None and len(body) >= limit:
        raise RequestEntityTooLarge()
    return body
