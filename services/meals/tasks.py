from celery import shared_task
from django.utils import timezone


@shared_task
def charge_today():
    """The day's meal charges, keyed by the Europe/Rome business date of the moment it runs."""
    from .charges import charge_day

    result = charge_day(timezone.localdate())
    return {**result, "amount": str(result["amount"])}
