from celery import shared_task

from .client import PagoPAError


@shared_task(autoretry_for=(PagoPAError,), retry_backoff=True, max_retries=8)
def publish_position(position_id: int):
    from .actions import position_publish
    from .models import PaymentPosition

    return position_publish(position=PaymentPosition.objects.get(pk=position_id)).status


@shared_task
def poll_receipts():
    """Every 5 minutes: receipts of the last days for positions still open (a lost push is found here)."""
    from .actions import receipts_poll

    return receipts_poll()


@shared_task
def mop_up():
    """Every 15 minutes: citizens who went to Checkout and never came back."""
    from .actions import positions_mop_up

    return positions_mop_up()


@shared_task
def reconcile():
    """Nightly: differences between pagoPA and Sportello for the admin report."""
    from .actions import reconcile as run

    return run()
