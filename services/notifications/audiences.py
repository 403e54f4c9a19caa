"""Who a staff broadcast can reach. `notifications` knows no service and no registry of theirs: each service
registers its families here, and the apps that own a way of narrowing them (a school, a bus route) register
that filter.

    audiences.register_filter("school", label="Solo la scuola", empty_label="Tutte le scuole",
                              queryset=lambda: School.objects.filter(active=True))
    audiences.register("meals", label="Refezione scolastica", holders=meal_families, filters=("school",))

`holders(filters, today)` returns a queryset of users; `filters` maps each filter's name to the chosen object
(or None).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    empty_label: str
    queryset: Callable  # () -> queryset of the objects to choose from
    not_applicable: str = ""  # the error when an audience does not take this filter


@dataclass(frozen=True)
class Audience:
    code: str
    label: str
    holders: Callable  # (filters: dict[str, object | None], today) -> queryset of users
    filters: tuple[str, ...] = ()


_audiences: dict[str, Audience] = {}
_filters: dict[str, Filter] = {}


def register(code: str, *, label: str, holders: Callable, filters: tuple[str, ...] = ()) -> Audience:
    audience = Audience(code=code, label=label, holders=holders, filters=tuple(filters))
    _audiences[code] = audience
    return audience


def register_filter(name: str, *, label: str, empty_label: str, queryset: Callable, not_applicable: str = "") -> Filter:
    found = Filter(name=name, label=label, empty_label=empty_label, queryset=queryset, not_applicable=not_applicable)
    _filters[name] = found
    return found


def get(code: str) -> Audience:
    return _audiences[code]


def filters() -> list[Filter]:
    return list(_filters.values())


def choices() -> list[tuple[str, str]]:
    return [(a.code, a.label) for a in _audiences.values()]


def label(code: str) -> str:
    audience = _audiences.get(code)
    return str(audience.label) if audience else code


def resolve(values: dict) -> dict:
    """Stored {name: pk} -> {name: object or None}, for the registered filters."""
    resolved = {}
    for name, found in _filters.items():
        pk = values.get(name)
        resolved[name] = found.queryset().filter(pk=pk).first() if pk else None
    return resolved


def describe(chosen: dict) -> str:
    """"Primaria Dante Alighieri · Linea 1", from {name: object or None}."""
    return " · ".join(str(obj) for obj in chosen.values() if obj is not None)
