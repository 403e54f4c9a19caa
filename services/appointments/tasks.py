from celery import shared_task

from . import actions


@shared_task
def refresh_slots():
    """Nightly: slots up to each type's horizon; closures applied."""
    return actions.slots_refresh()


@shared_task
def expire_pending():
    """Every few minutes: unconfirmed appointments and expired holds give their places back."""
    return actions.pending_expire()


@shared_task
def send_reminders():
    """Hourly: the reminder the day before."""
    return actions.reminders_send()
