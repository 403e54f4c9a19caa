"""The outbox's health and metrics (core.health, core.ops): the oldest message still on its way, App IO reachable,
and the outbox's depth by channel and state."""

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from prometheus_client.core import GaugeMetricFamily

from services.core.health import OK, Result, age_result, http_probe

from . import states
from .models import Dispatch

WARN_AFTER = timezone.timedelta(minutes=15)
ERROR_AFTER = timezone.timedelta(hours=1)


def oldest_undelivered() -> Result:
    oldest = Dispatch.objects.filter(status__in=states.PENDING).aggregate(at=Min("created_at"))["at"]
    return age_result("outbox", timezone.now() - oldest if oldest else None, warn=WARN_AFTER, error=ERROR_AFTER,
                      what="il messaggio più vecchio ancora da consegnare attende da", none_ok="nessun messaggio in attesa")


def app_io() -> Result:
    if not settings.IO_ENABLED:
        return Result("app_io", OK, "App IO non attiva")
    if settings.IO_SANDBOX_ENABLED:
        return Result("app_io", OK, "sandbox App IO locale")
    return http_probe("app_io", settings.IO_BASE_URL, "App IO")


def outbox_depth():
    gauge = GaugeMetricFamily("sportello_outbox_dispatches", "Dispatches not yet delivered or given up, by channel and state.",
                              labels=["channel", "state"])
    rows = (Dispatch.objects.filter(status__in=states.PENDING | states.UNSENT).values("channel", "status")
            .annotate(n=Count("id")))
    for row in rows:
        gauge.add_metric([row["channel"], row["status"]], row["n"])
    yield gauge
