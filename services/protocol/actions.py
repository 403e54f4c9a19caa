"""Every write of the protocol app. A registration is requested when its event happens (after the source's commit),
sent by a worker (`registration_send`) that claims it for a while, reads back before repeating a call that may have
reached the system, and backs off on failures until PROTOCOL_MAX_ATTEMPTS, when it waits for an operator."""

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from services.core import observability, workflow
from services.core.tasks import enqueue_after_commit

from . import port, profiles, sources
from .models import Registration
from .states import Status

logger = logging.getLogger(__name__)
S = Status
LEASE = timedelta(minutes=5)  # a worker's claim on a registration it is sending; a dead worker's expires


class ManualNumberError(ValueError):
    """The message is for the clerk, in Italian."""


def on_transition(sender, pk, from_state, to_state, event=None, **kwargs):
    """workflow.transitioned: a registered source reached a state that is a document."""
    label = sender._meta.label_lower
    source = sources.source_for(label)
    if source is None:
        return
    found = source.events.get((from_state, to_state)) or source.events.get(to_state)
    if found is None or not settings.PROTOCOL_ADAPTER:
        return
    direction, kind = found
    if not _wanted(source, pk):
        return
    event_ref = getattr(event, "pk", None) or f"{from_state}>{to_state}"
    registration_request(label=label, pk=pk, kind=kind, direction=direction, key=f"{label}:{pk}:{kind}:{event_ref}")


def _wanted(source, pk) -> bool:
    """Whether the ente registers this record's documents: a profile switched off says no; an opt-in source (the URP)
    needs an active profile of its own."""
    from .models import Profile

    if source.scope_of is None and not source.opt_in:
        return True
    obj = source.model._default_manager.filter(pk=pk).first()
    if obj is None:
        return False
    scope = source.scope_of(obj) if source.scope_of else ""
    profile = Profile.objects.filter(scope=scope).first() if scope else None
    if profile is not None and not profile.active:
        return False
    return not source.opt_in or profile is not None


def document_event(obj, *, kind: str, direction: str, ref) -> None:
    """A source's document that is not a change of state (a request arriving at the URP desk): registered after the
    caller's transaction commits, as a transition's would be."""
    label = obj._meta.label_lower
    source = sources.source_for(label)
    if source is None or not settings.PROTOCOL_ADAPTER:
        return
    pk = obj.pk

    def request():
        if _wanted(source, pk):
            registration_request(label=label, pk=pk, kind=kind, direction=direction, key=f"{label}:{pk}:{kind}:{ref}")

    transaction.on_commit(request)


def registration_request(*, label: str, pk, kind: str, direction: str, key: str) -> Registration:
    registration, created = Registration.objects.get_or_create(
        key=key, defaults={"source_label": label, "source_pk": str(pk), "kind": kind, "direction": direction,
                           "adapter": settings.PROTOCOL_ADAPTER})
    if created:
        from . import tasks

        enqueue_after_commit(tasks.send, registration.pk, caught_by="protocol.tasks.requeue")
        observability.event("protocol.requested", registration_id=registration.pk, kind=kind)
    return registration


def _claim(pk) -> Registration | None:
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(pk=pk).first()
        now = timezone.now()
        if registration is None or registration.status != S.PENDING or (registration.next_attempt_at or now) > now:
            return None
        registration.attempts += 1
        registration.next_attempt_at = now + LEASE
        registration.save(update_fields=["attempts", "next_attempt_at", "updated_at"])
        return registration


def registration_send(pk) -> Registration | None:
    registration = _claim(pk)
    if registration is None:
        return None
    adapter = port.adapter(registration.adapter)
    try:
        if adapter is None:
            raise port.ProtocolRefused(f"Sistema di protocollo «{registration.adapter}» non configurato.")
        found = adapter.lookup(key=registration.key) if registration.attempts > 1 else None
        if found is None:
            source = sources.source_for(registration.source_label)
            obj = source.model._default_manager.get(pk=registration.source_pk)
            document = profiles.completed(source.document(obj, registration.kind))
            Registration.objects.filter(pk=pk).update(subject=document.subject[:300])
            found = adapter.register(document, key=registration.key)
        return _registered(registration, port.checked(found))
    except port.ManualRegistration:
        return workflow.transition(registration, S.MANUAL, actor="system", next_attempt_at=None, last_error="")
    except port.ProtocolRefused as error:
        return _failed(registration, str(error))
    except port.ProtocolUnavailable as error:
        return _later(registration, str(error) or type(error).__name__)
    except Exception as error:  # noqa: BLE001 - an adapter's bug must not stall the registration silently
        logger.exception("protocol adapter %s raised", registration.adapter)
        return _later(registration, f"Errore inatteso dell'adattatore: {type(error).__name__}")


def _registered(registration, result: port.Registered) -> Registration:
    registration = workflow.transition(
        registration, S.REGISTERED, actor="system", number=result.number, registered_on=result.on,
        register=result.register[:30], aoo=result.aoo[:30], ipa=result.ipa[:30], next_attempt_at=None, last_error="")
    observability.event("protocol.registered", registration_id=registration.pk, kind=registration.kind)
    return registration


def _failed(registration, reason: str) -> Registration:
    logger.warning("protocol registration %s failed: %s", registration.pk, reason)
    return workflow.transition(registration, S.FAILED, actor="system", next_attempt_at=None, last_error=reason[:2000])


def _later(registration, reason: str) -> Registration:
    if registration.attempts >= settings.PROTOCOL_MAX_ATTEMPTS:
        return _failed(registration, f"{reason} (dopo {registration.attempts} tentativi)")
    delay = min(settings.PROTOCOL_RETRY_SECONDS * 2 ** (registration.attempts - 1), 3600)
    Registration.objects.filter(pk=registration.pk).update(next_attempt_at=timezone.now() + timedelta(seconds=delay),
                                                           last_error=reason[:2000], updated_at=timezone.now())
    registration.refresh_from_db()
    return registration


def registration_record_manual(*, registration: Registration, number: str, on: date, by) -> Registration:
    """The clerk registered the document by hand in the protocol system and types what it gave."""
    number = (number or "").strip()
    if not port.NUMBER.match(number):
        raise ManualNumberError("Il numero di protocollo ha almeno 7 cifre, senza lettere né spazi (es. 0001234).")
    if on is None or on > timezone.localdate():
        raise ManualNumberError("La data di protocollo non può essere nel futuro.")
    return workflow.transition(registration, S.REGISTERED, by=by, actor="office", number=number, registered_on=on,
                               next_attempt_at=None, last_error="")


def registration_retry(*, registration: Registration, by) -> Registration:
    """An operator sends a failed registration again (after the supplier fixed what it refused)."""
    registration = workflow.transition(registration, S.PENDING, by=by, actor="office", attempts=0, next_attempt_at=None)
    from . import tasks

    enqueue_after_commit(tasks.send, registration.pk, caught_by="protocol.tasks.requeue")
    return registration
