"""Working days: Monday to Friday, excluding Italian public holidays (and an optional patron saint's day)."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _italian_holidays(year: int):
    return holidays.Italy(years=year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _italian_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself does not count)."""
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_working_day(current):
            counted += 1
    return current
