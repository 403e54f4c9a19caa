"""State of a local stand-in for a partner system (the pagoPA and App IO sandboxes): values and switchable
faults kept in the default cache under a prefix, so every process of a development site shares them."""

import contextlib
import json

from django.core.cache import cache
from django.http import JsonResponse

TIMEOUT = 24 * 3600


class SandboxState:
    def __init__(self, prefix: str, faults: dict):
        self.prefix = prefix
        self.default_faults = faults

    def get(self, key, default=None):
        return cache.get(self.prefix + key, default)

    def set(self, key, value):
        cache.set(self.prefix + key, value, TIMEOUT)

    def delete(self, *keys):
        for key in keys:
            cache.delete(self.prefix + key)

    def locked(self, name: str = ""):
        """Around a read-modify-write of a value several processes change at once (the stack's workers and nodes):
        Redis's lock where the cache is Redis, nothing in one process. `name`: a lock of its own for one value."""
        if hasattr(cache, "lock"):
            return cache.lock(f"{self.prefix}lock:{name}", timeout=10, blocking_timeout=10)
        return contextlib.nullcontext()

    def faults(self) -> dict:
        return {**self.default_faults, **(self.get("faults") or {})}

    def set_faults(self, **values):
        self.set("faults", {**self.faults(), **values})


class FaultSwitch:
    """One fault at a time, chosen by name among `choices` (name → what it does, in Italian; "" is none), kept like the
    other sandboxes' state; `view` is the JSON control (GET lists, POST {"guasto": name})."""

    def __init__(self, prefix: str, choices: dict):
        self.store = SandboxState(prefix, {})
        self.choices = choices

    def current(self) -> str:
        return self.store.get("fault", "")

    def set(self, name) -> None:
        if name not in self.choices:
            raise ValueError(name)
        self.store.set("fault", name)

    def view(self, request):
        if request.method == "POST":
            try:
                body = json.loads(request.body or b"{}")
                self.set(body.get("guasto", "") if isinstance(body, dict) else None)
            except (ValueError, TypeError):
                return JsonResponse({"errore": "guasto sconosciuto", "guasti": self.choices}, status=400)
        return JsonResponse({"guasto": self.current(), "guasti": self.choices})
