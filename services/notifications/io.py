"""App IO REST client (api/v1) on httpx: profiles, messages, message status.

One IO service (and its subscription key) per Sportello service: settings.IO_SERVICES maps a key
(meals, transport, istanze, …) to {"key": "<Ocp-Apim-Subscription-Key>"}; IO_BASE_URL is the API base.
Timeouts, 429 and 5xx are transient (retried later by the outbox); other 4xx are permanent.
In development and tests IO_BASE_URL points at the local sandbox (io_sandbox.py); with IO_TRANSPORT =
"wsgi" the requests go to this process's WSGI application instead of the network (tests).
"""

import contextlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

import httpx

from services.core import observability
from services.core.http import in_process_transport

NOTICE_NUMBER = re.compile(r"^[0123][0-9]{17}$")
SUBJECT_LIMITS = (10, 120)
MARKDOWN_LIMITS = (80, 10000)


class IoError(Exception):
    def __init__(self, message: str, *, transient: bool, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


@dataclass(frozen=True)
class Profile:
    sender_allowed: bool
    preferred_languages: tuple[str, ...] = ()


def validate_content(subject: str, markdown: str, payment_data: dict | None = None) -> None:
    """IO's limits, checked before a message is queued (ValueError: a template or a caller is wrong)."""
    if not SUBJECT_LIMITS[0] <= len(subject) <= SUBJECT_LIMITS[1]:
        raise ValueError(f"IO subject must be {SUBJECT_LIMITS[0]}-{SUBJECT_LIMITS[1]} characters, not {len(subject)}")
    if not MARKDOWN_LIMITS[0] <= len(markdown) <= MARKDOWN_LIMITS[1]:
        raise ValueError(f"IO markdown must be {MARKDOWN_LIMITS[0]}-{MARKDOWN_LIMITS[1]} characters, not {len(markdown)}")
    if payment_data is not None:
        if not NOTICE_NUMBER.match(str(payment_data.get("notice_number", ""))):
            raise ValueError("IO payment_data.notice_number must match ^[0123][0-9]{17}$")
        if not isinstance(payment_data.get("amount"), int) or payment_data["amount"] <= 0:
            raise ValueError("IO payment_data.amount must be a positive number of cents")


_clients: dict[str, httpx.Client] = {}


def client_for(service: str) -> httpx.Client:
    """One reused client per IO service and process (connection keep-alive)."""
    found = _clients.get(service)
    if found is None:
        conf = settings.IO_SERVICES.get(service) or settings.IO_SERVICES.get("default") or {}
        transport = in_process_transport() if getattr(settings, "IO_TRANSPORT", "") == "wsgi" else None
        found = httpx.Client(base_url=settings.IO_BASE_URL.rstrip("/"), transport=transport,
                             timeout=httpx.Timeout(settings.IO_TIMEOUT, connect=3.0),
                             headers={"Ocp-Apim-Subscription-Key": conf.get("key", "")})
        _clients[service] = found
    return found


def _call(service: str, method: str, path: str, **kwargs) -> httpx.Response:
    parts = [part for part in path.split("/") if part]
    operation = f"{parts[2] if len(parts) > 2 else 'root'}_{method.lower()}"  # profiles_post, messages_get: never an id
    try:
        with observability.partner_call("io", operation) as call:
            response = client_for(service).request(method, path, **kwargs)
            call.outcome = "ok" if response.status_code < 400 else "refused" if response.status_code < 500 else "error"
    except httpx.TransportError as error:  # timeouts, refused connections
        raise IoError(f"App IO non risponde ({type(error).__name__})", transient=True) from error
    if response.status_code == 429 or response.status_code >= 500:
        raise IoError(f"App IO ha risposto {response.status_code}", transient=True, status=response.status_code)
    return response


def _json(response: httpx.Response) -> dict:
    """IO's JSON body; anything else (an HTML error page, a truncated answer) is a transient fault: the dispatch retries."""
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise IoError(f"App IO ha risposto {response.status_code} con un documento non leggibile", transient=True,
                      status=response.status_code)
    return data


def profile(service: str, fiscal_code: str) -> Profile | None:
    """The citizen's profile as this service sees it; None when they are not on IO."""
    response = _call(service, "POST", "/api/v1/profiles", json={"fiscal_code": fiscal_code})
    if response.status_code == 404:
        return None
    if response.status_code != 200:
        raise IoError(f"App IO ha rifiutato la richiesta del profilo ({response.status_code})", transient=False, status=response.status_code)
    data = _json(response)
    return Profile(sender_allowed=bool(data.get("sender_allowed")), preferred_languages=tuple(data.get("preferred_languages") or ()))


def submit(service: str, *, fiscal_code: str, subject: str, markdown: str, due_date: datetime | None = None,
           payment_data: dict | None = None) -> str:
    """Send a message; returns IO's id."""
    content = {"subject": subject, "markdown": markdown}
    if due_date is not None:  # aware; IO wants UTC
        content["due_date"] = due_date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if payment_data is not None:
        content["payment_data"] = payment_data
    response = _call(service, "POST", "/api/v1/messages", json={"fiscal_code": fiscal_code, "content": content})
    if response.status_code != 201:
        detail = ""
        with contextlib.suppress(ValueError):
            detail = response.json().get("detail", "")
        raise IoError(f"App IO ha rifiutato il messaggio ({response.status_code}) {detail}".strip(), transient=False,
                      status=response.status_code)
    try:  # 201 means IO has the message: an unreadable body must not make us send it again (no id, no status to follow)
        return str(_json(response).get("id") or "")
    except IoError:
        return ""


def status(service: str, *, fiscal_code: str, message_id: str) -> str:
    """IO's status of a message: ACCEPTED, THROTTLED, FAILED, PROCESSED, REJECTED."""
    response = _call(service, "GET", f"/api/v1/messages/{fiscal_code}/{message_id}")
    if response.status_code != 200:
        raise IoError(f"App IO non trova il messaggio ({response.status_code})", transient=False, status=response.status_code)
    return str(_json(response).get("status", ""))
