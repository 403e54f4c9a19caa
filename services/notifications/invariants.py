"""The outbox's invariants (core.invariants): one message per event and recipient, one dispatch per channel, and —
once the system is idle — every dispatch delivered or visibly failed, none left waiting."""

from services.core import invariants

from .models import Dispatch, Message

WAITING = [Dispatch.Status.QUEUED, Dispatch.Status.SENDING, Dispatch.Status.RETRY]


def messages_once() -> list[str]:
    problems = []
    n = invariants.duplicates(Message.objects.filter(user__isnull=False), "event", "user")
    if n:
        problems.append(f"{n} messaggi ripetuti per lo stesso evento e destinatario")
    n = invariants.duplicates(Dispatch.objects.all(), "message", "channel")
    if n:
        problems.append(f"{n} invii ripetuti sullo stesso canale")
    return problems


def outbox_drained() -> list[str]:
    waiting = Dispatch.objects.filter(status__in=WAITING)
    n = waiting.count()
    return [f"{n} invii ancora in attesa (il primo: {waiting.order_by('pk').values_list('pk', flat=True).first()})"] if n else []


def register() -> None:
    invariants.register("notifications.messages_once", "un messaggio per evento e destinatario, un invio per canale",
                        messages_once)
    invariants.register("notifications.outbox_drained", "ogni invio consegnato o fallito in modo visibile", outbox_drained,
                        settled=True)
