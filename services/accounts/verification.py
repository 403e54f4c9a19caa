"""Proving ownership of an e-mail address (a link) or a mobile number (a code by SMS)."""

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from services.core import sending

from .models import User, VerificationCode

EMAIL_VALIDITY = timedelta(hours=24)
SMS_VALIDITY = timedelta(minutes=10)
MAX_ATTEMPTS = 5
MAX_CODES_PER_HOUR = 3


class VerificationError(Exception):
    """A user-facing reason, in Italian."""


def _hash(user: User, secret: str) -> str:
    return hashlib.sha256(f"{user.pk}:{secret}:{settings.SECRET_KEY}".encode()).hexdigest()


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
    if not secrets.compare_digest(code.code_hash, _hash(user, secret.strip())):
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
