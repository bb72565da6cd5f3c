"""The plan service: what the adapters (the skill, the JSON API, the pages, the CLI) call to
change plans. Each function runs the clinical core's decisions (rehab) and keeps the result through
the store in one transaction, so the skill and the web decide exactly the same way and the store
only keeps things.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from plans.records import CLEARANCE, GATE_ONLY, LoggedCheckIn, PlanChange, PlanRecord, PreparedPlan
from rehab.changes import CLEARANCE_SAYS, describe_changes, keep_the_past
from rehab.clock import today_in
from rehab.models import Answers, Preferences
from rehab.programme import build_programme
from rehab.triage import assess

if TYPE_CHECKING:  # pragma: no cover
    from plans.records import FiledPlan
    from plans.store import PlanStore
    from rehab.models import CheckIn

FIRST_REVISION = 1


def prepare_plan(
    answers: Answers | Mapping[str, Any],
    preferences: Preferences | Mapping[str, Any] | None,
    *,
    now: dt.datetime,
) -> PreparedPlan:
    """Assess the answers and build the first revision of the programme.

    Mappings are validated into the models (pydantic's ValidationError on bad input). The start
    date, when not chosen, becomes tomorrow in the runner's zone as seen at `now`.
    """
    if not isinstance(answers, Answers):
        answers = Answers.model_validate(answers)
    if preferences is None:
        preferences = Preferences()
    elif not isinstance(preferences, Preferences):
        preferences = Preferences.model_validate(preferences)
    resolved = preferences.resolved(now)
    assessment = assess(answers)
    programme = build_programme(answers, assessment, resolved, revision=FIRST_REVISION)
    return PreparedPlan(answers=answers, preferences=resolved, assessment=assessment, programme=programme)


def file_plan(
    store: PlanStore,
    answers: Answers | Mapping[str, Any],
    preferences: Preferences | Mapping[str, Any] | None = None,
    *,
    owner_key: str | None = None,
    now: dt.datetime,
) -> FiledPlan:
    """Assess the answers, build the programme (revision 1) and keep all of it, with a new token
    and short code, in one transaction. pydantic's ValidationError on bad answers; the store's
    StoreUnavailable when the database cannot take it."""
    return store.add_plan(prepare_plan(answers, preferences, now=now), owner_key=owner_key, now=now)


@dataclass(frozen=True)
class ReissuedCode:
    """A fresh code for the runner's newest plan, with the plan's token (its link). `new_link` is
    true only for a plan kept before its token was (see PlanStore.reissue_code_for_owner): its
    token is new and its old link no longer works."""

    token: str
    code: str
    expires_at: dt.datetime
    timezone: str
    new_link: bool = False


def reissue_code_for_owner(store: PlanStore, owner_key: str, *, now: dt.datetime) -> ReissuedCode | None:
    """'What's my code' by voice: the runner's newest plan gets a new code, under the same token
    (its link and calendar feed keep working; the old codes stop). None when the runner has no
    plan; StoreUnavailable when the database is away."""
    issued = store.reissue_code_for_owner(owner_key, now)
    if issued is None:
        return None
    token, short, new_link = issued
    plan = store.get_plan(token)
    timezone = plan.programme.timezone if plan is not None else "UTC"
    return ReissuedCode(token=token, code=short.code, expires_at=short.expires_at, timezone=timezone,
                        new_link=new_link)


def purge(store: PlanStore, *, now: dt.datetime, retention_days: int) -> int:
    """Delete what the retention period no longer covers; the number of plans deleted."""
    return store.purge_expired(now, retention_days)


class CheckInRefused(ValueError):
    """A check-in the plan cannot take (dated in the future or before the plan, a criterion the
    current gate does not have, clearance for a plan that is not a referral). `field` names the
    request field at fault; the message is safe to show and to speak."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


def refused(error: ValueError, *, default_field: str) -> CheckInRefused:
    """The core says which field is at fault as "field: message"."""
    field, sep, message = str(error).partition(": ")
    if sep and field.isidentifier():
        return CheckInRefused(field, message)
    return CheckInRefused(default_field, str(error))


@dataclass(frozen=True)
class CheckedIn:
    plan: PlanRecord  # the plan after the check-in (its new revision when it changed)
    check_in: LoggedCheckIn
    changed: bool


def check_in(store: PlanStore, token: str, report: Mapping[str, Any], *, now: dt.datetime,
             owner_key: str | None = None) -> CheckedIn | None:
    """Record how a session went (or a gate's answers) and let the clinical core decide what
    happens next, in one transaction: the check-in is kept, and when the schedule changes the plan
    gets its next revision (same token, code and feed). `report` holds the public check-in fields
    (design.md §3); a missing `date` is today in the plan's zone. The plan is found by its token,
    or with `owner_key` (token None) as the runner's newest plan, as the skill knows it. None when
    there is no such plan. Raises pydantic's ValidationError for a malformed report and
    CheckInRefused for one the plan cannot take; the plan is unchanged then."""
    from rehab.adaptation import advance
    from rehab.models import CheckIn

    def decide(plan: PlanRecord) -> PlanChange:
        today = today_in(plan.programme.timezone, now)
        reported = CheckIn.model_validate({**report, "date": report.get("date") or today})
        if reported.date > today:
            raise CheckInRefused("date", "the check-in's date is in the future")
        start = plan.programme.start_date or plan.created_at.date()
        if reported.date < start:
            raise CheckInRefused("date", "the check-in's date is before the plan started")
        try:
            outcome = advance(plan.programme, history_of(plan), reported, answers=plan.answers,
                              assessment=plan.assessment, preferences=plan.preferences)
        except ValueError as error:
            raise refused(error, default_field="criteria") from None
        # A check-in about an earlier day may not rewrite the days since (design.md §3).
        kept = keep_the_past(plan.programme, outcome.programme, today)
        outcome = dataclasses.replace(outcome, programme=kept)
        logged = LoggedCheckIn(
            number=len(plan.check_ins) + 1, date=reported.date, session=reported.session or GATE_ONLY,
            pain_during=reported.pain_during, pain_next_morning=reported.pain_next_morning,
            criteria=dict(reported.criteria or {}), limp=reported.limp, swelling=reported.swelling,
            pop=reported.pop, nerve_symptoms=reported.nerve_symptoms,
            verdict=outcome.verdict, light=outcome.light, rule_id=outcome.rule_id, says=outcome.says,
            revision=outcome.programme.revision,
            changes=describe_changes(plan.programme, outcome.programme) if outcome.changed else "",
            recorded_at=now,
        )
        return PlanChange(programme=outcome.programme if outcome.changed else None, check_in=logged)

    done = store.change_plan(decide, now=now, token=token, owner_key=owner_key)
    if done is None:
        return None
    plan, change = done
    return CheckedIn(plan=plan, check_in=change.check_in, changed=change.programme is not None)




def clear(store: PlanStore, token: str | None, category: str, *, now: dt.datetime,
          owner_key: str | None = None) -> CheckedIn | None:
    """A clinician has seen a referred runner and cleared them to start rehab for `category`: the
    same plan gets that programme as its next revision. The plan is found by its token, or with
    `owner_key` (token None) as the runner's newest plan, as the skill knows it (as `check_in`).
    None when there is no such plan; CheckInRefused when the plan is not a referral or the
    category is not a programme."""
    from rehab.adaptation import clear_for_rehab

    def decide(plan: PlanRecord) -> PlanChange:
        today = today_in(plan.programme.timezone, now)
        try:
            programme = clear_for_rehab(plan.programme, category, answers=plan.answers,
                                        assessment=plan.assessment, preferences=plan.preferences, today=today)
        except ValueError as error:
            refusal = refused(error, default_field="category")
            if "not a referral" in refusal.message:
                refusal = CheckInRefused("plan", refusal.message)
            raise refusal from None
        logged = LoggedCheckIn(
            number=len(plan.check_ins) + 1, date=today, session=CLEARANCE, pain_during=None,
            pain_next_morning=None, criteria={}, limp=None, swelling=None, verdict="progress", light=None,
            rule_id="clinician-clearance", says=CLEARANCE_SAYS, revision=programme.revision,
            changes=describe_changes(plan.programme, programme), recorded_at=now,
        )
        return PlanChange(programme=programme, check_in=logged)

    done = store.change_plan(decide, now=now, token=token, owner_key=owner_key)
    if done is None:
        return None
    plan, change = done
    return CheckedIn(plan=plan, check_in=change.check_in, changed=True)


def history_of(plan: PlanRecord) -> tuple[CheckIn, ...]:
    """The plan's earlier check-ins as the clinical core reads them (clearances left out)."""
    from rehab.models import CheckIn

    return tuple(
        CheckIn(date=logged.date, session=None if logged.session == GATE_ONLY else logged.session,
                pain_during=logged.pain_during, pain_next_morning=logged.pain_next_morning,
                criteria=logged.criteria or None, limp=logged.limp, swelling=logged.swelling,
                pop=logged.pop, nerve_symptoms=logged.nerve_symptoms)
        for logged in plan.check_ins if logged.session != CLEARANCE
    )
