"""The channels, as plug-ins: each is a `Channel` registered from an AppConfig.ready() with its code, its label, its
place in the fallback order, how it addresses a person, how it renders its part of a message and how it delivers it.
Adding one (PEC, SEND) is one class and one `register()` call: the person's preferences, the broadcasts' choices,
the fallback and the delivery statuses all read the registry.

    `render(base, context)`: the channel's own texts of a message (stored in `Message.parts[code]`), or {}
    `reaches(message)`: can it be tried at all for this message's recipient
    `send(message)`: deliver it; returns the provider's id, raises ChannelError (Unreachable: try the next one)
    `batch(messages)`: a context around sending several of them (a worker's batch): what they share is done once
    `reachable(users)`: the people of a queryset it can reach (the broadcast's confirmation counts them)

E-mail goes through Django's EMAIL_BACKEND (SMTP; files in development), SMS through SMS_BACKEND (a gateway; files in
development), App IO through io.py (the local sandbox in development and tests)."""

import contextlib
import contextvars

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.translation import gettext_lazy as _

from services.core.phones import PhoneError, normalise_phone

from . import io, kinds
from .sms import send_sms

PROFILE_TTL = 6 * 3600  # a citizen's IO profile, kept per service for a few hours

# What a batch shares while it is being sent (Channel.batch): the mail connection; the IO profiles read and asked.
_mail_connection: contextvars.ContextVar = contextvars.ContextVar("mail_connection", default=None)
_profiles: contextvars.ContextVar = contextvars.ContextVar("io_profiles", default=None)


def _profile_key(service: str, fiscal_code: str) -> str:
    return f"io-profile:{service}:{fiscal_code}"


class ChannelError(Exception):
    def __init__(self, message: str, *, transient: bool):
        super().__init__(message)
        self.transient = transient


class Unreachable(ChannelError):
    """This channel cannot reach the citizen (not on IO, service blocked): try the next one."""

    def __init__(self, message: str):
        super().__init__(message, transient=False)


class Channel:
    code = ""
    label = ""  # how a person reads it: "App IO", "e-mail"
    order = 100  # the fallback tries the channels in this order
    preference = ""  # the checkbox in the personal area's settings
    preference_help = ""
    needs = ""  # the account's field it addresses a person by ("email", "mobile_phone")
    needs_message = ""
    broadcast_label = ""  # the checkbox of a broadcast
    broadcast_default = False

    def render(self, base: str, context: dict, texts: dict) -> dict:
        """This channel's texts of a message, from its templates under `base` (`texts`: the subject and body)."""
        return {}

    def validate(self, part: dict, payment_data: dict | None) -> None:
        """Raise ValueError if the rendered part breaks the channel's limits (a template is wrong)."""

    def broadcast_error(self, subject: str, body: str) -> str:
        """Why a broadcast's text cannot go out on this channel, or ""."""
        return ""

    def wants(self, user) -> bool:
        return self.code in (getattr(user, "notify_channels", None) or [])

    def reaches(self, message) -> bool:
        raise NotImplementedError

    def send(self, message) -> str:
        raise NotImplementedError

    def reachable(self, users):
        return users

    def batch(self, messages: list) -> contextlib.AbstractContextManager:
        """Around sending `messages` one by one (the worker's batch): a channel may do once what they share."""
        return contextlib.nullcontext()


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> Channel:
    """Make a channel available; its preference appears in the personal area's settings."""
    from services.accounts import preferences

    _channels[channel.code] = channel
    if channel.preference:
        preferences.register(channel.code, label=channel.preference, order=channel.order, help=channel.preference_help,
                             needs=channel.needs, needs_message=channel.needs_message)
    return channel


def unregister(code: str) -> None:
    from services.accounts import preferences

    _channels.pop(code, None)
    preferences.unregister(code)


def ordered() -> list[Channel]:
    """Every channel, in the fallback's order."""
    return sorted(_channels.values(), key=lambda c: (c.order, c.code))


def codes() -> tuple[str, ...]:
    return tuple(c.code for c in ordered())


def get(code: str) -> Channel:
    return _channels[code]


def label(code: str) -> str:
    found = _channels.get(code)
    return str(found.label) if found else ("—" if code == "none" else code)


class Email(Channel):
    code, label, order = "email", _("e-mail"), 20
    preference, needs = _("Ricevi gli avvisi via e-mail"), "email"
    needs_message = _("Per ricevere gli avvisi via e-mail indica l'indirizzo.")
    broadcast_label, broadcast_default = _("Invia per e-mail"), True

    def reachable(self, users):
        return users.exclude(email="")

    def reaches(self, message) -> bool:
        return bool(message.address or (message.user and message.user.email))

    @contextlib.contextmanager
    def batch(self, messages):
        """One connection to the mail server for the batch, where each e-mail would open and close its own (with SMTP,
        a TCP and TLS handshake and a login per message). A message that fails closes it: the next one opens anew."""
        connection = get_connection()
        token = _mail_connection.set(connection)
        try:
            yield
        finally:
            _mail_connection.reset(token)
            with contextlib.suppress(Exception):  # a server already gone: nothing left to close
                connection.close()

    def send(self, message) -> str:
        to = message.address or message.user.email
        connection = _mail_connection.get()
        email = EmailMultiAlternatives(subject=message.subject, body=message.body, to=[to], connection=connection)
        if message.html:
            email.attach_alternative(message.html, "text/html")
        kind = kinds.get(message.kind)
        for name, content, mime in (kind.attachments(message) if kind.attachments else []):
            email.attach(name, content, mime)
        try:
            if connection is not None:
                connection.open()  # opened by the batch's first e-mail, or again after a failure closed it; else nothing
            email.send()
        except Exception as error:
            if connection is not None:  # a connection in an unknown state: the next e-mail opens a new one
                with contextlib.suppress(Exception):
                    connection.close()
            if isinstance(error, OSError):  # the SMTP server is down or refused: try again later
                raise ChannelError(f"server di posta: {error}"[:300], transient=True) from error
            raise
        return ""


class Sms(Channel):
    code, label, order = "sms", "SMS", 30
    preference, needs = _("Ricevi gli avvisi via SMS"), "mobile_phone"
    needs_message = _("Per ricevere gli SMS indica il numero di cellulare.")
    broadcast_label = _("Invia per SMS (solo ai cellulari verificati)")
    MAX = 320  # two SMS segments

    def render(self, base, context, texts):
        from .actions import optional_text

        return {"text": " ".join(optional_text(base + "sms.txt", context).split())}

    def validate(self, part, payment_data):
        if len(part.get("text", "")) > self.MAX:
            raise ValueError(f"SMS of {len(part['text'])} characters, at most {self.MAX}")

    def broadcast_error(self, subject, body):
        if len(body) > self.MAX:
            return str(_("Per l'SMS il testo può avere al massimo %(n)s caratteri: ora ne ha %(len)s.") % {"n": self.MAX, "len": len(body)})
        return ""

    def reachable(self, users):
        return users.filter(mobile_verified=True).exclude(mobile_phone="")

    def reaches(self, message) -> bool:
        user = message.user
        return bool(user and user.mobile_phone and user.mobile_verified and message.parts.get(self.code, {}).get("text"))

    def send(self, message) -> str:
        try:
            number = normalise_phone(message.user.mobile_phone, mobile=True)
        except PhoneError as error:
            raise Unreachable(f"numero non valido: {error}") from error
        try:
            send_sms(to=number, text=message.parts[self.code]["text"])
        except OSError as error:
            raise ChannelError(f"gateway SMS: {error}"[:300], transient=True) from error
        return ""


class AppIo(Channel):
    code, label, order = "io", "App IO", 10
    preference = _("Ricevi gli avvisi nell'App IO")
    preference_help = _("Se non usi l'App IO, o hai disattivato i messaggi del Comune, ti scriviamo per e-mail o SMS.")
    broadcast_label, broadcast_default = _("Invia in App IO (alle famiglie che la usano)"), True

    def render(self, base, context, texts):
        from .actions import optional_text

        return {"subject": " ".join(optional_text(base + "io_subject.txt", context).split()) or texts["subject"],
                "markdown": optional_text(base + "io.md", context) or texts["body"]}

    def validate(self, part, payment_data):
        io.validate_content(part["subject"], part["markdown"], payment_data)

    def reachable(self, users):
        from services.accounts.models import TRUSTED_FISCAL_CODE

        return users.filter(TRUSTED_FISCAL_CODE)

    def reaches(self, message) -> bool:
        # App IO reaches a codice fiscale: only one the Comune can stand behind (attested or registered by the Comune),
        # never one typed at the local sign-up, which may be someone else's.
        return bool(settings.IO_ENABLED and message.user and message.user.fiscal_code and message.parts.get(self.code, {}).get("subject")
                    and getattr(message.user, "fiscal_code_trusted", False))

    def _service(self, message) -> str:
        return kinds.get(message.kind).io_service or "default"

    @contextlib.contextmanager
    def batch(self, messages):
        """The batch's recipients' profiles read from the cache in one round trip, and the ones asked of IO written
        back in one, where each message would take two."""
        keys = [_profile_key(self._service(m), m.user.fiscal_code) for m in messages if m.user and m.user.fiscal_code]
        known = cache.get_many(keys) if keys else {}
        asked: dict[str, str] = {}
        token = _profiles.set((known, asked))
        try:
            yield
        finally:
            _profiles.reset(token)
            if asked:
                cache.set_many(asked, PROFILE_TTL)

    def _profile(self, service: str, fiscal_code: str):
        key = _profile_key(service, fiscal_code)
        batch = _profiles.get()
        found = batch[0].get(key) if batch else cache.get(key)
        if found is None:
            profile = io.profile(service, fiscal_code)
            found = "absent" if profile is None else ("allowed" if profile.sender_allowed else "blocked")
            if batch:
                batch[0][key] = batch[1][key] = found  # a second message to the same person in the batch asks no more
            else:
                cache.set(key, found, PROFILE_TTL)
        return found

    def send(self, message) -> str:
        service = self._service(message)
        fiscal_code = message.user.fiscal_code
        try:
            found = self._profile(service, fiscal_code)
            if found == "absent":
                raise Unreachable("non usa l'App IO")
            if found == "blocked":
                raise Unreachable("ha disattivato i messaggi di questo servizio in App IO")
            part = message.parts[self.code]
            return io.submit(service, fiscal_code=fiscal_code, subject=part["subject"], markdown=part["markdown"],
                             due_date=message.due_date, payment_data=message.payment_data)
        except io.IoError as error:
            raise ChannelError(str(error), transient=error.transient) from error


def register_builtin() -> None:
    """App IO, e-mail and SMS, registered by notifications' own ready() like any other channel."""
    for channel in (AppIo(), Email(), Sms()):
        register(channel)
