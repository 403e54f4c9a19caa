"""Online modules a service can offer (a procedure of the engine, the meal-account top-up, meal changes,
later appointments). Each owner registers its modules from `AppConfig.ready()`; the catalogue knows none.

    modules.register(Module(key="meals-topup", label="Ricarica del conto mensa",
                            url=lambda: reverse("meals:topup"), service_slug="ricarica-conto-mensa"))
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Module:
    key: str  # unique; a procedure's code (e.g. OEPAC), or a lowercase name such as meals-topup
    label: str
    url: Callable[[], str] = field(compare=False)  # where the citizen starts it
    service_slug: str = ""  # the service page that describes it: its window is the module's
    opens_at: datetime | None = None  # the window in the code, when no page and no override give one
    closes_at: datetime | None = None
    kind: str = "procedure"  # procedure, payment, account, booking


_modules: dict[str, Module] = {}


def register(module: Module) -> Module:
    if module.key in _modules and _modules[module.key] != module:
        raise ValueError(f"online module {module.key} registered twice")
    _modules[module.key] = module
    return module


def unregister(key: str) -> None:
    _modules.pop(key, None)


def get(key: str) -> Module | None:
    return _modules.get(key)


def for_service(slug: str) -> Module | None:
    """The module that names this service page as its own."""
    return next((m for m in _modules.values() if m.service_slug == slug), None)
