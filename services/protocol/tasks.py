from datetime import timedelta

from django.utils import timezone

from celery import shared_task

from services.core import observability

from . import actions
from .models import Registration
from .states import Status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send(pk: int) -> str:
    registration = actions.registration_send(pk)
    return registration.status if registration else "skipped"


@shared_task
def requeue() -> int:
    """The sweep: registrations due (a backoff over, a dead worker's claim expired, a task the broker lost)."""
    due = list(Registration.objects.filter(status=Status.PENDING).exclude(next_attempt_at__gt=timezone.now())
               .exclude(created_at__gt=timezone.now() - timedelta(minutes=1)).values_list("pk", flat=True)[:500])
    observability.sweep_found("protocol_pending", len(due))
    for pk in due:
        send.delay(pk)
    return len(due)
