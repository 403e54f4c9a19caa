"""Europe/Rome time: the zone, business dates, local date-times, the school year and working days.

The database stores UTC; every date a person reads (a meal day, a deadline, a window's opening) is a date in
Rome. Rome is UTC+01:00 in winter and UTC+02:00 in summer, so a fixed offset is wrong half the year: every
local time in the code is built here, with the zone's rules.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

import holidays

ROME = ZoneInfo("Europe/Rome")


def rome(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """An aware date-time at that wall-clock time in Rome (e.g. a window's "31/03/2027 12:00")."""
    return datetime(year, month, day, hour, minute, second, tzinfo=ROME)


def at_rome_time(day: date, at: time) -> datetime:
    """`day` at the wall-clock time `at` in Rome, e.g. the 09:00 cut-off of a meal day."""
    return datetime.combine(day, at, tzinfo=ROME)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The instants a Rome calendar day begins and ends (half-open), also on the DST change days."""
    from datetime import timedelta

    return at_rome_time(day, time.min), at_rome_time(day + timedelta(days=1), time.min)


def business_date(now: datetime | None = None) -> date:
    """Today's date in Rome (also right between 22:00 and 24:00 UTC, when UTC has already moved on)."""
    return (now or timezone.now()).astimezone(ROME).date()


# The school year ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolYear:
    """1 September to 31 August. `label` is the short form used on enrollments: "2027/28"."""

    first_year: int

    @classmethod
    def of(cls, day: date) -> "SchoolYear":
        return cls(day.year if day.month >= 9 else day.year - 1)

    @classmethod
    def current(cls, today: date | None = None) -> "SchoolYear":
        return cls.of(today or business_date())

    @classmethod
    def next(cls, today: date | None = None) -> "SchoolYear":
        """Enrollments are for the next school year: the one starting after the current one."""
        return cls(cls.current(today).first_year + 1)

    @classmethod
    def from_label(cls, label: str) -> "SchoolYear":
        """"2027/28" (or "2027/2028") -> the year starting on 1 September 2027."""
        return cls(int(label[:4]))

    @property
    def label(self) -> str:
        return f"{self.first_year}/{str(self.first_year + 1)[-2:]}"

    @property
    def start(self) -> date:
        return date(self.first_year, 9, 1)

    @property
    def end(self) -> date:
        return date(self.first_year + 1, 8, 31)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


# Working days ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _holidays(year: int, patron: str) -> frozenset[date]:
    days = set(holidays.Italy(years=year))
    if patron:  # "MM-DD", e.g. "06-29" for Saints Peter and Paul in Rome
        month, day = (int(part) for part in patron.split("-"))
        days.add(date(year, month, day))
    return frozenset(days)


def is_public_holiday(day: date) -> bool:
    """An Italian public holiday, or the patron saint's day of the ente (settings.PATRON_SAINT_DAY, "MM-DD")."""
    return day in _holidays(day.year, getattr(settings, "PATRON_SAINT_DAY", ""))


def is_working_day(day: date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself does not count)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current
