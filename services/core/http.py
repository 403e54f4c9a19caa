"""Who may keep a response: one rule for every page (DESIGN §6).

Anonymous pages may be kept by a shared cache (nginx, site/nginx.conf) for a short time, so that
a publish shows within `SHARED_CACHE_MAX_AGE` seconds (stock nginx cannot purge), while browsers
revalidate every time. Anything personal is `private, no-store` (decorators.private_no_store and
middleware.SecurityHeadersMiddleware) and never stored by anyone.
"""

from django.conf import settings
from django.utils.cache import patch_vary_headers


def shareable(request, response) -> bool:
    """The same for every visitor: an anonymous GET that set no cookie, used no CSRF token and
    was not marked private."""
    if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META or request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED"):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def mark_shared(response, seconds: int | None = None):
    """`public, max-age=0, s-maxage=N, must-revalidate`, without `Vary: Cookie`: shareable() said
    the response does not depend on a session."""
    seconds = settings.SHARED_CACHE_MAX_AGE if seconds is None else min(seconds, settings.SHARED_CACHE_MAX_AGE)
    if response.has_header("Vary"):
        values = [v.strip() for v in response["Vary"].split(",") if v.strip().lower() != "cookie"]
        del response["Vary"]
        if values:
            patch_vary_headers(response, values)
    response["Cache-Control"] = f"public, max-age=0, s-maxage={max(int(seconds), 0)}, must-revalidate"
    return response


# The client's address ------------------------------------------------------------------------------------------------
# Behind nginx (site/nginx.conf) REMOTE_ADDR is nginx's own. TRUSTED_PROXY_COUNT says how many proxies of ours stand in
# front of Django: each appends the address it saw to X-Forwarded-For, so the client is the entry that many places from
# the end; anything before it was written by the client and proves nothing. With 0 (the demo, tests) the header is
# ignored. ObservabilityMiddleware (first in the chain) puts the result in REMOTE_ADDR once, so every limit, allauth's back-off and the logs
# read the same address.

def _valid_ip(value: str) -> str | None:
    import ipaddress

    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address the first trusted proxy saw (or the socket's, with no proxy trusted)."""
    count = settings.TRUSTED_PROXY_COUNT
    peer = request.META.get("REMOTE_ADDR", "")
    if count <= 0:
        return peer
    chain = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(chain) < count:
        return peer  # reached us without passing through the proxies we trust (e.g. a health check)
    return _valid_ip(chain[-count]) or peer


def client_key(request, purpose: str) -> str:
    """The client's address as a cache key for a limit, hashed (no address is kept in clear)."""
    from .tokens import keyed_hash

    return keyed_hash(f"client:{purpose}", client_ip(request))[:32]


# Partners in this process (tests) ------------------------------------------------------------------------------------
# In tests the partners' sandboxes are views of this same site: a client built with this transport calls the WSGI
# application in process instead of the network (IO_TRANSPORT / PROTOCOL_TRANSPORT = "wsgi").

def _in_process_app():
    """This process's WSGI application, called as Django's test client calls it: without closing the database
    connection at the end of the inner request (the caller's transaction is still open on it)."""
    import threading

    from django.core.signals import request_finished, request_started
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    handler = get_wsgi_application()
    depth = threading.local()

    def app(environ, start_response):
        # Re-entrant: a partner's view may itself call another in process (the CIE provider resolving our trust chain
        # while answering our token request); only the outermost call reconnects the handlers.
        depth.value = getattr(depth, "value", 0) + 1
        if depth.value == 1:
            request_started.disconnect(close_old_connections)
            request_finished.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            body = b"".join(response)
            response.close()
            return [body]
        finally:
            depth.value -= 1
            if depth.value == 0:
                request_started.connect(close_old_connections)
                request_finished.connect(close_old_connections)

    return app


_transport = None


def in_process_transport():
    """httpx's WSGI transport onto this process's site, built once."""
    global _transport
    if _transport is None:
        import httpx

        _transport = httpx.WSGITransport(app=_in_process_app())
    return _transport
