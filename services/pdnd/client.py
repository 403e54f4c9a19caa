"""Calls to e-services through PDND: the voucher, the ModI headers, the access register, three clear errors.

Every call is recorded in `Consultation` with who asked, the reason and the reference the caller gives, and the
person whose data was read as a keyed hash. Nothing personal goes to the logs: they name the e-service and the outcome.
"""

import contextlib
import json
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings

import httpx

from services.core.tokens import keyed_hash

from . import modi
from .models import Consultation

logger = logging.getLogger(__name__)
MAX_BODY = 500_000


class PdndError(Exception):
    outcome = Consultation.Outcome.UNAVAILABLE


class NotFound(PdndError):
    """The registry holds nothing for that person."""

    outcome = Consultation.Outcome.NOT_FOUND


class NotAuthorised(PdndError):
    """PDND or the e-service refused us: a voucher, a purpose or a signature that is not accepted."""

    outcome = Consultation.Outcome.NOT_AUTHORISED


class Unavailable(PdndError):
    """No answer in time, an HTTP error, or an answer that is not what the e-service promises: enter by hand."""


@dataclass(frozen=True)
class Caller:
    """Who asks and why: the register's row, and the tracking evidence's pseudonymous user."""

    user: object  # the signed-in person or operator (None for a task)
    reason: str
    reference: str = ""
    level: str = "substantial"  # the login's level of assurance (eIDAS terms: SPID/CIE level 2 substantial, 3 high)


def enabled() -> bool:
    return bool(settings.PDND_CLIENT_ID)


def http_client() -> httpx.Client:
    kwargs = {"timeout": settings.PDND_TIMEOUT, "follow_redirects": False}
    if settings.PDND_TRANSPORT == "wsgi":
        from services.core.http import in_process_transport

        kwargs["transport"] = in_process_transport()
    return httpx.Client(**kwargs)


def _json(response: httpx.Response) -> dict:
    if len(response.content) > MAX_BODY:
        raise Unavailable("answer too long")
    try:
        data = response.json()
    except ValueError as exc:
        raise Unavailable("answer is not JSON") from exc
    if not isinstance(data, dict):
        raise Unavailable("answer is not an object")
    return data


def voucher(client: httpx.Client, *, purpose_id: str, evidence: str) -> str:
    """A voucher for this purpose, bound to this call's tracking evidence (so obtained for each call)."""
    response = client.post(settings.PDND_TOKEN_URL, data={
        "client_id": settings.PDND_CLIENT_ID, "grant_type": "client_credentials",
        "client_assertion_type": modi.ASSERTION_TYPE,
        "client_assertion": modi.client_assertion(purpose_id=purpose_id, evidence=evidence),
    })
    if response.status_code in (400, 401, 403):
        raise NotAuthorised(f"voucher refused ({response.status_code})")
    if response.status_code != 200:
        raise Unavailable(f"token endpoint answered {response.status_code}")
    token = _json(response).get("access_token")
    if not isinstance(token, str) or not token:
        raise Unavailable("no voucher in the answer")
    return token


@contextlib.contextmanager
def consultation(*, eservice: str, purpose_id: str, subject: str, caller: Caller):
    """Around one call: the register's row (written whatever happens) and the error's class logged, nothing more."""
    started, outcome = time.monotonic(), Consultation.Outcome.OK
    try:
        if not purpose_id:
            raise NotAuthorised("e-service not configured")
        yield
    except PdndError as exc:
        outcome = exc.outcome
        logger.warning("PDND %s: %s (%s)", eservice, outcome, exc)
        raise
    except Exception:  # a fault of ours: the register must not say the call succeeded
        outcome = Consultation.Outcome.UNAVAILABLE
        raise
    finally:
        Consultation.objects.create(
            eservice=eservice, purpose_id=purpose_id[:64], user=caller.user if getattr(caller.user, "pk", None) else None,
            subject=keyed_hash("pdnd-subject", subject)[:32], reason=caller.reason[:200], reference=caller.reference[:64],
            outcome=outcome, duration_ms=int((time.monotonic() - started) * 1000), tracking_id=uuid.uuid4().hex)


def user_id(caller: Caller) -> str:
    """The tracking evidence's user: pseudonymous, stable per account, never the codice fiscale."""
    return keyed_hash("pdnd-user", str(getattr(caller.user, "pk", "") or "task"))[:32]


def call(*, eservice: str, url: str, audience: str, purpose_id: str, body: dict, subject: str, caller: Caller) -> dict:
    """POSTs `body` to a REST e-service with a voucher and the ModI headers; records the consultation; returns JSON."""
    with consultation(eservice=eservice, purpose_id=purpose_id, subject=subject, caller=caller):
        if not url:
            raise NotAuthorised("e-service not configured")
        payload = json.dumps(body, separators=(",", ":")).encode()
        digest = modi.body_digest(payload)
        evidence = modi.tracking_evidence(audience=audience, purpose_id=purpose_id, user_id=user_id(caller),
                                          level=caller.level)
        try:
            with http_client() as client:
                token = voucher(client, purpose_id=purpose_id, evidence=evidence)
                response = client.post(url, content=payload, headers={
                    "Authorization": f"Bearer {token}", "Content-Type": "application/json", "Digest": digest,
                    "Agid-JWT-Signature": modi.integrity_signature(audience=audience, digest=digest),
                    "Agid-JWT-TrackingEvidence": evidence,
                })
        except httpx.HTTPError as exc:
            raise Unavailable(type(exc).__name__) from exc
        if response.status_code == 404:
            raise NotFound("no record")
        if response.status_code in (401, 403):
            raise NotAuthorised(f"e-service answered {response.status_code}")
        if response.status_code != 200:
            raise Unavailable(f"e-service answered {response.status_code}")
        return _json(response)
