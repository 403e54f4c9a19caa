"""School days and the cut-off for meal changes (Europe/Rome business dates)."""

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from services.core.clock import at_rome_time, is_working_day

from .models import CalendarBreak, SchoolCutoff


def is_school_day(day: date, school_id: int | None = None, breaks: list | None = None) -> bool:
    """Monday to Friday, not an Italian public holiday, not in a break of the calendar (for all schools or this one).
    `breaks` (from breaks_between) spares a query per day when many days are asked."""
    if not is_working_day(day):
        return False
    if breaks is None:
        breaks = breaks_between(day, day)
    return not any(b.start <= day <= b.end and (b.school_id is None or b.school_id == school_id) for b in breaks)


def breaks_between(start: date, end: date) -> list:
    """The calendar's breaks that touch these days, in one query."""
    return list(CalendarBreak.objects.filter(start__lte=end, end__gte=start).only("start", "end", "school_id"))


def cutoff_time(school_id: int | None = None, times: dict | None = None) -> time:
    """The one home of the cut-off: the school's own time (SchoolCutoff), or MEALS_CUTOFF (default 09:00). `times`
    (from cutoff_times) spares a query per child."""
    if school_id is not None:
        own = times.get(school_id) if times is not None else (
            SchoolCutoff.objects.filter(school_id=school_id).values_list("time", flat=True).first())
        if own is not None:
            return own
    hour, minute = (int(x) for x in settings.MEALS_CUTOFF.split(":"))
    return time(hour, minute)


def cutoff_times() -> dict:
    """Every school's own cut-off, in one query."""
    return dict(SchoolCutoff.objects.values_list("school_id", "time"))


def cutoff(day: date, school_id: int | None = None, times: dict | None = None) -> datetime:
    """Changes for `day` are accepted until the cut-off (the school's, or the Comune's) Europe/Rome of that day."""
    return at_rome_time(day, cutoff_time(school_id, times))


def can_change(day: date, now: datetime | None = None, school_id: int | None = None, times: dict | None = None) -> bool:
    return (now or timezone.now()) < cutoff(day, school_id, times)
