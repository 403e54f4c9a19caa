"""What payments tell citizens, through the message layer: every notice the Comune issues (payable from App
IO), the notice PDF the citizen asks for by e-mail, and the receipt of every settled position."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services.core.money import format_euro, to_cents
from services.notifications import actions as outbox
from services.notifications import kinds

from .models import PaymentPosition


def register_kinds() -> None:
    kinds.register("payments.notice", label=_("Avviso di pagamento"), mandatory=True, io_service="payments")
    kinds.register("payments.notice_pdf", label=_("Avviso di pagamento in PDF"), mandatory=True, io_service="payments",
                   attachments=_notice_attachments, in_area=False)
    kinds.register("payments.receipt", label=_("Ricevuta di pagamento"), mandatory=True, io_service="payments",
                   attachments=_receipt_attachments)
    kinds.register("payments.due_reminder", label=_("Promemoria: avviso in scadenza"), io_service="payments")


def _position(message) -> PaymentPosition:
    return PaymentPosition.objects.select_related("owner").get(pk=int(message.ref.split(":")[1]))


def _notice_attachments(message):
    from .notice import notice_pdf

    position = _position(message)
    return [(f"avviso-{position.nav}.pdf", notice_pdf(position), "application/pdf")]


def _receipt_attachments(message):
    from .notice import payment_receipt_pdf, settled_receipt

    position = _position(message)
    receipt = settled_receipt(position)
    return [(f"ricevuta-{position.iuv}.pdf", payment_receipt_pdf(position, receipt), "application/pdf")] if receipt else []


def _context(position: PaymentPosition) -> dict:
    nav = position.nav
    return {"position": position, "amount": format_euro(position.amount), "nav_printed": " ".join(
        [nav[0:4], nav[4:8], nav[8:12], nav[12:16], nav[16:]]), "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("payments:tab")}


def _payment_data(position: PaymentPosition) -> dict:
    return {"amount": to_cents(position.amount), "notice_number": position.nav, "invalid_after_due_date": False,
            "payee": {"fiscal_code": position.ente_fiscal_code}}


def notice_queue(position: PaymentPosition) -> None:
    """A notice the Comune issued (a transport installment, a top-up to pay later): payable from App IO."""
    outbox.message_send(kind="payments.notice", event=f"position-notice:{position.pk}", user=position.owner,
                        context=_context(position), url=reverse("payments:tab"), ref=f"position:{position.pk}",
                        payment_data=_payment_data(position), due_date=position.due_date)


def notice_pdf_queue(position: PaymentPosition) -> bool:
    """The notice as a PDF by e-mail, asked for by the citizen: once a day (a double click sends one)."""
    event = f"position-notice-pdf:{position.pk}:{timezone.localdate():%Y%m%d}"
    if position.owner.messages.filter(event=event).exists():
        return False
    outbox.message_send(kind="payments.notice_pdf", event=event, user=position.owner, context=_context(position),
                        ref=f"position:{position.pk}", channels=("email",))
    return True


def receipt_queue(position: PaymentPosition) -> None:
    outbox.message_send(kind="payments.receipt", event=f"position-receipt:{position.pk}", user=position.owner,
                        context=_context(position), url=reverse("payments:tab"), ref=f"position:{position.pk}")


def due_reminder_queue(position: PaymentPosition) -> None:
    """A notice still to pay, a few days before its due date: once per position."""
    outbox.message_send(kind="payments.due_reminder", event=f"position-due:{position.pk}", user=position.owner,
                        context=_context(position), url=reverse("payments:tab"), ref=f"position:{position.pk}",
                        payment_data=_payment_data(position), due_date=position.due_date)
