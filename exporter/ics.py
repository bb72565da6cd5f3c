"""The programme as an iCalendar feed: a download or a webcal:// subscription that updates in place.

Why each choice:
- One VEVENT per session, no RRULE: sessions differ in what they ask, and a later revision may
  move or change any one of them. A referral plan has no training: its first event is "Book a
  clinician" (on its first day, under that session's UID), then its check-in, not days of rest.
- Titles lead with what to do and stay under 40 characters ("Easy run + strength, week 2"), so a
  lock screen shows them whole; every event is CLASS:PRIVATE (a shared calendar shows it busy).
  Each exercise in the description links to its drawing and how-to on the plan page.
- UID = session id + plan id: stable across renders and revisions, so a calendar that fetches
  revision 2 updates the events it already has instead of adding copies. SEQUENCE is 1 + the
  number of revisions that changed that session (plans of revision 1 wrote 1, so a first change
  is 2 and every client applies it); a session a revision removed stays in the feed as
  STATUS:CANCELLED with its SEQUENCE raised, since some clients drop a cancelled event unless its
  SEQUENCE rises. DTSTAMP and LAST-MODIFIED are the plan's update time. Nothing here reads a clock or
  draws a random number: the same revision gives the same bytes (an ETag can be derived from it).
- DTSTART/DTEND carry the runner's zone (TZID) with its VTIMEZONE, limited to the programme's
  dates, so a 07:00 session stays at 07:00 local across a daylight-saving change, and never a
  local time the clocks skip (rehab dates sessions that way; `_existing` keeps ends so). Building a
  VTIMEZONE walks the zone's transitions (milliseconds), so it is built once per zone and date
  range and reused.
- No METHOD: a published feed is not an invitation (RFC 5546 would then want an ORGANIZER).
- REFRESH-INTERVAL (RFC 7986) and X-PUBLISHED-TTL (older clients) ask subscribers to re-fetch
  twice a day. icalendar writes REFRESH-INTERVAL without VALUE=DURATION, which RFC 7986 requires,
  so the parameter is set here.
- icalendar builds the calendar's header and the VTIMEZONE and escapes URIs and durations; the
  events' content lines are assembled, TEXT-escaped and folded here, because icalendar's
  serialiser folds one character at a time (30 ms for a full programme; design.md §5 allows 10)
  and its TEXT escaping turns a literal backslash-N into a line break.
"""

from __future__ import annotations

import datetime as dt
import threading
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vDuration, vText, vUri

from exporter import figures, wording
from plans.records import CLEARANCE, PlanRecord
from rehab.clock import as_utc
from rehab.models import Phase, Session
from rehab.programme import PLANS

# Part of the feed's ETag: bump it whenever a change here, or in how rehab dates a stored session
# (ics-3: a skipped time at midnight stays on its day; ics-4: SEQUENCE per session, cancelled
# sessions; ics-5: what-to-do titles, CLASS:PRIVATE, exercise links, "Book a clinician"),
# changes the output.
RENDERER_VERSION = "ics-5"
PRODID = "-//Hamstring Coach//Plan service//EN"
UID_DOMAIN = "hamstring-coach"
REFRESH_INTERVAL = dt.timedelta(hours=12)
REMINDER_BEFORE = dt.timedelta(minutes=30)
CALENDAR_NAME = "Hamstring plan"

_timezones_lock = threading.Lock()


def render_ics(plan: PlanRecord, *, plan_url: str) -> bytes:
    """The plan's sessions as an iCalendar (RFC 5545) document, UTF-8 with CRLF line ends."""
    programme = plan.programme
    zone_name = programme.timezone
    zone = ZoneInfo(zone_name)
    stamp = _utc_text(plan.updated_at)
    created = _utc_text(plan.created_at)

    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("NAME", CALENDAR_NAME)
    calendar.add("X-WR-CALNAME", CALENDAR_NAME)
    description = f"{programme.title}. {programme.disclaimer}"
    calendar.add("DESCRIPTION", description)
    # icalendar writes an X- property it does not know as it is given: wrapped in vText it is
    # escaped as DESCRIPTION is, else clients cut it at the first comma or semicolon.
    calendar.add("X-WR-CALDESC", vText(description))
    calendar.add("X-WR-TIMEZONE", zone_name)
    calendar.add("URL", plan_url)
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    # The header as icalendar writes it; the events go in before its closing line.
    parts = [calendar.to_ical().removesuffix(_END_CALENDAR)]

    sessions = programme.sessions
    dated = (*sessions, *programme.cancelled)
    if dated and zone_name != "UTC":
        first = min(session.date for session in dated)
        last = max(session.date for session in dated)
        parts.append(vtimezone_ical(zone_name, first, last + dt.timedelta(days=1)))

    phases = {phase.id: phase for phase in programme.phases}
    fixed = (
        _line("DTSTAMP", stamp) + _line("LAST-MODIFIED", stamp) + _line("CREATED", created)
        + _line("URL", _uri(plan_url)) + _line("TRANSP", "OPAQUE")
    )
    self_care = _current_self_care(plan)
    folded = {s.id for s in self_care}
    for session in _shown(plan, self_care):
        parts.append(_event(plan, session, phases.get(session.phase_id), zone, fixed, plan_url,
                            self_care_day=session.id in folded))
    for session in programme.cancelled:
        parts.append(_event(plan, session, phases.get(session.phase_id), zone, fixed, plan_url,
                            self_care_day=False, cancelled=True))
    parts.append(_END_CALENDAR)
    return b"".join(parts)


BOOK_A_CLINICIAN = "Book a clinician"
# The referral programme's own phases: self-care days the calendar does not list one by one.
REFERRAL_PHASES = frozenset(phase.id for phase in PLANS["refer"].phases)
SEEN_A_CLINICIAN = "Check in: seen a clinician yet?"


def _shown(plan: PlanRecord, self_care: list[Session]) -> list[Session]:
    """The events a calendar gets: every session, but of a referral's self-care days only the first
    (as "Book a clinician"). The programme's category, not the triage's: a referral a clinician
    cleared has a rehab programme, and a red-flag check-in turns a programme into a referral whose
    earlier training sessions, once published, must stay. So must the self-care days of an
    earlier referral that a clearance published: only the current referral's (`self_care`, from
    `_current_self_care`) are folded."""
    hidden = {s.id for s in self_care[1:]}
    return [s for s in plan.programme.sessions if s.id not in hidden]


def _current_self_care(plan: PlanRecord) -> list[Session]:
    """The self-care days of the referral the plan is in now: those after the last clearance (all
    of them when there was none). A clearance published the self-care days it kept, those on or
    before its day (a programme that is not a referral shows every session), and they keep their
    own titles; a referral made again later (a red check-in) adds its own days after it."""
    if plan.programme.category != "refer":
        return []
    cleared = max((c.date for c in plan.check_ins if c.session == CLEARANCE), default=None)
    return [s for s in plan.programme.sessions if s.kind == "session" and s.phase_id in REFERRAL_PHASES
            and (cleared is None or s.date > cleared)]


def event_title(plan: PlanRecord, session: Session, *, self_care_day: bool) -> str:
    """What to do, in under 40 characters (wording.short_title), or the referral's two events.
    `self_care_day`: a day of the current referral's safe self-care (`_current_self_care`), shown
    as "Book a clinician"."""
    if plan.programme.category == "refer" and session.kind == "gate":
        return SEEN_A_CLINICIAN
    if self_care_day:
        return BOOK_A_CLINICIAN
    return wording.short_title(session)


def sequence_of(session: Session) -> int:
    """The session's SEQUENCE: 1, raised by each revision that changed or cancelled it."""
    return 1 + session.sequence


def event_uid(plan_id: str, session_id: str) -> str:
    return f"{session_id}.{plan_id}@{UID_DOMAIN}"


def vtimezone_ical(zone_name: str, first: dt.date, last: dt.date) -> bytes:
    """The zone's VTIMEZONE covering first..last, serialised. Built once per (zone, range) per
    process: walking a zone's transitions costs milliseconds, and every feed of a programme
    starting the same day in the same zone shares it."""
    with _timezones_lock:
        return _vtimezone_ical(zone_name, first, last)


@lru_cache(maxsize=512)
def _vtimezone_ical(zone_name: str, first: dt.date, last: dt.date) -> bytes:
    return Timezone.from_tzid(zone_name, first_date=first, last_date=last).to_ical()


def session_description(session: Session, phase: Phase | None, plan_url: str, disclaimer: str) -> str:
    """What to do, in plain text a phone shows under the event. The how-to cues are on the plan
    page it links to: fifty events each carrying every cue would make a heavy feed to poll."""
    lines = [f"Running: {wording.running_text(session.running, session.running_note)}"]
    if session.prescriptions:
        lines.append("Exercises (each link shows a drawing and how to do it):")
        for p in session.prescriptions:
            lines.append(f"- {p.name}: {p.dosage.text}")
            lines.append(f"  {plan_url}#{figures.anchor(p.name)}")
    if phase is not None:
        lines.append(f"Phase goal: {phase.goal}")
    lines.append(f"How to do each exercise: {plan_url}")
    lines.append(disclaimer)
    return "\n".join(lines)


def referral_description(plan: PlanRecord, plan_url: str) -> str:
    """The "Book a clinician" event: why, what is safe until then, and the plan."""
    lines = ["Please book a physiotherapist or doctor now, ideally within a few days."]
    lines += [item.text for item in wording.until_seen(plan.programme)]
    lines += [f"Your plan: {plan_url}", plan.programme.disclaimer]
    return "\n".join(lines)


def _event(plan: PlanRecord, session: Session, phase: Phase | None, zone: ZoneInfo, fixed: bytes,
           plan_url: str, *, self_care_day: bool, cancelled: bool = False) -> bytes:
    """One VEVENT. Written line by line with icalendar's own value types for the text, because
    icalendar's component serialiser folds lines a character at a time: 30 ms for a full
    programme against the 10 ms the feed is allowed (design.md §5)."""
    starts = session.starts_at(zone)
    # Wall-clock arithmetic: a session that spans a clock change still ends N minutes later by
    # the runner's watch, the way they planned it; an end the clocks skip (00:45 + 30 minutes on
    # the night they spring forward) is written as the time it is (02:15), as the start is.
    ends = _existing(starts + dt.timedelta(minutes=session.duration_minutes))
    summary = _text(event_title(plan, session, self_care_day=self_care_day))
    if self_care_day:
        description = referral_description(plan, plan_url)
    else:
        description = session_description(session, phase, plan_url, plan.programme.disclaimer)
    head = b"".join((
        b"BEGIN:VEVENT\r\n",
        _line("UID", _text(event_uid(plan.plan_id, session.id))),
        _line("SUMMARY", summary),
        _line(*_local("DTSTART", starts)),
        _line(*_local("DTEND", ends)),
        fixed,
        _line("CLASS", "PRIVATE"),
        _line("SEQUENCE", str(sequence_of(session))),
    ))
    if cancelled:
        # No alarm for a session that is off; the description says where the current plan is.
        return head + _line("STATUS", "CANCELLED") + _line("DESCRIPTION", _text(
            f"Cancelled by a change to your plan. The current plan: {plan_url}")) + b"END:VEVENT\r\n"
    return head + b"".join((
        _line("DESCRIPTION", _text(description)),
        b"BEGIN:VALARM\r\nACTION:DISPLAY\r\n",
        _line("DESCRIPTION", summary),
        _line("TRIGGER", vDuration(-REMINDER_BEFORE).to_ical().decode("ascii")),
        b"END:VALARM\r\nEND:VEVENT\r\n",
    ))


def _existing(moment: dt.datetime) -> dt.datetime:
    """The same instant as an existing local time: a wall time in a gap read with the offset from
    before it (RFC 5545 §3.3.5, PEP 495's fold=0), otherwise unchanged."""
    return moment.astimezone(dt.UTC).astimezone(moment.tzinfo)


def _local(name: str, moment: dt.datetime) -> tuple[str, str]:
    zone_name = str(moment.tzinfo)
    if zone_name == "UTC":
        return name, _utc_text(moment)
    return f"{name};TZID={zone_name}", moment.strftime("%Y%m%dT%H%M%S")


def _text(value: str) -> str:
    """TEXT escaped as RFC 5545 §3.3.11 says: backslash first, then ";", "," and line breaks.
    Not icalendar's vText, which first reads a literal backslash-N in the text as a line break."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def _uri(value: str) -> str:
    return vUri(value).to_ical().decode("utf-8")


def _line(name: str, value: str) -> bytes:
    """One content line, folded at 75 octets as RFC 5545 §3.1 asks: never inside a UTF-8
    character, and never just after a backslash (some clients mis-read a folded escape)."""
    line = f"{name}:{value}".encode()
    if len(line) <= _FOLD_AT:
        return line + b"\r\n"
    pieces = []
    start, limit = 0, _FOLD_AT
    while len(line) - start > limit:
        end = start + limit
        while line[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back off to the character start
            end -= 1
        backslashes = 0
        while end - 1 - backslashes >= start and line[end - 1 - backslashes] == 0x5C:
            backslashes += 1
        if backslashes % 2:  # the chunk would end inside an escape ("\\,", "\\n"): keep it whole
            end -= 1
        pieces.append(line[start:end])
        start, limit = end, _FOLD_AT - 1  # continuation lines start with a space
    pieces.append(line[start:])
    return b"\r\n ".join(pieces) + b"\r\n"


_FOLD_AT = 75
_END_CALENDAR = b"END:VCALENDAR\r\n"


def _utc_text(moment: dt.datetime) -> str:
    return as_utc(moment).strftime("%Y%m%dT%H%M%SZ")
