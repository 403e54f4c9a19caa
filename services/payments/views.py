"""Personal area, tab Pagamenti; the Checkout return pages; the endpoint pagoPA pushes receipts to."""

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from services.accounts import area
from services.core.decorators import private_no_store

from . import actions, checkout, client
from . import messages as payment_messages
from .models import PaymentPosition
from .notice import notice_pdf

logger = logging.getLogger(__name__)


def _position_of(user, public_id) -> PaymentPosition:
    """The user's own position; another family's is a 404."""
    try:
        return PaymentPosition.objects.get(owner=user, public_id=public_id)
    except (PaymentPosition.DoesNotExist, ValueError) as error:
        raise Http404 from error


@login_required
@private_no_store
def payments_tab(request):
    from .suspension import suspension_message

    rows = list(PaymentPosition.objects.filter(owner=request.user).prefetch_related("receipts"))
    return area.render_area(request, "pagamenti", "payments/tab.html", {
        "payments_suspended": suspension_message(),
        "to_pay": [p for p in rows if p.is_open],
        "paid": [p for p in rows if p.settled_at is not None],
    })


@require_POST
@login_required
@private_no_store
def pay_online(request, public_id):
    return checkout.go(request, _position_of(request.user, public_id))


@login_required
@private_no_store
def returned(request, public_id):
    """Back from Checkout. The outcome in the URL is only a hint: the receipt settles."""
    position = _position_of(request.user, public_id)
    outcome = request.GET.get("esito", "")
    if outcome == "ok" and position.settled_at is None:
        try:
            actions.receipt_sync(position=position)
        except client.PagoPAError:
            pass  # the push or the polling job will settle it
        position.refresh_from_db()
    return area.render_area(request, "pagamenti", "payments/returned.html", {"position": position, "outcome": outcome})


@login_required
@private_no_store
def notice_download(request, public_id):
    position = _position_of(request.user, public_id)
    if position.status == "NEW":  # a PSP must find the notice on pagoPA before anyone pays it
        try:
            position = actions.position_publish(position=position)
        except client.PagoPAError:
            messages.error(request, "pagoPA non è raggiungibile: l'avviso sarà scaricabile tra qualche minuto.")
            return redirect("payments:tab")
    response = HttpResponse(notice_pdf(position), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="avviso-{position.nav}.pdf"'
    return response


@login_required
@private_no_store
def receipt_download(request, public_id):
    """The citizen's copy of the receipt of a settled position; another family's, or an unpaid one, is a 404."""
    from .notice import payment_receipt_pdf, settled_receipt

    position = _position_of(request.user, public_id)
    receipt = settled_receipt(position)
    if receipt is None:
        raise Http404
    response = HttpResponse(payment_receipt_pdf(position, receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ricevuta-{position.iuv}.pdf"'
    return response


@require_POST
@login_required
@private_no_store
def notice_email(request, public_id):
    position = _position_of(request.user, public_id)
    if not request.user.email:
        messages.error(request, "Aggiungi un indirizzo e-mail nelle impostazioni per ricevere l'avviso.")
        return redirect("payments:tab")
    if payment_messages.notice_pdf_queue(position):
        messages.success(request, "Ti abbiamo inviato l'avviso per e-mail.")
    else:
        messages.info(request, "Ti abbiamo già inviato l'avviso per e-mail oggi: controlla la posta, anche nello spam.")
    return redirect("payments:tab")


@csrf_exempt
@require_POST
def receipt_push(request):
    """pagoPA (or its intermediary) pushes receipts here: `Authorization: Bearer <PAGOPA_PUSH_TOKEN>`."""
    expected = f"Bearer {settings.PAGOPA_PUSH_TOKEN}"
    if not settings.PAGOPA_PUSH_TOKEN or not hmac.compare_digest(request.headers.get("Authorization", ""), expected):
        return JsonResponse({"outcome": "KO", "error": "unauthorized"}, status=401)
    try:
        data = client.parse_receipt_xml(request.body.decode("utf-8"))
    except (client.ReceiptError, UnicodeDecodeError) as error:  # pagoPA reads the reason and does not retry blindly
        logger.warning("malformed receipt pushed")
        detail = str(error) if isinstance(error, client.ReceiptError) else "the body is not UTF-8"
        return JsonResponse({"outcome": "KO", "error": "malformed", "detail": detail}, status=400)
    try:
        _receipt, created = actions.receipt_record(
            ente_fiscal_code=data["fiscalCode"], iuv=data["iuv"], receipt_id=data["receiptId"], outcome=data["outcome"],
            amount_cents=data["amountCents"], payment_date=client.payment_date(data.get("paymentDateTime", "")),
            psp_name=data.get("pspCompanyName", ""), payload=data, source="push",
        )
    except actions.UnknownPosition:
        return JsonResponse({"outcome": "KO", "error": "unknown IUV"}, status=404)
    return JsonResponse({"outcome": "OK", "duplicate": not created})
