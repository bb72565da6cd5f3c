"""Alexa reminders brought in step with a plan outside a voice session (issue 13).

A check-in on the plan page can move the sessions while no Alexa session is open. The Reminders
API takes updates and deletes outside a session with a Login with Amazon access token for the
skill (client credentials, the reminders scope), and the alert tokens kept with the plan
(skill.reminders) name the reminders, so no Alexa user id is needed. Creating a reminder needs a
session: one deleted in the Alexa app is made again on the runner's next voice visit.

Configured by COACH_ALEXA_CLIENT_ID and COACH_ALEXA_CLIENT_SECRET (the skill's "Alexa Skill
Messaging" credentials in the developer console); without them this does nothing and the next
visit catches up. Never raises: the page's check-in is logged whatever the reminders do.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from urllib.parse import urlencode

from skill import reminders as rules

logger = logging.getLogger("skill")

LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"
# An LWA token lasts an hour; one is reused until a minute before it expires.
TOKEN_MARGIN_SECONDS = 60

_cache_lock = threading.Lock()
_cached: dict[tuple[str, str], tuple[str, float]] = {}


def lwa_token(api_client, client_id: str, client_secret: str, url: str = LWA_TOKEN_URL) -> str:
    """An out-of-session access token for the reminders scope (cached until it nearly expires)."""
    from ask_sdk_model.services import ApiClientRequest

    key = (url, client_id)
    with _cache_lock:
        cached = _cached.get(key)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
    body = urlencode({"grant_type": "client_credentials", "client_id": client_id,
                      "client_secret": client_secret, "scope": rules.SCOPE})
    request = ApiClientRequest(url=url, method="POST", body=body,
                               headers=[("Content-Type", "application/x-www-form-urlencoded")])
    try:
        response = api_client.invoke(request)
    except Exception:
        raise rules.RemindersFailed("unavailable") from None
    status = int(response.status_code or 0)
    if not 200 <= status < 300:
        raise rules.RemindersFailed("permission" if status in (400, 401, 403) else "unavailable", status)
    try:
        answer = json.loads(response.body or "{}")
        token, lifetime = answer["access_token"], int(answer.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise rules.RemindersFailed("unavailable") from None
    with _cache_lock:
        _cached[key] = (token, time.monotonic() + max(0, lifetime - TOKEN_MARGIN_SECONDS))
    return token


def delete_plan_reminders(store, plan_id: str, *, client_id: str | None, client_secret: str | None,
                           api_client=None, lwa_url: str = LWA_TOKEN_URL) -> bool:
    """Delete a plan's kept reminders (the plan is about to be deleted on the web). True when none
    are left, False when some could not be deleted (they end with the phase, `endDateTime`)."""
    try:
        kept = store.reminders_of(plan_id)
        if kept is None:
            return True
        api = _api_for(kept, client_id, client_secret, api_client, lwa_url)
        if api is None:
            return False
        from skill.handlers.reminders import delete_kept

        delete_kept(api, store, kept)
        return True
    except Exception as error:
        logger.info("reminders not deleted outside a session (%s)", type(error).__name__)
        return False


def follow_plan(store, plan, *, client_id: str | None, client_secret: str | None, now: dt.datetime,
                api_client=None, lwa_url: str = LWA_TOKEN_URL) -> bool:
    """Update or delete the plan's kept reminders for its current revision. True when they are in
    step (or there are none), False when it could not be done (configured or not)."""
    try:
        kept = store.reminders_of(plan.plan_id)
        if kept is None or kept.reminders.get("revision") == plan.revision:
            return True
        api = _api_for(kept, client_id, client_secret, api_client, lwa_url)
        if api is None:
            return False
        from skill.handlers.reminders import put_in_step
        from skill.prompts import for_locale

        locale = kept.reminders.get("locale") or "en-US"
        put_in_step(api, store, plan, kept.reminders, set(rules.kept_rules(kept.reminders)), locale=locale,
                    prompts=for_locale(locale), endpoint=kept.reminders["endpoint"], now=now)
        return True
    except Exception as error:  # the next voice visit tries again
        logger.info("reminders not brought in step outside a session (%s)", type(error).__name__)
        return False


def _api_for(kept, client_id: str | None, client_secret: str | None, api_client,
             lwa_url: str) -> rules.RemindersApi | None:
    """The Reminders API at the endpoint kept with the plan's reminders, with a Login with Amazon
    token; None without the credentials or an endpoint."""
    endpoint = kept.reminders.get("endpoint")
    if not client_id or not client_secret or not endpoint:
        return None
    from skill.build import DeferredApiClient

    client = api_client or DeferredApiClient()
    return rules.RemindersApi(client, endpoint, lwa_token(client, client_id, client_secret, lwa_url))
