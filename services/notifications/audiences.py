"""Who a staff broadcast can reach. `notifications` knows no service: each registers its families here.

    audiences.register("meals", label="Refezione scolastica", holders=lambda school, route, today: <User queryset>)
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Audience:
    code: str
    label: str
    holders: Callable  # (school | None, route | None, today) -> queryset of users
    by_route: bool = False  # the audience can be narrowed to a bus route


_audiences: dict[str, Audience] = {}


def register(code: str, *, label: str, holders: Callable, by_route: bool = False) -> Audience:
    audience = Audience(code=code, label=label, holders=holders, by_route=by_route)
    _audiences[code] = audience
    return audience


def get(code: str) -> Audience:
    return _audiences[code]


def choices() -> list[tuple[str, str]]:
    return [(a.code, a.label) for a in _audiences.values()]
