"""Workers of the outbox: tasks take ids and call one action."""

from celery import shared_task

from . import actions


@shared_task(acks_late=True, ignore_result=True)
def deliver(dispatch_id: int) -> str:
    return actions.dispatch_deliver(dispatch_id=dispatch_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_many(dispatch_ids: list[int]) -> int:
    """A batch of a broadcast's dispatches: one broker round trip for many messages."""
    return sum(outcome == "sent" for outcome in actions.dispatches_deliver(dispatch_ids=dispatch_ids).values())


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def fan_out_broadcast(self, broadcast_id: int) -> int:
    try:
        return actions.broadcast_fan_out(broadcast_id=broadcast_id)
    except Exception as error:  # a database hiccup: retry; families already reached are skipped
        raise self.retry(exc=error) from error


@shared_task
def requeue() -> int:
    """Beat, every 2 minutes: never-picked-up, interrupted and due-for-retry dispatches go back to the workers."""
    return actions.dispatches_requeue()


@shared_task
def refresh_io_statuses() -> int:
    return actions.io_statuses_refresh()


@shared_task
def staff_digest() -> int:
    """Beat, each working morning: the staff's daily e-mail of their unread alerts."""
    return actions.staff_digest_send()
