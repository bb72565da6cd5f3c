"""The calendar feed, read back by parsers that did not write it: vobject (its own parser and
time-zone code) and recurring-ical-events (what calendar apps do: expand a date range)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events
import vobject
from hypothesis import example, given, settings
from hypothesis import strategies as st
from plan_samples import FILED_AT, full_plan, plan_for

from exporter import figures, wording
from exporter.ics import BOOK_A_CLINICIAN, render_ics, vtimezone_ical
from tests.samples import SEVERE_TEAR, STRAIN, TENDINOPATHY, TIGHTNESS

PLAN_URL = "https://coach.example/plans/Zx9fK2LmQp4RtV7wYb1cN3dE5gH8jA0s"


def parse(feed: bytes):
    return vobject.readOne(feed.decode("utf-8"))


def raw_lines(feed: bytes) -> list[bytes]:
    """Physical lines, before unfolding."""
    assert feed.endswith(b"\r\n")
    return feed[:-2].split(b"\r\n")


def unfolded(feed: bytes) -> list[str]:
    return feed.decode("utf-8").replace("\r\n ", "").split("\r\n")


@pytest.fixture(scope="module")
def plan():
    return full_plan()


@pytest.fixture(scope="module")
def feed(plan) -> bytes:
    return render_ics(plan, plan_url=PLAN_URL)


def test_there_is_one_event_per_session_and_no_recurrence_rule(feed, plan):
    events = parse(feed).vevent_list
    assert len(events) == len(plan.programme.sessions) > 0
    assert all("rrule" not in event.contents for event in events)


def test_sessions_stay_at_the_chosen_local_time_across_the_uk_clock_change(feed, plan):
    london = ZoneInfo("Europe/London")
    starts = [event.dtstart.value for event in parse(feed).vevent_list]
    assert all(start.astimezone(london).time() == dt.time(7, 0) for start in starts)
    offsets = {start.date() < dt.date(2026, 3, 29): start.utcoffset() for start in starts}
    assert offsets == {True: dt.timedelta(0), False: dt.timedelta(hours=1)}  # GMT, then BST


def test_a_new_york_programme_keeps_its_time_across_the_us_clock_change():
    plan = plan_for(STRAIN, timezone="America/New_York", start=dt.date(2026, 3, 2), time="18:30",
                    weekdays=("TU", "TH", "SA"))
    feed = render_ics(plan, plan_url=PLAN_URL)
    calendar = icalendar.Calendar.from_ical(feed)
    events = recurring_ical_events.of(calendar).between(dt.date(2026, 3, 1), dt.date(2026, 12, 31))
    assert len(events) == len(plan.programme.sessions)
    new_york = ZoneInfo("America/New_York")
    local_times = {event["DTSTART"].dt.astimezone(new_york).time() for event in events}
    assert local_times == {dt.time(18, 30)}
    utc_hours = {event["DTSTART"].dt.astimezone(dt.UTC).hour for event in events}
    assert utc_hours == {23, 22}  # EST before 8 March, EDT after


@pytest.mark.parametrize(("zone", "start", "time", "gap_day", "written"), [
    ("Europe/London", dt.date(2027, 3, 20), "01:30", dt.date(2027, 3, 28), "20270328T023000"),
    ("America/New_York", dt.date(2027, 3, 7), "02:30", dt.date(2027, 3, 14), "20270314T033000"),
])
def test_a_session_at_a_time_the_clocks_skip_is_written_at_the_time_it_is(zone, start, time, gap_day,
                                                                         written):
    plan = plan_for(TIGHTNESS, timezone=zone, start=start, time=time, weekdays=("SU",))
    feed = render_ics(plan, plan_url=PLAN_URL)
    starts = [line for line in unfolded(feed) if line.startswith("DTSTART;")]

    assert f"DTSTART;TZID={zone}:{written}" in starts
    assert not any(f":{gap_day:%Y%m%d}T{time.replace(':', '')}00" in line for line in unfolded(feed))
    tz = ZoneInfo(zone)
    for event, session in zip(parse(feed).vevent_list, plan.programme.sessions, strict=True):
        assert event.dtstart.value.astimezone(tz).strftime("%H:%M") == session.start_time
    assert {event.dtstart.value.astimezone(tz).strftime("%H:%M") for event in parse(feed).vevent_list} == \
        {time, written[9:11] + ":" + written[11:13]}


def test_a_session_stored_at_a_skipped_time_is_written_when_rfc_5545_says_it_is():
    plan = plan_for(TIGHTNESS, start=dt.date(2027, 3, 20), time="01:30", weekdays=("SU",))
    # As a plan built before skipped times were moved holds it: 01:30 on 28 March, which London skips.
    sessions = tuple(s.model_copy(update={"start_time": "01:30"}) for s in plan.programme.sessions)
    old = dataclasses.replace(plan, programme=plan.programme.model_copy(update={"sessions": sessions}))
    lines = unfolded(render_ics(old, plan_url=PLAN_URL))

    assert "DTSTART;TZID=Europe/London:20270328T023000" in lines
    assert "DTSTART;TZID=Europe/London:20270321T013000" in lines


def test_a_session_ending_at_a_time_the_clocks_skip_ends_at_the_time_it_is():
    plan = plan_for(TIGHTNESS, start=dt.date(2027, 3, 20), time="00:45", weekdays=("SU",))
    lines = unfolded(render_ics(plan, plan_url=PLAN_URL))
    assert plan.programme.sessions[1].duration_minutes == 30

    assert "DTSTART;TZID=Europe/London:20270328T004500" in lines
    assert "DTEND;TZID=Europe/London:20270328T021500" in lines  # 00:45 GMT + 30 minutes is 02:15 BST


def test_each_event_lasts_the_session_length(feed, plan):
    for event, session in zip(parse(feed).vevent_list, plan.programme.sessions, strict=True):
        assert event.dtend.value - event.dtstart.value == dt.timedelta(minutes=session.duration_minutes)
        assert event.dtstart.value.date() == session.date


def test_uids_are_unique_and_the_same_in_every_render_and_revision(feed, plan):
    uids = [event.uid.value for event in parse(feed).vevent_list]
    assert len(set(uids)) == len(uids)
    assert all(plan.plan_id in uid for uid in uids)
    again = [event.uid.value for event in parse(render_ics(plan, plan_url=PLAN_URL)).vevent_list]
    revised = full_plan(revision=2)
    after_revision = [event.uid.value for event in parse(render_ics(revised, plan_url=PLAN_URL)).vevent_list]
    assert again == uids == after_revision


def test_another_plan_gets_other_uids(feed):
    other = full_plan(plan_id="0" * 32)
    ours = {event.uid.value for event in parse(feed).vevent_list}
    theirs = {event.uid.value for event in parse(render_ics(other, plan_url=PLAN_URL)).vevent_list}
    assert ours.isdisjoint(theirs)


def test_sequence_starts_at_1_as_revision_1_plans_always_wrote(feed):
    assert {event.sequence.value for event in parse(feed).vevent_list} == {"1"}


def stepped_back(plan):
    """The plan after a red session on its first day: the next revision, as the service keeps it."""
    from rehab.adaptation import advance
    from rehab.models import CheckIn

    first = plan.programme.sessions[0]
    red = CheckIn(date=first.date, session="done", pain_during=7, pain_next_morning=7)
    outcome = advance(plan.programme, (), red, answers=plan.answers, assessment=plan.assessment,
                      preferences=plan.preferences)
    assert outcome.changed
    return dataclasses.replace(plan, revision=outcome.programme.revision, programme=outcome.programme,
                               updated_at=plan.updated_at + dt.timedelta(days=1))


def test_a_revision_keeps_uids_raises_sequence_only_on_changed_events_and_cancels_removed_ones(plan):
    before = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        render_ics(plan, plan_url=PLAN_URL)).walk("VEVENT")}
    revised_plan = stepped_back(plan)
    after = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(
        render_ics(revised_plan, plan_url=PLAN_URL)).walk("VEVENT")}
    assert set(before) <= set(after), "a session the revision removed must stay, cancelled"
    changed = cancelled = 0
    for uid, event in after.items():
        sequence = int(event["SEQUENCE"])
        if uid not in before:
            assert sequence == 1  # a new session: a new UID, a first SEQUENCE
            continue
        old = before[uid]
        same = all(old.get(name) == event.get(name) for name in ("SUMMARY", "DESCRIPTION")) and \
            old.decoded("DTSTART") == event.decoded("DTSTART") and "STATUS" not in event
        if same:
            assert sequence == int(old["SEQUENCE"])
        else:
            assert sequence > int(old["SEQUENCE"])
            changed += 1
        if str(event.get("STATUS")) == "CANCELLED":
            cancelled += 1
            assert "VALARM" not in event.to_ical().decode()
    assert changed > 0
    by_id = {s.id: s for s in revised_plan.programme.cancelled}
    assert cancelled == len(by_id)
    first_day = plan.programme.sessions[0].date
    for uid, event in before.items():  # nothing on or before the check-in's day changes
        if event.decoded("DTSTART").date() <= first_day:
            assert after[uid]["SEQUENCE"] == event["SEQUENCE"]
            assert after[uid]["SUMMARY"] == event["SUMMARY"]


def test_dtstamp_is_the_plans_update_time_not_the_time_of_rendering(feed):
    stamps = {event.dtstamp.value for event in parse(feed).vevent_list}
    assert stamps == {FILED_AT}


def test_every_event_has_a_display_reminder_30_minutes_before(feed):
    for event in parse(feed).vevent_list:
        alarm = event.valarm
        assert alarm.action.value == "DISPLAY"
        assert alarm.trigger.value == -dt.timedelta(minutes=30)
        assert alarm.description.value


def test_the_description_says_what_to_do_with_doses_and_links_the_plan(feed, plan):
    for event, session in zip(parse(feed).vevent_list, plan.programme.sessions, strict=True):
        description = event.description.value
        for prescription in session.prescriptions:
            assert f"{prescription.name}: {prescription.dosage.text}" in description
            assert f"{PLAN_URL}#{figures.anchor(prescription.name)}" in description
        assert session.running_note in description
        assert PLAN_URL in description
        assert "not a substitute for professional medical advice" in description
        assert event.url.value == PLAN_URL
        assert event.summary.value == wording.short_title(session)


def test_the_calendar_names_itself_and_asks_to_be_refreshed_twice_a_day(feed):
    lines = unfolded(feed)
    assert "VERSION:2.0" in lines
    assert any(line.startswith("PRODID:-//Hamstring Coach//") for line in lines)
    assert "NAME:Hamstring plan" in lines and "X-WR-CALNAME:Hamstring plan" in lines
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT12H" in lines
    assert "X-PUBLISHED-TTL:PT12H" in lines
    calendar = parse(feed)
    assert calendar.contents["refresh-interval"][0].params["VALUE"] == ["DURATION"]


def test_the_calendar_description_reads_back_whole_with_its_commas_and_semicolons(feed, plan):
    expected = f"{plan.programme.title}. {plan.programme.disclaimer}"
    assert "," in expected and ";" in expected

    assert parse(feed).contents["x-wr-caldesc"][0].value == expected
    calendar = icalendar.Calendar.from_ical(feed)
    # icalendar keeps an X- property it has no type for as it was written: escaped as DESCRIPTION is.
    assert str(calendar["DESCRIPTION"]) == expected
    assert calendar["X-WR-CALDESC"].to_ical() == calendar["DESCRIPTION"].to_ical()


def test_a_published_feed_has_no_method(feed):
    assert not any(line.startswith("METHOD") for line in unfolded(feed))
    assert "method" not in parse(feed).contents


def test_the_time_zone_is_defined_once_and_only_for_the_programmes_dates(feed, plan):
    calendar = parse(feed)
    assert len(calendar.vtimezone_list) == 1
    zone = calendar.vtimezone
    assert zone.tzid.value == "Europe/London"
    observances = [child for child in zone.getChildren() if child.name in ("STANDARD", "DAYLIGHT")]
    onsets = sorted(observance.dtstart.value for observance in observances)
    first_session = plan.programme.sessions[0].date
    assert onsets[0].date() >= first_session - dt.timedelta(days=1)
    assert [o.dtstart.value for o in observances if o.name == "DAYLIGHT"] == [dt.datetime(2026, 3, 29, 2, 0)]
    starts = [line for line in unfolded(feed) if line.startswith(("DTSTART", "DTEND"))]
    event_starts = starts[len(observances):]  # after the observances' own DTSTARTs
    assert len(event_starts) == 2 * len(plan.programme.sessions)
    in_london = ("DTSTART;TZID=Europe/London:", "DTEND;TZID=Europe/London:")
    assert all(line.startswith(in_london) for line in event_starts)


def test_a_zone_and_date_range_is_built_once_and_reused():
    first = vtimezone_ical("Asia/Tokyo", dt.date(2026, 5, 4), dt.date(2026, 7, 1))
    assert vtimezone_ical("Asia/Tokyo", dt.date(2026, 5, 4), dt.date(2026, 7, 1)) is first


def test_a_plan_in_utc_needs_no_time_zone_definition():
    plan = plan_for(TIGHTNESS, timezone="UTC")
    calendar = parse(render_ics(plan, plan_url=PLAN_URL))
    assert "vtimezone" not in calendar.contents
    assert {event.dtstart.value.utcoffset() for event in calendar.vevent_list} == {dt.timedelta(0)}
    assert {event.dtstart.value.time() for event in calendar.vevent_list} == {dt.time(7, 0)}


def test_the_same_revision_gives_byte_identical_feeds(feed, plan):
    assert render_ics(plan, plan_url=PLAN_URL) == feed


def test_lines_end_in_crlf_and_are_folded_at_75_octets_between_characters(feed):
    assert b"\n" not in feed.replace(b"\r\n", b"")
    for line in raw_lines(feed):
        assert len(line) <= 75
        line.decode("utf-8")  # a fold never cuts a character in half


def test_icalendar_reads_back_what_vobject_reads(feed):
    calendar = icalendar.Calendar.from_ical(feed)
    events = calendar.walk("VEVENT")
    ours = parse(feed).vevent_list
    assert [str(event["UID"]) for event in events] == [event.uid.value for event in ours]
    assert [str(event["DESCRIPTION"]) for event in events] == [event.description.value for event in ours]


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r") | st.sampled_from(
        ["\\", ",", ";", "\n", "é", "—", "Ж", "😀", ":"]),
    min_size=1, max_size=300,
)


@settings(max_examples=60, deadline=None)
@given(title=TEXT)
@example(title="\\N")  # icalendar's vText reads a literal backslash-N as a line break
def test_any_running_note_survives_escaping_and_folding(title):
    plan = plan_for(TIGHTNESS)
    sessions = (plan.programme.sessions[0].model_copy(update={"running_note": title}),)
    odd = dataclasses.replace(plan, programme=plan.programme.model_copy(update={"sessions": sessions}))
    feed = render_ics(odd, plan_url=PLAN_URL)
    for line in raw_lines(feed):
        assert len(line) <= 75
        line.decode("utf-8")
    event = parse(feed).vevent
    assert f"Running: {title}" in event.description.value


# ---- the calendar on a lock screen (issue 12) -----------------------------------------------------


@pytest.mark.parametrize("answers", [TIGHTNESS, TENDINOPATHY, STRAIN],
                         ids=["tightness", "tendinopathy", "strain"])
def test_event_titles_lead_with_what_to_do_and_fit_a_lock_screen(answers):
    plan = plan_for(answers)
    events = parse(render_ics(plan, plan_url=PLAN_URL)).vevent_list
    assert events
    for event in events:
        title = event.summary.value
        assert len(title) < 40, title
        assert re.fullmatch(r"(Step back: )?[A-Z][a-z -]+( \+ [a-z -]+)?, week \d+", title), title
        assert "Hamstring" not in title and "Week" not in title


def test_every_event_is_private():
    feed = render_ics(full_plan(), plan_url=PLAN_URL)
    events = parse(feed).vevent_list
    assert [event.contents["class"][0].value for event in events] == ["PRIVATE"] * len(events)


def test_a_referral_calendar_opens_with_book_a_clinician_not_rest_reminders():
    plan = plan_for(SEVERE_TEAR)
    assert plan.assessment.category == "refer"
    events = sorted(parse(render_ics(plan, plan_url=PLAN_URL)).vevent_list, key=lambda e: e.dtstart.value)
    assert events[0].summary.value == BOOK_A_CLINICIAN
    assert "book a physiotherapist or doctor" in events[0].description.value
    first_day = min(s.date for s in plan.programme.sessions if s.kind == "session")
    assert events[0].dtstart.value.date() == first_day
    # Then only the check-in that asks whether a clinician has seen it: no days of rest.
    assert [e.summary.value for e in events[1:]] == ["Check in: seen a clinician yet?"]
