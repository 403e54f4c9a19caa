from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from prometheus_client.core import GaugeMetricFamily

from services.core.health import ERROR, OK, WARN, Result

from .models import Registration
from .states import Status


def registrations() -> Result:
    failed = Registration.objects.filter(status=Status.FAILED).count()
    stale = Registration.objects.filter(status=Status.PENDING, created_at__lt=timezone.now() - timedelta(hours=1)).count()
    manual = Registration.objects.filter(status=Status.MANUAL).count()
    if failed:
        return Result("protocol", WARN, f"{failed} protocollazioni non riuscite da rivedere", failed)
    if stale:
        return Result("protocol", ERROR if stale > 50 else WARN, f"{stale} protocollazioni in corso da oltre un'ora", stale)
    return Result("protocol", OK, f"nessuna protocollazione in sospeso ({manual} in attesa di registrazione manuale)", 0)


def registrations_by_state():
    """Registrations not yet done (in progress, waiting for a clerk, failed), by state: for the operators' alerts."""
    gauge = GaugeMetricFamily("sportello_protocol_registrations", "Protocol registrations without a number, by state.",
                              labels=["state"])
    found = dict(Registration.objects.exclude(status=Status.REGISTERED).values_list("status").annotate(n=Count("id")))
    for state in (Status.PENDING, Status.MANUAL, Status.FAILED):
        gauge.add_metric([state], found.get(state, 0))
    yield gauge
