from datetime import timedelta

from django.utils import timezone

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
