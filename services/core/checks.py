"""Deploy checks of our own, where ours replace one of Django's."""

from django.conf import settings
from django.core import checks

SECURITY_HEADERS = "services.core.middleware.SecurityHeadersMiddleware"


@checks.register(checks.Tags.security, deploy=True)
def x_frame_options(app_configs, **kwargs):
    """Django's security.W002 looks for its XFrameOptionsMiddleware by name; SecurityHeadersMiddleware sets the same
    header in the same way (one layer less for every request), so W002 is silenced in favour of this check."""
    if SECURITY_HEADERS in settings.MIDDLEWARE:
        return []
    return [checks.Warning(
        f"{SECURITY_HEADERS} is not in MIDDLEWARE: pages go out without X-Frame-Options, a Content-Security-Policy or "
        "private, no-store on personal pages.", id="core.W001")]
