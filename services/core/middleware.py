"""Responses for a logged-in user, the admin or the personal area are never stored by any cache."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

PRIVATE_PREFIXES = ("/admin/", "/area-personale/")


class PrivateResponseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if request.path.startswith(PRIVATE_PREFIXES) or (has_session and request.user.is_authenticated):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response
