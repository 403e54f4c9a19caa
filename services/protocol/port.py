"""The protocol port: what Sportello asks of a Comune's protocol system, whoever supplies it (DESIGN §3, issue 31).

A *document* is registered inbound (an application, an integration's answer, a withdrawal) or outbound (an integration
request, an outcome); the system answers with its registration: the number (at least 7 digits), the date, and AgID's
identifier of the register (the administration's IPA code, the AOO, the register). Every supplier speaks its own API
(DocArea, Sicraweb ProWSApi, PiTre…): each is an adapter, one module registered from `AppConfig.ready()`; the
ente picks one with PROTOCOL_ADAPTER. This module knows no procedure and no domain.
"""

import re
from dataclasses import dataclass, field
from datetime import date


class ProtocolUnavailable(Exception):
    """The system did not answer, or answered an error that may pass (a timeout, a 5xx): try again later."""


class ProtocolRefused(Exception):
    """The system refused the document or answered something unusable: retrying the same call will not help. The
    message, in Italian, is for the operator who will look at it."""


class ManualRegistration(Exception):
    """The adapter cannot register by itself: an office clerk registers by hand and types the number in."""


@dataclass(frozen=True)
class Correspondent:
    name: str  # as a person reads it; a person's own parts below, where known
    given_name: str = ""
    family_name: str = ""
    fiscal_code: str = ""
    address: str = ""
    email: str = ""


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class Document:
    direction: str  # "in" (towards the Comune) or "out"
    subject: str
    correspondent: Correspondent
    main: Attachment | None = None
    attachments: tuple[Attachment, ...] = ()
    classification: str = ""  # titolario, e.g. "7.2"
    file_reference: str = ""  # fascicolo
    office: str = ""  # the office the document is assigned to
    profile: str = ""  # whose settings apply (a procedure's code, "urp"…): the admin's Protocol settings, by scope
    ipa: str = ""  # the administration's IPA code, its AOO and register (from the settings)
    aoo: str = ""
    register: str = ""
    administration: str = ""  # the Comune's name, the correspondent on the Comune's side


@dataclass(frozen=True)
class Registered:
    number: str
    on: date
    register: str = ""
    aoo: str = ""
    ipa: str = ""
    raw: dict = field(default_factory=dict)  # what the system answered, for the operator


INCOMPLETE = ("Impostazioni di protocollo incomplete: mancano il codice IPA dell'ente o il codice AOO "
              "(Protocollo › Impostazioni di protocollo).")
NUMBER = re.compile(r"^\d{7,}$")


def checked(result: Registered) -> Registered:
    """A number the way AgID's guidelines write it (at least 7 digits), or a refusal naming what came back."""
    if not isinstance(result, Registered) or not NUMBER.match(str(result.number or "")):
        raise ProtocolRefused(f"Il sistema di protocollo ha risposto con un numero non valido: {getattr(result, 'number', result)!r:.60}")
    if not isinstance(result.on, date):
        raise ProtocolRefused(f"Il sistema di protocollo ha risposto senza una data valida: {result.on!r:.60}")
    return result


class Adapter:
    """One supplier's API. `register` must be idempotent for the same `key` where the API allows (a reference the
    supplier stores); `lookup` reads back a registration made with `key`, so that a call that timed out is checked
    before it is made again."""

    code = ""
    label = ""

    def register(self, document: Document, *, key: str) -> Registered:
        raise NotImplementedError

    def lookup(self, *, key: str) -> Registered | None:
        return None


_adapters: dict[str, Adapter] = {}


def register_adapter(adapter: Adapter) -> None:
    _adapters[adapter.code] = adapter


def adapter(code: str) -> Adapter | None:
    return _adapters.get(code)


def adapters() -> list[Adapter]:
    return sorted(_adapters.values(), key=lambda a: a.code)
