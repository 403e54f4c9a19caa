"""Citizen sessions: idle timeout (with a warning in the page) and an absolute lifetime."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject, empty

from djangosaml2 import middleware as djangosaml2_middleware

LAST_SEEN = "_citizen_last_seen"
LOGGED_IN_AT = "_citizen_logged_in_at"
TOUCH_EVERY = 30  # seconds: avoid a session write on every request


class CitizenSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            expired = self._expired(request)
            if expired:
                logout(request)
                messages.info(request, expired)
                return redirect(f"{settings.LOGIN_URL}?sessione=scaduta")
        return self.get_response(request)

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


class StaffMfaMiddleware:
    """With STAFF_MFA_REQUIRED, the admin needs a session that passed a TOTP check."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.STAFF_MFA_REQUIRED and request.path.startswith("/admin/") and request.user.is_authenticated:
            response = self._check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _check(self, request):
        from django.urls import reverse

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


class AdminAccessMiddleware:
    """A signed-in citizen who opens /admin/ gets a clear refusal, not a login loop."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith("/admin/")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and request.user.is_authenticated
            and not request.user.has_perm("wagtailadmin.access_admin")
        ):
            from django.shortcuts import render

            from services.core import observability

            observability.security("access.refused", area="admin", user_id=request.user.pk)
            return render(request, "accounts/admin_forbidden.html", status=403)
        return self.get_response(request)


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
