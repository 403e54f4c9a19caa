"""Named lists of options a form may offer (a procedure built in the admin takes its choices from them): each owner
registers its list from `AppConfig.ready()` — the schools registry its schools, the procedures app the provinces and
Comuni — so whoever offers them knows none of their owners."""

from collections.abc import Callable

_lists: dict[str, Callable[[], list[tuple[str, str]]]] = {}
_offices: dict[str, Callable] = {}  # name -> (value) -> the office responsible for it, or None


def register(name: str, options: Callable[[], list[tuple[str, str]]], *, office: Callable | None = None) -> None:
    """`office`, when the list knows one: the office competent for a value (a school's Municipio), so a procedure may
    send each application to the office of the answer."""
    _lists[name] = options
    if office is not None:
        _offices[name] = office


def routes(name: str) -> bool:
    return name in _offices


def office(name: str, value):
    """The office competent for `value` of list `name`, or None."""
    source = _offices.get(name)
    return source(value) if source and value not in (None, "") else None


def options(name: str) -> list[tuple[str, str]]:
    """(value, label) pairs; an unregistered list has none (the checker refuses unknown names before)."""
    source = _lists.get(name)
    return list(source()) if source else []
