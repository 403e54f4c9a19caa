"""Payments' health (core.health): pagoPA reachable within the time limit, and the oldest difference the nightly
reconciliation found and nobody resolved."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from services.core.health import OK, Result, age_result, http_probe

from .models import ReconciliationIssue


def pagopa() -> Result:
    if settings.PAGOPA_SANDBOX_ENABLED:
        return Result("pagopa", OK, "sandbox pagoPA locale")
    return http_probe("pagopa", settings.PAGOPA_GPD_URL, "pagoPA")


def reconciliation() -> Result:
    oldest = ReconciliationIssue.objects.filter(resolved_at__isnull=True).aggregate(day=Min("found_on"))["day"]
    age = timezone.now() - timezone.make_aware(timezone.datetime.combine(oldest, timezone.datetime.min.time())) if oldest else None
    return age_result("reconciliation", age, warn=timedelta(days=1), error=timedelta(days=7),
                      what="la differenza di riconciliazione più vecchia non risolta è di", none_ok="nessuna differenza aperta")


def unpublished() -> Result:
    """The oldest position not yet on GPD: one that stays so is a lost publish task, or pagoPA refusing."""
    from .models import PaymentPosition
    from .states import PositionStatus

    oldest = PaymentPosition.objects.filter(status=PositionStatus.NEW).aggregate(at=Min("created_at"))["at"]
    return age_result("payments_unpublished", timezone.now() - oldest if oldest else None, warn=timedelta(minutes=15),
                      error=timedelta(hours=1), what="l'avviso più vecchio non ancora pubblicato su pagoPA attende da",
                      none_ok="tutti gli avvisi sono pubblicati")
