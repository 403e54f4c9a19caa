"""What must hold whatever happened — a worker killed, a database restarted, a restore — checked by
`manage.py check_invariants`, the fault suite (`make faults`) and the restore (`make restore`). Each app registers its
own from `AppConfig.ready()`; core knows none of them. A check returns the problems it found (counts and row ids, never
personal data); an empty list means it holds. `settled` checks hold only once the system is idle (the outbox drained,
every queued task run): the fault suite asks for them after recovery."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Invariant:
    name: str
    label: str
    check: Callable[[], list[str]]
    settled: bool = False


_registry: dict[str, Invariant] = {}


def register(name: str, label: str, check: Callable[[], list[str]], *, settled: bool = False) -> None:
    _registry[name] = Invariant(name, label, check, settled)


def unregister(name: str) -> None:
    _registry.pop(name, None)


def all_invariants() -> list[Invariant]:
    return sorted(_registry.values(), key=lambda i: i.name)


def run(*, settled: bool = False) -> dict[str, list[str]]:
    """Every registered check (the `settled` ones too when asked): name → problems."""
    return {i.name: i.check() for i in all_invariants() if settled or not i.settled}


def duplicates(queryset, *fields) -> int:
    """How many values of `fields` appear more than once in `queryset` (a unique constraint's second line of defence)."""
    from django.db.models import Count

    return queryset.values(*fields).annotate(n=Count("pk")).filter(n__gt=1).count()
