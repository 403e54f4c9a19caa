"""A signed-in person's session on every request: the citizen's idle timeout (with a warning in the page) and an absolute
lifetime, the staff's second factor and the admin's refusal to citizens; the SAML session made only when used."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, empty

from djangosaml2 import middleware as djangosaml2_middleware

from services.core import observability

LAST_SEEN = "_citizen_last_seen"
LOGGED_IN_AT = "_citizen_logged_in_at"
TOUCH_EVERY = 30  # seconds: avoid a session write on every request


class AccountChecksMiddleware:
    """What a signed-in person's session must pass on every request, in one layer (each layer of the chain costs every
    request: bench/README.md, the middleware floor). After allauth's own middleware:
    - a citizen's session ends after CITIZEN_IDLE_TIMEOUT idle, anyone's after SESSION_ABSOLUTE_LIFETIME;
    - with STAFF_MFA_REQUIRED, the admin needs a session that passed a TOTP check;
    - a signed-in citizen who opens /admin/ gets a clear refusal, not a login loop.
    A request without the session cookie (nearly all anonymous ones) passes through without a look."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        expired = self._expired(request)
        if expired:
            logout(request)
            messages.info(request, expired)
            return redirect(f"{settings.LOGIN_URL}?sessione=scaduta")
        if request.path.startswith("/admin/"):
            if settings.STAFF_MFA_REQUIRED:
                response = self._staff_mfa(request)
                if response is not None:
                    return response
            if not request.user.has_perm("wagtailadmin.access_admin"):
                observability.security("access.refused", area="admin", user_id=request.user.pk)
                return render(request, "accounts/admin_forbidden.html", status=403)
        return None

    def _expired(self, request):
        now = time.time()
        session = request.session
        logged_in_at = session.setdefault(LOGGED_IN_AT, now)
        if now - logged_in_at > settings.SESSION_ABSOLUTE_LIFETIME:
            return "La sessione è durata troppo a lungo: accedi di nuovo."
        if not request.user.is_staff:
            last_seen = session.get(LAST_SEEN, now)
            if now - last_seen > settings.CITIZEN_IDLE_TIMEOUT:
                return "La sessione è scaduta per inattività: accedi di nuovo."
            if now - last_seen > TOUCH_EVERY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return None

    def _staff_mfa(self, request):
        from allauth.account.authentication import get_authentication_records
        from allauth.mfa.models import Authenticator

        user = request.user
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.info(request, "Per entrare nell'amministrazione attiva prima il secondo fattore di autenticazione (app di autenticazione).")
            return redirect(reverse("mfa_activate_totp"))
        if not any(record.get("method") == "mfa" for record in get_authentication_records(request, user)):
            logout(request)
            return redirect(f"{settings.WAGTAILADMIN_LOGIN_URL}?next=/admin/")
        return None


class SamlSessionMiddleware(djangosaml2_middleware.SamlSessionMiddleware):
    """djangosaml2's, with the SAML session made only when a view uses it: a request without the SAML cookie that
    never signs in (nearly all of them) builds no second session store (bench/README.md, the middleware floor)."""

    def process_request(self, request):
        session_key = request.COOKIES.get(self.cookie_name)
        request.saml_session = SimpleLazyObject(lambda: self.SessionStore(session_key))

    def process_response(self, request, response):
        saml_session = getattr(request, "saml_session", None)
        untouched = isinstance(saml_session, SimpleLazyObject) and saml_session._wrapped is empty
        if untouched and self.cookie_name not in request.COOKIES and not settings.SESSION_SAVE_EVERY_REQUEST:
            return response  # nothing read, nothing written, no cookie to refresh or delete
        return super().process_response(request, response)
