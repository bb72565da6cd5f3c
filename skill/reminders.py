"""Alexa reminders for a plan: which reminders, when (rules as data), the exact requests the Alexa
Reminders API takes, and a small client for it. No conversation here (skill.handlers.reminders).

What a plan's reminders are, read from its current revision (never from the date alone):

- `sessions`: one weekly recurring reminder at the session time, on each weekday the current
  phase still has a dated session, from the next session to the last one dated. A gated
  programme dates only the current phase, so when the phase ends (or the plan becomes a referral)
  there is nothing left to remind of and the reminder is deleted; the next revision that dates
  sessions makes it again.
- `check_in` (when the runner wants it): the morning after each of those sessions, to say how
  the session went and how the leg feels the next morning, which is what the pain rule reads.

Times are local wall-clock times with the device's IANA zone (`timeZoneId`), never an offset: a
reminder at 7 in the morning stays at 7 across a daylight-saving change. The label says what to
say next, since a reminder can only speak: it cannot open the skill.

Alert tokens are secrets of the runner's account: they are kept sealed with the plan
(plans.store.PlanStore.keep_reminders) and never logged; errors name the HTTP status only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rehab.clock import WEEKDAYS, weekday_code

SCOPE = "alexa::alerts:reminders:skill:readwrite"
PATH = "/v1/alerts/reminders"
# Kept with the plan (PlanStore.keep_reminders): {"v": 1, "zone": ..., "locale": ...,
# "endpoint": ..., "reminders": {rule id: {"alert_token": ..., "request": {...}}}}.
RECORD_VERSION = 1


@dataclass(frozen=True)
class ReminderRule:
    """One reminder a plan may have. `days_after` shifts it from the session day (1: the next
    morning); `at` is its local time ("HH:MM"), None for the session's own time; `label` is the
    prompt key of what Alexa says (skill.prompts)."""

    id: str
    days_after: int
    at: str | None
    label: str
    why: str


SESSIONS = ReminderRule(
    id="sessions", days_after=0, at=None, label="reminder_label_sessions",
    why="At the session's own time, on the weekdays the current phase has sessions: the runner "
        "chose that time, and the reminder only says what to say to start.")
CHECK_IN = ReminderRule(
    id="check_in", days_after=1, at="08:00", label="reminder_label_check_in",
    why="The morning after each session: the pain rule reads the next morning's pain, which is "
        "only known then (clinical-basis.md, 'Adapting the programme').")
RULES: tuple[ReminderRule, ...] = (SESSIONS, CHECK_IN)
RULES_BY_ID = {rule.id: rule for rule in RULES}


@dataclass(frozen=True)
class Schedule:
    """When one reminder rings: weekly on `weekdays` at `time`, from `first` to `last` (dates)."""

    weekdays: tuple[str, ...]
    time: str
    first: dt.date
    last: dt.date


def schedule_for(programme, rule: ReminderRule, now_local: dt.datetime) -> Schedule | None:
    """The rule's schedule for a programme as it stands, from `now_local` (naive, the plan's
    zone) on; None when no session is left to remind of."""
    shift = dt.timedelta(days=rule.days_after)
    moments = []
    for session in programme.sessions:
        if session.kind != "session":
            continue
        at = rule.at or session.start_time
        hours, minutes = (int(part) for part in at.split(":")[:2])
        moment = dt.datetime.combine(session.date + shift, dt.time(hours, minutes))
        if moment > now_local:
            moments.append(moment)
    if not moments:
        return None
    moments.sort()
    used = {weekday_code(moment.date()) for moment in moments}
    return Schedule(weekdays=tuple(day for day in WEEKDAYS if day in used),
                    time=moments[0].strftime("%H:%M"), first=moments[0].date(), last=moments[-1].date())


def _local(day: dt.date, hh_mm: str) -> str:
    """A local wall-clock time as the API takes it: ISO 8601 without an offset."""
    return f"{day.isoformat()}T{hh_mm}:00.000"


def recurrence_rule(schedule: Schedule) -> str:
    """RFC 5545 text for a weekly reminder on the schedule's weekdays at its time."""
    hours, minutes = (int(part) for part in schedule.time.split(":"))
    return (f"FREQ=WEEKLY;BYDAY={','.join(schedule.weekdays)};BYHOUR={hours};BYMINUTE={minutes};"
            f"BYSECOND=0;INTERVAL=1")


def reminder_request(schedule: Schedule, *, zone: str, locale: str, text: str,
                     now_local: dt.datetime) -> dict[str, Any]:
    """The body of POST (and PUT) /v1/alerts/reminders for one recurring reminder."""
    start = _local(schedule.first, schedule.time)
    return {
        "requestTime": now_local.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%S.000"),
        "trigger": {
            "type": "SCHEDULED_ABSOLUTE",
            "scheduledTime": start,
            "timeZoneId": zone,
            "recurrence": {
                "startDateTime": start,
                "endDateTime": _local(schedule.last, "23:59"),
                "recurrenceRules": [recurrence_rule(schedule)],
            },
        },
        "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text}]}},
        "pushNotification": {"status": "ENABLED"},
    }


def same_reminder(sent: Mapping[str, Any] | None, wanted: Mapping[str, Any]) -> bool:
    """Whether a kept request already says what `wanted` says (the request time aside)."""
    if not isinstance(sent, Mapping):
        return False
    return {k: v for k, v in sent.items() if k != "requestTime"} == \
        {k: v for k, v in wanted.items() if k != "requestTime"}


# ---- the API ------------------------------------------------------------------------------------


class RemindersFailed(Exception):
    """The Reminders API did not do it. `why`: "permission" (401/403: the runner has not allowed
    reminders, or withdrew it), "gone" (404: the runner deleted it in the Alexa app), "refused"
    (another 4xx: a request the API will not take), "unavailable" (5xx, a timeout, no network).
    The message holds the status only, never a token."""

    def __init__(self, why: str, status: int | None = None):
        super().__init__(f"reminders API: {why}" + (f" (HTTP {status})" if status else ""))
        self.why = why
        self.status = status


class RemindersApi:
    """POST, PUT and DELETE on {apiEndpoint}/v1/alerts/reminders with the request's access token,
    through the skill's API client (skill.build: every call has a timeout)."""

    def __init__(self, api_client, endpoint: str, access_token: str) -> None:
        self._client = api_client
        self._endpoint = endpoint.rstrip("/")
        self._token = access_token

    def create(self, body: Mapping[str, Any]) -> str:
        answer = self._call("POST", PATH, body)
        try:
            token = json.loads(answer or "{}").get("alertToken")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise RemindersFailed("unavailable")
        return token

    def update(self, alert_token: str, body: Mapping[str, Any]) -> None:
        self._call("PUT", f"{PATH}/{alert_token}", body)

    def delete(self, alert_token: str) -> None:
        try:
            self._call("DELETE", f"{PATH}/{alert_token}", None)
        except RemindersFailed as failed:
            if failed.why != "gone":  # deleted in the Alexa app already: as good as done
                raise

    def _call(self, method: str, path: str, body: Mapping[str, Any] | None) -> str:
        from ask_sdk_model.services import ApiClientRequest

        headers = [("Authorization", f"Bearer {self._token}"), ("Accept", "application/json")]
        if body is not None:
            headers.append(("Content-Type", "application/json"))
        request = ApiClientRequest(url=self._endpoint + path, method=method, headers=headers,
                                   body=None if body is None else json.dumps(body))
        try:
            response = self._client.invoke(request)
        except Exception:  # a timeout, no route, a refused connection: the SDK wraps them all
            raise RemindersFailed("unavailable") from None
        status = int(response.status_code or 0)
        if 200 <= status < 300:
            return response.body or ""
        if status in (401, 403):
            raise RemindersFailed("permission", status)
        if status == 404:
            raise RemindersFailed("gone", status)
        raise RemindersFailed("refused" if 400 <= status < 500 else "unavailable", status)


def record(zone: str, locale: str, endpoint: str, reminders: Mapping[str, Any]) -> dict[str, Any]:
    return {"v": RECORD_VERSION, "zone": zone, "locale": locale, "endpoint": endpoint,
            "reminders": dict(reminders)}


def kept_rules(kept: Mapping[str, Any] | None) -> Sequence[str]:
    reminders = (kept or {}).get("reminders") or {}
    return [rule.id for rule in RULES if isinstance(reminders.get(rule.id), Mapping)]
