"""The PDF receipt of a submitted application (WeasyPrint)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from services.core import ente

from .models import Attachment, Istanza
from .protocol import registration_of


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
