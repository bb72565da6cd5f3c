"""Progress you can see: the pain series, sessions against the plan, gates, and the one sentence."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from rehab.progress import (
    PAIN_BANDS,
    SENTENCES,
    GateDate,
    PainReading,
    Point,
    SessionMark,
    pain_band,
    progress,
)
from rehab.rules import ACCEPTABLE_PAIN_MAX, SAFE_PAIN_MAX

MONDAY = dt.date(2026, 3, 16)


def day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


def done(offset: int, during: int | None = None, morning: int | None = None, session: str = "done") -> Point:
    return Point(day(offset), session, during, morning)


# Monday, Wednesday, Friday for four weeks.
PLANNED = [day(week * 7 + weekday) for week in range(4) for weekday in (0, 2, 4)]

# The sentence, as a table of vignettes: (name, check-ins, today, wording id, what is said).
SCENARIOS = [
    ("falling", [done(0, 5, 4), done(2, 4, 3), done(4, 3), done(7, 3, 2), done(10, 2, 1)], day(11),
     "progress_down", "Your pain has come down from 5 to 2 over 10 days."),
    ("flat for a week", [done(0, 3, 3), done(2, 3), done(4, None, 3), done(7, 3, 2)], day(8),
     "progress_same", "Your pain has stayed at 3 over a week."),
    ("rising into amber", [done(0, 2, 1), done(2, 3), done(4, 5, 4)], day(4),
     "progress_up_amber",
     "Your pain has gone up from 2 to 5 over 4 days: that is acceptable if it settles by the next morning; "
     "if it does not, do less next time."),
    ("rising into red", [done(0, 2), done(2, 4), done(14, 7, 6)], day(14),
     "progress_up_red",
     "Your pain has gone up from 2 to 7 over 2 weeks: that is above 5, so do less next time."),
    ("rising but still safe", [done(0, 1), done(1, 3)], day(2),
     "progress_up_green", "Your pain has gone up from 1 to 3 over a day, still within the safe 0 to 3: carry "
                          "on, and keep telling me how it feels."),
    ("up and back", [done(0, 3), done(2, 5), done(4, 1), done(9, 3)], day(9),
     "progress_back_to_start", "Your pain is back at 3, where it started, after being between 1 and 5 over "
                               "9 days."),
    ("one point", [done(0, 4)], day(0),
     "progress_one_score",
     "Your first pain score is 4 out of 10: check in after your next session to see how it changes."),
    ("empty", [], day(3),
     "progress_no_check_ins", "No check-ins yet: tell me after your next session how it went."),
    ("missed only", [done(0, session="missed"), done(2, session="missed")], day(3),
     "progress_missed_only", "You have logged 2 missed sessions and no pain scores yet: tell me after your "
                             "next session how it went."),
    ("one missed", [done(0, session="missed")], day(1),
     "progress_missed_only", "You have logged 1 missed session and no pain scores yet: tell me after your "
                             "next session how it went."),
    ("done without scores", [done(0), done(2, session="missed")], day(3),
     "progress_no_scores", "No pain scores yet: after your next session, tell me your pain during it and the "
                           "next morning."),
    ("a gate check only", [done(5, session="gate")], day(5),
     "progress_no_scores", "No pain scores yet: after your next session, tell me your pain during it and the "
                           "next morning."),
    ("next morning worse than during", [done(0, 2, 2), done(3, 2, 6)], day(4),
     "progress_up_red",
     "Your pain has gone up from 2 to 6 over 3 days: that is above 5, so do less next time."),
    ("a score only the next morning", [done(0, None, 6), done(5, None, 4)], day(6),
     "progress_down", "Your pain has come down from 6 to 4 over 5 days."),
]


@pytest.mark.parametrize(("check_ins", "today", "wording_id", "text"),
                         [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_the_sentence_says_how_pain_has_moved(check_ins, today, wording_id, text):
    summary = progress(check_ins, planned=PLANNED, today=today, start=MONDAY)

    said = summary.said()

    assert (said.id, said.text) == (wording_id, text)
    assert summary.sentence() == text


def test_every_sentence_has_an_id_a_condition_and_a_source_and_every_one_can_be_said():
    ids = [wording.id for wording in SENTENCES]
    assert len(ids) == len(set(ids))
    assert all(wording.when and wording.source and wording.text for wording in SENTENCES)
    said = {s[3] for s in SCENARIOS}
    assert said == set(ids), "a wording no scenario reaches, or a scenario with no wording"


def test_the_numbers_the_advice_states_come_from_the_pain_thresholds():
    def said_after(score: int) -> str:
        return progress([done(0, 0), done(1, score)], planned=[], today=day(1)).sentence()

    up_green, up_red = said_after(SAFE_PAIN_MAX.value), said_after(ACCEPTABLE_PAIN_MAX.value + 1)

    assert f"safe 0 to {SAFE_PAIN_MAX.value}:" in up_green
    assert f"above {ACCEPTABLE_PAIN_MAX.value}, so do less" in up_red


@pytest.mark.parametrize(("score", "band"), [(0, "green"), (3, "green"), (4, "amber"), (5, "amber"),
                                             (6, "red"), (10, "red")])
def test_the_bands_follow_the_one_pain_rule(score, band):
    assert pain_band(score).id == band


def test_the_bands_cover_the_scale_without_gaps_or_overlaps():
    covered = [score for band in PAIN_BANDS for score in range(band.low, band.high + 1)]
    assert covered == list(range(0, 11))


def test_the_pain_series_keeps_one_reading_per_day_with_either_score():
    summary = progress([done(0, 5, None), done(2, session="missed"), done(3, None, 4), done(5, 3, 2)],
                       planned=PLANNED, today=day(6))

    assert summary.readings == (PainReading(day(0), 5, None), PainReading(day(3), None, 4),
                                PainReading(day(5), 3, 2))
    assert [r.worst for r in summary.readings] == [5, 4, 3]


def test_two_check_ins_on_one_day_read_as_the_last_session_and_the_last_score_given():
    summary = progress([done(0, 6, None, "partial"), done(0, 4, None), done(0, None, 3, "gate")],
                       planned=PLANNED, today=day(1))

    assert summary.readings == (PainReading(day(0), 4, 3),)
    assert summary.sessions[0] == SessionMark(day(0), "done", planned=True)
    assert summary.check_ins == 3


def test_sessions_are_counted_against_those_planned_up_to_today():
    # Planned: Mon 0, Wed 2, Fri 4, Mon 7, Wed 9 up to today (day 9); a run on Saturday (5) was extra.
    check_ins = [done(0, 3), done(2, session="partial"), done(5, 2), done(7, session="missed")]

    summary = progress(check_ins, planned=PLANNED, today=day(9))

    assert [(m.date, m.status, m.planned) for m in summary.sessions] == [
        (day(0), "done", True), (day(2), "partial", True), (day(4), "not_logged", True),
        (day(5), "done", False), (day(7), "missed", True), (day(9), "not_logged", True),
    ]
    assert summary.planned == 5
    assert {s: summary.count(s) for s in ("done", "partial", "missed", "not_logged")} == {
        "done": 2, "partial": 1, "missed": 1, "not_logged": 2}


def test_gates_come_as_dates_or_labelled_and_are_kept_in_order_once_each():
    summary = progress([done(0, 3)], planned=PLANNED, today=day(1),
                       gates=[GateDate(day(20), "Return-to-run check"), day(6), day(6)])

    assert summary.gates == (GateDate(day(6), "Gate check"), GateDate(day(20), "Return-to-run check"))
    assert summary.days() == (MONDAY, day(20))


def test_the_days_shown_run_from_the_start_to_today_and_are_none_before_a_check_in():
    assert progress([], planned=PLANNED, today=day(3), start=MONDAY).days() is None
    summary = progress([done(4, 2)], planned=PLANNED, today=day(9), start=day(-2))
    assert summary.days() == (day(-2), day(9))


def test_anything_with_the_check_in_fields_will_do():
    # Shaped like the plan store's LoggedCheckIn, with fields the summary does not read.
    logged = [SimpleNamespace(number=1, date=day(0), session="done", pain_during=5, pain_next_morning=4,
                              verdict="hold", light="amber", revision=1),
              SimpleNamespace(number=2, date=day(10), session="done", pain_during=2, pain_next_morning=1,
                              verdict="progress", light="green", revision=2)]

    assert progress(logged, planned=PLANNED, today=day(11)).sentence() == (
        "Your pain has come down from 5 to 2 over 10 days.")


@pytest.mark.parametrize(("point", "message"), [
    (Point(MONDAY, "skipped", 3), "session must be one of"),
    (Point(MONDAY, "done", 11), "pain_during must be a whole number from 0 to 10"),
    (Point(MONDAY, "done", -1), "pain_during must be a whole number"),
    (Point(MONDAY, "done", None, True), "pain_next_morning must be a whole number"),
    (Point(MONDAY, "done", 2.5), "pain_during must be a whole number"),
    (Point(dt.datetime(2026, 3, 16, 7), "done", 3), "date must be a date"),
])
def test_a_check_in_that_is_not_one_is_refused_by_name(point, message):
    with pytest.raises(ValueError, match=message):
        progress([point], planned=PLANNED, today=day(1))
