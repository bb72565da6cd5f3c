"""A plan's progress as the page, the PDF and the voice show it: its check-ins against the
sessions planned, with the gates answered and the one pending (rehab.progress sums them up)."""

from __future__ import annotations

import datetime as dt

from plans.records import CLEARANCE, PlanRecord
from rehab.progress import GateDate, Progress, progress

GATE_LABEL = "Move-on check"
CLEARANCE_LABEL = "Cleared by a clinician"


def plan_progress(plan: PlanRecord, today: dt.date) -> Progress:
    reports = [c for c in plan.check_ins if c.session != CLEARANCE]
    gates = [GateDate(c.date, GATE_LABEL) for c in reports if c.criteria]
    gates += [GateDate(c.date, CLEARANCE_LABEL) for c in plan.check_ins if c.session == CLEARANCE]
    pending = plan.programme.pending_gate
    if pending is not None:
        gates.append(GateDate(pending.date, GATE_LABEL))
    planned = [s.date for s in plan.programme.sessions if s.kind == "session"]
    return progress(reports, planned=planned, today=today, gates=gates, start=plan.programme.start_date)
