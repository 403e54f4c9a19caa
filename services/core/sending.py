"""The small sending interface for code below `notifications` (accounts' e-mail and mobile verification).

`notifications` is the only code that sends anything; it registers itself here from its `AppConfig.ready()`.
Code that may not import it (core, accounts) calls `send_email` / `send_sms`, which fail loudly when no
sender is registered rather than dropping a message.
"""

from typing import Protocol


class Sender(Protocol):
    def send_email(self, *, to: str, subject: str, text: str, html: str = "") -> None: ...

    def send_sms(self, *, to: str, text: str) -> None: ...


_sender: Sender | None = None


def register_sender(sender: Sender) -> None:
    global _sender
    _sender = sender


def _current() -> Sender:
    if _sender is None:
        raise RuntimeError("no sender is registered: is services.notifications installed?")
    return _sender


def send_email(*, to: str, subject: str, text: str, html: str = "") -> None:
    _current().send_email(to=to, subject=subject, text=text, html=html)


def send_sms(*, to: str, text: str) -> None:
    _current().send_sms(to=to, text=text)
