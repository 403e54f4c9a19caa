"""What the browser and the federation reach: our entity configuration, the start of a CIE login and its return."""

import logging

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from services.core.decorators import private_no_store

from ..redirects import safe_next
from ..signin import attested_login
from ..spid.views import requested_level
from . import federation, relying_party

logger = logging.getLogger(__name__)
PENDING_SESSION_KEY = "cie_oidc_pending"


@require_GET
def entity_configuration(request):
    if not relying_party.enabled():
        raise Http404
    response = HttpResponse(relying_party.entity_configuration(), content_type="application/entity-statement+jwt")
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
@private_no_store
def start(request):
    if not relying_party.enabled():
        raise Http404
    try:
        url, pending = relying_party.authorization(requested_level(request))
    except federation.Unreachable as exc:
        logger.warning("CIE login not started: %s", exc)
        return _error(request, "unreachable", 503)
    except federation.Untrusted as exc:
        logger.error("CIE login not started, the provider is not trusted: %s", exc)
        return _error(request, "untrusted", 503)
    pending["next"] = safe_next(request, request.GET.get("next"))
    request.session[PENDING_SESSION_KEY] = pending
    return redirect(url)


@require_GET
@private_no_store
def callback(request):
    pending = request.session.pop(PENDING_SESSION_KEY, None)
    if not relying_party.enabled() or not isinstance(pending, dict):
        return _error(request, "expired", 400)
    if request.GET.get("error") == "access_denied":
        return _error(request, "cancelled", 403)
    try:
        identity = relying_party.complete(pending, request.GET)
    except federation.Unreachable as exc:
        logger.warning("CIE login failed, provider unreachable: %s", exc)
        return _error(request, "unreachable", 503)
    except relying_party.LevelTooLow as exc:
        logger.warning("CIE login refused: %s", exc)
        return _error(request, "level", 403)
    except (relying_party.Refused, federation.Untrusted) as exc:
        logger.warning("CIE login refused: %s", exc)
        return _error(request, "invalid", 403)
    return attested_login(request, fiscal_code=identity.fiscal_code, method="cie", level=identity.level,
                          provider=identity.provider, given_name=identity.given_name,
                          family_name=identity.family_name, email=identity.email, birthdate=identity.birthdate,
                          next_url=pending.get("next") or "/")


def _error(request, reason: str, status: int):
    return render(request, "accounts/cie_oidc_error.html", {"reason": reason}, status=status)
