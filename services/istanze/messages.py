"""What the engine tells citizens, through the message layer, in the transaction of what happened: the
receipt of a submission (with its PDF, also to the addresses the procedure names), each state change made
by an office, each act issued, and the warning before a draft expires. Links carry only random ids."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.notifications import actions as outbox
from services.notifications import kinds

from .models import Attachment, Istanza, IstanzaEvent
from .states import Status

MUST_REACH = {Status.IN_ATTESA_DI_INTEGRAZIONE: "istanze.integration", Status.ACCOLTA: "istanze.outcome",
              Status.RESPINTA: "istanze.outcome"}


def register_kinds() -> None:
    kinds.register("istanze.receipt", label=_("Ricevuta della pratica"), mandatory=True, io_service="istanze",
                   attachments=_receipt_attachments)
    kinds.register("istanze.integration", label=_("Richiesta di integrazione"), mandatory=True, io_service="istanze")
    kinds.register("istanze.outcome", label=_("Esito della pratica"), mandatory=True, io_service="istanze")
    kinds.register("istanze.act", label=_("Atto della pratica"), mandatory=True, io_service="istanze")
    kinds.register("istanze.status", label=_("Stato della pratica"), io_service="istanze")
    kinds.register("istanze.protocol", label=_("Numero di protocollo della domanda"), io_service="istanze")
    kinds.register("istanze.draft_expiry", label=_("Bozza in scadenza"), io_service="istanze")
    kinds.register("istanze.waiting_reminder", label=_("Promemoria: integrazione da inviare"), io_service="istanze")


def _link(istanza: Istanza) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("istanze:detail", kwargs={"public_id": istanza.public_id})


def _context(istanza: Istanza, **extra) -> dict:
    return {"istanza": istanza, "procedure": istanza.procedure, "link": _link(istanza), **extra}


def _receipt_attachments(message):
    from .receipts import receipt_filename, receipt_pdf

    istanza = Istanza.objects.select_related("owner", "office").get(pk=int(message.ref.split(":")[1]))
    return [(receipt_filename(istanza), receipt_pdf(istanza), "application/pdf")]


def receipt_queue(istanza: Istanza, event: IstanzaEvent) -> None:
    """On submission: to the citizen, and to the extra addresses the procedure names (e-mail only)."""
    # Registered in the protocol after this commits (issue 31): the e-mail says so, the page and the PDF show the number.
    context = _context(istanza, protocol_pending=bool(settings.PROTOCOL_ADAPTER))
    common = {"kind": "istanze.receipt", "event": f"istanza-event:{event.pk}", "context": context,
              "url": reverse("istanze:detail", args=[istanza.public_id]), "ref": f"istanza:{istanza.pk}"}
    outbox.message_send(user=istanza.owner, **common)
    procedure = istanza.procedure
    extra = procedure.receipt_recipients(istanza) if procedure.receipt_recipients else []
    for address in sorted({a for a in extra if a and a != istanza.owner.email}):
        outbox.message_send(address=address, **common)


def status_queue(istanza: Istanza, event: IstanzaEvent) -> None:
    kind = MUST_REACH.get(event.to_status, "istanze.status")
    subject = f"Aggiornamento della pratica {istanza.number}: {event.get_to_status_display()}"
    procedure = istanza.procedure
    notes = procedure.outcome_notes(istanza, event.to_status) if procedure.outcome_notes else ""
    outbox.message_send(kind=kind, event=f"istanza-event:{event.pk}", user=istanza.owner,
                        context=_context(istanza, event=event, subject=subject, notes=notes),
                        url=reverse("istanze:detail", args=[istanza.public_id]))


def act_queue(act: Attachment) -> None:
    istanza = act.istanza
    outbox.message_send(kind="istanze.act", event=f"istanza-act:{act.pk}", user=istanza.owner, context=_context(istanza, act=act),
                        url=reverse("istanze:detail", args=[istanza.public_id]))


def draft_expiry_queue(draft: Istanza, expires) -> None:
    outbox.message_send(kind="istanze.draft_expiry", event=f"istanza-draft-expiry:{draft.pk}", user=draft.owner,
                        context=_context(draft, expires=expires), url=reverse("istanze:detail", args=[draft.public_id]))


def waiting_reminder_queue(istanza: Istanza, event: IstanzaEvent, days: int) -> None:
    """The office asked for an integration `days` ago and nothing came: once per request (the event's)."""
    outbox.message_send(kind="istanze.waiting_reminder", event=f"istanza-waiting:{event.pk}", user=istanza.owner,
                        context=_context(istanza, event=event, days=days), url=reverse("istanze:detail", args=[istanza.public_id]))


def registered_queue(istanza: Istanza, registration) -> None:
    """The application has its protocol number (issue 31): the receipt went out before it, so the citizen is told it."""
    outbox.message_send(kind="istanze.protocol", event=f"protocol-registration:{registration.pk}", user=istanza.owner,
                        context=_context(istanza, registration=registration),
                        url=reverse("istanze:detail", args=[istanza.public_id]))
