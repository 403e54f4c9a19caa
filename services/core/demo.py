"""The demo Comune, built by the apps that own its rows: each app registers its demo loaders from its
AppConfig.ready() (in its own `demo.py`), and `manage.py load_demo_content` only runs them in order.

    demo.register("meals.registries", meals_demo.load, order=30)          # fee bands, the school calendar
    demo.register("meals.family", meals_demo.load_family, order=120, users=True)  # Maria's account (--with-users)

A loader takes the run's `Context` and returns how many rows it made; it is idempotent (a second run makes none).
Loaders with `users=True` run only with --with-users, in the demo (`make run`): they make people and their records."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Context:
    today: date
    with_users: bool = False
    shared: dict = field(default_factory=dict)  # what a loader leaves for later ones (the site's pages by slug)


@dataclass(frozen=True)
class Loader:
    name: str
    load: Callable[[Context], int]
    order: int
    users: bool = False


_loaders: dict[str, Loader] = {}


def register(name: str, load: Callable[[Context], int], *, order: int, users: bool = False) -> Loader:
    loader = Loader(name=name, load=load, order=order, users=users)
    _loaders[name] = loader
    return loader


def loaders(*, with_users: bool = False) -> list[Loader]:
    return sorted((loader for loader in _loaders.values() if with_users or not loader.users), key=lambda loader: (loader.order, loader.name))


def run(context: Context) -> int:
    """Every loader in order; the number of rows made."""
    return sum(loader.load(context) or 0 for loader in loaders(with_users=context.with_users))
