"""The calendar words and the two clock readings every layer needs, said once.

Weekday codes are the public ones of design.md §3 (`MO` … `SU`, in the order `date.weekday()`
counts); their names and the month names are spelled out here rather than read from the `calendar`
module or `strftime`, which follow the host's locale, so the page, the PDF and the voice say the
same word on every machine.

Standard library only: the skill's first turn reads the weekday codes, and that turn must not wait
for pydantic.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from zoneinfo import ZoneInfo

WEEKDAY_NAMES: MappingProxyType[str, str] = MappingProxyType({
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday",
    "SA": "Saturday", "SU": "Sunday",
})
# The codes, Monday first (rehab.models.WEEKDAYS holds the same codes as the API's type).
WEEKDAYS: tuple[str, ...] = tuple(WEEKDAY_NAMES)
MONTH_NAMES: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December")


def weekday_code(day: dt.date) -> str:
    """`MO` for a Monday."""
    return WEEKDAYS[day.weekday()]


def weekday_name(day: dt.date) -> str:
    """`Monday` for a Monday."""
    return WEEKDAY_NAMES[weekday_code(day)]


def month_name(day: dt.date) -> str:
    return MONTH_NAMES[day.month - 1]


def today_in(zone_name: str, now: dt.datetime) -> dt.date:
    """The runner's today: the date it is at `now` in their zone (an IANA name), not the server's.
    `now` must be timezone-aware; a naive time names no instant."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("today_in needs a timezone-aware time")
    return now.astimezone(ZoneInfo(zone_name)).date()


def as_utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC. A naive time is read as UTC already: that is how SQLite hands a
    stored time back, and how older records hold theirs."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
