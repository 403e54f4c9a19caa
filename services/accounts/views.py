"""Login choice page, logout and the personal area (area personale)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from services.core.decorators import private_no_store

from . import selectors
from .forms import ContactSettingsForm
from .redirects import safe_next

TABS = [
    ("dashboard", "Scrivania", "accounts:dashboard"),
    ("pratiche", "Pratiche", "accounts:pratiche"),
    ("pagamenti", "Pagamenti", "accounts:pagamenti"),
    ("messaggi", "Messaggi", "accounts:messaggi"),
    ("documenti", "Documenti", "accounts:documenti"),
    ("impostazioni", "Impostazioni", "accounts:impostazioni"),
]


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
            "level": request.GET.get("livello", settings.SPID_DEFAULT_LEVEL),
            "expired": request.GET.get("sessione") == "scaduta",
            "cie_entity_id": settings.SPID_CIE_ENTITY_ID,
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


def _area(request, tab, template, extra=None):
    context = {"tabs": TABS, "active_tab": tab, **(extra or {})}
    return render(request, template, context)


@login_required
@private_no_store
def dashboard(request):
    return _area(request, "dashboard", "accounts/area/dashboard.html")


@login_required
@private_no_store
def placeholder_tab(request, tab):
    return _area(request, tab, f"accounts/area/{tab}.html")


@login_required
@private_no_store
def settings_view(request):
    form = ContactSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Impostazioni salvate.")
        return redirect("accounts:impostazioni")
    return _area(
        request,
        "impostazioni",
        "accounts/area/impostazioni.html",
        {"form": form, "history": selectors.login_history(request.user)},
    )


@login_required
@private_no_store
def keep_alive(request):
    from django.http import JsonResponse

    return JsonResponse({"ok": True})
