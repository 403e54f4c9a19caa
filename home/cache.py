"""Full-page cache for anonymous visitors.

Only responses that opt in are stored: a public Wagtail page sets
``request.page_cache_timeout`` while it is served (home/models/base.py). A
response is stored only when the request carried no session cookie, the
response sets no cookie, did not use a CSRF token and is not marked private.
Cached pages are served before the session is even looked at, so they carry
neither ``Set-Cookie`` nor ``Vary: Cookie``, and tell shared caches they may keep them for
``SHARED_CACHE_MAX_AGE`` seconds (services/core/http.py). A visitor with a session cookie
(anyone logged in) always gets a freshly rendered page.

Invalidation: every publish, unpublish, move or delete of a page, and every save
of a snippet or setting that pages show, bumps a generation number stored with
every entry (home/signals.py); entries of an older generation are never served.
The same generation keys the menu, footer and page-body fragments.

Each process remembers the generation it read for PAGE_CACHE_GENERATION_TTL seconds (1 by default): a page rendered
without the full-page cache (a signed-in visitor, the cache switched off) then costs no Redis round trip, and neither
does a hit on a page this process served lately (`hot_pages`, the entry as Redis has it, until the entry's own
expiry). A publish in this process is seen at once; in another, within that second — far less than the minute shared
caches may keep a page (SHARED_CACHE_MAX_AGE). With PAGE_CACHE_GENERATION_TTL = 0 every hit asks Redis.
"""

import copy
import hashlib
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject

from services.core import http

GENERATION_KEY = "pagecache:generation"
EXCLUDED_PREFIXES = ("/admin/", "/area-personale/", "/cerca/", "/documents/", "/valutazione/", "/disservizi/")


# (generation, monotonic time until which it is believed): rebound whole, so a thread never sees half of it.
_remembered: tuple = (None, 0.0)


def generation():
    value, until = _remembered
    if value is not None and time.monotonic() < until:
        return value
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        value = cache.get(GENERATION_KEY)
    if value is None:  # the cache is down: a generation of this minute, so no process keeps fragments from before a publish
        return f"down-{int(time.time() // 60)}"
    remember_generation(value)
    return value


def remember_generation(value):
    """Keep a generation read from Redis for PAGE_CACHE_GENERATION_TTL seconds in this process."""
    global _remembered
    ttl = settings.PAGE_CACHE_GENERATION_TTL
    if ttl > 0:
        _remembered = (value, time.monotonic() + ttl)


def forget_generation():
    """The next read goes to Redis (after a publish in this process, or when the caches are emptied), and the objects
    kept for the generation are dropped."""
    global _remembered
    _remembered = (None, 0.0)
    live_objects.clear()
    hot_pages.clear()


class LiveObjects:
    """The site and the routed pages of one generation, kept in this process as Python objects.

    The local cache pickles what it keeps: unpickling the routed page and the site cost an uncached page a tenth of
    its time. Here they stay objects; a caller that changes what it got takes a copy (`copy.copy` of a model instance
    is a new instance over the same field values). Bounded (a visitor making up paths fills no memory), and emptied
    when another generation is asked for or stored."""

    def __init__(self, size=2048):
        self._lock = threading.Lock()
        self._generation = None
        self._items: OrderedDict = OrderedDict()
        self._size = size

    def get(self, gen, key):
        with self._lock:
            if gen != self._generation:
                return None
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def set(self, gen, key, value):
        with self._lock:
            if gen != self._generation:
                self._generation = gen
                self._items.clear()
            self._items[key] = value
            if len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._generation = None
            self._items.clear()


live_objects = LiveObjects()
# Cached pages this process served lately, as they are in Redis (about 35 KB each): a hit whose generation this
# process still believes costs no Redis round trip, which cost a hit half of what a hello world costs in all.
hot_pages = LiveObjects(size=256)


def believed_generation():
    """The generation this process read less than PAGE_CACHE_GENERATION_TTL seconds ago, or None."""
    value, until = _remembered
    return value if value is not None and time.monotonic() < until else None


_current_request: ContextVar = ContextVar("sportello_current_request", default=None)


def request_generation(request):
    """The generation, read at most once per request."""
    gen = getattr(request, "_pagecache_generation", None)
    if gen is None:
        gen = request._pagecache_generation = generation()
    return gen


def current_generation():
    """The generation of the request being served (read from Redis at most once per request, and only when something
    keyed by it is needed), or a fresh read outside requests."""
    request = _current_request.get()
    return request_generation(request) if request is not None else generation()


def local_cache():
    """Per-process memory for values keyed by generation (fragments, menu, site): no network trip."""
    return caches["local"]


def invalidate_all():
    forget_generation()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def _key(request):
    digest = hashlib.sha256(f"{request.get_host()}|{request.get_full_path()}".encode()).hexdigest()
    return f"pagecache:{digest}"


def _served_by_wagtail(path_info: str) -> bool:
    """Only Wagtail's pages opt into this cache: a path that one of Django's own views answers (health, callbacks, the
    personal area, forms) costs no Redis trip. Routing does not change while the process runs: the answer is kept per
    path, for paths of a sensible length (a visitor sending long made-up paths fills no memory)."""
    return _resolved_by_wagtail(path_info) if len(path_info) <= 200 else _resolves_to_wagtail(path_info)


def _resolves_to_wagtail(path_info: str) -> bool:
    try:
        return resolve(path_info).url_name == "wagtail_serve"
    except Resolver404:
        return False


_resolved_by_wagtail = lru_cache(maxsize=2048)(_resolves_to_wagtail)


def _eligible(request):
    return (
        settings.PAGE_CACHE_ENABLED
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(EXCLUDED_PREFIXES)
        and _served_by_wagtail(request.path_info)
    )


def _storable(request, response):
    return getattr(request, "page_cache_timeout", None) is not None and http.shareable(request, response)


def _shared(request, response):
    """A view that is the same for every anonymous visitor but kept out of this cache (search)
    sets ``request.shared_cache_timeout``: shared caches may still keep it, and pages too while
    this cache is switched off. Done here, outside the session middleware, which adds
    ``Vary: Cookie`` once the header has read the session."""
    timeout = getattr(request, "shared_cache_timeout", None)
    if timeout is None:
        timeout = getattr(request, "page_cache_timeout", None)  # a page while this cache is switched off
    if timeout is not None and http.shareable(request, response):
        http.mark_shared(response, timeout)
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return _shared(request, self.get_response(request))
        key = _key(request)
        gen = believed_generation()
        if gen is not None:  # this process served the page lately, in the generation it still believes
            hot = hot_pages.get(gen, key)
            if hot is not None and hot[0] > time.time():
                request._pagecache_generation = gen
                return _replay(hot)
        # One round trip: the entry and the current generation; an entry of an older generation is stale.
        found = cache.get_many([key, GENERATION_KEY])
        gen = found.get(GENERATION_KEY)
        if gen is None:
            gen = generation()
        else:
            remember_generation(gen)  # read anyway, in the entry's round trip
        request._pagecache_generation = gen
        stored = found.get(key)
        if stored is not None and stored[0] == gen and len(stored) == 5:
            entry = stored[1:]  # (expires, status, headers, content)
            if entry[0] > time.time():
                hot_pages.set(gen, key, entry)
                return _replay(entry)
        response = self.get_response(request)
        if _storable(request, response):
            http.mark_shared(response, request.page_cache_timeout)
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "x-page-cache")]
            entry = (time.time() + request.page_cache_timeout, response.status_code, headers, response.content)
            cache.set(key, (gen, *entry), timeout=request.page_cache_timeout)
            hot_pages.set(gen, key, entry)
            response["X-Page-Cache"] = "miss"
        return response


def _replay(entry) -> HttpResponse:
    _, status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


class SiteCacheMiddleware:
    """Resolve the Wagtail site (with its specific root page) and the ente settings once per
    process and generation.

    Wagtail looks them up with three or four queries on every request; they change only on
    publish or save, which bumps the generation.

    Both are set on the request as lazy objects: a response that needs neither (a health probe, a partner's callback, a
    redirect) reads no generation from Redis and unpickles nothing.
    """

    def __init__(self, get_response):
        from .models import EnteSettings

        self.get_response = get_response
        self.ente_attr = EnteSettings.get_cache_attr_name()  # where wagtail.contrib.settings looks for them

    def __call__(self, request):
        try:
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)
        memo = []

        def found():
            if not memo:
                memo.append(self._found(request))
            return memo[0]

        request._wagtail_site = SimpleLazyObject(lambda: found()[0])
        setattr(request, self.ente_attr, SimpleLazyObject(lambda: found()[1]))
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)

    @staticmethod
    def _found(request):
        from wagtail.models import Site

        from .models import EnteSettings

        gen = request_generation(request)
        key = ("site", request.get_host())
        found = live_objects.get(gen, key)
        if found is None:
            request.__dict__.pop("_wagtail_site", None)  # Wagtail's own lookup, once per process and generation
            site = Site.find_for_request(request)
            if site is not None:
                site.root_page = site.root_page.specific
            found = (site, EnteSettings.load())
            live_objects.set(gen, key, found)
        site, ente = found
        if site is not None:  # the request's own copies: Wagtail serves the home page from site.root_page
            site = copy.copy(site)
            site.root_page = copy.copy(site.root_page)
        return site, copy.copy(ente)
