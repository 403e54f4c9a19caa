"""Writes of the accounts app."""

import hashlib
import secrets

from django.db import IntegrityError, transaction

from .models import ATTESTED, LOGIN_MATCHES, LoginEvent, User


def username_for(code: str) -> str:
    """The attested account's username is its codice fiscale, unless an older row holds it."""
    if not User.objects.filter(username=code).exists():
        return code
    return f"{code}-{secrets.token_hex(3)}"


def attested_account(*, code: str, method: str) -> tuple[User, bool]:
    """The account a SPID/CIE/CNS login of `code` signs into: an attested one, or one the Comune registered (which this
    login now proves); never a declared one, whose password belongs to whoever signed up. A new one is returned
    unsaved (created=True): `attested_account_save` stores it."""
    user = User.objects.filter(fiscal_code=code, fiscal_code_source__in=LOGIN_MATCHES).first()
    if user is not None:
        if not user.fiscal_code_attested:
            user.fiscal_code_source = method
        return user, False
    user = User(fiscal_code=code, username=username_for(code), fiscal_code_source=method)
    user.set_unusable_password()
    return user, True


def _save_new(user: User, **existing) -> User:
    """Two logins of the same person at once both try to create the account: the second finds the first's."""
    if user.pk is not None:
        user.save()
        return user
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        found = User.objects.filter(**existing).first()
        if found is None:
            raise
        return found
    return user


def attested_account_save(user: User) -> User:
    return _save_new(user, fiscal_code=user.fiscal_code, fiscal_code_source__in=LOGIN_MATCHES)


def eidas_account(identifier: str) -> tuple[User, bool]:
    """The account of an EU citizen signed in through eIDAS, by the identifier their node gives; a new one unsaved."""
    user = User.objects.filter(eidas_identifier=identifier).first()
    if user is not None:
        return user, False
    digest = hashlib.sha256(identifier.encode()).hexdigest()[:24]
    user = User(username=f"eidas-{digest}", eidas_identifier=identifier, fiscal_code=None)
    user.set_unusable_password()
    return user, True


def eidas_account_save(user: User) -> User:
    return _save_new(user, eidas_identifier=user.eidas_identifier)


def login_event_record(*, user: User, method: str, provider: str = "", level: str = "") -> LoginEvent:
    return LoginEvent.objects.create(user=user, method=method, provider=provider[:200], level=level)


def identity_attested(*, user: User, method: str, level: int) -> None:
    """After a SPID/CIE/CNS login: the account's codice fiscale is attested by that method, at this login's level.
    After an eIDAS login only the level is kept: eIDAS proves no codice fiscale."""
    if method == "eidas":  # the level of the identity, but no codice fiscale
        User.objects.filter(pk=user.pk).update(assurance_level=level)
        user.assurance_level = level
        return
    if method not in ATTESTED:
        return
    User.objects.filter(pk=user.pk).update(fiscal_code_source=method, assurance_level=level)
    user.fiscal_code_source, user.assurance_level = method, level
