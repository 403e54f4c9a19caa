"""pagoPA REST client (GPD debt positions, Checkout carts, GPD payments receipts) on httpx.

Explicit timeouts; retries with exponential backoff on network errors and 5xx; a 409 on create
is "maybe created" and is confirmed with a GET. Base URLs and the subscription key come from
settings (PAGOPA_GPD_URL, PAGOPA_CHECKOUT_URL, PAGOPA_RECEIPTS_URL, PAGOPA_SUBSCRIPTION_KEY);
in development and tests they point at the sandbox (services/payments/sandbox).
"""

import logging
import re
import threading
import time
from dataclasses import dataclass

from django.conf import settings

import httpx

from services.core import observability
from services.core.money import parse_amount, to_cents

logger = logging.getLogger(__name__)
RETRIES = 3
BACKOFF = 0.2  # seconds, doubled at each retry


class PagoPAError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


@dataclass
class CheckoutUrls:
    ok: str
    cancel: str
    error: str


_clients: dict[tuple, httpx.Client] = {}
_clients_lock = threading.Lock()


def _client() -> httpx.Client:
    """One client per process and configuration, reused: a new one loads the CA bundle (~30 ms) and opens a new
    connection, and a top-up makes three calls (create, read, cart). httpx's client is safe across threads."""
    key = (settings.PAGOPA_TIMEOUT, settings.PAGOPA_SUBSCRIPTION_KEY)
    found = _clients.get(key)
    if found is None:
        with _clients_lock:
            found = _clients.get(key) or httpx.Client(
                timeout=httpx.Timeout(settings.PAGOPA_TIMEOUT, connect=3.0),
                headers={"Ocp-Apim-Subscription-Key": settings.PAGOPA_SUBSCRIPTION_KEY},
                follow_redirects=False,
            )
            _clients[key] = found
    return found


def _operation(method: str, url: str) -> str:
    """The metric's name for a call: which API of pagoPA, never an identifier from the URL."""
    for marker, name in (("/carts", "checkout"), ("/receipts", "receipts"), ("/debtpositions", "gpd"), ("/paymentoptions", "gpd")):
        if marker in url:
            return f"{name}_{method.lower()}"
    return f"other_{method.lower()}"


def _request(method: str, url: str, *, retry_on_5xx=True, **kwargs) -> httpx.Response:
    delay = BACKOFF
    for attempt in range(1, RETRIES + 1):
        try:
            with observability.partner_call("pagopa", _operation(method, url)) as call:
                response = _client().request(method, url, **kwargs)
                call.outcome = "ok" if response.status_code < 400 else "refused" if response.status_code < 500 else "error"
        except httpx.TransportError as error:  # timeouts, refused connections
            logger.warning("pagoPA %s failed (%s), attempt %s", method, type(error).__name__, attempt)
            if attempt == RETRIES:
                raise PagoPAError(f"pagoPA non risponde: {type(error).__name__}") from error
        else:
            if response.status_code < 500 or not retry_on_5xx:
                return response
            logger.warning("pagoPA %s answered %s, attempt %s", method, response.status_code, attempt)
            if attempt == RETRIES:
                raise PagoPAError(f"pagoPA ha risposto {response.status_code}", response.status_code)
        time.sleep(delay)
        delay *= 2
    raise AssertionError("unreachable")


def _json(response: httpx.Response) -> dict:
    """pagoPA's JSON body; a body that is not a JSON object (a proxy's HTML page, a truncated answer) is pagoPA's fault,
    retried like a 5xx by whoever called."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise PagoPAError(f"pagoPA ha risposto {response.status_code} con un documento non leggibile", response.status_code)
    return data


def _positions_url(position) -> str:
    return f"{settings.PAGOPA_GPD_URL}/organizations/{position.ente_fiscal_code}/debtpositions"


def position_payload(position, creditor) -> dict:
    cents = to_cents(position.amount)
    return {
        "iupd": position.iupd,
        "type": "F",
        "fiscalCode": position.debtor_fiscal_code,
        "fullName": position.debtor_name,
        "companyName": creditor.company_name[:140],
        "officeName": creditor.office_name[:140],
        "switchToExpired": False,
        "paymentOption": [{
            "iuv": position.iuv,
            "nav": position.nav,
            "amount": cents,
            "description": position.description[:140],
            "isPartialPayment": False,
            "dueDate": f"{position.due_date.isoformat()}T23:59:59",
            "transfer": [{
                "idTransfer": "1",
                "amount": cents,
                "remittanceInformation": position.description[:140],
                "category": position.taxonomy,
                "iban": creditor.iban,
            }],
        }],
    }


def gpd_create(position, creditor) -> dict:
    """Create and publish; returns GPD's position. Safe to call again: a 409 is confirmed with a GET."""
    response = _request("POST", _positions_url(position), params={"toPublish": "true"}, json=position_payload(position, creditor))
    if response.status_code == 201:
        return _json(response)
    if response.status_code == 409:
        found = gpd_get(position)
        if found is not None:
            return found
    raise PagoPAError(f"creazione della posizione rifiutata ({response.status_code})", response.status_code)


def gpd_get(position) -> dict | None:
    response = _request("GET", f"{_positions_url(position)}/{position.iupd}")
    if response.status_code == 200:
        return _json(response)
    if response.status_code == 404:
        return None
    raise PagoPAError(f"lettura della posizione fallita ({response.status_code})", response.status_code)


def gpd_invalidate(position) -> dict:
    response = _request("POST", f"{_positions_url(position)}/{position.iupd}/invalidate")
    if response.status_code == 200:
        return _json(response)
    raise PagoPAError(f"annullamento rifiutato ({response.status_code})", response.status_code)


def checkout_cart(position, creditor, urls: CheckoutUrls, email: str = "") -> str:
    """The Checkout address to send the citizen to (a 302 from pagoPA; never followed here)."""
    body = {
        "paymentNotices": [{
            "noticeNumber": position.nav, "fiscalCode": position.ente_fiscal_code, "amount": to_cents(position.amount),
            "companyName": creditor.company_name[:140], "description": position.description[:140],
        }],
        "returnUrls": {"returnOkUrl": urls.ok, "returnCancelUrl": urls.cancel, "returnErrorUrl": urls.error},
        "idCart": str(position.public_id),
    }
    if email:
        body["emailNotice"] = email
    response = _request("POST", f"{settings.PAGOPA_CHECKOUT_URL}/carts", json=body)
    if response.status_code == 302 and response.headers.get("Location"):
        return response.headers["Location"]
    raise PagoPAError(f"pagoPA Checkout non disponibile ({response.status_code})", response.status_code)


def receipts_list(ente_fiscal_code: str, *, date_from=None, date_to=None, page_size=100) -> list[dict]:
    params = {"pageSize": page_size}
    if date_from:
        params["from"] = date_from.isoformat()
    if date_to:
        params["to"] = date_to.isoformat()
    response = _request("GET", f"{settings.PAGOPA_RECEIPTS_URL}/payments/{ente_fiscal_code}/receipts", params=params)
    if response.status_code != 200:
        raise PagoPAError(f"elenco ricevute non disponibile ({response.status_code})", response.status_code)
    results = _json(response).get("results", [])
    if not isinstance(results, list):
        raise PagoPAError("elenco ricevute non leggibile", response.status_code)
    return results


def receipt_get(ente_fiscal_code: str, iuv: str) -> str | None:
    """The receipt document (XML, as GPD's payments-receipts-service returns it), or None."""
    response = _request("GET", f"{settings.PAGOPA_RECEIPTS_URL}/payments/{ente_fiscal_code}/receipts/{iuv}")
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise PagoPAError(f"ricevuta non disponibile ({response.status_code})", response.status_code)
    return response.text


def payment_date(text: str):
    """The receipt's paymentDateTime as an aware date-time (Rome when it carries no offset); None when absent.
    ValueError for a date that does not exist (2026-02-30) or is not one: the receipt is malformed."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    if not text:
        return None
    parsed = parse_datetime(text)  # ValueError for an impossible date
    if parsed is None:
        raise ValueError(f"paymentDateTime is not a date-time: {text[:40]}")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class ReceiptError(ValueError):
    """A pushed receipt that breaks pagoPA's schema; the message says which field, for the partner's logs."""


# ctReceiptV2's simple types, as far as we store them (ASCII only: `\d` would take any script's digits).
RECEIPT_FIELDS = {
    "receiptId": re.compile(r"[!-~]{1,35}"),  # stText35
    "creditorReferenceId": re.compile(r"[0-9A-Za-z]{1,17}"),  # our IUV: 17 digits (codes.py)
    "fiscalCode": re.compile(r"[0-9]{11}"),  # the creditor's codice fiscale
    "outcome": re.compile(r"OK|KO"),
    "paymentAmount": re.compile(r"[0-9]{1,9}(\.[0-9]{1,2})?"),  # stAmount: up to 999,999,999.99
}


def parse_receipt_xml(text: str) -> dict:
    """The fields we use from a ctReceiptV2 document (paSendRTV2 / receipts API), namespaces ignored; each checked
    against the schema's type before anything is stored (ReceiptError names the field)."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException, ElementTree  # untrusted input: no entities, no external references

    try:
        root = ElementTree.fromstring(text)
    except (ParseError, DefusedXmlException) as error:
        raise ReceiptError("the body is not a well-formed receipt document") from error
    values = {element.tag.rsplit("}", 1)[-1]: (element.text or "").strip() for element in root.iter()}
    for name, pattern in RECEIPT_FIELDS.items():
        if not pattern.fullmatch(values.get(name, "")):
            raise ReceiptError(f"{name} is missing or does not match its type")
    if len(values.get("PSPCompanyName", "")) > 140:
        raise ReceiptError("PSPCompanyName is longer than 140 characters")
    try:
        payment_date(values.get("paymentDateTime", ""))
    except ValueError as error:  # an impossible date: the receipt is malformed
        raise ReceiptError("paymentDateTime is not a date-time") from error
    return {
        "receiptId": values.get("receiptId", ""),
        "iuv": values.get("creditorReferenceId", ""),
        "fiscalCode": values.get("fiscalCode", ""),
        "outcome": values.get("outcome", ""),
        "amountCents": to_cents(parse_amount(values.get("paymentAmount", "0") or "0")),
        "paymentDateTime": values.get("paymentDateTime", ""),
        "pspCompanyName": values.get("PSPCompanyName", ""),
    }
