"""The printed pagoPA notice (avviso di pagamento, rata unica) as a PDF."""

from django.template.loader import render_to_string

import segno

from services.core.money import format_euro, to_cents

from .codes import printed_nav, qr_payload
from .creditor import creditor
from .models import PaymentPosition


def notice_context(position: PaymentPosition) -> dict:
    ente = creditor()
    payload = qr_payload(nav=position.nav, ente_fiscal_code=position.ente_fiscal_code, cents=to_cents(position.amount))
    qr = segno.make(payload, error="m", micro=False)
    svg = qr.svg_data_uri(scale=3, border=0, dark="#000")
    return {
        "position": position, "ente": ente, "qr_svg": svg, "qr_payload": payload,
        "nav_printed": printed_nav(position.nav), "amount": format_euro(position.amount),
    }


def notice_pdf(position: PaymentPosition) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string("payments/notice.html", notice_context(position))).write_pdf()


def payment_receipt_pdf(position: PaymentPosition, receipt) -> bytes:
    """The citizen's copy of a pagoPA receipt (C.SE.1.2: in the personal area and by e-mail)."""
    from django.utils import timezone

    from weasyprint import HTML

    context = {"position": position, "receipt": receipt, "ente": creditor(), "nav_printed": printed_nav(position.nav),
               "paid_at": timezone.localtime(receipt.payment_date or position.paid_at)}
    return HTML(string=render_to_string("payments/receipt.html", context)).write_pdf()


def settled_receipt(position: PaymentPosition):
    """The receipt that settled the position (outcome OK, the position's amount), or None."""
    return position.receipts.filter(outcome="OK", amount=position.amount).order_by("received_at", "id").first() if position.settled_at else None
