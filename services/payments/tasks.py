from celery import shared_task

from .client import PagoPAError


@shared_task(bind=True, max_retries=8)
def publish_position(self, position_id: int):
    """After a position is created: put it on GPD so any PSP can find its notice number."""
    from .actions import position_publish
    from .models import PaymentPosition

    try:
        return position_publish(position=PaymentPosition.objects.get(pk=position_id)).status
    except PagoPAError as error:
        if self.request.is_eager:
            return "NEW"  # in-process jobs: publishing happens again at checkout or at the next reconciliation
        raise self.retry(exc=error, countdown=min(600, 30 * 2 ** self.request.retries)) from error


@shared_task
def poll_receipts():
    """Every 5 minutes: receipts of the last days for positions still open (a lost push is found here)."""
    from .actions import receipts_poll

    return receipts_poll()


@shared_task
def mop_up():
    """Every 15 minutes: positions whose publication was lost, and citizens who went to Checkout and never came back."""
    from .actions import positions_mop_up, positions_publish_stuck

    return {"republished": positions_publish_stuck(), **positions_mop_up()}


@shared_task
def reconcile():
    """Nightly: differences between pagoPA and Sportello for the admin report."""
    from .actions import reconcile as run

    return run()


@shared_task
def remind_due() -> int:
    """Beat, each morning: notices due in a few days get one reminder."""
    from .actions import due_remind

    return due_remind()
