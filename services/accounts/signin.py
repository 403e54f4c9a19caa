"""The end of every attested login that is not SAML (CNS, CIE over OpenID Connect): the account, the session, the
record, and the offer to link a local account that typed the same codice fiscale. SAML logins do the same through
djangosaml2's hooks (spid/backends.py, spid/views.py)."""

import contextlib
import datetime
from urllib.parse import urlencode

from django.contrib.auth import login
from django.shortcuts import redirect
from django.urls import reverse

from . import linking
from .actions import attested_account, attested_account_save, identity_attested, login_event_record
from .spid.views import AUTH_LEVEL_SESSION_KEY, AUTH_METHOD_SESSION_KEY


def attested_login(request, *, fiscal_code: str, method: str, level: int, provider: str, next_url: str,
                   given_name: str = "", family_name: str = "", email: str = "", birthdate: str = ""):
    user, created = attested_account(code=fiscal_code, method=method)
    if created or given_name:
        user.first_name = given_name[:150] or user.first_name
        user.last_name = family_name[:150] or user.last_name
    if email:  # a contact the identity provider certifies counts as verified, as SPID's does
        user.email, user.email_verified = email, True
    if birthdate:
        with contextlib.suppress(ValueError):
            user.date_of_birth = datetime.date.fromisoformat(birthdate)
    user = attested_account_save(user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    login_event_record(user=user, method=method, provider=provider, level=f"L{level}")
    identity_attested(user=user, method=method, level=level)
    request.session[AUTH_METHOD_SESSION_KEY] = method
    request.session[AUTH_LEVEL_SESSION_KEY] = level
    if linking.declared_twin(user) is not None:
        return redirect(f"{reverse('accounts:link')}?{urlencode({'next': next_url})}")
    return redirect(next_url)
