"""Reads of the catalogue: a service, and the online window of a service or of a module.

This is the one place a window is read from. In order:
1. `settings.PROCEDURE_WINDOWS` (module key -> [opens, closes] ISO strings): a deploy-time override;
2. the catalogue rows of the service pages that offer the module, which publishing a page writes (several pages
   may offer one module, e.g. enrollment and change on one procedure: it is open while any of them is);
3. the dates in the module's code (a procedure not yet described by a page).

Rows are kept per process until the next write (a version number in the shared cache), so a page that
asks for a window costs one cache read, not a query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache, caches
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
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


def _rows() -> dict[str, Service]:
    key = f"catalogue:rows:{version()}"
    local = caches["local"]
    rows = local.get(key)
    if rows is None:
        rows = {s.slug: s for s in Service.objects.filter(live=True).select_related("office")}
        local.set(key, rows)
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
