from django.utils.http import url_has_allowed_host_and_scheme

DEFAULT_NEXT = "/area-personale/"


def safe_next(request, target: str | None) -> str:
    """A same-site path to go to after login; anything else becomes the personal area."""
    same_site = target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    if same_site and target.startswith("/") and not target.startswith("//"):
        return target
    return DEFAULT_NEXT
