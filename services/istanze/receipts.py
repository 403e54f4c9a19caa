"""The PDFs of an application (WeasyPrint): the receipt of its submission, and the letter of its outcome."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from services.core import ente

from .models import Attachment, Istanza
from .protocol import outcome_registration_of, registration_of
from .states import Status

DECIDED = (Status.ACCOLTA, Status.RESPINTA)


def receipt_context(istanza: Istanza, *, stamp: bool = True) -> dict:
    procedure = istanza.procedure
    return {
        "istanza": istanza,
        "procedure": procedure,
        "ente": ente.current(),
        "attachments": istanza.attachments.filter(kind=Attachment.Kind.CITIZEN),
        "notes": procedure.confirmation_notes(istanza) if procedure.confirmation_notes else [],
        "generated_at": timezone.localtime(),
        # The protocol's stamp once registered (issue 31); not on the copy sent to be registered.
        "registration": registration_of(istanza) if stamp else None,
    }


def receipt_pdf(istanza: Istanza, *, stamp: bool = True) -> bytes:
    from weasyprint import HTML

    html = render_to_string("istanze/receipt.html", receipt_context(istanza, stamp=stamp))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def receipt_filename(istanza: Istanza) -> str:
    return f"ricevuta-{istanza.number}.pdf"


def outcome_event(istanza: Istanza):
    """The history row of the office's decision, or None while there is none."""
    if istanza.status not in DECIDED:
        return None
    return istanza.events.filter(to_status__in=DECIDED).order_by("-created_at", "-pk").first()


def outcome_letter_pdf(istanza: Istanza, *, stamp: bool = True) -> bytes:
    """The letter that tells the citizen the outcome, with the office's reasons: the outbound document registered in
    the protocol, and, once registered, the copy the citizen downloads with its stamp."""
    from weasyprint import HTML

    event = outcome_event(istanza)
    html = render_to_string("istanze/outcome_letter.html", {
        "istanza": istanza, "procedure": istanza.procedure, "ente": ente.current(), "event": event,
        "accepted": istanza.status == Status.ACCOLTA, "generated_at": timezone.localtime(),
        "registration": outcome_registration_of(istanza, event) if stamp else None})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def outcome_letter_filename(istanza: Istanza) -> str:
    return f"esito-{istanza.number}.pdf"
