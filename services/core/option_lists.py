"""Named lists of options a form may offer (a procedure built in the admin takes its choices from them): each owner
registers its list from `AppConfig.ready()` — the schools registry its schools, the procedures app the provinces and
Comuni — so whoever offers them knows none of their owners."""

from collections.abc import Callable

_lists: dict[str, Callable[[], list[tuple[str, str]]]] = {}


def register(name: str, options: Callable[[], list[tuple[str, str]]]) -> None:
    _lists[name] = options


def options(name: str) -> list[tuple[str, str]]:
    """(value, label) pairs; an unregistered list has none (the checker refuses unknown names before)."""
    source = _lists.get(name)
    return list(source()) if source else []
