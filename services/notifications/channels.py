"""The channels behind one small interface: `reaches(message)` (can it be tried at all) and `send(message)`
(returns the provider's id, raises ChannelError). E-mail goes through Django's EMAIL_BACKEND (SMTP; files in
development), SMS through SMS_BACKEND (a gateway; files in development), App IO through io.py (the local
sandbox in development and tests)."""

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives

from services.core.phones import PhoneError, normalise_phone

from . import io, kinds
from .sms import send_sms

PROFILE_TTL = 6 * 3600  # a citizen's IO profile, kept per service for a few hours


class ChannelError(Exception):
    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


class Unreachable(ChannelError):
    """This channel cannot reach the citizen (not on IO, service blocked): try the next one."""

    def __init__(self, message: str):
        super().__init__(message, transient=False)


class Email:
    code = "email"

    def reaches(self, message) -> bool:
        return bool(message.address or (message.user and message.user.email))

    def send(self, message) -> str:
        to = message.address or message.user.email
        email = EmailMultiAlternatives(subject=message.subject, body=message.body, to=[to])
        if message.html:
            email.attach_alternative(message.html, "text/html")
        kind = kinds.get(message.kind)
        for name, content, mime in (kind.attachments(message) if kind.attachments else []):
            email.attach(name, content, mime)
        try:
            email.send()
        except OSError as error:  # the SMTP server is down or refused: try again later
            raise ChannelError(f"server di posta: {error}"[:300], transient=True) from error
        return ""


class Sms:
    code = "sms"

    def reaches(self, message) -> bool:
        user = message.user
        return bool(user and user.mobile_phone and user.mobile_verified and message.sms)

    def send(self, message) -> str:
        try:
            number = normalise_phone(message.user.mobile_phone, mobile=True)
        except PhoneError as error:
            raise Unreachable(f"numero non valido: {error}") from error
        try:
            send_sms(to=number, text=message.sms)
        except OSError as error:
            raise ChannelError(f"gateway SMS: {error}"[:300], transient=True) from error
        return ""


class AppIo:
    code = "io"

    def reaches(self, message) -> bool:
        # App IO reaches a codice fiscale: only one the Comune can stand behind (attested or registered by the Comune),
        # never one typed at the local sign-up, which may be someone else's.
        return bool(settings.IO_ENABLED and message.user and message.user.fiscal_code and message.io_subject
                    and getattr(message.user, "fiscal_code_trusted", False))

    def _profile(self, service: str, fiscal_code: str):
        key = f"io-profile:{service}:{fiscal_code}"
        found = cache.get(key)
        if found is None:
            profile = io.profile(service, fiscal_code)
            found = "absent" if profile is None else ("allowed" if profile.sender_allowed else "blocked")
            cache.set(key, found, PROFILE_TTL)
        return found

    def send(self, message) -> str:
        service = kinds.get(message.kind).io_service or "default"
        fiscal_code = message.user.fiscal_code
        try:
            found = self._profile(service, fiscal_code)
            if found == "absent":
                raise Unreachable("non usa l'App IO")
            if found == "blocked":
                raise Unreachable("ha disattivato i messaggi di questo servizio in App IO")
            return io.submit(service, fiscal_code=fiscal_code, subject=message.io_subject, markdown=message.io_markdown,
                             due_date=message.due_date, payment_data=message.payment_data)
        except io.IoError as error:
            raise ChannelError(str(error), transient=error.transient) from error


CHANNELS = {"email": Email(), "sms": Sms(), "io": AppIo()}
