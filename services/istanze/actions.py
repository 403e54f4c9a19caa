"""Writes of the applications engine. Every state change goes through `istanza_transition`."""

from django.db import transaction
from django.utils import timezone

from services.core.sequences import format_number, sequence_next
from services.core.workdays import add_working_days

from . import registry
from .models import Istanza, IstanzaEvent
from .states import EDITABLE, Actor, Status, TransitionError, check_transition


def istanza_draft_get_or_create(*, owner, procedure_code: str) -> tuple[Istanza, bool]:
    """The citizen's open draft of this procedure (to resume), or a new one."""
    procedure = registry.get(procedure_code)
    draft = (
        Istanza.objects.filter(owner=owner, procedure_code=procedure_code, status__in=[Status.BOZZA, Status.DA_INVIARE])
        .order_by("-updated_at")
        .first()
    )
    if draft:
        return draft, False
    draft = Istanza.objects.create(owner=owner, procedure_code=procedure_code, procedure_version=procedure.version)
    IstanzaEvent.objects.create(istanza=draft, to_status=Status.BOZZA, actor_kind=Actor.CITIZEN, actor=owner)
    return draft, True


@transaction.atomic
def istanza_data_save(*, istanza: Istanza, by, step: str, values: dict) -> Istanza:
    istanza = Istanza.objects.select_for_update().get(pk=istanza.pk)
    if istanza.owner_id != by.pk:
        raise TransitionError("Questa pratica non è tua.")
    if istanza.status not in EDITABLE:
        raise TransitionError("Una pratica inviata non si può modificare.")
    istanza.data = {**istanza.data, step: values}
    istanza.current_step = step
    istanza.save(update_fields=["data", "current_step", "updated_at"])
    return istanza


@transaction.atomic
def istanza_transition(*, istanza: Istanza, to: Status, by, actor_kind: Actor, note: str = "") -> Istanza:
    """Guarded by the state table; the row is locked; a history row records who, when and why."""
    istanza = Istanza.objects.select_for_update().get(pk=istanza.pk)
    if actor_kind == Actor.CITIZEN and (by is None or istanza.owner_id != by.pk):
        raise TransitionError("Questa pratica non è tua.")
    if istanza.status == to and to == Status.INVIATA:
        return istanza  # a replayed "Invia": the same application, nothing changes
    check_transition(istanza.status, to, actor_kind, note)
    previous = istanza.status
    now = timezone.now()
    istanza.status = to
    if to == Status.INVIATA and istanza.number is None:
        procedure = registry.get(istanza.procedure_code)
        year = timezone.localdate(now).year
        value = sequence_next(key=f"istanza:{istanza.procedure_code}:{year}")
        istanza.number = format_number(code=istanza.procedure_code, year=year, value=value)
        istanza.submitted_at = now
        istanza.due_date = add_working_days(timezone.localdate(now), procedure.completion_working_days)
        if procedure.route_office and istanza.office_id is None:
            istanza.office = procedure.route_office(istanza.data)
    if to == Status.PRESA_IN_CARICO and istanza.taken_in_charge_at is None:
        istanza.taken_in_charge_at = now
    istanza.save()
    IstanzaEvent.objects.create(
        istanza=istanza, from_status=previous, to_status=to, actor_kind=actor_kind, actor=by, note=note.strip()
    )
    return istanza


DRAFT_WARNING_DAYS = 3


def drafts_purge_expired(*, now=None) -> dict:
    """Delete drafts past their procedure's retention; warn owners DRAFT_WARNING_DAYS before, once."""
    from datetime import timedelta

    from django.core.mail import send_mail

    now = now or timezone.now()
    deleted = warned = 0
    drafts = Istanza.objects.filter(status__in=[Status.BOZZA, Status.DA_INVIARE]).select_related("owner")
    for draft in drafts.iterator():
        try:
            days = registry.get(draft.procedure_code).draft_retention_days
        except KeyError:
            continue
        expires = draft.updated_at + timedelta(days=days)
        if expires <= now:
            draft.delete()
            deleted += 1
        elif expires - timedelta(days=DRAFT_WARNING_DAYS) <= now and not draft.data.get("_expiry_warned"):
            if draft.owner.email:
                send_mail(
                    "La tua bozza sta per scadere",
                    f"La bozza della domanda «{registry.get(draft.procedure_code).title}» sarà cancellata il "
                    f"{timezone.localtime(expires):%d/%m/%Y}. Accedi all'area personale per completarla e inviarla.",
                    None,
                    [draft.owner.email],
                )
            Istanza.objects.filter(pk=draft.pk).update(data={**draft.data, "_expiry_warned": True})
            warned += 1
    return {"deleted": deleted, "warned": warned}
