"""Online modules a service can offer (a procedure of the engine, the meal-account top-up, meal changes,
later appointments). Each owner registers its modules from `AppConfig.ready()`; the catalogue knows none.
The editor picks a service page's module from these (*Accedi al servizio*); publishing the page writes the
choice into the catalogue, and the module's window is the one of the pages that offer it.

    modules.register(Module(key="meals-topup", label="Ricarica del conto mensa", url=lambda: reverse("meals:topup"),
                            panel=topup_panel))
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf


@dataclass(frozen=True)
class Panel:
    """What a module shows a signed-in citizen on its service page: a template and its context."""

    template: str
    context: dict


@dataclass(frozen=True)
class Module:
    key: str  # unique; a procedure's code (e.g. OEPAC), or a lowercase name such as meals-topup
    label: str
    url: Callable[[], str] = field(compare=False)  # where the citizen starts it
    audience: str = ""  # who may use it, as the editor's chooser says (e.g. "con SPID o CIE")
    opens_at: datetime | None = None  # the window in the code, when no page and no override give one
    closes_at: datetime | None = None
    kind: str = "procedure"  # procedure, payment, account, booking
    # (request, service_url) -> Panel | None: the citizen's own state and next action, for the service page.
    panel: Callable | None = field(default=None, compare=False)
    # () -> str: a notice for everybody while the module cannot be used (e.g. payments suspended), or "".
    notice: Callable | None = field(default=None, compare=False)


_modules: dict[str, Module] = {}
# Modules kept elsewhere (procedures built in the admin): (lookup(key) -> Module | None, listing() -> [Module])
_sources: list[tuple[Callable, Callable]] = []


def add_source(lookup: Callable, listing: Callable) -> None:
    if (lookup, listing) not in _sources:
        _sources.append((lookup, listing))


def register(module: Module) -> Module:
    if module.key in _modules and _modules[module.key] != module:
        raise ValueError(f"online module {module.key} registered twice")
    _modules[module.key] = module
    _hrefs.clear()
    return module


def unregister(key: str) -> None:
    _modules.pop(key, None)
    _hrefs.clear()


_hrefs: dict[tuple, str] = {}


def href(module: Module) -> str:
    """`module.url()`, worked out once per process for each script prefix and URLconf: `reverse()` walks the URL
    patterns, and an uncached service page asks for its module's address three times (the button, the panel, the
    structured data)."""
    key = (module.key, get_script_prefix(), get_urlconf())
    found = _hrefs.get(key)
    if found is None:
        found = _hrefs[key] = module.url()
    return found


def _forget_hrefs(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _hrefs.clear()


setting_changed.connect(_forget_hrefs)


def get(key: str) -> Module | None:
    if key in _modules:
        return _modules[key]
    for lookup, _listing in _sources:
        module = lookup(key)
        if module is not None:
            return module
    return None


def choices() -> list[tuple[str, str]]:
    """The registered modules as the editor's chooser lists them."""
    listed = list(_modules.values()) + [m for _lookup, listing in _sources for m in listing()]
    return sorted(((m.key, f"{m.label} ({m.audience})" if m.audience else m.label) for m in listed), key=lambda c: c[1])
