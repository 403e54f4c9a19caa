"""Responses for a logged-in user, the admin or the personal area are never stored by any cache;
every response carries the security headers."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control

from csp.middleware import CSPMiddleware
from csp.utils import default_config

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


class SecurityHeadersMiddleware(CSPMiddleware):
    """A Content-Security-Policy on every response, with the admin's own (Wagtail's editor needs
    inline scripts and styles, blob: images and its preview frame), and a Permissions-Policy that
    gives no page the camera, the microphone, the position or payment APIs."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path.startswith("/admin/"):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ClientAddressMiddleware:
    """First in the chain: REMOTE_ADDR becomes the client's address as the trusted proxies report it
    (services/core/http.py client_ip); the proxy's own stays in PROXY_ADDR."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.TRUSTED_PROXY_COUNT > 0:
            from .http import client_ip

            request.META["PROXY_ADDR"] = request.META.get("REMOTE_ADDR", "")
            request.META["REMOTE_ADDR"] = client_ip(request)
        return self.get_response(request)
