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


@shared_task
def isee_verify(istanza_id: int):
    """A MENSA application submitted with a declared ISEE: compared with INPS's attestation; the result kept on the
    application, written in its history and, when it differs or INPS has none, sent to the office as an alert."""
    from .isee_checks import verify_one

    return verify_one(istanza_id)


@shared_task
def isee_verify_pending():
    """The sweep: declared ISEE not yet checked (INPS did not answer, or the broker was down at submission)."""
    from .isee_checks import verify_pending

    return verify_pending()
