"""One weekday table, one "today in the runner's zone" and one reading of a time as UTC, for every
layer: rehab.clock."""

from __future__ import annotations

import datetime as dt
from typing import get_args

import pytest

from rehab import clock, models

LATE_ON_SUNDAY_IN_LONDON = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)


def test_the_weekday_codes_are_the_public_ones_monday_first():
    assert clock.WEEKDAYS == ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    # rehab.models spells the same codes as the API's type until it reads them from here.
    assert clock.WEEKDAYS == models.WEEKDAYS == get_args(models.Weekday)


def test_a_date_has_its_weekday_code_and_names_whatever_the_host_locale():
    monday = dt.date(2026, 3, 2)
    week = [monday + dt.timedelta(days=n) for n in range(7)]

    assert [clock.weekday_code(day) for day in week] == list(clock.WEEKDAYS)
    assert [clock.weekday_name(day) for day in week] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert clock.month_name(monday) == "March"
    assert clock.month_name(dt.date(2026, 12, 31)) == "December"


@pytest.mark.parametrize(("zone", "today"), [
    ("Europe/London", dt.date(2026, 3, 1)),
    ("Pacific/Auckland", dt.date(2026, 3, 2)),
    ("America/Los_Angeles", dt.date(2026, 3, 1)),
    ("UTC", dt.date(2026, 3, 1)),
])
def test_today_is_the_date_in_the_runners_zone_not_the_servers(zone, today):
    assert clock.today_in(zone, LATE_ON_SUNDAY_IN_LONDON) == today


def test_today_in_refuses_a_time_without_a_zone():
    with pytest.raises(ValueError, match="timezone-aware"):
        clock.today_in("Europe/London", dt.datetime(2026, 3, 1, 23, 30))


def test_a_time_in_another_zone_becomes_the_same_instant_in_utc():
    auckland = dt.datetime(2026, 3, 2, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=13)))

    moment = clock.as_utc(auckland)

    assert moment == auckland
    assert moment.tzinfo is dt.UTC
    assert (moment.date(), moment.hour, moment.minute) == (dt.date(2026, 3, 1), 23, 30)


def test_a_naive_time_is_read_as_utc_as_sqlite_hands_it_back():
    assert clock.as_utc(dt.datetime(2026, 3, 1, 23, 30)) == LATE_ON_SUNDAY_IN_LONDON
