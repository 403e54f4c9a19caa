"""Reads of the catalogue: a service, and the online window of a service or of a module.

This is the one place a window is read from. In order:
1. `settings.PROCEDURE_WINDOWS` (module key -> [opens, closes] ISO strings): a deploy-time override;
2. the catalogue rows of the service pages that offer the module, which publishing a page writes (several pages
   may offer one module, e.g. enrollment and change on one procedure: it is open while any of them is);
3. the dates in the module's code (a procedure not yet described by a page).

Rows are kept per process until the next write (a version number in the shared cache), as Python objects, and the
version read is believed for CATALOGUE_VERSION_TTL seconds (1 by default; 0 reads it on every call): a page that asks
for a window costs no query, no unpickling and, within that second, no round trip to Redis. A write in this process
is seen at once; in another, within that second. The rows are shared by every request of the process: read them,
never change them.
"""

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import modules
from .models import Service

VERSION_KEY = "catalogue:version"


@dataclass(frozen=True)
class Window:
    opens_at: datetime | None
    closes_at: datetime | None

    def state(self, now: datetime | None = None) -> str:
        """'open', 'not_yet' or 'closed'."""
        now = now or timezone.now()
        if self.opens_at and now < self.opens_at:
            return "not_yet"
        if self.closes_at and now >= self.closes_at:
            return "closed"
        return "open"

    def next_boundary(self, now: datetime | None = None) -> datetime | None:
        """The next opening or closing still to come (when a cached page must be rendered again)."""
        now = now or timezone.now()
        return min((b for b in (self.opens_at, self.closes_at) if b and b > now), default=None)


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY) or 1
    return value


def bump_version() -> None:
    forget()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


ROWS_MAX_AGE = 3600  # read again at least this often (seconds), even if the version says nothing changed: a restarted
# Redis starts the version again from 1

# (version, rows, monotonic time until which the version is believed, until which the rows are kept): rebound whole,
# so a thread never sees half of it.
_kept: tuple = (None, None, 0.0, 0.0)
_loading = threading.Lock()


def forget() -> None:
    """The next read asks the shared cache for the version (after a write here, or when the caches are emptied)."""
    global _kept
    _kept = (None, None, 0.0, 0.0)


def _rows() -> dict[str, Service]:
    global _kept
    kept_version, rows, believed, expires = _kept
    now = time.monotonic()
    if rows is not None and now < believed:
        return rows
    current = version()
    if rows is None or kept_version != current or now >= expires:
        with _loading:  # one query per process and version, not one per thread
            kept_version, rows, _, expires = _kept
            if rows is None or kept_version != current or now >= expires:
                rows = {s.slug: s for s in Service.objects.filter(live=True).select_related("office")}
                expires = now + ROWS_MAX_AGE
    _kept = (current, rows, now + settings.CATALOGUE_VERSION_TTL, expires)
    return rows


def service(slug: str) -> Service | None:
    return _rows().get(slug) if slug else None


def services_offering(key: str) -> list[Service]:
    """The live services whose page offers this module, by title."""
    return sorted((row for row in _rows().values() if row.module == key), key=lambda row: row.title)


def _override(key: str) -> Window | None:
    configured = getattr(settings, "PROCEDURE_WINDOWS", {}).get(key)
    if configured is None:
        return None
    opens, closes = (parse_datetime(v) if v else None for v in configured)
    return Window(opens, closes)


def module_window(key: str) -> Window:
    """The window of a registered module (a procedure's code, meals-topup, …)."""
    override = _override(key)
    if override:
        return override
    module = modules.get(key)
    if module is None:
        return Window(None, None)
    rows = services_offering(key)
    if rows:
        opens = [row.opens_at for row in rows]
        closes = [row.closes_at for row in rows]
        return Window(None if None in opens else min(opens), None if None in closes else max(closes))
    return Window(module.opens_at, module.closes_at)


def page_window(module_key: str, opens_at: datetime | None, closes_at: datetime | None) -> Window:
    """The window a live service page shows. Its own dates are what publishing wrote into its row, so the
    page needs no query; only the deploy-time override of its module can differ, and it wins, as in
    module_window."""
    return (_override(module_key) if module_key else None) or Window(opens_at, closes_at)


def module_service_url(key: str) -> str:
    """The address of the (first) page that offers a module, or ""."""
    rows = services_offering(key)
    return rows[0].url if rows else ""
