"""School days and the cut-off for meal changes (Europe/Rome business dates)."""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from services.core.clock import at_rome_time, is_working_day

from .models import CalendarBreak


def is_school_day(day: date, school_id: int | None = None) -> bool:
    """Monday to Friday, not an Italian public holiday, not in a break of the calendar (for all schools or this one)."""
    if not is_working_day(day):
        return False
    breaks = CalendarBreak.objects.filter(start__lte=day, end__gte=day)
    breaks = breaks.filter(Q(school__isnull=True) | Q(school_id=school_id)) if school_id else breaks.filter(school__isnull=True)
    return not breaks.exists()


def cutoff(day: date) -> datetime:
    """Changes for `day` are accepted until MEALS_CUTOFF (default 09:00) Europe/Rome of that day."""
    hour, minute = (int(x) for x in settings.MEALS_CUTOFF.split(":"))
    return at_rome_time(day, time(hour, minute))


def can_change(day: date, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < cutoff(day)
