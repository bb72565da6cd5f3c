"""Alexa reminders by voice (issue 13): offered after the plan's code, set with the runner's
consent, kept in step with the plan, removed on request and with the runner's data.

- After the code turn the skill says when the reminder would ring and asks; yes sets it. Without
  the permission in the request (context.System.user.permissions.consentToken) Alexa is asked to
  ask for it (Connections.SendRequest "AskFor"); its answer comes back as a Connections.Response:
  ACCEPTED sets the reminders, anything else sends the permissions card and says so plainly.
- Then the morning-after reminder is offered (the check-in); "set up my reminders" does all of
  this at any time, "stop my reminders" deletes them.
- A revision (a check-in by voice or on the web, a clearance) can move the sessions: at the first
  and the last turn of a visit the kept reminders are compared with the plan's current revision
  and updated or deleted (`KeepRemindersInStep`). The Reminders API also takes updates and
  deletes outside a session, but only with a Login with Amazon token the service does not hold;
  docs/alexa.md says why the next visit is where they catch up.
- "Delete my data" deletes the reminders before the plans (`delete_with_reminders`).

Every refusal, missing permission, API error or timeout is said plainly, and never touches the
plan. Alert tokens are kept sealed with the plan (skill.reminders) and never logged.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import replace
from zoneinfo import ZoneInfo

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractResponseInterceptor

from skill import conversation as talk
from skill import reminders as rules
from skill.conversation import Line, State, Turn
from skill.handlers.base import (
    VISIT,
    ConversationHandler,
    Services,
    Visit,
    delete_data,
    request_of,
    respond,
    visit_of,
)

logger = logging.getLogger("skill")

PERMISSION_TOKEN = "reminders"  # handed back by Alexa in the Connections.Response, as-is
# Reminders are offered after the code only in the visit that filed the plan: "what's my code" on
# a later day is not the moment ("set up my reminders" is, at any time).
OFFER_AFTER_FILING = dt.timedelta(minutes=30)


# ---- the request: consent, the API ---------------------------------------------------------------


def consented(handler_input) -> bool:
    """The runner has allowed this skill's reminders (Alexa puts a consent token in the request)."""
    user = getattr(handler_input.request_envelope.context.system, "user", None)
    permissions = getattr(user, "permissions", None)
    return bool(getattr(permissions, "consent_token", None))


def api_for(handler_input) -> rules.RemindersApi | None:
    """The Reminders API at the request's apiEndpoint with its access token; None without them."""
    system = handler_input.request_envelope.context.system
    factory = handler_input.service_client_factory
    endpoint, token = getattr(system, "api_endpoint", None), getattr(system, "api_access_token", None)
    if factory is None or not endpoint or not token:
        return None
    return rules.RemindersApi(factory.api_configuration.api_client, endpoint, token)


def _local_now(services: Services, zone: str) -> dt.datetime:
    return services.clock().astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def _latest_plan(services: Services, visit: Visit):
    if visit.owner_key is None:
        return None
    return services.store().latest_plan_for_owner(visit.owner_key)


def _kept_for(services: Services, visit: Visit, plan_id: str) -> dict:
    for kept in services.store().reminders_for_owner(visit.owner_key):
        if kept.plan_id == plan_id:
            return kept.reminders
    return {}


def _when(schedule: rules.Schedule) -> dict:
    return {"weekdays": list(schedule.weekdays), "time": schedule.time}


# ---- keeping a plan's reminders in step with it ------------------------------------------------------


def put_in_step(api: rules.RemindersApi, store, plan, kept: dict, wanted: set[str], *, locale: str,
                prompts, endpoint: str, now: dt.datetime) -> dict:
    """Create, update or delete the plan's reminders so that each wanted rule rings on the plan's
    current schedule (and unwanted ones, or ones with nothing left to remind of, are gone). What
    was done is kept after each call, so a failure halfway loses no alert token. Returns the
    record kept; raises RemindersFailed after keeping what succeeded."""
    zone = plan.programme.timezone
    now_local = now.astimezone(ZoneInfo(zone)).replace(tzinfo=None)
    made = dict((kept or {}).get("reminders") or {})

    def keep() -> dict:
        record = rules.record(zone, locale, endpoint, made)
        record["revision"] = plan.revision
        store.keep_reminders(plan.plan_id, record if made else None)
        return record

    try:
        for rule in rules.RULES:
            existing = made.get(rule.id) if isinstance(made.get(rule.id), dict) else None
            schedule = rules.schedule_for(plan.programme, rule, now_local) if rule.id in wanted else None
            if schedule is None:
                if existing is not None:
                    api.delete(existing["alert_token"])
                    made.pop(rule.id)
                continue
            body = rules.reminder_request(schedule, zone=zone, locale=locale, text=prompts.say(rule.label),
                                          now_local=now_local)
            if existing is not None and rules.same_reminder(existing.get("request"), body):
                continue
            if existing is not None:
                try:
                    api.update(existing["alert_token"], body)
                    made[rule.id] = {"alert_token": existing["alert_token"], "request": body}
                    continue
                except rules.RemindersFailed as failed:
                    if failed.why != "gone":  # deleted in the Alexa app: make it again
                        raise
                    made.pop(rule.id)
            made[rule.id] = {"alert_token": api.create(body), "request": body}
    finally:
        record = keep()
    return record


def _failure_turn(handler_input, state: State, failed: rules.RemindersFailed) -> tuple[State, Turn]:
    logger.info("reminders not set (%s)", failed)
    key = {"permission": "reminders_no_permission", "refused": "reminders_refused"}.get(
        failed.why, "reminders_unavailable")
    if failed.why == "permission":
        _permissions_card(handler_input)
    done = replace(state, mode=None, mode_before=None)
    return done, Turn(say=(talk.say(key),), end=True)


def _permissions_card(handler_input) -> None:
    from ask_sdk_model.ui import AskForPermissionsConsentCard

    handler_input.response_builder.set_card(AskForPermissionsConsentCard(permissions=[rules.SCOPE]))


# ---- the actions -------------------------------------------------------------------------------------


def offer_reminders(handler_input, services: Services, visit: Visit) -> tuple[State, Turn]:
    """After the code: say when the sessions' reminder would ring and ask; a goodbye when there is
    nothing to offer (no plan at hand, reminders already kept, no session ahead)."""
    state = visit.state
    goodbye = (state, Turn(say=(talk.say("goodbye_plan"),), end=True))
    try:
        plan = _latest_plan(services, visit)
        if plan is None or services.clock() - plan.created_at > OFFER_AFTER_FILING \
                or _kept_for(services, visit, plan.plan_id):
            return goodbye
    except Exception as error:  # the store is away: the plan was just filed, the goodbye stands
        logger.info("reminders not offered (%s)", type(error).__name__)
        return goodbye
    schedule = rules.schedule_for(plan.programme, rules.SESSIONS,
                                  _local_now(services, plan.programme.timezone))
    if schedule is None:
        return goodbye
    return talk.reminders_offered(state, talk.REMINDER_OFFER, talk.say("reminder_offer", **_when(schedule)))


def set_reminders(handler_input, services: Services, visit: Visit, *, asked: bool = False
                  ) -> tuple[State, Turn]:
    """Yes to the offer, or "set up my reminders": ask for the permission when the request has
    none (unless Alexa just said it was given: `asked`), then set the sessions' reminder (and bring
    any kept one up to date), then offer the morning-after one if it is not set."""
    state = replace(visit.state, mode=None, mode_before=None)
    if not asked and not consented(handler_input):
        from ask_sdk_model.interfaces.connections import SendRequestDirective

        handler_input.response_builder.add_directive(SendRequestDirective(
            name="AskFor", token=PERMISSION_TOKEN,
            payload={"@type": "AskForPermissionsConsentRequest", "@version": "1",
                     "permissionScope": rules.SCOPE}))
        # Alexa asks now and answers with a Connections.Response, which may start a new session:
        # nothing waits in this one.
        return state, Turn(say=(talk.say("reminders_permission_first"),), end=True)
    return _set(handler_input, services, visit, state, {rules.SESSIONS.id})


def set_check_in_reminder(handler_input, services: Services, visit: Visit) -> tuple[State, Turn]:
    state = replace(visit.state, mode=None, mode_before=None)
    return _set(handler_input, services, visit, state, {rules.SESSIONS.id, rules.CHECK_IN.id})


def _set(handler_input, services: Services, visit: Visit, state: State, wanted: set[str]
         ) -> tuple[State, Turn]:
    try:
        plan = _latest_plan(services, visit)
        if plan is None:
            return talk.after_reading(state, [talk.say("no_plan_yet")])
        kept = _kept_for(services, visit, plan.plan_id)
    except Exception as error:
        logger.warning("plan not read for reminders (%s)", type(error).__name__)
        return talk.after_reading(state, [talk.say("plan_unreachable")])
    before = set(rules.kept_rules(kept))
    api = api_for(handler_input)
    if api is None:
        return _failure_turn(handler_input, state, rules.RemindersFailed("unavailable"))
    system = handler_input.request_envelope.context.system
    try:
        record = put_in_step(api, services.store(), plan, kept, wanted | before,
                             locale=visit.prompts.locale, prompts=visit.prompts, endpoint=system.api_endpoint,
                             now=services.clock())
    except rules.RemindersFailed as failed:
        return _failure_turn(handler_input, state, failed)
    except Exception as error:  # the store could not keep the tokens: say the reminders may be set
        logger.warning("reminders not kept (%s)", type(error).__name__)
        return _failure_turn(handler_input, state, rules.RemindersFailed("unavailable"))
    made = record.get("reminders") or {}
    sessions = made.get(rules.SESSIONS.id)
    if sessions is None:
        return talk.after_reading(state, [talk.say("reminders_nothing_ahead")])
    when = _spoken_schedule(sessions["request"])
    if rules.CHECK_IN.id in wanted and rules.CHECK_IN.id in made:
        check_in = _spoken_schedule(made[rules.CHECK_IN.id]["request"])
        done = replace(state, mode=None)
        return done, Turn(say=(talk.say("check_in_reminder_set", time=check_in["time"]),), end=True)
    lead = talk.say("reminders_already_set" if rules.SESSIONS.id in before and not (wanted - before)
                    else "reminders_set", **when)
    if rules.CHECK_IN.id in made:
        return talk.after_reading(state, [lead])
    return talk.reminders_offered(state, talk.CHECK_IN_REMINDER_OFFER, lead,
                                  talk.say("check_in_reminder_offer", time=rules.CHECK_IN.at))


def _spoken_schedule(request: dict) -> dict:
    """The weekdays and time a kept request rings at, read back from its own rule."""
    rule = request["trigger"]["recurrence"]["recurrenceRules"][0]
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    return {"weekdays": parts.get("BYDAY", "").split(","),
            "time": f"{int(parts.get('BYHOUR', 0)):02d}:{int(parts.get('BYMINUTE', 0)):02d}"}


def delete_all(handler_input, services: Services, owner_key: str) -> int:
    """Delete every reminder kept for the runner's plans, through the API, then forget them.
    Returns how many were deleted; RemindersFailed when one could not be (the rest are kept)."""
    deleted = 0
    kept_plans = services.store().reminders_for_owner(owner_key)
    if not kept_plans:
        return 0
    api = api_for(handler_input)
    if api is None:
        raise rules.RemindersFailed("unavailable")
    for kept in kept_plans:
        deleted += delete_kept(api, services.store(), kept)
    return deleted


def delete_kept(api: rules.RemindersApi, store, kept) -> int:
    """Delete one plan's reminders; what could not be deleted stays kept (RemindersFailed)."""
    made = dict(kept.reminders.get("reminders") or {})
    deleted = 0
    try:
        for rule_id in list(made):
            api.delete(made[rule_id]["alert_token"])
            made.pop(rule_id)
            deleted += 1
    finally:
        store.keep_reminders(kept.plan_id, {**kept.reminders, "reminders": made} if made else None)
    return deleted


def delete_with_reminders(handler_input, services: Services, visit: Visit) -> tuple[State, Turn]:
    """"Delete my data", confirmed: the reminders first (the plan keeps their tokens), then the data.
    When the reminders cannot be reached the data is deleted all the same, and the runner is told
    the reminders may need deleting in the Alexa app."""
    left = False
    if visit.owner_key is not None:
        try:
            delete_all(handler_input, services, visit.owner_key)
        except rules.RemindersFailed as failed:
            logger.info("reminders not deleted with the data (%s)", failed)
            left = True
        except Exception as error:  # the store is away: delete_data says so
            logger.info("reminders not read before deleting (%s)", type(error).__name__)
    state, turn = delete_data(services, visit)
    if left and visit.forget:
        turn = replace(turn, say=(talk.say("reminders_left_with_data"), *turn.say))
    return state, turn


REQUEST_ACTIONS = {
    talk.ACTION_OFFER_REMINDERS: offer_reminders,
    talk.ACTION_SET_REMINDERS: set_reminders,
    talk.ACTION_SET_CHECK_IN_REMINDER: set_check_in_reminder,
    talk.ACTION_DELETE: delete_with_reminders,
}


# ---- handlers -----------------------------------------------------------------------------------------


class SetUpRemindersHandler(ConversationHandler):
    """'Set up my reminders', at any time."""

    intents = ("SetUpRemindersIntent",)

    def handle(self, handler_input):
        state = visit_of(handler_input).state
        if state.mode == talk.CONFIRM_DELETE:
            return respond(handler_input, self.services, state, Turn(ask=talk.Step(talk.CONFIRM_DELETE),
                                                                     brief=True))
        return respond(handler_input, self.services, state, Turn(action=talk.ACTION_SET_REMINDERS))


class StopRemindersHandler(ConversationHandler):
    """'Stop my reminders': delete them through the API; the plan is untouched."""

    intents = ("StopRemindersIntent",)

    def handle(self, handler_input):
        visit = visit_of(handler_input)
        state = visit.state
        if state.mode == talk.CONFIRM_DELETE:
            return respond(handler_input, self.services, state, Turn(ask=talk.Step(talk.CONFIRM_DELETE),
                                                                     brief=True))
        if state.mode in talk.REMINDER_MODES:
            state = replace(state, mode=None, mode_before=None)
        line: Line
        try:
            deleted = delete_all(handler_input, self.services, visit.owner_key) if visit.owner_key else 0
            line = talk.say("reminders_stopped" if deleted else "reminders_none")
        except rules.RemindersFailed as failed:
            logger.info("reminders not stopped (%s)", failed)
            line = talk.say("reminders_not_stopped")
        except Exception as error:
            logger.warning("reminders not read (%s)", type(error).__name__)
            line = talk.say("plan_unreachable")
        state, turn = talk.after_reading(state, [line])
        return respond(handler_input, self.services, state, turn)


class PermissionAnsweredHandler(AbstractRequestHandler):
    """Alexa's answer to the AskFor request: ACCEPTED sets the reminders; DENIED, NOT_ANSWERED or
    a device that cannot ask by voice gets the permissions card and plain words. The plan is
    never touched."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def can_handle(self, handler_input) -> bool:
        request = request_of(handler_input)
        return getattr(request, "object_type", None) == "Connections.Response" and \
            getattr(request, "name", None) == "AskFor"

    def handle(self, handler_input):
        visit = visit_of(handler_input)
        request = request_of(handler_input)
        code = str(getattr(getattr(request, "status", None), "code", "") or "")
        payload = getattr(request, "payload", None) or {}
        accepted = code == "200" and payload.get("status") == "ACCEPTED"
        if accepted:
            state, turn = set_reminders(handler_input, self.services, visit, asked=True)
        else:
            logger.info("reminders permission not given (%s)", payload.get("status") or code or "no status")
            _permissions_card(handler_input)
            state = replace(visit.state, mode=None, mode_before=None)
            turn = Turn(say=(talk.say("reminders_denied"),), end=True)
        return respond(handler_input, self.services, state, turn)


class KeepRemindersInStep(AbstractResponseInterceptor):
    """At the first and the last turn of a visit, for a runner who allowed reminders and has some:
    bring them in step with the plan's current revision (a check-in here or on the web may have
    moved the sessions), and delete those of plans that a newer plan replaced. Never raises, never
    speaks: the next visit tries again."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def process(self, handler_input, response) -> None:
        visit: Visit | None = handler_input.attributes_manager.request_attributes.get(VISIT)
        if visit is None or visit.forget or visit.owner_key is None or not consented(handler_input):
            return
        session = handler_input.request_envelope.session
        if not (session is None or session.new or response is None or response.should_end_session):
            return
        try:
            catch_up(handler_input, self.services, visit)
        except Exception as error:
            logger.info("reminders not brought in step (%s)", type(error).__name__)


def catch_up(handler_input, services: Services, visit: Visit) -> None:
    store = services.store()
    kept_plans = store.reminders_for_owner(visit.owner_key)
    if not kept_plans:
        return
    api = api_for(handler_input)
    if api is None:
        return
    plan = store.latest_plan_for_owner(visit.owner_key)
    for kept in kept_plans:
        if plan is not None and kept.plan_id == plan.plan_id:
            if kept.reminders.get("revision") != plan.revision:
                put_in_step(api, store, plan, kept.reminders, set(rules.kept_rules(kept.reminders)),
                            locale=visit.prompts.locale, prompts=visit.prompts,
                            endpoint=handler_input.request_envelope.context.system.api_endpoint,
                            now=services.clock())
        else:  # a newer plan replaced this one: its reminders ring for sessions no longer planned
            delete_kept(api, store, kept)
