from django.utils import timezone

from celery import shared_task


@shared_task
def charge_today():
    """The day's meal charges, keyed by the Europe/Rome business date of the moment it runs."""
    from .charges import charge_day

    result = charge_day(timezone.localdate())
    return {**result, "amount": str(result["amount"])}


@shared_task
def balance_reminders():
    """Low or negative balances: e-mail and SMS, at most every MEALS_REMINDER_EVERY_DAYS days per channel."""
    from .reminders import send_balance_reminders

    return send_balance_reminders()
