"""Writes of the applications engine. Every state change goes through `istanza_transition`."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from services.core import observability, workflow
from services.core.clock import add_working_days
from services.core.sequences import format_number, sequence_next
from services.core.storage import private_storage

from . import alerts, messages, registry
from .models import Attachment, AttachmentAccess, Istanza, IstanzaEvent, ProcedureRating
from .states import CLOSED, DRAFT, EDITABLE, WORKABLE, Actor, Status, TransitionError


def istanza_draft_find(*, owner, procedure_code: str) -> Istanza | None:
    return (
        Istanza.objects.filter(owner=owner, procedure_code=procedure_code, status__in=DRAFT)
        .order_by("-updated_at")
        .first()
    )


@transaction.atomic
def istanza_draft_get_or_create(*, owner, procedure_code: str, restart: bool = False) -> tuple[Istanza, bool]:
    """The citizen's open draft of this procedure (to resume), or a new one; `restart` discards the old draft."""
    procedure = registry.get(procedure_code)
    draft = istanza_draft_find(owner=owner, procedure_code=procedure_code)
    if draft and not restart:
        return draft, False
    if draft:
        istanza_delete_draft(istanza=draft)
    draft = Istanza.objects.create(owner=owner, procedure_code=procedure_code, procedure_version=procedure.version,
                                   test=procedure.test)
    IstanzaEvent.objects.create(istanza=draft, to_status=Status.BOZZA, actor_kind=Actor.CITIZEN, actor=owner)
    return draft, True


def istanza_delete_draft(*, istanza: Istanza) -> None:
    """A draft (or an editor's test) goes with its files; nothing submitted is ever deleted here."""
    if istanza.status not in DRAFT and not istanza.test:
        raise TransitionError("Si possono cancellare solo le bozze.")
    names = {a.file.name for a in istanza.attachments.all()}
    for step_files in (istanza.wizard or {}).get("step_files", {}).values():
        names.update(entry["tmp_name"] for entry in step_files.values())
    istanza.delete()
    transaction.on_commit(lambda: [private_storage.delete(name) for name in names])


@transaction.atomic
def istanza_compile(*, istanza: Istanza, by, data: dict, summary: list, files: list, wizard: dict) -> Istanza:
    """End of the wizard: freeze data, summary and attachments; a draft moves to DA INVIARE.

    During an integration the application keeps its state: the citizen confirms with "Invia".
    """
    istanza = Istanza.objects.select_for_update().get(pk=istanza.pk)
    if istanza.owner_id != by.pk:
        raise TransitionError("Questa pratica non è tua.")
    if istanza.status not in EDITABLE:
        raise TransitionError("Una pratica inviata non si può modificare.")
    istanza.data, istanza.summary, istanza.wizard = data, summary, wizard
    istanza.save(update_fields=["data", "summary", "wizard", "updated_at"])
    keep = set()
    for entry in files:
        keep.add(entry["tmp_name"])
        Attachment.objects.get_or_create(
            istanza=istanza,
            kind=Attachment.Kind.CITIZEN,
            file=entry["tmp_name"],
            defaults={
                "field": entry["field"],
                "label": entry["label"][:200],
                "original_name": entry["name"],
                "content_type": entry["content_type"],
                "size": entry["size"],
                "sensitive": entry["sensitive"],
                "uploaded_by": by,
            },
        )
    stale = istanza.attachments.filter(kind=Attachment.Kind.CITIZEN).exclude(file__in=keep)
    stale_names = list(stale.values_list("file", flat=True))
    if stale_names:
        stale.delete()
        transaction.on_commit(lambda: [private_storage.delete(name) for name in stale_names])
    if istanza.status == Status.BOZZA:
        istanza = _transition_locked(istanza, to=Status.DA_INVIARE, by=by, actor_kind=Actor.CITIZEN)
    return istanza


@transaction.atomic
def istanza_transition(
    *, istanza: Istanza, to: Status, by, actor_kind: Actor, note: str = "", outcome: dict | None = None
) -> Istanza:
    """Guarded by the state table; the row is locked; a history row records who, when and why."""
    istanza = Istanza.objects.select_for_update().get(pk=istanza.pk)
    return _transition_locked(istanza, to=to, by=by, actor_kind=actor_kind, note=note, outcome=outcome)


def _transition_locked(istanza: Istanza, *, to, by, actor_kind, note: str = "", outcome: dict | None = None) -> Istanza:
    """The move itself, on a row the caller has locked inside its transaction: the kernel checks the table and writes
    the state with the fields below and the history row (`record_event`)."""
    if actor_kind == Actor.CITIZEN and (by is None or istanza.owner_id != by.pk):
        raise TransitionError("Questa pratica non è tua.")
    if istanza.status == to and to in (Status.INVIATA, Status.DA_INVIARE, Status.PRESA_IN_CARICO, Status.IN_ATTESA_DI_PAGAMENTO):
        return istanza  # a replayed request: the same application, nothing changes
    workflow.check(istanza, to, by=by, actor=actor_kind, note=note)
    procedure = registry.for_istanza(istanza)
    now = timezone.now()
    fields = {}
    if to in (Status.INVIATA, Status.IN_ATTESA_DI_PAGAMENTO) and istanza.number is None:
        year = timezone.localdate(now).year
        value = sequence_next(key=f"istanza:{istanza.procedure_code}:{year}")
        fields["number"] = format_number(code=istanza.procedure_code, year=year, value=value)
        if procedure.route_office and istanza.office_id is None:
            fields["office"] = procedure.route_office(istanza)
    if to == Status.INVIATA:  # complete (with its fee paid, if it has one): the office's days start now
        fields.update(submitted_at=now, due_date=add_working_days(timezone.localdate(now), procedure.completion_working_days))
    if to == Status.PRESA_IN_CARICO and istanza.taken_in_charge_at is None:
        fields["taken_in_charge_at"] = now
        if actor_kind == Actor.OFFICE and istanza.assigned_to_id is None:
            fields["assigned_to"] = by
    istanza = workflow.transition(istanza, to, by=by, actor=actor_kind, note=note.strip(), locked=True, **fields)
    event = istanza.transition_event
    if procedure.on_transition:
        procedure.on_transition(istanza, event, outcome or {})
    if to == Status.INVIATA:
        messages.receipt_queue(istanza, event)
    elif to not in DRAFT and to != Status.IN_ATTESA_DI_PAGAMENTO:  # the citizen is at pagoPA's page right now
        messages.status_queue(istanza, event)
    return istanza


def record_event(istanza: Istanza, from_state: str, to_state: str, *, by, actor, note: str, details: dict) -> IstanzaEvent:
    """The kernel's event row for an application: its own history, which the citizen and the office read."""
    return IstanzaEvent.objects.create(istanza=istanza, from_status=from_state, to_status=to_state,
                                       actor_kind=actor or Actor.SYSTEM, actor=by, note=note)


@transaction.atomic
def istanza_assign(*, istanza: Istanza, by, to_user) -> Istanza:
    istanza = Istanza.objects.select_for_update().get(pk=istanza.pk)
    if istanza.status not in WORKABLE:
        raise TransitionError("Si possono assegnare solo pratiche in lavorazione.")
    if not to_user.offices.filter(pk=istanza.office_id).exists():
        raise TransitionError("Il collega scelto non lavora nell'ufficio competente.")
    istanza.assigned_to = to_user
    istanza.save(update_fields=["assigned_to", "updated_at"])
    event = IstanzaEvent.objects.create(
        istanza=istanza, from_status=istanza.status, to_status=istanza.status, actor_kind=Actor.OFFICE, actor=by,
        note=f"Assegnata a {to_user.get_full_name() or to_user.email}",
    )
    alerts.assigned(istanza, to_user, by, event)
    return istanza


@transaction.atomic
def istanza_attach_act(*, istanza: Istanza, by, upload, label: str) -> Attachment:
    """An act issued by the office (e.g. the decision), visible to the citizen."""
    istanza = Istanza.objects.select_for_update().get(pk=istanza.pk)
    if istanza.number is None:
        raise TransitionError("Si possono allegare atti solo a pratiche inviate.")
    act = Attachment(
        istanza=istanza, kind=Attachment.Kind.OFFICE, label=label[:200], original_name=upload.name[:200],
        content_type=upload.content_type, size=upload.size, uploaded_by=by,
    )
    act.file.save(f"{istanza.public_id}.pdf", upload, save=False)
    act.save()
    IstanzaEvent.objects.create(
        istanza=istanza, from_status=istanza.status, to_status=istanza.status, actor_kind=Actor.OFFICE, actor=by,
        note=f"Atto allegato: {act.label}",
    )
    messages.act_queue(act)
    return act


def attachment_read(*, attachment: Attachment, by) -> bytes:
    """The file's content; every read is logged (who, when)."""
    AttachmentAccess.objects.create(attachment=attachment, istanza_id=attachment.istanza_id, file_name=attachment.original_name, user=by)
    if attachment.sensitive:  # health documents (a certification, a diagnosis): an event an operator can watch
        observability.security("health_data.read", what="attachment", attachment_id=attachment.pk, istanza_id=attachment.istanza_id,
                               user_id=getattr(by, "pk", None))
    with attachment.file.storage.open(attachment.file.name) as handle:
        return handle.read()


def rating_create(*, istanza: Istanza, rating: int, answer: str, comment: str = "") -> ProcedureRating:
    rated, _created = ProcedureRating.objects.get_or_create(
        istanza=istanza,
        defaults={"procedure_code": istanza.procedure_code, "rating": rating, "answer": answer, "comment": comment[:200]},
    )
    return rated


DRAFT_WARNING_DAYS = 3


def drafts_purge_expired(*, now=None) -> dict:
    """Delete drafts past their procedure's retention; warn owners DRAFT_WARNING_DAYS before, once."""
    now = now or timezone.now()
    deleted = warned = 0
    drafts = Istanza.objects.filter(status__in=DRAFT).select_related("owner")
    for draft in drafts.iterator():
        try:
            procedure = registry.for_istanza(draft)
        except KeyError:
            continue
        expires = draft.updated_at + timedelta(days=procedure.draft_retention_days)
        if expires <= now:
            with transaction.atomic():
                istanza_delete_draft(istanza=draft)
            deleted += 1
        elif expires - timedelta(days=DRAFT_WARNING_DAYS) <= now and not draft.wizard.get("expiry_warned"):
            messages.draft_expiry_queue(draft, timezone.localtime(expires))
            # .update() leaves updated_at alone: the warning does not extend the draft's life.
            Istanza.objects.filter(pk=draft.pk).update(wizard={**draft.wizard, "expiry_warned": True})
            warned += 1
    return {"deleted": deleted, "warned": warned}


def waiting_remind(*, now=None) -> int:
    """Applications waiting on the citizen (an integration asked for) since ISTANZE_WAITING_REMINDER_DAYS or more:
    reminded once per request, through the outbox. Returns how many were reminded now."""
    from django.conf import settings

    from services.notifications.models import Message

    now = now or timezone.now()
    days = settings.ISTANZE_WAITING_REMINDER_DAYS
    reminded = 0
    for istanza in Istanza.objects.filter(status=Status.IN_ATTESA_DI_INTEGRAZIONE).select_related("owner").iterator():
        event = istanza.events.filter(to_status=Status.IN_ATTESA_DI_INTEGRAZIONE).order_by("-created_at", "-id").first()
        if event is None or event.created_at > now - timedelta(days=days):
            continue
        if Message.objects.filter(event=f"istanza-waiting:{event.pk}", user=istanza.owner_id).exists():
            continue
        with transaction.atomic():
            messages.waiting_reminder_queue(istanza, event, days)
        reminded += 1
    return reminded


MINIMISED_NOTE = "Dati della domanda cancellati al termine del periodo di conservazione"


def istanze_minimise_expired(*, now=None) -> int:
    """After a procedure's retention period, a closed application keeps only its number, state, dates
    and history: the form data, the wizard state and the files are deleted."""
    now = now or timezone.now()
    done = 0
    candidates = Istanza.objects.filter(status__in=CLOSED).exclude(data={}, wizard={}, summary=[])
    for istanza in candidates.only("pk", "procedure_code", "procedure_version", "updated_at", "status").iterator():
        try:
            procedure = registry.for_istanza(istanza)
        except KeyError:
            continue
        if istanza.updated_at + timedelta(days=procedure.retention_days) > now:
            continue
        with transaction.atomic():
            locked = Istanza.objects.select_for_update().get(pk=istanza.pk)
            names = list(locked.attachments.values_list("file", flat=True))
            locked.attachments.all().delete()
            # .update() leaves updated_at alone: the retention clock is not reset
            Istanza.objects.filter(pk=locked.pk).update(data={}, summary=[], wizard={})
            IstanzaEvent.objects.create(istanza=locked, from_status=locked.status, to_status=locked.status,
                                        actor_kind=Actor.SYSTEM, note=MINIMISED_NOTE)
            transaction.on_commit(lambda names=names: [private_storage.delete(n) for n in names])
        done += 1
    return done
