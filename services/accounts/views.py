"""Login choice page, logout and the personal area (area personale)."""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from services.core.decorators import private_no_store

from . import area, linking, selectors
from .forms import ContactSettingsForm, LinkAccountForm, MobileCodeForm
from .oidc.relying_party import enabled as oidc_enabled
from .redirects import safe_next
from .spid.views import AUTH_LEVEL_SESSION_KEY, AUTH_METHOD_SESSION_KEY, requested_level
from .verification import VerificationError, address_verification_confirm, verification_confirm, verification_start


@private_no_store
def login_choice(request):
    next_url = safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated and request.GET.get("livello") is None:
        return redirect(next_url)
    return render(
        request,
        "accounts/login.html",
        {
            "next": next_url,
            "providers": selectors.identity_providers(),
            "level": requested_level(request),
            "expired": request.GET.get("sessione") == "scaduta",
            "cie_entity_id": settings.SPID_CIE_ENTITY_ID,
            "cie_oidc": oidc_enabled(),
            "eidas_entity_id": settings.SPID_EIDAS_ENTITY_ID,
            "eidas_level": max(requested_level(request), 2),  # eIDAS "substantial" or "high": SPID level 2 or 3
            "cns_url": reverse("accounts:cns_start") if settings.CNS_HOST else "",
        },
    )


@require_POST
def logout_view(request):
    """Ends the server session; for SPID/CIE users also starts single logout with the IdP."""
    if request.user.is_authenticated and request.saml_session.get("_saml2_subject_id"):
        from .spid.views import SpidLogoutView

        return SpidLogoutView.as_view()(request)
    logout(request)
    messages.success(request, "Sei uscito dall'area personale.")
    return redirect("/")


@login_required
@private_no_store
def dashboard(request):
    return area.render_area(request, "dashboard", "accounts/area/dashboard.html", {"cards": area.desk(request.user)})


@login_required
@private_no_store
def messages_tab(request):
    return area.render_area(request, "messaggi", "accounts/area/messaggi.html", {"inbox": area.messages_for(request.user)})


@login_required
@private_no_store
def documents_tab(request):
    return area.render_area(request, "documenti", "accounts/area/documenti.html", {"documents": area.documents_for(request.user)})


@login_required
@private_no_store
def settings_view(request):
    form = ContactSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        email_changed = "email" in form.changed_data
        user = form.save()
        messages.success(request, "Impostazioni salvate.")
        if email_changed and user.email:
            _start(request, "email")
        return redirect("accounts:impostazioni")
    return area.render_area(
        request,
        "impostazioni",
        "accounts/area/impostazioni.html",
        {"form": form, "code_form": MobileCodeForm(), "history": selectors.login_history(request.user)},
    )


def _start(request, channel):
    try:
        verification_start(user=request.user, channel=channel, base_url=request.build_absolute_uri("/")[:-1])
    except VerificationError as error:
        messages.error(request, str(error))
        return
    if channel == "email":
        messages.info(request, "Ti abbiamo inviato un messaggio: apri il collegamento per confermare l'indirizzo.")
    else:
        messages.info(request, "Ti abbiamo inviato un SMS con un codice di 6 cifre: scrivilo qui sotto.")


@require_POST
@login_required
@private_no_store
def verification_send(request, channel):
    if channel not in ("email", "sms"):
        raise Http404
    _start(request, channel)
    return redirect("accounts:impostazioni")


@login_required
@private_no_store
def verify_email(request, token):
    try:
        verification_confirm(user=request.user, channel="email", secret=token)
        messages.success(request, "Indirizzo e-mail confermato.")
    except VerificationError as error:
        messages.error(request, str(error))
    return redirect("accounts:impostazioni")


@require_POST
@login_required
@private_no_store
def verify_mobile(request):
    form = MobileCodeForm(request.POST)
    if form.is_valid():
        try:
            verification_confirm(user=request.user, channel="sms", secret=form.cleaned_data["code"])
            messages.success(request, "Numero di cellulare confermato.")
            return redirect("accounts:impostazioni")
        except VerificationError as error:
            form.add_error("code", str(error))
    return area.render_area(
        request,
        "impostazioni",
        "accounts/area/impostazioni.html",
        {"form": ContactSettingsForm(instance=request.user), "code_form": form, "history": selectors.login_history(request.user)},
    )


@login_required
@private_no_store
def keep_alive(request):
    return JsonResponse({"ok": True})


@private_no_store
def verify_address(request, token):
    """An address without an account confirmed by its one-time link. The link opens a page with a button (mail
    scanners that open links must not use it up); the button confirms and goes where the purpose says."""
    error = ""
    if request.method == "POST":
        try:
            return redirect(address_verification_confirm(secret=token))
        except VerificationError as failure:
            error = str(failure)
    return render(request, "accounts/verify_address.html", {"error": error}, status=400 if error else 200)


@login_required
@private_no_store
def link_account(request):
    """After a SPID/CIE login, when a local account typed the same codice fiscale: link it by its password, or go on."""
    next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    twin = linking.declared_twin(request.user)
    if twin is None:
        return redirect(next_url)
    method = request.session.get(AUTH_METHOD_SESSION_KEY, "local")
    form = LinkAccountForm(request.POST or None)
    if request.method == "POST" and request.POST.get("azione") == "dopo":
        return redirect(next_url)
    if request.method == "POST" and form.is_valid():
        level = request.session.get(AUTH_LEVEL_SESSION_KEY, 0)
        try:
            linked = linking.link(attested=request.user, password=form.cleaned_data["password"], method=method)
        except linking.LinkError as error:
            form.add_error("password", str(error))
        else:
            login(request, linked, backend="services.accounts.spid.backends.SpidBackend")
            request.session[AUTH_METHOD_SESSION_KEY], request.session[AUTH_LEVEL_SESSION_KEY] = method, level
            messages.success(request, _("Account collegato: da ora entri con SPID o CIE e ritrovi qui le tue pratiche, "
                                        "i pagamenti e i messaggi. La password del portale non vale più."))
            return redirect(next_url)
    return render(request, "accounts/link.html", {"form": form, "next": next_url, "twin_email": _masked(twin.email),
                                                  "attested_session": method in ("spid", "cie", "cns")},
                  status=400 if form.errors else 200)


def _masked(address: str) -> str:
    """m•••@e•••.it: enough for the person to recognise their address, not enough to learn someone else's."""
    name, _sep, domain = (address or "").partition("@")
    if not domain:
        return ""
    host, _dot, tld = domain.rpartition(".")
    return f"{name[:1]}•••@{host[:1]}•••.{tld}" if host else f"{name[:1]}•••@{domain}"


# CNS and other smart cards (services/accounts/cns.py) ----------------------------------------------------------------
CNS_HANDOFF_SECONDS = 60
CNS_STATE_SESSION_KEY = "cns_state"


@never_cache
def cns_start(request):
    """*Entra con CNS*: a random state kept in this browser's session and carried through the CNS host, so that a code
    obtained elsewhere (an attacker's own card) cannot sign this browser in."""
    if not settings.CNS_HOST:
        raise Http404
    state = secrets.token_urlsafe(24)
    request.session[CNS_STATE_SESSION_KEY] = state
    next_url = safe_next(request, request.GET.get("next"))
    return redirect(f"https://{settings.CNS_HOST}{reverse('accounts:cns_login')}?{urlencode({'next': next_url, 'stato': state})}")


def _handoff_key(code: str) -> str:
    from services.core.tokens import keyed_hash

    return "cns-handoff:" + keyed_hash("cns-handoff", code)[:40]


@never_cache
def cns_login(request):
    """On the CNS host, where nginx asked for the card's certificate: check it, then hand the person back to the site
    with a one-time code (kept hashed, for a minute), by a form the browser posts — the site's session cookie is the
    site's host's only."""
    from django.core.cache import cache

    from . import cns

    next_url = safe_next(request, request.GET.get("next"))
    pem = cns.presented(request)
    if pem is None:
        return _cns_error(request, _("Il browser non ha presentato il certificato di una carta. Inserisci la carta nel "
                                     "lettore e riprova, scegliendo il certificato quando il browser lo chiede."))
    try:
        identity = cns.verify(pem)
    except cns.CertificateRefused as refusal:
        return _cns_error(request, str(refusal))
    code = secrets.token_urlsafe(32)
    cache.set(_handoff_key(code), {"fiscal_code": identity.fiscal_code, "given_name": identity.given_name,
                                   "family_name": identity.family_name, "issuer": identity.issuer,
                                   "policy": identity.policy, "state": request.GET.get("stato", "")[:100]},
              CNS_HANDOFF_SECONDS)
    response = render(request, "accounts/saml_post_form.html", {
        "target_url": f"{settings.CNS_SITE_URL}{reverse('accounts:cns_complete')}", "params": {"codice": code, "next": next_url}})
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt  # posted from the CNS host; the one-time code is the proof, and it is good once
@require_POST
def cns_complete(request):
    from django.core.cache import cache

    from .cns import LEVEL
    from .signin import attested_login

    key = _handoff_key(request.POST.get("codice", "")[:100])
    identity = cache.get(key)
    if identity is None or not cache.delete(key):  # expired, unknown, or used already (the second delete finds nothing)
        return _cns_error(request, _("Il collegamento di accesso con la carta è scaduto o è già stato usato: riprova."))
    state = request.session.pop(CNS_STATE_SESSION_KEY, None)
    if not state or not secrets.compare_digest(state, identity.get("state", "")):
        return _cns_error(request, _("L'accesso con la carta non è partito da questo browser: riprova dalla pagina di "
                                     "accesso."))
    return attested_login(request, fiscal_code=identity["fiscal_code"], method="cns", level=LEVEL,
                          provider=identity["issuer"], given_name=identity["given_name"],
                          family_name=identity["family_name"], next_url=safe_next(request, request.POST.get("next")))


def _cns_error(request, message: str):
    response = render(request, "accounts/cns_error.html", {"message": message, "site_url": settings.CNS_SITE_URL}, status=403)
    response["Cache-Control"] = "private, no-store"
    return response
