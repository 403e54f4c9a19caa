"""A local pagoPA for development and tests: the REST subset we call (GPD, Checkout, receipts),
a Checkout page (paga / annulla / errore), a PSP counter that pays a notice number, receipts
pushed to our endpoint, and configurable faults. Mounted at /pagopa-sandbox/ only when
PAGOPA_SANDBOX_ENABLED (never with production settings). State lives in the default cache, one key per position, cart
and creditor's receipts (with indexes by notice number and IUV), so that a call costs the same with ten positions as
with a Comune's year of them, and concurrent citizens do not overwrite each other's carts. `reset` starts a new epoch.
"""

import json
import time
import uuid

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

import httpx

from services.core.money import format_euro, from_cents
from services.core.sandbox import SandboxState

PREFIX = "pagopa-sandbox:"
FAULTS = {
    "gpd_timeouts": 0,  # the next N GPD calls hang longer than our client's timeout
    "gpd_errors": 0,  # the next N GPD calls answer 500
    "gpd_garbage": 0,  # the next N GPD calls answer 200 with a body that is not JSON (a proxy's page)
    "unavailable": False,  # every API call (GPD, Checkout, receipts) answers 503, as during pagoPA's maintenance
    "gpd_create_conflict": False,  # create answers 409 after storing the position (a lost 201)
    "duplicate_push": False,  # every receipt is pushed twice
    "no_push": False,  # receipts are only available by polling
    "never_return": False,  # after paying, the citizen closes the browser
    "push_after_return": False,  # the citizen is back before the receipt is pushed
}


STATE = SandboxState(PREFIX, FAULTS)
_get, _set, faults, set_faults = STATE.get, STATE.set, STATE.faults, STATE.set_faults


def reset():
    STATE.delete("faults", "pending_pushes")
    _set("epoch", _epoch() + 1)


def _epoch() -> int:
    return _get("epoch") or 0


def _item(kind: str, ident: str, epoch: int | None = None) -> str:
    return f"{_epoch() if epoch is None else epoch}:{kind}:{ident}"


def _position(iupd: str, epoch: int | None = None) -> dict | None:
    return _get(_item("position", iupd, epoch))


def receipt_add(receipt: dict) -> None:
    """A receipt in the creditor's list (what pagoPA's receipts API lists for the ente)."""
    key = _item("receipts", receipt["fiscalCode"])
    with STATE.locked(key):
        _set(key, [*(_get(key) or []), receipt])


def _receipts(cf: str) -> list[dict]:
    return _get(_item("receipts", cf)) or []


def _authorised(request):
    return request.headers.get("Ocp-Apim-Subscription-Key") == settings.PAGOPA_SUBSCRIPTION_KEY


def _gpd_fault():
    current = faults()
    if current["unavailable"]:
        return HttpResponse("<html><body>503 Service Unavailable</body></html>", status=503, content_type="text/html")
    if current["gpd_garbage"] > 0:
        set_faults(gpd_garbage=current["gpd_garbage"] - 1)
        return HttpResponse("<html><body>gateway</body></html>", status=200, content_type="text/html")
    if current["gpd_timeouts"] > 0:
        set_faults(gpd_timeouts=current["gpd_timeouts"] - 1)
        time.sleep(settings.PAGOPA_TIMEOUT + 0.5)
        return HttpResponse(status=504)
    if current["gpd_errors"] > 0:
        set_faults(gpd_errors=current["gpd_errors"] - 1)
        return JsonResponse({"title": "Internal Server Error"}, status=500)
    return None


@csrf_exempt
def debt_positions(request, cf):
    if not _authorised(request):
        return JsonResponse({"title": "Unauthorized"}, status=401)
    fault = _gpd_fault()
    if fault:
        return fault
    if request.method != "POST":
        return JsonResponse({"title": "Method not allowed"}, status=405)
    body = json.loads(request.body)
    epoch = _epoch()
    with STATE.locked("create"):
        if _position(body["iupd"], epoch) or any(_get(_item("iuv", o["iuv"], epoch)) for o in body["paymentOption"]):
            return JsonResponse({"title": "Conflict", "detail": "debt position already exists"}, status=409)
        body.update(organizationFiscalCode=cf, status="VALID" if request.GET.get("toPublish") == "true" else "DRAFT",
                    insertedDate=timezone.now().isoformat())
        for option in body["paymentOption"]:
            option["status"] = "PO_UNPAID"
            _set(_item("iuv", option["iuv"], epoch), body["iupd"])
            if option.get("nav"):
                _set(_item("nav", option["nav"], epoch), body["iupd"])
        _set(_item("position", body["iupd"], epoch), body)
    if faults()["gpd_create_conflict"]:
        return JsonResponse({"title": "Conflict"}, status=409)
    return JsonResponse(body, status=201)


@csrf_exempt
def debt_position(request, cf, iupd, action=""):
    if not _authorised(request):
        return JsonResponse({"title": "Unauthorized"}, status=401)
    fault = _gpd_fault()
    if fault:
        return fault
    position = _position(iupd)
    if position is None:
        return JsonResponse({"title": "Not found"}, status=404)
    if action == "invalidate":
        with STATE.locked(f"position:{iupd}"):
            position = _position(iupd)
            if position["status"] not in ("VALID", "PUBLISHED"):
                return JsonResponse({"title": "Conflict"}, status=409)
            position["status"] = "INVALID"
            _set(_item("position", iupd), position)
    return JsonResponse(position)


@csrf_exempt
def carts(request):
    if not _authorised(request) or request.method != "POST":
        return JsonResponse({"title": "Unauthorized"}, status=401)
    if faults()["unavailable"]:
        return HttpResponse("<html><body>503 Service Unavailable</body></html>", status=503, content_type="text/html")
    body = json.loads(request.body)
    cart_id = uuid.uuid4().hex
    _set(_item("cart", cart_id), body)
    return HttpResponseRedirect(f"{settings.PAGOPA_SANDBOX_BASE}/checkout/{cart_id}/")


def _find_option(nav, cf, epoch: int | None = None):
    epoch = _epoch() if epoch is None else epoch
    iupd = _get(_item("nav", nav, epoch))
    position = _position(iupd, epoch) if iupd else None
    if position is None or position["organizationFiscalCode"] != cf:
        return None, None
    return position, next(o for o in position["paymentOption"] if o.get("nav") == nav)


def pay(nav: str, cf: str, psp: str) -> dict | None:
    """Pay a notice as a PSP would: the position becomes PAID and a receipt is issued (the caller pushes it)."""
    epoch = _epoch()
    iupd = _get(_item("nav", nav, epoch))
    if iupd is None:
        return None
    with STATE.locked(f"position:{iupd}"):
        position, option = _find_option(nav, cf, epoch)
        if option is None or position["status"] not in ("VALID", "PARTIALLY_PAID"):
            return None
        position["status"], option["status"] = "PAID", "PO_PAID"
        _set(_item("position", iupd, epoch), position)
    receipt = {
        "receiptId": uuid.uuid4().hex, "noticeNumber": nav, "fiscalCode": cf, "outcome": "OK",
        "creditorReferenceId": option["iuv"], "paymentAmount": str(from_cents(option['amount'])),
        "description": option["description"], "companyName": position.get("companyName", ""),
        "PSPCompanyName": psp, "paymentDateTime": timezone.now().replace(microsecond=0).isoformat(),
        "debtor": position.get("fiscalCode", ""),
    }
    receipt_add(receipt)
    return receipt


def receipt_xml(receipt: dict) -> str:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in receipt.items())
    return f'<?xml version="1.0" encoding="UTF-8"?><receipt xmlns="http://pagopa-api.pagopa.gov.it/pa/paForNode.xsd">{fields}</receipt>'


_PUSHER = httpx.Client()  # reused: pagoPA's own push does not pay for a new TLS context per receipt


def push(receipt: dict):
    """POST the receipt to our endpoint, as pagoPA's push would."""
    if faults()["no_push"]:
        return
    times = 2 if faults()["duplicate_push"] else 1
    for _ in range(times):
        try:
            _PUSHER.post(settings.PAGOPA_RECEIPT_PUSH_URL, content=receipt_xml(receipt),
                       headers={"Authorization": f"Bearer {settings.PAGOPA_PUSH_TOKEN}", "Content-Type": "application/xml"},
                       timeout=5.0)
        except httpx.HTTPError:
            pass  # the polling job will find it


def flush_pending_pushes():
    """Pushes held back by `push_after_return` (the tester, or a test, releases them)."""
    pending = _get("pending_pushes") or []
    STATE.delete("pending_pushes")
    for receipt in pending:
        push(receipt)
    return len(pending)


@csrf_exempt
def checkout_page(request, cart_id):
    cart = _get(_item("cart", cart_id))
    if cart is None:
        raise Http404
    notice = cart["paymentNotices"][0]
    urls = cart["returnUrls"]
    if request.method == "POST":
        choice = request.POST.get("esito")
        if choice == "paga":
            receipt = pay(notice["noticeNumber"], notice["fiscalCode"], "Sandbox Checkout")
            if receipt is None:
                return HttpResponseRedirect(urls["returnErrorUrl"])
            if faults()["push_after_return"]:
                _set("pending_pushes", (_get("pending_pushes") or []) + [receipt])
            else:
                push(receipt)
            if faults()["never_return"]:
                return render(request, "payments/sandbox/closed.html", {})
            return HttpResponseRedirect(urls["returnOkUrl"])
        return HttpResponseRedirect(urls["returnCancelUrl"] if choice == "annulla" else urls["returnErrorUrl"])
    return render(request, "payments/sandbox/checkout.html", {"notice": notice, "amount": format_euro(from_cents(notice["amount"]))})


@csrf_exempt
def psp_counter(request):
    """A tabaccheria: pay a notice number with the ente's fiscal code."""
    message, errors = "", {}
    source = request.POST if request.method == "POST" else request.GET  # ?nav=…&ente=…: from App IO's *Paga*
    values = {"nav": source.get("nav", "").strip(), "ente": source.get("ente", "").strip()}
    if request.method == "POST":
        nav, ente = values["nav"].replace(" ", ""), values["ente"].replace(" ", "")
        if not ((nav.isascii() and nav.isdigit()) and len(nav) == 18):
            errors["nav"] = "Il codice avviso ha 18 cifre: lo trovi sull'avviso, sopra il codice QR."
        if not ((ente.isascii() and ente.isdigit()) and len(ente) == 11):
            errors["ente"] = "Il codice fiscale dell'ente ha 11 cifre."
        if not errors:
            receipt = pay(nav, ente, "Tabaccheria Sandbox")
            if receipt is None:
                errors["nav"] = "Nessun avviso da pagare con questo codice per questo ente: controlla i due codici, o è già stato pagato."
            else:
                push(receipt)
                message = f"Pagato: ricevuta {receipt['receiptId']}."
                values = {"nav": "", "ente": ""}
    status = 400 if errors else 200
    return render(request, "payments/sandbox/psp.html", {"message": message, "errors": errors, "values": values}, status=status)


def receipts_list(request, cf):
    if not _authorised(request):
        return JsonResponse({"title": "Unauthorized"}, status=401)
    if faults()["unavailable"]:
        return HttpResponse("<html><body>503 Service Unavailable</body></html>", status=503, content_type="text/html")
    rows = _receipts(cf)
    return JsonResponse({"results": [{"iuv": r["creditorReferenceId"], "organizationFiscalCode": cf, "debtor": r["debtor"],
                                      "paymentDateTime": r["paymentDateTime"]} for r in rows]})


def receipt_detail(request, cf, iuv):
    if not _authorised(request):
        return JsonResponse({"title": "Unauthorized"}, status=401)
    if faults()["unavailable"]:
        return HttpResponse("<html><body>503 Service Unavailable</body></html>", status=503, content_type="text/html")
    found = [r for r in _receipts(cf) if r["creditorReferenceId"] == iuv]
    if not found:
        return JsonResponse({"title": "Not found"}, status=404)
    return HttpResponse(receipt_xml(found[-1]), content_type="application/xml")


@csrf_exempt
def faults_view(request):
    """GET the faults; POST JSON to change them (tests and testers)."""
    if request.method == "POST":
        set_faults(**json.loads(request.body or "{}"))
    return JsonResponse(faults())


urlpatterns = [
    path("gpd/organizations/<str:cf>/debtpositions", debt_positions),
    path("gpd/organizations/<str:cf>/debtpositions/<str:iupd>", debt_position),
    path("gpd/organizations/<str:cf>/debtpositions/<str:iupd>/<str:action>", debt_position),
    path("checkout/ec/v1/carts", carts),
    path("checkout/<str:cart_id>/", checkout_page, name="pagopa_sandbox_checkout"),
    path("psp/", psp_counter, name="pagopa_sandbox_psp"),
    path("receipts/payments/<str:cf>/receipts", receipts_list),
    path("receipts/payments/<str:cf>/receipts/<str:iuv>", receipt_detail),
    path("guasti/", faults_view),
]
