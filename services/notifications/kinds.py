"""Kinds of message. A domain registers each kind it sends from its `AppConfig.ready()`; `notifications`
knows none of them by name.

    kinds.register("istanze.receipt", label="Ricevuta della domanda", mandatory=True, io_service="istanze",
                   attachments=receipt_attachments)

The texts are templates per kind and channel in templates/notifications/messages/<kind>/:
`subject.txt` and `body.txt` (e-mail, and the personal area), optional `body.html`, and each channel's own
(channels.py): `sms.txt` (at most 320 characters), `io_subject.txt` (10–120) and `io.md` (80–10,000, markdown).
They are rendered when the message is queued, with the context the caller gives.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    mandatory: bool = False  # must reach the citizen: no opt-out, at least one channel
    io_service: str = ""  # the key of settings.IO_SERVICES whose service sends it on App IO
    attachments: Callable | None = None  # (message) -> [(filename, bytes, mime type)], built when the e-mail is sent
    in_area: bool = True  # listed in the personal area's Messaggi


_kinds: dict[str, Kind] = {}


def register(code: str, *, label, mandatory: bool = False, io_service: str = "", attachments: Callable | None = None,
             in_area: bool = True) -> Kind:
    kind = Kind(code=code, label=label, mandatory=mandatory, io_service=io_service, attachments=attachments, in_area=in_area)
    _kinds[code] = kind
    return kind


def get(code: str) -> Kind:
    return _kinds[code]


def mandatory() -> list[Kind]:
    """The kinds that must reach the citizen: receipts, integration requests, outcomes and acts, notices and receipts."""
    return sorted((k for k in _kinds.values() if k.mandatory), key=lambda k: str(k.label))


def optional() -> list[Kind]:
    """The kinds a citizen may opt out of, per channel."""
    return sorted((k for k in _kinds.values() if not k.mandatory), key=lambda k: str(k.label))
