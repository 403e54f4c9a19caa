"""Broadcasts: create (queued after commit), send (idempotent per family and channel)."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import audiences
from .models import Broadcast, Delivery
from .sms import send_sms


def recipients(*, audience: str, filters: dict | None = None, today=None):
    """The families reached: account holders of the service, narrowed by the registered filters (a school, a route)."""
    chosen = {f.name: None for f in audiences.filters()} | (filters or {})
    return audiences.get(audience).holders(chosen, today or timezone.localdate()).distinct()


def broadcast_create(*, by, token, subject: str, body: str, audience: str, filters: dict | None = None,
                     by_email=True, by_sms=False) -> tuple[Broadcast, bool]:
    """Queue a broadcast once per confirmation token: a double click or a replayed POST returns the first.
    `filters` maps a registered filter's name to the chosen object (or None)."""
    from . import tasks

    chosen = {name: obj for name, obj in (filters or {}).items() if obj is not None}
    try:
        with transaction.atomic():
            broadcast = Broadcast.objects.create(token=token, subject=subject, body=body, audience=audience,
                                                 filters={name: obj.pk for name, obj in chosen.items()},
                                                 filters_text=audiences.describe(chosen)[:300],
                                                 by_email=by_email, by_sms=by_sms, created_by=by)
    except IntegrityError:
        return Broadcast.objects.get(token=token), False
    transaction.on_commit(lambda: tasks.send_broadcast.delay(broadcast.pk))
    return broadcast, True


def _channels(broadcast, user):
    found = []
    if broadcast.by_email and user.email:
        found.append(("email", lambda: send_mail(broadcast.subject, broadcast.body, None, [user.email])))
    if broadcast.by_sms and user.mobile_phone and user.mobile_verified:
        found.append(("sms", lambda: send_sms(to=user.mobile_phone, text=broadcast.body)))
    return found


def broadcast_send(*, broadcast_id: int) -> dict:
    """Send to every family not yet reached; a re-run (a retried task) skips what was delivered."""
    broadcast = Broadcast.objects.get(pk=broadcast_id)
    counts = {"email": 0, "sms": 0, "failed": 0, "no_contact": 0}
    done = set(Delivery.objects.filter(broadcast=broadcast, delivered=True).values_list("user_id", "channel"))
    for user in recipients(audience=broadcast.audience, filters=audiences.resolve(broadcast.filters)).iterator():
        channels = _channels(broadcast, user)
        if not channels:
            Delivery.objects.get_or_create(broadcast=broadcast, user=user, channel="none",
                                           defaults={"error": "nessun recapito per i canali scelti"})
            counts["no_contact"] += 1
            continue
        for channel, send in channels:
            if (user.pk, channel) in done:
                continue
            try:
                with transaction.atomic():
                    delivery, _created = Delivery.objects.get_or_create(broadcast=broadcast, user=user, channel=channel)
            except IntegrityError:
                continue  # a concurrent run has it
            try:
                send()
            except Exception as error:  # noqa: BLE001 - one unreachable family must not stop the others
                Delivery.objects.filter(pk=delivery.pk).update(error=str(error)[:200])
                counts["failed"] += 1
                continue
            Delivery.objects.filter(pk=delivery.pk).update(delivered=True, error="")
            counts[channel] += 1
    Broadcast.objects.filter(pk=broadcast.pk).update(status=Broadcast.Status.SENT, sent_at=timezone.now())
    return counts
