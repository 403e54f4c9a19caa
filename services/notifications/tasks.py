from celery import shared_task


@shared_task(bind=True, max_retries=3, default_retry_delay=60, acks_late=True)
def send_broadcast(self, broadcast_id: int) -> dict:
    from .actions import broadcast_send

    try:
        return broadcast_send(broadcast_id=broadcast_id)
    except Exception as error:  # a database hiccup: retry; deliveries already made are not repeated
        raise self.retry(exc=error) from error
