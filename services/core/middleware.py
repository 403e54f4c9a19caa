"""Every response carries the security headers; responses for a logged-in user, the admin or the personal area are
never stored by any cache. One middleware for all of them: each layer of the chain costs every request
(bench/README.md, the middleware floor)."""

from django.conf import settings
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.utils.cache import add_never_cache_headers, patch_cache_control

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import default_config

PRIVATE_PREFIXES = ("/admin/", "/area-personale/")
# What django-csp lets a view change per response (decorators), and its per-path exclusions: either means no shortcut.
_OVERRIDES = frozenset(f"_csp_{what}" for what in
                       ("config", "update", "replace", "config_ro", "update_ro", "replace_ro", "exempt", "exempt_ro"))
_EXCLUDES = any(
    (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES")
    for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")
)


class SecurityHeadersMiddleware(CSPMiddleware, XFrameOptionsMiddleware):
    """Placed right after authentication, so that it also covers what the account checks answer (a redirect, the
    admin's refusal):
    - a Content-Security-Policy on every response, with the admin's own (Wagtail's editor needs inline scripts and
      styles, blob: images and its preview frame);
    - a Permissions-Policy that gives no page the camera, the microphone, the position or payment APIs;
    - X-Frame-Options as Django's XFrameOptionsMiddleware sets it (a view's `xframe_options_*` decorators honoured);
    - `private, no-store` on the admin, the personal area and anything answered to a signed-in person."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path.startswith("/admin/"):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts

    _HEADERS = (HEADER, HEADER_REPORT_ONLY)

    def __init__(self, get_response):
        super().__init__(get_response)
        self._built = {}  # (admin?) -> the headers django-csp built for a response without a nonce or overrides

    def process_response(self, request, response):
        kind = request.path.startswith("/admin/")
        plain = self._plain(request, response)
        if plain and kind in self._built:
            # The policy without a nonce is the same for every response of its kind: django-csp would build it twice
            # per response (enforced and report-only), a tenth of a hello world's time.
            for name, value in zip(self._HEADERS, self._built[kind], strict=True):
                if value:
                    response[name] = value
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        else:
            response = super().process_response(request, response)
            if plain:
                self._built[kind] = tuple(response.get(name) for name in self._HEADERS)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response = XFrameOptionsMiddleware.process_response(self, request, response)
        if request.path.startswith(PRIVATE_PREFIXES) or (
            settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated
        ):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response

    def _plain(self, request, response):
        return (
            getattr(request, "_csp_nonce", None) is None
            and not settings.DEBUG
            and _OVERRIDES.isdisjoint(vars(response))  # django-csp's decorators set these on the response
            and HEADER not in response
            and HEADER_REPORT_ONLY not in response
            and not _EXCLUDES
        )
