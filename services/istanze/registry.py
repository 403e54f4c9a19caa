"""Procedures register themselves here; the engine knows none of them by name."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class Procedure:
    code: str  # e.g. SERV06_UTENTI: the prefix of the application numbers
    title: str
    category: str
    version: int = 1
    steps: tuple = ()  # (name, form class) pairs, in order
    spid_level: int = 2
    allow_local_accounts: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    route_office: Callable | None = None  # (data: dict) -> Office | None
    completion_working_days: int = 30
    retention_days: int = 365 * 5
    draft_retention_days: int = 30
    attachment_rules: dict = field(default_factory=dict)

    def window_state(self, now: datetime | None = None) -> str:
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return "not_yet"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"


_registry: dict[str, Procedure] = {}


def register(procedure: Procedure) -> Procedure:
    if procedure.code in _registry and _registry[procedure.code] != procedure:
        raise ValueError(f"procedure {procedure.code} registered twice")
    _registry[procedure.code] = procedure
    return procedure


def get(code: str) -> Procedure:
    return _registry[code]


def catalogue() -> list[Procedure]:
    return sorted(_registry.values(), key=lambda p: (p.category, p.title))
