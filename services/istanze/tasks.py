"""E-mails of the applications engine, queued after commit. Links carry only the application's random id."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .actions import drafts_purge_expired, istanze_minimise_expired
from .models import Attachment, Istanza, IstanzaEvent


def _link(istanza: Istanza) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("istanze:detail", kwargs={"public_id": istanza.public_id})


def _send(*, subject: str, template: str, context: dict, to: list[str], attachments=()):
    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    body = render_to_string(template, context)
    message = EmailMessage(subject=subject, body=body, to=recipients)
    for name, content, mime in attachments:
        message.attach(name, content, mime)
    return message.send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_receipt(istanza_id: int):
    """On submission: the PDF receipt to the citizen (and to the addresses the procedure names)."""
    from .receipts import receipt_filename, receipt_pdf

    istanza = Istanza.objects.select_related("owner", "office").get(pk=istanza_id)
    procedure = istanza.procedure
    extra = procedure.receipt_recipients(istanza) if procedure.receipt_recipients else []
    recipients = [address for address in [istanza.owner.email, *extra] if address]
    if not recipients:
        return 0
    return _send(
        subject=f"Ricevuta della domanda {istanza.number}",
        template="istanze/email/receipt.txt",
        context={"istanza": istanza, "procedure": procedure, "link": _link(istanza)},
        to=recipients,
        attachments=[(receipt_filename(istanza), receipt_pdf(istanza), "application/pdf")],
    )


def _notify_owner(istanza: Istanza, *, subject: str, template: str, **context):
    """An e-mail to the citizen about their application, if they want e-mails."""
    if not istanza.owner.notify_by_email:
        return 0
    return _send(subject=subject, template=template, to=[istanza.owner.email],
                 context={"istanza": istanza, "procedure": istanza.procedure, "link": _link(istanza), **context})


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_status_change(event_id: int):
    event = IstanzaEvent.objects.select_related("istanza__owner").get(pk=event_id)
    return _notify_owner(event.istanza, event=event, template="istanze/email/status.txt",
                         subject=f"Aggiornamento della pratica {event.istanza.number}: {event.get_to_status_display()}")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_act(attachment_id: int):
    act = Attachment.objects.select_related("istanza__owner").get(pk=attachment_id)
    return _notify_owner(act.istanza, act=act, template="istanze/email/act.txt",
                         subject=f"Nuovo documento per la pratica {act.istanza.number}")


@shared_task
def purge_expired_drafts():
    """Nightly: warn owners of drafts about to expire and delete the expired ones."""
    return drafts_purge_expired()


@shared_task
def minimise_expired_istanze():
    """Nightly: closed applications past their retention period keep only number, state, dates and history."""
    return istanze_minimise_expired()
