"""State of a local stand-in for a partner system (the pagoPA and App IO sandboxes): values and switchable
faults kept in the default cache under a prefix, so every process of a development site shares them."""

import contextlib
import json

from django.core.cache import cache
from django.http import JsonResponse

import redis

TIMEOUT = 24 * 3600


def _redis():
    """The Redis client behind the default cache (django-redis), or None for another cache."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client else None


class SandboxState:
    def __init__(self, prefix: str, faults: dict):
        self.prefix = prefix
        self.default_faults = faults

    def get(self, key, default=None):
        return cache.get(self.prefix + key, default)

    def set(self, key, value):
        cache.set(self.prefix + key, value, TIMEOUT)

    def get_many(self, *keys) -> dict:
        """Several values in one round trip: {key: value or None}."""
        found = cache.get_many([self.prefix + key for key in keys])
        return {key: found.get(self.prefix + key) for key in keys}

    def delete(self, *keys):
        for key in keys:
            cache.delete(self.prefix + key)

    def append(self, *entries: tuple[str, dict, int]) -> None:
        """Add each (key, value, keep) at the end of the list under key, which keeps its last `keep` values. Where the
        cache is Redis, all of them in one round trip, and atomic: processes appending at once lose nothing (a list of
        Redis's own, of JSON values: read it with `items`). Elsewhere (one process: development, tests) a
        read-modify-write. With Redis down the values are lost, as the rest of the sandbox's state is."""
        client = _redis()
        if client is None:
            for key, value, keep in entries:
                self.set(key, [*(self.get(key) or []), value][-keep:])
            return
        pipe = client.pipeline(transaction=False)
        for key, value, keep in entries:
            name = cache.make_key(self.prefix + key)
            pipe.rpush(name, json.dumps(value))
            pipe.ltrim(name, -keep, -1)
            pipe.expire(name, TIMEOUT)
        with contextlib.suppress(redis.RedisError):
            pipe.execute()

    def items(self, key) -> list:
        """The values `append` added under key, oldest first."""
        client = _redis()
        if client is None:
            return self.get(key) or []
        try:
            return [json.loads(value) for value in client.lrange(cache.make_key(self.prefix + key), 0, -1)]
        except redis.RedisError:
            return []

    def locked(self, name: str = ""):
        """Around a read-modify-write of a value several processes change at once (the stack's workers and nodes):
        Redis's lock where the cache is Redis, nothing in one process. `name`: a lock of its own for one value."""
        if hasattr(cache, "lock"):
            return cache.lock(f"{self.prefix}lock:{name}", timeout=10, blocking_timeout=10)
        return contextlib.nullcontext()

    def faults(self, stored: dict | None = None) -> dict:
        """The faults switched on (`stored`: the value under "faults", when the caller read it with others)."""
        return {**self.default_faults, **((self.get("faults") if stored is None else stored) or {})}

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
