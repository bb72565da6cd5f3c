"""What a revision changed, in plain words, for the page, the PDF and the voice: "2 sessions
changed, 1 cancelled, 3 new". Pure: it compares two revisions of one programme by session id.
"""

from __future__ import annotations

import datetime as dt

from rehab.models import Programme

# The words of a change, one template per kind; {n} is the number of sessions.
CHANGE_WORDS: dict[str, tuple[str, str]] = {
    "changed": ("1 session changed", "{n} sessions changed"),
    "cancelled": ("1 session cancelled", "{n} sessions cancelled"),
    "added": ("1 new session", "{n} new sessions"),
}
NOTHING_CHANGED = "No scheduled session changed."
CLEARANCE_SAYS = ("Good: your clinician has cleared you to start rehab. Your new programme starts on the "
                  "next session day.")


def describe_changes(old: Programme, new: Programme) -> str:
    """One sentence: how many sessions the new revision changed, cancelled and added."""
    before = {s.id: s for s in old.sessions}
    after = {s.id: s for s in new.sessions}
    counts = {
        "changed": sum(1 for sid, s in after.items() if sid in before and s != before[sid]),
        "cancelled": len({s.id for s in new.cancelled} - {s.id for s in old.cancelled}),
        "added": sum(1 for sid in after if sid not in before),
    }
    parts = [CHANGE_WORDS[kind][0 if n == 1 else 1].format(n=n) for kind, n in counts.items() if n]
    if not parts:
        return NOTHING_CHANGED
    text = ", ".join(parts)
    return text[0].upper() + text[1:] + "."


def keep_the_past(old: Programme, new: Programme, today: dt.date) -> Programme:
    """`new` with every session dated before `today` as it was in `old` (design.md §3: past
    sessions never change). The core already keeps what lies on or before a check-in's own date; a
    check-in about an earlier day must not rewrite the days since either: a past session the new
    revision changed or cancelled is restored, and a session it dated in the past is dropped."""
    past = {s.id: s for s in old.sessions if s.date < today}
    if not past and not any(s.date < today for s in new.sessions):
        return new
    sessions = [past.get(s.id, s) for s in new.sessions if s.date >= today or s.id in past]
    missing = [s for sid, s in past.items() if sid not in {kept.id for kept in sessions}]
    sessions = sorted([*sessions, *missing], key=lambda s: (s.date, s.start_time, s.id))
    cancelled = tuple(c for c in new.cancelled if c.id not in past or c in old.cancelled)
    return new.model_copy(update={"sessions": tuple(sessions), "cancelled": cancelled})
