"""Who may keep a response: one rule for every page (DESIGN §6).

Anonymous pages may be kept by a shared cache (nginx, site/nginx.conf) for a short time, so that
a publish shows within `SHARED_CACHE_MAX_AGE` seconds (stock nginx cannot purge), while browsers
revalidate every time. Anything personal is `private, no-store` (decorators.private_no_store and
middleware.PrivateResponseMiddleware) and never stored by anyone.
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
