"""The meal service's health (core.health): did the daily charge run when beat should have started it? Weekdays at
09:30 UTC (CELERY_BEAT_SCHEDULE["charge-meals"]); late by 15 minutes is a warning, by two hours an error."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from services.core.health import ERROR, OK, WARN, Result
from services.core.models import JobRun

TASK = "services.meals.tasks.charge_today"
RUNS_AT = time(9, 30)  # UTC, as the beat schedule says


def last_expected(now: datetime) -> datetime:
    day = now.astimezone(UTC).date()
    moment = datetime.combine(day, RUNS_AT, tzinfo=UTC)
    while moment > now or moment.weekday() >= 5:
        moment -= timedelta(days=1)
        moment = datetime.combine(moment.date(), RUNS_AT, tzinfo=UTC)
    return moment


def daily_charges(now: datetime | None = None) -> Result:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Result("daily_charges", OK, "nessuno scheduler: addebiti con manage.py meals_charge_day")
    now = now or timezone.now()
    expected = last_expected(now)
    run = JobRun.objects.filter(name=TASK).first()
    done = run.succeeded_at if run else None
    if done and done >= expected - timedelta(minutes=5):
        return Result("daily_charges", OK, f"ultimo addebito riuscito il {timezone.localtime(done):%d/%m/%Y %H:%M}",
                      round((now - done).total_seconds()))
    late = now - expected
    if done is None:  # a new deployment: nothing to compare with until beat has run it once
        return Result("daily_charges", WARN, "l'addebito giornaliero non è ancora mai stato eseguito dallo scheduler",
                      round(late.total_seconds()))
    status = ERROR if late >= timedelta(hours=2) else WARN if late >= timedelta(minutes=15) else OK
    when = f"{timezone.localtime(done):%d/%m/%Y %H:%M}"
    return Result("daily_charges", status, f"l'addebito delle {timezone.localtime(expected):%H:%M} non risulta riuscito (ultimo: {when})",
                  round(late.total_seconds()))
