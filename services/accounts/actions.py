"""Writes of the accounts app."""

from .models import LoginEvent, User


def login_event_record(*, user: User, method: str, provider: str = "", level: str = "") -> LoginEvent:
    return LoginEvent.objects.create(user=user, method=method, provider=provider[:200], level=level)
