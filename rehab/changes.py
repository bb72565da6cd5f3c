"""What a revision changed, in plain words, for the page, the PDF and the voice: "2 sessions
changed, 1 cancelled, 3 new". Pure: it compares two revisions of one programme by session id.
"""

from __future__ import annotations

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
