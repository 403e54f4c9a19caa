"""Proving ownership of an e-mail address (a link) or a mobile number (a code by SMS): an account's contacts, and
addresses without an account (an anonymous request to the URP), with the same links, validity and limits."""

import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from services.core import sending
from services.core.tokens import keyed_hash, matches

from .models import User, VerificationCode

EMAIL_VALIDITY = timedelta(hours=24)
SMS_VALIDITY = timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3


class VerificationError(Exception):
    """A user-facing reason, in Italian."""


def _hash(user: User, secret: str) -> str:
    return keyed_hash(f"verification:{user.pk}", secret)


def _check_rate(user: User, channel: str) -> None:
    recent = VerificationCode.objects.filter(user=user, channel=channel, created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise VerificationError("Hai chiesto troppi codici nell'ultima ora: riprova più tardi.")


@transaction.atomic
def verification_start(*, user: User, channel: str, base_url: str) -> None:
    """Send a new code or link for the user's current e-mail or mobile; older ones stop working."""
    user = User.objects.select_for_update().get(pk=user.pk)
    target = user.email if channel == VerificationCode.Channel.EMAIL else user.mobile_phone
    if not target:
        raise VerificationError("Indica prima l'indirizzo o il numero da verificare.")
    _check_rate(user, channel)
    VerificationCode.objects.filter(user=user, channel=channel, used_at__isnull=True).update(used_at=timezone.now())
    if channel == VerificationCode.Channel.EMAIL:
        secret = secrets.token_urlsafe(32)
        validity = EMAIL_VALIDITY
        link = base_url + reverse("accounts:verify_email", args=[secret])
        message = partial(
            sending.send_email,
            to=target,
            subject="Conferma il tuo indirizzo e-mail",
            text=f"Per confermare questo indirizzo per gli avvisi del Comune apri il collegamento entro 24 ore:\n\n{link}\n\n"
            "Se non sei stato tu, ignora questo messaggio.",
        )
    else:
        secret = f"{secrets.randbelow(1_000_000):06d}"
        validity = SMS_VALIDITY
        message = partial(sending.send_sms, to=target, text=f"Il tuo codice di verifica è {secret}. Vale 10 minuti.")
    VerificationCode.objects.create(
        user=user, channel=channel, target=target, code_hash=_hash(user, secret), expires_at=timezone.now() + validity
    )
    transaction.on_commit(message)


def verification_confirm(*, user: User, channel: str, secret: str) -> None:
    # The failed attempt must be counted even though the caller is told it failed: the
    # transaction commits first, and the error is raised outside it.
    error = _confirm(user=user, channel=channel, secret=secret)
    if error:
        raise VerificationError(error)


@transaction.atomic
def _confirm(*, user: User, channel: str, secret: str) -> str | None:
    user = User.objects.select_for_update().get(pk=user.pk)
    code = (
        VerificationCode.objects.select_for_update()
        .filter(user=user, channel=channel, used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if code is None:
        return "Il codice è scaduto o non è più valido: chiedine uno nuovo."
    current = user.email if channel == VerificationCode.Channel.EMAIL else user.mobile_phone
    if code.target != current:
        return "Il recapito è cambiato dopo l'invio del codice: chiedine uno nuovo."
    if code.attempts >= MAX_ATTEMPTS:
        return "Troppi tentativi con questo codice: chiedine uno nuovo."
    if not matches(code.code_hash, f"verification:{user.pk}", secret.strip()):
        code.attempts += 1
        code.save(update_fields=["attempts"])
        return "Il codice non è corretto."
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    if channel == VerificationCode.Channel.EMAIL:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    else:
        user.mobile_verified = True
        user.save(update_fields=["mobile_verified"])
    return None


# Addresses without an account ------------------------------------------------------------------------------------
# A service registers what a confirmed link does for its purpose, from its AppConfig.ready():
#     verification.register_purpose("assistance", on_confirmed)   # on_confirmed(reference, address) -> URL to go to
_purposes: dict[str, Callable[[str, str], str]] = {}


def register_purpose(purpose: str, on_confirmed: Callable[[str, str], str]) -> None:
    _purposes[purpose] = on_confirmed


def _address_hash(secret: str) -> str:
    return keyed_hash("address", secret)


@transaction.atomic
def address_verification_start(*, address: str, purpose: str, reference: str, base_url: str, subject: str, text: str) -> None:
    """E-mail a one-time link to an address without an account; `text` holds `{link}`. Three links an hour per address."""
    if purpose not in _purposes:
        raise LookupError(f"no verification purpose {purpose!r}")
    recent = VerificationCode.objects.filter(user=None, channel=VerificationCode.Channel.EMAIL, target__iexact=address,
                                             created_at__gte=timezone.now() - timedelta(hours=1))
    if recent.count() >= MAX_CODES_PER_HOUR:
        raise VerificationError("Hai chiesto troppe conferme per questo indirizzo nell'ultima ora: riprova più tardi.")
    secret = secrets.token_urlsafe(32)
    VerificationCode.objects.create(user=None, channel=VerificationCode.Channel.EMAIL, target=address, purpose=purpose,
                                    reference=reference, code_hash=_address_hash(secret),
                                    expires_at=timezone.now() + EMAIL_VALIDITY)
    link = base_url + reverse("accounts:verify_address", args=[secret])
    transaction.on_commit(partial(sending.send_email, to=address, subject=subject, text=text.format(link=link)))


@transaction.atomic
def address_verification_confirm(*, secret: str) -> str:
    """Use a link once: the purpose's handler runs in this transaction and gives the address to go to."""
    code = (VerificationCode.objects.select_for_update()
            .filter(user=None, code_hash=_address_hash(secret.strip()), used_at__isnull=True, expires_at__gt=timezone.now())
            .first())
    if code is None or code.purpose not in _purposes or not matches(code.code_hash, "address", secret.strip()):
        raise VerificationError("Il collegamento è scaduto o è già stato usato.")
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    return _purposes[code.purpose](code.reference, code.target)
