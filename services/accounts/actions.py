"""Writes of the accounts app."""

from .models import ATTESTED, LoginEvent, User


def login_event_record(*, user: User, method: str, provider: str = "", level: str = "") -> LoginEvent:
    return LoginEvent.objects.create(user=user, method=method, provider=provider[:200], level=level)


def identity_attested(*, user: User, method: str, level: int) -> None:
    """After a SPID/CIE/CNS login: the account's codice fiscale is attested by that method, at this login's level."""
    if method not in ATTESTED:
        return
    User.objects.filter(pk=user.pk).update(fiscal_code_source=method, assurance_level=level)
    user.fiscal_code_source, user.assurance_level = method, level
