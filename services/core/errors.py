"""The site's own Italian pages for a bad request (400), a refusal (403) and an expired form (CSRF failure), instead
of Django's bare English ones. Rendered with the request, so the page has the site's header and footer."""

from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.template.loader import render_to_string

from . import observability

# Fields never shown back: the token itself, passwords, the honeypots and the flow's hidden state.
_HIDDEN = ("csrfmiddlewaretoken", "password", "password1", "password2", "oldpassword", "website", "next")


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


def bad_request(request, exception=None):
    return _private(HttpResponseBadRequest(render_to_string("400.html", {}, request)))


def permission_denied(request, exception=None):
    observability.security("access.refused", path_kind=request.path.split("/")[1][:30] if request.path.count("/") > 1 else "",
                           user_id=getattr(getattr(request, "user", None), "pk", None))
    return _private(HttpResponseForbidden(render_to_string("403.html", {}, request)))


def csrf_failure(request, reason=""):
    """A form sent from a page that expired (the session ended, the token rotated at login, cookies refused).
    Nothing is done with what was sent; what the person typed is shown back so that nothing is lost."""
    typed = []
    if request.method == "POST":
        try:
            items = list(request.POST.lists())
        except Exception:  # an unreadable body (too big, malformed) has nothing to show back
            items = []
        for name, values in items:
            if name in _HIDDEN or "password" in name:
                continue
            text = " ".join(v for v in values if v and len(v) <= 5000).strip()
            if text and len(text) > 2:
                typed.append(text)
    page = render_to_string("403_csrf.html", {"typed": typed[:20], "back": request.path}, request)
    return _private(HttpResponseForbidden(page))
