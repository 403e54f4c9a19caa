"""SPID/CIE service provider views on djangosaml2, with the SPID rules for requests and responses."""

import logging
import re
from datetime import UTC, datetime
from html import unescape

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from djangosaml2 import views as saml_views
from saml2.saml import AuthnContextClassRef
from saml2.samlp import RequestedAuthnContext

from services.accounts import linking
from services.accounts.actions import identity_attested, login_event_record
from services.accounts.redirects import safe_next
from services.core.parsing import parse_int

from .config import load_sp_config
from .metadata import sp_metadata_xml
from .validation import spid_response_problems

logger = logging.getLogger(__name__)
LEVEL_SESSION_KEY = "spid_requested_level"
AUTH_METHOD_SESSION_KEY = "auth_method"
AUTH_LEVEL_SESSION_KEY = "auth_level"
METHOD_SESSION_KEY = "spid_method"
STARTED_SESSION_KEY = "spid_requested_at"


class LevelTooLow(Exception):
    pass


def requested_level(request) -> int:
    level = parse_int(request.GET.get("livello", settings.SPID_DEFAULT_LEVEL), minimum=-99, maximum=99)
    return min(max(level if level is not None else settings.SPID_DEFAULT_LEVEL, 1), 3)


class SpidLoginView(saml_views.LoginView):
    def get(self, request, *args, **kwargs):
        request.GET = request.GET.copy()
        request.GET["next"] = safe_next(request, request.GET.get("next"))
        request.saml_session[LEVEL_SESSION_KEY] = requested_level(request)
        method = request.GET.get("metodo")
        request.saml_session[METHOD_SESSION_KEY] = method if method in ("cie", "eidas") else "spid"
        request.saml_session[STARTED_SESSION_KEY] = datetime.now(UTC).timestamp()
        return super().get(request, *args, **kwargs)

    def should_prevent_auth(self, request) -> bool:
        return False  # a new login (e.g. at a higher level) is always allowed

    def load_sso_kwargs(self, sso_kwargs):
        level = self.request.saml_session.get(LEVEL_SESSION_KEY, settings.SPID_DEFAULT_LEVEL)
        sso_kwargs["requested_authn_context"] = RequestedAuthnContext(
            authn_context_class_ref=[AuthnContextClassRef(text=settings.SPID_LEVELS[level])], comparison="minimum"
        )
        if level > 1:
            sso_kwargs["force_authn"] = "true"
        eidas = self.request.saml_session.get(METHOD_SESSION_KEY) == "eidas"
        sso_kwargs["attribute_consuming_service_index"] = str(settings.SPID_EIDAS_ATTRIBUTE_SET) if eidas else "0"


class SpidAcsView(saml_views.AssertionConsumerServiceView):
    def custom_validation(self, response):
        wanted = self.request.saml_session.get(LEVEL_SESSION_KEY, settings.SPID_DEFAULT_LEVEL)
        if not response.assertions:
            raise ValueError("response without a valid assertion")
        started = self.request.saml_session.get(STARTED_SESSION_KEY)
        acs_url = self.get_sp_config(self.request).getattr("endpoints", "sp")["assertion_consumer_service"][0][0]
        problems = spid_response_problems(
            response, acs_url=acs_url, requested_at=datetime.fromtimestamp(started, UTC) if started else None
        )
        if problems:
            logger.warning("SPID login refused: %s", ", ".join(problems))
            raise ValueError("SPID rules")
        got = 0
        for assertion in response.assertions:
            for statement in assertion.authn_statement:
                ref = statement.authn_context.authn_context_class_ref.text
                got = max(got, next((n for n, uri in settings.SPID_LEVELS.items() if uri == ref), 0))
        if got < wanted:
            logger.warning("SPID login refused: level %s below the requested %s", got, wanted)
            self.level_too_low = True
            raise LevelTooLow()

    def handle_acs_failure(self, request, exception=None, status=403, **kwargs):
        logger.warning("SPID login refused: %s", type(exception).__name__ if exception else "unknown")
        reason = "level" if getattr(self, "level_too_low", False) else "invalid"
        response = render(request, "accounts/spid_error.html", {"reason": reason}, status=403)
        response["Cache-Control"] = "private, no-store"
        return response

    def post_login_hook(self, request, user, session_info):
        ref = ""
        for statement in session_info.get("authn_info", []) or []:
            ref = statement[0] if statement else ""
        level = next((f"L{n}" for n, uri in settings.SPID_LEVELS.items() if uri == ref), "")
        method = request.saml_session.get(METHOD_SESSION_KEY, "spid")
        login_event_record(user=user, method=method, provider=session_info.get("issuer", ""), level=level)
        identity_attested(user=user, method=method, level=int(level[1:]) if level else 0)
        # What this session proved, for procedures that require a SPID level (services/istanze/access.py).
        request.session[AUTH_METHOD_SESSION_KEY] = method
        request.session[AUTH_LEVEL_SESSION_KEY] = int(level[1:]) if level else 0
        # A local account that typed this codice fiscale: offered for linking, once both sides are proven.
        self.link_offered = linking.declared_twin(user) is not None

    def custom_redirect(self, user, relay_state, session_info):
        target = safe_next(self.request, relay_state)
        if getattr(self, "link_offered", False):
            return f"{reverse('accounts:link')}?{urlencode({'next': target})}"
        return target


def metadata(request):
    return HttpResponse(sp_metadata_xml(load_sp_config(request)), content_type="application/samlmetadata+xml")


class SpidLogoutView(saml_views.LogoutInitView):
    """Ends the Django session, then starts SAML single logout with the IdP (POST binding, our own form)."""

    def post(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code == 200 and b"SAMLRequest" in response.content:
            fields = dict(re.findall(r'name="(SAMLRequest|RelayState)" value="([^"]*)"', response.content.decode()))
            action = re.search(r'action="([^"]+)"', response.content.decode()).group(1)
            response = render(request, "accounts/saml_post_form.html", {"target_url": unescape(action), "params": fields})
        response["Cache-Control"] = "private, no-store"
        return response

    def handle_unsupported_slo_exception(self, request, exception, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect("/")
