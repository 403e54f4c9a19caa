"""Cross-site request forgery protection for forms on cached anonymous pages.

Cached public pages carry no CSRF token and set no cookie (see
docs/decisions/0002-csrf-on-cached-pages.md). Their forms post to views wrapped
here, which accept a POST when the browser proves it comes from this site
(``Sec-Fetch-Site: same-origin`` or a matching ``Origin``), reject it when it
proves the opposite, and otherwise fall back to Django's token check through a
confirmation page that carries a real token and the posted data.
"""

from functools import wraps

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def origin_verdict(request):
    """'same', 'cross' or 'unknown' for a POST request."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site == "same-origin":
        return "same"
    if fetch_site in ("cross-site", "same-site"):
        return "cross"
    origin = request.headers.get("Origin")
    if origin:
        good = {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}
        return "same" if origin in good else "cross"
    return "unknown"


def same_origin_form(view):
    """Protect a form view whose form is rendered on a cached page without a token."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            verdict = origin_verdict(request)
            if verdict == "cross":
                return render(request, "home/forbidden_origin.html", status=403)
            if verdict == "unknown":
                reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
                if reason is not None:
                    fields = [(k, v) for k, values in request.POST.lists() if k != "csrfmiddlewaretoken" for v in values]
                    response = render(request, "home/confirm_post.html", {"fields": fields, "action": request.path})
                    response["Cache-Control"] = "private, no-store"
                    return response
        return view(request, *args, **kwargs)

    return wrapped
