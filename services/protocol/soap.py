"""SOAP for the protocol adapters: a zeep client on a WSDL shipped with the adapter (never fetched from the network),
pointed at the Comune's address, over httpx; and one translation of what can go wrong into the port's two answers
(try again later, or refused with a reason the operator reads)."""

import contextlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings

import httpx
import zeep
import zeep.exceptions
from lxml.etree import XMLSyntaxError

from services.core import observability
from services.core.soap import HttpxTransport

from .port import ProtocolRefused, ProtocolUnavailable


@lru_cache(maxsize=8)
def _client(wsdl: str, timeout: float, in_process: bool) -> zeep.Client:
    return zeep.Client(wsdl, transport=HttpxTransport(timeout, in_process))


def service(wsdl: Path, binding: str, address: str):
    """The operations of `binding` (its qualified name) at `address`; the client is built once per process."""
    return _client(str(wsdl), settings.PROTOCOL_TIMEOUT, settings.PROTOCOL_TRANSPORT == "wsgi").create_service(binding, address)


def _translated(error: Exception) -> tuple[Exception, str] | None:
    """The port's exception for what a SOAP call raised, and the metric's outcome; None: not a partner's answer."""
    if isinstance(error, httpx.TransportError):
        return ProtocolUnavailable(f"Il sistema di protocollo non risponde ({type(error).__name__})."), "error"
    if isinstance(error, zeep.exceptions.Fault):
        message = (error.message or "").strip()[:300]
        if not message or error.code is None:  # zeep's "Unknown fault occured": no Fault, or one without its parts
            return ProtocolUnavailable("Il sistema di protocollo ha risposto con un errore SOAP senza motivo."), "error"
        if str(error.code or "").split(":")[-1].lower() in ("server", "receiver"):
            return ProtocolUnavailable(f"Errore del sistema di protocollo: {message}"), "error"
        return ProtocolRefused(f"Il sistema di protocollo ha rifiutato il documento: {message}"), "refused"
    if isinstance(error, zeep.exceptions.TransportError):
        return ProtocolUnavailable(f"Il sistema di protocollo ha risposto {error.status_code} con un contenuto "
                                   "non leggibile."), "error"
    if isinstance(error, zeep.exceptions.Error | XMLSyntaxError):
        return ProtocolRefused(f"Risposta del sistema di protocollo non conforme al WSDL: {str(error)[:200]}"), "refused"
    return None


@contextlib.contextmanager
def calling(system: str, operation: str):
    """Around one SOAP call: timeouts, refused connections, 5xx and unreadable answers are `ProtocolUnavailable`
    (the registration is tried again later); a SOAP fault the client caused, or an answer the WSDL does not
    describe, is `ProtocolRefused` with what the system said."""
    failure = None
    with observability.partner_call(system, operation) as call:
        try:
            yield
            call.ok()
        except Exception as error:
            found = _translated(error)
            if found is None:
                raise
            failure, call.outcome = found[0], found[1]
            failure.__cause__ = error
    if failure is not None:
        raise failure
