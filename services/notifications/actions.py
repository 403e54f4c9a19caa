"""The one way out. A domain asks for a message of a kind about an event for a recipient (`message_send`):
the message and one dispatch per channel are written in the caller's transaction, and a worker delivers
each dispatch after commit. Idempotent per (event, recipient, channel). Transient failures are retried with
backoff; a beat job re-queues what was never picked up; what keeps failing is listed for *Rinvia*.
"""

import contextlib
import logging
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import timezone

from services.core import ente, observability, workflow
from services.core.clock import at_rome_time
from services.core.tasks import enqueue_after_commit

from . import audiences, io, kinds, states
from . import channels as channel_registry
from .channels import ChannelError, Unreachable
from .models import Broadcast, Dispatch, Message, OptOut

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF_SECONDS = 60  # doubled at each attempt: 1, 2, 4, 8, 16 minutes


def _stale(name: str) -> timedelta:
    """The sweep's thresholds (settings.OUTBOX_STALE_SECONDS): `queued` never picked up (the broker was down at commit),
    `sending` when a worker died while sending, `broadcast` confirmed and never fanned out."""
    return timedelta(seconds=settings.OUTBOX_STALE_SECONDS[name])


class MessageError(ValueError):
    """A template or a caller produced a message the channels would refuse (a programming error)."""


# Rendering ---------------------------------------------------------------------------------------------------


def _text(template: str, context: dict) -> str:
    """A plain-text part: no HTML escaping (an apostrophe stays an apostrophe)."""
    return get_template(template).template.render(Context(context, autoescape=False)).strip()


def optional_text(template: str, context: dict, *, html: bool = False) -> str:
    try:
        return render_to_string(template, context).strip() if html else _text(template, context)
    except TemplateDoesNotExist:
        return ""


def render(kind: str, context: dict) -> dict:
    """The message's subject and body (e-mail and the personal area), its HTML, and each channel's own part."""
    base = f"notifications/messages/{kind}/"
    context = {"ente": context.get("ente") or ente.current(), "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"), **context}
    subject = " ".join(_text(base + "subject.txt", context).split())
    body = _text(base + "body.txt", context)
    if not subject or not body:
        raise MessageError(f"{kind}: empty subject or body")
    html = optional_text(base + "body.html", context, html=True) or render_to_string(
        "notifications/messages/_email.html", {"ente": context["ente"], "subject": subject, "body": body})
    texts = {"subject": subject[:200], "body": body}
    parts = {c.code: part for c in channel_registry.ordered() if (part := c.render(base, context, texts))}
    return {**texts, "html": html, "parts": parts}


def due_moment(due: date | datetime | None) -> datetime | None:
    """A due date without a time is due at 23:59:59 in Rome."""
    if due is None or isinstance(due, datetime):
        return due
    return at_rome_time(due, time(23, 59, 59))


# Queueing ----------------------------------------------------------------------------------------------------


def _choose(message: Message, kind: kinds.Kind, allowed: tuple[str, ...], opted_out: set | None = None) -> list[str]:
    """The channels the citizen chose that can reach them; else the first that can (App IO, e-mail, SMS);
    none at all: "none", for the office to call. Opting out of every channel of a kind leaves Messaggi only."""
    if message.user is None:
        return ["email"] if "email" in allowed else ["none"]
    if kind.mandatory:
        opted_out = set()
    elif opted_out is None:
        opted_out = set(OptOut.objects.filter(user=message.user, kind=kind.code).values_list("channel", flat=True))
    possible = [c for c in channel_registry.ordered() if c.code in allowed and c.code not in opted_out]
    reached = [c.code for c in possible if c.wants(message.user) and c.reaches(message)]
    if reached:
        return reached
    if not kind.mandatory and not possible:
        return []
    fallback = [c.code for c in possible if c.reaches(message)]
    return fallback[:1] or ["none"]


def _dispatch(message: Message, channel: str) -> Dispatch:
    """A chosen channel's dispatch, not yet saved: queued, or "none" (no channel reaches the citizen) for the office."""
    return Dispatch(message=message, channel=channel, status=Dispatch.Status.UNREACHABLE if channel == "none" else Dispatch.Status.QUEUED,
                    error="nessun recapito per i canali scelti" if channel == "none" else "")


def _queue(dispatch_ids: list[int]) -> None:
    from . import tasks

    for pk in dispatch_ids:
        enqueue_after_commit(tasks.deliver, pk, caught_by="notifications.dispatches_requeue")


def message_content(*, kind: str, context: dict, channels: tuple[str, ...], payment_data: dict | None = None) -> dict:
    """The message rendered (see render), each part for these channels checked as the channel would check it."""
    content = render(kind, context)
    for code, part in content["parts"].items():
        if code in channels:
            try:
                channel_registry.get(code).validate(part, payment_data)
            except ValueError as error:
                raise MessageError(f"{kind}: {error}") from error
    return content


def message_send(*, kind: str, event: str, user=None, address: str = "", context: dict, url: str = "", ref: str = "",
                 payment_data: dict | None = None, due_date: date | datetime | None = None,
                 channels: tuple[str, ...] | None = None, opted_out: set | None = None, queue: bool = True,
                 content: dict | None = None) -> Message:
    """Queue one message about `event` for `user` (or an `address`), in the caller's transaction. With both, the
    message is the user's (Messaggi, App IO, SMS) and its e-mail goes to `address`: the address proven for that
    request, which the profile may not have.

    A second call for the same event and recipient returns the first message and sends nothing more; a new
    event (another state change of the same application) is a new message. A caller that sends in bulk
    passes the recipient's `opted_out` channels it already read, and `queue=False` to hand the dispatches
    to the workers itself, in batches (`message.queued_ids`); when every recipient gets the same words, it also passes
    the `content` that `message_content` made once."""
    found = kinds.get(kind)
    allowed = tuple(channels) if channels is not None else channel_registry.codes()
    if content is None:
        content = message_content(kind=kind, context=context, channels=allowed, payment_data=payment_data)
    recipient = {"user": user} if user is not None else {"user": None, "address": address}
    try:
        with transaction.atomic():
            message = Message.objects.create(kind=kind, event=event, **recipient, **({"address": address} if user else {}), url=url, ref=ref, payment_data=payment_data,
                                             due_date=due_moment(due_date), in_area=found.in_area and user is not None,
                                             request_id=observability.current_request_id(), **content)
    except IntegrityError:
        return Message.objects.get(event=event, **recipient)
    chosen = _choose(message, found, allowed, opted_out)
    dispatches = Dispatch.objects.bulk_create([_dispatch(message, c) for c in chosen])
    message.queued_ids = [d.pk for d in dispatches if d.channel != "none"]
    if queue:
        _queue(message.queued_ids)
    observability.event("message.queued", message_id=message.pk, kind=kind, channels=chosen)
    return message


def messages_send_many(*, kind: str, event: str, users: list, content: dict, channels: tuple[str, ...],
                       opted_out: dict[int, set]) -> list[int]:
    """The same words (`content`, from message_content) about one `event` to many users, in the caller's transaction:
    their messages in one INSERT and their dispatches in another, where message_send would take four statements a
    user. Returns the dispatches to hand to the workers. If any user already has this event's message (a fan-out run
    twice at once), the batch is undone and each user goes through message_send, which skips the ones already reached."""
    found = kinds.get(kind)
    request_id = observability.current_request_id()
    try:
        with transaction.atomic():
            messages = Message.objects.bulk_create([
                Message(kind=kind, event=event, user=user, in_area=found.in_area, request_id=request_id, **content)
                for user in users])
            chosen = {message.pk: _choose(message, found, channels, opted_out.get(message.user_id, set())) for message in messages}
            dispatches = Dispatch.objects.bulk_create([_dispatch(message, c) for message in messages for c in chosen[message.pk]])
    except IntegrityError:
        ids = []
        for user in users:
            message = message_send(kind=kind, event=event, user=user, context={}, channels=channels,
                                   opted_out=opted_out.get(user.pk, set()), queue=False, content=content)
            ids += getattr(message, "queued_ids", [])
        return ids
    for message in messages:
        observability.event("message.queued", message_id=message.pk, kind=kind, channels=chosen[message.pk])
    return [d.pk for d in dispatches if d.channel != "none"]


# Delivering --------------------------------------------------------------------------------------------------


def _fallback(message: Message) -> None:
    """A channel could not reach the citizen: if nothing else is on its way, the next channel that can."""
    if message.dispatches.filter(status__in=states.ACTIVE).exists():
        return
    tried = set(message.dispatches.values_list("channel", flat=True))
    if message.user_id and not kinds.get(message.kind).mandatory:  # an opt-out holds for the fallback too
        tried |= set(OptOut.objects.filter(user_id=message.user_id, kind=message.kind).values_list("channel", flat=True))
    for channel in channel_registry.ordered():
        code = channel.code
        if code not in tried and channel.reaches(message):
            dispatch, created = Dispatch.objects.get_or_create(message=message, channel=code)
            if created:
                _queue([dispatch.pk])
            return
    Dispatch.objects.get_or_create(message=message, channel="none", defaults={
        "status": Dispatch.Status.UNREACHABLE, "error": "nessun canale raggiunge il destinatario"})


def dispatch_deliver(*, dispatch_id: int, now: datetime | None = None) -> str:
    """Send one dispatch, once (see dispatches_deliver)."""
    return dispatches_deliver(dispatch_ids=[dispatch_id], now=now).get(dispatch_id, "skipped")


def _claim(dispatch_ids: list[int], now: datetime) -> list[Dispatch]:
    """Lock the rows still waiting (skipping those another worker holds) and mark them "sending": a duplicated
    task, or a re-queued row that another worker is sending, does nothing."""
    with transaction.atomic():
        claimed = list(Dispatch.objects.select_for_update(skip_locked=True, of=("self",)).select_related("message__user")
                       .filter(pk__in=dispatch_ids, status__in=states.DUE).order_by("pk"))
        for dispatch in claimed:
            dispatch.attempts, dispatch.updated_at = dispatch.attempts + 1, now
        workflow.transition_many(claimed, Dispatch.Status.SENDING, fields=["attempts", "updated_at"])
    return claimed


def _outcome(dispatch: Dispatch, now: datetime) -> tuple[str, str, str]:
    """Send it; set the row's other fields in memory. Returns (outcome, what to do next: "", "fallback", "retry",
    the state it moves to)."""
    dispatch.error, dispatch.next_attempt_at = "", None
    try:
        dispatch.provider_id = channel_registry.get(dispatch.channel).send(dispatch.message) or ""
    except Unreachable as error:
        dispatch.error = str(error)[:300]
        return "unreachable", "fallback", Dispatch.Status.FAILED
    except ChannelError as error:
        dispatch.error = str(error)[:300]
        if error.transient and dispatch.attempts < MAX_ATTEMPTS:
            dispatch.next_attempt_at = now + timedelta(seconds=BACKOFF_SECONDS * 2 ** (dispatch.attempts - 1))
            return "retry", "retry", Dispatch.Status.RETRY
        if error.transient:
            return "failed", "", Dispatch.Status.DEAD
        return "failed", "fallback", Dispatch.Status.FAILED
    except Exception as error:  # noqa: BLE001 - a bug in one message must not block the outbox: it goes to the dead letters
        logger.exception("dispatch %s failed", dispatch.pk)
        dispatch.error = f"errore interno: {type(error).__name__}"
        return "failed", "", Dispatch.Status.DEAD
    dispatch.sent_at = now
    return "sent", "", Dispatch.Status.SENT


def dispatches_deliver(*, dispatch_ids: list[int], now: datetime | None = None) -> dict[int, str]:
    """Send a batch of dispatches, each once: claimed together, sent one by one, their outcomes written in
    one statement. Returns {dispatch id: sent | retry | failed | unreachable} for those this call sent."""
    now = now or timezone.now()
    claimed = _claim(dispatch_ids, now)
    results, follow_up, targets = {}, [], {}
    with contextlib.ExitStack() as batches:  # each channel of the batch does once what its messages share
        for code in sorted({d.channel for d in claimed} & set(channel_registry.codes())):  # an unknown one fails below
            batches.enter_context(channel_registry.get(code).batch([d.message for d in claimed if d.channel == code]))
        for dispatch in claimed:
            results[dispatch.pk], then, targets[dispatch.pk] = _outcome(dispatch, now)
            follow_up.append((dispatch, then))
    written = timezone.now()  # the batch's outcomes are written together: one time for all (workflow.save_many)
    for dispatch in claimed:
        dispatch.updated_at = written
    workflow.transition_many(claimed, lambda d: targets[d.pk], fields=["error", "provider_id", "sent_at", "next_attempt_at", "updated_at"])
    for dispatch, then in follow_up:
        if then == "fallback":
            _fallback(dispatch.message)
        elif then == "retry":
            _retry_later(dispatch.pk, dispatch.next_attempt_at - now)
    return results


def _retry_later(dispatch_id: int, delay: timedelta) -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return  # in-process jobs: the beat job (or `manage.py notifications_requeue`) retries it when due
    from . import tasks

    tasks.deliver.apply_async((dispatch_id,), countdown=delay.total_seconds())


def dispatches_requeue(*, now: datetime | None = None, limit: int = 2000) -> int:
    """Every few minutes: what was queued and never picked up, what a dead worker left half-sent, what is due for a retry,
    and broadcasts never fanned out, go back to the workers."""
    now = now or timezone.now()
    interrupted = workflow.update(Dispatch.objects.filter(status=Dispatch.Status.SENDING, updated_at__lt=now - _stale("sending")),
                                  Dispatch.Status.RETRY, note="invio interrotto", next_attempt_at=now,
                                  error="invio interrotto: ritentato")
    observability.sweep_found("dispatches_interrupted", interrupted)
    due = Dispatch.objects.filter(
        Q(status=Dispatch.Status.QUEUED, updated_at__lt=now - _stale("queued"))
        | Q(status=Dispatch.Status.RETRY, next_attempt_at__lte=now)).order_by("pk").values_list("pk", flat=True)[:limit]
    ids = list(due)
    observability.sweep_found("dispatches_due", len(ids))
    broadcasts_requeue(now=now)
    if settings.CELERY_TASK_ALWAYS_EAGER:
        dispatches_deliver(dispatch_ids=ids, now=now)
    else:
        from . import tasks

        for first in range(0, len(ids), DELIVER_BATCH):
            tasks.deliver_many.delay(ids[first:first + DELIVER_BATCH])
    return len(ids)


def broadcasts_requeue(*, now: datetime | None = None) -> int:
    """Broadcasts confirmed more than 10 minutes ago and not fanned out (the broker was down at commit, the worker died):
    their fan-out again, which skips the families already reached."""
    from . import tasks

    now = now or timezone.now()
    stale = list(Broadcast.objects.filter(status=Broadcast.Status.QUEUED, created_at__lt=now - _stale("broadcast"))
                 .values_list("pk", flat=True))
    for pk in stale:
        tasks.fan_out_broadcast.delay(pk)
    observability.sweep_found("broadcasts", len(stale))
    return len(stale)


def dispatch_resend(*, dispatch: Dispatch, by=None) -> bool:
    """*Rinvia* from the dead letters: the same dispatch, with fresh attempts."""
    updated = workflow.update(Dispatch.objects.filter(pk=dispatch.pk, status__in=states.UNSENT), Dispatch.Status.QUEUED, by=by,
                              note="Rinvia", attempts=0, error="", next_attempt_at=None, updated_at=timezone.now())
    if updated:
        _queue([dispatch.pk])
    return bool(updated)


def io_statuses_refresh(*, now: datetime | None = None) -> int:
    """App IO accepts a message, then processes it: record PROCESSED as delivered, REJECTED as failed (and
    fall back to the next channel)."""
    now = now or timezone.now()
    changed = 0
    sent = Dispatch.objects.filter(channel="io", status=Dispatch.Status.SENT, sent_at__gte=now - timedelta(days=2)).exclude(
        provider_id="").select_related("message__user")[:1000]
    for dispatch in sent:
        service = kinds.get(dispatch.message.kind).io_service or "default"
        try:
            state = io.status(service, fiscal_code=dispatch.message.user.fiscal_code, message_id=dispatch.provider_id)
        except io.IoError:
            continue
        if state == "PROCESSED":
            changed += workflow.update(Dispatch.objects.filter(pk=dispatch.pk, status=Dispatch.Status.SENT), Dispatch.Status.DELIVERED)
        elif state in ("REJECTED", "FAILED"):
            changed += workflow.update(Dispatch.objects.filter(pk=dispatch.pk, status=Dispatch.Status.SENT), Dispatch.Status.FAILED,
                                       error=f"App IO: {state}")
            _fallback(dispatch.message)
    return changed


# Broadcasts --------------------------------------------------------------------------------------------------


def recipients(*, audience: str, filters: dict | None = None, today=None):
    """The families reached: account holders of the service, narrowed by the registered filters (a school, a route)."""
    chosen = {f.name: None for f in audiences.filters()} | (filters or {})
    return audiences.get(audience).holders(chosen, today or timezone.localdate()).distinct()


def broadcast_create(*, by, token, subject: str, body: str, audience: str, filters: dict | None = None,
                     channels: tuple[str, ...] = ("io", "email")) -> tuple[Broadcast, bool]:
    """One row in the request, once per confirmation token (a double click returns the first); the worker fans
    it out. `filters` maps a registered filter's name to the chosen object (or None)."""
    from . import tasks

    chosen = {name: obj for name, obj in (filters or {}).items() if obj is not None}
    try:
        with transaction.atomic():
            broadcast = Broadcast.objects.create(token=token, subject=subject, body=body, audience=audience,
                                                 filters={name: obj.pk for name, obj in chosen.items()},
                                                 filters_text=audiences.describe(chosen)[:300],
                                                 channels=[c for c in channel_registry.codes() if c in channels], created_by=by)
    except IntegrityError:
        return Broadcast.objects.get(token=token), False
    enqueue_after_commit(tasks.fan_out_broadcast, broadcast.pk, caught_by="notifications.broadcasts_requeue")
    return broadcast, True


FAN_OUT_CHUNK = 200  # families written per transaction
DELIVER_BATCH = 25  # dispatches per worker task


def broadcast_fan_out(*, broadcast_id: int) -> int:
    """One message per family, on the channels the broadcast allows and the family chose; a re-run (a retried
    task) adds only the families still missing. Families are written in chunks, and their dispatches handed to
    the workers in batches once each chunk commits."""
    from . import tasks

    broadcast = Broadcast.objects.get(pk=broadcast_id)
    allowed = tuple(broadcast.channels)
    event, kind = f"broadcast:{broadcast.pk}", "notifications.broadcast"
    done = set(Message.objects.filter(event=event).values_list("user_id", flat=True))
    opt_outs = defaultdict(set)
    for user_id, channel in OptOut.objects.filter(kind=kind).values_list("user_id", "channel"):
        opt_outs[user_id].add(channel)
    context = {"subject": broadcast.subject, "body": broadcast.body, "ente": ente.current()}
    content = message_content(kind=kind, context=context, channels=allowed)  # the same words for every family
    families = [u for u in recipients(audience=broadcast.audience, filters=audiences.resolve(broadcast.filters)).iterator()
                if u.pk not in done]
    for start in range(0, len(families), FAN_OUT_CHUNK):
        with transaction.atomic():
            ids = messages_send_many(kind=kind, event=event, users=families[start:start + FAN_OUT_CHUNK], content=content,
                                     channels=allowed, opted_out=opt_outs)
            for first in range(0, len(ids), DELIVER_BATCH):
                batch = ids[first:first + DELIVER_BATCH]
                enqueue_after_commit(tasks.deliver_many, batch, caught_by="notifications.dispatches_requeue")
    workflow.update(Broadcast.objects.filter(pk=broadcast.pk), Broadcast.Status.SENT, sent_at=timezone.now())
    return len(families)


# Staff alerts --------------------------------------------------------------------------------------------------

DIGEST_KIND = "notifications.staff_digest"


def staff_alert(*, users, event: str, text: str, url: str = "") -> int:
    """Tell these members of staff (in the caller's transaction): on their dashboard now, in tomorrow morning's digest
    if they chose it. Once per person and event; returns how many were told for the first time."""
    from .models import StaffAlert

    rows = [StaffAlert(user=user, event=event[:120], text=text[:300], url=url[:300]) for user in users if user.is_active and user.is_staff]
    before = StaffAlert.objects.filter(event=event[:120], user__in=[r.user for r in rows]).count()
    StaffAlert.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows) - before


def staff_alerts_read(*, user, ids=None) -> int:
    from .models import StaffAlert

    unread = StaffAlert.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def staff_digest_send(*, now: datetime | None = None) -> int:
    """Each morning: to each member of staff who chose it, one e-mail with the alerts of the last day still unread
    and not yet in a digest. Idempotent per person and day (the message's event)."""
    from .models import StaffAlert

    now = now or timezone.now()
    pending = (StaffAlert.objects.filter(read_at__isnull=True, digested_at__isnull=True, created_at__lte=now,
                                         user__staff_digest=True, user__is_active=True).exclude(user__email="")
               .select_related("user").order_by("user_id", "created_at"))
    by_user = defaultdict(list)
    for alert in pending:
        by_user[alert.user].append(alert)
    day = timezone.localdate(now).isoformat()
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    for user, alerts in by_user.items():
        with transaction.atomic():
            message_send(kind=DIGEST_KIND, event=f"staff-digest:{day}", user=user, channels=("email",),
                         context={"alerts": [{"text": a.text, "url": base + a.url if a.url else ""} for a in alerts],
                                  "dashboard": base + "/admin/avvisi/"})
            StaffAlert.objects.filter(pk__in=[a.pk for a in alerts]).update(digested_at=now)
    return len(by_user)
